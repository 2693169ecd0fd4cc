"""Issue 12: every hostile or careless input gets a located error naming the likely cause.

The hostile archives are built by ``tests/fixtures/hostile_qdpx.py`` into a temporary
folder; the careless CSVs are copies of the demo set broken by the test itself.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import load_evaluation
from analysis.appendix import not_imported_note
from analysis.paths import DEMO_DIR, REPO_ROOT
from analysis.qdpx import read_qdpx
from data_helpers import copy_demo, replace_in, violations_of

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import hostile_qdpx  # noqa: E402  (a fixture builder, not a package)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    return hostile_qdpx.build(tmp_path_factory.mktemp("hostile"))


def _messages(path: Path) -> list[str]:
    return [str(v) for v in read_qdpx(path).violations]


# --- zip members -----------------------------------------------------------------------------------


def test_corrupt_deflate_member(hostile):
    assert _messages(hostile["corrupt-deflate.qdpx"]) == [
        "corrupt-deflate.qdpx: member 'Sources/a.txt' is corrupt (Error -3 while decompressing data: invalid block type); "
        "the archive is damaged, export it again [zip corrupt]"
    ]


def test_encrypted_member(hostile):
    assert _messages(hostile["encrypted.qdpx"]) == [
        "encrypted.qdpx: member 'project.qde' is encrypted; a REFI-QDA export carries no password, export the project again without one [zip encrypted]"
    ]


def test_deflate64_member(hostile):
    assert _messages(hostile["deflate64.qdpx"]) == [
        "deflate64.qdpx: member 'project.qde' is compressed with Deflate64, which cannot be unpacked; "
        "export again with ordinary Deflate compression [zip compression]"
    ]


def test_bad_crc_member(hostile):
    assert _messages(hostile["bad-crc.qdpx"]) == [
        "bad-crc.qdpx: member 'project.qde' is corrupt (its CRC-32 checksum does not match); the archive is damaged, export it again [zip corrupt]"
    ]


def test_member_needing_a_newer_zip_version(hostile):
    # found by the property test: zipfile raises NotImplementedError while opening the archive
    assert _messages(hostile["zip-version-6.4.qdpx"]) == [
        "zip-version-6.4.qdpx: uses a zip feature that cannot be read (zip file version 6.4); export it again with ordinary settings [zip]"
    ]


def test_qdpx_that_is_a_folder(tmp_path):
    data = copy_demo(tmp_path / "data")
    for name in ("segments.csv", "register.csv", "codebook.yml"):
        (data / name).unlink()
    shutil.rmtree(data / "transcripts")
    (data / "interviews.qdpx").mkdir()
    assert violations_of(data) == [
        "interviews.qdpx: is a folder, not a file; a .qdpx project is one zip archive (export it again from the QDA program) [zip]"
    ]


# --- XML declarations --------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["shift_jis", "euc-jp", "utf-32"])
def test_entity_declared_in_any_encoding_is_refused(hostile, encoding):
    assert _messages(hostile[f"entity-{encoding}.qdpx"]) == [
        f"entity-{encoding}.qdpx/project.qde, line 2: declares XML entities; refused to prevent entity expansion (a 'billion laughs' bomb) [xml entities]"
    ]


def test_external_dtd_reference_is_refused(hostile):
    assert _messages(hostile["external-dtd.qdpx"]) == [
        "external-dtd.qdpx/project.qde, line 2: refers to an external DTD; refused, nothing is fetched [xml external reference]"
    ]


def test_unknown_declared_encoding_is_refused(tmp_path):
    text = hostile_qdpx.project_xml(encoding="x-klingon").encode("ascii")
    path = tmp_path / "klingon.qdpx"
    path.write_bytes(hostile_qdpx.archive({"project.qde": text}))
    assert _messages(path) == [
        "klingon.qdpx/project.qde, line 1: declares the encoding 'x-klingon', which is not known; save it as UTF-8 [xml encoding]"
    ]


# --- GUIDs and the schema ------------------------------------------------------------------------------


def test_duplicate_code_guid_names_both_codes(hostile):
    guid = hostile_qdpx.guid("C1")
    assert _messages(hostile["duplicate-code-guid.qdpx"]) == [
        f"duplicate-code-guid.qdpx/project.qde, line 5: guid '{guid}' of Code 'dekking' is already the guid of Code 'dreiging' (line 4); "
        "every GUID must be unique [unique guid]"
    ]


def test_duplicate_source_guid_names_both_sources(hostile):
    guid = hostile_qdpx.guid("S1")
    project = read_qdpx(hostile["duplicate-source-guid.qdpx"])
    assert project.refused and project.segments is None
    assert [str(v) for v in project.violations] == [
        f"duplicate-source-guid.qdpx/project.qde, line 8: guid '{guid}' of TextSource 'INT02' is already the guid of TextSource 'INT01' (line 7); "
        "every GUID must be unique [unique guid]"
    ]


def test_malformed_guid(hostile):
    assert _messages(hostile["malformed-guid.qdpx"]) == [
        "malformed-guid.qdpx/project.qde, line 4: Code attribute guid='c001' is not a GUID "
        "(REFI-QDA GUIDs are 8-4-4-4-12 hexadecimal digits, optionally in braces) [guid]"
    ]


def test_schema_violations_are_reported_all_at_once_with_lines(hostile):
    assert _messages(hostile["schema-violations.qdpx"]) == [
        "schema-violations.qdpx/project.qde, line 4: Element 'Code': The attribute 'name' is required but missing (REFI-QDA Project.xsd) [schema]",
        "schema-violations.qdpx/project.qde, line 5: Element 'Code', attribute 'isCodable': 'soms' is not a valid value of the atomic type 'xs:boolean' (REFI-QDA Project.xsd) [schema]",
        "schema-violations.qdpx/project.qde, line 6: Element 'Kleur': This element is not expected. Expected is ( Code ) (REFI-QDA Project.xsd) [schema]",
    ]


def test_the_shipped_demo_project_passes_the_schema():
    project = read_qdpx(DEMO_DIR / "refi-qda" / "nwb-demo.qdpx")
    assert project.violations == [] and not project.refused


# --- PDF, picture, audio and video sources --------------------------------------------------------------------


def test_pdf_codings_are_read_through_the_representation(hostile):
    project = read_qdpx(hostile["pdf-and-media.qdpx"])
    assert project.violations == []
    assert project.segments.frame[["interview", "respondent", "code", "start", "end", "text"]].values.tolist() == [
        ["INT01.pdf", "R01", "dreiging", "3", "13", "bedreigden"],
        ["INT01.pdf", "R01", "dekking", "3", "13", "bedreigden"],
    ]
    assert project.transcripts == {"INT01.pdf": "Ze bedreigden mij online."}


def test_codings_without_text_are_reported_not_dropped(hostile):
    assert [str(item) for item in read_qdpx(hostile["pdf-and-media.qdpx"]).not_imported] == [
        "not imported: PDF source 'INT01.pdf', 1 coding",
        "not imported: picture source 'foto.jpg', 2 codings",
        "not imported: audio source 'gesprek.mp3', 1 coding",
        "not imported: video source 'raad.mp4', 3 codings",
    ]


def _qda_data(tmp_path: Path, archive: Path) -> Path:
    """A data folder whose interviews come from ``archive`` and whose survey is the demo's."""
    data = tmp_path / "qda"
    data.mkdir()
    shutil.copyfile(archive, data / "interviews.qdpx")
    shutil.copyfile(DEMO_DIR / "survey.csv", data / "survey.csv")
    (data / "DEMO").write_text("synthetic\n")
    return data


