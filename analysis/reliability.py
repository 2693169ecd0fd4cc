"""Inter-coder reliability: Krippendorff's alpha for nominal data.

The unit is the presence of a code in an interview: for every double-coded
interview each coder contributes 1 if they assigned the code (or a code below
it) anywhere in that interview, else 0. Alpha is computed per code over the
double-coded interviews, and pooled over all (interview, code) units.
Krippendorff's thresholds: alpha >= .800 supports conclusions; .667 to .800 only
tentative ones; below .667 the code is not reliable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from itertools import permutations

import numpy as np
import pandas as pd

__all__ = ["krippendorff_alpha_nominal", "reliability", "flag", "RELIABLE", "TENTATIVE", "POOLED"]

RELIABLE = 0.800
TENTATIVE = 0.667
POOLED = "alle codes (gepoold)"


def krippendorff_alpha_nominal(units: Sequence[Sequence[Hashable | None]]) -> float:
    """Alpha for nominal values; each unit lists the values its coders gave (``None`` = not coded).

    Units with fewer than two values are not pairable and are ignored. Returns NaN
    when the pairable values show no variation at all (alpha is undefined then).
    """
    coincidences: Counter[tuple[Hashable, Hashable]] = Counter()
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for a, b in permutations(values, 2):
            coincidences[(a, b)] += 1.0 / (m - 1)
    marginals: Counter[Hashable] = Counter()
    for (a, _b), weight in coincidences.items():
        marginals[a] += weight
    n = sum(marginals.values())
    observed = sum(w for (a, b), w in coincidences.items() if a != b)
    expected_pairs = sum(marginals[a] * marginals[b] for a in marginals for b in marginals if a != b)
    if n <= 1 or expected_pairs == 0:
        return float("nan")
    return 1.0 - (n - 1) * observed / expected_pairs


def flag(alpha: float) -> str:
    """Dutch verdict for an alpha: voldoende, voorlopig, onvoldoende, or geen variatie."""
    if alpha != alpha:
        return "geen variatie"
    if alpha >= RELIABLE:
        return "voldoende"
    if alpha >= TENTATIVE:
        return "voorlopig"
    return "onvoldoende"


def reliability(ev, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Alpha per code and pooled, on the interviews coded by two or more coders.

    Columns: ``code``, ``alpha``, ``units`` (double-coded interviews, or
    interview-code pairs for the pooled row), ``flag`` (see :func:`flag`),
    ``below_800`` and ``below_667``. ``codes`` defaults to the leaf codes of the
    codebook; a parent code counts as present when any code below it is.
    """
    interviews = ev.double_coded
    if codes is None:
        all_codes = list(ev.codebook["code"])
        codes = [c for c in all_codes if not any(o.startswith(c + ".") for o in all_codes)]
    segments = ev.segments[ev.segments["interview"].isin(interviews)]
    coders_per_interview = segments.groupby("interview")["coder"].unique()
    assigned = segments.groupby(["interview", "coder"])["code"].agg(set)

    def present(interview: str, coder: str, code: str) -> int:
        return int(any(c == code or c.startswith(code + ".") for c in assigned.get((interview, coder), set())))

    rows = []
    pooled: list[list[int]] = []
    for code in codes:
        units = [[present(i, coder, code) for coder in sorted(coders_per_interview[i])] for i in interviews]
        pooled.extend(units)
        alpha = krippendorff_alpha_nominal(units)
        rows.append((code, alpha, len(units)))
    rows.append((POOLED, krippendorff_alpha_nominal(pooled), len(pooled)))
    table = pd.DataFrame(rows, columns=["code", "alpha", "units"])
    table["flag"] = table["alpha"].map(flag)
    table["below_800"] = table["alpha"].map(lambda a: bool(a < RELIABLE) if a == a else pd.NA).astype("boolean")
    table["below_667"] = table["alpha"].map(lambda a: bool(a < TENTATIVE) if a == a else pd.NA).astype("boolean")
    table["alpha"] = table["alpha"].astype(float)
    return table
