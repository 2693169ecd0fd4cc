"""Consent follows the source: who an interview belongs to, and which quotes may be published.

An interview (a REFI-QDA source, or ``transcripts/<interview>.txt``) belongs to
every respondent linked to it: the respondent of its segments and every Case
that references the source. A group interview therefore belongs to all who
took part. A transcript does not say who spoke a fragment, so a quote from an
interview may be published only when *every* respondent it belongs to has
consented (``consent_quote`` true; withdrawing consent is setting it to false,
and a missing value is no consent), and a quote from a group interview is
attributed to the group, never to one member for another's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

__all__ = ["participants", "publishable_interviews", "attribution"]


def participants(segments: pd.DataFrame, linked: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Per interview, every respondent it belongs to (sorted): its segments' respondents and ``linked``'s."""
    people: dict[str, set[str]] = {interview: set(respondents) for interview, respondents in linked.items()}
    pairs = segments[["interview", "respondent"]].dropna().drop_duplicates()
    for interview, respondent in pairs.itertuples(index=False, name=None):
        people.setdefault(interview, set()).add(respondent)
    return {interview: tuple(sorted(respondents)) for interview, respondents in people.items()}


def publishable_interviews(register: pd.DataFrame, people: Mapping[str, tuple[str, ...]]) -> set[str]:
    """Interviews whose every respondent is in ``register`` with ``consent_quote`` true."""
    consent = register["consent_quote"].astype("boolean").fillna(False).astype(bool)
    consenting = set(register.loc[consent, "respondent"].dropna())
    return {interview for interview, respondents in people.items() if respondents and set(respondents) <= consenting}


def attribution(register: pd.DataFrame, respondents: tuple[str, ...]) -> str:
    """'wethouder, R17' for one respondent; 'groepsgesprek: wethouder, R07; burgemeester, R41' for several."""
    function = register.set_index("respondent")["function"]
    named = [f"{function.get(r)}, {r}" for r in respondents]
    return named[0] if len(named) == 1 else "groepsgesprek: " + "; ".join(named)
