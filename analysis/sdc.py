"""Statistical disclosure control: no count or share on a base below the threshold.

Every function in :mod:`analysis.measures` that shows a count or a share passes
through :func:`allowed`, so no chapter can forget the rule. The threshold is 10
by default (the common minimum base of ONS and ACRO output checking), can be
set with the environment variable ``REPORT_SDC_MIN_BASE``, with
:func:`set_min_base`, or per call with ``min_base=``. Every suppression is
logged (logger ``analysis.sdc``) and kept in :func:`suppressions`, so the
methods appendix can list what was withheld and why.

The project's policy minimum is :data:`DEFAULT_MIN_BASE`. A threshold below it,
from the environment or :func:`set_min_base`, is refused with
:class:`DisclosurePolicyError` unless the render is a draft (the engine sets
``REPORT_DRAFT=1`` for ``report render --draft``, whose every page carries the
draft mark and which cannot be released). A per-call ``min_base=`` is the
analysis code's own choice and is not checked.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

__all__ = ["DEFAULT_MIN_BASE", "DisclosurePolicyError", "Suppression", "allowed", "is_draft", "min_base",
           "requested_min_base", "set_min_base", "suppressions", "clear_log"]

DEFAULT_MIN_BASE = 10
ENV = "REPORT_SDC_MIN_BASE"
DRAFT_ENV = "REPORT_DRAFT"


class DisclosurePolicyError(ValueError):
    """A threshold below the policy minimum outside a draft render."""


def is_draft() -> bool:
    """True when the engine renders a draft (``report render --draft`` sets ``REPORT_DRAFT=1``)."""
    return os.environ.get(DRAFT_ENV) == "1"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Suppression:
    """A value withheld: which measure, which cell, the base and the threshold."""

    measure: str
    cell: str
    base: int
    threshold: int

    @property
    def reason(self) -> str:
        return f"base {self.base} is below the minimum of {self.threshold}"

    def __str__(self) -> str:
        return f"{self.measure} [{self.cell}] suppressed: {self.reason}"


_configured: int | None = None
_log: list[Suppression] = []


def min_base(override: int | None = None) -> int:
    """The threshold in force: ``override`` > :func:`set_min_base` > ``$REPORT_SDC_MIN_BASE`` > 10.

    Raises :class:`DisclosurePolicyError` for a configured threshold below the
    policy minimum, unless the render is a draft.
    """
    if override is not None:
        value = override
        if value < 1:
            raise ValueError(f"the minimum base must be at least 1, got {value}")
        return value
    value = requested_min_base()
    if value < DEFAULT_MIN_BASE and not is_draft():
        source = f"${ENV}={os.environ.get(ENV)}" if _configured is None else f"set_min_base({_configured})"
        raise DisclosurePolicyError(
            f"disclosure control: the minimum base {value} (from {source}) is below the policy minimum of "
            f"{DEFAULT_MIN_BASE}; counts on smaller bases would be published. Remove it, or render a draft "
            "(report render --draft), which is marked on every page and cannot be released")
    return value


def requested_min_base() -> int:
    """The threshold asked for (:func:`set_min_base` > ``$REPORT_SDC_MIN_BASE`` > 10), before the policy."""
    if _configured is not None:
        value = _configured
    elif os.environ.get(ENV):
        text = os.environ[ENV]
        if not text.strip().isdigit():
            raise ValueError(f"{ENV} must be a whole number, got {text!r}")
        value = int(text)
    else:
        value = DEFAULT_MIN_BASE
    if value < 1:
        raise ValueError(f"the minimum base must be at least 1, got {value}")
    return value


def set_min_base(value: int | None) -> None:
    """Set the threshold for this process; ``None`` restores the environment or default."""
    global _configured
    if value is not None and value < 1:
        raise ValueError(f"the minimum base must be at least 1, got {value}")
    _configured = value


def allowed(base: int, measure: str, cell: str, override: int | None = None) -> bool:
    """True if a value on ``base`` may be shown; otherwise log the suppression and return False.

    A base equal to the threshold is shown; only a base strictly below it is withheld.
    """
    threshold = min_base(override)
    if base >= threshold:
        return True
    record = Suppression(measure, cell, int(base), threshold)
    if record not in _log:
        _log.append(record)
    log.info("%s", record)
    return False


def suppressions() -> list[Suppression]:
    """Every suppression made in this process, in order, without repeats."""
    return list(_log)


def clear_log() -> None:
    """Forget the suppressions logged so far (a new render, a new test)."""
    _log.clear()
