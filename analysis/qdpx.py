"""REFI-QDA import and export: codebooks (``.qdc``) and projects (``.qdpx``).

A ``.qdpx`` is a zip holding one project file (``urn:QDA-XML:project:1.0``,
usually ``project.qde``) and the plain-text sources under ``Sources/``. The
reader accepts what real exports (ATLAS.ti, NVivo, MAXQDA, QualCoder, f4) do:

- the project file named other than ``project.qde``;
- code hierarchies nested, or flattened into names like ``dreiging::online``;
- ``Sources/`` spelled with another capitalisation, or sources inline as
  ``PlainTextContent``.

It refuses hostile and broken archives, each with its own message: members
whose path escapes the archive, members larger than :data:`MAX_MEMBER_BYTES`
when unpacked, encrypted, corrupt or unsupported-compression members, XML with
any DTD or entity declaration (checked on the text after decoding it with the
declared or detected encoding, so no encoding skips the check), and project
files that break the REFI-QDA ``Project.xsd`` (vendored as
``refi-qda-project.xsd``): element structure, required attributes, the GUID
pattern, and GUIDs that repeat. Schema violations are all reported at once.
Nothing is extracted to disk and no XML entity is ever expanded or fetched.

Codings on a PDF source are read through its text ``Representation``; codings
that cannot be placed in a text (picture, audio and video sources, PDF page
regions) are counted in :attr:`QdaProject.not_imported`, never dropped in silence.

Code ids are built from code names: a name is turned into an id part
(lowercase, ``_`` for anything but letters and digits) and nested parts are
joined with dots. A name that already is an id (``dreiging.online``) is kept.
"""

from __future__ import annotations

import codecs
import functools
import io
import lzma
import re
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from analysis.schemas import CODE_PATTERN, CODEBOOK, REGISTER, SEGMENTS
from analysis.validate import RawTable, Violation, undecodable

__all__ = [
    "MAX_MEMBER_BYTES",
    "MAX_TOTAL_BYTES",
    "PROJECT_NS",
    "CODEBOOK_NS",
    "NotImported",
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
#: Case variables that identify a person; read when present, written only when the register holds them.
IDENTIFYING_VARIABLES = tuple(f.name for f in REGISTER.fields if f.identifying)
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
    not_imported: list["NotImported"] = field(default_factory=list)
    #: Per source (by name), every respondent whose Case references it: all who took part in a group interview.
    participants: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class NotImported:
    """Codings the importer cannot place in a text: on a picture, audio or video source, or a PDF page region."""

    kind: str
    source: str
    codings: int

    def __str__(self) -> str:
        noun = "coding" if self.codings == 1 else "codings"
        return f"not imported: {self.kind} source {self.source}, {self.codings} {noun}"


class _Refused(Exception):
    """A rejection that stops reading the archive; carries its violations (one or more)."""

    def __init__(self, violation: Violation | Sequence[Violation]) -> None:
        violations = [violation] if isinstance(violation, Violation) else list(violation)
        super().__init__("; ".join(str(v) for v in violations))
        self.violations = violations


# --- safe reading ------------------------------------------------------------------------------------


def _escapes(name: str) -> bool:
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return True
    return any(part == ".." for part in re.split(r"[/\\]", name))


#: Compression methods Python's zipfile can unpack; REFI-QDA exports use stored or Deflate.
_READABLE_COMPRESSION = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "Deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "LZMA",
}
_COMPRESSION_NAMES = {9: "Deflate64", 6: "Implode", 93: "Zstandard", 95: "XZ", 97: "WavPack", 98: "PPMd", 99: "AES encryption"}


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, display: str, limit: int) -> bytes:
    name = info.filename
    if info.file_size > limit:
        raise _Refused(
            Violation(display, None, None, "oversized member", f"member '{name}' unpacks to {info.file_size} bytes, more than the limit of {limit}; refused")
        )
    if info.flag_bits & 0x1:
        raise _Refused(
            Violation(display, None, None, "zip encrypted", f"member '{name}' is encrypted; a REFI-QDA export carries no password, export the project again without one")
        )
    if info.compress_type not in _READABLE_COMPRESSION:
        method = _COMPRESSION_NAMES.get(info.compress_type, f"method {info.compress_type}")
        raise _Refused(
            Violation(display, None, None, "zip compression", f"member '{name}' is compressed with {method}, which cannot be unpacked; export again with ordinary Deflate compression")
        )
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except zipfile.BadZipFile as error:
        reason = "its CRC-32 checksum does not match" if "CRC" in str(error) else str(error)
        raise _Refused(Violation(display, None, None, "zip corrupt", f"member '{name}' is corrupt ({reason}); the archive is damaged, export it again")) from None
    except (zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError, lzma.LZMAError) as error:
        # zlib, bz2 and lzma each report a damaged stream with their own exception
        raise _Refused(Violation(display, None, None, "zip corrupt", f"member '{name}' is corrupt ({error}); the archive is damaged, export it again")) from None
    if len(data) > limit:  # the header understated the size
        raise _Refused(
            Violation(display, None, None, "oversized member", f"member '{name}' unpacks to more than the limit of {limit} bytes; refused")
        )
    return data


