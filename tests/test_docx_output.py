"""`format: docx`: a document and a book rendered to Word, opened as a reader's word processor opens them.

python-docx reads styles, captions, tables, alt text, bookmarks and fields; LibreOffice (Debian's headless
Writer) converts the file to PDF, whose text and pages are checked. Without LibreOffice those tests fail where
``CI`` is set and are skipped elsewhere, as the Chromium tests.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn

from report.build import RenderOptions, render
from report.errors import ReportError

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1715688000"  # 2024-05-14 12:00 UTC

DOCUMENT = """---
title: "Een toets"
subtitle: "Ondertitel"
author: "Anna de Vries"
date: "2024-05-14"
abstract: "Een korte samenvatting."
lang: nl
toc: true
format:
  docx:
    fig-dpi: 120
    number-sections: true
---

## Inleiding {#sec-inleiding}

Dit is de eerste alinea met een voetnoot[^1] en de waarde `{python} 6 * 7` hier.

[^1]: De voetnoot.

- Eerste punt
- Tweede punt met `{python} 1 + 1` en `{python} 2 + 1`

::: {.callout-warning}
## Let op

Tekst in de callout.
:::

```{python}
#| label: fig-lijn
#| fig-cap: "Een lijn"
#| fig-alt: "Een stijgende lijn van links naar rechts"
import matplotlib.pyplot as plt
plt.figure(figsize=(4, 3))
plt.plot([1, 2, 3])
plt.show()
```

```{python}
#| label: tbl-getallen
#| tbl-cap: "Getallen"
import pandas as pd
pd.DataFrame({"naam": ["a", "b"], "aantal": [1200, 35]}).set_index("naam")
```

Zie @fig-lijn en @tbl-getallen.

{{< pagebreak >}}

## Tweede {#sec-tweede}

Slot met een citaat [@boek].

::: {.panel-tabset}
### Eerste tab

Inhoud van de eerste tab.

### Tweede tab

Inhoud van de tweede tab.
:::

::: {.content-visible when-format="docx"}
Alleen in Word.
:::

::: {.content-hidden when-format="docx"}
Alleen op de site.
:::
"""

BIBLIOGRAPHY = """@book{boek,
  author = {Jansen, Piet},
  title = {Een boek over toetsen},
  year = {2020},
  publisher = {Uitgeverij}
}
"""

BOOK_CONFIG = """project:
  type: book
lang: nl
book:
  title: "Klein boek"
  output-file: "klein-boek"
  chapters:
    - index.qmd
    - part: "Deel een"
      chapters:
        - een.qmd
        - twee.qmd
format:
  html:
    number-sections: true
  docx:
    number-sections: true
    toc: true
"""

BOOK_FILES = {
    "index.qmd": "# Voorwoord {.unnumbered}\n\nDit boek toetst de Word-uitvoer.\n",
    "een.qmd": "# Eerste hoofdstuk {#sec-een}\n\nZie @tbl-cijfers in het volgende hoofdstuk.\n\n"
               "## Inleiding\n\nTekst van het eerste hoofdstuk.\n",
    "twee.qmd": "# Tweede hoofdstuk {#sec-twee}\n\n## Inleiding\n\nTerug naar @sec-een.\n\n"
                "| Naam | Aantal |\n|------|-------:|\n| a    | 1200   |\n| b    | 35     |\n\n"
                ": Cijfers {#tbl-cijfers}\n",
}


def _document_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "doc.qmd").write_text(DOCUMENT.replace("lang: nl\n", "lang: nl\nbibliography: refs.bib\n"),
                                    encoding="utf-8")
    (folder / "refs.bib").write_text(BIBLIOGRAPHY, encoding="utf-8")
    return folder


def _render_docx(path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = render(path, RenderOptions(formats=("docx",)))
    assert result.warnings == ()
    (output,) = result.outputs
    return output


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    with pytest.MonkeyPatch.context() as monkeypatch:
        folder = _document_folder(tmp_path_factory.mktemp("docx") / "doc")
        return _render_docx(folder / "doc.qmd", monkeypatch)


@pytest.fixture(scope="module")
def word(rendered) -> docx.document.Document:
    return docx.Document(str(rendered))


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("docx-book") / "boek"
    folder.mkdir()
    (folder / "_quarto.yml").write_text(BOOK_CONFIG, encoding="utf-8")
    for name, text in BOOK_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        render(folder, RenderOptions(formats=("docx",)))
    return folder


def _xml(path: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).decode("utf-8")


def _bookmarks(word: docx.document.Document) -> dict[str, str]:
    """Each bookmark's name -> the text between its start and end, in document order."""
    texts: dict[str, list[str]] = {}
    open_ids: dict[str, str] = {}
    for element in word.element.body.iter():
        if element.tag == qn("w:bookmarkStart"):
            open_ids[element.get(qn("w:id"))] = element.get(qn("w:name"))
            texts[element.get(qn("w:name"))] = []
        elif element.tag == qn("w:bookmarkEnd"):
            open_ids.pop(element.get(qn("w:id")), None)
        elif element.tag == qn("w:t"):
            for name in open_ids.values():
                texts[name].append(element.text or "")
    return {name: "".join(parts) for name, parts in texts.items()}


