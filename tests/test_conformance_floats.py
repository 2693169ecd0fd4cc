"""Conformance: floats, layouts, caption placement, every cross-reference kind and math (issue 10, items 1-3, 7, 8).

The documents under tests/conformance/floats/ are written from Quarto's documentation; each is rendered once to
HTML and once to the tagged PDF (typst's PDF/UA-1 and PDF/A-2a checks run on every compile).
"""

import re
import shutil
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render
from report.document.layout import layout_rows
from report.document.xref_options import crossref_settings, format_label
from report.errors import ReportError
from report.sources.language import labels

CORPUS = Path(__file__).parent / "conformance" / "floats"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("floats")
    shutil.copytree(CORPUS, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("book"))
    return folder


class Rendered:
    def __init__(self, folder: Path, name: str):
        source = folder / f"{name}.qmd"
        render(source, RenderOptions(formats=("html",)))
        render(source, RenderOptions(formats=("typst",)))
        self.soup = BeautifulSoup(source.with_suffix(".html").read_text(encoding="utf-8"), "html.parser")
        self.main = self.soup.find("main")
        typ = source.with_suffix(".typ")  # every document keeps it (keep-typ), except nolinks.qmd
        self.typst = typ.read_text(encoding="utf-8") if typ.exists() else ""
        self.reader = pypdf.PdfReader(source.with_suffix(".pdf"))
        self.pdf = "\n".join(page.extract_text() for page in self.reader.pages).replace("\xa0", " ")

    def xrefs(self) -> list[str]:
        return [element.get_text() for element in self.main.select(".quarto-xref")]

    def caption(self, identifier: str) -> str:
        return self.main.find(id=f"{identifier}-caption").get_text(strip=True)


@pytest.fixture(scope="module")
def layouts(corpus):
    return Rendered(corpus, "layouts")


def _tagged(reader: pypdf.PdfReader) -> bool:
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    return "<pdfuaid:part>1</pdfuaid:part>" in xmp and bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])


# --- item 1: layouts, sub-figures, sub-tables ---------------------------------------------------------------

def test_subfigure_div_has_quarto_float_and_subfloat_markup(layouts):
    parent = layouts.main.find("div", id="fig-dieren")
    assert parent.find("figure")["class"] == ["quarto-float", "quarto-float-fig", "figure"]
    cells = parent.select("div.quarto-layout-panel > div.quarto-layout-row > div.quarto-layout-cell")
    assert [cell["class"] for cell in cells] == [["quarto-layout-cell-subref", "quarto-layout-cell"]] * 2
    assert [cell["data-ref-parent"] for cell in cells] == ["fig-dieren", "fig-dieren"]
    subfigures = parent.select("figure.quarto-subfloat-fig")
    assert [figure.parent["id"] for figure in subfigures] == ["fig-dieren-a", "fig-dieren-b"]
    assert [figure.find("img")["alt"] for figure in subfigures] == ["Een blauw vlak.", "Een oranje vlak."]
    captions = parent.select("figcaption.quarto-subfloat-caption.quarto-subfloat-fig")
    assert [caption.get_text(strip=True) for caption in captions] == ["(a) Blauw", "(b) Oranje"]
    assert layouts.caption("fig-dieren") == "Figuur\xa01: Twee vlakken"


def test_subreferences_read_figure_number_and_letter(layouts):
    assert layouts.xrefs() == ["Figuur\xa01", "Figuur\xa01\xa0(b)", "Figuur\xa02\xa0(b)", "Figuur\xa05",
                               "Tabel\xa01\xa0(a)"]
    assert layouts.main.find("a", string="Figuur\xa01\xa0(b)")["href"] == "#fig-dieren-b"
    assert "Zie Figuur 1, vooral Figuur 1 (b); en Figuur 2 (b) uit een cel." in layouts.pdf