# --- XML: decode first, refuse any DTD, then parse ------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# The first bytes of '<?' without a byte order mark (XML 1.0, appendix F)
_SIGNATURES = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_DECLARATION = re.compile(r"""^\s*<\?xml[^>]*?\?>""")
_ENCODING_ATTR = re.compile(r"""\bencoding\s*=\s*(["'])[A-Za-z0-9._:-]+\1""")
_DTD = re.compile(r"<!\s*DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_EXTERNAL_ENTITY = re.compile(r"\s+(%\s+)?[^\s>]+\s+(SYSTEM|PUBLIC)\b", re.IGNORECASE)
_UTF16_32 = {"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}


def _decode_xml(data: bytes, display: str) -> str:
    """The XML as text, decoded with its byte order mark, its signature or its declared encoding."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        encoding = next((name for signature, name in _SIGNATURES if data.startswith(signature)), None)
    if encoding is None:
        declared = _DECLARED.match(data)
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise _Refused(Violation(display, 1, None, "xml encoding", f"declares the encoding '{encoding}', which is not known; save it as UTF-8", unit="line")) from None
        if codec.replace("_", "-") in _UTF16_32:
            raise _Refused(Violation(display, 1, None, "xml encoding", f"declares the encoding '{encoding}' but its bytes are not {encoding}; save it as UTF-8", unit="line"))
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1 if encoding.startswith("utf-8") or encoding not in _UTF16_32 else None
        raise _Refused(
            Violation(display, line, None, "xml encoding", f"not valid {encoding} (byte {error.start}); save it as UTF-8 or declare its real encoding", unit="line")
        ) from None


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _parse_xml(data: bytes, display: str):
    """Parse XML without expanding entities or fetching anything; refuse any DTD or entity declaration.

    The check runs on the decoded text, and the parser gets exactly that text
    (as UTF-8), so no encoding the parser knows and the check does not can
    smuggle a declaration past it.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError
    from defusedxml.ElementTree import fromstring as defused_fromstring
    from lxml import etree

    text = _decode_xml(data, display).lstrip("\ufeff")
    entity, dtd = _ENTITY.search(text), _DTD.search(text)
    external = next((e for e in _ENTITY.finditer(text) if _EXTERNAL_ENTITY.match(text, e.end())), None)
    if external is not None:
        raise _Refused(Violation(display, _line_of(text, external.start()), None, "xml external reference", "declares an external entity; refused, nothing is fetched", unit="line"))
    if entity is not None:
        raise _Refused(Violation(display, _line_of(text, entity.start()), None, "xml entities", "declares XML entities; refused to prevent entity expansion (a 'billion laughs' bomb)", unit="line"))
    if dtd is not None:
        head = text[dtd.start() : text.find(">", dtd.start()) + 1 or len(text)]
        if re.search(r"\b(SYSTEM|PUBLIC)\b", head):
            message, rule = "refers to an external DTD; refused, nothing is fetched", "xml external reference"
        else:
            message, rule = "declares a DTD; refused, a REFI-QDA file needs none", "xml dtd"
        raise _Refused(Violation(display, _line_of(text, dtd.start()), None, rule, message, unit="line"))
    declaration = _DECLARATION.match(text)
    if declaration is not None:  # the text is now Unicode; tell the parser it reads UTF-8
        text = _ENCODING_ATTR.sub('encoding="utf-8"', declaration.group(0), count=1) + text[declaration.end() :]
    utf8 = text.encode("utf-8", "surrogatepass")
    try:
        defused_fromstring(utf8, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:  # the text checks above should have caught it; refuse all the same
        raise _Refused(Violation(display, None, None, "xml dtd", "declares a DTD or entities; refused", unit="line")) from None
    except ParseError:
        expat_failed = True  # malformed: lxml below names the line
    else:
        expat_failed = False
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False)
    try:
        root = etree.fromstring(utf8, parser)
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else None
        raise _Refused(Violation(display, line, None, "xml", f"not well-formed XML: {error.msg}", unit="line")) from None
    if expat_failed:
        raise _Refused(Violation(display, None, None, "xml", "not well-formed XML (rejected by the strict parser)", unit="line"))
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise _Refused(Violation(display, None, None, "xml dtd", "declares a DTD; refused, a REFI-QDA file needs none", unit="line"))
    return root


# --- the REFI-QDA schema ---------------------------------------------------------------------------------

SCHEMA_FILE = Path(__file__).with_name("refi-qda-project.xsd")
_GUID_PATTERN_ERROR = re.compile(
    r"^Element '(?P<element>\w+)', attribute '(?P<attribute>\w+)': "
    r"(\[facet 'pattern'\] The value '(?P<value>.*)' is not accepted by the pattern '\(\[0-9a-fA-F\]\{8\}.*"
    r"|'(?P<atomic>.*)' is not a valid value of the atomic type 'GUIDType'\.?)$"
)


@functools.cache
def _project_schema():
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE), parser))


