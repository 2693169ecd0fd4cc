"""REFI-QDA import and export: codebooks (``.qdc``) and projects (``.qdpx``).

A ``.qdpx`` is a zip holding one project file (``urn:QDA-XML:project:1.0``,
usually ``project.qde``) and the plain-text sources under ``Sources/``. The
reader accepts what real exports (ATLAS.ti, NVivo, MAXQDA, QualCoder, f4) do:

- the project file named other than ``project.qde``;
- code hierarchies nested, or flattened into names like ``dreiging::online``;
- ``Sources/`` spelled with another capitalisation, or sources inline as
  ``PlainTextContent``.

It refuses hostile archives, each with its own message: members whose path
escapes the archive, members larger than :data:`MAX_MEMBER_BYTES` when
unpacked, XML that declares entities (entity-expansion bombs) or refers to
external resources. Nothing is extracted to disk and no XML entity is ever
expanded or fetched.

Code ids are built from code names: a name is turned into an id part
(lowercase, ``_`` for anything but letters and digits) and nested parts are
joined with dots. A name that already is an id (``dreiging.online``) is kept.
"""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from analysis.schemas import CODE_PATTERN, CODEBOOK, REGISTER, SEGMENTS
from analysis.validate import RawTable, Violation

__all__ = [
    "MAX_MEMBER_BYTES",
    "MAX_TOTAL_BYTES",
    "PROJECT_NS",
    "CODEBOOK_NS",
    "QdaProject",
    "read_qdpx",
    "read_qdc",
    "write_qdpx",
    "write_qdc",
]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: Largest member accepted when unpacked; interview projects are far smaller.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
#: Largest total accepted when unpacked, against archives of many members just under the member limit.
MAX_TOTAL_BYTES = 512 * 1024 * 1024
REGISTER_VARIABLES = ("group", "function", "tier", "consent_quote")
_GUID_NAMESPACE = uuid.UUID("6f1c7c1e-3d1b-4f0e-9d8a-2b9f4f1f5a10")


@dataclass
class QdaProject:
    """What a ``.qdpx`` yields: raw tables for validation, the transcripts, and any violations."""

    display: str
    codebook: RawTable | None = None
    register: RawTable | None = None
    segments: RawTable | None = None
    transcripts: dict[str, str] = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)
    refused: bool = False


class _Refused(Exception):
    """A rejection that stops reading the archive; carries its violation."""

    def __init__(self, violation: Violation) -> None:
        super().__init__(str(violation))
        self.violation = violation


# --- safe reading ------------------------------------------------------------------------------------


def _escapes(name: str) -> bool:
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return True
    return any(part == ".." for part in re.split(r"[/\\]", name))


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, display: str, limit: int) -> bytes:
    if info.file_size > limit:
        raise _Refused(
            Violation(display, None, None, "oversized member", f"member '{info.filename}' unpacks to {info.file_size} bytes, more than the limit of {limit}; refused")
        )
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # the header understated the size
        raise _Refused(
            Violation(display, None, None, "oversized member", f"member '{info.filename}' unpacks to more than the limit of {limit} bytes; refused")
        )
    return data


