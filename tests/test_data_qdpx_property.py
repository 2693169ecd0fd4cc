"""Property: any mutation of a valid .qdpx gives a valid import or located errors, never a traceback.

Mutations hit the bytes of the archive and of each member, the attributes of the
project XML (any attribute of any element, set to any text) and the selection
offsets (any integer, including huge and negative ones). Whatever comes out,
``load_evaluation`` either returns or raises :class:`DataValidationError` whose every
violation names a file and a rule.
"""

from __future__ import annotations

import sys
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from analysis import DataValidationError, load_evaluation
from analysis.paths import DEMO_DIR

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import hostile_qdpx  # noqa: E402

_SOURCE_TEXT = "Ze bedreigden mij online."
_PROJECT = hostile_qdpx.project_xml(
    sources=(
        f'<TextSource guid="{hostile_qdpx.guid("S1")}" name="INT01" plainTextPath="internal://int01.txt">'
        f'<PlainTextSelection guid="{hostile_qdpx.guid("P1")}" name="SEG1" startPosition="3" endPosition="13" creatingUser="{hostile_qdpx.guid("U1")}">'
        f'<Coding guid="{hostile_qdpx.guid("G1")}" creatingUser="{hostile_qdpx.guid("U1")}"><CodeRef targetGUID="{hostile_qdpx.guid("C1")}"/></Coding>'
        "</PlainTextSelection></TextSource>"
    )
).encode("utf-8")
# a few survey rows: the survey must be there to load, and is not what this test mutates
_SURVEY = "\n".join((DEMO_DIR / "survey.csv").read_text(encoding="utf-8").splitlines()[:6]) + "\n"
MEMBERS = {"project.qde": _PROJECT, "Sources/int01.txt": _SOURCE_TEXT.encode("utf-8")}


def _archive(members: dict[str, bytes]) -> bytes:
    return hostile_qdpx.archive(members, compression=zipfile.ZIP_DEFLATED)


def _flip(data: bytes, positions: list[int], values: list[int]) -> bytes:
    out = bytearray(data)
    for position, value in zip(positions, values):
        if out:
            out[position % len(out)] = value
    return bytes(out)


_bytes_edit = st.tuples(st.lists(st.integers(0, 10**6), min_size=1, max_size=4), st.lists(st.integers(0, 255), min_size=1, max_size=4))
_attribute_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=12),  # what an XML attribute can hold
    st.integers().map(str),
    st.integers(min_value=0, max_value=5000).map(lambda n: "9" * n),
    st.sampled_from(["", "c001", "{00000000-0000-0000-0000-000000000000}", "-1", "1e9", "nan", "&amp;", "internal://../../x"]),
)


@st.composite
def mutated_archive(draw) -> bytes:
    kind = draw(st.sampled_from(["archive bytes", "member bytes", "attribute", "offsets"]))
    members = dict(MEMBERS)
    if kind == "archive bytes":
        positions, values = draw(_bytes_edit)
        return _flip(_archive(members), positions, values)
    if kind == "member bytes":
        name = draw(st.sampled_from(sorted(members)))
        positions, values = draw(_bytes_edit)
        members[name] = _flip(members[name], positions, values)
        return _archive(members)
    root = etree.fromstring(_PROJECT)
    if kind == "attribute":
        elements = [e for e in root.iter() if isinstance(e.tag, str)]
        element = elements[draw(st.integers(0, len(elements) - 1))]
        names = sorted(element.attrib) + ["guid", "name", "startPosition"]
        element.set(draw(st.sampled_from(names)), draw(_attribute_text))
    else:
        selection = next(e for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith("PlainTextSelection"))
        selection.set("startPosition", str(draw(st.integers(-(10**30), 10**30))))
        selection.set("endPosition", str(draw(st.one_of(st.integers(-100, 100), st.integers(-(10**30), 10**30)))))
    members["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return _archive(members)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(archive=mutated_archive())
def test_every_mutation_gives_an_import_or_located_errors(archive):
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        (data / "interviews.qdpx").write_bytes(archive)
        (data / "survey.csv").write_text(_SURVEY, encoding="utf-8")
        try:
            ev = load_evaluation(data)
        except DataValidationError as error:
            assert error.violations
            for violation in error.violations:
                assert violation.file.startswith("interviews.qdpx"), str(violation)
                assert violation.rule and violation.message, str(violation)
        else:
            assert len(ev.segments) >= 0 and set(ev.segments["interview"]) <= set(ev.transcripts)
