"""Issue 18, items 3, 5 (HTML) and 7: links point at the page that holds their target, text files are read as
Quarto reads them (UTF-8, a byte-order mark allowed), and the title block is Quarto's."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render

PROJECT = """project:
  type: book
book:
  title: "Linkboek"
  chapters:
    - index.qmd
    - chapters/een.qmd
    - chapters/twee.ipynb
    - chapters/drie.md
"""

INDEX = """# Voorwoord {.unnumbered}

Een voetnoot.[^v] Zie [hoofdstuk twee](chapters/twee.ipynb#sec-twee-b) en [drie](/chapters/drie.md).

[^v]: De voetnoot van het voorwoord.
"""

ONE = """# Een {#sec-een}

Tekst met een voetnoot.[^a] En nog een.[^b] Zie @sec-twee-b en [twee](twee.ipynb), [drie](drie.md#sec-drie)
en [de index](../index.qmd).

```python
x = 1
y = 2
```

[^a]: Voetnoot a.
[^b]: Voetnoot b.
"""

TWO_MARKDOWN = """# Twee {#sec-twee}

Hier een voetnoot.[^c]

```python
z = 3
```

## Tweede deel {#sec-twee-b}

Terug naar @sec-een, en [een](een.qmd#sec-een).

[^c]: Voetnoot c.
"""

THREE = """# Drie {#sec-drie}

Drie heeft ook een voetnoot.[^d]

```python
w = 4
```

[^d]: Voetnoot d.
"""


def _notebook(markdown: str) -> str:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(markdown)]
    return nbformat.writes(notebook)


def _pages(output: Path) -> dict[str, BeautifulSoup]:
    return {page.relative_to(output).as_posix(): BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            for page in sorted(output.rglob("*.html"))}


def _internal_links(pages: dict[str, BeautifulSoup]) -> list[tuple[str, str, str, str]]:
    """(page, href, target page, target id) of every link inside the site's pages to an anchor."""
    import posixpath

    links = []
    for name, soup in pages.items():
        for anchor in soup.find_all("a", href=True):
            parts = urlsplit(anchor["href"])
            if parts.scheme or not parts.fragment:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), parts.path)) if parts.path else name
            links.append((name, anchor["href"], target, parts.fragment))
    return links


@pytest.fixture(scope="module")
def link_book(tmp_path_factory) -> dict[str, BeautifulSoup]:
    folder = tmp_path_factory.mktemp("links")
    (folder / "chapters").mkdir()
    (folder / "_quarto.yml").write_text(PROJECT, encoding="utf-8")
    (folder / "index.qmd").write_text(INDEX, encoding="utf-8")
    (folder / "chapters" / "een.qmd").write_text(ONE, encoding="utf-8")
    (folder / "chapters" / "twee.ipynb").write_text(_notebook(TWO_MARKDOWN), encoding="utf-8")
    (folder / "chapters" / "drie.md").write_text(THREE, encoding="utf-8")
    render(folder, RenderOptions(formats=("html",)))
    return _pages(folder / "_book")


def test_every_internal_link_reaches_an_element_on_its_target_page(link_book):
    links = _internal_links(link_book)
    missing = [(page, href) for page, href, target, identifier in links
               if target not in link_book or link_book[target].find(id=identifier) is None]
    assert missing == []
    # The book has footnotes and numbered code lines on several pages, so the check covers them.
    assert {href for _page, href, _target, _id in links} >= {"#fn1", "#fnref1", "#cb1-1"}


def test_footnotes_and_code_lines_link_within_their_own_page(link_book):
    for name in ("chapters/een.html", "chapters/twee.html", "chapters/drie.html", "index.html"):
        main = link_book[name].find("main")
        note = main.find("a", class_="footnote-ref")
        assert note["href"] == "#fn1", name
        assert main.find(id="fn1") is not None, name
    code_line = link_book["chapters/drie.html"].find("main").find("span", id="cb1-1").find("a")
    assert code_line["href"] == "#cb1-1"


def test_cross_references_and_document_links_go_to_the_page_holding_the_target(link_book):
    one = {a.get_text(" ", strip=True): a["href"] for a in link_book["chapters/een.html"].find("main").find_all("a")}
    assert one["twee"] == "twee.html"
    assert one["drie"] == "drie.html#sec-drie"
    assert one["de index"] == "../index.html"
    assert next(href for text, href in one.items() if "2.1" in text) == "twee.html#sec-twee-b"
    two = {a.get_text(" ", strip=True): a["href"] for a in link_book["chapters/twee.html"].find("main").find_all("a")}
    assert two["een"] == "een.html#sec-een"
    index = {a.get_text(" ", strip=True): a["href"] for a in link_book["index.html"].find("main").find_all("a")}
    assert index["hoofdstuk twee"] == "chapters/twee.html#sec-twee-b"
    assert index["drie"] == "chapters/drie.html"


