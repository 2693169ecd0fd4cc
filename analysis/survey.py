"""Survey shares with Wilson intervals, weighted where the data carry weights.

The share is the weighted mean of a 0/1 variable over the respondents who
answered it. ``n`` is the unweighted number of answers. The Wilson 95% interval
uses the Kish effective sample size, (sum w)^2 / sum w^2, which equals n when
all weights within the group are equal.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis import sdc
from analysis.schemas import SURVEY_FUNCTIONS, SURVEY_VARIABLES

__all__ = ["Z95", "wilson", "survey_response_status", "survey_shares", "TOTAL"]

Z95 = 1.959963984540054
TOTAL = "totaal"


def wilson(share: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``share`` observed on ``n`` (possibly effective) cases."""
    if n <= 0:
        raise ValueError(f"the base of a Wilson interval must be positive, got {n}")
    if not 0 <= share <= 1:
        raise ValueError(f"a share must lie between 0 and 1, got {share}")
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (share + z2 / (2 * n)) / denominator
    half = z * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def survey_response_status(ev) -> pd.Series:
    """Which survey respondents-per-function counts may be published: sdc.SHOWN, PRIMARY or SECONDARY (index: function, ``totaal``).

    The response table, Tabel 4.1 and every other survey table by function
    share these counts; :func:`survey_shares` withholds at least the same
    groups. The total is in the prose, so it is never withheld.
    """
    counts = ev.survey["function"].value_counts().reindex(list(SURVEY_FUNCTIONS), fill_value=0).to_frame("respondents")
    counts.loc[TOTAL] = len(ev.survey)
    return sdc.protect(counts, measure="survey_response", total_row=TOTAL, fixed=[(TOTAL, "respondents")])["respondents"]


def survey_shares(
    ev,
    variable: str,
    by: str | None = "function",
    *,
    total: bool = True,
    min_base: int | None = None,
) -> pd.DataFrame:
    """Share answering 1 on ``variable``, per group of ``by``, plus a ``totaal`` row.

    Columns: ``group``, ``n`` (unweighted answers), ``share``, ``ci_low``,
    ``ci_high`` (0-1 scale), ``suppressed``, ``status`` (how ``n`` may be shown:
    sdc.SHOWN, PRIMARY or SECONDARY). Groups with ``n`` below the disclosure
    threshold show no share (see :mod:`analysis.sdc`), and neither do the groups
    withheld so that theirs cannot be worked out from the total: the groups of
    :func:`survey_response_status`, and more where this variable's answers need
    it. Variables asked only of a subgroup (``aangifte``, ``gevolgen``) are
    computed over those who answered.
    """
    survey = ev.survey
    known = [v.name for v in SURVEY_VARIABLES]
    if variable not in known:
        raise KeyError(f"unknown survey variable {variable!r}; known: {', '.join(known)}")
    if by is not None and by not in survey.columns:
        raise KeyError(f"cannot group the survey by {by!r}; columns: {', '.join(survey.columns)}")
    answered = survey[survey[variable].notna()]
    weights = answered["weight"] if "weight" in answered and answered["weight"].notna().all() else pd.Series(1.0, index=answered.index)
    parts: list[tuple[str, pd.Index]] = []
    if by is not None:
        order = list(SURVEY_FUNCTIONS) if by == "function" else sorted(answered[by].dropna().unique())
        for group in order:
            parts.append((group, answered.index[answered[by] == group]))
    if total or by is None:
        parts.append((TOTAL, answered.index))
    status = _group_status(ev, variable, parts, by, min_base)
    rows = []
    for group, index in parts:
        n = len(index)
        state = status.get(group, sdc.SHOWN)
        if not sdc.allowed(n, f"survey_shares({variable})", str(group), min_base) or n == 0 or state != sdc.SHOWN:
            rows.append((group, n, math.nan, math.nan, math.nan, True, state))
            continue
        w = weights.loc[index].astype(float)
        x = answered.loc[index, variable].astype(float)
        share = float((w * x).sum() / w.sum())
        n_eff = float(w.sum() ** 2 / (w * w).sum())
        low, high = wilson(share, n_eff)
        rows.append((group, n, share, low, high, False, state))
    table = pd.DataFrame(rows, columns=["group", "n", "share", "ci_low", "ci_high", "suppressed", "status"])
    table["n"] = table["n"].astype(int)
    return table


def _group_status(ev, variable: str, parts: list[tuple[str, pd.Index]], by: str | None,
                  min_base: int | None) -> dict[str, str]:
    """How each group's number of answers may be shown; a group total is always published (in the prose)."""
    groups = [(group, len(index)) for group, index in parts if group != TOTAL]
    if not groups:
        return {}
    counts = pd.DataFrame({"n": [n for _group, n in groups]}, index=[group for group, _n in groups])
    counts.loc[TOTAL] = sum(n for _group, n in groups)
    shared = survey_response_status(ev) if by == "function" else pd.Series(dtype=object)
    withhold = [(group, "n") for group, _n in groups if shared.get(group, sdc.SHOWN) != sdc.SHOWN]
    status = sdc.protect(counts, measure=f"survey_shares({variable})", total_row=TOTAL, withhold=withhold,
                         fixed=[(TOTAL, "n")], threshold=min_base)
    return status["n"].to_dict()
