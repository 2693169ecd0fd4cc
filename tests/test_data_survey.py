"""Survey shares: Wilson intervals, weights, disclosure control, calibration and SPSS input."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import load_evaluation, sdc
from analysis.paths import DEMO_DIR, FACTS_DIR
from analysis.survey import survey_shares, wilson
from data_helpers import copy_demo, violations_of
from data_helpers import make_evaluation
from test_data_measures import REGISTER, SEGMENTS


@pytest.fixture(scope="module")
def demo():
    return load_evaluation(DEMO_DIR)


@pytest.fixture(autouse=True)
def fresh_sdc(monkeypatch):
    monkeypatch.delenv(sdc.ENV, raising=False)
    sdc.set_min_base(None)
    sdc.clear_log()
    yield
    sdc.clear_log()


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17, table I, score method (Wilson)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
    ],
)
def test_wilson_interval_matches_published_values(successes, n, low, high):
    got_low, got_high = wilson(successes / n, n)
    assert round(got_low, 4) == low and round(got_high, 4) == high


def test_wilson_refuses_an_empty_base():
    with pytest.raises(ValueError, match="the base of a Wilson interval must be positive, got 0"):
        wilson(0.5, 0)


def _survey(rows: list[tuple[str, float, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["function", "weight", "agressie"])
    for name in ("verbaal", "verbaal_online", "bedreiging", "fysiek", "sociale_media_aangepast",
                 "besluitvorming_beinvloed", "eigen_keuzes_beinvloed", "overweegt_stoppen"):
        frame[name] = 0
    frame["aangifte"] = [0 if a else pd.NA for a in frame["agressie"]]
    frame["gevolgen"] = frame["aangifte"]
    frame["id"] = [f"E{i}" for i in range(len(frame))]
    return frame


def test_weighted_share_with_effective_sample_size():
    rows = [("wethouder", w, x) for w, x in [(1, 1), (1, 0), (2, 1), (4, 0)] * 3]
    ev = make_evaluation(REGISTER, SEGMENTS, _survey(rows))
    table = survey_shares(ev, "agressie", by="function", min_base=1).set_index("group")
    assert table.loc["wethouder", "n"] == 12
    assert table.loc["wethouder", "share"] == pytest.approx(3 / 8)  # (1 + 2) / (1 + 1 + 2 + 4)
    n_eff = 24**2 / (3 * (1 + 1 + 4 + 16))  # (sum w)^2 / sum w^2
    low, high = wilson(3 / 8, n_eff)
    assert table.loc["wethouder", "ci_low"] == pytest.approx(low)
    assert table.loc["wethouder", "ci_high"] == pytest.approx(high)


def test_survey_suppression_at_the_threshold_boundary():
    rows = [("burgemeester", 1.0, i % 2) for i in range(10)] + [("wethouder", 1.0, i % 2) for i in range(10)]
    ev = make_evaluation(REGISTER, SEGMENTS, _survey(rows))
    table = survey_shares(ev, "agressie").set_index("group")
    assert table.loc["burgemeester", "share"] == 0.5 and table.loc["wethouder", "share"] == 0.5  # a base of 10 is shown
    assert list(table["status"]) == [sdc.SHOWN] * 4
    assert bool(table.loc["raadslid", "suppressed"]) and table.loc["raadslid", "n"] == 0  # no share on nobody
    assert [str(s) for s in sdc.suppressions()] == [
        "survey_shares(agressie) [raadslid] suppressed: base 0 is below the minimum of 10",
    ]


def test_survey_group_below_the_threshold_takes_a_second_group_with_it():
    # 9 + 10 + 0 = 19: with the wethouders shown, the total would give the burgemeesters away (19 - 10 - 0 = 9).
    rows = [("burgemeester", 1.0, i % 2) for i in range(9)] + [("wethouder", 1.0, i % 2) for i in range(10)]
    ev = make_evaluation(REGISTER, SEGMENTS, _survey(rows))
    table = survey_shares(ev, "agressie").set_index("group")
    assert table["status"].to_dict() == {"burgemeester": sdc.PRIMARY, "wethouder": sdc.SECONDARY,
                                         "raadslid": sdc.SHOWN, "totaal": sdc.SHOWN}
    assert list(table["suppressed"]) == [True, True, True, False] and table["share"].isna().tolist()[:3] == [True] * 3
    assert [str(s) for s in sdc.suppressions()] == [
        "survey_response [burgemeester] suppressed: base 9 is below the minimum of 10",
        "survey_response [wethouder] suppressed: withheld so that a count below the minimum of 10 cannot be worked "
        "out from a total",
        "survey_shares(agressie) [burgemeester] suppressed: base 9 is below the minimum of 10",
        "survey_shares(agressie) [wethouder] suppressed: withheld so that a count below the minimum of 10 cannot be "
        "worked out from a total",
        "survey_shares(agressie) [raadslid] suppressed: base 0 is below the minimum of 10",
    ]


def test_unknown_variable_is_a_clear_error(demo):
    with pytest.raises(KeyError, match="unknown survey variable 'agresie'"):
        survey_shares(demo, "agresie")


def test_demo_survey_is_calibrated_exactly_on_2022(demo):
    table = survey_shares(demo, "agressie").set_index("group")
    assert table.loc[["burgemeester", "wethouder", "raadslid"], "n"].tolist() == [200, 700, 2200]
    counts = demo.survey.groupby("function")["agressie"].sum()
    assert counts.to_dict() == {"burgemeester": 154, "raadslid": 990, "wethouder": 469}
    assert table.loc["burgemeester", "share"] == pytest.approx(0.77, abs=1e-12)
    assert table.loc["wethouder", "share"] == pytest.approx(0.67, abs=1e-12)
    assert table.loc["raadslid", "share"] == pytest.approx(0.45, abs=1e-12)


def _facts(name: str) -> list[dict]:
    with (FACTS_DIR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_demo_survey_backtests_against_published_2022_figures(demo):
    # Weighted to the population, the demo reproduces every published 2022 share (to the percent).
    trend = {(r["year"], r["group"]): float(r["share"]) for r in _facts("monitor-trend.csv")}
    total = survey_shares(demo, "agressie").set_index("group").loc["totaal", "share"]
    assert round(total, 2) == trend[("2022", "alle decentrale ambtsdragers")]
    for fact in _facts("monitor-2022.csv"):
        if fact["base"] == "ambtsdragers met verbale agressie":
            verbal = demo.survey[demo.survey["verbaal"] == 1]
            share = verbal["verbaal_online"].mean()
        else:
            share = survey_shares(demo, fact["indicator"]).set_index("group").loc["totaal", "share"]
        assert round(share, 2) == float(fact["share"]), fact["indicator"]


def test_follow_up_questions_use_those_who_answered(demo):
    table = survey_shares(demo, "aangifte").set_index("group")
    assert table.loc["totaal", "n"] == int(demo.survey["agressie"].sum())


def test_spss_file_with_value_labels_loads_like_the_csv(demo, tmp_path):
    import pyreadstat

    data = copy_demo(tmp_path / "data")
    (data / "survey.csv").unlink()
    frame = pd.read_csv(DEMO_DIR / "survey.csv", dtype={"id": str})
    codes = {"burgemeester": 1, "wethouder": 2, "raadslid": 3}
    frame["function"] = frame["function"].map(codes)
    labels = {name: {0: "nee", 1: "ja"} for name in frame.columns[3:]}
    labels["function"] = {v: k for k, v in codes.items()}
    pyreadstat.write_sav(frame, str(data / "survey.sav"), variable_value_labels=labels)
    ev = load_evaluation(data)
    assert ev.sources["survey"] == "survey.sav"
    pd.testing.assert_frame_equal(ev.survey, demo.survey)
    assert ev.survey_labels["agressie"] == {0: "nee", 1: "ja"}


def test_spss_answer_without_value_label(tmp_path):
    import pyreadstat

    data = copy_demo(tmp_path / "data")
    (data / "survey.csv").unlink()
    frame = pd.read_csv(DEMO_DIR / "survey.csv", dtype={"id": str})
    frame.loc[4, "overweegt_stoppen"] = 8
    labels = {name: {0: "nee", 1: "ja"} for name in frame.columns[3:]}
    labels["agressie"] = {1: "ja", 2: "nee"}
    pyreadstat.write_sav(frame, str(data / "survey.sav"), variable_value_labels=labels)
    problems = violations_of(data)
    assert "survey.sav, column 'agressie': labels are 1=ja, 2=nee; expected 0=nee, 1=ja [value labels]" in problems
    assert "survey.sav, case 5, column 'overweegt_stoppen': value 8 has no value label (labels: 0=nee, 1=ja) [value labels]" in problems