def _schema_violations(root, inner: str) -> list[Violation]:
    """Every break of REFI-QDA ``Project.xsd``, each with its line, plus GUIDs that repeat."""
    schema = _project_schema()
    violations: list[Violation] = []
    if not schema.validate(root):
        for entry in schema.error_log:
            message = entry.message.replace(f"{{{PROJECT_NS}}}", "")
            bad_guid = _GUID_PATTERN_ERROR.match(message)
            if bad_guid:
                value = bad_guid["value"] if bad_guid["value"] is not None else bad_guid["atomic"]
                violation = Violation(
                    inner, entry.line, None, "guid",
                    f"{bad_guid['element']} attribute {bad_guid['attribute']}='{value}' is not a GUID "
                    "(REFI-QDA GUIDs are 8-4-4-4-12 hexadecimal digits, optionally in braces)",
                    unit="line",
                )
            else:
                violation = Violation(inner, entry.line, None, "schema", f"{message.rstrip('.')} (REFI-QDA Project.xsd)", unit="line")
            if violation not in violations:  # libxml2 may report one bad GUID as both pattern and type
                violations.append(violation)
    violations.extend(_duplicate_guids(root, inner))
    return violations


def _describe(element) -> str:
    name = element.get("name")
    return f"{_local(element)} '{name}'" if name else _local(element)


