"""HTML for floats, sub-floats, panel layouts and numbered equations, in Quarto's markup and class names.

    <div id="fig-x" class="quarto-float quarto-figure quarto-figure-center anchored">
      <figure class="quarto-float quarto-float-fig figure">
        <div aria-describedby="fig-x-caption"> ... <div class="quarto-layout-panel"> rows and cells ... </div>
        <figcaption id="fig-x-caption" class="quarto-float-caption-bottom quarto-float-caption quarto-float-fig">

A sub-float has `quarto-subfloat-fig` on its figure and `quarto-subfloat-caption quarto-subfloat-fig` on its
caption; a margin caption adds `margin-caption` (Quarto's `cap-location: margin`).
"""

from __future__ import annotations

from report.document._ast import Div, Node, Plain, RawBlock, attr_get, walk
from report.document.crossref import EQUATION_CLASS
from report.document.columns import is_column_class
from report.document.floats import FLOAT_CLASS, SUBFLOAT_CLASS, split_caption
from report.document.layout import CELL_CLASS, LAYOUT_CLASS, panel_rows
from report.outputs.html_math import HtmlMath

__all__ = ["floats_html", "inlines_html"]

_FLEX = {"top": "quarto-layout-valign-top", "center": "quarto-layout-valign-center",
         "bottom": "quarto-layout-valign-bottom"}


def _kind(classes: list[str]) -> str:
    return next(name.removeprefix(f"{FLOAT_CLASS}-") for name in classes
                if name.startswith(f"{FLOAT_CLASS}-") and name != SUBFLOAT_CLASS)


def _image_classes(node: Node):
    if node["t"] != "Image":
        return None
    attribute = node["c"][0]
    extra = [name for name in ("img-fluid", "figure-img") if name not in attribute[1]]
    if not extra:
        return None
    # A figure without alt text (allowed where no PDF/UA standard is requested) gets an empty alt, as in Quarto:
    # the caption describes it.
    empty_alt = [["alt", ""]] if not node["c"][1] and not any(key == "alt" for key, _ in attribute[2]) else []
    return {"t": "Image", "c": [[attribute[0], attribute[1] + extra, attribute[2] + empty_alt], node["c"][1],
                                node["c"][2]]}


def _figure_align(attribute: list, content: list[Node]) -> str | None:
    """`fig-align` of the figure, else of its one image (`![Cap](x.png){fig-align="right"}`), as Quarto reads it."""
    images: list[Node] = []
    walk(content, images.append, {"Image"})
    chosen = attr_get(attribute, "fig-align") or (attr_get(images[0]["c"][0], "fig-align") if len(images) == 1 else None)
    return chosen if chosen in {"left", "center", "right"} else None


def _without(name: str):
    """A visitor that drops an image attribute: `fig-align` of a figure's image (the figure carries it), `height`
    of an image in a layout cell (the cell's width decides and the image keeps its proportions, as in Quarto)."""
    def visit(node: Node) -> Node:
        (identifier, classes, attributes), description, target = node["c"]
        return {"t": "Image", "c": [[identifier, classes, [pair for pair in attributes if pair[0] != name]],
                                    description, target]}
    return visit