def test_cell_with_fig_subcap_gives_subfigures_with_their_own_alt(layouts):
    parent = layouts.main.find("div", id="fig-plots")
    subfigures = parent.select("div.quarto-layout-cell-subref > div.quarto-float")
    assert [div["id"] for div in subfigures] == ["fig-plots-1", "fig-plots-2"]
    assert [div.find("img")["alt"] for div in subfigures] == ["Een stijgende lijn.", "Een dalende lijn."]
    assert [layouts.caption(div["id"]) for div in subfigures] == ["(a) Stijgend", "(b) Dalend"]
    assert layouts.caption("fig-plots") == "Figuur\xa02: Twee grafieken"


def test_nested_layout_with_spacer_and_valign(layouts):
    rows = layouts.main.find("div", id="fig-complex").select("div.quarto-layout-row")
    assert [row["class"] for row in rows] == [["quarto-layout-row", "quarto-layout-valign-bottom"]] * 2
    widths = [[re.search(r"flex-basis: ([\d.]+)%", cell["style"]).group(1)
               for cell in row.find_all("div", recursive=False)] for row in rows]
    assert widths == [["40.0", "20.0", "40.0"], ["100.0"]]
    assert "quarto-figure-spacer" in rows[0].find_all("div", recursive=False)[1]["class"]
    # A float's rows of unequal widths: one grid per row in the layout's own numbers, the spacer an empty cell
    assert '#grid(columns: (40fr, 20fr, 40fr), gutter: 2em, align: bottom,\n  [\n#block[' in layouts.typst
    assert '#grid(columns: (100fr), gutter: 2em, align: bottom,' in layouts.typst


def test_layout_div_without_float_lays_out_separate_figures(layouts):
    panel = layouts.main.find("div", id="fig-los-a").find_parent("div", class_="quarto-layout-panel")
    cells = panel.select("div.quarto-layout-cell")
    assert [cell.find("div", class_="quarto-float")["id"] for cell in cells] == ["fig-los-a", "fig-los-b"]
    assert [layouts.caption(name) for name in ("fig-los-a", "fig-los-b")] == ["Figuur\xa04: Los links",
                                                                             "Figuur\xa05: Los rechts"]


def test_tbl_subcap_gives_subtables(layouts):
    parent = layouts.main.find("div", id="tbl-paar")
    subtables = parent.select("figure.quarto-subfloat-tbl")
    assert [figure.parent["id"] for figure in subtables] == ["tbl-paar-1", "tbl-paar-2"]
    assert [layouts.caption(f"tbl-paar-{n}") for n in (1, 2)] == ["(a) Links", "(b) Rechts"]
    assert [figure.find("th", string=re.compile("[xy]")).get_text() for figure in subtables] == ["x", "y"]
    assert layouts.caption("tbl-paar") == "Tabel\xa01: Twee tabellen"
    assert "(a) Links" in layouts.pdf and "Tabel 1: Twee tabellen" in layouts.pdf


def test_typst_subfigures_are_figures_with_alt_text_in_grids(layouts):
    # Quarto's quarto_super around sub-figures of the float's own kind, left out of the list of figures
    assert layouts.typst.count('kind: image, supplement: "Figuur", outlined: false)<fig-') == 7
    assert '#image("images/a.svg", alt: "Een blauw vlak.", width: 100%)' in layouts.typst
    assert ('#quarto_super(\nkind: image,\ncaption: [Twee vlakken],\nlabel: <fig-dieren>,\nposition: bottom,\n'
            'supplement: "Figuur",\nsubcapnumbering: "(a)",\nnumbering: n => "1",\n') in layouts.typst
    assert "#ref(<fig-dieren>, supplement: [Figuur])" in layouts.typst
    assert "#link(<fig-dieren-b>)" in layouts.typst
    assert "(a) Blauw (b) Oranje" in layouts.pdf and "Figuur 1: Twee vlakken" in layouts.pdf
    assert _tagged(layouts.reader), "compiled with typst's PDF/UA-1 check"


