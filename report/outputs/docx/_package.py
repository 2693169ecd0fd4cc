"""The .docx as a reproducible zip: the same content gives the same bytes.

Pandoc's docx writer stamps the zip entries and docProps/core.xml with the render time. Here every entry is
written again in a fixed order with the time of ``SOURCE_DATE_EPOCH`` (the PDF's timestamp), so two renders
of unchanged sources give identical files, as the PDF does.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from xml.sax.saxutils import escape, quoteattr

__all__ = ["normalised_docx", "with_toc_entries"]

ZIP_EPOCH = 315532800  # 1980-01-01, the earliest time a zip entry can hold
_CORE_DATES = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


_TOC_FIELD = re.compile(r'(<w:p><w:r><w:fldChar w:fldCharType="begin" w:dirty="true" />'
                        r'<w:instrText xml:space="preserve">TOC [^<]*</w:instrText>)'
                        r'<w:fldChar w:fldCharType="separate" /><w:fldChar w:fldCharType="end" /></w:r></w:p>')


def with_toc_entries(data: bytes, entries: list[tuple[int, str, str]]) -> bytes:
    """``data`` (a .docx) whose table-of-contents field shows ``entries`` (level, bookmark, text) as its result.

    pandoc writes the field empty, for Word to fill when the document is opened; a reader that does not
    update fields (LibreOffice converting headless, a previewer) would show no contents at all. The field stays
    marked dirty, so Word still rebuilds it, with page numbers."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries_in = {name: source.read(name) for name in source.namelist()}
    document = entries_in["word/document.xml"].decode("utf-8")
    lines = "".join(f'<w:p><w:pPr><w:pStyle w:val="TOC{level}" /></w:pPr><w:hyperlink w:anchor={quoteattr(target)}>'
                    f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:hyperlink></w:p>'
                    for level, target, text in entries)
    document, count = _TOC_FIELD.subn(lambda match: match.group(1) + '<w:fldChar w:fldCharType="separate" /></w:r>'
                                      '</w:p>' + lines + '<w:p><w:r><w:fldChar w:fldCharType="end" /></w:r></w:p>',
                                      document, count=1)
    if not count:
        return data
    entries_in["word/document.xml"] = document.encode("utf-8")
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in entries_in.items():
            target.writestr(name, content)
    return output.getvalue()


def _zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    return time.gmtime(max(epoch, ZIP_EPOCH))[:6]


def normalised_docx(data: bytes, epoch: int, machine_properties: tuple[str, ...] = ()) -> bytes:
    """``data`` (a .docx) with every entry dated ``epoch`` (UTC), the core properties' dates set to it, and the
    entries in a fixed order ([Content_Types].xml first, as Office expects).

    ``machine_properties``: custom document properties to leave out, such as the bibliography's path on this
    machine, which pandoc records from ``--bibliography``."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {name: source.read(name) for name in source.namelist() if not name.endswith("/")}
    if "docProps/core.xml" in entries:
        core = entries["docProps/core.xml"].decode("utf-8")
        entries["docProps/core.xml"] = _CORE_DATES.sub(lambda match: match.group(1) + stamp + match.group(3),
                                                       core).encode("utf-8")
    if machine_properties and "docProps/custom.xml" in entries:
        custom = entries["docProps/custom.xml"].decode("utf-8")
        for name in machine_properties:
            custom = re.sub(rf'<property [^>]*name="{re.escape(name)}">.*?</property>', "", custom, flags=re.S)
        entries["docProps/custom.xml"] = custom.encode("utf-8")
    order = sorted(entries, key=lambda name: (name != "[Content_Types].xml", name))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_zip_time(epoch))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the machine
            target.writestr(info, entries[name], compresslevel=9)
    return output.getvalue()