def _duplicate_guids(root, inner: str) -> list[Violation]:
    first: dict[str, object] = {}
    violations = []
    for element in root.iter():
        guid = element.get("guid") if isinstance(element.tag, str) else None
        if guid is None:
            continue
        key = guid.strip().strip("{}").lower()
        seen = first.setdefault(key, element)
        if seen is not element:
            violations.append(
                Violation(
                    inner, element.sourceline, None, "unique guid",
                    f"guid '{guid}' of {_describe(element)} is already the guid of {_describe(seen)} (line {seen.sourceline}); every GUID must be unique",
                    unit="line",
                )
            )
    return violations


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [c for c in element if _local(c) == name]


def _child(element, name: str):
    found = _children(element, name)
    return found[0] if found else None


def _slug(name: str) -> str:
    if re.fullmatch(CODE_PATTERN, name):
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
        return None, refused.violations
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
        project.not_imported = []
        project.refused = True
        project.violations.extend(refused.violations)
    return project


def _read_project(path: Path, project: QdaProject, limit: int) -> None:
    display = project.display
    if path.is_dir():
        raise _Refused(Violation(display, None, None, "zip", "is a folder, not a file; a .qdpx project is one zip archive (export it again from the QDA program)"))
    try:
        archive = zipfile.ZipFile(path)
    except NotImplementedError as error:  # a member needs a zip feature Python cannot read
        raise _Refused(Violation(display, None, None, "zip", f"uses a zip feature that cannot be read ({error}); export it again with ordinary settings")) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
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
        for info in infos:  # a damaged member is an error even when no source points at it
            if not info.is_dir():
                _read_member(archive, info, display, limit)
        projects = [i for i in infos if i.filename.lower().endswith(".qde") and not i.is_dir()]
        if len(projects) != 1:
            found = ", ".join(i.filename for i in projects) or "none"
            raise _Refused(Violation(display, None, None, "structure", f"expected one .qde project file in the archive, found {found}"))
        inner = f"{display}/{projects[0].filename}"
        root = _parse_xml(_read_member(archive, projects[0], display, limit), inner)
        if _local(root) != "Project":
            raise _Refused(Violation(inner, root.sourceline, None, "structure", f"root element is '{_local(root)}', expected 'Project'", unit="line"))
        problems = _schema_violations(root, inner)
        if problems:
            raise _Refused(problems)
        members = {i.filename.replace("\\", "/").lower(): i for i in infos if not i.is_dir()}

        users = {u.get("guid"): u.get("name") or u.get("guid") for u in _children(_child(root, "Users") if _child(root, "Users") is not None else [], "User")}
        codebook_el = _child(root, "CodeBook")
        codes_el = _child(codebook_el, "Codes") if codebook_el is not None else None
        code_by_guid: dict[str, str] = {}
        if codes_el is not None:
            project.codebook, code_by_guid, problems = _codebook_table(codes_el, inner)
            project.violations.extend(problems)

        sources_el = _child(root, "Sources")
        respondents_of_source = _read_cases(root, inner, project)

        records: list[dict[str, str]] = []
        rows: list[int] = []
        for source, text_el in _text_sources(sources_el, project):
            interview = source.get("name") or source.get("guid", "")
            text = _source_text(text_el, interview, archive, members, inner, display, limit, project)
            if text is None:
                continue
            project.transcripts[interview] = text
            linked = [*respondents_of_source.get(source.get("guid", ""), []), *respondents_of_source.get(text_el.get("guid", ""), [])]
            project.participants[interview] = tuple(dict.fromkeys(linked))
            # a group interview's codings count for its first Case; consent is asked of all its Cases (analysis.consent)
            respondent = linked[0] if linked else ""
            if not respondent:
                project.violations.append(
                    Violation(inner, source.sourceline, "respondent", "referential integrity", f"source '{interview}' is not linked to a Case, so its respondent is unknown", unit="line")
                )
            for selection in _children(text_el, "PlainTextSelection"):
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


