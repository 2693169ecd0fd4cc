"""Word-by-word comparison of two versions of a paragraph.

diff-match-patch does the diffing; words are first mapped to single
characters (the library's line-mode trick, applied to words) so that edits
never split a word, and cross-reference tokens and numbers stay whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import diff_match_patch

from report.review._model import REF_CLOSE, REF_OPEN
from report.review._numbers import NumberChange, is_number, pair_numbers

# Whitespace, a cross-reference token, a number (3.060 / 25,6% / 0,72), a
# word, or any other single character.
TOKEN = re.compile(
    rf"\s+|{REF_OPEN}[^{REF_CLOSE}]*{REF_CLOSE}|\d+(?:[.,]\d+)*%?|\w+|.",
    re.UNICODE,
)
_FIRST_CODE_POINT = 0x100000  # supplementary private use area B


@dataclass(frozen=True)
class Segment:
    """A stretch of a redlined paragraph.

    kind is "same", "del", "ins" or "num" (a number that changed: ``old``
    -> ``new``); for "same" and "ins" the text is in ``new``, for "del" in
    ``old``.
    """

    kind: str
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class ProseDiff:
    segments: tuple[Segment, ...]
    numbers: tuple[NumberChange, ...]

    @property
    def prose_changed(self) -> bool:
        """True when words changed, beyond numbers swapping value."""
        return any(s.kind in ("del", "ins") for s in self.segments)

    @property
    def changed(self) -> bool:
        return self.prose_changed or bool(self.numbers)


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[tuple[int, str]]:
    """diff-match-patch diff of two texts at word granularity."""
    vocabulary: dict[str, str] = {}
    words: list[str] = []

    def encode(text: str) -> str:
        chars = []
        for token in tokens(text):
            char = vocabulary.get(token)
            if char is None:
                char = chr(_FIRST_CODE_POINT + len(words))
                vocabulary[token] = char
                words.append(token)
            chars.append(char)
        return "".join(chars)

    dmp = diff_match_patch.diff_match_patch()
    dmp.Diff_Timeout = 2.0
    diffs = dmp.diff_main(encode(old), encode(new), False)
    dmp.diff_cleanupSemantic(diffs)
    return [
        (op, "".join(words[ord(c) - _FIRST_CODE_POINT] for c in chars))
        for op, chars in diffs
        if chars
    ]


def diff_prose(old: str, new: str) -> ProseDiff:
    """Redline ``old`` -> ``new`` with changed numbers paired as old -> new."""
    segments: list[Segment] = []
    numbers: list[NumberChange] = []
    pending_del: list[str] = []
    pending_ins: list[str] = []

    def flush() -> None:
        removed, added = "".join(pending_del), "".join(pending_ins)
        pending_del.clear()
        pending_ins.clear()
        if not removed and not added:
            return
        pairs = pair_numbers(removed, added)
        numbers.extend(NumberChange(a, b, new) for a, b in pairs)
        if removed and added and is_number(removed) and is_number(added):
            segments.append(Segment("num", removed.strip(), added.strip()))
            return
        if removed:
            segments.append(Segment("del", old=removed))
        if added:
            segments.append(Segment("ins", new=added))

    for op, text in word_diff(old, new):
        if op == 0:
            flush()
            segments.append(Segment("same", new=text))
        elif op < 0:
            pending_del.append(text)
        else:
            pending_ins.append(text)
    flush()
    return ProseDiff(tuple(segments), tuple(numbers))