def _line(source: str, text: str) -> int:
    return next(number for number, line in enumerate(source.splitlines(), 1) if text in line)


def test_styles_are_the_reference_docs_house_style_in_dutch(word):
    styles = word.styles
    assert styles["Heading 1"].font.name == "DejaVu Sans"
    assert str(styles["Heading 1"].font.color.rgb) == "0B4F8A"
    assert styles["Heading 1"].font.size.pt == 19
    assert styles["Heading 2"].font.size.pt == 13
    assert styles["Normal"].font.name == "Libertinus Serif"
    assert styles["Normal"].font.size.pt == 10.5
    lang = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "nl-NL"
    assert word.core_properties.language == "nl-NL"


def test_title_block_and_the_table_of_contents_field(word, rendered):
    shown = [(paragraph.style.name, paragraph.text) for paragraph in word.paragraphs[:6]]
    assert shown == [("Title", "Een toets"), ("Subtitle", "Ondertitel"), ("Author", "Anna de Vries"),
                     ("Date", "14 mei 2024"), ("Abstract Title", "Samenvatting"),
                     ("Abstract", "Een korte samenvatting.")]
    xml = _xml(rendered)
    assert re.search(r'<w:instrText xml:space="preserve">TOC \\o &quot;1-3&quot; \\h \\z \\u</w:instrText>', xml)
    assert "Inhoudsopgave" in xml
    # The field's result already lists the headings (Word rebuilds it with page numbers: the field is dirty),
    # so a reader that updates no fields still shows the contents.
    entries = re.findall(r'<w:pStyle w:val="(TOC\d)" /></w:pPr><w:hyperlink w:anchor="([^"]+)"><w:r>'
                         r'<w:t xml:space="preserve">([^<]+)</w:t>', xml)
    assert entries == [("TOC2", "sec-inleiding", "1 Inleiding"), ("TOC2", "sec-tweede", "2 Tweede")]
    assert word.styles["toc 2"].paragraph_format.left_indent.cm == pytest.approx(0.6, abs=0.01)


def test_captions_are_numbered_in_dutch_and_cross_references_link_to_their_bookmarks(word, rendered):
    captions = [(paragraph.style.name, paragraph.text) for paragraph in word.paragraphs
                if paragraph.style.name in {"Image Caption", "Table Caption"}]
    assert captions == [("Image Caption", "Figuur\u00a01: Een lijn"), ("Table Caption", "Tabel\u00a01: Getallen")]
    xml = _xml(rendered)
    for label, text in (("fig-lijn", "Figuur\u00a01"), ("tbl-getallen", "Tabel\u00a01")):
        assert re.search(rf'<w:hyperlink w:anchor="{label}">.*?<w:t xml:space="preserve">{text}</w:t>', xml)
        assert f'w:name="{label}"' in xml
    # The table's caption stands above it, the figure's below.
    body = [child.tag for child in word.element.body.iterchildren() if child.tag in {qn("w:p"), qn("w:tbl")}]
    table_caption = next(index for index, paragraph in enumerate(word.element.body.iterchildren(qn("w:p")))
                         if "Tabel\u00a01: Getallen" in "".join(t.text for t in paragraph.iter(qn("w:t"))))
    assert body.count(qn("w:tbl")) == 2  # the callout and the DataFrame
    assert table_caption > 0


