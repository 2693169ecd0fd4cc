"""Quarto 1.8's typst margin layout (report.outputs.margin_layout, report.document.columns): margin notes,
wide blocks, margin figures and captions, side notes and margin citations, and the page geometry, on small
documents of our own; the typst source as Quarto writes it and, where it matters, where the PDF puts the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from report.build import RenderOptions, render
from report.document._ast import Div, Span
from report.outputs.margin_layout import CITATION_NOTE, margin_layout

POINTS_PER_INCH = 72
NOTES = """---
title: "Kantlijn"
format:
  typst:
    keep-typ: true
---

BODY-LINE opens the page with a line of running text.

::: {.column-margin}
DIV-NOTE stands in the margin.
:::

A sentence with a remark[SPAN-NOTE beside its line]{.aside shift="ignore"} in it.

::: {.column-margin dy="-2em" shift="false"}
OFFSET-NOTE moved up.
:::

::: {.column-page-left}
WIDE-LEFT reaches into the inner margin, further left than the text column starts on this page.
:::

::: {.column-body-outset-right}
OUTSET-RIGHT a little into the outer margin.
:::

::: {.column-screen-inset-shaded}
SHADED band.
:::

![MARGIN-FIG-CAP](dot.svg){#fig-side .column-margin fig-alt="A dot"}

![BODY-FIG-CAP](dot.svg){#fig-body cap-location="margin" fig-alt="A dot"}

::: {.column-margin shift="avoid"}
![WRAPPED-CAP](dot.svg){#fig-wrapped fig-alt="A dot"}

WRAPPED-TEXT beside the wrapped figure.
:::

See @fig-side, @fig-body and @fig-wrapped.
"""
SIDENOTES = """---
title: "Zijnoten"
papersize: us-letter
reference-location: margin
citation-location: margin
bibliography: refs.bib
margin:
  left: 0.75in
grid:
  margin-width: 2.5in
  gutter-width: 0.4in
format:
  typst:
    keep-typ: true
    citeproc: true
    margin-geometry:
      clearance: 16pt
---

BODY-TEXT with a footnote^[FOOTNOTE-TEXT in the margin.] and a citation [@vos2020, p. 12].

## Verder

Later text.
"""
BIBLIOGRAPHY = """@book{vos2020,
  author = {Vos, Anna},
  title = {Kantlijnen en voetnoten},
  publisher = {Uitgeverij Marge},
  year = {2020}
}
"""
PLAIN = """---
title: "Zonder kantlijn"
format:
  typst:
    keep-typ: true
---

Only running text and a footnote^[An ordinary footnote.].
"""
CELLS = """---
title: "Cellen"
format:
  typst:
    keep-typ: true
---

CELL-BODY text in the column.

```{python}
#| label: fig-cell
#| fig-cap: "CELL-FIG-CAP"
#| fig-alt: "A line"
#| column: margin
#| echo: false
import matplotlib.pyplot as plt
plt.plot([1, 2, 3])
plt.show()
```

```{python}
#| column: margin
#| echo: false
print("CELL-PRINTED")
```

::: {.column-margin shift="false"}
```{python}
#| label: tbl-cell
#| tbl-cap: "CELL-TBL-CAP"
#| echo: false
import pandas as pd
pd.DataFrame({"CELL-TBL-COLUMN": [1, 2]})
```
:::

```{python}
#| label: lst-cell
#| lst-cap: "CELL-LST-CAP"
#| column: margin
#| eval: false
print("CELL-LISTED")
```

See @fig-cell, @tbl-cell and @lst-cell.
"""
DOT_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
           '<circle cx="20" cy="20" r="15"/></svg>')


def fragments(pdf: Path) -> list[tuple[int, float, float, str]]:
    """Each text run of the PDF: page, x and y of its start (points), text."""
    found: list[tuple[int, float, float, str]] = []
    for number, page in enumerate(PdfReader(pdf).pages):
        def visit(text, cm, tm, _font, _size, number=number):
            if text.strip():
                found.append((number, tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5],
                              text))
        page.extract_text(visitor_text=visit)
    return found


def x_of(pdf: Path, needle: str) -> float:
    return next(x for _page, x, _y, text in fragments(pdf) if needle in text)


def y_of(pdf: Path, needle: str) -> float:
    return next(y for _page, _x, y, text in fragments(pdf) if needle in text)


def text_of(pdf: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\xa0", " ").split())


def text_column_right(typst: str, page_width: float) -> float:
    """The right edge of the text column (points), from the outer margin the .typ gives marginalia."""
    outer = re.search(r"outer: \(\s*far: ([\d.]+)in,\s*width: ([\d.]+)in,\s*sep: ([\d.]+)in", typst)
    return page_width - sum(float(value) for value in outer.groups()) * POINTS_PER_INCH


def render_document(folder: Path, name: str, text: str) -> tuple[str, Path]:
    source = folder / name
    source.write_text(text, encoding="utf-8")
    render(source, RenderOptions(formats=("typst",)))
    return source.with_suffix(".typ").read_text(encoding="utf-8"), source.with_suffix(".pdf")


@pytest.fixture(scope="module")
def notes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("margin-notes")
    (folder / "dot.svg").write_text(DOT_SVG, encoding="utf-8")
    return render_document(folder, "notes.qmd", NOTES)


@pytest.fixture(scope="module")
def sidenotes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("margin-sidenotes")
    (folder / "refs.bib").write_text(BIBLIOGRAPHY, encoding="utf-8")
    return render_document(folder, "sidenotes.qmd", SIDENOTES)


def test_margin_divs_and_spans_are_marginalia_notes(notes):
    typst, pdf = notes
    assert '#note(alignment: "baseline", dy: 0pt, shift: auto, counter: none)[\nDIV-NOTE stands in the margin.' in typst
    assert ('remark#note(alignment: "baseline", dy: 0pt, shift: "ignore", counter: none)[SPAN-NOTE beside its line]'
            in typst)
    assert '#note(alignment: "baseline", dy: -2em, shift: false, counter: none)[\nOFFSET-NOTE' in typst
    right = text_column_right(typst, 595.28)  # the engine's paper is A4 unless the document names one
    for note in ("DIV-NOTE", "SPAN-NOTE", "OFFSET-NOTE"):
        assert x_of(pdf, note) > right > x_of(pdf, "BODY-LINE"), note
    assert y_of(pdf, "OFFSET-NOTE") > y_of(pdf, "A sentence"), "dy: -2em lifts the note above the next line"


def test_wide_classes_are_wideblocks_and_template_widths(notes):
    typst, pdf = notes
    assert '#wideblock(side: "inner")[\nWIDE-LEFT' in typst
    assert '#column-body-outset(side: "outer")[\nOUTSET-RIGHT' in typst
    assert "#column-screen-inset-shaded[\nSHADED band." in typst
    assert x_of(pdf, "WIDE-LEFT") < x_of(pdf, "BODY-LINE") - 20, "the page-left block starts in the inner margin"


def test_margin_figure_is_a_notefigure_with_its_number_and_label(notes):
    typst, pdf = notes
    assert ('#[#set figure(numbering: n => "1")\n#notefigure(alignment: "baseline", dy: 0pt, shift: auto, '
            'counter: none, kind: image, supplement: "Figure", [') in typst
    assert re.search(r'\[MARGIN-FIG-CAP\]\)\)<fig-side>', typst)
    text = text_of(pdf)
    assert "Figure 1: MARGIN-FIG-CAP" in text and "See Figure 1, Figure 2 and Figure 3." in text
    assert x_of(pdf, "MARGIN-FIG-CAP") > text_column_right(typst, 595.28)


def test_margin_caption_is_a_note_beside_its_figure(notes):
    typst, pdf = notes
    assert ('#[\n#set figure(gap: 0pt)\n#set figure.caption(position: top)\n#show figure.caption: it => '
            'note(alignment: "top", dy: -0.01pt, counter: none, shift: "avoid", keep-order: true)'
            '[#text(size: 0.9em)[#it]]\n#figure([') in typst
    assert "Figure 2: BODY-FIG-CAP" in text_of(pdf)
    assert x_of(pdf, "BODY-FIG-CAP") > text_column_right(typst, 595.28)


def test_margin_div_around_a_figure_places_the_figure_and_the_text_apart(notes):
    typst, pdf = notes
    assert re.search(r'#notefigure\(alignment: "baseline", dy: 0pt, shift: "avoid", counter: none, kind: image, '
                     r'supplement: "Figure", \[\n#image\("dot.svg", alt: "A dot"\)\n\], caption: figure.caption\('
                     r'position: bottom, separator: ": ", \[WRAPPED-CAP\]\)\)<fig-wrapped>', typst)
    assert '#note(alignment: "baseline", dy: 0pt, shift: "avoid", counter: none)[\nWRAPPED-TEXT' in typst
    assert x_of(pdf, "WRAPPED-TEXT") > text_column_right(typst, 595.28)


def test_reference_location_margin_makes_footnotes_side_notes(sidenotes):
    typst, pdf = sidenotes
    assert "#show footnote: it => column-sidenote(it.body)\n#show footnote.entry: none" in typst
    assert "#footnote[FOOTNOTE-TEXT in the margin.]" in typst
    assert text_of(pdf).count("FOOTNOTE-TEXT") == 1, "the side note only, no entry at the page's foot"
    assert x_of(pdf, "FOOTNOTE-TEXT") > text_column_right(typst, 612)


def test_citation_location_margin_puts_the_reference_beside_the_citation(sidenotes):
    typst, pdf = sidenotes
    assert '#note(alignment: "baseline", shift: auto, counter: none)[#set text(size: 0.85em)' in typst
    text = text_of(pdf)
    assert "(Vos 2020, 12)" in text
    # the style's title case; once, in the margin, and no reference list at the end
    assert text.lower().count("kantlijnen en voetnoten") == 1 and "Uitgeverij Marge" in text
    assert x_of(pdf, "Kantlijnen") > text_column_right(typst, 612)


def test_geometry_from_paper_margin_grid_and_margin_geometry(sidenotes):
    typst, _pdf = sidenotes
    setup = typst[typst.index("#show: marginalia.setup.with("):]
    # US letter's inner column (21 % of 8.5in), margin.left the gap to the text, grid the outer column and gutter
    assert "inner: (\n    far: 0.649in,\n    width: 0.811in,\n    sep: 0.750in,\n  )" in setup
    assert "outer: (\n    far: 0.648in,\n    width: 2.500in,\n    sep: 0.400in,\n  )" in setup
    assert "top: 1.25in,\n  bottom: 1.25in,\n  book: false,\n  clearance: 16pt," in setup
    assert 'paper: "us-letter"' in typst and "margin: auto," in typst


def test_geometry_scales_with_the_paper_and_margin_geometry_overrides_it():
    pages = [[{"t": "Para", "c": [Span([{"t": "Str", "c": "note"}], classes=["column-margin"])]}]]
    a4 = margin_layout(pages, {"papersize": "a4"}).geometry
    letter = margin_layout(pages, {"papersize": "us-letter"}).geometry
    assert a4["outer"] == {"far": "0.633in", "width": "1.582in", "separation": "0.316in"}
    assert letter["outer"]["width"] == "1.620in" and a4["inner"]["width"] == "0.792in"
    overridden = margin_layout(pages, {"papersize": "us-letter",
                                       "margin-geometry": {"outer": {"width": "3in"}, "clearance": "16pt"}}).geometry
    assert overridden["outer"] == {**letter["outer"], "width": "3in"} and overridden["clearance"] == "16pt"
    assert margin_layout(pages, {"papersize": "no-such-paper"}).geometry == letter


def test_a_document_without_margin_content_keeps_its_page(tmp_path):
    typst, pdf = render_document(tmp_path, "plain.qmd", PLAIN)
    assert "marginalia" not in typst and "column-sidenote" not in typst
    assert "margin: auto" not in typst
    assert "An ordinary footnote." in text_of(pdf)
    assert margin_layout([[{"t": "Para", "c": [{"t": "Str", "c": "text"}]}]], {}) is None
    # as in Quarto, a wide class on a span is only text; on a div it asks for the layout
    wide = Span([{"t": "Str", "c": "wide"}], classes=["column-page"])
    assert margin_layout([[{"t": "Para", "c": [wide]}]], {}) is None
    assert margin_layout([[Div([{"t": "Para", "c": [wide]}], classes=["column-page"])]], {}) is not None


@pytest.fixture(scope="module")
def cells(tmp_path_factory):
    return render_document(tmp_path_factory.mktemp("margin-cells"), "cells.qmd", CELLS)


def test_cell_column_option_places_figure_and_output_in_the_margin(cells):
    typst, pdf = cells
    assert re.search(r'#notefigure\(alignment: "baseline", dy: 0pt, shift: auto, counter: none, kind: image, '
                     r'supplement: "Figure", \[\n#image\("cells_files/figure-typst/fig-cell-output-1\.svg", alt: "A line"\)',
                     typst)
    assert re.search(r'#note\(alignment: "baseline", dy: 0pt, shift: auto, counter: none\)\[\n[^\]]*CELL-PRINTED',
                     typst)
    right = text_column_right(typst, 595.28)
    assert x_of(pdf, "CELL-FIG-CAP") > right and x_of(pdf, "CELL-PRINTED") > right
    assert x_of(pdf, "CELL-BODY") < right


def test_margin_div_around_a_table_cell_places_its_float(cells):
    typst, pdf = cells
    assert re.search(r'#notefigure\(alignment: "baseline", dy: 0pt, shift: false, counter: none, kind: table, '
                     r'supplement: "Table", \[', typst)
    assert "Table 1: CELL-TBL-CAP" in text_of(pdf)
    assert x_of(pdf, "CELL-TBL-COLUMN") > text_column_right(typst, 595.28)


def test_the_site_keeps_a_floats_column_class(tmp_path):
    (tmp_path / "dot.svg").write_text(DOT_SVG, encoding="utf-8")
    source = tmp_path / "site.qmd"
    source.write_text('---\ntitle: "Site"\n---\n\n![CAP](dot.svg){#fig-side .column-margin fig-alt="A dot"}\n',
                      encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    html = source.with_suffix(".html").read_text(encoding="utf-8")
    assert re.search(r'<div id="fig-side" class="quarto-float quarto-figure quarto-figure-center anchored '
                     r'column-margin">', html)


def test_cell_labelled_as_a_listing_goes_to_the_margin_with_its_caption(cells):
    typst, pdf = cells
    assert re.search(r'#notefigure\(alignment: "baseline", dy: 0pt, shift: auto, counter: none, '
                     r'kind: "quarto-float-lst", supplement: "Listing", \[\n#set align\(left\)', typst)
    assert re.search(r"\[CELL-LST-CAP\]\)\)<lst-cell>", typst)
    text = text_of(pdf)
    assert "Listing 1: CELL-LST-CAP" in text and "Listing 1." in text
    assert x_of(pdf, "CELL-LISTED") > text_column_right(typst, 595.28)


def test_margin_citations_without_citeproc_are_typsts_own_full_citations(tmp_path):
    """Typst's own bibliography (Quarto's default for typst): each citation gets `#cite(<key>, form: "full")`
    in a margin note."""
    (tmp_path / "refs.bib").write_text(BIBLIOGRAPHY, encoding="utf-8")
    typst, pdf = render_document(tmp_path, "native.qmd", SIDENOTES.replace("    citeproc: true\n", ""))
    assert CITATION_NOTE + '#cite(<vos2020>, form: "full")]' in typst