def _parse_xml(data: bytes, display: str):
    """Parse XML without expanding entities or fetching anything; refuse entity declarations."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring as defused_fromstring
    from lxml import etree

    try:
        defused_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        kind = type(error).__name__
        if kind == "EntitiesForbidden":
            message = "declares XML entities; refused to prevent entity expansion (a 'billion laughs' bomb)"
            rule = "xml entities"
        else:
            message = "refers to an external DTD or entity; refused, nothing is fetched"
            rule = "xml external reference"
        raise _Refused(Violation(display, None, None, rule, message)) from None
    except Exception:  # malformed XML: lxml below gives the line
        pass
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else None
        raise _Refused(Violation(display, line, None, "xml", f"not well-formed XML: {error.msg}", unit="line")) from None


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [c for c in element if _local(c) == name]


def _child(element, name: str):
    found = _children(element, name)
    return found[0] if found else None


def _slug(name: str) -> str:
    if re.match(CODE_PATTERN, name):
        return name
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    part = re.sub(r"[^a-z0-9]+", "_", ascii_name).strip("_")
    if not part:
        return "code"
    return part if part[0].isalpha() else f"c_{part}"


def _codebook_table(codes_element, display: str) -> tuple[RawTable, dict[str, str], list[Violation]]:
    """Walk ``Codes/Code`` (nested or flattened) into codebook rows; map guid -> code id."""
    records: list[dict[str, str]] = []
    rows: list[int] = []
    by_guid: dict[str, str] = {}
    known: set[str] = set()
    implicit: set[str] = set()
    violations: list[Violation] = []

    def add(code: str, parent: str, name: str, description: str, line: int) -> None:
        if code in known:
            return
        known.add(code)
        records.append({"code": code, "parent": parent, "name": name, "description": description, "level": str(code.count(".") + 1)})
        rows.append(line)

    def walk(element, parent: str) -> None:
        for code_el in _children(element, "Code"):
            name = code_el.get("name", "")
            line = code_el.sourceline or 0
            pieces = [p.strip() for p in name.split("::")] if "::" in name else [name]
            current = parent
            for depth, piece in enumerate(pieces):
                part = _slug(piece)
                code_id = part if (current and part.startswith(current + ".")) or not current else f"{current}.{part}"
                if depth < len(pieces) - 1 and code_id not in known:
                    add(code_id, current, piece, "Oudercode afgeleid uit een platte codenaam.", line)
                    implicit.add(code_id)
                current = code_id
            description_el = _child(code_el, "Description")
            description = (description_el.text or "").strip() if description_el is not None else ""
            if current in implicit:
                implicit.discard(current)
                record = next(r for r in records if r["code"] == current)
                record.update(name=pieces[-1], description=description)
            elif current in known:
                violations.append(Violation(display, line, "code", "unique key", f"code '{name}' gives the id '{current}', which another code already has", unit="line"))
            add(current, parent if len(pieces) == 1 else current.rsplit(".", 1)[0], pieces[-1], description, line)
            guid = code_el.get("guid")
            if guid:
                by_guid[guid] = current
            walk(code_el, current)

    walk(codes_element, "")
    frame = pd.DataFrame(records, columns=CODEBOOK.columns)
    return RawTable(CODEBOOK, display, frame, rows, unit="line"), by_guid, violations


def read_qdc(path: Path, display: str | None = None, data: bytes | None = None) -> tuple[RawTable | None, list[Violation]]:
    """Read a REFI-QDA codebook (``urn:QDA-XML:codebook:1.0``) into a raw codebook table."""
    display = display or Path(path).name
    data = Path(path).read_bytes() if data is None else data
    try:
        root = _parse_xml(data, display)
    except _Refused as refused:
        return None, [refused.violation]
    codes = _child(root, "Codes") if _local(root) == "CodeBook" else None
    if codes is None:
        return None, [Violation(display, root.sourceline, None, "structure", "no CodeBook/Codes element", unit="line")]
    table, _guids, violations = _codebook_table(codes, display)
    return table, violations


def read_qdpx(path: Path, display: str | None = None, max_member_bytes: int | None = None) -> QdaProject:
    """Read a REFI-QDA project archive into raw tables; rejections become violations.

    ``max_member_bytes`` defaults to :data:`MAX_MEMBER_BYTES` as it is when called.
    """
    display = display or Path(path).name
    project = QdaProject(display)
    limit = MAX_MEMBER_BYTES if max_member_bytes is None else max_member_bytes
    try:
        _read_project(Path(path), project, limit)
    except _Refused as refused:
        project.codebook = project.register = project.segments = None
        project.transcripts = {}
        project.refused = True
        project.violations.append(refused.violation)
    return project


def _read_project(path: Path, project: QdaProject, limit: int) -> None:
    display = project.display
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise _Refused(Violation(display, None, None, "zip", f"not a readable zip archive: {error}")) from None
    with archive:
        infos = archive.infolist()
        for info in infos:
            if _escapes(info.filename):
                raise _Refused(
                    Violation(display, None, None, "path traversal", f"member '{info.filename}' escapes the archive (absolute path or '..'); refused")
                )
        for info in infos:
            if info.file_size > limit:
                _read_member(archive, info, display, limit)
        total = sum(info.file_size for info in infos)
        if total > MAX_TOTAL_BYTES:
            raise _Refused(
                Violation(display, None, None, "oversized archive", f"the archive unpacks to {total} bytes in total, more than the limit of {MAX_TOTAL_BYTES}; refused")
            )
        projects = [i for i in infos if i.filename.lower().endswith(".qde") and not i.is_dir()]
        if len(projects) != 1:
            found = ", ".join(i.filename for i in projects) or "none"
            raise _Refused(Violation(display, None, None, "structure", f"expected one .qde project file in the archive, found {found}"))
        inner = f"{display}/{projects[0].filename}"
        root = _parse_xml(_read_member(archive, projects[0], display, limit), inner)
        if _local(root) != "Project":
            raise _Refused(Violation(inner, root.sourceline, None, "structure", f"root element is '{_local(root)}', expected 'Project'", unit="line"))
        members = {i.filename.replace("\\", "/").lower(): i for i in infos if not i.is_dir()}

        users = {u.get("guid"): u.get("name") or u.get("guid") for u in _children(_child(root, "Users") if _child(root, "Users") is not None else [], "User")}
        codebook_el = _child(root, "CodeBook")
        codes_el = _child(codebook_el, "Codes") if codebook_el is not None else None
        code_by_guid: dict[str, str] = {}
        if codes_el is not None:
            project.codebook, code_by_guid, problems = _codebook_table(codes_el, inner)
            project.violations.extend(problems)

        sources_el = _child(root, "Sources")
        source_name: dict[str, str] = {}
        for source in _children(sources_el, "TextSource") if sources_el is not None else []:
            source_name[source.get("guid", "")] = source.get("name") or source.get("guid", "")

        respondent_of_source = _read_cases(root, inner, project, source_name)

        records: list[dict[str, str]] = []
        rows: list[int] = []
        for source in _children(sources_el, "TextSource") if sources_el is not None else []:
            interview = source.get("name") or source.get("guid", "")
            text = _source_text(source, archive, members, inner, display, limit, project)
            if text is None:
                continue
            project.transcripts[interview] = text
            respondent = respondent_of_source.get(source.get("guid", ""), "")
            if not respondent:
                project.violations.append(
                    Violation(inner, source.sourceline, "respondent", "referential integrity", f"source '{interview}' is not linked to a Case, so its respondent is unknown", unit="line")
                )
            for selection in _children(source, "PlainTextSelection"):
                start, end = selection.get("startPosition", ""), selection.get("endPosition", "")
                try:
                    fragment = text[int(start) : int(end)]
                except ValueError:
                    fragment = ""
                codings = _children(selection, "Coding")
                coder_of = {}
                for coding in codings:
                    user = coding.get("creatingUser") or selection.get("creatingUser") or ""
                    if user and user not in users:
                        project.violations.append(
                            Violation(inner, coding.sourceline, "coder", "referential integrity", f"creatingUser '{user}' is not in Users", unit="line")
                        )
                    coder_of[id(coding)] = users.get(user, user)
                distinct = sorted(set(coder_of.values()))
                base = selection.get("name") or selection.get("guid", "")
                for coding in codings:
                    ref = _child(coding, "CodeRef")
                    target = ref.get("targetGUID", "") if ref is not None else ""
                    code = code_by_guid.get(target)
                    if code is None:
                        project.violations.append(
                            Violation(inner, (ref if ref is not None else coding).sourceline, "code", "referential integrity", f"CodeRef targets '{target}', which is not a code in the CodeBook", unit="line")
                        )
                        continue
                    coder = coder_of[id(coding)]
                    records.append(
                        {
                            "segment": base if len(distinct) == 1 else f"{base}/{coder}",
                            "respondent": respondent,
                            "interview": interview,
                            "code": code,
                            "coder": coder,
                            "start": start,
                            "end": end,
                            "text": fragment,
                        }
                    )
                    rows.append(coding.sourceline or 0)
        project.segments = RawTable(SEGMENTS, inner, pd.DataFrame(records, columns=SEGMENTS.columns), rows, unit="line")


def _read_cases(root, inner: str, project: QdaProject, source_name: Mapping[str, str]) -> dict[str, str]:
    """Cases are respondents; their variable values form the register."""
    variables_el = _child(root, "Variables")
    variable_name = {v.get("guid"): v.get("name") for v in (_children(variables_el, "Variable") if variables_el is not None else [])}
    cases_el = _child(root, "Cases")
    if cases_el is None:
        return {}
    records, rows = [], []
    respondent_of_source: dict[str, str] = {}
    for case in _children(cases_el, "Case"):
        respondent = case.get("name", "")
        record = {"respondent": respondent}
        for value_el in _children(case, "VariableValue"):
            ref = _child(value_el, "VariableRef")
            name = variable_name.get(ref.get("targetGUID") if ref is not None else None)
            if name not in REGISTER_VARIABLES:
                continue
            values = [c for c in value_el if _local(c).endswith("Value")]
            record[name] = (values[0].text or "").strip() if values else ""
        records.append(record)
        rows.append(case.sourceline or 0)
        for ref in _children(case, "SourceRef"):
            respondent_of_source[ref.get("targetGUID", "")] = respondent
    if records:
        frame = pd.DataFrame(records)
        for column in REGISTER.columns:
            if column not in frame.columns:
                frame[column] = ""
        frame = frame[REGISTER.columns].fillna("")
        project.register = RawTable(REGISTER, inner, frame, rows, unit="line")
    return respondent_of_source


def _source_text(source, archive, members, inner, display, limit, project) -> str | None:
    name = source.get("name") or source.get("guid", "")
    inline = _child(source, "PlainTextContent")
    if inline is not None:
        return inline.text or ""
    location = source.get("plainTextPath", "")
    if not location.startswith("internal://"):
        reason = f"plain text at '{location}' lies outside the archive" if location else "no plain text (only rich text)"
        project.violations.append(Violation(inner, source.sourceline, None, "source", f"source '{name}': {reason}; only internal:// sources and PlainTextContent are read", unit="line"))
        return None
    wanted = location[len("internal://") :].replace("\\", "/")
    if _escapes(wanted):
        raise _Refused(Violation(inner, source.sourceline, None, "path traversal", f"source '{name}' points at '{wanted}', outside the archive; refused", unit="line"))
    info = members.get(f"sources/{wanted}".lower()) or next(
        (i for key, i in members.items() if PurePosixPath(key).name == PurePosixPath(wanted.lower()).name), None
    )
    if info is None:
        project.violations.append(Violation(inner, source.sourceline, None, "source", f"source '{name}': '{wanted}' is not in the archive", unit="line"))
        return None
    data = _read_member(archive, info, display, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        project.violations.append(Violation(f"{display}/{info.filename}", None, None, "encoding", f"not valid UTF-8 (byte {error.start})"))
        return None


# --- writing -----------------------------------------------------------------------------------------


def _guid(kind: str, key: str) -> str:
    return str(uuid.uuid5(_GUID_NAMESPACE, f"{kind}:{key}")).upper()


def _records(table) -> list[dict]:
    if isinstance(table, pd.DataFrame):
        return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in table.to_dict("records")]
    return list(table)


def _codes_xml(etree, parent_el, codebook: list[dict], ns: str) -> None:
    children: dict[str, list[dict]] = {}
    for row in codebook:
        children.setdefault(row.get("parent") or "", []).append(row)

    def add(element, parent_code: str) -> None:
        for row in children.get(parent_code, []):
            local = row["code"].rsplit(".", 1)[-1]
            code_el = etree.SubElement(element, f"{{{ns}}}Code", guid=_guid("code", row["code"]), name=local, isCodable="true")
            if row.get("description"):
                etree.SubElement(code_el, f"{{{ns}}}Description").text = row["description"]
            add(code_el, row["code"])

    add(parent_el, "")


def write_qdc(codebook) -> bytes:
    """A REFI-QDA codebook for ``codebook`` (rows with code, parent, description)."""
    from lxml import etree

    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS}, origin="evalreport")
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    _codes_xml(etree, codes, _records(codebook), CODEBOOK_NS)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def write_qdpx(codebook, register, segments, transcripts: Mapping[str, str], project_file: str = "project.qde", sources_dir: str = "Sources") -> bytes:
    """A REFI-QDA project archive holding the codebook, cases, sources and codings.

    Deterministic: GUIDs derive from ids, zip entries carry a fixed date and are
    stored uncompressed, so the same tables always give the same bytes.
    """
    from lxml import etree

    ns = PROJECT_NS
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731
    codebook, register, segments = _records(codebook), _records(register), _records(segments)
    root = etree.Element(q("Project"), nsmap={None: ns}, name="Netwerk Weerbaar Bestuur (demonstratie)", origin="evalreport")
    users_el = etree.SubElement(root, q("Users"))
    coders = sorted({row["coder"] for row in segments})
    for coder in coders:
        etree.SubElement(users_el, q("User"), guid=_guid("user", coder), name=coder)
    codebook_el = etree.SubElement(root, q("CodeBook"))
    _codes_xml(etree, etree.SubElement(codebook_el, q("Codes")), codebook, ns)

    variables_el = etree.SubElement(root, q("Variables"))
    for name in REGISTER_VARIABLES:
        kind = "Boolean" if name == "consent_quote" else "Text"
        etree.SubElement(variables_el, q("Variable"), guid=_guid("variable", name), name=name, typeOfVariable=kind)

    interviews_of: dict[str, list[str]] = {}
    for row in segments:
        interviews_of.setdefault(row["respondent"], [])
        if row["interview"] not in interviews_of[row["respondent"]]:
            interviews_of[row["respondent"]].append(row["interview"])
    cases_el = etree.SubElement(root, q("Cases"))
    for person in register:
        case = etree.SubElement(cases_el, q("Case"), guid=_guid("case", person["respondent"]), name=person["respondent"])
        for name in REGISTER_VARIABLES:
            value_el = etree.SubElement(case, q("VariableValue"))
            etree.SubElement(value_el, q("VariableRef"), targetGUID=_guid("variable", name))
            value = person[name]
            if name == "consent_quote":
                text = "true" if str(value).lower() in ("true", "1") else "false"
                etree.SubElement(value_el, q("BooleanValue")).text = text
            else:
                etree.SubElement(value_el, q("TextValue")).text = str(value)
        for interview in sorted(interviews_of.get(person["respondent"], [])):
            etree.SubElement(case, q("SourceRef"), targetGUID=_guid("source", interview))

    sources_el = etree.SubElement(root, q("Sources"))
    by_selection: dict[str, list[dict]] = {}
    for row in segments:
        by_selection.setdefault(row["segment"], []).append(row)
    files: list[tuple[str, bytes]] = []
    for interview in sorted(transcripts):
        guid = _guid("source", interview)
        source = etree.SubElement(sources_el, q("TextSource"), guid=guid, name=interview, plainTextPath=f"internal://{guid}.txt")
        files.append((f"{sources_dir}/{guid}.txt", transcripts[interview].encode("utf-8")))
        selections = [rows for rows in by_selection.values() if rows[0]["interview"] == interview]
        selections.sort(key=lambda rows: (int(rows[0]["start"]), int(rows[0]["end"]), rows[0]["segment"]))
        for rows in selections:
            first = rows[0]
            user = _guid("user", first["coder"])
            selection = etree.SubElement(
                source,
                q("PlainTextSelection"),
                guid=_guid("selection", first["segment"]),
                name=first["segment"],
                startPosition=str(int(first["start"])),
                endPosition=str(int(first["end"])),
                creatingUser=user,
            )
            for row in rows:
                coding = etree.SubElement(selection, q("Coding"), guid=_guid("coding", f"{row['segment']}|{row['code']}"), creatingUser=user)
                etree.SubElement(coding, q("CodeRef"), targetGUID=_guid("code", row["code"]))
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in [(project_file, xml), *files]:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
