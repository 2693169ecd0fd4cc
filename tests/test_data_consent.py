"""Consent follows the source, pseudonyms are whole ASCII matches, and no publishable quote names a person.

The projects model group interviews: a consenting R41 whose Case also references
the interviews of R07, R10 and R39, who did not consent.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import load_evaluation
from analysis.measures import quotes
from analysis.markdown import markdown_text
from analysis.method import quote_blocks
from analysis.paths import REPO_ROOT
from analysis.qdpx import read_qdpx
from consent_projects import Case, data_folder, project
from data_helpers import copy_demo, replace_in, violations_of

WORDS = {
    "INT07": "Ze stonden met fakkels voor mijn deur in de Dorpsstraat.",
    "INT10": "Mijn dochter werd op school aangesproken over mijn besluit.",
    "INT39": "Ik heb de politie gebeld toen de brief met kogels kwam.",
    "INT41": "Het netwerk belde mij binnen een dag terug na de melding.",
}
SILENT = ("INT07", "INT10", "INT39")  # the words of respondents who did not consent


def _group_cases(r41_first: bool = False) -> list[Case]:
    """R07, R10 and R39 did not consent; R41 did and took part in all three of their interviews."""
    others = [Case(f"R{number}", "false", (f"INT{number}",), function="raadslid") for number in ("07", "10", "39")]
    r41 = Case("R41", "true", ("INT41", *SILENT))
    return [r41, *others] if r41_first else [*others, r41]


@pytest.mark.parametrize("r41_first", [False, True], ids=["r41-last", "r41-first"])
def test_no_quote_of_a_respondent_who_did_not_consent(tmp_path, r41_first):
    ev = load_evaluation(data_folder(tmp_path / "data", project(_group_cases(r41_first), WORDS)))
    assert ev.participants == {"INT07": ("R07", "R41"), "INT10": ("R10", "R41"), "INT39": ("R39", "R41"), "INT41": ("R41",)}
    chosen = quotes(ev, "dreiging", n=10)
    assert chosen.to_dict("records") == [{"quote": WORDS["INT41"], "attribution": "wethouder, R41"}]
    blocks = quote_blocks(ev, "dreiging", n=10)
    # Quotes reach Markdown escaped (analysis.markdown), so look for them in that form.
    assert markdown_text(WORDS["INT41"]) in blocks
    assert not [interview for interview in SILENT if markdown_text(WORDS[interview]) in blocks]


def test_a_group_interview_source_keeps_every_case_that_references_it(tmp_path):
    path = tmp_path / "groep.qdpx"
    path.write_bytes(project(_group_cases(), WORDS))
    read = read_qdpx(path)
    assert read.violations == []
    assert read.participants == {"INT07": ("R07", "R41"), "INT10": ("R10", "R41"), "INT39": ("R39", "R41"), "INT41": ("R41",)}
    # the codings count for the first Case that references the source, not for the last
    segments = read.segments.frame.set_index("interview")["respondent"].to_dict()
    assert segments == {"INT07": "R07", "INT10": "R10", "INT39": "R39", "INT41": "R41"}


def test_a_group_interview_is_quoted_only_with_everyone_consenting_and_attributed_to_all(tmp_path):
    cases = [Case("R07", "true", ("INT07",), function="raadslid"), Case("R41", "true", ("INT41", "INT07"))]
    ev = load_evaluation(data_folder(tmp_path / "data", project(cases, {k: WORDS[k] for k in ("INT07", "INT41")})))
    chosen = quotes(ev, "dreiging", n=10).sort_values("quote").to_dict("records")
    assert chosen == [
        {"quote": WORDS["INT41"], "attribution": "wethouder, R41"},
        {"quote": WORDS["INT07"], "attribution": "groepsgesprek: raadslid, R07; wethouder, R41"},
    ]


def test_a_group_interview_counts_for_a_group_only_when_all_its_respondents_are_in_it(tmp_path):
    cases = [
        Case("R07", "true", ("INT07",), function="raadslid", group="criticaster"),
        Case("R41", "true", ("INT41", "INT07"), group="criticaster"),
        Case("R10", "true", ("INT10", "INT41"), function="burgemeester", group="actieve deelnemer"),
    ]
    ev = load_evaluation(data_folder(tmp_path / "data", project(cases, {k: WORDS[k] for k in ("INT07", "INT10", "INT41")})))
    assert list(quotes(ev, "dreiging", n=10, group="criticaster")["quote"]) == [WORDS["INT07"]]


def test_a_case_without_consent_is_an_error(tmp_path):
    cases = [Case("R07", "", ("INT07",)), Case("R41", "true", ("INT41", "INT07"))]
    problems = violations_of(data_folder(tmp_path / "data", project(cases, {k: WORDS[k] for k in ("INT07", "INT41")})))
    assert problems == ["interviews.qdpx/project.qde, line 7, column 'consent_quote': value is missing [required]"]


def test_a_case_giving_its_consent_twice_is_an_error_naming_the_case(tmp_path):
    cases = [Case("R07", "false,true", ("INT07",)), Case("R41", "true", ("INT41",))]
    problems = violations_of(data_folder(tmp_path / "data", project(cases, {k: WORDS[k] for k in ("INT07", "INT41")})))
    assert problems == [
        "interviews.qdpx/project.qde, line 7, column 'consent_quote': Case 'R07' gives variable 'consent_quote' more than once "
        "('false', then 'true'); a Case holds one value per variable [duplicate value]"
    ]


def test_the_same_consent_given_twice_is_an_error_too(tmp_path):
    cases = [Case("R07", "true,true", ("INT07",))]
    problems = violations_of(data_folder(tmp_path / "data", project(cases, {"INT07": WORDS["INT07"]})))
    assert problems == [
        "interviews.qdpx/project.qde, line 7, column 'consent_quote': Case 'R07' gives variable 'consent_quote' more than once "
        "('true', then 'true'); a Case holds one value per variable [duplicate value]"
    ]


# --- pseudonyms ------------------------------------------------------------------------------------


@pytest.fixture
def data(tmp_path) -> Path:
    return copy_demo(tmp_path / "data")


@pytest.mark.parametrize(
    "pseudonym, shown",
    [('"R03\n"', "R03\\n"), ("R٠٣", "R٠٣"), ("R0３", "R0３"), (" R03", " R03")],
    ids=["final-newline", "arabic-indic-digits", "fullwidth-digit", "leading-space"],
)
def test_a_pseudonym_is_the_whole_value_in_ascii_digits(data, pseudonym, shown):
    replace_in(data / "register.csv", "R03,critical friend,", f"{pseudonym},critical friend,")
    assert (
        f"register.csv, row 4, column 'respondent': '{shown}' does not match the pattern R[0-9]{{2,}} (the whole value must match) [pattern]"
        in violations_of(data)
    )


def test_a_pseudonym_with_a_final_newline_in_a_case_name_is_refused(tmp_path):
    cases = [Case("R07\n", "true", ("INT07",))]
    problems = violations_of(data_folder(tmp_path / "data", project(cases, {"INT07": WORDS["INT07"]})))
    assert "interviews.qdpx/project.qde, line 7, column 'respondent': 'R07\\n' does not match the pattern R[0-9]{2,} (the whole value must match) [pattern]" in problems


# --- names and places ------------------------------------------------------------------------------

DISCLOSING = {
    "INT07": "Jan de Vries, burgemeester van Urk, kreeg dezelfde brief.",
    "INT10": "De Urkers weten het: j. de  vries kreeg die brief ook.",  # 'Urkers' is not 'Urk'; case and spacing differ
    "INT41": "Het netwerk belde mij binnen een dag terug na de melding.",
}


def _named_cases(consent_r07: str = "true") -> list[Case]:
    return [
        Case("R07", consent_r07, ("INT07",), function="raadslid", identifying={"name": "Piet Bakker", "place": "Emmeloord"}),
        Case("R10", "true", ("INT10",), function="burgemeester"),
        Case("R41", "true", ("INT41",), identifying={"name": "Jan de Vries; J. de Vries", "place": "Urk"}),
    ]


def test_a_publishable_quote_naming_a_person_or_place_of_the_register_is_an_error(tmp_path):
    problems = violations_of(data_folder(tmp_path / "data", project(_named_cases(), DISCLOSING)))
    assert problems == [
        "interviews.qdpx/project.qde, line 12, column 'text': segment 'SEG-INT07' of R07 (interview 'INT07') would publish "
        "'Jan de Vries', the name of R41 in the register; redact it in the transcript or withhold the quote [identifying value]",
        "interviews.qdpx/project.qde, line 12, column 'text': segment 'SEG-INT07' of R07 (interview 'INT07') would publish "
        "'Urk', the place of R41 in the register; redact it in the transcript or withhold the quote [identifying value]",
        "interviews.qdpx/project.qde, line 13, column 'text': segment 'SEG-INT10' of R10 (interview 'INT10') would publish "
        "'j. de  vries', the name of R41 in the register; redact it in the transcript or withhold the quote [identifying value]",
    ]


def test_a_quote_that_is_never_published_is_not_scanned_and_names_never_reach_the_chapters(tmp_path):
    cases = [case for case in _named_cases(consent_r07="false") if case.respondent != "R10"]
    ev = load_evaluation(data_folder(tmp_path / "data", project(cases, {k: DISCLOSING[k] for k in ("INT07", "INT41")})))
    assert list(quotes(ev, "dreiging", n=10)["quote"]) == [DISCLOSING["INT41"]]
    assert list(ev.register.columns) == ["respondent", "group", "function", "tier", "consent_quote"]


def test_a_place_in_a_register_csv_is_matched_as_a_whole_word_ignoring_case(data):
    with (data / "register.csv").open(encoding="utf-8", newline="") as handle:
        register = list(csv.DictReader(handle))
    consenting = {person["respondent"] for person in register if person["consent_quote"] == "true"}
    with (data / "segments.csv").open(encoding="utf-8", newline="") as handle:
        row, first = next((n, s) for n, s in enumerate(csv.DictReader(handle), start=2) if s["respondent"] in consenting)
    word = max(re.findall(r"\w+", first["text"]), key=len)
    for person in register:
        person["name"] = "Jan de Vries" if person["respondent"] == "R01" else ""
        person["place"] = word.upper() if person["respondent"] == "R02" else ""
    with (data / "register.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(register[0]))
        writer.writeheader()
        writer.writerows(register)
    problems = violations_of(data)
    assert [p for p in problems if p.startswith(f"segments.csv, row {row}, ")] == [
        f"segments.csv, row {row}, column 'text': segment '{first['segment']}' of {first['respondent']} (interview '{first['interview']}') "
        f"would publish '{word}', the place of R02 in the register; redact it in the transcript or withhold the quote [identifying value]"
    ]
    assert all(p.endswith(f"would publish '{word}', the place of R02 in the register; redact it in the transcript or withhold the quote [identifying value]")
               or f"'{word.capitalize()}'" in p for p in problems)


def test_the_check_fails_naming_respondent_source_and_value_and_a_draft_does_not_relax_it(tmp_path):
    folder = data_folder(tmp_path / "data", project(_named_cases(), DISCLOSING))
    env = {**os.environ, "REPORT_DATA": str(folder), "REPORT_DRAFT": "1", "REPORT_SDC_MIN_BASE": "10", "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run([sys.executable, "-m", "analysis.check"], cwd=REPO_ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert (
        "  - interviews.qdpx/project.qde, line 12, column 'text': segment 'SEG-INT07' of R07 (interview 'INT07') would publish "
        "'Jan de Vries', the name of R41 in the register; redact it in the transcript or withhold the quote [identifying value]"
    ) in done.stderr.splitlines()


def test_the_demo_project_carries_the_registers_names_as_case_variables():
    import pandas as pd

    from analysis.paths import DEMO_DIR

    register = pd.read_csv(DEMO_DIR / "register.csv", dtype=str, keep_default_na=False)
    read = read_qdpx(DEMO_DIR / "refi-qda" / "nwb-demo.qdpx").register.frame
    assert list(read.columns) == list(register.columns) == ["respondent", "group", "function", "tier", "consent_quote", "name", "place"]
    assert read[["respondent", "name", "place"]].values.tolist() == register[["respondent", "name", "place"]].values.tolist()
