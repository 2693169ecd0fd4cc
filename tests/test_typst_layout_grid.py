"""The typst Quarto writes for layouts and sub-floats, and that it compiles to the tagged PDF.

Outside a float a layout is one `#grid(\ncolumns: (...), gutter: 1em, rows: 1,` per row, each cell a borderless
`rect`; a column is as wide as the layout's number (`layout="[[1,-1,2]]"`: 1fr, 1fr, 2fr), else as the cell's
image (a unitless width pixels at 96 per inch), else 1fr. In a float the layout is `#grid(columns: 2, gutter:
2em,` of blocks, and a float with sub-floats is Quarto's `#quarto_super(...)`, which letters them "(a)".
"""

from pathlib import Path

import pypdf
import pytest

from report.build import RenderOptions, render

SQUARE = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
          '<rect width="200" height="100" fill="#1f77b4"/></svg>\n')

LAYOUTS = """---
title: "Grids"
pdf-standard: [ua-1, a-2a]
format:
  typst:
    keep-typ: true
---

::: {layout-ncol=4}
![](a.svg){fig-alt="First."}

![](a.svg){fig-alt="Second." width=100}

![](a.svg){fig-alt="Third." width="100pt"}

![](a.svg){fig-alt="Fourth." width="25%"}
:::

::: {layout="[[1,-1,2]]" layout-valign="bottom"}
![](a.svg){fig-alt="Left."}

![](a.svg){fig-alt="Right."}
:::

::: {layout-ncol=2}
::: {.callout-note}
LEFT-NOTE in a column.
:::

::: {.callout-tip}
RIGHT-TIP in a column.
:::
:::

::: {.callout-note}
## Plots

::: {layout-ncol=2}
![](a.svg){fig-alt="In a callout."}

![](a.svg){fig-alt="In a callout too."}
:::
:::

::: {#fig-panel layout-ncol=2}
![Alpha](a.svg){#fig-panel-a fig-alt="Alpha."}

![Beta](a.svg){fig-alt="Beta."}

Two panels
:::

::: {#fig-plain layout-ncol=2}
![](a.svg){fig-alt="Plain one."}

![](a.svg){fig-alt="Plain two."}

No sub-figures
:::

::: {#tbl-pair layout-ncol=2}

| Land | N |
|------|---|
| A    | 1 |

: Asia {#tbl-pair-a}

| Land | N |
|------|---|
| B    | 2 |

: Americas {#tbl-pair-b}

Two tables
:::

See @fig-panel, @fig-panel-a and @tbl-pair.
"""

MARGIN = """---
title: "Margin panel"
pdf-standard: [ua-1, a-2a]
crossref:
  subref-labels: roman
format:
  typst:
    keep-typ: true
---

Body text beside the panel.

::: {#fig-side .column-margin layout-ncol=1}
![Upper](a.svg){#fig-side-a fig-alt="Upper."}

![Lower](a.svg){#fig-side-b fig-alt="Lower."}

SIDE-PANEL in the margin
:::

::: {#fig-other layout="[[2,1]]"}
![Wide](a.svg){#fig-other-a fig-alt="Wide."}

![Narrow](a.svg){#fig-other-b fig-alt="Narrow."}

Unequal panels
:::
"""


class Rendered:
    def __init__(self, folder: Path, name: str, text: str):
        (folder / "a.svg").write_text(SQUARE, encoding="utf-8")
        source = folder / f"{name}.qmd"
        source.write_text(text, encoding="utf-8")
        render(source, RenderOptions(formats=("typst",)))
        self.typst = source.with_suffix(".typ").read_text(encoding="utf-8")
        self.reader = pypdf.PdfReader(source.with_suffix(".pdf"))
        # the PDF's words in reading order, single-spaced (lines wrap where the page is narrow)
        self.pdf = " ".join("\n".join(page.extract_text() for page in self.reader.pages).split())

    def tagged_pdf_ua(self) -> bool:
        xmp = self.reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
        return "<pdfuaid:part>1</pdfuaid:part>" in xmp and bool(self.reader.trailer["/Root"]["/MarkInfo"]["/Marked"])


@pytest.fixture(scope="module")
def layouts(tmp_path_factory):
    return Rendered(tmp_path_factory.mktemp("grids"), "layouts", LAYOUTS)


@pytest.fixture(scope="module")
def margin(tmp_path_factory):
    return Rendered(tmp_path_factory.mktemp("margin-panel"), "margin", MARGIN)


