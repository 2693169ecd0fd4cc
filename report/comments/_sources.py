"""The source files a .docx names, their blocks by line, and searching Word's text in them.

Word shows the text as pandoc typeset it: curly quotes, dashes for ``--``, no markdown markup. Two views of a
source region bridge that, each keeping the offset in the source of every character it shows:
:func:`prose_view` only evens out whitespace and typography (the patch must find its context verbatim), while
:func:`plain_view` also drops markup (to find the line a comment's quote is on).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from report.errors import ReportError

SOURCE_ANCHOR = re.compile(r"rs_(\d+)_(\d+)(?:_\d+)?")
COMPUTED_ANCHOR = re.compile(r"rc_(\d+)_(\d+)_(\d+)(?:_\d+)?")
_INLINE_EXPRESSION = re.compile(r"`\{python\}[^`]*`")
_FENCE = re.compile(r"\s*(:{3,}|`{3,}|~{3,})")
_SPACES = frozenset(" \t\n\r\u00a0\u202f\u2007")
_QUOTES = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'"}
_TYPOGRAPHY = (("---", "\u2014"), ("--", "\u2013"), ("...", "\u2026"))
_LINE_MARKUP = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+|\|)*")
_MARKUP_CHARACTERS = frozenset("*`[]|^")


@dataclass(frozen=True)
class View:
    """Text as Word would show it, with ``positions[i]`` the source offset of ``text[i]``."""

    text: str
    positions: tuple[int, ...]

    def find_all(self, needle: str) -> list[int]:
        found, start = [], self.text.find(needle)
        while needle and start >= 0:
            found.append(start)
            start = self.text.find(needle, start + 1)
        return found


def _emit(characters: list[str], positions: list[int], character: str, position: int) -> None:
    if character in _SPACES:
        if not characters or characters[-1] == " ":
            return
        character = " "
    characters.append(_QUOTES.get(character, character))
    positions.append(position)


def _view(text: str, start: int, end: int, markup: bool) -> View:
    characters: list[str] = []
    positions: list[int] = []
    index = start
    line_start = True
    while index < end:
        if markup and line_start:
            index += len(_LINE_MARKUP.match(text, index, end).group(0))
            line_start = False
            continue
        character = text[index]
        if character == "\\" and index + 1 < end and not text[index + 1].isalnum() and text[index + 1] not in _SPACES:
            _emit(characters, positions, text[index + 1], index + 1)  # a markdown escape shows the character
            index += 2
            continue
        typographic = next(((raw, shown) for raw, shown in _TYPOGRAPHY if text.startswith(raw, index, end)), None)
        if typographic:
            _emit(characters, positions, typographic[1], index)
            index += len(typographic[0])
            continue
        if markup:
            skipped = _markup_length(text, index, end)
            if skipped:
                index += skipped
                continue
        _emit(characters, positions, character, index)
        line_start = character == "\n"
        index += 1
    shown = "".join(characters).rstrip(" ")
    return View(shown, tuple(positions[:len(shown)]))


def _markup_length(text: str, index: int, end: int) -> int:
    """How many characters of markdown markup start at ``index`` (0: none), as pandoc drops them from the text."""
    character = text[index]
    if text.startswith("<!--", index, end):
        close = text.find("-->", index, end)
        return (close + 3 if close >= 0 else end) - index
    if character == "{" and index + 1 < end and text[index + 1] in "#.-":
        close = text.find("}", index, end)
        return close + 1 - index if close >= 0 else 0
    if character == "]" and index + 1 < end and text[index + 1] == "(":
        close = text.find(")", index, end)
        return close + 1 - index if close >= 0 else 0
    if character == "_":
        before = text[index - 1] if index > 0 else " "
        after = text[index + 1] if index + 1 < end else " "
        return 0 if before.isalnum() and after.isalnum() else 1  # snake_case stays, _emphasis_ goes
    return 1 if character in _MARKUP_CHARACTERS else 0


def prose_view(text: str, start: int = 0, end: int | None = None) -> View:
    return _view(text, start, len(text) if end is None else end, markup=False)


def plain_view(text: str, start: int = 0, end: int | None = None) -> View:
    return _view(text, start, len(text) if end is None else end, markup=True)


def canonical(shown: str) -> str:
    """Text from Word in the form the views give the source."""
    return prose_view(shown).text.strip(" ")


@dataclass(frozen=True)
class SourceFile:
    path: str  # project-relative, POSIX
    text: str
    line_starts: tuple[int, ...]

    @classmethod
    def read(cls, root: Path, path: str, docx: Path) -> SourceFile:
        file = root / path
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ReportError(f"the document names the source '{path}', which is not in the project {root}; "
                              "pass the project folder with --project", path=docx) from None
        except (OSError, UnicodeDecodeError) as error:
            raise ReportError(f"the source '{path}' cannot be read: {error}", path=docx) from None
        starts = [0] + [match.end() for match in re.finditer("\n", text)]
        return cls(path, text, tuple(starts))

    @property
    def line_count(self) -> int:
        return len(self.line_starts) - (1 if self.text.endswith("\n") else 0)

    def line(self, number: int) -> str:
        start, end = self.span(number, number)
        return self.text[start:end].rstrip("\n")

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets of lines ``first`` to ``last`` (1-based, inclusive), the last line's newline included."""
        start = self.line_starts[min(first, len(self.line_starts)) - 1]
        end = self.line_starts[last] if last < len(self.line_starts) else len(self.text)
        return start, end

    def block_end(self, first: int, next_anchor: int | None) -> int:
        """The last line of the block starting on ``first``: up to a blank line, a fence or the next anchored block."""
        last = first
        limit = min(self.line_count, (next_anchor - 1) if next_anchor else self.line_count)
        while last < limit:
            following = self.line(last + 1)
            if not following.strip() or _FENCE.match(following):
                break
            last += 1
        return last

    def expression(self, line: int, number: int) -> str:
        """The ``number``-th inline expression on ``line``, as written (the whole line if there is no such one)."""
        found = _INLINE_EXPRESSION.findall(self.line(line)) if 1 <= line <= self.line_count else []
        return found[number - 1] if 0 < number <= len(found) else self.line(line).strip()

    def cell(self, line: int) -> str:
        """A code cell by its label, if it has one."""
        for following in range(line + 1, min(line + 20, self.line_count) + 1):
            text = self.line(following).strip()
            if not text.startswith("#|"):
                break
            key, _, value = text[2:].partition(":")
            if key.strip() == "label":
                return f"code cell '{value.strip()}'"
        return "the code cell"
