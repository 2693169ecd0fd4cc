"""Errors a person can act on: each names the file, the line where known, and the rule broken."""

from __future__ import annotations

from pathlib import Path

__all__ = ["ReportError"]


class ReportError(Exception):
    """A failure in the sources, configuration or a render stage.

    Formats as ``path:line: message`` so that editors and terminals can jump
    to the place; the render is aborted and the previous output kept.
    """

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path.as_posix()}"
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return f"{where}{self.message}"
