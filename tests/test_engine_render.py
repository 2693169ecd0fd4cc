"""The fixture mini-book rendered once, then its HTML and PDF inspected piece by piece."""

import os
import re
import shutil
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render

MINIBOOK = Path(__file__).parent / "fixtures" / "minibook"
EPOCH = "1715644800"  # 2024-05-14


def _render(root: Path, **options) -> None:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        render(root, RenderOptions(**options))
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH")
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("minibook")
    shutil.copytree(MINIBOOK, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("_book", ".report-build"))
    _render(root)
    return root


def page(book: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((book / "_book" / name).read_text(encoding="utf-8"), "html.parser")


def test_one_page_per_chapter_and_shared_assets(book):
    out = book / "_book"
    for name in ["index.html", "chapters/inleiding.html", "chapters/analyse.html", "chapters/bijlage.html",
                 "chapters/literatuur.html", "site_libs/report.css", "site_libs/search-index.js", "search.json",
                 "proefboek.pdf", "proefboek.typ"]:
        assert (out / name).is_file(), name


def test_html_language_landmarks_and_title(book):
    soup = page(book, "chapters/inleiding.html")
    assert soup.html["lang"] == "nl"
    assert soup.find("main", id="quarto-document-content") is not None
    assert soup.find("nav", id="quarto-sidebar") is not None
    assert soup.find("header") is not None and soup.find("footer") is not None
    assert soup.title.string == "Inleiding – Proefboek"
    assert not soup.find_all("link", href=re.compile(r"^https?:")), "no CDN"
    assert not soup.find_all("script", src=re.compile(r"^https?:"))


def test_headings_are_numbered_per_chapter(book):
    soup = page(book, "chapters/inleiding.html")
    numbers = [span.get_text() for span in soup.select("h1 .header-section-number, h2 .header-section-number")]
    assert numbers == ["1", "1.1", "1.2"]
    unnumbered = soup.find("section", id="sec-los").find("h3")
    assert unnumbered.find(class_="header-section-number") is None
    appendix = page(book, "chapters/bijlage.html")
    assert [s.get_text() for s in appendix.select(".header-section-number")] == ["A", "A.1"]


def test_figure_markup_caption_and_alt(book):
    soup = page(book, "chapters/inleiding.html")
    float_div = soup.find("div", id="fig-lijn")
    assert "quarto-float" in float_div["class"] and "quarto-figure" in float_div["class"]
    image = float_div.find("img")
    assert image["alt"] == "Lijndiagram dat van 1 naar 3 stijgt."
    assert image["src"] == "inleiding_files/figure-html/fig-lijn-output-1.svg"
    assert (book / "_book/chapters" / image["src"]).read_text().lstrip().startswith("<?xml")
    assert float_div.find("figcaption").get_text(strip=True) == "Figuur\xa01.1: Een stijgende lijn"


def test_cross_references_numbers_and_targets(book):
    intro = page(book, "chapters/inleiding.html")
    local = intro.find("a", class_="quarto-xref", href="#fig-lijn")
    assert local.get_text() == "Figuur\xa01.1"
    analysis = page(book, "chapters/analyse.html")
    refs = {a["href"]: a.get_text() for a in analysis.select("a.quarto-xref")}
    assert refs["inleiding.html#fig-lijn"] == "Figuur\xa01.1"
    assert refs["inleiding.html#tbl-scores"] == "Tabel\xa01.1"
    assert refs["inleiding.html#sec-inleiding"] == "Hoofdstuk\xa01"
    assert refs["bijlage.html#sec-bijlage"] == "Bijlage\xa0A"
    assert refs["#sec-plotnine"] == "Paragraaf\xa02.1"
    preface = page(book, "index.html")
    assert preface.find("a", href="chapters/inleiding.html#fig-lijn").get_text() == "Figuur\xa01.1"


def test_panel_figure_is_one_numbered_figure(book):
    soup = page(book, "chapters/analyse.html")
    panel = soup.find("div", id="fig-paneel")
    assert panel.find("figcaption").get_text(strip=True) == "Figuur\xa02.2: Twee panelen"
    images = panel.find_all("img")
    assert len(images) == 2 and all(img["alt"] == "Twee staafdiagrammen naast elkaar." for img in images)
    cells = panel.select("div.quarto-layout-panel > div.quarto-layout-row > div.quarto-layout-cell")
    assert [cell["style"] for cell in cells] == ["flex-basis: 50.0%;justify-content: center;"] * 2


def test_dataframe_is_a_real_table(book):
    soup = page(book, "chapters/inleiding.html")
    table_float = soup.find("div", id="tbl-scores")
    assert table_float.find("figcaption").get_text(strip=True) == "Tabel\xa01.1: Scores per groep"
    table = table_float.find("table")
    assert [th.get_text() for th in table.find("thead").find_all("th")] == ["Groep", "Score"]
    assert [[cell.get_text() for cell in row.find_all(["th", "td"])] for row in table.find("tbody").find_all("tr")] \
        == [["A", "1,5"], ["B", "2,5"]]


def test_callouts_have_quarto_classes_and_dutch_titles(book):
    soup = page(book, "chapters/inleiding.html")
    callouts = soup.select("div.callout")
    kinds = [next(c for c in callout["class"] if c.startswith("callout-") and c not in
                  {"callout-style-default", "callout-titled"}) for callout in callouts]
    assert kinds == ["callout-note", "callout-tip", "callout-warning", "callout-important", "callout-caution"]
    titles = [callout.select_one(".callout-title-container").get_text(strip=True) for callout in callouts]
    # An own title is preceded by the kind's name for screen readers (span.screen-reader-only), as in Quarto.
    # An own title is preceded by the kind's name for screen readers (span.screen-reader-only), as in Quarto.
    assert titles == ["Opmerking", "TipEigen titel", "WaarschuwingLet op", "Belangrijk", "Opgelet"]
    assert [span.get_text() for span in soup.select("div.callout span.screen-reader-only")] == ["Tip", "Waarschuwing"]


def test_inline_values_footnotes_and_citations(book):
    soup = page(book, "chapters/inleiding.html")
    text = soup.find("main").get_text(" ")
    assert "De waarde is 42 en de som is 25,6%." in text
    assert soup.select_one("aside.footnotes li").get_text(strip=True).startswith("Een voetnoot met uitleg.")
    citation = soup.find("span", class_="citation")
    assert citation.get_text() == "Kuipers & Steen (2024)"
    assert citation.find("a")["href"] == "literatuur.html#ref-nsob2024"
    references = page(book, "chapters/literatuur.html")
    assert references.find(id="ref-nsob2024") is not None


def test_cell_options_echo_eval_error_asis(book):
    soup = page(book, "chapters/analyse.html")
    code = [pre.get_text() for pre in soup.select(".cell-code pre")]
    assert code == ['print("niet uitgevoerd")', 'print("wel uitgevoerd")']
    outputs = [pre.get_text() for pre in soup.select("pre.cell-output-stdout")]
    assert outputs == ["wel uitgevoerd"]
    assert "ZeroDivisionError" in soup.select_one("div.cell-output-error div.ansi-escaped-output pre").get_text()
    assert soup.find("strong").get_text() == "Vet"
    assert "setup" not in soup.get_text() and "import plotnine" not in soup.get_text()


def test_sidebar_parts_and_previous_next(book):
    soup = page(book, "chapters/inleiding.html")
    assert [p.get_text() for p in soup.select(".sidebar-part")] == ["Eerste deel", "Bijlagen"]
    assert soup.select_one("a.active")["href"] == "inleiding.html"
    assert soup.find("a", rel="prev")["href"] == "../index.html"
    assert soup.find("a", rel="next")["href"] == "analyse.html"


def test_search_index_covers_sections(book):
    import json

    entries = json.loads((book / "_book/search.json").read_text(encoding="utf-8"))
    titles = {entry["title"] for entry in entries}
    assert "1.1 Een figuur" in titles
    assert any(entry["href"] == "chapters/analyse.html#sec-plotnine" for entry in entries)


def test_pdf_text_outline_and_standards(book):
    reader = pypdf.PdfReader(book / "_book/proefboek.pdf")
    text = "\n".join(p.extract_text() for p in reader.pages).replace("\xa0", " ")
    assert "Inhoudsopgave" in text and "Lijst van figuren" in text and "Lijst van tabellen" in text
    assert "Figuur 1.1: Een stijgende lijn" in text
    assert "Tabel 1.1: Scores per groep" in text
    assert "1 Inleiding" in text and "A Aanvullende tabellen" in text
    assert "14 mei 2024" in reader.pages[0].extract_text() and "Testteam" in reader.pages[0].extract_text()
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"<pdfuaid:part>1</pdfuaid:part>", xmp)
    assert re.search(r"<pdfaid:part>2</pdfaid:part>", xmp) and re.search(r"<pdfaid:conformance>A</pdfaid:conformance>", xmp)
    assert "<rdf:li>nl</rdf:li>" in xmp
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"]) is True
    assert reader.trailer["/Root"]["/Lang"] == "nl"


