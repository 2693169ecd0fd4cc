"""Small REFI-QDA projects that model group interviews, for the consent and identity tests.

Each source is one interview whose whole text is one selection coded ``dreiging``;
each Case is a respondent with its register variables and the sources it references.
A source referenced by several Cases is a group interview.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from analysis.paths import DEMO_DIR

NS = "urn:QDA-XML:project:1.0"
VARIABLES = ("group", "function", "tier", "consent_quote", "name", "place")


def guid(key: str) -> str:
    """A valid REFI-QDA GUID whose last group spells ``key`` in hex."""
    return f"00000000-0000-0000-0000-{key.encode().hex().upper():0>12}"


@dataclass(frozen=True)
class Case:
    respondent: str
    consent: str  # as written in the BooleanValue; several, comma-separated, for a Case that gives it more than once; '' for none
    sources: tuple[str, ...]
    function: str = "wethouder"
    group: str = "critical friend"
    identifying: dict[str, str] = field(default_factory=dict)

    def xml(self) -> str:
        values = [("group", "TextValue", self.group), ("function", "TextValue", self.function), ("tier", "TextValue", "gemeente")]
        values += [("consent_quote", "BooleanValue", consent) for consent in self.consent.split(",") if consent]
        values += [(name, "TextValue", value) for name, value in self.identifying.items()]
        body = "".join(
            f'<VariableValue><VariableRef targetGUID="{guid("V" + name[:5])}"/><{kind}>{escape(value)}</{kind}></VariableValue>'
            for name, kind, value in values
        )
        refs = "".join(f'<SourceRef targetGUID="{guid("S" + source[-5:])}"/>' for source in self.sources)
        name = escape(self.respondent, {"\n": "&#10;"})  # a literal newline in an attribute would read as a space
        return f'<Case guid="{guid("K" + self.respondent[-5:])}" name="{name}">{body}{refs}</Case>\n'


def project(cases: list[Case], sources: dict[str, str]) -> bytes:
    """A ``.qdpx`` archive holding ``cases`` and ``sources`` (interview name -> text)."""
    variables = "".join(
        f'<Variable guid="{guid("V" + name[:5])}" name="{name}" typeOfVariable="{"Boolean" if name == "consent_quote" else "Text"}"/>'
        for name in VARIABLES
    )
    source_xml = "".join(
        f'<TextSource guid="{guid("S" + name[-5:])}" name="{name}"><PlainTextContent>{escape(text)}</PlainTextContent>'
        f'<PlainTextSelection guid="{guid("P" + name[-5:])}" name="SEG-{name}" startPosition="0" endPosition="{len(text)}" creatingUser="{guid("U1")}">'
        f'<Coding guid="{guid("G" + name[-5:])}" creatingUser="{guid("U1")}"><CodeRef targetGUID="{guid("C1")}"/></Coding>'
        "</PlainTextSelection></TextSource>\n"
        for name, text in sources.items()
    )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="{NS}" name="groepsgesprekken">\n'
        f'<Users><User guid="{guid("U1")}" name="anna"/></Users>\n'
        f'<CodeBook><Codes><Code guid="{guid("C1")}" name="dreiging" isCodable="true"><Description>Dreiging.</Description></Code></Codes></CodeBook>\n'
        f"<Variables>{variables}</Variables>\n"
        f"<Cases>\n{''.join(case.xml() for case in cases)}</Cases>\n"
        f"<Sources>\n{source_xml}</Sources>\n"
        "</Project>\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", xml.encode("utf-8"))
    return buffer.getvalue()


def data_folder(root: Path, archive: bytes) -> Path:
    """A loadable data folder: the project, and the demo survey the loader also needs."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "interviews.qdpx").write_bytes(archive)
    shutil.copyfile(DEMO_DIR / "survey.csv", root / "survey.csv")
    return root


#: The interviews of respondents who did not consent, whose Cases a consenting R41 also references.
GROUP_INTERVIEWS = ("INT07", "INT10", "INT39")


def demo_with_group_interviews(root: Path) -> tuple[Path, list[str], list[str]]:
    """The demo set as one ``.qdpx`` in which a consenting R41 took part in the interviews of R07, R10 and R39.

    Those three did not consent. Returns the data folder, the words only they spoke
    (their segments' texts that no other interview holds) and the register's names,
    which the project carries as Case variables: none of either may be published.
    """
    import pandas as pd
    from lxml import etree

    from analysis import load_evaluation
    from analysis.qdpx import write_qdpx

    demo = load_evaluation(DEMO_DIR)
    register = pd.read_csv(DEMO_DIR / "register.csv", dtype=str, keep_default_na=False)  # with the names load drops
    assert set(register.set_index("respondent").loc[[f"R{i[3:]}" for i in GROUP_INTERVIEWS], "consent_quote"]) == {"false"}
    register.loc[len(register)] = {"respondent": "R41", "group": "actieve deelnemer", "function": "wethouder", "tier": "gemeente",
                                   "consent_quote": "true", "name": "Marloes Hendriks", "place": "Urk"}
    archive = zipfile.ZipFile(io.BytesIO(write_qdpx(demo.codebook, register, demo.segments, demo.transcripts)))
    members = {name: archive.read(name) for name in archive.namelist()}
    tree = etree.fromstring(members["project.qde"])
    r41 = tree.find(f".//{{{NS}}}Case[@name='R41']")
    for interview in GROUP_INTERVIEWS:
        source = tree.find(f".//{{{NS}}}TextSource[@name='{interview}']")
        etree.SubElement(r41, f"{{{NS}}}SourceRef", targetGUID=source.get("guid"))
    members["project.qde"] = etree.tostring(tree, xml_declaration=True, encoding="utf-8")
    root.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(root / "nwb.qdpx", "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    for name in ("codebook.yml", "survey.csv", "DEMO"):
        shutil.copyfile(DEMO_DIR / name, root / name)
    spoken = demo.segments.drop_duplicates("segment")
    elsewhere = set(spoken.loc[~spoken["interview"].isin(GROUP_INTERVIEWS), "text"].str.strip())
    silent = spoken.loc[spoken["interview"].isin(GROUP_INTERVIEWS), "text"].str.strip()
    return root, sorted(set(silent) - elsewhere), sorted(register["name"])
