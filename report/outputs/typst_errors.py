"""typst's errors, told in the author's terms: the chapter and line the failing typst came from.

The engine writes the whole book as one typst file (report.outputs.typst), so typst names a line of that
file. Each chapter's typst is one stretch of it; ``TypstSourceMap`` records where each stretch starts.
Within a chapter, pandoc keeps the source's line breaks (``--wrap=preserve``) and copies raw typst as written,
so the failing line's text, or the nearest line above it that the source holds, gives the source line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from report.errors import ReportError

__all__ = ["TypstDiagnostic", "TypstFailure", "TypstSourceMap"]

# The first position in typst's diagnostic text: "┌─ path/book.typ:147:9" (line 1-based, column 0-based).
_POSITION = re.compile(r"┌─ (?P<file>.+?):(?P<line>\d+):(?P<column>\d+)\s*$", re.MULTILINE)
_HINT = re.compile(r"^\s*= hint: (?P<hint>.+)$", re.MULTILINE)
# A line short or plain enough to occur anywhere ("]", "#place.flush()") says nothing about where it came from.
_TELLING = re.compile(r"[^\W_]{2}")
_WORD = re.compile(r"[^\W_]{4,}")


@dataclass(frozen=True)
class TypstDiagnostic:
    message: str
    file: str | None = None
    line: int | None = None
    hints: tuple[str, ...] = ()

    @classmethod
    def from_exception(cls, error: BaseException) -> "TypstDiagnostic":
        """typst-py's TypstError carries ``message``, ``hints`` and the rendered ``diagnostic``."""
        message = str(getattr(error, "message", "") or error)
        diagnostic = str(getattr(error, "diagnostic", "") or "")
        first = diagnostic.split("\nerror: ", 1)[0]  # the first error; typst's follow-up errors repeat it
        position = _POSITION.search(first)
        hints = tuple(getattr(error, "hints", None) or (match["hint"] for match in _HINT.finditer(first)))
        return cls(message, position["file"] if position else None, int(position["line"]) if position else None,
                   hints)

    def to_json(self) -> dict[str, Any]:
        return {"message": self.message, "file": self.file, "line": self.line, "hints": list(self.hints)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TypstDiagnostic":
        return cls(data["message"], data.get("file"), data.get("line"), tuple(data.get("hints") or ()))


class TypstFailure(Exception):
    """typst refused the book (raised by the compile server's client; report.outputs.typst explains it)."""

    def __init__(self, diagnostic: TypstDiagnostic):
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


@dataclass(frozen=True)
class _Stretch:
    first_line: int  # line of the book's typst file where this chapter's typst starts
    lines: tuple[str, ...]
    source: Path  # the chapter, relative to the project root
    line_of: Callable[[str], int | None]


@dataclass(frozen=True)
class TypstSourceMap:
    """Where each chapter's typst lies in the book's typst file ``typ``; ``media``: the files it names that the
    render fetched (report.outputs.mediabag), by their path relative to the project root."""

    typ: Path
    stretches: tuple[_Stretch, ...]
    media: Mapping[str, Path] = field(default_factory=dict)

    @classmethod
    def of(cls, typ: Path, first_line: int, bodies: list[str], documents: list[Any],
           media: Mapping[str, Path] | None = None) -> "TypstSourceMap":
        """``bodies``: each document's typst, written from ``first_line`` on, one line apart."""
        stretches = []
        for body, doc in zip(bodies, documents):
            stretches.append(_Stretch(first_line, tuple(body.split("\n")), doc.source, doc.line_of))
            first_line += body.count("\n") + 1
        return cls(typ, tuple(stretches), dict(media or {}))

    def error(self, diagnostic: TypstDiagnostic) -> ReportError:
        hints = "".join(f"; hint: {hint}" for hint in diagnostic.hints)
        failed = f"typst could not build the PDF: {diagnostic.message}"
        if diagnostic.line is None or Path(diagnostic.file or "").name != self.typ.name:
            where = f" (in {diagnostic.file})" if diagnostic.file else ""
            return ReportError(f"{failed}{where}{hints}", path=self.typ)
        for stretch in self.stretches:
            index = diagnostic.line - stretch.first_line
            if 0 <= index < len(stretch.lines):
                return _chapter_error(stretch, index, failed, hints, diagnostic.line)
        return ReportError(f"{failed}{hints} (in the typst of the template: the template-partials and the "
                           f"metadata filled into them)", path=self.typ, line=diagnostic.line)


def _chapter_error(stretch: _Stretch, index: int, failed: str, hints: str, typ_line: int) -> ReportError:
    written = stretch.lines[index].strip()
    above, anchor = _nearest_source_line(stretch, index)
    if above != index:
        # The failing line holds markup the source writes otherwise (an inline `{=typst}` span, an escape):
        # its words, first written after the line above, place it.
        words = (stretch.line_of(word) for word in _WORD.findall(written))
        later = [line for line in words if line is not None and line > (anchor or 0)]
        if later:
            above, anchor = index, min(later)
    if anchor is not None and above == index:
        return ReportError(f"{failed}, in the typst `{written}`{hints}; change the typst on this line",
                           path=stretch.source, line=anchor)
    kept = f"line {typ_line} of the book's typst; `keep-typ: true` keeps it"
    if anchor is not None:
        return ReportError(f"{failed}, in the typst `{written}` that the engine wrote for what follows this line "
                           f"({kept}){hints}", path=stretch.source, line=anchor)
    return ReportError(f"{failed}, in the typst `{written}` ({kept}){hints}", path=stretch.source)


def _nearest_source_line(stretch: _Stretch, index: int) -> tuple[int, int | None]:
    """The nearest typst line at or above ``index`` that the source holds as written, and its source line."""
    for above in range(index, -1, -1):
        text = stretch.lines[above].strip()
        line = stretch.line_of(text) if _TELLING.search(text) else None
        if line is not None:
            return above, line
    return -1, None
