"""Issue 23, defect 8: data that passed validation and then crashed a cell is now refused by validation,
and a render shows the refusal as its located message, without a Python traceback.

Unreadable data: the tests run as root, for whom file permissions do not stop a read, so an
unreadable file is reproduced by what stands in its place (a folder, a symbolic link to nothing), and
the permission error itself by a read that raises it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis import DataValidationError, load_evaluation
from data_helpers import copy_demo, violations_of
from report.build import RenderOptions, render
from report.errors import ReportError


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "data")


def keep_header_only(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def set_weights(path: Path, weight_of) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows[1:]:
        row[2] = weight_of(row[1], row[2])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_survey_without_rows(data):
    keep_header_only(data / "survey.csv")
    assert violations_of(data) == ["survey.csv: the survey table holds no rows; the report needs at least one [no rows]"]


def test_register_and_segments_without_rows(data):
    keep_header_only(data / "register.csv")
    keep_header_only(data / "segments.csv")
    assert violations_of(data) == [
        "register.csv: the register table holds no rows; the report needs at least one [no rows]",
        "segments.csv: the segments table holds no rows; the report needs at least one [no rows]",
    ]


def test_all_weights_zero(data):
    set_weights(data / "survey.csv", lambda function, weight: "0")
    assert violations_of(data) == [
        "survey.csv, column 'weight': every weight is 0 (3100 responses); weighted shares need positive weights [weights]"
    ]


def test_one_function_weighted_zero(data):
    set_weights(data / "survey.csv", lambda function, weight: "0" if function == "burgemeester" else weight)
    first = next(number for number, line in enumerate((data / "survey.csv").read_text(encoding="utf-8").splitlines(), 1)
                 if ",burgemeester," in line)
    assert violations_of(data) == [
        f"survey.csv, row {first}, column 'weight': all 200 responses of function 'burgemeester' have weight 0, so its "
        "weighted share is undefined; weight the group by its size in the population [weights]"
    ]


def test_single_zero_weight_is_allowed(data):
    text = (data / "survey.csv").read_text(encoding="utf-8")
    (data / "survey.csv").write_text(text.replace("E0001,wethouder,2.071429", "E0001,wethouder,0", 1), encoding="utf-8")
    assert load_evaluation(data).survey["weight"].iloc[0] == 0


def test_data_path_is_a_file(tmp_path):
    (tmp_path / "data").write_text("not a folder\n", encoding="utf-8")
    assert violations_of(tmp_path / "data") == [
        f"{tmp_path / 'data'}: the data directory is a file, not a folder; point --data or REPORT_DATA at the folder "
        "holding the data files [not a folder]"
    ]


def test_data_path_is_a_broken_link(tmp_path):
    (tmp_path / "data").symlink_to(tmp_path / "elders")
    with pytest.raises(DataValidationError) as caught:
        load_evaluation(tmp_path / "data")  # resolved: the path that does not exist is named
    assert [str(v) for v in caught.value.violations] == [
        f"{tmp_path / 'elders'}: the data directory does not exist [missing directory]"
    ]


def test_survey_that_is_a_folder(data):
    (data / "survey.csv").unlink()
    (data / "survey.csv").mkdir()
    assert violations_of(data) == ["survey.csv: is a folder, not a file [unreadable]"]


def test_survey_that_is_a_broken_link(data, tmp_path):
    (data / "survey.csv").unlink()
    (data / "survey.csv").symlink_to(tmp_path / "weg" / "survey.csv")
    assert violations_of(data) == [f"survey.csv: is a symbolic link to '{tmp_path / 'weg' / 'survey.csv'}', which does not exist [unreadable]"]


def test_transcript_that_is_a_folder(data):
    (data / "transcripts" / "INT01.txt").unlink()
    (data / "transcripts" / "INT01.txt").mkdir()
    messages = violations_of(data)
    assert messages[-1] == "transcripts/INT01.txt: is a folder, not a file [unreadable]"
    assert messages[0].startswith("segments.csv, row 2, column 'interview': no transcript for interview 'INT01'")
    assert all("no transcript for interview 'INT01'" in message for message in messages[:-1])


def test_register_without_read_permission(data, monkeypatch):
    # As root a mode of 000 does not stop a read: the read raises what it raises for any other user.
    original = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "register.csv":
            raise PermissionError(13, "Permission denied", str(path))
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert violations_of(data) == ["register.csv: cannot be read: permission denied [unreadable]"]


# --- in a render ------------------------------------------------------------------------------------

PROJECT = "project:\n  type: book\nbook:\n  title: Klein\n  chapters:\n    - index.qmd\n    - hoofdstuk.qmd\n"
CHAPTER = "# Hoofdstuk {#sec-hoofdstuk}\n\n```{python}\n#| label: laden\nfrom analysis import load_evaluation\nev = load_evaluation()\n```\n"


def test_render_shows_the_violation_without_traceback(tmp_path, data, monkeypatch):
    keep_header_only(data / "survey.csv")
    book = tmp_path / "boek"
    book.mkdir()
    (book / "_quarto.yml").write_text(PROJECT, encoding="utf-8")
    (book / "index.qmd").write_text("# Start\n\nTekst.\n", encoding="utf-8")
    (book / "hoofdstuk.qmd").write_text(CHAPTER, encoding="utf-8")
    monkeypatch.setenv("REPORT_DATA", str(data))
    with pytest.raises(ReportError) as caught:
        render(book, RenderOptions(formats=("html",)))
    assert str(caught.value) == (
        f"hoofdstuk.qmd:3: cell 'laden' raised DataValidationError: 1 data violation in {data}:\n"
        "  - survey.csv: the survey table holds no rows; the report needs at least one [no rows]")
    assert not (book / "_book").exists()