def test_layout_columns_take_the_images_widths_and_unitless_ones_are_pixels(layouts):
    assert ("#grid(\ncolumns: (1fr, 1.041667in, 100pt, 25.0%), gutter: 1em, rows: 1,\n"
            '  rect(stroke: none, width: 100%)[\n#image("a.svg", alt: "First.", width: 100%)\n') in layouts.typst
    # an image of a size of its own keeps it; a percentage became its column's, and the image fills that
    assert '#image("a.svg", alt: "Second.", width: 1.04167in)' in layouts.typst
    assert '#image("a.svg", alt: "Third.", width: 100pt)' in layouts.typst
    assert '#image("a.svg", alt: "Fourth.", width: 100%)' in layouts.typst


def test_layout_widths_are_the_layouts_numbers_and_a_spacer_is_an_empty_cell(layouts):
    assert ("#grid(\ncolumns: (1fr, 1fr, 2fr), gutter: 1em, rows: 1, align: bottom,\n"
            '  rect(stroke: none, width: 100%)[\n#image("a.svg", alt: "Left.", width: 100%)\n\n],\n'
            "  rect(stroke: none, width: 100%)[\n],\n") in layouts.typst


def test_callouts_in_a_layout_and_a_layout_in_a_callout(layouts):
    assert "#grid(\ncolumns: (1fr, 1fr), gutter: 1em, rows: 1,\n  rect(stroke: none, width: 100%)[\n#callout(" in layouts.typst
    assert "#callout(\nbody: \n[\n#grid(\ncolumns: (1fr, 1fr), gutter: 1em, rows: 1," in layouts.typst
    assert "LEFT-NOTE in a column." in layouts.pdf and "RIGHT-TIP in a column." in layouts.pdf


def test_a_float_with_sub_figures_is_quarto_super_around_a_grid_of_blocks(layouts):
    assert ('#quarto_super(\nkind: image,\ncaption: [Two panels],\nlabel: <fig-panel>,\nposition: bottom,\n'
            'supplement: "Figure",\nsubcapnumbering: "(a)",\nnumbering: n => "1",\nseparator: ": ",\n[\n'
            "#grid(columns: 2, gutter: 2em,\n  [\n#block[\n#figure([\n") in layouts.typst
    # each sub-figure a figure of the float's kind, left out of the list of figures; one without an id has no label
    assert ('], caption: figure.caption(position: bottom, [Alpha]), kind: image, supplement: "Figure", '
            "outlined: false)<fig-panel-a>\n]\n],") in layouts.typst
    assert ('[Beta]), kind: image, supplement: "Figure", outlined: false)\n]\n],') in layouts.typst
    assert "(a) Alpha (b) Beta Figure 1: Two panels" in layouts.pdf
    assert "See Figure 1, Figure 1 (a) and Table 1." in layouts.pdf


def test_a_float_with_a_layout_and_no_sub_figures_is_a_figure_around_the_grid(layouts):
    assert ('#figure([\n#grid(columns: 2, gutter: 2em,\n  [\n#block[\n#image("a.svg", alt: "Plain one.", width: 100%)'
            in layouts.typst)
    assert "Figure 2: No sub-figures" in layouts.pdf


def test_sub_tables_are_lettered_once_each_though_a_table_is_a_figure_inside_its_sub_float(layouts):
    assert "#quarto_super(\nkind: table,\ncaption: [Two tables],\nlabel: <tbl-pair>,\nposition: top," in layouts.typst
    assert "Table 1: Two tables (a) Asia Land N A 1 (b) Americas" in layouts.pdf


def test_the_layouts_compile_to_the_tagged_pdf(layouts):
    assert layouts.tagged_pdf_ua(), "compiled with typst's PDF/UA-1 check"


def test_a_panel_in_the_margin_is_quarto_super_in_a_note_lettered_as_subref_labels_asks(margin):
    assert ('#note(alignment: "baseline", dy: 0pt, shift: auto, counter: none)[\n#quarto_super(\nkind: image,\n'
            "caption: [SIDE-PANEL in the margin],\nlabel: <fig-side>,") in margin.typst
    assert 'subcapnumbering: "(i)",' in margin.typst
    assert "Body text beside the panel. (i) Upper (ii) Lower Figure 1: SIDE-PANEL in the margin" in margin.pdf
    assert margin.tagged_pdf_ua()


def test_unequal_widths_in_a_float_are_a_grid_in_the_layouts_numbers(margin):
    assert "#grid(columns: (2fr, 1fr), gutter: 2em,\n  [\n#block[\n#figure([" in margin.typst
    assert "(i) Wide (ii) Narrow Figure 2: Unequal panels" in margin.pdf


def test_sub_float_labels_no_typst_pattern_writes_are_listed_in_order(tmp_path):
    custom = MARGIN.replace("subref-labels: roman", "subref-labels: alpha x")
    rendered = Rendered(tmp_path, "custom", custom)
    assert 'subcapnumbering: n => ("(x)", "(y)", ).at(n - 1, default: none),' in rendered.typst
    assert "(x) Upper (y) Lower Figure 1: SIDE-PANEL in the margin" in rendered.pdf
