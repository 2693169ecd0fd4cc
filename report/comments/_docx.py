"""Open a reviewed .docx: its parts as parsed XML, every fault a located error instead of a traceback."""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from report.errors import ReportError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_EXTENDED_REL = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"

DOCUMENT = "word/document.xml"
CUSTOM_PROPERTIES = "docProps/custom.xml"
SOURCES_PROPERTY = "report-sources"
#: A part larger than this is refused rather than read into memory (a zip bomb would otherwise fill it).
MAX_PART_BYTES = 200 * 1024 * 1024

# Pandoc's smart extension curls the quotes of a markdown metadata string; JSON wants straight ones.
_STRAIGHT_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"'})


def w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass(frozen=True)
class Package:
    """The parts of a reviewed .docx that ``report comments`` reads."""

    path: Path
    document: etree._Element
    comments: etree._Element | None
    comments_extended: etree._Element | None
    sources: tuple[str, ...]
    language: str | None  # the document's proofing language (w:docDefaults), the language of its text


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def _part(archive: zipfile.ZipFile, docx: Path, name: str) -> etree._Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise ReportError(f"{name} is {info.file_size} bytes, more than a Word document part can be "
                          f"({MAX_PART_BYTES}); not a .docx report comments can read", path=docx)
    try:
        data = archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise ReportError(f"{name} cannot be read from the archive ({error}); the file is damaged", path=docx) from None
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        line, column = error.position
        reason = re.sub(r", line \d+, column \d+$", "", error.msg or "")  # libxml2 repeats the place
        raise ReportError(f"{name} is not well-formed XML (line {line}, column {column}: {reason}); the file is "
                          "damaged", path=docx) from None


def _relationship_target(archive: zipfile.ZipFile, docx: Path, kind: str, default: str) -> str:
    """The part a relationship of ``document.xml`` of type ``kind`` points to; Word names it ``default``."""
    rels = _part(archive, docx, "word/_rels/document.xml.rels")
    if rels is not None:
        for relation in rels.iter(f"{{{PACKAGE_RELS}}}Relationship"):
            if relation.get("Type") == kind and relation.get("TargetMode") != "External":
                target = relation.get("Target", "")
                if target.startswith("/"):
                    return target.lstrip("/")
                return posixpath.normpath(posixpath.join("word", target))
    return default


def _sources(archive: zipfile.ZipFile, docx: Path) -> tuple[str, ...]:
    properties = _part(archive, docx, CUSTOM_PROPERTIES)
    value = None
    if properties is not None:
        for item in properties.iter(f"{{{CUSTOM}}}property"):
            if item.get("name") == SOURCES_PROPERTY:
                value = "".join(item.itertext())
    if value is None:
        raise ReportError(f"no '{SOURCES_PROPERTY}' document property ({CUSTOM_PROPERTIES}): not a .docx written by "
                          "report render, or the property was removed; its comments cannot be traced to the sources",
                          path=docx)
    try:
        sources = json.loads(value.translate(_STRAIGHT_QUOTES))
    except json.JSONDecodeError:
        sources = None
    if not isinstance(sources, list) or not all(isinstance(item, str) and item for item in sources):
        raise ReportError(f"the '{SOURCES_PROPERTY}' document property is not a JSON list of file names: "
                          f"{value[:80]!r}", path=docx)
    for source in sources:
        parts = PurePosixPath(source).parts
        if PurePosixPath(source).is_absolute() or ".." in parts or "\\" in source or ":" in source:
            raise ReportError(f"the '{SOURCES_PROPERTY}' document property names '{source}', a path outside the "
                              "project; only project-relative paths are read", path=docx)
    return tuple(sources)


def open_package(docx: Path) -> Package:
    """Read ``docx``; a missing, unknown or damaged file raises a :class:`ReportError` naming it and the fault."""
    if not docx.is_file():
        raise ReportError("no such file" if not docx.exists() else "not a file", path=docx)
    try:
        archive = zipfile.ZipFile(docx)
    except zipfile.BadZipFile:
        raise ReportError("not a Word document (.docx): the file is not a zip archive", path=docx) from None
    except OSError as error:
        raise ReportError(f"cannot be read: {error.strerror or error}", path=docx) from None
    with archive:
        document = _part(archive, docx, DOCUMENT)
        if document is None:
            raise ReportError(f"not a Word document (.docx): the archive has no {DOCUMENT}", path=docx)
        if document.tag != w("document") or document.find(w("body")) is None:
            raise ReportError(f"{DOCUMENT} is not a WordprocessingML document (root element "
                              f"{etree.QName(document).localname}, no w:body)", path=docx)
        sources = _sources(archive, docx)
        comments = _part(archive, docx, _relationship_target(archive, docx, COMMENTS_REL, "word/comments.xml"))
        extended = _part(archive, docx, _relationship_target(archive, docx, COMMENTS_EXTENDED_REL,
                                                             "word/commentsExtended.xml"))
        language = _language(_part(archive, docx, "word/styles.xml"))
    return Package(path=docx, document=document, comments=comments, comments_extended=extended, sources=sources,
                   language=language)


def _language(styles: etree._Element | None) -> str | None:
    lang = styles.find(f"{w('docDefaults')}//{w('lang')}") if styles is not None else None
    value = lang.get(w("val")) if lang is not None else None
    return value if value and re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", value) else None
