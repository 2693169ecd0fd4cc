"""Issue 23, item 2: disclosure control that survives arithmetic.

Every case of the red-team pass is rebuilt here: a survey of 60 rows with 4
burgemeesters (Tabel 4.1 and the response table printed 4, and the total minus
the other groups gave every withheld count), a cross-tab row
``Actieve deelnemers | 16 | <10 | 0 | 17``, a prose quantifier on 3
criticasters, and chapter 7's person counts. `report check` audits the
rendered tables; the draft figure export is in test_disclosure_draft.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from analysis import load_evaluation, sdc
from analysis.method import respondent_function_table, respondent_group_table, respondents_phrase, survey_function_table
from analysis.paths import DEMO_DIR
from analysis.published_counts import disclosure_findings
from analysis.threat import aggression_share_table, share_text
from analysis.umbrella import threat_coverage, threat_coverage_table, weather_drops
from data_helpers import copy_demo, make_evaluation
from report.cli import main


@pytest.fixture(autouse=True)
def policy_threshold(monkeypatch):
    monkeypatch.delenv(sdc.ENV, raising=False)
    monkeypatch.delenv(sdc.DRAFT_ENV, raising=False)
    sdc.set_min_base(None)
    sdc.clear_log()
    yield
    sdc.clear_log()


def _small_survey_data(target: Path) -> Path:
    """The demo data with a survey of 60 rows: 4 burgemeesters, 20 wethouders, 36 raadsleden (real demo rows)."""
    data = copy_demo(target)
    survey = pd.read_csv(DEMO_DIR / "survey.csv", dtype=str, keep_default_na=False)
    parts = [survey[survey["function"] == f].head(n) for f, n in (("burgemeester", 4), ("wethouder", 20), ("raadslid", 36))]
    pd.concat(parts).to_csv(data / "survey.csv", index=False)
    return data


@pytest.fixture(scope="module")
def small_survey(tmp_path_factory):
    return load_evaluation(_small_survey_data(tmp_path_factory.mktemp("survey60")))


def _rows(frame: pd.DataFrame) -> list[list[str]]:
    return [[str(label), *map(str, row)] for label, row in zip(frame.index, frame.values.tolist())]


# --- sdc.protect and its audit -------------------------------------------------------------------------------


def test_a_lone_withheld_cell_in_a_row_with_a_total_takes_the_next_smallest_with_it():
    # The red-team row: Actieve deelnemers | 16 | <10 | 0 | 17 gave the hidden cell as 17 - 16 = 1.
    counts = pd.DataFrame([[16, 1, 0, 17], [5, 5, 0, 10], [21, 6, 0, 27]], index=["A", "B", "T"],
                          columns=["burgemeester", "wethouder", "raadslid", "T"])
    lines = sdc.table_lines(counts.index, counts.columns, "T", "T")
    values = {(r, c): int(counts.at[r, c]) for r in counts.index for c in counts.columns}
    only_primary = {cell: sdc.PRIMARY if 0 < v < 10 else sdc.SHOWN for cell, v in values.items()}
    assert sdc.recoverable(values, only_primary, lines, 10)[("A", "wethouder")] == 1  # the defect, as arithmetic
    status = sdc.protect(counts, measure="crosstab", total_row="T", total_column="T")
    assert status.to_dict("index") == {
        "A": {"burgemeester": "secondary", "wethouder": "primary", "raadslid": "shown", "T": "shown"},
        "B": {"burgemeester": "primary", "wethouder": "primary", "raadslid": "shown", "T": "shown"},
        "T": {"burgemeester": "secondary", "wethouder": "primary", "raadslid": "shown", "T": "shown"},
    }
    final = {(r, c): status.at[r, c] for r in counts.index for c in counts.columns}
    assert not [c for c, v in sdc.recoverable(values, final, lines, 10).items() if final[c] == sdc.PRIMARY]


def test_the_reader_knows_a_secondary_cell_is_zero_or_at_least_the_threshold():
    # 1 + 10 = 11: with the 10 withheld as 'x', it can only be 10 (0 would make the '<10' an 11), so the 1 is known.
    counts = pd.DataFrame({"n": [1, 10, 11]}, index=["a", "b", "totaal"])
    lines = sdc.table_lines(counts.index, counts.columns, total_row="totaal")
    values = {("a", "n"): 1, ("b", "n"): 10, ("totaal", "n"): 11}
    status = {("a", "n"): sdc.PRIMARY, ("b", "n"): sdc.SECONDARY, ("totaal", "n"): sdc.SHOWN}
    assert sdc.recoverable(values, status, lines, 10) == {("a", "n"): 1, ("b", "n"): 10}
    # Withholding the total instead hides it: '<10' + 10 = 'x' leaves 1 to 9.
    assert sdc.protect(counts, measure="m", total_row="totaal")["n"].tolist() == ["primary", "shown", "secondary"]


def test_a_table_that_cannot_be_protected_is_an_error():
    counts = pd.DataFrame({"n": [1, 10, 11]}, index=["a", "b", "totaal"])
    with pytest.raises(sdc.DisclosureError, match=r"^m: the withheld cell \('a', 'n'\) can be worked out from its "
                                                  r"totals, and no other cell of the table may be withheld$"):
        sdc.protect(counts, measure="m", total_row="totaal", fixed=[("totaal", "n")])


# --- the survey: 60 rows, 4 burgemeesters ---------------------------------------------------------------------


def test_tabel_4_1_and_the_response_table_withhold_the_same_groups(small_survey):
    assert _rows(aggression_share_table(small_survey)) == [
        ["Burgemeesters", "<10", "–", "–"],
        ["Wethouders", "x", "–", "–"],
        ["Raadsleden", "36", "58%", "42%–73%"],
        ["Alle respondenten", "60", "61%", "48%–73%"],
    ]
    assert _rows(survey_function_table(small_survey)) == [
        ["Burgemeesters", "<10", "–", "–"],
        ["Wethouders", "x", "–", "–"],
        ["Raadsleden", "36", "60,0%", "75,1%"],
        ["Totaal", "60", "100%", "100%"],
    ]
    # 60 - 36 = 24 is all the arithmetic gives: burgemeesters and wethouders together.
    assert share_text(small_survey, "burgemeester") == "niet te publiceren (te weinig respondenten)"
    assert share_text(small_survey, "wethouder") == "niet te publiceren (dan viel een kleinere groep terug te rekenen)"


# --- respondents: the cross-tab, the group table and the prose ------------------------------------------------


CROSSTAB_REGISTER = (
    [(f"R{i:02d}", "actieve deelnemer", "burgemeester", "gemeente", True) for i in range(1, 17)]
    + [("R17", "actieve deelnemer", "wethouder", "gemeente", True)]
    + [(f"R{i:02d}", "critical friend", "raadslid", "gemeente", True) for i in range(18, 28)]
    + [(f"R{i:02d}", "critical friend", "wethouder", "gemeente", True) for i in range(28, 30)]
    + [(f"R{i:02d}", "criticaster", "raadslid", "gemeente", True) for i in range(30, 42)]
    + [(f"R{i:02d}", "onbekend met het netwerk", "wethouder", "gemeente", True) for i in range(42, 52)]
)


def test_the_crosstab_row_16_lt10_0_17_no_longer_gives_its_hidden_cell_away():
    table = respondent_function_table(make_evaluation(CROSSTAB_REGISTER, []))
    assert list(table.columns) == ["Burgemeesters", "Wethouders", "Raadsleden", "Totaal"]
    assert _rows(table) == [
        ["Actieve deelnemers", "x", "<10", "x", "17"],
        ["Critical friends", "x", "<10", "x", "12"],
        ["Criticasters", "x", "0", "x", "12"],
        ["Onbekend met het netwerk", "0", "x", "0", "10"],
        ["Totaal", "16", "13", "22", "51"],
    ]


def test_a_small_group_is_withheld_with_the_next_smallest_in_every_table_by_group():
    register = (
        [(f"R{i:02d}", "actieve deelnemer", "wethouder", "gemeente", True) for i in range(1, 12)]
        + [(f"R{i:02d}", "critical friend", "wethouder", "gemeente", True) for i in range(12, 24)]
        + [(f"R{i:02d}", "criticaster", "raadslid", "gemeente", True) for i in range(24, 27)]
        + [(f"R{i:02d}", "onbekend met het netwerk", "raadslid", "gemeente", True) for i in range(27, 47)]
    )
    ev = make_evaluation(register, [])
    assert [row[-1] for row in _rows(respondent_group_table(ev))] == ["x", "12", "<10", "20", "46"]
    assert [row[-1] for row in _rows(respondent_function_table(ev))] == ["x", "12", "<10", "20", "46"]


def test_a_prose_quantifier_on_three_criticasters_is_withheld():
    # "een minderheid van de criticasters" with 3 criticasters says that 1 of them mentioned it.
    register = (
        [(f"R{i:02d}", "actieve deelnemer", "wethouder", "gemeente", True) for i in range(1, 11)]
        + [(f"R{i:02d}", "criticaster", "raadslid", "gemeente", True) for i in range(11, 14)]
    )
    segments = [("S1", "R11", "c1", ["dreiging.online"], "Berichten."), ("S2", "R01", "c1", ["dreiging.online"], "Ook.")]
    ev = make_evaluation(register, segments)
    assert respondents_phrase(ev, "dreiging.online", "criticaster") == "een niet te publiceren aantal criticasters"
    assert respondents_phrase(ev, "dreiging.online", "actieve deelnemer") == "enkele actieve deelnemers"
    assert "quantifier [1 of 3] suppressed: base 3 is below the minimum of 10" in map(str, sdc.suppressions())


# --- chapter 7 -------------------------------------------------------------------------------------------------


def test_chapter_7_prints_no_count_of_persons_below_the_threshold():
    ev = load_evaluation(DEMO_DIR)
    table = threat_coverage_table(ev)
    assert list(table.columns) == ["Noemt de vorm", "Oordeel binnen bereik", "Oordeel buiten bereik", "Per saldo"]
    assert _rows(table) == [
        ["Bedreiging en intimidatie", "25", "14", "<10", "vooral binnen bereik"],
        ["Verbale agressie", "29", "14", "<10", "vooral binnen bereik"],
        ["Ondermijning", "15", "<10", "<10", "vooral buiten bereik"],
        ["Online agressie", "33", "<10", "22", "vooral buiten bereik"],
        ["Dreiging van binnenuit", "15", "<10", "14", "vooral buiten bereik"],
        ["Sociale onveiligheid", "14", "0", "10", "vooral buiten bereik"],
        ["Verleiding tot niet-integer gedrag", "12", "<10", "<10", "–"],
        ["Fysiek geweld", "<10", "<10", "0", "–"],
    ]
    # A share of 2 or 9 judgements is withheld in the figure too: no drop for those forms of threat.
    drops = weather_drops(threat_coverage(ev))
    assert "dreiging.fysiek" not in set(drops["code"]) and "dreiging.integriteit" not in set(drops["code"])
    assert len(drops) == 6


# --- report check over the rendered book --------------------------------------------------------------------


PROJECT = """project:
  type: book
