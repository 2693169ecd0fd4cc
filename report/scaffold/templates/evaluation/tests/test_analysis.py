"""The analysis stages on the demo data, and the validation rules on bad rows."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from analysis import measures
from analysis.load import load_rows
from analysis.paths import DEMO_DIR
from analysis.validate import DataError, validate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from generate_demo_data import generate  # noqa: E402


def test_the_demo_data_is_what_its_generator_writes(tmp_path):
    generated = generate(tmp_path)
    assert generated.read_bytes() == (DEMO_DIR / "respondenten.csv").read_bytes()


def test_the_demo_data_passes_validation_and_every_respondent_is_counted_once():
    respondents = validate(load_rows(DEMO_DIR))
    regions = measures.by_region(respondents)
    assert sum(count for count, _score in regions.values()) == len(respondents) == len(load_rows(DEMO_DIR))
    assert all(1 <= score <= 10 for _count, score in regions.values())


@pytest.mark.parametrize(("row", "message"), [
    ({"respondent": "R1", "regio": "", "tevredenheid": "5"},
     "respondenten.csv:2: column 'regio' is empty (rule: every column is filled)"),
    ({"respondent": "R1", "regio": "Noord", "tevredenheid": "11"},
     "respondenten.csv:2: tevredenheid '11' is not a whole number from 1 to 10 (rule: tevredenheid 1-10)"),
])
def test_a_bad_row_is_refused_naming_file_line_and_rule(row, message):
    with pytest.raises(DataError) as raised:
        validate([{**row, "_line": "2"}])
    assert str(raised.value) == message


def test_a_respondent_counted_twice_is_refused():
    rows = [{"respondent": "R1", "regio": "Noord", "tevredenheid": "5", "_line": str(line)} for line in (2, 3)]
    with pytest.raises(DataError, match="respondenten.csv:3: respondent 'R1' occurs twice"):
        validate(rows)