def test_a_single_document_links_to_the_html_of_another_qmd(tmp_path):
    source = tmp_path / "los.qmd"
    source.write_text("---\ntitle: Los\n---\n\nZie [het andere](ander.qmd#sec-x), [dit](los.qmd#sec-y), "
                      "[de site](https://example.org/a.qmd) en [data](data.csv).\n\n## Y {#sec-y}\n",
                      encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    main = BeautifulSoup((tmp_path / "los.html").read_text(encoding="utf-8"), "html.parser").find("main")
    links = {a.get_text(): a["href"] for a in main.find_all("a")}
    assert links == {"het andere": "ander.html#sec-x", "dit": "los.html#sec-y",
                     "de site": "https://example.org/a.qmd", "data": "data.csv"}


# ---------------------------------------------------------------- item 7: text files as Quarto reads them

BOM = "\ufeff"
LATIN_1 = "---\ntitle: Caf\xe9\n---\n\nTekst.\n"  # é as the single Latin-1 byte 0xe9: line 2, column 11


def _render_error(target: Path) -> str:
    from report.errors import ReportError

    with pytest.raises(ReportError) as caught:
        render(target, RenderOptions(formats=("html",)))
    return str(caught.value)


def test_a_latin_1_document_is_one_error_naming_its_line_and_column(tmp_path):
    source = tmp_path / "oud.qmd"
    source.write_bytes(LATIN_1.encode("latin-1"))
    assert _render_error(source) == ("oud.qmd:2: not UTF-8 (byte 0xe9 at column 11); Quarto requires UTF-8 text: "
                                     "save the file as UTF-8")


def test_a_latin_1_include_variables_file_and_bibliography_are_errors_naming_them(tmp_path):
    source = tmp_path / "doc.qmd"
    source.write_text("---\ntitle: Doc\n---\n\n{{< include _deel.qmd >}}\n", encoding="utf-8")
    (tmp_path / "_deel.qmd").write_bytes("Eerste regel.\n\nTweede r\xe9gel.\n".encode("latin-1"))
    assert _render_error(source) == ("_deel.qmd:3: not UTF-8 (byte 0xe9 at column 9); Quarto requires UTF-8 text: "
                                     "save the file as UTF-8")

    source.write_text("---\ntitle: Doc\n---\n\nTekst {{< var naam >}}.\n", encoding="utf-8")
    (tmp_path / "_variables.yml").write_bytes("naam: Ren\xe9\n".encode("latin-1"))
    assert _render_error(source) == ("_variables.yml:1: not UTF-8 (byte 0xe9 at column 10); Quarto requires UTF-8 "
                                     "text: save the file as UTF-8")
    (tmp_path / "_variables.yml").unlink()

    source.write_text("---\ntitle: Doc\nbibliography: refs.bib\n---\n\nZie @a.\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_bytes("@book{a,\n  title = {Caf\xe9},\n  year = 2020\n}\n".encode("latin-1"))
    assert _render_error(source) == (f"{(tmp_path / 'refs.bib').as_posix()}:2: not UTF-8 (byte 0xe9 at column 15); "
                                     "Quarto requires UTF-8 text: save the file as UTF-8")


def test_a_latin_1_project_file_is_an_error_naming_it(tmp_path):
    (tmp_path / "_quarto.yml").write_bytes("project:\n  type: book\nbook:\n  title: Caf\xe9\n  chapters: [index.qmd]\n"
                                           .encode("latin-1"))
    (tmp_path / "index.qmd").write_text("# Index\n", encoding="utf-8")
    assert _render_error(tmp_path) == ("_quarto.yml:4: not UTF-8 (byte 0xe9 at column 13); Quarto requires UTF-8 "
                                       "text: save the file as UTF-8")


def test_a_byte_order_mark_keeps_the_front_matter_and_the_project_file(tmp_path):
    (tmp_path / "_quarto.yml").write_text(BOM + "project:\n  type: book\nbook:\n  title: Boek met BOM\n"
                                          "  chapters: [index.qmd, deel.qmd]\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text(BOM + "# Index {.unnumbered}\n\n{{< include _stuk.qmd >}}\n", encoding="utf-8")
    (tmp_path / "_stuk.qmd").write_text(BOM + "Ingevoegd stuk.\n", encoding="utf-8")
    (tmp_path / "deel.qmd").write_text(BOM + "---\ntitle: Deel met BOM\n---\n\nTekst.\n", encoding="utf-8")
    render(tmp_path, RenderOptions(formats=("html",)))
    index = BeautifulSoup((tmp_path / "_book" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert index.find("a", class_="book-title").get_text() == "Boek met BOM"
    assert index.find("main").find("p").get_text() == "Ingevoegd stuk."
    assert BOM not in index.get_text()
    chapter = BeautifulSoup((tmp_path / "_book" / "deel.html").read_text(encoding="utf-8"), "html.parser")
    assert chapter.find("main").find("h1").get_text(" ", strip=True) == "1 Deel met BOM"
    assert "title:" not in chapter.find("main").get_text()


# ---------------------------------------------------------------- item 5: the HTML title block

TITLED = """---
title: "Een titel"
subtitle: "Met ondertitel"
lang: nl
author:
  - name: Norah Jones
    affiliations:
      - name: Carnegie Mellon University
      - ref: uu
    orcid: 0000-0001-2345-6789
    email: norah@example.org
  - name:
      given: Bill
      family: Gates
    affiliation: Microsoft
affiliations:
  - id: uu
    name: Universiteit Utrecht
date: 2024-03-01
date-format: "dddd D MMMM YYYY"
abstract: |
  Dit is de *samenvatting*.

  Tweede alinea.
abstract-title: Kort gezegd
---

## Inleiding

Tekst.
"""


def _title_block(source: Path) -> BeautifulSoup:
    render(source, RenderOptions(formats=("html",)))
    soup = BeautifulSoup(source.with_suffix(".html").read_text(encoding="utf-8"), "html.parser")
    return soup.find("main").find("header", id="title-block-header")


def _texts(nodes) -> list[str]:
    return [" ".join(node.get_text(" ").split()) for node in nodes]


def test_the_title_block_holds_title_subtitle_authors_affiliations_date_and_abstract(tmp_path):
    source = tmp_path / "artikel.qmd"
    source.write_text(TITLED, encoding="utf-8")
    header = _title_block(source)
    assert header["class"] == ["quarto-title-block", "default"]
    assert _texts(header.select("div.quarto-title > h1.title")) == ["Een titel"]
    assert _texts(header.select("div.quarto-title > p.subtitle")) == ["Met ondertitel"]
    authors = header.find("div", class_="quarto-title-meta-author")
    assert _texts(authors.find_all("div", class_="quarto-title-meta-heading", recursive=False)) == [
        "Auteurs", "Affiliaties"]
    assert _texts(authors.select("p.author")) == [
        "Norah Jones norah@example.org ORCID", "Bill Gates"]
    assert _texts(authors.select("p.affiliation")) == [
        "Carnegie Mellon University", "Universiteit Utrecht", "Microsoft"]
    assert authors.find("a", class_="quarto-title-author-orcid")["href"] == "https://orcid.org/0000-0001-2345-6789"
    assert authors.find("a", class_="quarto-title-author-email")["href"] == "mailto:norah@example.org"
    meta = header.find("div", class_="quarto-title-meta")
    assert _texts(meta.select(".quarto-title-meta-heading")) == ["Publicatiedatum"]
    assert _texts(meta.select("p.date")) == ["vrijdag 1 maart 2024"]
    abstract = header.find("div", class_="abstract")
    assert _texts(abstract.select("div.block-title")) == ["Kort gezegd"]
    assert [str(paragraph) for paragraph in abstract.find_all("p")] == [
        "<p>Dit is de <em>samenvatting</em>.</p>", "<p>Tweede alinea.</p>"]


def test_authors_without_affiliations_are_listed_under_one_heading(tmp_path):
    source = tmp_path / "twee.qmd"
    source.write_text("---\ntitle: Twee auteurs\nauthor: [Ada Lovelace, Alan Turing]\ndate: 2024-03-01\n"
                      "date-format: iso\n---\n\nTekst.\n", encoding="utf-8")
    header = _title_block(source)
    assert header.find("div", class_="quarto-title-meta-author") is None
    meta = header.find("div", class_="quarto-title-meta")
    assert _texts(meta.select(".quarto-title-meta-heading")) == ["Authors", "Published"]
    assert _texts(meta.select(".quarto-title-meta-contents p")) == ["Ada Lovelace", "Alan Turing", "2024-03-01"]
    assert header.find("div", class_="abstract") is None


def test_today_and_now_are_source_date_epoch_when_it_is_set(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    source = tmp_path / "vandaag.qmd"
    source.write_text("---\ntitle: Vandaag\ndate: today\n---\n\nTekst.\n", encoding="utf-8")
    header = _title_block(source)
    assert _texts(header.select("p.date")) == ["November 14, 2023"]
    assert "today" not in header.get_text()
    source.write_text("---\ntitle: Nu\ndate: now\ndate-format: 'YYYY-MM-DD [om] HH:mm'\n---\n\nTekst.\n",
                      encoding="utf-8")
    assert _texts(_title_block(source).select("p.date")) == ["2023-11-14 om 22:13"]
    # Given on the command line (-M date:today) as well.
    source.write_text("---\ntitle: Vandaag\ndate: 2020-01-01\n---\n\nTekst.\n", encoding="utf-8")
    render(source, RenderOptions(formats=("html",), metadata={"date": "today"}))
    page = BeautifulSoup(source.with_suffix(".html").read_text(encoding="utf-8"), "html.parser")
    assert _texts(page.select("header p.date")) == ["November 14, 2023"]


def test_last_modified_is_the_sources_modification_time(tmp_path, monkeypatch):
    import datetime
    import os

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    source = tmp_path / "gewijzigd.qmd"
    source.write_text("---\ntitle: Gewijzigd\nlang: nl\ndate: last-modified\n---\n\nTekst.\n", encoding="utf-8")
    modified = datetime.datetime(2021, 6, 15, 12, 0).timestamp()
    os.utime(source, (modified, modified))
    assert _texts(_title_block(source).select("p.date")) == ["15 juni 2021"]
    # A reproducible render never shows a time later than SOURCE_DATE_EPOCH.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime.datetime(2020, 1, 2, 12, 0,
                                                                      tzinfo=datetime.timezone.utc).timestamp())))
    os.utime(source, (modified, modified))
    assert _texts(_title_block(source).select("p.date")) == ["2 januari 2020"]


def test_a_special_date_is_resolved_in_the_pdf_too(tmp_path, monkeypatch):
    import pypdf

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    source = tmp_path / "pdf.qmd"
    source.write_text("---\ntitle: Een PDF\ndate: today\ndate-format: medium\n---\n\n## Deel\n\nTekst.\n",
                      encoding="utf-8")
    render(source, RenderOptions(formats=("typst",)))
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "pdf.pdf").pages)
    assert "Nov 14, 2023" in text
    assert "today" not in text


