"""Quarto's float model: a figure or table float may hold any content (issue 19, item 1).

A div of text, a Markdown table a cell printed, a cell's text output, raw HTML or nothing at all: each is
numbered, captioned and cross-referenced like an image or a DataFrame, with Quarto's HTML structure
(`div.quarto-float > figure.quarto-float-fig > div + figcaption`) and a typst `#figure` in the PDF.
"""

import struct
import zlib
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render

DUTCH = '''---
title: "Zwevers"
lang: nl
format:
  typst:
    keep-typ: true
---

::: {#fig-tekst}

::: {.tekst-inhoud}
Dit is de inhoud van de figuur.
:::

Een figuur van tekst.

:::

::: {#tbl-html}

```{=html}
<table>
  <caption>Een tabel uit HTML.</caption>
  <thead><tr><th>kolom</th><th>waarde</th></tr></thead>
  <tbody><tr><td>a</td><td>1</td></tr></tbody>
</table>
```

:::

```{python}
#| label: tbl-telling
#| tbl-cap: "Een tabel die de cel print."
#| output: asis
#| echo: false
print("| groep | aantal |\\n|---|---:|\\n| A | 12 |\\n| B | 30 |")
```

```{python}
#| label: fig-uitvoer
#| fig-cap: "Tekst uit een cel."
#| echo: false
print("uitvoer van de cel")
```

```{python}
#| label: fig-leeg
#| fig-cap: "Een cel zonder uitvoer."
#| echo: false
x = 1
```

Zie @fig-tekst, @tbl-html, @tbl-telling, @fig-uitvoer en @fig-leeg.
'''

ENGLISH = '''---
title: "Floats"
lang: en
format:
  typst:
    keep-typ: true
---

::: {#fig-attr fig-cap="A caption with *emphasis*"}
Only text, and the caption is an attribute.
:::

::: {#tbl-text}
A table float that holds a paragraph.

This is the table caption.
:::

![A table as an image](pixel.png){#tbl-image fig-alt="One grey pixel"}

```{#lst-query .sql lst-cap="The customers *query*"}
SELECT * FROM customers
```

See @fig-attr and @tbl-text, @tbl-image and @lst-query.

[![A linked figure](pixel.png){#fig-linked fig-alt="A grey pixel that links"}](https://example.org/)

The linked one is @fig-linked.

1. An item that holds a figure:

   ::: {#fig-in-list}
   Text in a list item.

   A figure in a list.
   :::

The listed one is @fig-in-list.
'''


def _pixel_png() -> bytes:
    """A 1x1 grey PNG, written out so the test needs no image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b""))


class _Rendered:
    def __init__(self, folder: Path, name: str, text: str):
        source = folder / f"{name}.qmd"
        source.write_text(text, encoding="utf-8")
        render(source, RenderOptions(formats=("html",)))
        render(source, RenderOptions(formats=("typst",)))
        soup = BeautifulSoup(source.with_suffix(".html").read_text(encoding="utf-8"), "html.parser")
        self.main = soup.find("main")
        self.typst = source.with_suffix(".typ").read_text(encoding="utf-8")
        reader = pypdf.PdfReader(source.with_suffix(".pdf"))
        self.pdf = "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")

    def float_parts(self, identifier: str, kind: str):
        """(content div, figcaption) of the float, asserting Quarto's nesting on the way."""
        outer = self.main.find(id=identifier)
        assert outer.name == "div" and "quarto-float" in outer["class"]
        figure = outer.find("figure", recursive=False)
        assert {"quarto-float", f"quarto-float-{kind}"} <= set(figure["class"])
        content = figure.find("div", attrs={"aria-describedby": f"{identifier}-caption"}, recursive=False)
        caption = figure.find("figcaption", recursive=False)
        assert {"quarto-float-caption", f"quarto-float-{kind}"} <= set(caption["class"])
        assert caption["id"] == f"{identifier}-caption"
        return content, caption

    def xrefs(self) -> list[str]:
        return [link.get_text() for link in self.main.select("a.quarto-xref")]


@pytest.fixture(scope="module")
def dutch(tmp_path_factory):
    return _Rendered(tmp_path_factory.mktemp("floats_nl"), "zwevers", DUTCH)


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    folder = tmp_path_factory.mktemp("floats_en")
    (folder / "pixel.png").write_bytes(_pixel_png())
    return _Rendered(folder, "floats", ENGLISH)


def test_a_div_of_text_is_a_numbered_figure(dutch):
    content, caption = dutch.float_parts("fig-tekst", "fig")
    assert content.find("div", class_="tekst-inhoud").get_text(strip=True) == "Dit is de inhoud van de figuur."
    assert " ".join(caption.get_text().split()) == "Figuur 1: Een figuur van tekst."
    assert "#figure([" in dutch.typst
    assert 'supplement: "Figuur", numbering: n => "1")<fig-tekst>' in dutch.typst
    assert "Figuur 1: Een figuur van tekst." in dutch.pdf


def test_a_raw_html_table_is_read_as_a_table_and_gives_its_caption(dutch):
    content, caption = dutch.float_parts("tbl-html", "tbl")
    assert " ".join(caption.get_text().split()) == "Tabel 1: Een tabel uit HTML."
    table = content.find("table")
    assert [cell.get_text() for cell in table.select("th")] == ["kolom", "waarde"]
    assert table.find("caption") is None  # the caption moved to the float
    typst_float = dutch.typst.split("<tbl-html>")[0].rsplit("#figure([", 1)[1]
    assert "#table(" in typst_float and "[kolom]" in typst_float
    assert "Tabel 1: Een tabel uit HTML." in dutch.pdf


