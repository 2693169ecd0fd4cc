"""REFI-QDA import: round trip, the deviations of real exports, and hostile archives."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import analysis.qdpx as qdpx
from analysis import load_evaluation
from analysis.paths import DEMO_DIR
from analysis.qdpx import read_qdpx, write_qdc, write_qdpx
from data_helpers import copy_demo, violations_of


@pytest.fixture(scope="module")
def demo():
    return load_evaluation(DEMO_DIR)


def _project_dir(tmp_path: Path, archive: bytes, name: str = "interviews.qdpx") -> Path:
    folder = tmp_path / "qda"
    folder.mkdir()
    (folder / name).write_bytes(archive)
    shutil.copyfile(DEMO_DIR / "survey.csv", folder / "survey.csv")
    return folder


def _sorted(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    return frame.sort_values(key).reset_index(drop=True)


def test_written_project_round_trips_into_the_same_tables(demo, tmp_path):
    archive = write_qdpx(demo.codebook, demo.register, demo.segments, demo.transcripts)
    ev = load_evaluation(_project_dir(tmp_path, archive))
    assert ev.sources["project"] == "interviews.qdpx"
    pd.testing.assert_frame_equal(_sorted(ev.segments, ["segment", "code"]), _sorted(demo.segments, ["segment", "code"]))
    pd.testing.assert_frame_equal(_sorted(ev.register, ["respondent"]), _sorted(demo.register, ["respondent"]))
    assert dict(ev.transcripts) == dict(demo.transcripts)
    # REFI-QDA has no separate display name; ids, hierarchy and descriptions survive
    columns = ["code", "parent", "level", "description"]
    pd.testing.assert_frame_equal(_sorted(ev.codebook[columns], ["code"]), _sorted(demo.codebook[columns], ["code"]))


def test_shipped_demo_project_matches_the_csv_files(demo, tmp_path):
    ev = load_evaluation(_project_dir(tmp_path, (DEMO_DIR / "refi-qda" / "nwb-demo.qdpx").read_bytes()))
    pd.testing.assert_frame_equal(_sorted(ev.segments, ["segment", "code"]), _sorted(demo.segments, ["segment", "code"]))


def test_writer_is_deterministic(demo):
    first = write_qdpx(demo.codebook, demo.register, demo.segments, demo.transcripts)
    second = write_qdpx(demo.codebook, demo.register, demo.segments, demo.transcripts)
    assert first == second


def test_inner_file_and_sources_folder_may_be_named_differently(demo, tmp_path):
    archive = write_qdpx(demo.codebook, demo.register, demo.segments, demo.transcripts, project_file="Export NWB.qde", sources_dir="sources")
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert names[0] == "Export NWB.qde" and names[1].startswith("sources/")
    ev = load_evaluation(_project_dir(tmp_path, archive))
    assert len(ev.segments) == len(demo.segments)


def G(key: str) -> str:
    """A valid REFI-QDA GUID that still reads as its short key (U1, C2, ...) in the hex."""
    return f"00000000-0000-0000-0000-{key.encode().hex().upper():0>12}"


_HANDMADE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="flat">
  <Users><User guid="U1" name="anna"/><User guid="U2" name="bram"/></Users>
  <CodeBook><Codes>
    <Code guid="C1" name="Dreiging::Online agressie" isCodable="true"><Description>Haat op sociale media.</Description></Code>
    <Code guid="C2" name="Dreiging::Fysiek" isCodable="true"><Description>Geweld.</Description></Code>
    <Code guid="C3" name="Dekking" isCodable="true"><Description>Oordeel.</Description>
      <Code guid="C4" name="Binnen bereik" isCodable="true"><Description>Gedekt.</Description></Code>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="V1" name="group" typeOfVariable="Text"/><Variable guid="V2" name="function" typeOfVariable="Text"/>
    <Variable guid="V3" name="tier" typeOfVariable="Text"/><Variable guid="V4" name="consent_quote" typeOfVariable="Boolean"/>
  </Variables>
  <Cases>
    <Case guid="K1" name="R07">
      <VariableValue><VariableRef targetGUID="V1"/><TextValue>criticaster</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="V2"/><TextValue>raadslid</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="V3"/><TextValue>gemeente</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="V4"/><BooleanValue>true</BooleanValue></VariableValue>
      <SourceRef targetGUID="T1"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="T1" name="gesprek-7">
      <PlainTextContent>Café-gesprek: ze zetten foto's online. Daarna werd ik geduwd.</PlainTextContent>
      <PlainTextSelection guid="P1" name="P1" startPosition="14" endPosition="38" creatingUser="U1">
        <Coding guid="G1" creatingUser="U1"><CodeRef targetGUID="C1"/></Coding>
        <Coding guid="G2" creatingUser="U2"><CodeRef targetGUID="C1"/></Coding>
        <Coding guid="G3" creatingUser="U1"><CodeRef targetGUID="C4"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="P2" name="P2" startPosition="39" endPosition="61" creatingUser="U2">
        <Coding guid="G4" creatingUser="U2"><CodeRef targetGUID="C2"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
"""
HANDMADE = re.sub(r'(guid|targetGUID|creatingUser)="([A-Z]\d)"', lambda m: f'{m[1]}="{G(m[2])}"', _HANDMADE)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_flattened_code_names_inline_text_and_shared_selections(tmp_path):
    path = tmp_path / "flat.qdpx"
    path.write_bytes(_zip({"flat.qde": HANDMADE.encode("utf-8")}))
    project = read_qdpx(path)
    assert project.violations == []
    codebook = project.codebook.frame
    assert codebook[["code", "parent", "name"]].values.tolist() == [
        ["dreiging", "", "Dreiging"],
        ["dreiging.online_agressie", "dreiging", "Online agressie"],
        ["dreiging.fysiek", "dreiging", "Fysiek"],
        ["dekking", "", "Dekking"],
        ["dekking.binnen_bereik", "dekking", "Binnen bereik"],
    ]
    segments = project.segments.frame
    assert segments[["segment", "code", "coder", "start", "end", "text"]].values.tolist() == [
        ["P1/anna", "dreiging.online_agressie", "anna", "14", "38", "ze zetten foto's online."],
        ["P1/bram", "dreiging.online_agressie", "bram", "14", "38", "ze zetten foto's online."],
        ["P1/anna", "dekking.binnen_bereik", "anna", "14", "38", "ze zetten foto's online."],
        ["P2", "dreiging.fysiek", "bram", "39", "61", "Daarna werd ik geduwd."],
    ]
    assert set(segments["respondent"]) == {"R07"} and set(segments["interview"]) == {"gesprek-7"}
    assert project.register.frame.values.tolist() == [["R07", "criticaster", "raadslid", "gemeente", "true"]]