def test_codings_without_text_are_counted_in_the_data_appendix(hostile, tmp_path):
    ev = load_evaluation(_qda_data(tmp_path, hostile["pdf-and-media.qdpx"]))
    assert not_imported_note(ev) == (
        "Uit het QDA-project zijn 7 coderingen niet ingelezen, omdat ze niet op een tekstfragment liggen:\n\n"
        "- pdf\\-bron 'INT01\\.pdf': 1 codering\n"  # names from the data are escaped (analysis.markdown)
        "- beeldbron 'foto\\.jpg': 2 coderingen\n"
        "- geluidsbron 'gesprek\\.mp3': 1 codering\n"
        "- videobron 'raad\\.mp4': 3 coderingen\n"
    )


def test_codings_without_text_are_listed_by_report_check(hostile, tmp_path):
    data = _qda_data(tmp_path, hostile["pdf-and-media.qdpx"])
    result = subprocess.run(
        [sys.executable, "-m", "analysis.check"], cwd=REPO_ROOT, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "REPORT_DATA": str(data)}, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "not imported" in line] == [
        "interviews.qdpx: not imported: PDF source 'INT01.pdf', 1 coding",
        "interviews.qdpx: not imported: picture source 'foto.jpg', 2 codings",
        "interviews.qdpx: not imported: audio source 'gesprek.mp3', 1 coding",
        "interviews.qdpx: not imported: video source 'raad.mp4', 3 codings",
    ]


