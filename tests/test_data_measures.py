"""Measures on a small hand-made evaluation whose answers are counted by hand below."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import Evaluation, sdc
from analysis.measures import (
    cooccurrence,
    coverage_by_threat,
    group_sizes,
    mention_word,
    quantifier,
    quotes,
    respondents_mentioning,
    respondents_per_code,
)
from data_helpers import make_evaluation


# Ten actieve deelnemers (R01-R10) and nine criticasters (R11-R19): one group at the
# disclosure threshold of 10, one just below it. R02 did not consent to quotes.
REGISTER = [
    (f"R{i:02d}", "actieve deelnemer", "wethouder" if i % 2 else "burgemeester", "gemeente", i != 2) for i in range(1, 11)
] + [(f"R{i:02d}", "criticaster", "raadslid", "gemeente", True) for i in range(11, 20)]

SEGMENTS = [
    ("S1", "R01", "c1", ["dreiging.online", "dekking.buiten_bereik"], "Berichten op sociale media. Daar kan ik nergens heen."),
    ("S2", "R01", "c1", ["dreiging.online"], "Weer een stroom berichten."),
    ("S3", "R01", "c1", ["dreiging.verbaal", "dekking.binnen_bereik"], "Uitgescholden op de markt. Daar kreeg ik hulp bij."),
    ("S4", "R02", "c1", ["dreiging.online", "dekking.buiten_bereik"], "Foto's van mijn huis online."),
    ("S5", "R03", "c1", ["dreiging.verbaal"], "Gescheld aan de telefoon."),
    ("S6", "R11", "c1", ["dreiging.online", "dekking.binnen_bereik"], "Doxing. Het ondersteuningsteam hielp."),
    # a second coder on R01's interview: only for reliability, never counted
    ("S7", "R01", "c2", ["dreiging.online"], "Berichten op sociale media."),
    ("S8", "R01", "c2", ["dreiging.verbaal", "dekking.buiten_bereik"], "Uitgescholden op de markt."),
]


@pytest.fixture
def ev() -> Evaluation:
    return make_evaluation(REGISTER, SEGMENTS)


@pytest.fixture(autouse=True)
def fresh_sdc(monkeypatch):
    monkeypatch.delenv(sdc.ENV, raising=False)
    sdc.set_min_base(None)
    sdc.clear_log()
    yield
    sdc.set_min_base(None)
    sdc.clear_log()


def test_primary_coder_is_the_one_with_most_interviews(ev):
    assert ev.primary_coder["INT01"] == "c1"
    assert set(ev.coded["segment"]) == {"S1", "S2", "S3", "S4", "S5", "S6"}
    assert ev.double_coded == ["INT01"]


def test_counts_respondents_not_segments(ev):
    table = respondents_per_code(ev, ["dreiging", "dreiging.online", "dreiging.verbaal"])
    assert list(table.columns) == ["actieve deelnemer", "criticaster", "totaal"]
    # four segments carry dreiging.online (S1, S2, S4, S6) but only three respondents do (R01, R02, R11)
    assert table.loc["dreiging.online", "totaal"] == 3
    assert table.loc["dreiging.online", "actieve deelnemer"] == 2
    # a parent code counts respondents who mention it or any code below it
    assert table.loc["dreiging", "totaal"] == 4
    assert table.loc["dreiging.verbaal", "totaal"] == 2
    assert table.attrs["base"] == {"actieve deelnemer": 10, "criticaster": 9, "totaal": 19}


def test_group_below_threshold_is_withheld_and_logged(ev):
    table = respondents_per_code(ev, ["dreiging.online"])
    assert table["criticaster"].isna().all()
    assert table.loc["dreiging.online", "actieve deelnemer"] == 2  # a base of exactly 10 is shown
    assert [str(s) for s in sdc.suppressions()] == [
        "respondents_per_code(by=group) [criticaster] suppressed: base 9 is below the minimum of 10"
    ]


def test_threshold_can_be_lowered_per_call_and_by_environment(ev, monkeypatch):
    assert respondents_per_code(ev, ["dreiging.online"], min_base=9).loc["dreiging.online", "criticaster"] == 1
    monkeypatch.setenv(sdc.ENV, "9")
    monkeypatch.setenv(sdc.DRAFT_ENV, "1")  # below the policy minimum: allowed in a draft only
    assert respondents_per_code(ev, ["dreiging.online"]).loc["dreiging.online", "criticaster"] == 1
    sdc.set_min_base(11)
    assert respondents_per_code(ev, ["dreiging.online"])["actieve deelnemer"].isna().all()
    assert sdc.Suppression("respondents_per_code(by=group)", "actieve deelnemer", 10, 11) in sdc.suppressions()


def test_invalid_threshold_is_refused(monkeypatch):
    monkeypatch.setenv(sdc.ENV, "tien")
    with pytest.raises(ValueError, match="REPORT_SDC_MIN_BASE must be a whole number, got 'tien'"):
        sdc.min_base()


def test_unknown_code_is_a_clear_error(ev):
    with pytest.raises(KeyError, match="not in the codebook: dreiging.onlne"):
        respondents_per_code(ev, ["dreiging.onlne"])


def test_group_sizes(ev):
    assert group_sizes(ev).to_dict() == {"actieve deelnemer": 10, "criticaster": 9, "totaal": 19}


@pytest.mark.parametrize(
    ("count", "base", "word"),
    [
        (0, 40, "geen"),
        (1, 40, "enkele"),
        (7, 40, "enkele"),
        (8, 40, "een minderheid"),
        (15, 40, "een minderheid"),
        (16, 40, "ongeveer de helft"),
        (20, 40, "ongeveer de helft"),
        (23, 40, "ongeveer de helft"),
        (24, 40, "de meeste"),
        (35, 40, "de meeste"),
        (36, 40, "vrijwel alle"),
        (39, 40, "vrijwel alle"),
        (40, 40, "alle"),
        (9, 10, "vrijwel alle"),
        (6, 10, "de meeste"),
        (2, 10, "een minderheid"),
    ],
)
def test_quantifier_thresholds(count, base, word):
    assert quantifier(count, base) == word


def test_quantifier_refuses_impossible_counts():
    with pytest.raises(ValueError, match="count must lie between 0 and the base 10, got 11"):
        quantifier(11, 10)
    with pytest.raises(ValueError, match="base must be positive, got 0"):
        quantifier(0, 0)


def test_mention_helpers(ev):
    assert respondents_mentioning(ev, "dreiging.online") == 3
    assert respondents_mentioning(ev, "dreiging.online", group="actieve deelnemer") == 2
    assert mention_word(ev, "dreiging.online", group="actieve deelnemer") == "een minderheid"


def test_cooccurrence_within_segments(ev):
    codes = ["dreiging.online", "dekking.buiten_bereik", "dekking.binnen_bereik"]
    table = cooccurrence(ev, "segment", codes)
    assert table.values.tolist() == [[4, 2, 1], [2, 2, 0], [1, 0, 2]]
    assert list(table.index) == codes and list(table.columns) == codes


def test_cooccurrence_within_respondents(ev):
    codes = ["dreiging.online", "dekking.buiten_bereik", "dekking.binnen_bereik"]
    table = cooccurrence(ev, "respondent", codes)
    assert table.values.tolist() == [[3, 2, 2], [2, 2, 1], [2, 1, 2]]


def test_respondent_counts_withheld_for_a_small_group(ev):
    assert respondents_mentioning(ev, "dreiging.online", group="criticaster") is pd.NA
    assert respondents_mentioning(ev, "dreiging.online", group="criticaster", min_base=9) == 1
    # a word is a share too: "enkele" of 9 criticasters would say what the count withholds
    assert mention_word(ev, "dreiging.online", group="criticaster") == "een niet te publiceren aantal"
    assert cooccurrence(ev, "respondent", ["dreiging.online"], min_base=20).isna().all().all()
    assert [str(s) for s in sdc.suppressions()] == [
        "respondents_mentioning(dreiging.online) [criticaster] suppressed: base 9 is below the minimum of 10",
        "quantifier [1 of 9] suppressed: base 9 is below the minimum of 10",
        "cooccurrence(level=respondent) [totaal] suppressed: base 19 is below the minimum of 20",
    ]


def test_cooccurrence_rejects_unknown_level(ev):
    with pytest.raises(ValueError, match="level must be 'segment' or 'respondent', got 'interview'"):
        cooccurrence(ev, "interview")


def test_coverage_by_threat(ev):
    table = coverage_by_threat(ev).set_index("code")
    assert table.loc["dreiging.online"].tolist() == [1, 2, 3]  # binnen R11; buiten R01, R02; mentioned by 3
    assert table.loc["dreiging.verbaal"].tolist() == [1, 0, 2]


def test_quotes_only_from_consenting_respondents(ev):
    table = quotes(ev, "dreiging.online", n=3)
    assert list(table.columns) == ["quote", "attribution"]
    # R02 did not consent; R01 gives one quote at most although two segments qualify
    assert sorted(table["attribution"]) == ["raadslid, R11", "wethouder, R01"]
    assert table.equals(quotes(ev, "dreiging.online", n=3))


def test_quotes_per_group(ev):
    table = quotes(ev, "dreiging", group="criticaster")
    assert table.to_dict("records") == [{"quote": "Doxing. Het ondersteuningsteam hielp.", "attribution": "raadslid, R11"}]
    with pytest.raises(KeyError, match="no respondents in group 'critici'"):
        quotes(ev, "dreiging", group="critici")