def _float(node: Node, fig_align: str | None = None) -> list[Node]:
    attribute = node["c"][0]
    identifier, classes = attribute[0], attribute[1]
    kind = _kind(classes)
    sub = SUBFLOAT_CLASS in classes
    location = attr_get(attribute, "data-cap-location") or ("top" if kind in {"tbl", "lst"} else "bottom")
    prefix, body = split_caption(node)
    caption = prefix + body
    content = node["c"][1][:-1]
    align = "left" if kind == "lst" else "center"
    if kind == "fig":
        align = _figure_align(attribute, content) or (fig_align if fig_align in {"left", "center", "right"} else align)
        content = walk(walk(content, _image_classes, {"Image"}), _without("fig-align"), {"Image"})
    caption_id = f"{identifier or 'float'}-caption"
    role = "subfloat" if sub else "float"
    caption_classes = f"quarto-float-caption-{location} quarto-{role}-caption quarto-{role}-{kind}"
    if location == "margin":
        caption_classes += " margin-caption"
    id_attr = f' id="{identifier}"' if identifier else ""
    outer = ("listing " if kind == "lst" else "") + f"quarto-float quarto-figure quarto-figure-{align} anchored"
    # the page column the float was placed in (`.column-margin`, a cell's `column:` ...), which the stylesheet lays out
    outer += "".join(f" {name}" for name in classes if is_column_class(name))
    opening = [RawBlock("html", f'<div{id_attr} class="{outer}"><figure class="quarto-float quarto-{role}-{kind} '
                                'figure">')]
    caption_blocks = ([RawBlock("html", f'<figcaption id="{caption_id}" class="{caption_classes}">'), Plain(caption),
                       RawBlock("html", "</figcaption>")] if caption else [])
    described = f' aria-describedby="{caption_id}"' if caption else ""
    inner = [RawBlock("html", f"<div{described}>"), *content, RawBlock("html", "</div>")]
    closing = [RawBlock("html", "</figure></div>")]
    if location == "top":
        return opening + caption_blocks + inner + closing
    return opening + inner + caption_blocks + closing


def _panel(node: Node) -> Node:
    attribute = node["c"][0]
    parent = attr_get(attribute, "data-ref-parent")
    valign = _FLEX.get(attr_get(attribute, "layout-valign") or "")
    rows = []
    for row in panel_rows(node):
        cells = []
        for slot in row:
            style = f"flex-basis: {slot.fraction * 100:.1f}%;justify-content: center;"
            cell = slot.cell
            if cell is None:
                cells.append(Div([], classes=["quarto-figure-spacer", "quarto-layout-cell"],
                                 attributes={"style": style}))
                continue
            classes = (["quarto-layout-cell-subref", "quarto-layout-cell"] if parent else ["quarto-layout-cell"])
            attributes = {"data-ref-parent": parent, "style": style} if parent else {"style": style}
            content = walk(walk(cell["c"][1], _image_classes, {"Image"}), _without("height"), {"Image"})
            cells.append(Div(content, classes=classes, attributes=attributes))
        rows.append(Div(cells, classes=["quarto-layout-row"] + ([valign] if valign else [])))
    return Div(rows, classes=["quarto-layout-panel"])


def floats_html(node: Node, fig_align: str | None = None) -> list[Node] | Node | None:
    """Visitor for Divs: floats, sub-floats and panels become Quarto's HTML; other Divs are left alone.
    ``fig_align``: the document's `fig-align`, for a figure that sets none (nor its one image)."""
    if node["t"] != "Div":
        return None
    classes = node["c"][0][1]
    if FLOAT_CLASS in classes:
        return _float(node, fig_align)
    if LAYOUT_CLASS in classes:
        return _panel(node)
    if CELL_CLASS in classes:
        return None  # read by its panel
    return None


def inlines_html(node: Node, math: HtmlMath) -> Node | None:
    """Visitor for Spans and Links: numbered equations get their number in ``math``'s form, and keep only their
    label (`alt` is the PDF's, as in Quarto); typst-only attributes are dropped."""
    if node["t"] == "Span" and EQUATION_CLASS in node["c"][0][1]:
        number = attr_get(node["c"][0], "data-number")
        inlines = [{"t": "Math", "c": [inline["c"][0], math.numbered(inline["c"][1], number)]}
                   if inline["t"] == "Math" else inline for inline in node["c"][1]]
        return {"t": "Span", "c": [[node["c"][0][0], [], []], inlines]}
    if node["t"] == "Link" and attr_get(node["c"][0], "data-typst-ref") is not None:
        attribute = node["c"][0]
        return {"t": "Link", "c": [[attribute[0], attribute[1], []], node["c"][1], node["c"][2]]}
    return None

