"""The PDF as its reader sees it: colophon, lists of figures and tables, parts, numeric columns, links.

The fixture mini-book is copied, given colophon metadata, a figure with a short caption (fig-scap) and a
table whose caption has two sentences, and rendered once with release metadata passed as ``-M``.
Expected values are read from that metadata, never copied from the output.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pypdf
import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf.generic import ArrayObject, DictionaryObject

from report.build import RenderOptions, render
from report.document._ast import Plain, Str
from report.document.captions import first_sentence, short_caption
from report.document.numeric_columns import FIGURE_SPACE, PUNCTUATION_SPACE, align_numeric_columns
from report.outputs.colophon import license_text
from report.sources.language import labels as language_labels
from report.sources.title_block import format_date

MINIBOOK = Path(__file__).parent / "fixtures" / "minibook"
EPOCH = "1715644800"
COLOPHON = {"commissioner": "Ministerie van Voorbeeldzaken", "publisher": "Uitgeverij Proef",
            "contact": "redactie@example.org", "license": "CC BY 4.0"}
RELEASE = {"version": "2.1.0", "tag": "v2.1.0", "commit": "0123456789abcdef0123456789abcdef01234567",
           "release-date": "2024-06-30"}
FIGURE_SCAP = "Lijn omhoog"
TABLE_CAPTION = "Scores per groep. De score loopt van 1 tot 10."
LABELS = language_labels("nl")
MARKDOWN_SCAP = "Aantallen kort"
MARKDOWN_TABLE = f"""| Groep | Aantal |
|-------|--------|
| A     | 1,5    |
| B     | 12     |