def test_a_markdown_table_printed_by_a_cell_is_a_real_table(dutch):
    content, caption = dutch.float_parts("tbl-telling", "tbl")
    assert " ".join(caption.get_text().split()) == "Tabel 2: Een tabel die de cel print."
    rows = [[cell.get_text() for cell in row.find_all(["th", "td"])] for row in content.find_all("tr")]
    assert rows == [["groep", "aantal"], ["A", "12"], ["B", "30"]]
    typst_float = dutch.typst.split("<tbl-telling>")[0].rsplit("#figure([", 1)[1]
    assert "#table(" in typst_float and "kind: table" in typst_float


def test_a_figure_cell_with_text_output_is_a_figure(dutch):
    content, caption = dutch.float_parts("fig-uitvoer", "fig")
    assert "uitvoer van de cel" in content.get_text()
    assert content.find("img") is None
    assert " ".join(caption.get_text().split()) == "Figuur 2: Tekst uit een cel."
    assert "Figuur 2: Tekst uit een cel." in dutch.pdf


def test_a_figure_cell_without_output_is_an_empty_numbered_figure(dutch):
    content, caption = dutch.float_parts("fig-leeg", "fig")
    assert content.get_text(strip=True) == ""
    assert " ".join(caption.get_text().split()) == "Figuur 3: Een cel zonder uitvoer."


def test_references_to_floats_of_any_content_carry_their_numbers(dutch):
    assert dutch.xrefs() == ["Figuur\xa01", "Tabel\xa01", "Tabel\xa02", "Figuur\xa02", "Figuur\xa03"]
    # typst prints the reference from the float's own numbering, with the supplement as content, as Quarto writes it
    for label, title in (("fig-tekst", "Figuur"), ("tbl-html", "Tabel"), ("tbl-telling", "Tabel"),
                         ("fig-uitvoer", "Figuur"), ("fig-leeg", "Figuur")):
        assert f"#ref(<{label}>, supplement: [{title}])" in dutch.typst
    assert "Zie Figuur 1, Tabel 1, Tabel 2, Figuur 2 en Figuur 3." in " ".join(dutch.pdf.split())


def test_a_caption_attribute_is_markdown_and_a_single_paragraph_is_content(english):
    content, caption = english.float_parts("fig-attr", "fig")
    assert content.get_text(strip=True) == "Only text, and the caption is an attribute."
    assert caption.find("em").get_text() == "emphasis"
    assert " ".join(caption.get_text().split()) == "Figure 1: A caption with emphasis"


def test_a_table_float_may_hold_text(english):
    content, caption = english.float_parts("tbl-text", "tbl")
    assert content.get_text(strip=True) == "A table float that holds a paragraph."
    assert " ".join(caption.get_text().split()) == "Table 1: This is the table caption."
    assert 'supplement: "Table", numbering: n => "1")<tbl-text>' in english.typst


def test_an_image_with_a_table_label_is_a_table_float_holding_the_image(english):
    content, caption = english.float_parts("tbl-image", "tbl")
    assert content.find("img")["src"] == "pixel.png"
    assert content.find("img")["alt"] == "One grey pixel"
    assert " ".join(caption.get_text().split()) == "Table 2: A table as an image"
    typst_float = english.typst.split("<tbl-image>")[0].rsplit("#figure([", 1)[1]
    assert 'alt: "One grey pixel"' in typst_float and "kind: table" in typst_float


def test_a_listing_caption_is_markdown(english):
    content, caption = english.float_parts("lst-query", "lst")
    assert "SELECT * FROM customers" in content.get_text()
    assert caption.find("em").get_text() == "query"
    assert english.xrefs()[:4] == ["Figure\xa01", "Table\xa01", "Table\xa02", "Listing\xa01"]
    assert "See Figure 1 and Table 1, Table 2 and Listing 1." in " ".join(english.pdf.split())


def test_a_linked_image_with_a_label_is_a_figure_that_keeps_its_link(english):
    content, caption = english.float_parts("fig-linked", "fig")
    link = content.find("a")
    assert link["href"] == "https://example.org/"
    assert link.find("img")["alt"] == "A grey pixel that links"
    assert content.find(class_="figure-zoom") is None  # no link inside the link
    assert " ".join(caption.get_text().split()) == "Figure 2: A linked figure"
    assert english.xrefs()[4] == "Figure\xa02"
    typst_float = english.typst.split("<fig-linked>")[0].rsplit("#figure([", 1)[1]
    assert '#link("https://example.org/")[#box(image(' in typst_float and 'alt: "A grey pixel that links"' in typst_float
    assert "The linked one is Figure 2." in " ".join(english.pdf.split())


def test_a_float_in_a_list_item_is_numbered_where_it_stands(english):
    content, caption = english.float_parts("fig-in-list", "fig")
    assert content.find_parent("li") is not None
    assert " ".join(caption.get_text().split()) == "Figure 3: A figure in a list."
    assert "The listed one is Figure 3." in " ".join(english.pdf.split())
