"""No publishable quote names a person or place the register holds.

The register may carry identifying columns (``name``, ``place``; see
:data:`analysis.schemas.REGISTER`), which are never published. Every segment a
chapter could publish as a quote (its interview's respondents all consented,
see :mod:`analysis.consent`) is searched for every value of those columns, of
any respondent: as whole words, ignoring case, with any run of white space
matching any other. A column may hold several spellings separated by ``;``.
Each hit is a :class:`~analysis.validate.Violation` located at the segment's row,
naming the respondent, the interview and the value found, so loading fails, and
with it ``report check`` and every render, draft or not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.consent import publishable_interviews
from analysis.schemas import REGISTER
from analysis.validate import RawTable, Violation

__all__ = ["IDENTIFYING_COLUMNS", "IdentifyingValue", "identifying_values", "check_quotes"]

IDENTIFYING_COLUMNS: tuple[str, ...] = tuple(f.name for f in REGISTER.fields if f.identifying)
#: How the message names a column's value.
_KIND = {"name": "the name", "place": "the place"}


@dataclass(frozen=True)
class IdentifyingValue:
    """One value of an identifying column: whose it is, which column, and the text."""

    respondent: str
    column: str
    value: str


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def identifying_values(register: pd.DataFrame) -> tuple[IdentifyingValue, ...]:
    """Every value of the register's identifying columns, one per ``;``-separated spelling."""
    found = []
    for column in IDENTIFYING_COLUMNS:
        if column not in register.columns:
            continue
        for respondent, cell in zip(register["respondent"], register[column]):
            if pd.isna(cell):
                continue
            for value in str(cell).split(";"):
                if value.strip():
                    found.append(IdentifyingValue(str(respondent), column, value.strip()))
    return tuple(found)


class _Scanner:
    """One regular expression for all values; the longest value wins where several start at one place."""

    def __init__(self, values: tuple[IdentifyingValue, ...]) -> None:
        self.values: dict[str, IdentifyingValue] = {}
        for value in values:
            self.values.setdefault(_normal(value.value), value)
        spelled = {text: r"\s+".join(re.escape(word) for word in text.split(" ")) for text in self.values}
        self.each = {text: re.compile(pattern, re.IGNORECASE) for text, pattern in spelled.items()}
        alternatives = "|".join(spelled[text] for text in sorted(spelled, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if spelled else None

    def find(self, text: str) -> list[tuple[str, IdentifyingValue]]:
        """Each value found in ``text``: the text as it stands there, and the register's value."""
        if self.pattern is None:
            return []
        hits = []
        for match in self.pattern.finditer(unicodedata.normalize("NFC", text)):
            found = match.group(0)
            key = next(key for key, pattern in self.each.items() if pattern.fullmatch(found))
            hits.append((found, self.values[key]))
        return hits


def check_quotes(raw: RawTable, segments: pd.DataFrame, register: pd.DataFrame, people: Mapping[str, tuple[str, ...]]) -> list[Violation]:
    """A violation for every identifying value in a segment that could be published as a quote."""
    scanner = _Scanner(identifying_values(register))
    if scanner.pattern is None:
        return []
    publishable = publishable_interviews(register, people)
    violations = []
    first = ~segments["segment"].duplicated()
    for position in segments.index[first & segments["interview"].isin(publishable) & segments["text"].notna()]:
        interview, text = segments.at[position, "interview"], segments.at[position, "text"]
        speakers = ", ".join(people[interview])
        for found, value in scanner.find(text):
            owner = _KIND.get(value.column, f"the {value.column}")
            violations.append(
                raw.violation(
                    int(position), "text", "identifying value",
                    f"segment '{segments.at[position, 'segment']}' of {speakers} (interview '{interview}') would publish "
                    f"'{found}', {owner} of {value.respondent} in the register; redact it in the transcript or withhold the quote",
                )
            )
    return violations