def test_subfigure_without_alt_text_is_an_error(tmp_path):
    (tmp_path / "a.svg").write_text((CORPUS / "images" / "a.svg").read_text(), encoding="utf-8")
    source = tmp_path / "zonder.qmd"
    source.write_text("---\ntitle: Zonder\npdf-standard: [ua-1]\n---\n\n"
                      "::: {#fig-x layout-ncol=2}\n\n![A](a.svg){#fig-x-a fig-alt=\"A.\"}\n\n![B](a.svg){#fig-x-b}\n\n"
                      "Twee\n:::\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"figure 'fig-x[-b]*': missing alt text, which PDF/UA-1 requires"):
        render(source, RenderOptions(formats=("html",)))


def test_layout_rows_follow_ncol_nrow_and_nested_lists():
    assert layout_rows(5, ["", [], [["layout-ncol", "2"]]]) == [[1.0, 1.0]] * 3
    assert layout_rows(6, ["", [], [["layout-nrow", "2"]]]) == [[1.0, 1.0, 1.0]] * 2
    assert layout_rows(3, ["", [], [["layout", "[[1,1],[1]]"]]]) == [[1.0, 1.0], [1.0]]
    with pytest.raises(ReportError, match=r"layout '\[\[1,0\]\]' is not a list of rows of non-zero widths"):
        layout_rows(2, ["", [], [["layout", "[[1,0]]"]]])


# --- item 2: caption placement ------------------------------------------------------------------------------

def test_caption_locations_from_document_and_cell(corpus):
    rendered = Rendered(corpus, "captions")
    def caption_of(identifier):
        figure = rendered.main.find(id=identifier).find("figure")
        children = [child for child in figure.children if getattr(child, "name", None)]
        caption = figure.find("figcaption")
        return caption["class"][0], children.index(caption)
    assert caption_of("fig-boven") == ("quarto-float-caption-top", 0)
    assert caption_of("fig-marge") == ("quarto-float-caption-margin", 1)
    assert "margin-caption" in rendered.main.find(id="fig-marge-caption")["class"]
    assert caption_of("tbl-onder") == ("quarto-float-caption-bottom", 1)
    assert caption_of("tbl-cel") == ("quarto-float-caption-top", 0)
    assert caption_of("fig-formaat") == ("quarto-float-caption-top", 0)
    # format: typst: fig-cap-location: bottom outranks the document's top, for the PDF only
    assert re.search(r'caption: figure.caption\(position: bottom, [^\n]*\[Bovenaan door het document\]', rendered.typst)
    assert re.search(r'position: bottom, [^\n]*\[Boven op de site, onder in de PDF\]', rendered.typst)
    assert re.search(r'position: bottom, [^\n]*\[Onderaan door het document\]', rendered.typst)
    pdf = rendered.pdf
    assert pdf.index("x\n0 1") < pdf.index("Tabel 1: Onderaan door het document")
    assert pdf.index("Tabel 2: Bovenaan door de cel") < pdf.index("y\n0 2")


# --- item 3: cross-reference kinds and options --------------------------------------------------------------

@pytest.fixture(scope="module")
def crossrefs(corpus):
    return Rendered(corpus, "crossrefs")


def test_equations_are_numbered_and_referenced(crossrefs):
    energy = crossrefs.main.find("span", id="eq-energie")
    assert energy.find("math")["display"] == "block"
    assert energy.find("annotation").get_text().strip() == "E = mc^2 \\qquad(1)"
    assert crossrefs.xrefs()[:5] == ["Vergelijking\xa01", "Vergelijking\xa01", "vgl.\xa02", "2", "Vergelijking\xa02"]
    assert crossrefs.main.find("a", string="vgl.\xa02")["href"] == "#eq-kwadraat"
    # Quarto's form; the alt text is the one the label's attributes give (PDF/UA-1 requires one)
    assert ('#math.equation(block: true, numbering: equation-numbering, alt: "E is m maal c kwadraat", '
            '[ $ E = m c^2 $ ])<eq-energie>') in crossrefs.typst
    assert '#let equation-numbering = "(1)"' in crossrefs.typst
    assert ("De energie volgt uit Vergelijking 1; Vergelijking 1, vgl. 2, 2 en Vergelijking 2 ook."
            in crossrefs.pdf.replace("\n", " "))
    assert re.search(r"𝐸 = 𝑚𝑐2 \(1\)", crossrefs.pdf)


def test_listings_from_code_blocks_and_cells(crossrefs):
    listing = crossrefs.main.find("div", id="lst-tel")
    assert listing["class"][:2] == ["listing", "quarto-float"]
    assert listing.find("figure")["class"] == ["quarto-float", "quarto-float-lst", "figure"]
    assert crossrefs.caption("lst-tel") == "Listing\xa01: Tellen tot drie"
    assert crossrefs.main.find("div", id="lst-som").find("pre").get_text() == "print(1 + 1)"
    assert crossrefs.caption("lst-som") == "Listing\xa02: Een som"
    assert crossrefs.xrefs()[5:7] == ["Listing\xa01", "Listing\xa02"]
    assert '#ref(<lst-tel>, supplement: [Listing])' in crossrefs.typst and 'kind: "quarto-float-lst"' in crossrefs.typst
    assert "Listing 1: Tellen tot drie" in crossrefs.pdf and "Zie Listing 1 en Listing 2." in crossrefs.pdf


def test_theorem_kinds_have_quarto_classes_and_dutch_titles(crossrefs):
    expected = {"thm-pythagoras": ("theorem", "Stelling\xa01 (Pythagoras)"),
                "lem-hulp": ("lemma", "Lemma\xa01 (Hulpstelling)"),
                "cor-gevolg": ("corollary", "Conclusie\xa01"), "prp-voorstel": ("proposition", "Voorstel\xa01"),
                "def-driehoek": ("definition", "Definitie\xa01"), "exm-voorbeeld": ("example", "Voorbeeld\xa01"),
                "exr-oefening": ("exercise", "Oefening\xa01")}
    for identifier, (css, title) in expected.items():
        div = crossrefs.main.find("div", id=identifier)
        assert div["class"] == [css]
        assert div.select_one(f"span.{css}-title > strong").get_text() == title
    assert crossrefs.xrefs()[8:] == ["Stelling\xa01", "Lemma\xa01", "Conclusie\xa01", "Voorstel\xa01", "Definitie\xa01",
                                     "Voorbeeld\xa01", "Oefening\xa01", "Stelling\xa01"]
    # In the PDF, Quarto's theorion frame: the title in bold with a period, then the statement.
    assert re.search(r"Stelling 1 \(Pythagoras\)\.\s+In een rechthoekige driehoek geldt Vergelijking 2\.",
                     crossrefs.pdf)


def test_crossref_options_titles_prefixes_labels_and_delimiter(corpus):
    rendered = Rendered(corpus, "options")
    assert rendered.xrefs() == ["afb.\xa01.i", "Afb.\xa01.i", "afb.\xa01.ii\xa0(ii)", "overzicht\xa01.A",
                                "formule\xa01.1", "deel\xa02", "afb.\xa02.i"]
    assert rendered.caption("fig-een") == "Afbeelding\xa01.i — Een vlak"
    assert rendered.caption("fig-paar-b") == "(ii) Rechts"
    assert rendered.caption("tbl-tabel") == "Overzicht\xa01.A — Een tabel"
    assert rendered.caption("fig-twee") == "Afbeelding\xa02.i — Nog een vlak", "chapters: true restarts per section"
    assert 'separator: " — "' in rendered.typst
    assert 'supplement: "Afbeelding", numbering: n => "1.i"' in rendered.typst
    assert "Zie afb. 1.i, Afb. 1.i, afb. 1.ii (ii), overzicht 1.A, formule 1.1 en deel 2." in rendered.pdf
    assert "Overzicht 1.A — Een tabel" in rendered.pdf and "(1.1)" in rendered.pdf


def test_ref_hyperlink_false_writes_plain_references(corpus):
    rendered = Rendered(corpus, "nolinks")
    assert rendered.xrefs() == []  # as Quarto: the reference's text alone, in no element of its own
    assert "Zie Figuur\xa01." in rendered.main.get_text()
    assert "Zie Figuur 1." in rendered.pdf


def test_crossref_option_errors_are_clear():
    nl = labels("nl")
    with pytest.raises(ReportError, match=r"unknown crossref option 'fig-titel'; supported: "):
        crossref_settings({"crossref": {"fig-titel": "x"}}, nl)
    with pytest.raises(ReportError,
                       match=r"unknown cross-reference label style 'greek' \(use arabic, roman, Roman or alpha a\)"):
        crossref_settings({"crossref": {"labels": "greek"}}, nl)
    assert [format_label("alpha a", n) for n in (1, 26, 27)] == ["a", "z", "aa"]
    assert [format_label("Roman", n) for n in (4, 9, 14)] == ["IV", "IX", "XIV"]
    assert format_label("alpha x", 2) == "y"


# --- item 7 (bug): code of tbl- and fig- cells --------------------------------------------------------------

def test_code_of_table_and_figure_cells_is_shown(corpus):
    rendered = Rendered(corpus, "code")
    code = [pre.get_text() for pre in rendered.main.select(".cell-code pre")]
    assert code[0].startswith("import pandas as pd") and code[1].startswith("import matplotlib.pyplot as plt")
    assert rendered.main.find("div", id="tbl-getallen").find("table") is not None
    assert rendered.pdf.index('pd.DataFrame({"getal": [1, 2]})') < rendered.pdf.index("Tabel 1: Getallen")
    assert rendered.pdf.index("plt.show()") < rendered.pdf.index("Figuur 1: Een lijn")


# --- item 8: math -------------------------------------------------------------------------------------------

def test_math_is_mathml_in_html_and_pandocs_typst_math_in_pdf(corpus):
    rendered = Rendered(corpus, "math")
    assert [element["display"] for element in rendered.main.find_all("math")] == ["inline", "block"]
    assert rendered.main.find("script") is None or "mathjax" not in str(rendered.soup).lower()
    # As Quarto: math that is no numbered equation is pandoc's own typst math, without alt text
    assert "Inline: $a / b + sqrt(x)$." in rendered.typst and "#math.equation" not in rendered.typst
    assert "$ sum_(i = 1)^n i = frac(n \\( n + 1 \\), 2) $" in rendered.typst


# --- a book: numbers per chapter, references between chapters ----------------------------------------------

def test_book_numbers_floats_equations_and_theorems_per_chapter(tmp_path):
    shutil.copytree(CORPUS / "book", tmp_path, dirs_exist_ok=True)
    render(tmp_path, RenderOptions())
    page = BeautifulSoup((tmp_path / "_book/chapters/een.html").read_text(encoding="utf-8"), "html.parser")
    refs = {a["href"]: a.get_text() for a in page.select("main a.quarto-xref")}
    assert refs == {"twee.html#sec-twee": "Hoofdstuk\xa02", "twee.html#fig-paneel": "Figuur\xa02.2",
                    "twee.html#fig-paneel-b": "Figuur\xa02.2\xa0(b)", "twee.html#eq-groei": "Vergelijking\xa02.1",
                    "twee.html#lst-code": "Listing\xa02.1", "twee.html#thm-groei": "Stelling\xa02.1"}
    chapter = BeautifulSoup((tmp_path / "_book/chapters/twee.html").read_text(encoding="utf-8"), "html.parser")
    assert chapter.find(id="eq-groei").find("annotation").get_text().strip().endswith("\\qquad(2.1)")
    assert chapter.select_one("#thm-groei .theorem-title").get_text() == "Stelling\xa02.1 (Groei)"
    # format: html: fig-cap-location: top in _quarto.yml; the PDF keeps Quarto's default (bottom)
    figure = page.find(id="fig-vlak").find("figure")
    assert [child.name for child in figure.children if child.name][0] == "figcaption"
    typ = (tmp_path / "_book/floats.typ").read_text(encoding="utf-8")
    assert re.search(r"position: bottom, separator: \": \", \[Een vlak\]", typ)
    assert '#ref(<fig-paneel>, supplement: [Figuur])' in typ and '#ref(<lst-code>, supplement: [Listing])' in typ
    reader = pypdf.PdfReader(tmp_path / "_book/floats.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")
    assert "Figuur 2.2 (b)" in text and "(a) Blauw (b) Oranje" in text and "Figuur 2.2: Een paneel" in text
    assert "(2.1)" in text and re.search(r"Stelling 2\.1 \(Groei\)\.\s+Zie Vergelijking 2\.1\.", text)
    assert _tagged(reader)


def test_chapters_false_numbers_floats_through_the_whole_book():
    from report.document.crossref import BookDocument, number_book
    from report.document.pandoc import markdown_to_ast

    def chapter(name: str, text: str) -> BookDocument:
        return BookDocument(source=Path(name), blocks=markdown_to_ast(text, Path(name))["blocks"],
                            line_of=lambda needle: None)

    nl = labels("nl")
    documents = [chapter("een.qmd", '# Een\n\n![A](a.svg){#fig-a fig-alt="A."}\n\n$$ x $$ {#eq-a}\n'),
                 chapter("twee.qmd", '# Twee\n\n![B](b.svg){#fig-b fig-alt="B."}\n\n$$ y $$ {#eq-b}\n')]
    targets = number_book(documents, nl, number_sections=True,
                          settings=crossref_settings({"crossref": {"chapters": False}}, nl))
    assert [targets[name].number for name in ("fig-a", "fig-b", "eq-a", "eq-b")] == ["1", "2", "1", "2"]
    documents = [chapter("een.qmd", '# Een\n\n![A](a.svg){#fig-a fig-alt="A."}\n'),
                 chapter("twee.qmd", '# Twee\n\n![B](b.svg){#fig-b fig-alt="B."}\n')]
    targets = number_book(documents, nl, number_sections=True, settings=crossref_settings({}, nl))
    assert [targets[name].number for name in ("fig-a", "fig-b")] == ["1.1", "2.1"]


def test_figure_div_with_one_unlabelled_image_is_not_a_subfigure(tmp_path):
    (tmp_path / "a.svg").write_text((CORPUS / "images" / "a.svg").read_text(), encoding="utf-8")
    source = tmp_path / "enkel.qmd"
    source.write_text('::: {#fig-enkel}\n\n![Beschrijving](a.svg){fig-alt="Een vlak."}\n\nHet bijschrift\n:::\n',
                      encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    soup = BeautifulSoup(source.with_suffix(".html").read_text(encoding="utf-8"), "html.parser")
    figure = soup.find("div", id="fig-enkel")
    assert figure.select(".quarto-subfloat-fig") == [] and len(figure.find_all("figure")) == 1
    assert figure.find("img")["alt"] == "Een vlak."
    caption = figure.find("figcaption").get_text(strip=True)
    assert caption == "Figure\xa01: Het bijschrift", "English labels without lang"


def test_single_document_render_keeps_the_authors_image_folder_and_is_repeatable(tmp_path):
    shutil.copytree(CORPUS / "images", tmp_path / "images")
    source = tmp_path / "nolinks.qmd"
    shutil.copyfile(CORPUS / "nolinks.qmd", source)  # shows images/a.svg only
    render(source, RenderOptions(formats=("html",)))
    first = source.with_suffix(".html").read_bytes()
    assert sorted(path.name for path in (tmp_path / "images").iterdir()) == ["a.svg", "b.svg", "c.svg"]
    render(source, RenderOptions(formats=("html",)))
    assert source.with_suffix(".html").read_bytes() == first
