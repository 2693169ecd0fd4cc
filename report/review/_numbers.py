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
