"""Numbers in prose: recognising them and pairing old with new values.

A reviewer's first question about a new draft is which figures changed, so
a number that changed is reported on its own even when the words around it
stayed the same. Numbers are written as in the book (Dutch or English
style: 77%, 25,6%, 3.060, 0.72); they are compared as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER = re.compile(r"[-\u2212]?\d+(?:[.,]\d+)*(?:\s?%)?")
_WHOLE_NUMBER = re.compile(r"\s*" + NUMBER.pattern + r"\s*")


@dataclass(frozen=True)
class NumberChange:
    old: str
    new: str
    context: str  # the new sentence, with the new value, for the summary
    anchor: str = ""  # the block's anchor in the redline


EXCERPT_WORDS = 14  # words of a long sentence kept around a changed number
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u00c0-\u00de])")  # a full stop, then a capital


def excerpt(text: str, value: str) -> str:
    """The sentence of ``text`` holding ``value``, shortened around it when it is long."""
    sentences = SENTENCE_END.split(text) or [text]
    sentence = next((s for s in sentences if value in s), sentences[0])
    words = sentence.split()
    if len(words) <= EXCERPT_WORDS:
        return sentence
    where = next((i for i, word in enumerate(words) if value in word), 0)
    start = max(0, min(where - EXCERPT_WORDS // 2, len(words) - EXCERPT_WORDS))
    shown = words[start:start + EXCERPT_WORDS]
    return ("… " if start else "") + " ".join(shown) + (" …" if start + EXCERPT_WORDS < len(words) else "")


def is_number(text: str) -> bool:
    return bool(text.strip()) and _WHOLE_NUMBER.fullmatch(text) is not None


def numbers_in(text: str) -> list[str]:
    return [m.group(0).strip() for m in NUMBER.finditer(text)]


def pair_numbers(old_text: str, new_text: str) -> list[tuple[str, str]]:
    """Pair the numbers of a replaced stretch of text, in reading order.

    Only pairs that differ are returned; a stretch with numbers on one side
    only (a number added or dropped) pairs nothing, since there is no old
    value to set against a new one.
    """
    old_numbers = numbers_in(old_text)
    new_numbers = numbers_in(new_text)
    return [(a, b) for a, b in zip(old_numbers, new_numbers) if a != b]
