"""Build the Word reference documents (styles for `format: docx`) from pandoc's default reference.docx.

    .venv/bin/python scripts/make_docx_reference.py

writes report/outputs/docx/resources/reference.docx (the engine's default `reference-doc`) and
styles/huisstijl.docx (this book's `reference-doc`). Both take the design of the book's PDF (typst/): body in
Libertinus Serif 10.5 pt, headings, captions and tables in DejaVu Sans, headings in the accent colour #0b4f8a
(chapters 19 pt on a new page, sections 13 pt, subsections 11 pt), A4 with the PDF's margins, captions 8.5 pt,
tables 9 pt with a rule under the header row, Dutch (nl-NL) proofing language. Running it again gives the
same bytes (python-docx and lxml from the test extra; pandoc from pypandoc-binary).
"""

from __future__ import annotations

import subprocess
import sys
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402  (python-docx, the test extra)
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Cm, Pt, RGBColor  # noqa: E402

from report.document.pandoc import pandoc_path  # noqa: E402
from report.outputs.docx._package import ZIP_EPOCH, normalised_docx  # noqa: E402

ACCENT = RGBColor(0x0B, 0x4F, 0x8A)
GREY = RGBColor(0x5A, 0x5A, 0x5A)
SERIF, SANS = "Libertinus Serif", "DejaVu Sans"
TARGETS = (ROOT / "report" / "outputs" / "docx" / "resources" / "reference.docx", ROOT / "styles" / "huisstijl.docx")


def _font(style, name: str | None = None, size: float | None = None, colour: RGBColor | None = None,
          bold: bool | None = None, italic: bool | None = None) -> None:
    font = style.font
    if name:
        font.name = name
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), name)
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(attribute), None)
    if size:
        font.size = Pt(size)
    if colour is not None:
        font.color.theme_color = None  # (removes the colour element: the theme colour of pandoc's styles)
        font.color.rgb = colour
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic


def _language(document, tag: str) -> None:
    """The proofing language of every run that names none: the document defaults' w:lang."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)


def _table_style(document) -> None:
    """The 'Table' style pandoc gives every table: a rule under the header row, a light one under each row."""
    style = document.styles["Table"]
    _font(style, SANS, 9)
    properties = style.element.find(qn("w:tblPr"))
    if properties is None:
        properties = OxmlElement("w:tblPr")
        style.element.append(properties)
    for old in properties.findall(qn("w:tblBorders")):
        properties.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side, size, colour in (("top", 8, "000000"), ("bottom", 4, "C8C8C8"), ("insideH", 2, "C8C8C8")):
        border = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "0"), ("w:color", colour)):
            border.set(qn(key), value)
        borders.append(border)
    properties.append(borders)
    header = next((item for item in style.element.findall(qn("w:tblStylePr")) if item.get(qn("w:type")) == "firstRow"),
                  None)
    if header is not None:
        cell = header.find(qn("w:tcPr"))
        if cell is None:
            cell = OxmlElement("w:tcPr")
            header.append(cell)
        for old in cell.findall(qn("w:tcBorders")):
            cell.remove(old)
        cell_borders = OxmlElement("w:tcBorders")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "0"), ("w:color", "000000")):
            bottom.set(qn(key), value)
        cell_borders.append(bottom)
        cell.append(cell_borders)


def _paragraph_style(document, name: str, base: str = "Normal"):
    from docx.enum.style import WD_STYLE_TYPE

    try:
        return document.styles[name]
    except KeyError:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles[base]
        return style


def build() -> bytes:
    default = subprocess.run([pandoc_path(), "--print-default-data-file", "reference.docx"],
                             capture_output=True, check=True).stdout
    document = docx.Document(BytesIO(default))
    styles = document.styles
    _font(styles["Normal"], SERIF, 10.5)
    _language(document, "nl-NL")
    for name in ("Body Text", "First Paragraph"):
        styles[name].paragraph_format.space_after = Pt(6)
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for level, size, before in ((1, 19, 36), (2, 13, 14), (3, 11, 10), (4, 10.5, 8)):
        style = styles[f"Heading {level}"]
        _font(style, SANS, size, ACCENT, bold=True, italic=False)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
        if level == 1:  # a chapter starts a new page, as in the PDF
            style.paragraph_format.page_break_before = True
    _font(styles["Title"], SANS, 26, ACCENT, bold=True)
    _font(styles["Subtitle"], SANS, 13, ACCENT, italic=False)
    for name in ("Author", "Date"):
        _font(styles[name], SANS, 11)
    _font(styles["Abstract Title"], SANS, 10.5, ACCENT, bold=True)
    _font(styles["TOC Heading"], SANS, 19, ACCENT, bold=True)
    for name in ("Image Caption", "Table Caption"):
        _font(styles[name], SANS, 8.5, italic=False)
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    styles["Table Caption"].paragraph_format.keep_with_next = True
    styles["Compact"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT  # table cells and tight lists
    _font(styles["Footnote Text"], SERIF, 9)
    _font(styles["Hyperlink"], colour=ACCENT)
    _font(styles["Block Text"], SERIF, 10.5, GREY)
    _table_style(document)
    callout = _paragraph_style(document, "Callout Title")
    _font(callout, SANS, 10, ACCENT, bold=True)
    callout.paragraph_format.keep_with_next = True
    mark = _paragraph_style(document, "Mark")  # a draft's or demo's mark (the PDF's colour for it)
    _font(mark, SANS, 11, RGBColor(0x8A, 0x3B, 0x00), bold=True)
    mark.paragraph_format.space_after = Pt(12)
    part = _paragraph_style(document, "Part", "Heading 1")
    _font(part, SANS, 28, ACCENT, bold=False)
    part.paragraph_format.page_break_before = True
    part.paragraph_format.space_before = Pt(180)
    for level in (1, 2, 3):  # the table of contents' entries (Word's built-in "toc N" styles)
        entry = _paragraph_style(document, f"toc {level}")
        entry.style_id = f"TOC{level}"  # the id Word gives its own, which the field's entries name
        _font(entry, SANS, 10 if level == 1 else 9.5, bold=level == 1)
        entry.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        entry.paragraph_format.space_before = Pt(6 if level == 1 else 0)
        entry.paragraph_format.space_after = Pt(2)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)
    section.top_margin, section.bottom_margin = Cm(2.6), Cm(3)
    document.core_properties.title = ""
    buffer = BytesIO()
    document.save(buffer)
    return normalised_docx(buffer.getvalue(), ZIP_EPOCH)


def main() -> None:
    content = build()
    for target in TARGETS:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        print(f"wrote {target.relative_to(ROOT)} ({len(content)} bytes)")


if __name__ == "__main__":
    main()
