"""Measures the chapters show: code frequencies, quantifier words, co-occurrence, quotes.

All interview measures work on the analysis set :attr:`Evaluation.coded` (one
coder per interview). A code counts for a respondent when the respondent has a
segment coded with it or with any code below it in the codebook. Counts are of
respondents, never of segments, unless a function says otherwise. Counts on a
base below the disclosure threshold are withheld (see :mod:`analysis.sdc`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd

from analysis import consent, sdc
from analysis.reliability import reliability
from analysis.schemas import FUNCTIONS, GROUPS
from analysis.survey import survey_shares, wilson

__all__ = [
    "TOTAL",
    "QUANTIFIER_SCALE",
    "QUANTIFIER_THRESHOLDS",
    "WITHHELD_WORD",
    "group_sizes",
    "respondents_per_code",
    "respondents_mentioning",
    "quantifier",
    "mention_word",
    "cooccurrence",
    "coverage_by_threat",
    "quotes",
    "reliability",
    "survey_shares",
    "wilson",
]

TOTAL = "totaal"

#: Lower bounds of the share count/base for each word, checked top-down; "alle"
#: (count == base) and "geen" (count == 0) are exact. Bounds are inclusive.
QUANTIFIER_THRESHOLDS: tuple[tuple[float, str], ...] = (
    (0.90, "vrijwel alle"),
    (0.60, "de meeste"),
    (0.40, "ongeveer de helft"),
    (0.20, "een minderheid"),
    (0.00, "enkele"),
)


#: The quantifier words from none to all: the value axis of figures that show interview findings, so a
#: figure shows what the prose says and no count of persons.
QUANTIFIER_SCALE: tuple[str, ...] = ("geen", *[word for _bound, word in sorted(QUANTIFIER_THRESHOLDS)], "alle")

#: What the prose says instead of a quantifier word on a base below the disclosure threshold.
WITHHELD_WORD = "een niet te publiceren aantal"


def quantifier(count: int, base: int, *, min_base: int | None = None) -> str:
    """Dutch word for ``count`` out of ``base`` interviews.

    A word is a share in other clothes ("een minderheid van de criticasters"
    with 3 criticasters says 1 of them), so on a base below the disclosure
    threshold it is withheld: :data:`WITHHELD_WORD`, and the suppression is
    logged (see :mod:`analysis.sdc`).

    ``alle`` when count == base; ``geen`` when count == 0; otherwise by share:
    at least 90% ``vrijwel alle``, at least 60% ``de meeste``, at least 40%
    ``ongeveer de helft``, at least 20% ``een minderheid``, below that ``enkele``.
    With 40 interviews: 36-39 vrijwel alle, 24-35 de meeste, 16-23 ongeveer de helft,
    8-15 een minderheid, 1-7 enkele.
    """
    if base <= 0:
        raise ValueError(f"base must be positive, got {base}")
    if not 0 <= count <= base:
        raise ValueError(f"count must lie between 0 and the base {base}, got {count}")
    if not sdc.allowed(base, "quantifier", f"{count} of {base}", min_base):
        return WITHHELD_WORD
    if count == 0:
        return "geen"
    if count == base:
        return "alle"
    share = count / base
    return next(word for bound, word in QUANTIFIER_THRESHOLDS if share >= bound - 1e-12)


def _order(by: str, values: Sequence[str]) -> list[str]:
    canonical = {"group": GROUPS, "function": FUNCTIONS}.get(by)
    present = set(values)
    if canonical is None:
        return sorted(present)
    return [v for v in canonical if v in present]


def group_sizes(ev, by: str = "group") -> pd.Series:
    """Number of respondents per value of ``by`` in the register, plus ``totaal``."""
    register = ev.register
    if by not in register.columns:
        raise KeyError(f"cannot group respondents by {by!r}; register columns: {', '.join(register.columns)}")
    counts = register[by].value_counts()
    order = _order(by, counts.index)
    sizes = pd.Series({g: int(counts[g]) for g in order}, dtype="int64")
    sizes[TOTAL] = len(register)
    sizes.name = "respondents"
    return sizes


def _mentions(ev, codes: Sequence[str]) -> dict[str, set[str]]:
    """Per code, the respondents who mention it or a code below it (analysis set)."""
    coded = ev.coded[["respondent", "code"]].drop_duplicates()
    by_code = coded.groupby("code")["respondent"].agg(set).to_dict()
    result = {}
    for code in codes:
        respondents: set[str] = set()
        for c, rs in by_code.items():
            if c == code or c.startswith(code + "."):
                respondents |= rs
        result[code] = respondents
    return result


def _check_codes(ev, codes: Sequence[str]) -> None:
    known = set(ev.codebook["code"])
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise KeyError(f"not in the codebook: {', '.join(unknown)}")


def respondents_per_code(
    ev,
    codes: Sequence[str] | None = None,
    by: str = "group",
    *,
    min_base: int | None = None,
) -> pd.DataFrame:
    """Respondents mentioning each code, per value of ``by`` and in total.

    Index: ``code`` (codebook order, or the order given). Columns: each group of
    ``by`` present in the register, then ``totaal``. Values are counts of
    respondents (nullable integers); a whole column is withheld (``<NA>``) when its
    group has fewer respondents than the disclosure threshold. The group sizes
    are in ``table.attrs["base"]``.
    """
    codes = list(ev.codebook["code"]) if codes is None else list(codes)
    _check_codes(ev, codes)
    sizes = group_sizes(ev, by)
    membership = ev.register.set_index("respondent")[by]
    mentions = _mentions(ev, codes)
    table = pd.DataFrame(index=pd.Index(codes, name="code"))
    for group in sizes.index:
        if group == TOTAL:
            counts = [len(mentions[c]) for c in codes]
        else:
            counts = [sum(1 for r in mentions[c] if membership.get(r) == group) for c in codes]
        if sdc.allowed(int(sizes[group]), f"respondents_per_code(by={by})", str(group), min_base):
            table[group] = pd.array(counts, dtype="Int64")
        else:
            table[group] = pd.array([pd.NA] * len(codes), dtype="Int64")
    table.attrs["base"] = {str(k): int(v) for k, v in sizes.items()}
    return table


def _count_mentions(ev, code: str, group: str | None, by: str) -> tuple[int, int]:
    """(respondents mentioning ``code``, respondents in the base), without disclosure control."""
    _check_codes(ev, [code])
    respondents = _mentions(ev, [code])[code]
    if group is None:
        return len(respondents), len(ev.register)
    membership = ev.register.set_index("respondent")[by]
    if group not in set(membership):
        raise KeyError(f"no respondents with {by} = {group!r}")
    return sum(1 for r in respondents if membership[r] == group), int((membership == group).sum())


def respondents_mentioning(ev, code: str, group: str | None = None, by: str = "group", *, min_base: int | None = None):
    """Number of respondents (optionally in ``group`` of ``by``) mentioning ``code``.

    Returns ``<NA>`` (and logs the suppression) when the base, the respondents in
    ``group`` or all respondents, is below the disclosure threshold.
    """
    count, base = _count_mentions(ev, code, group, by)
    if not sdc.allowed(base, f"respondents_mentioning({code})", str(group or TOTAL), min_base):
        return pd.NA
    return count


def mention_word(ev, code: str, group: str | None = None, by: str = "group") -> str:
    """Quantifier word for the respondents (in ``group``) mentioning ``code``: 'de meeste', 'enkele', ...

    A group below the disclosure threshold gets :data:`WITHHELD_WORD` (see :func:`quantifier`).
    """
    count, base = _count_mentions(ev, code, group, by)
    return quantifier(count, base)


def _leaf_codes(ev) -> list[str]:
    codes = list(ev.codebook["code"])
    return [c for c in codes if not any(o.startswith(c + ".") for o in codes)]


def cooccurrence(ev, level: str = "segment", codes: Sequence[str] | None = None, *, min_base: int | None = None) -> pd.DataFrame:
    """Square code x code table of co-occurrence.

    ``level="segment"``: number of segments carrying both codes (diagonal: segments
    with the code). ``level="respondent"``: number of respondents who mention both
    (diagonal: respondents mentioning the code). ``codes`` defaults to the leaf
    codes; a parent code stands for itself and every code below it. Respondent
    counts are withheld when there are fewer respondents than the disclosure
    threshold.
    """
    if level not in ("segment", "respondent"):
        raise ValueError(f"level must be 'segment' or 'respondent', got {level!r}")
    codes = _leaf_codes(ev) if codes is None else list(codes)
    _check_codes(ev, codes)
    unit = "segment" if level == "segment" else "respondent"
    coded = ev.coded[[unit, "code"]].drop_duplicates()
    members = {}
    for code in codes:
        mask = (coded["code"] == code) | coded["code"].str.startswith(code + ".")
        members[code] = set(coded.loc[mask, unit])
    data = [[len(members[a] & members[b]) for b in codes] for a in codes]
    table = pd.DataFrame(data, index=pd.Index(codes, name="code"), columns=pd.Index(codes, name="code"), dtype="Int64")
    if level == "respondent" and not sdc.allowed(len(ev.register), "cooccurrence(level=respondent)", TOTAL, min_base):
        table.loc[:, :] = pd.NA
    return table


def coverage_by_threat(ev, by: str | None = None, *, min_base: int | None = None) -> pd.DataFrame:
    """Per form of threat, respondents judging it within or beyond the network's reach.

    A judgement counts when ``dekking.binnen_bereik`` or ``dekking.buiten_bereik`` is
    coded on the same segment as the ``dreiging.*`` code. Columns: ``code``,
    ``binnen_bereik``, ``buiten_bereik``, ``mentioned`` (respondents mentioning the
    threat); with ``by``, also the group column. Counts of a group below the
    disclosure threshold are withheld.
    """
    coded = ev.coded
    threats = [c for c in ev.codebook["code"] if c.startswith("dreiging.")]
    per_segment = coded.groupby("segment")["code"].agg(set)
    respondent_of = coded.drop_duplicates("segment").set_index("segment")["respondent"]
    records = []
    for segment, codes in per_segment.items():
        for threat in threats:
            if threat in codes:
                records.append(
                    (
                        respondent_of[segment],
                        threat,
                        "dekking.binnen_bereik" in codes,
                        "dekking.buiten_bereik" in codes,
                    )
                )
    frame = pd.DataFrame(records, columns=["respondent", "code", "binnen", "buiten"])
    groups: list[tuple[str | None, set[str]]]
    if by is None:
        groups = [(None, set(ev.register["respondent"]))]
    else:
        sizes = group_sizes(ev, by)
        groups = [(g, set(ev.register.loc[ev.register[by] == g, "respondent"])) for g in sizes.index if g != TOTAL]
    rows = []
    for group, members in groups:
        visible = sdc.allowed(len(members), "coverage_by_threat", str(group or TOTAL), min_base)
        part = frame[frame["respondent"].isin(members)]
        for threat in threats:
            sub = part[part["code"] == threat]
            counts = (
                sub.loc[sub["binnen"], "respondent"].nunique(),
                sub.loc[sub["buiten"], "respondent"].nunique(),
                sub["respondent"].nunique(),
            )
            row = {"code": threat}
            if by is not None:
                row[by] = group
            for name, value in zip(("binnen_bereik", "buiten_bereik", "mentioned"), counts):
                row[name] = value if visible else pd.NA
            rows.append(row)
    table = pd.DataFrame(rows)
    for name in ("binnen_bereik", "buiten_bereik", "mentioned"):
        table[name] = table[name].astype("Int64")
    return table


def quotes(ev, code: str, n: int = 3, group: str | None = None) -> pd.DataFrame:
    """Up to ``n`` quotes for ``code`` (or a code below it), at most one per respondent.

    Consent follows the interview (:mod:`analysis.consent`): a segment is used only
    when every respondent its interview belongs to consented to being quoted, so a
    group interview needs the consent of all who took part, and ``group`` keeps an
    interview only when all of them are in that group. Columns: ``quote`` and
    ``attribution`` ("wethouder, R17"; a group interview is attributed to all who
    took part, "groepsgesprek: wethouder, R07; burgemeester, R41"); identical
    sentences are shown once. Fewer than ``n`` rows come back when fewer fit. The
    choice is deterministic: segments are ranked by a hash of code and segment id,
    so the same data always give the same quotes while spreading them over respondents.
    """
    _check_codes(ev, [code])
    if group is not None and group not in set(ev.register["group"]):
        raise KeyError(f"no respondents in group {group!r}; groups: {', '.join(_order('group', ev.register['group']))}")
    coded = ev.coded
    mask = (coded["code"] == code) | coded["code"].str.startswith(code + ".")
    candidates = coded.loc[mask, ["segment", "interview", "text"]].drop_duplicates("segment")
    people = ev.participants
    candidates = candidates[candidates["interview"].isin(consent.publishable_interviews(ev.register, people))]
    speakers = candidates["interview"].map(people)
    if group is not None:
        in_group = set(ev.register.loc[ev.register["group"] == group, "respondent"])
        candidates = candidates[speakers.map(lambda respondents: set(respondents) <= in_group).astype(bool)]
        speakers = speakers[candidates.index]
    rank = candidates["segment"].map(lambda s: hashlib.sha256(f"{code}|{s}".encode()).hexdigest())
    # one quote per respondent (or group), and no sentence twice: respondents sometimes say the same thing
    chosen = candidates.assign(rank=rank, speakers=speakers, clean=candidates["text"].str.strip()).sort_values("rank")
    chosen = chosen.drop_duplicates("speakers").drop_duplicates("clean").head(n)
    return pd.DataFrame(
        {
            "quote": [t.strip() for t in chosen["text"]],
            "attribution": [consent.attribution(ev.register, respondents) for respondents in chosen["speakers"]],
        }
    )
