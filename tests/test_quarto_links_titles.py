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