def test_a_dataframe_is_a_word_table_with_numbers_right_aligned(word):
    table = next(table for table in word.tables if len(table.columns) == 2)
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["naam", "aantal"], ["a", "1200"], ["b", "35"]]
    alignment = [[cell.paragraphs[0].paragraph_format.alignment for cell in row.cells] for row in table.rows]
    right = docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert all(row[1] == right for row in alignment)
    assert all(row[0] != right for row in alignment)
    assert table.style.name == "Table"


def test_the_figure_is_a_png_at_fig_dpi_with_its_alt_text(rendered, word):
    xml = _xml(rendered)
    assert 'descr="Een stijgende lijn van links naar rechts"' in xml
    with zipfile.ZipFile(rendered) as archive:
        media = [name for name in archive.namelist() if name.startswith("word/media/")]
        assert len(media) == 1 and media[0].endswith(".png")
        png = archive.read(media[0])
    from PIL import Image

    width, height = Image.open(io.BytesIO(png)).size
    # matplotlib draws the 4 x 3 in figure; at fig-dpi 120 that is 480 x 360 pixels (give or take the tight box)
    assert abs(width - 480) <= 60 and abs(height - 360) <= 60
    extent = re.search(r'<wp:extent cx="(\d+)" cy="(\d+)"', xml)
    assert abs(int(extent.group(1)) / 914400 / (width / 120) - 1) < 0.02  # shown at its size at 120 dpi (EMU/inch)


def test_page_break_footnote_citation_and_callout(rendered, word):
    xml = _xml(rendered)
    assert '<w:br w:type="page"/>' in xml
    assert "De voetnoot." in _xml(rendered, "word/footnotes.xml")
    assert "(Jansen 2020)" in "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert any("Een boek over toetsen" in paragraph.text for paragraph in word.paragraphs)
    callout = next(table for table in word.tables if "Tekst in de callout." in table.cell(0, 0).text)
    cell = callout.cell(0, 0)
    assert [paragraph.text for paragraph in cell.paragraphs][:2] == ["Let op", "Tekst in de callout."]
    assert cell.paragraphs[0].style.name == "Callout Title"
    borders = callout._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders.find(qn("w:left")).get(qn("w:color")) == "8A5300"  # the warning colour of the PDF
    assert cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "FDF3E1"


def test_a_tabset_is_headed_sections_and_conditional_content_answers_to_docx(word):
    shown = [(paragraph.style.name, paragraph.text) for paragraph in word.paragraphs]
    start = shown.index(("Heading 3", "Eerste tab"))
    assert shown[start:start + 4] == [("Heading 3", "Eerste tab"), ("First Paragraph", "Inhoud van de eerste tab."),
                                      ("Heading 3", "Tweede tab"), ("First Paragraph", "Inhoud van de tweede tab.")]
    texts = [text for _style, text in shown]
    assert "Alleen in Word." in texts and "Alleen op de site." not in texts


