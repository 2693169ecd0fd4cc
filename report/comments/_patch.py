"""The accepted edits as one unified diff that ``git apply`` takes in the project folder."""

from __future__ import annotations

import difflib

from report.comments._model import Edit
from report.comments._sources import SourceFile

_NO_NEWLINE = "\\ No newline at end of file\n"


def apply_edits(text: str, edits: list[Edit]) -> str:
    """``text`` with ``edits`` (non-overlapping) made; insertions at one place keep their order."""
    pieces, position = [], 0
    for edit in sorted(edits, key=lambda edit: (edit.start, edit.end)):
        pieces.append(text[position:edit.start])
        pieces.append(edit.text)
        position = max(position, edit.end)
    pieces.append(text[position:])
    return "".join(pieces)


def _diff_lines(path: str, old: str, new: str) -> list[str]:
    lines = []
    for line in difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                     fromfile=f"a/{path}", tofile=f"b/{path}"):
        lines.append(line if line.endswith("\n") else line + "\n" + _NO_NEWLINE)
    return lines


def unified_diff(files: tuple[SourceFile, ...], edits: tuple[Edit, ...]) -> str:
    """The patch for ``edits``, file by file in the order of ``files`` (empty when there are none)."""
    lines: list[str] = []
    for source in files:
        own = [edit for edit in edits if edit.path == source.path]
        if own:
            lines += _diff_lines(source.path, source.text, apply_edits(source.text, own))
    return "".join(lines)
