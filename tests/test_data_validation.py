"""Each kind of bad input gets its own message, naming file, row, column and rule.

Every fixture is a copy of the demo set broken in one place by the test itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import DataValidationError, load_evaluation
from data_helpers import copy_demo, replace_in, violations_of


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "data")


# --- register ----------------------------------------------------------------------------------------


def test_unknown_category_names_row_column_and_allowed_values(data):
    replace_in(data / "register.csv", "R02,criticaster,", "R02,criticus,")
    assert violations_of(data) == [
        "register.csv, row 3, column 'group': 'criticus' is not an allowed value; "
        "allowed: actieve deelnemer, critical friend, criticaster, onbekend met het netwerk [category]"
    ]


def test_category_typo_gets_a_suggestion(data):
    replace_in(data / "register.csv", "R04,criticaster,burgemeester,", "R04,criticaster,burgemeestr,")
    assert violations_of(data) == [
        "register.csv, row 5, column 'function': 'burgemeestr' is not an allowed value (did you mean 'burgemeester'?); "
        "allowed: burgemeester, wethouder, raadslid, griffier, gemeentesecretaris, ambtenaar, partnerorganisatie [category]"
    ]


def test_duplicate_key_points_at_first_occurrence(data):
    replace_in(data / "register.csv", "R05,critical friend,", "R03,critical friend,")
    problems = violations_of(data)
    assert "register.csv, row 6, column 'respondent': duplicate key respondent='R03'; first seen in row 4 [unique key]" in problems
    # R05's segments now point at a respondent that no longer exists
    assert any(p.endswith("respondent 'R05' is not in the register [referential integrity]") for p in problems)


def test_bad_boolean(data):
    replace_in(data / "register.csv", "R01,onbekend met het netwerk,wethouder,gemeente,true", "R01,onbekend met het netwerk,wethouder,gemeente,misschien")
    assert violations_of(data) == [
        "register.csv, row 2, column 'consent_quote': 'misschien' is not a boolean (use true or false) [type]"
    ]


def test_misspelt_column_is_reported_as_unknown_and_missing(data):
    replace_in(data / "register.csv", "respondent,group,function,tier,consent_quote", "respondent,group,functie,tier,consent_quote")
    problems = violations_of(data)
    assert problems == [
        "register.csv, column 'functie': column 'functie' is not part of the register table (did you mean 'function'?) [unknown column]",
        "register.csv, column 'function': required column 'function' is missing [missing column]",
    ]


def test_pattern_of_respondent_id(data):
    replace_in(data / "register.csv", "R03,critical friend,", "respondent3,critical friend,")
    problems = violations_of(data)
    assert "register.csv, row 4, column 'respondent': 'respondent3' does not match the pattern R[0-9]{2,} (the whole value must match) [pattern]" in problems


def test_missing_value(data):
    replace_in(data / "register.csv", "R03,critical friend,ambtenaar,provincie,", "R03,critical friend,ambtenaar,,")
    assert violations_of(data) == ["register.csv, row 4, column 'tier': value is missing [required]"]


# --- segments ----------------------------------------------------------------------------------------


def test_code_not_in_codebook_with_suggestion(data):
    replace_in(data / "segments.csv", "S0001,R01,INT01,bekendheid.onbekend,", "S0001,R01,INT01,bekendheid.onbekent,")
    assert violations_of(data) == [
        "segments.csv, row 2, column 'code': code 'bekendheid.onbekent' is not in the codebook "
        "(did you mean 'bekendheid.onbekend'?) [referential integrity]"
    ]


def test_respondent_not_in_register(data):
    replace_in(data / "register.csv", "R01,onbekend met het netwerk,wethouder,gemeente,true,Ivo Mulder,Deventer\n", "")
    problems = violations_of(data)
    assert problems[0] == "segments.csv, row 2, column 'respondent': respondent 'R01' is not in the register [referential integrity]"
    assert all(p.endswith("respondent 'R01' is not in the register [referential integrity]") for p in problems)


def test_offsets_beyond_the_transcript(data):
    text = (data / "transcripts" / "INT01.txt").read_text(encoding="utf-8")
    (data / "transcripts" / "INT01.txt").write_text(text[:250], encoding="utf-8")
    problems = violations_of(data)
    assert problems[0] == "segments.csv, row 2, column 'end': end 320 lies beyond the transcript of 'INT01' (250 code points) [offsets]"


def test_end_before_start(data):
    replace_in(data / "segments.csv", "codeur-1,166,320,", "codeur-1,320,166,")
    assert violations_of(data) == ["segments.csv, row 2, column 'end': end 166 is not after start 320 [offsets]"]


def test_text_that_does_not_match_the_transcript(data):
    replace_in(data / "segments.csv", "codeur-1,166,320,", "codeur-1,167,321,")
    assert violations_of(data) == [
        "segments.csv, row 2, column 'text': text does not match transcript 'INT01' at 167-321, "
        "which reads 'an een landelijk netwerk had ik geen id…' [offsets]"
    ]


def test_offset_that_is_not_a_number(data):
    replace_in(data / "segments.csv", "codeur-1,166,320,", "codeur-1,l66,320,")
    assert violations_of(data) == ["segments.csv, row 2, column 'start': 'l66' is not a whole number [type]"]


def test_missing_transcript(data):
    (data / "transcripts" / "INT02.txt").unlink()
    problems = violations_of(data)
    assert problems[0].endswith(
        "column 'interview': no transcript for interview 'INT02' (expected transcripts/INT02.txt) [referential integrity]"
    )


def test_segment_rows_must_agree(data):
    lines = (data / "segments.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[2].startswith("S0002,") and lines[3].startswith("S0002,")
    lines[3] = lines[3].replace(",codeur-1,", ",codeur-2,")
    (data / "segments.csv").write_text("".join(lines), encoding="utf-8")
    assert violations_of(data) == [
        "segments.csv, row 4, column 'coder': segment 'S0002' differs from its first row (row 3) in coder [segment consistency]"
    ]


# --- codebook ----------------------------------------------------------------------------------------


def test_codebook_typo_in_key_names_the_line(data):
    replace_in(data / "codebook.yml", "  description: Vormen van intimidatie", "  descripton: Vormen van intimidatie")
    problems = violations_of(data)
    assert problems == [
        "codebook.yml, line 6, column 'description': value is missing [required]",
        "codebook.yml, line 8: key 'descripton' is not allowed in a code (did you mean 'description'?); "
        "allowed: code, name, description, children [unknown key]",
    ]


def test_codebook_child_must_extend_its_parent(data):
    replace_in(data / "codebook.yml", "  - code: dreiging.verbaal\n", "  - code: verbaal\n")
    problems = violations_of(data)
    assert problems[0] == "codebook.yml, line 10, column 'code': code 'verbaal' does not start with its parent's id 'dreiging.' [hierarchy]"
    assert any("code 'dreiging.verbaal' is not in the codebook" in p for p in problems)


def test_codebook_key_given_twice(data):
    replace_in(data / "codebook.yml", "  name: Dreiging\n", "  name: Dreiging\n  name: Bedreiging\n")
    assert violations_of(data) == ["codebook.yml, line 8: key 'name' appears twice in one code [duplicate key]"]


def test_codebook_version_must_be_known(data):
    replace_in(data / "codebook.yml", "version: 1\n", "version: 2\n")
    assert violations_of(data) == ["codebook.yml, line 4: codebook version '2' is not supported; use version: 1 [version]"]


def test_codebook_that_is_not_yaml(data):
    (data / "codebook.yml").write_text("codes: [unclosed\n", encoding="utf-8")
    problems = violations_of(data)
    assert problems[0].startswith("codebook.yml, line 2: cannot be read as YAML:")
    assert problems[0].endswith("[yaml]")


# --- survey ------------------------------------------------------------------------------------------


def _survey_lines(data: Path) -> list[str]:
    return (data / "survey.csv").read_text(encoding="utf-8").splitlines(keepends=True)


def _write_survey(data: Path, lines: list[str]) -> None:
    (data / "survey.csv").write_text("".join(lines), encoding="utf-8")


def test_answer_outside_value_labels(data):
    lines = _survey_lines(data)
    assert lines[1].startswith("E0001,wethouder,2.071429,1,1,1,1,0,0,0,")
    lines[1] = lines[1].replace("E0001,wethouder,2.071429,1,1,1,1,0,", "E0001,wethouder,2.071429,1,1,1,1,2,", 1)
    _write_survey(data, lines)
    assert violations_of(data) == [
        "survey.csv, row 2, column 'fysiek': value 2 has no value label (labels: 0=nee, 1=ja) [value labels]"
    ]


def test_routing_of_follow_up_questions(data):
    lines = _survey_lines(data)
    assert lines[2].startswith("E0002,wethouder,2.071429,0,0,0,0,0,,,")
    lines[2] = lines[2].replace("E0002,wethouder,2.071429,0,0,0,0,0,,,", "E0002,wethouder,2.071429,0,0,0,0,0,1,,", 1)
    lines[1] = lines[1].replace("E0001,wethouder,2.071429,1,1,1,1,0,0,0,", "E0001,wethouder,2.071429,1,1,1,1,0,,0,", 1)
    _write_survey(data, lines)
    assert violations_of(data) == [
        "survey.csv, row 2, column 'aangifte': missing although agressie is 1 [routing]",
        "survey.csv, row 3, column 'aangifte': answered although agressie is 0 (asked only if agressie is 1) [routing]",
    ]


def test_type_of_aggression_implies_aggression(data):
    lines = _survey_lines(data)
    lines[2] = lines[2].replace("E0002,wethouder,2.071429,0,0,0,0,0,", "E0002,wethouder,2.071429,0,0,0,1,0,", 1)
    _write_survey(data, lines)
    assert violations_of(data) == ["survey.csv, row 3, column 'bedreiging': bedreiging is 1 but agressie is 0 [consistency]"]


def test_decimal_comma_in_weight(data):
    lines = _survey_lines(data)
    lines[1] = lines[1].replace("2.071429", '"2,071429"', 1)
    _write_survey(data, lines)
    assert violations_of(data) == ["survey.csv, row 2, column 'weight': '2,071429' is not a number (use a decimal point, not a comma) [type]"]


# --- files and the error as a whole -------------------------------------------------------------------


def test_missing_file(data):
    (data / "register.csv").unlink()
    problems = violations_of(data)
    assert problems[0] == f"register.csv: no respondent register found in {data} [missing file]"


def test_two_sources_for_one_table(data):
    (data / "survey.sav").write_bytes(b"")
    assert violations_of(data) == ["survey.csv, survey.sav: both survey.csv and survey.sav; keep one [ambiguous source]"]


def test_missing_directory(tmp_path):
    with pytest.raises(DataValidationError, match="the data directory does not exist"):
        load_evaluation(tmp_path / "nowhere")


def test_all_violations_in_all_files_come_together(data):
    replace_in(data / "register.csv", "R02,criticaster,", "R02,criticus,")
    replace_in(data / "segments.csv", "S0001,R01,INT01,bekendheid.onbekend,", "S0001,R01,INT01,bekendheid.x,")
    lines = _survey_lines(data)
    lines[1] = lines[1].replace("2.071429", "zwaar", 1)
    _write_survey(data, lines)
    with pytest.raises(DataValidationError) as caught:
        load_evaluation(data)
    error = caught.value
    assert [v.file for v in error.violations] == ["register.csv", "segments.csv", "survey.csv"]
    assert [v.rule for v in error.violations] == ["category", "referential integrity", "type"]
    message = str(error)
    assert message.splitlines()[0] == f"3 data violations in {data}:"
    assert message.splitlines()[3] == "  - survey.csv, row 2, column 'weight': 'zwaar' is not a number [type]"


def test_the_error_is_a_value_error_not_a_key_error(data):
    replace_in(data / "segments.csv", "segment,respondent,", "segmnt,respondent,")
    with pytest.raises(DataValidationError) as caught:
        load_evaluation(data)
    assert isinstance(caught.value, ValueError) and not isinstance(caught.value, KeyError)
    assert "segments.csv, column 'segment': required column 'segment' is missing [missing column]" in str(caught.value)
