"""Quarto's page columns (`.column-margin`, `.aside`, `.column-page`, `.column-screen-inset` ...),
`{{< pagebreak >}}` and landscape sections (`::: {.landscape}`).

On the site the classes stay as Quarto writes them and the stylesheet places the content (the margin, or
wider than the text); in the PDF a margin note becomes an inline side note (a Div) or a footnote (a Span),
and wide content is simply full width.
"""

from __future__ import annotations

from report.document._ast import Node, RawBlock

__all__ = ["COLUMN_CLASSES", "MARGIN_CLASSES", "columns_typst", "landscape_typst", "pagebreak_blocks"]

MARGIN_CLASSES = frozenset({"column-margin", "aside"})
COLUMN_CLASSES = MARGIN_CLASSES | {
    f"column-{name}{side}" for name in ("body", "body-outset", "page-inset", "page", "screen-inset", "screen")
    for side in ("", "-left", "-right")} | {"column-screen-inset-shaded"}
PAGEBREAK = "report-pagebreak"


def pagebreak_blocks(node: Node) -> list[Node] | None:
    """A paragraph holding only the `pagebreak` shortcode's marker -> a page break in each format."""
    if node["t"] not in {"Para", "Plain"} or len(node["c"]) != 1:
        return None
    inline = node["c"][0]
    if inline["t"] != "Span" or PAGEBREAK not in inline["c"][0][1]:
        return None
    return [RawBlock("html", '<div style="page-break-after: always;"></div>'), RawBlock("typst", "#pagebreak()")]


def columns_typst(node: Node) -> list[Node] | Node | None:
    classes = set(node["c"][0][1])
    if not classes & COLUMN_CLASSES:
        return None
    if node["t"] == "Span":
        if classes & MARGIN_CLASSES:  # a margin remark in running text: a footnote on paper
            return {"t": "Note", "c": [{"t": "Plain", "c": node["c"][1]}]}
        return node["c"][1]
    if classes & MARGIN_CLASSES:
        return [RawBlock("typst", "#block(width: 100%, inset: (left: 8pt, y: 4pt), stroke: (left: 0.75pt + luma(140)))["
                                  "#set text(size: 0.85em)"), *node["c"][1], RawBlock("typst", "]")]
    return node["c"][1]


def landscape_typst(node: Node) -> list[Node] | None:
    """A `.landscape` div: its content on pages turned a quarter, as Quarto's landscape filter sets them. The
    page settings stand at the top level of the document (the template sets its columns on the page, not in a
    container), which typst requires of `set page`."""
    if node["t"] != "Div" or "landscape" not in node["c"][0][1]:
        return None
    return [RawBlock("typst", "#set page(flipped: true)"), *node["c"][1], RawBlock("typst", "#set page(flipped: false)")]