def _read_cases(root, inner: str, project: QdaProject) -> dict[str, list[str]]:
    """Cases are respondents; their variable values form the register. Returns, per source GUID, every
    respondent whose Case references it, in document order: a group interview has several."""
    variables_el = _child(root, "Variables")
    variable_name = {v.get("guid"): v.get("name") for v in (_children(variables_el, "Variable") if variables_el is not None else [])}
    cases_el = _child(root, "Cases")
    if cases_el is None:
        return {}
    records, rows = [], []
    respondents_of_source: dict[str, list[str]] = {}
    for case in _children(cases_el, "Case"):
        respondent = case.get("name", "")
        record = {"respondent": respondent}
        for value_el in _children(case, "VariableValue"):
            ref = _child(value_el, "VariableRef")
            name = variable_name.get(ref.get("targetGUID") if ref is not None else None)
            if name not in REGISTER_VARIABLES and name not in IDENTIFYING_VARIABLES:
                continue
            values = [c for c in value_el if _local(c).endswith("Value")]
            value = (values[0].text or "").strip() if values else ""
            if name in record:  # a second value, equal or not, leaves the Case's answer in doubt
                project.violations.append(
                    Violation(
                        inner, value_el.sourceline, name, "duplicate value",
                        f"Case '{respondent}' gives variable '{name}' more than once ('{record[name]}', then '{value}'); a Case holds one value per variable",
                        unit="line",
                    )
                )
                continue
            record[name] = value
        records.append(record)
        rows.append(case.sourceline or 0)
        for ref in _children(case, "SourceRef"):
            linked = respondents_of_source.setdefault(ref.get("targetGUID", ""), [])
            if respondent not in linked:
                linked.append(respondent)
    if records:
        frame = pd.DataFrame(records)
        for column in REGISTER.columns:
            if column not in frame.columns and column not in IDENTIFYING_VARIABLES:
                frame[column] = ""
        frame = frame[[c for c in REGISTER.columns if c in frame.columns]].fillna("")
        project.register = RawTable(REGISTER, inner, frame, rows, unit="line")
    return respondents_of_source


#: What the message calls each kind of source whose codings cannot be placed in a text.
_SOURCE_KINDS = {"TextSource": "text", "PDFSource": "PDF", "PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}


def _text_sources(sources_el, project: QdaProject):
    """Yield (source, element holding its text): a TextSource itself, a PDFSource its ``Representation``.

    Codings that have no place in a text are counted in ``project.not_imported``:
    all codings on picture, audio and video sources, and a PDF's codings on page
    regions; and, for every kind, codings of the source as a whole.
    """
    for source in list(sources_el) if sources_el is not None else []:
        kind = _local(source)
        text_el = source if kind == "TextSource" else _child(source, "Representation") if kind == "PDFSource" else None
        imported = 0
        if text_el is not None:
            imported = sum(len(_children(selection, "Coding")) for selection in _children(text_el, "PlainTextSelection"))
        total = sum(1 for element in source.iter() if isinstance(element.tag, str) and _local(element) == "Coding")
        if total > imported:
            name = source.get("name") or source.get("guid", "")
            project.not_imported.append(NotImported(_SOURCE_KINDS.get(kind, kind), f"'{name}'", total - imported))
        if text_el is not None:
            yield source, text_el


def _source_text(source, name, archive, members, inner, display, limit, project) -> str | None:
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
        place = undecodable(data, error)
        project.violations.append(Violation(f"{display}/{info.filename}", place.line, None, "encoding", place.message, unit="line"))
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

    held = [name for name in IDENTIFYING_VARIABLES if any(person.get(name) not in (None, "") for person in register)]
    variables = (*REGISTER_VARIABLES, *held)
    variables_el = etree.SubElement(root, q("Variables"))
    for name in variables:
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
        for name in variables:
            value = person.get(name)
            if value in (None, ""):
                continue
            value_el = etree.SubElement(case, q("VariableValue"))
            etree.SubElement(value_el, q("VariableRef"), targetGUID=_guid("variable", name))
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