# --- careless CSV files (issue 12, item 6) ----------------------------------------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "data")


def test_semicolon_delimiter_is_named(data):
    path = data / "register.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    assert violations_of(data) == [
        "register.csv, row 1: the header is one column 'respondent;group;function;tier;consent_quote;name;place': the file is separated by semicolons (';'), "
        "not commas; save it as comma-separated CSV (Excel: 'CSV UTF-8 (comma delimited)') [delimiter]"
    ]


def test_tab_delimiter_is_named(data):
    path = data / "register.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", "\t"), encoding="utf-8")
    assert violations_of(data) == [
        "register.csv, row 1: the header is one column 'respondent\tgroup\tfunction\ttier\tconsent_quote\tname\tplace': the file is separated by tabs ('\t'), "
        "not commas; save it as comma-separated CSV (Excel: 'CSV UTF-8 (comma delimited)') [delimiter]"
    ]


def test_windows_1252_names_row_column_and_encoding(data):
    path = data / "segments.csv"
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b",798,Er is", b",798,Caf\xe9 Er is", 1)  # row 5 as Windows-1252 writes 'Café'
    path.write_bytes(b"\n".join(lines))
    assert violations_of(data) == [
        "segments.csv, row 5, column 'text': byte 0xE9 is not valid UTF-8; it looks like Windows-1252 (the default of Excel's plain 'CSV' export); "
        "save it as UTF-8 (Excel: 'CSV UTF-8') [encoding]"
    ]


@pytest.mark.parametrize("weight", ["inf", "nan", "-Infinity", "1e400"])
def test_non_finite_survey_weight_is_refused(data, weight):
    replace_in(data / "survey.csv", "E0002,wethouder,2.071429,", f"E0002,wethouder,{weight},")
    assert violations_of(data) == [
        f"survey.csv, row 3, column 'weight': '{weight}' is not a finite number (infinity and NaN are refused) [type]"
    ]


def test_missing_parent_of_a_top_level_code(data):
    replace_in(data / "codebook.yml", "codes:\n", "codes:\n- code: spook.kind\n  name: Spook\n  description: Zonder ouder.\n")
    assert violations_of(data) == [
        "codebook.yml, line 6, column 'code': code 'spook.kind' lies under 'spook', which is not a code in the codebook [referential integrity]"
    ]


def test_missing_parent_deeper_down(data):
    replace_in(
        data / "codebook.yml",
        "  - code: dreiging.verbaal\n",
        "  - code: dreiging.spook.kind\n    name: Spook\n    description: Zonder ouder.\n  - code: dreiging.verbaal\n",
    )
    assert violations_of(data) == [
        "codebook.yml, line 10, column 'code': code 'dreiging.spook.kind' lies under 'dreiging.spook', which is not a code in the codebook [referential integrity]"
    ]


def test_integer_of_two_to_the_63_is_not_printed_negative(data):
    replace_in(data / "segments.csv", "S0001,R01,INT01,bekendheid.onbekend,codeur-1,166,", "S0001,R01,INT01,bekendheid.onbekend,codeur-1,9223372036854775808,")
    assert violations_of(data) == [
        "segments.csv, row 2, column 'start': '9223372036854775808' is out of range for a whole number "
        "(-9223372036854775808 to 9223372036854775807) [type]"
    ]


def test_five_thousand_digit_offset_is_not_called_missing(data):
    replace_in(data / "segments.csv", "S0001,R01,INT01,bekendheid.onbekend,codeur-1,166,320,", f"S0001,R01,INT01,bekendheid.onbekend,codeur-1,166,{'9' * 5000},")
    assert violations_of(data) == [
        "segments.csv, row 2, column 'end': '99999999999999999999999999999…' (5000 digits) is out of range for a whole number "
        "(-9223372036854775808 to 9223372036854775807) [type]"
    ]