def test_source_anchors_follow_the_spec(rendered, word):
    source = (rendered.parent / "doc.qmd").read_text(encoding="utf-8")
    custom = _xml(rendered, "docProps/custom.xml")
    value = re.search(r'name="report-sources"><vt:lpwstr>([^<]*)</vt:lpwstr>', custom).group(1)
    assert json.loads(value.replace("&quot;", '"')) == ["doc.qmd"]
    marks = _bookmarks(word)
    heading = _line(source, "## Inleiding")
    assert marks[f"rs_0_{heading}"] == "1 Inleiding"  # `number-sections` under `format: docx`
    paragraph = _line(source, "Dit is de eerste alinea")
    assert marks[f"rs_0_{paragraph}"].startswith("Dit is de eerste alinea met een voetnoot")
    assert marks[f"rc_0_{paragraph}_1"] == "42"
    item = _line(source, "- Tweede punt")
    assert marks[f"rs_0_{item}"] == "Tweede punt met 2 en 3"
    assert (marks[f"rc_0_{item}_1"], marks[f"rc_0_{item}_2"]) == ("2", "3")
    assert marks[f"rs_0_{_line(source, '- Eerste punt')}"] == "Eerste punt"
    assert marks[f"rs_0_{_line(source, 'Tekst in de callout.')}"] == "Tekst in de callout."
    fence = [number for number, line in enumerate(source.splitlines(), 1) if line.startswith("```{python}")]
    assert "Figuur\u00a01: Een lijn" in marks[f"rc_0_{fence[0]}_0"]
    assert "1200" in marks[f"rc_0_{fence[1]}_0"]
    assert marks[f"rs_0_{_line(source, 'Slot met een citaat')}"] == "Slot met een citaat (Jansen 2020)."
    xml = _xml(rendered)
    names = re.findall(r'w:name="(r[sc]_[^"]*)"', xml)
    assert len(names) == len(set(names)) > 10
    assert all(re.fullmatch(r"\w{1,40}", name) for name in names)


def test_two_renders_with_source_date_epoch_give_the_same_bytes(tmp_path, monkeypatch, rendered):
    first = _render_docx(_document_folder(tmp_path / "a") / "doc.qmd", monkeypatch).read_bytes()
    second = _render_docx(_document_folder(tmp_path / "b") / "doc.qmd", monkeypatch).read_bytes()
    assert first == second == rendered.read_bytes()
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2024, 5, 14, 12, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2024-05-14T12:00:00Z</dcterms:modified>" in core


def test_a_mark_opens_the_text(tmp_path):
    (tmp_path / "doc.qmd").write_text('---\ntitle: "X"\n---\n\nTekst.\n', encoding="utf-8")
    render(tmp_path / "doc.qmd", RenderOptions(formats=("docx",), mark="CONCEPT: niet voor publicatie"))
    word = docx.Document(str(tmp_path / "doc.docx"))
    assert [(paragraph.style.name, paragraph.text) for paragraph in word.paragraphs][:3] == [
        ("Title", "X"), ("Mark", "CONCEPT: niet voor publicatie"), ("Body Text", "Tekst.")]