lang: nl
book:
  title: "Enquête"
  chapters:
    - index.qmd
    - tabellen.qmd
execute:
  echo: false
report:
  data:
    env: REPORT_DATA
  checks:
    - analysis.check
"""

TABLES = """# Tabellen {#sec-tabellen}

```{python}
#| label: setup
#| include: false
from analysis.common import *
```

Burgemeesters: `{python} share_text(ev, "burgemeester")`.

```{python}
#| label: tbl-respons
#| tbl-cap: "Respons naar functie"
survey_function_table(ev)
```

```{python}
#| label: tbl-agressie
#| tbl-cap: "Agressie naar functie"
aggression_share_table(ev)
```
"""

# What the code before this change printed: the counts themselves, and the share that gives them away.
LEAKING_TABLE = """
```{python}
#| label: tbl-oud
#| tbl-cap: "Respons zoals vroeger"
import pandas as pd
counts = ev.survey["function"].value_counts()
pd.DataFrame({"Respondenten": [str(counts["burgemeester"]), "20", "36", "60"],
              "Aandeel in de respons": ["6,7%", "33,3%", "60,0%", "100%"],
              "Aandeel na weging": ["1%", "2%", "3%", "100%"]},
             index=pd.Index(["Burgemeesters", "Wethouders", "Raadsleden", "Totaal"], name="Functie"))
```
"""


@pytest.fixture
def survey_book(tmp_path, monkeypatch):
    book = tmp_path / "book"
    book.mkdir()
    (book / "_quarto.yml").write_text(PROJECT, encoding="utf-8")
    (book / "index.qmd").write_text("# Start {#sec-start}\n\nZie @sec-tabellen.\n", encoding="utf-8")
    (book / "tabellen.qmd").write_text(TABLES, encoding="utf-8")
    monkeypatch.setenv("REPORT_DATA", str(_small_survey_data(tmp_path / "data")))
    return book


def test_report_check_passes_a_protected_book_and_names_the_cell_of_a_leaking_one(survey_book, capsys):
    assert main(["render", str(survey_book), "--to", "html"]) == 0
    page = (survey_book / "_book" / "tabellen.html").read_text(encoding="utf-8")
    assert "<td>&lt;10</td>" in page and "<td>x</td>" in page and "<td>4</td>" not in page
    assert "Burgemeesters: niet te publiceren (te weinig respondenten)." in page
    capsys.readouterr()
    assert main(["check", str(survey_book)]) == 0
    assert "check passed" in capsys.readouterr().out

    # The same book with a table built the old way: the check reads the rendered page and names the cells.
    (survey_book / "tabellen.qmd").write_text(TABLES + LEAKING_TABLE, encoding="utf-8")
    assert main(["render", str(survey_book), "--to", "html"]) == 0
    capsys.readouterr()
    assert main(["check", str(survey_book)]) == 1
    err = capsys.readouterr().err
    assert (f"disclosure control: 2 cell(s) of the rendered book in {survey_book / '_book'} disclose:\n"
            "  tabellen.html: Tabel 2.3: Respons zoals vroeger, row 'Burgemeesters', column 'Respondenten' ('4'): "
            "a count of persons below the disclosure threshold of 10 is shown\n"
            "  tabellen.html: Tabel 2.3: Respons zoals vroeger, row 'Wethouders', column 'Respondenten' ('20'): "
            "this count is withheld in tabellen.html, Tabel 2.1: Respons naar functie; shown here, it gives that "
            "table's withheld cells away\n") in err

    # A release audits the site it is about to package in the same way, and refuses it.
    from report.release.create import ReleaseError, RenderSettings, check_rendered

    settings = RenderSettings(version="1.0", commit="0" * 40, source_date_epoch=0, project_subdir="",
                              data_dir=Path(os.environ["REPORT_DATA"]), mark=None)
    with pytest.raises(ReleaseError) as refused:
        check_rendered(survey_book, settings, survey_book / "_book")
    message = str(refused.value)
    assert message.startswith("refusing to release: the rendered book fails a check:\n")
    assert ("row 'Burgemeesters', column 'Respondenten' ('4'): a count of persons below the disclosure threshold "
            "of 10 is shown") in message
