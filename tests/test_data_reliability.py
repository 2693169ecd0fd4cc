"""Krippendorff's alpha against hand computation and the published reference case."""

from __future__ import annotations

import math

import pytest

from analysis.reliability import POOLED, flag, krippendorff_alpha_nominal, reliability
from data_helpers import make_evaluation


def test_alpha_hand_computed_two_coders():
    # units (coder 1, coder 2): (1,1) (1,0) (0,0) (0,0) (1,1)
    # coincidences: o11 = 4, o00 = 4, o10 = o01 = 1; n1 = n0 = 5; n = 10
    # alpha = 1 - (n - 1) * (o10 + o01) / (n1*n0 + n0*n1) = 1 - 9 * 2 / 50 = 0.64
    units = [(1, 1), (1, 0), (0, 0), (0, 0), (1, 1)]
    assert krippendorff_alpha_nominal(units) == pytest.approx(0.64, abs=1e-12)


def test_alpha_published_reference_with_missing_values():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example:
    # four observers, twelve units, missing values; alpha = 0.743
    n = None
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3]
    c = [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]
    assert round(krippendorff_alpha_nominal(list(zip(a, b, c, d))), 3) == 0.743


def test_alpha_undefined_without_variation():
    assert math.isnan(krippendorff_alpha_nominal([(1, 1), (1, 1)]))


def test_flags_at_krippendorff_thresholds():
    assert [flag(a) for a in (0.8, 0.7999, 0.667, 0.6669, float("nan"))] == [
        "voldoende",
        "voorlopig",
        "voorlopig",
        "onvoldoende",
        "geen variatie",
    ]


def test_reliability_per_code_and_pooled():
    register = [(f"R{i:02d}", "actieve deelnemer", "wethouder", "gemeente", True) for i in range(1, 6)]
    # presence of dreiging.online per interview (c1, c2): (1,1) (1,0) (0,0) (0,0) (1,1) -> alpha .64
    # dekking.binnen_bereik is present for both coders everywhere -> no variation
    online = {1: (1, 1), 2: (1, 0), 3: (0, 0), 4: (0, 0), 5: (1, 1)}
    segments = []
    for i, (first, second) in online.items():
        for coder, present in (("c1", first), ("c2", second)):
            codes = ["dekking.binnen_bereik"] + (["dreiging.online"] if present else [])
            segments.append((f"S{i}{coder}", f"R{i:02d}", coder, codes, "tekst"))
    ev = make_evaluation(register, segments)
    table = reliability(ev, ["dreiging.online", "dekking.binnen_bereik"]).set_index("code")
    assert table.loc["dreiging.online", "alpha"] == pytest.approx(0.64)
    assert table.loc["dreiging.online", "units"] == 5
    assert table.loc["dreiging.online", "flag"] == "onvoldoende"
    assert bool(table.loc["dreiging.online", "below_667"]) and bool(table.loc["dreiging.online", "below_800"])
    assert table.loc["dekking.binnen_bereik", "flag"] == "geen variatie"
    # pooled: o11 = 4 + 10, o00 = 4, o10 = o01 = 1; n = 20 -> 1 - 19 * 2 / (2 * 15 * 5) = 0.74667
    assert table.loc[POOLED, "alpha"] == pytest.approx(1 - 38 / 150)
    assert table.loc[POOLED, "units"] == 10
    assert table.loc[POOLED, "flag"] == "voorlopig"


def test_parent_code_present_when_a_child_is():
    register = [(f"R{i:02d}", "actieve deelnemer", "wethouder", "gemeente", True) for i in range(1, 3)]
    segments = [
        ("A1", "R01", "c1", ["dreiging.online"], "x"),
        ("B1", "R01", "c2", ["dreiging.verbaal"], "x"),
        ("A2", "R02", "c1", ["dekking.binnen_bereik"], "x"),
        ("B2", "R02", "c2", ["dekking.binnen_bereik"], "x"),
    ]
    table = reliability(make_evaluation(register, segments), ["dreiging", "dreiging.online"]).set_index("code")
    # both coders saw some threat in R01 and none in R02: perfect agreement on the parent
    assert table.loc["dreiging", "alpha"] == pytest.approx(1.0)
    assert table.loc["dreiging.online", "alpha"] < 0.667