@pytest.mark.parametrize(("date_format", "lang", "shown"), [
    (None, "en", "March 1, 2024"), ("full", "en", "Friday, March 1, 2024"), ("medium", "en", "Mar 1, 2024"),
    ("short", "en", "3/1/24"), ("iso", "nl", "2024-03-01"), ("long", "nl", "1 maart 2024"),
    ("short", "nl", "01-03-2024"), ("ddd D MMM YY", "nl", "vr 1 mrt 24"), ("ddd h:mm a", "en", "Fri 12:00 am"),
    ("[week of] D/M", "en", "week of 1/3"),
])
def test_date_formats_as_quarto_names_them(date_format, lang, shown):
    from report.sources.title_block import format_date

    assert format_date("2024-03-01", lang, date_format) == shown
    assert format_date("2024/3/1", lang, date_format) == shown
    assert format_date("Voorjaar 2024", lang, date_format) == "Voorjaar 2024"


def test_a_book_dated_last_modified_shows_its_latest_chapter_change_on_every_render(tmp_path, monkeypatch):
    import datetime
    import os

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nlang: nl\nbook:\n  title: Datumboek\n"
                                          "  date: last-modified\n  chapters: [index.qmd, een.qmd]\n",
                                          encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Index {.unnumbered}\n", encoding="utf-8")
    (tmp_path / "een.qmd").write_text("# Een\n", encoding="utf-8")

    def footer_after_touching(year: int) -> str:
        for name in ("index.qmd", "een.qmd"):  # een.qmd is the later one
            moment = datetime.datetime(year, 5, 1 if name == "index.qmd" else 2, 12, 0).timestamp()
            os.utime(tmp_path / name, (moment, moment))
        render(tmp_path, RenderOptions(formats=("html",)))
        page = BeautifulSoup((tmp_path / "_book" / "index.html").read_text(encoding="utf-8"), "html.parser")
        return page.find("footer").get_text(strip=True)

    assert footer_after_touching(2022) == "Datumboek · 2 mei 2022"
    # Only the times changed: a render that skipped unchanged sources would still say 2022.
    assert footer_after_touching(2023) == "Datumboek · 2 mei 2023"
