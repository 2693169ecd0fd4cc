"""When a document's code runs again, and what the engine may reuse instead: Quarto's ``freeze`` and ``cache``.

Quarto's model, kept here:

- by default a document is executed every time it is rendered;
- ``execute: freeze: true`` reuses a document's stored results in a render of the whole project, and
  ``freeze: auto`` reuses them while the document's source is unchanged; a render of one document
  always executes it (freeze governs project renders only);
- ``execute: cache: true`` (Quarto's jupyter-cache) reuses a document's results while its code is
  unchanged, in any render;
- ``--execute`` executes, ``--cache-refresh`` executes and stores anew, ``--no-execute`` runs nothing and
  shows stored results only.

The engine keeps results in one store (report.execution.cache), keyed by the document's code and
execution settings, with a fingerprint of every file, module and variable the code read. ``freeze: auto``
and ``cache: true`` both reuse a result only while that key and every fingerprint hold: never less
strict than Quarto (an edited data file or imported module executes the document again), and a prose
edit executes nothing. ``freeze: true`` reuses the newest result stored for the same code, whatever
changed since. A cell whose output depends on something no file holds (the clock, the network, a
database) is therefore shown fresh unless the document or project opted into reuse.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

__all__ = ["EVERY_RENDER", "ExecutionOverride", "ExecutionPolicy", "Reuse", "execution_policy"]


class Reuse(enum.Enum):
    NOTHING = "nothing"  # execute (the default; --execute; --cache-refresh)
    PROVEN = "proven"  # stored results whose code, settings and every recorded input are unchanged
    FROZEN = "frozen"  # as PROVEN, else the newest stored results of the same code
    STORED_ONLY = "stored only"  # --no-execute: as FROZEN, and never a kernel


class ExecutionOverride(enum.Enum):
    """What the command line says over the documents' own policy."""

    EXECUTE = "--execute"
    NO_EXECUTE = "--no-execute"
    REFRESH = "--cache-refresh"


@dataclass(frozen=True)
class ExecutionPolicy:
    reuse: Reuse
    reason: str  # the option or flag that decided, for the log

    @property
    def reuses(self) -> bool:
        """Whether a later render may skip this document's execution (the build record may stand for it)."""
        return self.reuse in {Reuse.PROVEN, Reuse.FROZEN}


EVERY_RENDER = ExecutionPolicy(Reuse.NOTHING, "executed on every render (no freeze or cache)")  # Quarto's default


def execution_policy(execute: dict[str, Any], *, whole_project: bool,
                     override: ExecutionOverride | None) -> ExecutionPolicy:
    """The policy for one document from its merged ``execute:`` options (project < document)."""
    if override is ExecutionOverride.NO_EXECUTE:
        return ExecutionPolicy(Reuse.STORED_ONLY, override.value)
    if override is not None:
        return ExecutionPolicy(Reuse.NOTHING, override.value)
    freeze = execute.get("freeze")
    if whole_project and freeze is True:
        return ExecutionPolicy(Reuse.FROZEN, "freeze: true")
    if whole_project and freeze == "auto":
        return ExecutionPolicy(Reuse.PROVEN, "freeze: auto")
    if execute.get("cache") is True:
        return ExecutionPolicy(Reuse.PROVEN, "cache: true")
    return EVERY_RENDER
