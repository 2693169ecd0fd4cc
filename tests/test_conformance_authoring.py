"""Quarto's authoring features of issue 10 (shortcodes, conditional content, tabsets, margins, callout options,
code options) in both outputs, on the conformance documents in tests/conformance/authoring/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render
from report.errors import ReportError
from report.sources import diagnostics
from report.sources.qmd import parse_qmd
from report.sources.shortcodes import ShortcodeContext

CORPUS = Path(__file__).parent / "conformance" / "authoring"


def pdf_text(path: Path) -> str:
    """The PDF's text with line breaks and spacing collapsed (lines wrap where the layout puts them)."""
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages).split())


def words(node) -> str:
    """The text of an HTML element with its whitespace collapsed, as a reader sees it."""
    return " ".join(node.get_text(" ").split())


def main(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("main")


def render_single(folder: Path, name: str) -> tuple[BeautifulSoup, str, str]:
    """A document rendered on its own (outside any project) to HTML and PDF: main element, PDF text, typst."""
    source = folder / name
    shutil.copyfile(CORPUS / name, source)
    render(source, RenderOptions(formats=("html",)))
    render(source, RenderOptions(formats=("typst",)))
    return (main(source.with_suffix(".html")), pdf_text(source.with_suffix(".pdf")),
            source.with_suffix(".typ").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- item 4: shortcodes (a tiny book)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shortcodes")
    shutil.copytree(CORPUS / "book", folder, dirs_exist_ok=True)
    render(folder, RenderOptions())
    page = folder / "_book" / "chapters" / "shortcodes.html"
    return {"folder": folder, "html": main(page), "page": page, "pdf": folder / "_book" / "shortcodes.pdf",
            "typst": (folder / "_book" / "shortcodes.typ").read_text(encoding="utf-8")}


def test_meta_var_and_env_values_in_both_outputs(book):
    html = words(book["html"])
    pdf = pdf_text(book["pdf"])
    for text in ("Titel uit de metadata: Shortcodes; boek: Conformiteit: shortcodes", "genest: false", "project: Inhoud van het project",
                 "Variabelen: Het Netwerk, info@example.org, versie 3", "Omgeving: standaardwaarde"):
        assert text in html
        assert text in pdf


def test_meta_follows_the_format_level_of_the_metadata(book):
    assert "breedte 6" in words(book["html"])
    assert "breedte 6" not in pdf_text(book["pdf"])
    assert "breedte 5" in pdf_text(book["pdf"])


def test_kbd_is_quartos_markup_on_the_site_and_code_in_the_pdf(book):
    kbd = book["html"].find("kbd")
    assert kbd.get_text() == "Ctrl-Shift-P"
    assert kbd["aria-hidden"] == "true" and kbd["data-mac"] == "Cmd-Shift-P"
    assert kbd.find_next_sibling("span", class_="visually-hidden").get_text() == "Ctrl-Shift-P"
    assert "Ctrl-Shift-P (mac: Cmd-Shift-P)" in pdf_text(book["pdf"])
    assert "(mac:" not in words(book["html"])
    keys_only = book["html"].find_all("kbd")[1]
    assert (keys_only.get_text(), keys_only["data-windows"], keys_only["data-linux"]) == ("", "Ctrl-S", "Ctrl-Alt-S")
    assert "Ctrl-S (windows), Ctrl-Alt-S (linux)" in pdf_text(book["pdf"])


def test_the_site_links_the_tabs_and_keys_script(book):
    page = BeautifulSoup(book["page"].read_text(encoding="utf-8"), "html.parser")
    assert page.find("script", src="../site_libs/tabsets.js") is not None
    assert (book["folder"] / "_book" / "site_libs" / "tabsets.js").is_file()


def test_escaped_shortcode_is_literal(book):
    assert "Letterlijk: {{< var organisatie >}}." in words(book["html"])
    assert "Letterlijk: {{< var organisatie >}}." in pdf_text(book["pdf"])


def test_include_is_recursive_and_its_cells_run(book):
    html = words(book["html"])
    assert "Gedeelde tekst uit een ingevoegd bestand van Het Netwerk." in html
    assert "Tekst uit een dieper ingevoegd bestand." in html
    assert book["html"].find("pre", class_="cell-output-stdout").get_text() == "uitvoer uit een ingevoegde cel"
    assert "uitvoer uit een ingevoegde cel" in pdf_text(book["pdf"])


def test_pagebreak_in_both_outputs(book):
    assert book["html"].find("div", style="page-break-after: always;") is not None
    assert "#pagebreak()" in book["typst"]
    pages = [page.extract_text() for page in pypdf.PdfReader(book["pdf"]).pages]
    before = next(index for index, text in enumerate(pages) if "Tekst uit een dieper ingevoegd bestand." in text)
    after = next(index for index, text in enumerate(pages) if "uit een notebook." in text)
    assert after == before + 1


def test_embed_shows_a_notebook_cells_stored_output_with_caption_and_number(book):
    figure = book["html"].find("div", id="fig-ingebed")
    assert "quarto-float" in figure["class"]
    image = figure.find("img")
    assert image["alt"] == "Twee staven, a lager dan b."
    assert (book["page"].parent / image["src"]).is_file()
    assert figure.find("figcaption").get_text(strip=True) == "Figuur\xa01.1: Een staafdiagram uit een notebook"
    assert [link.get_text() for link in book["html"].select("a.quarto-xref")] == ["Figuur\xa01.1", "Figuur\xa01.2"]
    assert "plt.bar" not in book["html"].get_text(), "an embed shows outputs only, unless echo=true"
    assert "print('tekst uit het notebook')" in book["html"].find("div", class_="cell-code").get_text()
    pdf = pdf_text(book["pdf"])
    assert "Figuur 1.1: Een staafdiagram uit een notebook" in pdf.replace("\xa0", " ")
    assert re.search(r'#figure\(\[\s*#image\("chapters/shortcodes_files/figure-typst/fig-ingebed-output-1\.png".*?\)<fig-ingebed>',
                     book["typst"], re.S)


def test_embed_of_a_qmd_cell_runs_that_document(book):
    figure = book["html"].find("div", id="fig-uit-document")
    assert figure.find("img")["alt"] == "Een dalende lijn."
    assert figure.find("figcaption").get_text(strip=True) == "Figuur\xa01.2: Een figuur uit een ander document"
    outputs = [pre.get_text() for pre in book["html"].find_all("pre", class_="cell-output-stdout")]
    assert "10" in outputs, "the printed output of the embedded cell"
    assert "plt.plot([3, 1])" not in book["html"].get_text()
    assert not (book["folder"] / "_book" / "chapters" / "_bron.html").exists(), "the source is not a page"
    assert "Figuur 1.2: Een figuur uit een ander document" in pdf_text(book["pdf"])


def test_embed_cycle_is_an_error(tmp_path):
    _document(tmp_path, {"a.qmd": "# A\n\n{{< embed b.qmd#x >}}\n",
                         "b.qmd": "# B\n\n```{python}\n#| label: x\n1\n```\n\n{{< embed a.qmd#y >}}\n"})
    assert _parse_error(tmp_path, "a.qmd") == "b.qmd:8: embed cycle: a.qmd -> b.qmd -> a.qmd"


def _document(tmp_path: Path, files: dict[str, str], variables: str | None = None) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    if variables is not None:
        (tmp_path / "_variables.yml").write_text(variables, encoding="utf-8")
    return tmp_path


def _parse_error(root: Path, name: str) -> str:
    with pytest.raises(ReportError) as caught:
        parse_qmd((root / name).read_text(encoding="utf-8"), Path(name), root=root,
                  context=ShortcodeContext.for_project(root, {}))
    return str(caught.value)


def _parse_strict_error(root: Path, name: str) -> str:
    with diagnostics.collecting(strict=True):
        return _parse_error(root, name)


def test_unknown_shortcode_names_file_line_and_shortcode_when_strict(tmp_path):
    _document(tmp_path, {"doc.qmd": "# T\n\nTekst.\n\nMet {{< sparkles groot >}} erin.\n"})
    assert _parse_strict_error(tmp_path, "doc.qmd") == (
        "doc.qmd:5: Shortcode 'sparkles' not found (strict mode: warnings are errors)")


def test_errors_in_an_included_file_name_that_file_and_its_line(tmp_path):
    _document(tmp_path, {"hoofdstukken/doc.qmd": "---\ntitle: T\n---\n\n# T\n\n{{< include delen/_deel.qmd >}}\n",
                         "hoofdstukken/delen/_deel.qmd": "Eerste regel.\n\nTweede {{< onbekend >}}.\n"})
    assert _parse_strict_error(tmp_path, "hoofdstukken/doc.qmd").startswith(
        "hoofdstukken/delen/_deel.qmd:3: Shortcode 'onbekend' not found")


def test_nested_include_paths_are_relative_to_the_document_as_in_quarto(tmp_path):
    _document(tmp_path, {"hoofdstuk/doc.qmd": "# T\n\n{{< include delen/_a.qmd >}}\n",
                         "hoofdstuk/delen/_a.qmd": "A.\n\n{{< include delen/_b.qmd >}}\n\n{{< include /gedeeld/_c.qmd >}}\n",
                         "hoofdstuk/delen/_b.qmd": "B.\n", "gedeeld/_c.qmd": "C.\n"})
    doc = parse_qmd((tmp_path / "hoofdstuk/doc.qmd").read_text(), Path("hoofdstuk/doc.qmd"), root=tmp_path)
    assert [chunk.text.split() for chunk in doc.chunks] == [["#", "T", "A.", "B.", "C."]]


def test_cell_option_error_in_an_included_file_names_that_file(tmp_path):
    _document(tmp_path, {"doc.qmd": "# T\n\n{{< include _deel.qmd >}}\n",
                         "_deel.qmd": "Tekst.\n\n```{python}\n#| echo: misschien\n1\n```\n"})
    assert _parse_error(tmp_path, "doc.qmd").startswith("_deel.qmd:4: invalid value for 'echo' in cell options")


def test_cell_option_warning_in_an_included_file_names_that_file(tmp_path):
    from report.sources import diagnostics

    _document(tmp_path, {"doc.qmd": "# T\n\n{{< include _deel.qmd >}}\n",
                         "_deel.qmd": "Tekst.\n\n```{python}\n#| lable: x\n1\n```\n"})
    with diagnostics.collecting() as collector:
        parse_qmd((tmp_path / "doc.qmd").read_text(encoding="utf-8"), Path("doc.qmd"), root=tmp_path)
    assert [str(warning) for warning in collector.warnings] == [
        "_deel.qmd:4: unknown option 'lable' in cell options is kept as metadata (did you mean 'label'?)"]


def test_include_cycle_is_an_error(tmp_path):
    _document(tmp_path, {"doc.qmd": "# T\n\n{{< include _a.qmd >}}\n", "_a.qmd": "A\n\n{{< include _b.qmd >}}\n",
                         "_b.qmd": "B\n{{< include _a.qmd >}}\n"})
    assert _parse_error(tmp_path, "doc.qmd") == "_b.qmd:2: include cycle: _a.qmd -> _b.qmd -> _a.qmd"


def test_missing_include_file_is_an_error(tmp_path):
    _document(tmp_path, {"sub/doc.qmd": "# T\n\nTekst.\n{{< include _weg.qmd >}}\n"})
    assert _parse_error(tmp_path, "sub/doc.qmd") == (
        "sub/doc.qmd:4: included file '_weg.qmd' does not exist (looked for sub/_weg.qmd)")


def test_lines_after_an_include_keep_their_own_numbers(tmp_path):
    _document(tmp_path, {"doc.qmd": "# T\n\n{{< include _deel.qmd >}}\n\nZie @fig-nergens.\n",
                         "_deel.qmd": "Een.\n\nTwee.\n\nDrie.\n"})
    doc = parse_qmd((tmp_path / "doc.qmd").read_text(), Path("doc.qmd"), root=tmp_path)
    assert doc.line_of("@fig-nergens") == 5
    assert doc.line_of("Drie.") == 3, "an included line is reported at its include"


@pytest.mark.parametrize(("text", "message"), [
    ("{{< env REPORT_TEST_SURELY_UNSET >}}", "doc.qmd:3: environment variable 'REPORT_TEST_SURELY_UNSET' is not set "
                                             "(give a default: {{< env REPORT_TEST_SURELY_UNSET DEFAULT >}})"),
    ("{{< embed nb.ipynb#fig-x >}}", "doc.qmd:3: embedded notebook 'nb.ipynb' does not exist (looked for nb.ipynb)"),
    ("{{< embed ander.qmd#fig-x >}}", "doc.qmd:3: embedded document 'ander.qmd' does not exist (looked for "
                                      "ander.qmd)"),
])
def test_value_and_embed_errors(tmp_path, text, message):
    _document(tmp_path, {"doc.qmd": f"# T\n\n{text}\n"}, variables="bekend: 1\n")
    assert _parse_error(tmp_path, "doc.qmd") == message


@pytest.mark.parametrize(("text", "shown", "message"), [
    ("{{< var ontbreekt >}}", "?var:ontbreekt",
     "var 'ontbreekt' is not defined in _variables.yml; shown as ?var:ontbreekt, as in Quarto"),
    ("{{< meta ontbreekt >}}", "?meta:ontbreekt",
     "meta 'ontbreekt' is not set in the document's or project's metadata; shown as ?meta:ontbreekt, as in Quarto"),
])
def test_a_var_or_meta_key_that_is_not_there_is_a_warning_and_shown_as_quarto_shows_it(tmp_path, text, shown,
                                                                                       message):
    _document(tmp_path, {"doc.qmd": f"---\ntitle: T\n---\n\nWaarde: {text}.\n"}, variables="bekend: 1\n")
    result = render(tmp_path / "doc.qmd", RenderOptions(formats=("html",)))
    assert [(str(item.path), item.line, item.message) for item in result.warnings] == [("doc.qmd", 5, message)]
    page = BeautifulSoup((tmp_path / "doc.html").read_text(encoding="utf-8"), "html.parser")
    assert str(page.find("strong", string=shown)) == f"<strong>{shown}</strong>"


def test_embed_of_an_unknown_label_lists_the_notebooks_labels(tmp_path):
    shutil.copyfile(CORPUS / "book" / "notebooks" / "analyse.ipynb", tmp_path / "analyse.ipynb")
    _document(tmp_path, {"doc.qmd": "# T\n\n{{< embed analyse.ipynb#fig-weg >}}\n"})
    assert _parse_error(tmp_path, "doc.qmd") == (
        "doc.qmd:3: notebook 'analyse.ipynb' has no cell labelled 'fig-weg' (labelled cells: fig-ingebed, "
        "tabel-ingebed)")


# ---------------------------------------------------------------- item 5: conditional content


@pytest.fixture(scope="module")
def conditional(tmp_path_factory):
    return render_single(tmp_path_factory.mktemp("conditional"), "conditional.qmd")


def test_one_source_gives_different_html_and_pdf_text(conditional):
    html, pdf, _typst = conditional
    site = words(html)
    only_site = ["Deze zin staat alleen op de site.", "Niet in de PDF, dus op de site.", "een webdeel",
                 "code alleen op de site"]
    only_pdf = ["Deze zin staat alleen in de PDF.", "Verborgen op de site, dus zichtbaar in de PDF.",
                "Alleen in typst.", "een papieren deel"]
    for text in only_site:
        assert text in site and text not in pdf
    for text in only_pdf:
        assert text in pdf and text not in site


def test_when_meta_and_unless_meta_with_dotted_keys(conditional):
    html, pdf, _typst = conditional
    for output in (words(html), pdf):
        assert "Zichtbaar omdat toc waar is." in output
        assert "Verborgen omdat toc waar is." not in output
        assert "Zichtbaar omdat execute.warning niet waar is." in output
        assert "Verborgen omdat execute.warning onwaar is." not in output


def test_conditional_markup_leaves_no_trace(conditional):
    html, _pdf, _typst = conditional
    assert not html.select(".content-visible, .content-hidden, .report-only, [data-formats]")


# ---------------------------------------------------------------- item 6: tabsets, margins, callouts


@pytest.fixture(scope="module")
def structures(tmp_path_factory):
    return render_single(tmp_path_factory.mktemp("structures"), "structures.qmd")


def test_tabset_is_the_aria_tabs_pattern(structures):
    html, _pdf, _typst = structures
    tabset = html.find("div", class_="panel-tabset")
    tablist = tabset.find("ul", class_="nav-tabs")
    assert tablist["role"] == "tablist"
    tabs = tablist.find_all("a", class_="nav-link")
    assert [tab.get_text(strip=True) for tab in tabs] == ["Resultaten", "Methode", "Bronnen"]
    assert [tab["role"] for tab in tabs] == ["tab"] * 3
    assert [tab["aria-selected"] for tab in tabs] == ["true", "false", "false"]
    assert [tab["tabindex"] for tab in tabs] == ["0", "-1", "-1"]
    panels = tabset.find("div", class_="tab-content").find_all("div", class_="tab-pane", recursive=False)
    assert [panel["role"] for panel in panels] == ["tabpanel"] * 3
    for tab, panel in zip(tabs, panels):
        assert tab["aria-controls"] == panel["id"] and panel["aria-labelledby"] == tab["id"]
    assert [panel.has_attr("hidden") for panel in panels] == [False, True, True]
    assert panels[1]["id"] == "tabset-1-2", "Quarto names a pane by its tabset and place, not by its heading"
    assert panels[1].get_text(strip=True) == "Tekst van het tweede tabblad."


def test_tabset_group_and_ids_per_page(structures):
    html, _pdf, _typst = structures
    tabsets = html.find_all("div", class_="panel-tabset")
    assert [tabset["id"] for tabset in tabsets] == ["tabset-1", "tabset-2"]
    assert not tabsets[0].has_attr("data-group") and tabsets[1]["data-group"] == "taal"
    assert [tab["id"] for tab in tabsets[1].find_all("a", role="tab")] == ["tabset-2-1-tab", "tabset-2-2-tab"]


def test_tab_titles_are_no_sections_of_the_page(structures):
    html, _pdf, _typst = structures
    headings = [heading.get_text(" ", strip=True) for heading in html.find_all(["h1", "h2", "h3"])]
    assert "Resultaten" not in " ".join(headings)


def test_tabs_script_is_on_the_page(structures, tmp_path):
    html, _pdf, _typst = structures
    page = html.find_parent("html")
    script = "\n".join(tag.get_text() for tag in page.find_all("script"))
    assert 'role="tablist"' in script and "ArrowRight" in script and "aria-selected" in script
    assert "data-group" in script


def test_tabs_become_unnumbered_headings_one_level_down_in_the_pdf(structures):
    _html, pdf, typst = structures
    assert '#heading(depth: 3, numbering: none, outlined: false)[#"Resultaten"] <resultaten>' in typst
    assert '#heading(depth: 3, numbering: none, outlined: false)[#"Methode"] <tab-methode>' in typst
    order = [pdf.index(text) for text in ("Resultaten", "Tekst van het eerste tabblad.", "Methode",
                                          "Tekst van het tweede tabblad.", "Bronnen")]
    assert order == sorted(order)


def test_margin_and_wide_columns(structures):
    html, pdf, typst = structures
    assert html.find("div", class_="column-margin").get_text(strip=True) == "Een kanttekening in de marge."
    assert html.find("span", class_="aside").get_text() == "Een terzijde bij de tekst."
    assert html.find("div", class_="column-page") is not None
    assert html.find("div", class_="column-screen-inset") is not None
    # Quarto 1.8's typst margin layout: margin content is a marginalia note, wide content a wideblock
    assert '#note(alignment: "baseline", dy: 0pt, shift: auto, counter: none)[\nEen kanttekening in de marge.' in typst
    assert 'terzijde#note(alignment: "baseline", dy: 0pt, shift: auto, counter: none)[Een terzijde bij de tekst.]' in typst
    assert '#wideblock(side: "both")[\nBrede inhoud over de pagina.' in typst
    assert '#column-screen-inset(side: "both")[\nInhoud bijna over het hele scherm.' in typst
    assert "Een kanttekening in de marge." in pdf and "Brede inhoud over de pagina." in pdf


def test_callout_collapse_appearance_and_icon(structures):
    html, pdf, _typst = structures
    note = html.find("div", class_="callout-note")
    details = note.find("details", class_="callout-collapse")
    assert details is not None and not details.has_attr("open")
    summary = details.find("summary")
    assert summary.find("span", class_="screen-reader-only").get_text() == "Opmerking"  # the kind, read aloud
    assert summary.get_text(strip=True) == "OpmerkingIngeklapte opmerking"
    warning = html.find("div", class_="callout-warning").find("details")
    assert warning.has_attr("open")
    tip = html.find("div", class_="callout-tip")
    assert "callout-style-simple" in tip["class"] and "callout-titled" not in tip["class"]
    assert tip.find(class_="callout-header") is None
    minimal = html.find("div", class_="callout-important")
    assert "callout-style-simple" in minimal["class"] and "no-icon" in minimal["class"]
    assert minimal.find("svg") is None
    caution = html.find("div", class_="callout-caution")
    assert "no-icon" in caution["class"] and caution.find("svg") is None
    for callout in (note, warning.parent, tip):
        icon = callout.find("i", class_="callout-icon")
        assert icon["aria-hidden"] == "true" and icon.find("svg") is not None
    assert "Tekst in een ingeklapte callout." in pdf, "the PDF shows collapsed callouts open"


def test_structures_pdf_keeps_its_heading_order(structures):
    _html, pdf, _typst = structures
    assert pdf.index("Tabbladen") < pdf.index("Resultaten") < pdf.index("Marges")


# ---------------------------------------------------------------- item 7: code


@pytest.fixture(scope="module")
def code(tmp_path_factory):
    folder = tmp_path_factory.mktemp("code")
    html, pdf, typst = render_single(folder, "code.qmd")
    return html, pdf, typst, folder


def test_code_fold_and_summary(code):
    html, pdf, _typst, _folder = code
    folds = html.find_all("details", class_="code-fold")
    assert [fold.find("summary").get_text() for fold in folds] == ["Toon de berekening", "Code"]
    assert [fold.has_attr("open") for fold in folds] == [False, True]
    assert "waarde = 6 * 7" in folds[0].get_text()
    assert "waarde = 6 * 7" in pdf, "the PDF shows folded code"


def test_classes_go_on_the_cell(code):
    html, *_ = code
    cell = html.find("div", class_="berekening")
    assert "cell" in cell["class"] and "42" in cell.get_text()


def test_code_line_numbers_and_overflow(code):
    html, pdf, typst, _folder = code
    numbered = html.find("pre", class_="numberLines")
    assert "regels =" in numbered.get_text()
    assert "code-overflow-scroll" in numbered["class"], "a cell's own code-overflow wins"
    assert "code-overflow-wrap" in html.find("details").find("pre")["class"], "the document's code-overflow"
    assert "#Skylighting(number: true, start: 1," in typst  # skylighting numbers the lines (Quarto's default)
    assert "#show raw.where(block: true): code => { show raw.line: it => [#box(width: 2em)" in typst  # idiomatic
    assert '1 regels = ["een", "twee"]' in pdf


def test_code_annotations_below_the_block(code):
    html, pdf, typst, _folder = code
    block = html.find("div", id="annotated-cell-1")
    assert "# <1>" not in block.get_text() and "import statistics" in block.get_text()
    anchors = block.find_all("span", class_="code-annotation-anchor")
    assert [anchor.get_text() for anchor in anchors] == ["1", "2", "2"]
    # Quarto's code-copy scaffold holds the block and its copy button; the annotations follow the scaffold.
    scaffold = block.parent
    assert "code-copy-outer-scaffold" in scaffold["class"]
    grid = scaffold.find_next_sibling("dl", class_="code-annotation-container-grid")
    assert [dt.get_text() for dt in grid.find_all("dt")] == ["1", "2"]
    spans = grid.find_all("span", attrs={"data-code-cell": "annotated-cell-1"})
    assert [span["data-code-lines"] for span in spans] == ["1", "2,3"]
    assert spans[1].get_text(strip=True) == "Bereken het gemiddelde van een reeks."
    assert grid.find_next_sibling("pre", class_="cell-output-stdout").get_text() == "2.5", \
        "the annotations stand between the code and its output"
    assert html.find("ol") is None, "the annotation list is not repeated"
    assert "/ Regels 2-3:" in typst
    assert "Regel 1 Laad de standaardbibliotheek voor statistiek." in pdf
    assert "<2>" not in pdf


def test_tbl_colwidths(code):
    html, _pdf, typst, _folder = code
    widths = [col["style"] for col in html.find("div", id="tbl-breedtes").find_all("col")]
    assert widths == ["width: 20%", "width: 50%", "width: 30%"]
    assert "columns: (20%, 50%, 30%)" in typst
    markdown = [col["style"] for col in html.find("div", id="tbl-markdown").find_all("col")]
    assert markdown == ["width: 25%", "width: 75%"]
    assert "columns: (25%, 75%)" in typst


def test_fig_format_retina_and_dpi(code):
    html, _pdf, typst, folder = code
    image = html.find("div", id="fig-png").find("img")
    assert image["src"].endswith("fig-png-output-1.png")
    header = (folder / image["src"]).read_bytes()[:24]
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    # 7 x 5 inch at 80 dpi, drawn at twice the size for retina screens, cropped tight to what is drawn (as
    # Quarto's inline backend saves every format), and shown at half
    assert 900 < width < 1120 and 600 < height < 800
    assert (image["width"], image["height"]) == (str(width // 2), str(height // 2))
    caption = html.find("div", id="fig-png").find("figcaption").get_text(strip=True)
    assert caption == "Figuur\xa01: Een PNG-figuur uit Code", "shortcodes in a cell's caption"
    assert re.search(r'#figure\(\[\s*#image\("code_files/figure-typst/fig-png-output-1\.png".*?\)<fig-png>', typst, re.S)


def test_output_asis_keeps_working(code):
    html, pdf, _typst, _folder = code
    assert html.find("strong").get_text() == "Vet uit een asis-cel."
    assert "Vet uit een asis-cel." in pdf


def test_rendering_twice_gives_identical_files(tmp_path):
    source = tmp_path / "structures.qmd"
    shutil.copyfile(CORPUS / "structures.qmd", source)
    outputs = []
    for _ in range(2):
        render(source, RenderOptions(formats=("html",)))
        render(source, RenderOptions(formats=("typst",)))
        outputs.append((source.with_suffix(".html").read_bytes(), source.with_suffix(".pdf").read_bytes()))
    assert outputs[0] == outputs[1]