def test_offsets_count_code_points_not_bytes(tmp_path):
    # 'Café' has a two-byte é in UTF-8; a byte-based reader would be off by one
    path = tmp_path / "flat.qdpx"
    path.write_bytes(_zip({"flat.qde": HANDMADE.encode("utf-8")}))
    text = read_qdpx(path).segments.frame["text"].iloc[0]
    assert text == "ze zetten foto's online."


def test_codebook_from_qdc(demo, tmp_path):
    data = copy_demo(tmp_path / "data")
    (data / "codebook.yml").unlink()
    (data / "codebook.qdc").write_bytes(write_qdc(demo.codebook))
    ev = load_evaluation(data)
    assert ev.sources["codebook"] == "codebook.qdc"
    assert list(ev.codebook["code"]) == list(demo.codebook["code"])


# --- hostile archives ---------------------------------------------------------------------------------


def _hostile(tmp_path: Path, members: dict[str, bytes]) -> Path:
    return _project_dir(tmp_path, _zip(members), name="hostile.qdpx")


def test_path_traversal_is_refused(tmp_path):
    folder = _hostile(tmp_path, {"project.qde": HANDMADE.encode(), "../../etc/cron.d/evil": b"* * * * * root true"})
    assert violations_of(folder) == [
        "hostile.qdpx: member '../../etc/cron.d/evil' escapes the archive (absolute path or '..'); refused [path traversal]"
    ]


