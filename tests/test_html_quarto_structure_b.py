"""HTML structure as Quarto writes it (quarto-cli's HTML smoke tests as the model), part b: shortcodes, title-block
and appendix texts, code blocks, the table of contents, images and the page chrome."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from report.build import RenderOptions, render


def render_page(folder: Path, front: str, body: str, name: str = "doc.qmd") -> str:
    source = folder / name
    source.write_text(f"---\ntitle: Doc\n{front}---\n\n{body}", encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    return source.with_suffix(".html").read_text(encoding="utf-8")


def soup_of(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


def test_kbd_title_lists_every_variant_and_plain_mode_is_one_kbd(tmp_path):
    soup = soup_of(render_page(tmp_path, "", "{{< kbd mac=Cmd-O win=Ctrl-O >}} and {{< kbd Ctrl-K >}}\n\n"
                                             "{{< kbd Ctrl-Alt-Del mode=plain >}}\n"))
    both, single, plain = soup.find_all("kbd")
    assert both["title"] == "mac: Cmd-O, windows: Ctrl-O" and both["data-windows"] == "Ctrl-O"
    assert single["title"] == "Ctrl-K"
    assert plain.attrs == {"data-mode": "plain", "class": ["kbd"]} and plain.get_text() == "Ctrl-Alt-Del"


def test_kbd_with_an_unknown_mode_or_os_shows_quartos_error_text(tmp_path, caplog):
    soup = soup_of(render_page(tmp_path, "", "{{< kbd K mode=fancy >}}\n\n{{< kbd amiga=K >}}\n"))
    assert [strong.get_text() for strong in soup.find_all("strong")] == [
        "?kbd:unknown mode: fancy, supported modes are: plain", "?kbd:unknown os name: amiga"]
    assert "WARNING (doc.qmd:7) unknown os name in kbd shortcode: amiga, supported names are: win, mac, linux" in caplog.text


def test_licence_and_copyright_read_through_meta_in_quartos_normalised_form(tmp_path):
    page = render_page(tmp_path, 'license: "CC BY-SA"\ncopyright: "2024 Bureau"\nlang: de\n',
                       "{{< meta license.text >}} | {{< meta license.url >}} | {{< meta copyright.statement >}}\n\n"
                       "{{< meta license.type >}}\n")
    assert "CC BY-SA 4.0 | https://creativecommons.org/licenses/by-sa/4.0/deed.de | 2024 Bureau" in page
    assert "<p>creative-commons</p>" in page
    other = render_page(tmp_path, 'license: "Alle rechten voorbehouden"\n', "{{< meta license.text >}}\n", "b.qmd")
    assert "<p>Alle rechten voorbehouden</p>" in other


def test_a_language_quarto_translates_gets_its_labels_and_a_regional_variant_overrides_them(tmp_path):
    front = "author: Jeanne Roy\ndate: 2026-02-11\n"
    french = soup_of(render_page(tmp_path, front + "lang: fr\n", "Texte.\n"))
    canadian = soup_of(render_page(tmp_path, front + "lang: fr-CA\n", "Texte.\n", "ca.qmd"))
    assert [h.get_text() for h in french.select(".quarto-title-meta-heading")] == ["Auteur·rice", "Date de publication"]
    assert [h.get_text() for h in canadian.select(".quarto-title-meta-heading")] == [
        "Auteur(-trice)", "Date de publication"]
    (tmp_path / "plan.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')
    german = soup_of(render_page(tmp_path, "lang: de\n", "![Ein Plan](plan.svg){#fig-plan}\n\nSiehe @fig-plan.\n",
                                 "de.qmd"))
    assert german.select_one("a.quarto-xref").get_text() == "Abbildung\u00a01"


def test_shortcodes_in_an_include_text_are_resolved_and_an_included_file_stays_as_written(tmp_path):
    (tmp_path / "voet.html").write_text("<p id='file'>{{< meta fase >}}</p>\n", encoding="utf-8")
    page = render_page(tmp_path, "fase: Concept\ninclude-after-body:\n  - text: |\n"
                                 "      <p id='text'>{{< meta fase >}}</p>\n  - voet.html\n", "Tekst.\n")
    assert "<p id='text'>Concept</p>" in page
    assert "<p id='file'>{{< meta fase >}}</p>" in page


def test_an_image_without_extension_gets_the_default_image_extension(tmp_path):
    body = ("![a](plots/trend)\n\n![b](https://example.org/)\n\n![c](kaart.svg)\n\n"
            "![d](data:image/png;base64,iVBORw0KGgo=)\n\n![e](plots/trend?v=2)\n")
    sources = [img["src"] for img in soup_of(render_page(tmp_path, "", body)).select("main img, #quarto-document-content img")]
    assert sources == ["plots/trend.png", "https://example.org/", "kaart.svg", "data:image/png;base64,iVBORw0KGgo=",
                       "plots/trend.png?v=2"]
    jpeg = soup_of(render_page(tmp_path, "default-image-extension: jpg\n", "![a](plots/trend)\n", "j.qmd"))
    assert jpeg.select_one("img[src^='plots']")["src"] == "plots/trend.jpg"


def test_keep_hidden_keeps_hidden_code_and_cells_marked_hidden(tmp_path):
    cells = ("```{python}\n#| echo: false\nprint('zichtbaar')\n```\n\n"
             "```{python}\n#| include: false\nverborgen = 1\n```\n")
    soup = soup_of(render_page(tmp_path, "keep-hidden: true\n", cells))
    assert soup.select_one("div.sourceCode.cell-code.hidden pre").get_text() == "print('zichtbaar')"
    assert "hidden" not in soup.select("div.cell")[0]["class"]
    assert soup.select_one("div.cell.hidden div.sourceCode").get_text().strip() == "verborgen = 1"
    plain = soup_of(render_page(tmp_path, "", cells, "plain.qmd"))
    assert plain.select(".hidden") == [] and len(plain.select("div.cell")) == 1


def test_numbered_code_lines_have_their_number_as_accessible_name(tmp_path):
    soup = soup_of(render_page(tmp_path, "", "```{.python code-line-numbers=\"true\"}\na = 1\nb = 2\n```\n\n"
                                             "```{.python .numberLines startFrom=\"7\"}\nc = 3\n```\n"))
    first, second = soup.select("pre.numberSource")
    assert [a["aria-label"] for a in first.select("code > span > a")] == ["1", "2"]
    assert [a["aria-label"] for a in second.select("code > span > a")] == ["7"]


def test_axe_adds_its_options_and_the_checker_with_axe_core_beside_the_page(tmp_path):
    import base64
    import json

    soup = soup_of(render_page(tmp_path, "format:\n  html:\n    axe:\n      output: document\n", "Tekst.\n"))
    options = soup.select_one("script#quarto-axe-checker-options[type='text/plain']")
    assert json.loads(base64.b64decode(options.get_text())) == {"output": "document"}
    sources = [script["src"] for script in soup.select("script[src*='quarto-axe']")]
    assert [Path(source).name for source in sources] == ["axe.min.js", "axe-check.js"]
    assert all((tmp_path / source).is_file() for source in sources)
    assert "axe.run(document)" in (tmp_path / sources[1]).read_text(encoding="utf-8")
    off = soup_of(render_page(tmp_path, "", "Tekst.\n", "zonder.qmd"))
    assert off.select("#quarto-axe-checker-options, script[src*='axe']") == []


SECTIONS = "## Een\n\nTekst.\n\n## Twee\n\nTekst.\n\n### Twee a\n\nTekst.\n"


def test_toc_location_places_quartos_nav_toc_beside_or_in_the_body(tmp_path):
    def toc(location: str, name: str) -> BeautifulSoup:
        return soup_of(render_page(tmp_path, f"toc: true\ntoc-location: {location}\n", SECTIONS, name))

    right = toc("right", "r.qmd")
    assert [a["href"] for a in right.select("#quarto-margin-sidebar nav#TOC.toc-active[role=doc-toc] a")] == [
        "#een", "#twee", "#twee-a"]
    assert right.select("main nav#TOC-body, main nav#TOC") == []
    body = toc("body", "b.qmd")
    assert body.select("#quarto-margin-sidebar, nav.toc-active") == []
    assert len(body.select("main nav#TOC[role=doc-toc] li")) == 3
    for location in ("left-body", "right-body"):
        both = toc(location, f"{location}.qmd")
        assert len(both.select("nav#TOC.toc-active li")) == len(both.select("main nav#TOC-body li")) == 3
    assert "toc-left" in toc("left-body", "lb.qmd").select_one("#quarto-margin-sidebar")["class"]


def test_code_annotations_follow_each_languages_comment_and_the_blocks_numbering(tmp_path):
    body = ("```{.c startFrom=\"10\"}\nint a = 1; /* <1> */\nint b = 2; // <2>\n```\n\n1. Een.\n2. Twee.\n\n"
            "```{.fortran}\nx = 1 ! <1>\n```\n\n1. Fortran.\n\n```{.brainfuck}\n+++ # <1>\n```\n\n1. Anders.\n")
    soup = soup_of(render_page(tmp_path, "", body))
    spans = soup.select("span[data-code-annotation]")
    assert [(s["data-code-cell"], s["data-code-lines"], s["data-code-annotation"]) for s in spans] == [
        ("annotated-cell-1", "10", "1"), ("annotated-cell-2", "1", "1"), ("annotated-cell-3", "1", "1")]
    assert "// <2>" in soup.select_one("#annotated-cell-1").get_text()  # not C's comment: stays code


def test_code_annotations_none_drops_the_markers_and_their_list(tmp_path):
    body = "## Code {#code}\n\n```python\nx = 1  # <1>\n```\n\n1. Uitleg.\n\nNa de lijst.\n"
    soup = soup_of(render_page(tmp_path, "code-annotations: none\n", body))
    assert soup.select("#code ol, [data-code-annotation], .code-annotation-code") == []
    assert soup.select_one("div.sourceCode").get_text().strip() == "x = 1"
    assert "Na de lijst." in soup.get_text()


def test_a_listing_places_its_caption_where_lst_cap_location_says(tmp_path):
    body = ('```{#lst-a .sql lst-cap="Boven"}\nSELECT 1\n```\n\n'
            '```{#lst-b .sql lst-cap="Onder" lst-cap-location="bottom"}\nSELECT 2\n```\n')
    soup = soup_of(render_page(tmp_path, "", body))
    top, bottom = soup.select_one("div#lst-a figure"), soup.select_one("div#lst-b figure")
    assert top.find(recursive=False).name == "figcaption" and "quarto-float-caption-top" in top.figcaption["class"]
    assert [child.name for child in bottom.find_all(recursive=False)][-1] == "figcaption"
    assert "quarto-float-caption-bottom" in bottom.figcaption["class"]
    assert "data-lst-cap-location" not in str(soup)


def test_other_and_code_links_stand_beside_the_toc_in_quartos_lists(tmp_path, caplog):
    front = ("toc: true\nother-links:\n  - text: Bron\n    href: https://example.org/bron\n    rel: cite\n"
             "code-links:\n  - text: Code\n    href: https://example.org/code\n    icon: github\n  - repo\n")
    soup = soup_of(render_page(tmp_path, front, SECTIONS))
    aside = soup.select_one("#quarto-margin-sidebar")
    assert [div["class"] for div in aside.select("div")] == [["quarto-other-links"], ["quarto-code-links"]]
    assert [h2.get_text() for h2 in aside.select("div > h2")] == ["Other Links", "Code Links"]
    code = aside.select_one(".quarto-code-links > ul > li:only-child a")
    assert code["href"] == "https://example.org/code" and code.select_one("i.bi.bi-github") is not None
    assert aside.select_one(".quarto-other-links a")["rel"] == ["cite"]
    assert "code-links: 'repo' needs the project's GitHub repository" in caplog.text
    untitled = soup_of(render_page(tmp_path, "toc: false\ncode-links:\n  - text: C\n    href: c.py\n", "Tekst.\n", "n.qmd"))
    assert untitled.select_one("#quarto-margin-sidebar .quarto-code-links a")["href"] == "c.py"
    assert untitled.select("nav#TOC") == []


def test_a_books_page_footer_has_quartos_three_parts_on_every_page(tmp_path):
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: book\nbook:\n  title: Boek\n  chapters:\n    - index.qmd\n    - deel/hoofdstuk.qmd\n"
        "  page-footer:\n    left:\n      - text: Uitgever\n        href: https://example.org\n"
        "    center:\n      - text: Licentie\n        href: licentie.qmd\n    right: \"Gemaakt met *zorg*\"\n",
        encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Voorwoord {.unnumbered}\n\nTekst.\n", encoding="utf-8")
    (tmp_path / "deel").mkdir()
    (tmp_path / "deel" / "hoofdstuk.qmd").write_text("# Hoofdstuk\n\nTekst.\n", encoding="utf-8")
    (tmp_path / "licentie.qmd").write_text("# Licentie\n", encoding="utf-8")
    render(tmp_path, RenderOptions(formats=("html",)))
    for page, licence in (("index.html", "licentie.html"), ("deel/hoofdstuk.html", "../licentie.html")):
        footer = soup_of((tmp_path / "_book" / page).read_text(encoding="utf-8")).select_one("footer.footer .nav-footer")
        assert footer.select_one(".nav-footer-left a.nav-link")["href"] == "https://example.org"
        assert footer.select_one(".nav-footer-center a.nav-link")["href"] == licence
        assert str(footer.select_one(".nav-footer-right p")) == "<p>Gemaakt met <em>zorg</em></p>"


def test_void_elements_are_written_without_a_closing_slash_as_an_html_serializer_writes_them(tmp_path):
    (tmp_path / "vlak.png").write_bytes(b"")
    page = render_page(tmp_path, "", "![Vlak](vlak.png)\n\nRegel<br/>twee\n\n---\n")
    assert re.search(r'<img src="vlak\.png"[^>]*alt="">', page)
    assert "<hr>" in page and "<br>" in page
    outside_scripts = re.sub(r"<(script|style|svg)\b.*?</\1>", "", page, flags=re.DOTALL)
    assert "/>" not in outside_scripts


def test_a_books_navbar_shows_its_links_and_an_icon_alone_is_named(tmp_path):
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: book\nbook:\n  title: Boek\n  navbar:\n    right:\n"
        "      - icon: mastodon\n        href: https://mastodon.example/@team\n"
        "      - text: Over\n        href: index.qmd\n  chapters:\n    - index.qmd\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Voorwoord {.unnumbered}\n\nTekst.\n", encoding="utf-8")
    render(tmp_path, RenderOptions(formats=("html",)))
    soup = soup_of((tmp_path / "_book" / "index.html").read_text(encoding="utf-8"))
    icon, text = soup.select("nav.navbar ul.navbar-nav a.nav-link")
    assert icon["href"] == "https://mastodon.example/@team" and icon["aria-label"] == "mastodon"
    assert icon.select_one("i.bi.bi-mastodon") is not None and icon.get_text() == ""
    assert text.get_text() == "Over" and text["href"] == "index.html"
    assert len(soup.select("#quarto-header")) == 1 and soup.select_one("#quarto-sidebar") is not None