: Aantallen per groep. Een tweede zin. {{#tbl-aantallen tbl-scap="{MARKDOWN_SCAP}"}}
"""


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("designbook")
    shutil.copytree(MINIBOOK, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("_book", ".report-build"))
    config = root / "_quarto.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n" + yaml.safe_dump(COLOPHON, allow_unicode=True),
                      encoding="utf-8")
    chapter = root / "chapters" / "inleiding.qmd"
    text = chapter.read_text(encoding="utf-8")
    text = text.replace('#| fig-cap: "Een stijgende lijn"',
                        f'#| fig-cap: "Een stijgende lijn"\n#| fig-scap: "{FIGURE_SCAP}"')
    text = text.replace('#| tbl-cap: "Scores per groep"', f'#| tbl-cap: "{TABLE_CAPTION}"')
    text = text.replace("@tbl-scores toont twee groepen.", "@tbl-scores toont twee groepen.\n\n" + MARKDOWN_TABLE)
    chapter.write_text(text, encoding="utf-8")
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        render(root, RenderOptions(metadata=dict(RELEASE)))
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH")
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    return root


def _reader(book: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(book / "_book" / "proefboek.pdf")


def _page_text(page) -> str:
    return " ".join((page.extract_text() or "").replace("\xa0", " ").split())


def _page_with(reader: pypdf.PdfReader, heading: str) -> int:
    return next(index for index, page in enumerate(reader.pages) if _page_text(page).startswith(heading))


def _struct_elements(reader: pypdf.PdfReader):
    """(tag, element, ancestors' tags) for every structure element, in document order."""
    def walk(node, ancestors):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, ArrayObject):
            for child in node:
                yield from walk(child, ancestors)
        elif isinstance(node, DictionaryObject) and "/S" in node:
            tag = str(node["/S"])
            yield tag, node, ancestors
            if "/K" in node:
                yield from walk(node["/K"], ancestors + (tag,))

    yield from walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"], ())


def _link_descriptions(reader: pypdf.PdfReader) -> list[str]:
    return [str(annotation.get_object().get("/Contents")) for page in reader.pages
            for annotation in page.get("/Annots") or [] if annotation.get_object().get("/Subtype") == "/Link"]


# ---------------------------------------------------------------------------
# Colophon
# ---------------------------------------------------------------------------

def test_colophon_names_every_field_from_the_metadata(book):
    reader = _reader(book)
    colophon = _page_text(reader.pages[1])
    config = yaml.safe_load((book / "_quarto.yml").read_text(encoding="utf-8"))
    expected = {
        LABELS["colophon-title"]: f"{config['book']['title']}. {config['book']['subtitle']}",
        LABELS["authors"]: config["book"]["author"],
        LABELS["commissioner"]: config["commissioner"],
        LABELS["publisher"]: config["publisher"],
        LABELS["contact"]: config["contact"],
        LABELS["version"]: RELEASE["version"],
        LABELS["tag"]: RELEASE["tag"],
        LABELS["commit"]: RELEASE["commit"],
        LABELS["release-date"]: format_date(RELEASE["release-date"], "nl"),
        LABELS["license"]: f"{config['license']} (https://creativecommons.org/licenses/by/4.0/)",
    }
    for label, value in expected.items():
        assert f"{label} {value}" in colophon, f"colophon lacks '{label} {value}': {colophon}"
    # Not rendered from demo data: no statement that the data are synthetic.
    assert LABELS["synthetic-data"].split(":")[0] not in colophon


def test_license_is_read_as_quarto_reads_it():
    assert license_text("CC BY-SA 4.0") == "CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)"
    assert license_text("Alle rechten voorbehouden") == "Alle rechten voorbehouden"
    assert license_text({"text": "Open licentie", "link": "https://example.org/licentie"}) == \
        "Open licentie (https://example.org/licentie)"
    assert license_text(["CC BY", {"type": "open-access"}]) == \
        "CC BY (https://creativecommons.org/licenses/by/4.0/); open-access"
    assert license_text(None) is None


# ---------------------------------------------------------------------------
# Lists of figures and tables
# ---------------------------------------------------------------------------

def test_lists_use_short_captions(book):
    reader = _reader(book)
    figures = _page_text(reader.pages[_page_with(reader, LABELS["lof"])])
    tables = _page_text(reader.pages[_page_with(reader, LABELS["lot"])])
    assert f"{LABELS['fig']} 1.1 {FIGURE_SCAP}" in figures
    assert "Een stijgende lijn" not in figures
    assert f"{LABELS['tbl']} 1.1 {first_sentence(TABLE_CAPTION)}" in tables
    assert "De score loopt" not in tables
    assert f"{LABELS['tbl']} 1.2 {MARKDOWN_SCAP}" in tables and "Een tweede zin" not in tables
    # The caption itself keeps its full text.
    assert "De score loopt van 1 tot 10" in "\n".join(_page_text(page) for page in reader.pages[5:])


def test_list_entries_are_set_in_regular_weight(book):
    reader = _reader(book)
    fonts: set[str] = set()
    for heading in (LABELS["lof"], LABELS["lot"]):
        page = reader.pages[_page_with(reader, heading)]

        def visit(text, _cm, _tm, font, _size):
            if font and text.strip() and not text.strip().startswith(heading):
                fonts.add(str(font.get("/BaseFont")))

        page.extract_text(visitor_text=visit)
    assert fonts and not [font for font in fonts if "Bold" in font], fonts


def test_short_caption_falls_back_to_the_first_sentence():
    assert first_sentence("Aandeel per editie. Open cirkels zijn afgerond.") == "Aandeel per editie"
    assert first_sentence("Bron: Kuipers e.a. (z.d.), bewerkt") == "Bron: Kuipers e.a. (z.d.), bewerkt"
    assert first_sentence("Zie bijv. Tabel 2. Daarna meer.") == "Zie bijv. Tabel 2"
    assert short_caption("  Kort  en goed ", [Str("Lang.")]) == "Kort en goed"


# ---------------------------------------------------------------------------
# Parts, links and tags
# ---------------------------------------------------------------------------

def test_parts_nest_their_chapters_in_tags_and_bookmarks(book):
    reader = _reader(book)
    config = yaml.safe_load((book / "_quarto.yml").read_text(encoding="utf-8"))
    part = next(entry["part"] for entry in config["book"]["chapters"] if isinstance(entry, dict))
    headings = [(tag, str(element.get("/T"))) for tag, element, _ in _struct_elements(reader)
                if re.fullmatch(r"/H\d", tag)]
    position = headings.index(("/H1", part))
    assert headings[position + 1] == ("/H2", "1 Inleiding")
    assert ("/H3", "1.1 Een figuur") in headings
    assert ("/H1", "Voorwoord") in headings  # a chapter before the first part stays at the top level
    outline = reader.outline
    index = next(i for i, item in enumerate(outline) if not isinstance(item, list) and item.title == part)
    assert [item.title for item in outline[index + 1] if not isinstance(item, list)][:2] == ["1 Inleiding",
                                                                                            "2 Analyse"]


def test_links_describe_their_target(book):
    reader = _reader(book)
    descriptions = _link_descriptions(reader)
    assert any(re.fullmatch(rf"{LABELS['section']} 1\.2 Een tabel, pagina \d+", text) for text in descriptions)
    # A float is a numbered typst figure: typst describes a link to it by its kind and number.
    assert f"{LABELS['fig']} 1.1" in descriptions and f"{LABELS['tbl']} 1.1" in descriptions
    assert any(re.fullmatch(rf"{LABELS['chapter']} 1 Inleiding, pagina \d+", text) for text in descriptions)
    assert not [text for text in descriptions if text != text.strip()], "a link description starts with a space"


def test_no_link_inside_a_link(book):
    nested = [tag for tag, _, ancestors in _struct_elements(_reader(book)) if tag == "/Link" and "/Link" in ancestors]
    assert nested == []


# ---------------------------------------------------------------------------
# Numeric columns
# ---------------------------------------------------------------------------

def test_numeric_column_is_right_aligned_in_typst_and_html(book):
    typst_source = (book / "_book" / "proefboek.typ").read_text(encoding="utf-8")
    table = typst_source[typst_source.index("[Groep], [Score]") - 200:]
    assert re.search(r"align: \(left,right,\)", table[:400])
    soup = BeautifulSoup((book / "_book/chapters/inleiding.html").read_text(encoding="utf-8"), "html.parser")
    cells = [cell for cell in soup.find("table").find_all(["td", "th"]) if cell.get_text(strip=True) == "1,5"]
    assert cells and "text-align: right" in cells[0].get("style", "")


def _table(rows: list[list[str]]):
    def cell(text):
        return [["", [], []], {"t": "AlignDefault"}, 1, 1, [Plain([Str(text)])]]

    return {"t": "Table", "c": [["", [], []], [None, []],
                                [[{"t": "AlignDefault"}, {"t": "ColWidthDefault"}] for _ in rows[0]],
                                [["", [], []], []],
                                [[["", [], []], 0, [], [[["", [], []], [cell(text) for text in row]] for row in rows]]],
                                [["", [], []], []]]}


def _column(table, index):
    return [row[1][index][4][0]["c"][0]["c"] for row in table["c"][4][0][3]]


def test_numbers_align_on_the_decimal_comma():
    aligned = align_numeric_columns(_table([["Burgemeesters", "6,5%", "200", "36\u201339"],
                                            ["Totaal", "100%", "3.100", "1\u20137"],
                                            ["Raadsleden", "12,25%", "", "0"]]))
    assert [spec[0]["t"] for spec in aligned["c"][2]] == ["AlignDefault", "AlignRight", "AlignRight", "AlignRight"]
    assert _column(aligned, 1) == [f"6,5{FIGURE_SPACE}%", f"100{PUNCTUATION_SPACE}{FIGURE_SPACE * 2}%", "12,25%"]
    assert _column(aligned, 2) == ["200", "3.100", ""]


def test_text_column_stays_as_it_was():
    table = _table([["A", "1,5"], ["B", "twee"]])
    assert align_numeric_columns(table) is table


def test_a_share_with_its_interval_is_a_number():
    aligned = align_numeric_columns(_table([["Burgemeesters", "7% (4%\u201312%)"], ["Wethouders", "48% (43%\u201352%)"],
                                            ["Raadsleden", "zie tekst (1)"]]))
    assert aligned["c"][2][1][0]["t"] == "AlignDefault"  # one text cell keeps the column left-aligned
    aligned = align_numeric_columns(_table([["Burgemeesters", "7% (4%\u201312%)"], ["Totaal", "0,72 [0,61; 0,80]"]]))
    assert aligned["c"][2][1][0]["t"] == "AlignRight"


# ---------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------

def test_colophon_keys_and_short_caption_options_are_accepted(tmp_path):
    from report.sources.project import load_project
    from report.sources.qmd import parse_qmd

    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: book\nbook:\n  title: Boek\n  chapters:\n    - index.qmd\n"
        "license:\n  text: Eigen licentie\n  link: https://example.org/licentie\n"
        "commissioner: Een ministerie\npublisher: Een uitgever\ncontact: info@example.org\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Start {#sec-start}\n", encoding="utf-8")
    project = load_project(tmp_path)
    assert project.config.license == {"text": "Eigen licentie", "link": "https://example.org/licentie"}
    assert (project.config.commissioner, project.config.contact) == ("Een ministerie", "info@example.org")
    document = parse_qmd('# T {#sec-t}\n\n```{python}\n#| label: fig-a\n#| fig-cap: "Lang. Nog langer."\n'
                         '#| fig-scap: "Kort"\n1\n```\n\n```{python}\n#| label: tbl-a\n#| tbl-scap: "Kort"\n1\n```\n',
                         Path("doc.qmd"))
    cells = [chunk for chunk in document.chunks if hasattr(chunk, "options")]
    assert [cell.options.fig_scap for cell in cells] == ["Kort", None]
    assert [cell.options.tbl_scap for cell in cells] == [None, "Kort"]


def test_markdown_table_numbers_align_and_its_short_caption_stays_out_of_the_html(book):
    soup = BeautifulSoup((book / "_book/chapters/inleiding.html").read_text(encoding="utf-8"), "html.parser")
    table = soup.find(id="tbl-aantallen")
    assert table is not None and "tbl-scap" not in str(table)
    cells = [cell for cell in table.find_all("td") if cell.get_text(strip=True).startswith("12")]
    assert cells and "text-align: right" in cells[0].get("style", "")
    assert cells[0].get_text() == f"12{PUNCTUATION_SPACE}{FIGURE_SPACE}"


def test_toc_depth_counts_chapter_levels_below_the_parts(tmp_path):
    """toc-depth 1: chapters only (parts above them), no sections."""
    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root, ignore=shutil.ignore_patterns("_book", ".report-build"))
    config = root / "_quarto.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("    toc: true\n    keep-typ", "    toc: true\n"
                                                                 "    toc-depth: 1\n    keep-typ"), encoding="utf-8")
    render(root, RenderOptions(formats=("typst",)))
    reader = pypdf.PdfReader(root / "_book" / "proefboek.pdf")
    contents = _page_text(reader.pages[_page_with(reader, LABELS["toc"])])
    assert "1 Inleiding" in contents and "Eerste deel" in contents
    assert "1.1 Een figuur" not in contents
