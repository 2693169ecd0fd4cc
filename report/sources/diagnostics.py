"""Warnings about the sources: one collector per render, and the switch that makes every warning an error.

Quarto renders what it can and warns about the rest; so does the embedded engine. Any code that finds
something an author should know but that need not stop the render calls :func:`warn`::

    from report.sources import diagnostics
    diagnostics.warn("option 'toc-location' is ignored by the embedded engine", path=source, line=7)

Inside :func:`collecting` (a render, a check) the warning is logged and kept; in strict mode (``--strict`` or
``report: strict: true``) it is raised as a :class:`~report.errors.ReportError` at once, so the render stops
with the file and line. Outside any collection a warning is only logged.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from report.errors import ReportError

__all__ = ["Warning", "Collector", "collecting", "current", "log_warning", "placed", "warn", "count_line"]

log = logging.getLogger("report")
_lock = threading.Lock()
_active: list["Collector"] = []  # a stack, not a context variable: the html and pdf stages run in threads
_placing = threading.local()  # per thread: how to point a warning at the file its text was written in


@dataclass(frozen=True)
class Warning:  # noqa: A001 - the name the rest of the engine uses; builtins.Warning is never needed here
    path: Path | None
    line: int | None
    message: str

    def __str__(self) -> str:
        return str(ReportError(self.message, path=self.path, line=self.line))

    @property
    def logged(self) -> str:
        """The line the log shows, worded as Quarto's log words a warning: ``WARNING (file:line) message``, or
        ``WARNING: message`` when it has no place (tools that read Quarto's log find ours the same way)."""
        if self.path is None:
            return f"WARNING: {self.message}"
        where = self.path.as_posix() + (f":{self.line}" if self.line is not None else "")
        return f"WARNING ({where}) {self.message}"


def log_warning(item: Warning) -> None:
    log.warning("%s", item.logged)


@dataclass
class Collector:
    strict: bool = False
    warnings: list[Warning] = field(default_factory=list)

    def add(self, item: Warning) -> None:
        if self.strict:
            raise ReportError(f"{item.message} (strict mode: warnings are errors)", path=item.path, line=item.line)
        with _lock:
            if item in self.warnings:  # the same source read twice (a book's chapter and its render) warns once
                return
            self.warnings.append(item)
        log_warning(item)

    def make_strict(self) -> None:
        """Turn strict on part-way (``report: strict: true`` is known only once _quarto.yml is read)."""
        self.strict = True
        if self.warnings:
            first = self.warnings[0]
            raise ReportError(f"{first.message} (strict mode: warnings are errors)", path=first.path, line=first.line)


def current() -> Collector | None:
    with _lock:
        return _active[-1] if _active else None


@contextmanager
def collecting(strict: bool = False) -> Iterator[Collector]:
    collector = Collector(strict=strict)
    with _lock:
        _active.append(collector)
    try:
        yield collector
    finally:
        with _lock:
            _active.remove(collector)


@contextmanager
def placed(place: Callable[[Path | None, int | None], tuple[Path | None, int | None]]) -> Iterator[None]:
    """Within the block, warnings go through ``place`` first: text pasted in by `{{< include >}}` warns with
    the included file and line, as its errors do (report.sources.shortcodes.SourceMap.place)."""
    stack = _placing.__dict__.setdefault("stack", [])
    stack.append(place)
    try:
        yield
    finally:
        stack.pop()


def warn(message: str, *, path: str | Path | None = None, line: int | None = None) -> None:
    where: Path | None = Path(path) if path is not None else None
    for place in reversed(_placing.__dict__.get("stack", [])):
        where, line = place(where, line)
    item = Warning(where, line, message)
    collector = current()
    if collector is None:
        log_warning(item)
        return
    collector.add(item)


def count_line(warnings: list[Warning] | tuple[Warning, ...]) -> str:
    """The one line a render ends with: "no warnings", "1 warning", "2 warnings"."""
    if not warnings:
        return "no warnings"
    return f"{len(warnings)} warning" + ("" if len(warnings) == 1 else "s")
