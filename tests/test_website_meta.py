"""What a website page tells search engines and social sites, and the window title of every kind of page."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from extension_helpers import write_files
from report.build import RenderOptions, render

HTML_ONLY = RenderOptions(formats=("html",))


def _site(root: Path, website_extra: str, pages: dict[str, str]) -> Path:
    return write_files(root, {
        "_quarto.yml": "project:\n  type: website\nwebsite:\n  title: \"Gemeentesite {{< var versie >}}\"\n"
                       "  site-url: https://voorbeeld.nl/verslag/\n" + website_extra + "lang: nl\n",
        "_variables.yml": "versie: 2.1\n",
        **pages})


def _head(page: Path) -> dict[str, str]:
    tree = lxml_html.fromstring(page.read_bytes())
    tags = {meta.get("property") or meta.get("name"): meta.get("content") for meta in tree.cssselect("head meta")}
    tags.update({"canonical": link.get("href") for link in tree.cssselect('head link[rel="canonical"]')})
    tags["<title>"] = tree.cssselect("head title")[0].text_content()
    return tags


def test_open_graph_takes_title_first_paragraph_preview_image_and_the_sites_resolved_name(tmp_path):
    site = _site(tmp_path, "  open-graph: true\n", {
        "index.qmd": "---\ntitle: Welkom\n---\n\nEerste alinea over de gemeente.\n\n"
                     "![](kaart.png){fig-alt=\"Kaart van de gemeente\" .preview-image}\n\nTweede alinea.\n"})
    from PIL import Image
    Image.new("RGB", (40, 30), "white").save(site / "kaart.png")
    render(site / "index.qmd", HTML_ONLY)
    head = _head(site / "_site" / "index.html")
    assert head["og:title"] == "Welkom"
    assert head["og:description"] == "Eerste alinea over de gemeente."
    assert head["og:image"] == "https://voorbeeld.nl/verslag/kaart.png"
    assert head["og:image:alt"] == "Kaart van de gemeente"
    assert (head["og:image:width"], head["og:image:height"]) == ("40", "30")
    assert head["og:site_name"] == "Gemeentesite 2.1"
    assert head["<title>"] == "Welkom – Gemeentesite 2.1"
    assert "twitter:card" not in head, "twitter-card is off unless asked for"
    img = lxml_html.fromstring((site / "_site" / "index.html").read_bytes()).cssselect("main img")[0]
    assert img.get("alt") == "Kaart van de gemeente" and img.get("data-fig-alt") is None


def test_page_values_win_and_twitter_card_picks_its_card_style(tmp_path):
    site = _site(tmp_path, "  twitter-card:\n    site: \"@gemeente\"\n", {
        "over.qmd": "---\ntitle: Over\ndescription: Wie wij zijn.\nopen-graph:\n  locale: nl_NL\n---\n\nTekst.\n"})
    render(site / "over.qmd", HTML_ONLY)
    head = _head(site / "_site" / "over.html")
    assert (head["og:title"], head["og:description"], head["og:locale"]) == ("Over", "Wie wij zijn.", "nl_NL")
    assert head["twitter:card"] == "summary", "no image: the small card"
    assert (head["twitter:site"], head["twitter:title"]) == ("@gemeente", "Over")


def test_canonical_url_names_an_index_page_by_its_folder(tmp_path):
    site = _site(tmp_path, "", {
        "_metadata.yml": "",
        "index.qmd": "---\ntitle: Start\ncanonical-url: true\n---\n\nA.\n",
        "over/index.qmd": "---\ntitle: Over\ncanonical-url: true\n---\n\nB.\n",
        "over/team.qmd": "---\ntitle: Team\ncanonical-url: true\n---\n\nC.\n"})
    for page in ("index.qmd", "over/index.qmd", "over/team.qmd"):
        render(site / page, HTML_ONLY)
    assert _head(site / "_site" / "index.html")["canonical"] == "https://voorbeeld.nl/verslag/"
    assert _head(site / "_site" / "over" / "index.html")["canonical"] == "https://voorbeeld.nl/verslag/over/"
    assert _head(site / "_site" / "over" / "team.html")["canonical"] == "https://voorbeeld.nl/verslag/over/team.html"
    assert "og:title" not in _head(site / "_site" / "index.html"), "open-graph is off unless asked for"


def test_a_lone_document_has_its_own_title_as_window_title(tmp_path):
    document = write_files(tmp_path, {"notitie.qmd": "---\ntitle: Notitie\n---\n\nTekst.\n"}) / "notitie.qmd"
    render(document, HTML_ONLY)
    assert _head(tmp_path / "notitie.html")["<title>"] == "Notitie"


def test_website_options_outside_a_website_warn_that_they_take_no_effect(tmp_path):
    document = write_files(tmp_path, {"notitie.qmd": "---\ntitle: Notitie\nopen-graph: true\n---\n\nTekst.\n"})
    result = render(document / "notitie.qmd", HTML_ONLY)
    assert [str(item) for item in result.warnings] == [
        "notitie.qmd: option 'open-graph' takes effect on the pages of a website project only"]
    assert "og:title" not in _head(tmp_path / "notitie.html")


def test_footnote_placement_reaches_the_page_and_the_margin_takes_each_note_beside_its_paragraph(tmp_path):
    text = "---\ntitle: Noten\nreference-location: {where}\n---\n\nEen zin.^[De noot.]\n\n## Volgende\n\nMeer.\n"
    block = write_files(tmp_path / "block", {"doc.qmd": text.format(where="block")}) / "doc.qmd"
    render(block, HTML_ONLY)
    page = lxml_html.fromstring((block.parent / "doc.html").read_bytes())
    assert [aside.get("class") for aside in page.cssselect("main aside.footnotes")] == [
        "footnotes footnotes-end-of-block"], "the note stands after its paragraph"
    margin = write_files(tmp_path / "margin", {"doc.qmd": text.format(where="margin")}) / "doc.qmd"
    result = render(margin, HTML_ONLY)
    assert [str(item) for item in result.warnings] == []
    page = lxml_html.fromstring((margin.parent / "doc.html").read_bytes())
    assert page.cssselect("main .footnotes") == [], "no list of notes at the end"
    container = page.cssselect("main p + div.column-margin.column-container")[0]
    assert container.getprevious().cssselect("a.footnote-ref")[0].get("href") == "#fn1"
    assert container.cssselect("div#fn1")[0].text_content().strip() == "1\xa0De noot."