def test_rebuild_is_byte_identical(book, tmp_path):
    first = (book / "_book/proefboek.pdf").read_bytes()
    first_page = (book / "_book/chapters/analyse.html").read_bytes()
    _render(book)
    assert (book / "_book/proefboek.pdf").read_bytes() == first
    assert (book / "_book/chapters/analyse.html").read_bytes() == first_page


@pytest.mark.parametrize("name", ["index.html", "chapters/inleiding.html", "chapters/analyse.html",
                                  "chapters/bijlage.html", "chapters/literatuur.html"])
def test_accessibility_basics_on_every_page(book, name):
    soup = page(book, name)
    assert soup.html.get("lang") == "nl"
    assert len(soup.find_all("main")) == 1 and len(soup.find_all("h1")) == 1
    assert soup.find("a", class_="skip-link")["href"] == "#quarto-document-content"
    levels = [int(heading.name[1]) for heading in soup.find("main").find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:])), levels
    assert all(image.get("alt") for image in soup.find_all("img"))
    assert soup.find("nav")["aria-label"]


def test_figures_are_exported_with_sidecars(book):
    import json

    from PIL import Image

    exported = book / "figures"
    sidecar = json.loads((exported / "fig-lijn.json").read_text(encoding="utf-8"))
    assert sidecar["caption"] == "Figuur\xa01.1: Een stijgende lijn"
    assert sidecar["alt"] == ["Lijndiagram dat van 1 naar 3 stijgt."]
    assert sidecar["chapter"] == "chapters/inleiding.qmd"
    svg = (exported / "fig-lijn.svg").read_bytes()
    assert svg == (book / "_book/chapters/inleiding_files/figure-html/fig-lijn-output-1.svg").read_bytes()
    with Image.open(exported / "fig-lijn.png") as png:
        assert tuple(round(value) for value in png.info["dpi"]) == (300, 300)
        # Saved tight as Jupyter does: the SVG's own size (within fig-width 4 in x fig-height 3 in) at 300 ppi.
        size = re.search(rb'width="([\d.]+)pt" height="([\d.]+)pt"', svg)
        expected = tuple(round(float(points) / 72 * 300) for points in size.groups())
        assert png.size == expected and expected[0] <= 1200 and expected[1] <= 900
    panels = json.loads((exported / "fig-paneel.json").read_text(encoding="utf-8"))
    assert [item["svg"] for item in panels["files"]] == ["fig-paneel-1.svg", "fig-paneel-2.svg"]
    index = json.loads((exported / "index.json").read_text(encoding="utf-8"))
    assert [item["label"] for item in index] == ["fig-lijn", "fig-punten", "fig-paneel"]


def test_a_render_into_another_folder_exports_its_figures_there_and_leaves_the_checkouts_alone(book, tmp_path):
    import json

    checkout_index = book / "figures" / "index.json"
    before = checkout_index.stat().st_mtime_ns
    output = tmp_path / "uit"
    render(book, RenderOptions(formats=("html",), output_dir=output))
    assert (output / "figures" / "fig-lijn.svg").read_bytes() == (book / "figures" / "fig-lijn.svg").read_bytes()
    assert checkout_index.stat().st_mtime_ns == before
    marker = json.loads((output / ".report-output").read_text(encoding="utf-8"))["files"]
    assert marker["figures/fig-lijn.svg"] == "figures" and marker["figures/index.json"] == "figures"
    assert marker["index.html"] == "html"


def test_new_commit_time_reexecutes_nothing_and_figures_carry_no_date(book):
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(EPOCH) + 86400)  # as after a new commit
    try:
        result = render(book, RenderOptions(formats=("html",)))
    finally:
        os.environ["SOURCE_DATE_EPOCH"] = previous if previous is not None else EPOCH
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH")
    assert result.executed == ()
    svg = (book / "_book/chapters/analyse_files/figure-html/fig-punten-output-1.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