def test_a_missing_reference_doc_is_an_error_naming_the_document(tmp_path):
    folder = tmp_path / "doc"
    folder.mkdir()
    (folder / "doc.qmd").write_text('---\ntitle: "X"\nformat:\n  docx:\n    reference-doc: huisstijl.docx\n---\n\n'
                                    "Tekst.\n", encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        render(folder / "doc.qmd", RenderOptions(formats=("docx",)))
    assert str(caught.value) == "doc.qmd: reference-doc 'huisstijl.docx' does not exist"
    assert not (folder / "doc.docx").exists()


def test_a_book_is_one_docx_named_after_its_output_file(book):
    output = book / "_book" / "klein-boek.docx"
    assert sorted(path.name for path in (book / "_book").iterdir() if path.suffix == ".docx") == ["klein-boek.docx"]
    word = docx.Document(str(output))
    shown = [(paragraph.style.name, paragraph.text) for paragraph in word.paragraphs if paragraph.text]
    headings = [(style, text) for style, text in shown if style.startswith("Heading") or style == "Part"]
    assert headings == [("Heading 1", "Voorwoord"), ("Part", "Deel een"), ("Heading 1", "1 Eerste hoofdstuk"),
                        ("Heading 2", "1.1 Inleiding"), ("Heading 1", "2 Tweede hoofdstuk"),
                        ("Heading 2", "2.1 Inleiding")]
    xml = _xml(output)
    # A cross-reference to another chapter goes to its bookmark inside the one document.
    assert re.search(r'<w:hyperlink w:anchor="tbl-cijfers">.*?Tabel\u00a02\.1</w:t>', xml)
    assert re.search(r'<w:hyperlink w:anchor="sec-een">.*?Hoofdstuk\u00a01</w:t>', xml)
    # The two "Inleiding" sections keep bookmarks of their own.
    assert len(re.findall(r'w:name="inleiding(?:-2)?"', xml)) == 2
    table = word.tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [["Naam", "Aantal"], ["a", "1200"],
                                                                         ["b", "35"]]
    custom = _xml(output, "docProps/custom.xml")
    value = re.search(r'name="report-sources"><vt:lpwstr>([^<]*)</vt:lpwstr>', custom).group(1)
    assert json.loads(value.replace("&quot;", '"')) == ["index.qmd", "een.qmd", "twee.qmd"]
    marks = _bookmarks(word)
    assert marks["rs_2_5"] == "Terug naar Hoofdstuk\u00a01."
    source = BOOK_FILES["twee.qmd"]
    assert marks[f"rs_2_{_line(source, '| Naam')}"] == "NaamAantala1200b35"  # the table, from its first row
    assert marks[f"rs_2_{_line(source, '{#tbl-cijfers}')}"] == "Tabel\u00a02.1: Cijfers"  # its caption
    assert marks["rs_1_3"] == "Zie Tabel\u00a02.1 in het volgende hoofdstuk."


def test_the_reference_docs_are_what_their_generator_makes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_docx_reference", ROOT / "scripts" / "make_docx_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build()
    for target in module.TARGETS:
        assert target.read_bytes() == built, f"{target.relative_to(ROOT)}: run scripts/make_docx_reference.py"


# LibreOffice -------------------------------------------------------------------------------------------------


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        message = "no LibreOffice (soffice); run `bash scripts/setup.sh` to install libreoffice-writer-nogui"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def converted(rendered, tmp_path_factory) -> Path:
    soffice = _soffice()
    folder = tmp_path_factory.mktemp("libreoffice")
    profile = folder / "profile"  # a profile of its own: never the user's, and no lock shared with another run
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(folder), str(rendered)], capture_output=True, text=True, timeout=300)
    pdf = folder / "doc.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    return pdf


def test_libreoffice_opens_the_docx_and_shows_its_text(converted):
    text = " ".join("\n".join(page.extract_text() for page in pypdf.PdfReader(converted).pages).split())
    for expected in ("Een toets", "Inhoudsopgave 1 Inleiding 2 Tweede 1 Inleiding", "Dit is de eerste alinea met een voetnoot", "42",
                     "Let op", "Tekst in de callout.", "Figuur 1: Een lijn", "Tabel 1: Getallen", "1200",
                     "Zie Figuur 1 en Tabel 1.", "2 Tweede", "(Jansen 2020)", "De voetnoot."):
        assert expected in text.replace("\u00a0", " "), expected


def test_two_pages_of_libreoffices_pdf_are_drawn(converted, tmp_path):
    """The first two pages as PNG (drawn by typst, which reads PDF pages as images); kept in the test's folder
    for a look, and checked to hold ink on paper."""
    import typst
    from PIL import Image

    source = tmp_path / "pages.typ"
    source.write_text("#set page(width: auto, height: auto, margin: 0pt)\n"
                      f'#image("{converted.name}", page: 1)\n#pagebreak()\n#image("{converted.name}", page: 2)\n',
                      encoding="utf-8")
    shutil.copyfile(converted, tmp_path / converted.name)
    pages = typst.compile(str(source), root=str(tmp_path), format="png", ppi=60)
    assert len(pages) == 2
    for number, png in enumerate(pages, 1):
        (tmp_path / f"page-{number}.png").write_bytes(png)
        image = Image.open(io.BytesIO(png)).convert("L")
        width, height = image.size
        assert abs(width / height - 210 / 297) < 0.01  # A4, from the reference document
        dark = sum(image.histogram()[:128])  # pixels darker than mid-grey: the page has text, not a blank
        assert 0.001 < dark / (width * height) < 0.5