def test_absolute_member_path_is_refused(tmp_path):
    folder = _hostile(tmp_path, {"project.qde": HANDMADE.encode(), "/tmp/evil.txt": b"x"})
    assert violations_of(folder) == [
        "hostile.qdpx: member '/tmp/evil.txt' escapes the archive (absolute path or '..'); refused [path traversal]"
    ]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>
"""


def test_entity_bomb_is_refused(tmp_path):
    folder = _hostile(tmp_path, {"project.qde": BILLION_LAUGHS.encode()})
    assert violations_of(folder) == [
        "hostile.qdpx/project.qde, line 3: declares XML entities; refused to prevent entity expansion (a 'billion laughs' bomb) [xml entities]"
    ]


def test_external_entity_is_refused(tmp_path):
    xxe = '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project name="&x;"/>'
    folder = _hostile(tmp_path, {"project.qde": xxe.encode()})
    assert violations_of(folder) == [
        "hostile.qdpx/project.qde, line 1: declares an external entity; refused, nothing is fetched [xml external reference]"
    ]


def test_oversized_member_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(qdpx, "MAX_MEMBER_BYTES", 4000)
    folder = _hostile(tmp_path, {"project.qde": HANDMADE.encode(), "Sources/big.txt": b"a" * 5000})
    assert violations_of(folder) == [
        "hostile.qdpx: member 'Sources/big.txt' unpacks to 5000 bytes, more than the limit of 4000; refused [oversized member]"
    ]


def test_archive_too_large_in_total_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(qdpx, "MAX_TOTAL_BYTES", 6000)
    members = {"project.qde": HANDMADE.encode(), "Sources/a.txt": b"a" * 3000, "Sources/b.txt": b"b" * 3000}
    folder = _hostile(tmp_path, members)
    total = sum(len(v) for v in members.values())
    assert violations_of(folder) == [
        f"hostile.qdpx: the archive unpacks to {total} bytes in total, more than the limit of 6000; refused [oversized archive]"
    ]


def test_archive_without_project_file(tmp_path):
    folder = _hostile(tmp_path, {"Sources/a.txt": b"tekst"})
    assert violations_of(folder) == ["hostile.qdpx: expected one .qde project file in the archive, found none [structure]"]


def test_not_a_zip(tmp_path):
    folder = _project_dir(tmp_path, b"this is not a zip", name="broken.qdpx")
    (problem,) = violations_of(folder)
    assert problem.startswith("broken.qdpx: not a readable zip archive:") and problem.endswith("[zip]")


def test_malformed_xml_names_the_line(tmp_path):
    folder = _hostile(tmp_path, {"project.qde": b'<?xml version="1.0"?>\n<Project>\n  <Users>\n</Project>\n'})
    (problem,) = violations_of(folder)
    assert problem.startswith("hostile.qdpx/project.qde, line 4: not well-formed XML:")


def test_dangling_code_reference(tmp_path):
    broken = HANDMADE.replace(f'<CodeRef targetGUID="{G("C2")}"/>', f'<CodeRef targetGUID="{G("C9")}"/>')
    path = tmp_path / "flat.qdpx"
    path.write_bytes(_zip({"flat.qde": broken.encode("utf-8")}))
    assert [str(v) for v in read_qdpx(path).violations] == [
        f"flat.qdpx/flat.qde, line 33, column 'code': CodeRef targets '{G('C9')}', which is not a code in the CodeBook [referential integrity]"
    ]
