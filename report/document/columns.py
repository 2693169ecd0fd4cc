"""Quarto's page columns (`.column-margin`, `.aside`, `.column-page`, `.column-screen-inset` ...),
`{{< pagebreak >}}` and landscape sections (`::: {.landscape}`).

On the site the classes stay as Quarto writes them and the stylesheet places the content (the margin, or
wider than the text). In the PDF they take Quarto 1.8's typst margin layout on the marginalia package
(report.outputs.margin_layout sets the page up): margin content is a `#note`, wide content a `#wideblock`
or one of the template's in-between widths (`#column-body-outset`, `#column-page-inset`,
`#column-screen-inset`), each with the side it extends to.
"""

from __future__ import annotations

from report.document._ast import Node, RawBlock, RawInline, walk

__all__ = ["COLUMN_CLASSES", "MARGIN_CLASSES", "MARGIN_ATTRIBUTES", "columns_typst", "is_column_class", "landscape_typst",
           "margin_note_opening", "pagebreak_blocks", "taken_margin_notes", "wide_typst"]

MARGIN_CLASSES = frozenset({"column-margin", "aside"})
COLUMN_CLASSES = MARGIN_CLASSES | {
    f"column-{name}{side}" for name in ("body", "body-outset", "page-inset", "page", "screen-inset", "screen")
    for side in ("", "-left", "-right")} | {"column-screen-inset-shaded"}
# The attributes that place a margin note (marginalia's own names): its alignment, offset and collisions.
MARGIN_ATTRIBUTES = ("alignment", "dy", "shift")
PAGEBREAK = "report-pagebreak"
# marginalia's wideblock, to the page's edge on a side ("inner" is the left of a one-sided page).
WIDEBLOCK_SIDES = {"column-page": "both", "column-page-left": "inner", "column-page-right": "outer",
                   "column-screen": "both", "column-screen-left": "inner", "column-screen-right": "outer"}
# Widths between the text and the page (functions of the template, on marginalia's geometry).
INSET_FUNCTIONS = {f"column-{name}{suffix}": (f"column-{name}", side)
                   for name in ("body-outset", "page-inset", "screen-inset")
                   for suffix, side in (("", "both"), ("-left", "inner"), ("-right", "outer"))}
INSET_FUNCTIONS["column-screen-inset-shaded"] = ("column-screen-inset-shaded", None)


def is_column_class(name: str) -> bool:
    """Quarto's test for a class that asks for the page layout: `aside` or any `column-...`."""
    return name == "aside" or name.startswith("column-")


def taken_margin_notes(blocks: list[Node]) -> tuple[list[Node], list[Node]]:
    """``blocks`` without their margin notes (`.column-margin`, `.aside` divs, at any depth), and those notes in
    order, for a writer that moves them out of a tab or callout as Quarto does."""
    found: list[Node] = []

    def take(div: Node) -> list[Node] | None:
        if not MARGIN_CLASSES & set(div["c"][0][1]):
            return None
        found.append(div)
        return []

    return walk(blocks, take, {"Div"}), found


def pagebreak_blocks(node: Node) -> list[Node] | None:
    """A paragraph holding only the `pagebreak` shortcode's marker -> a page break in each format."""
    if node["t"] not in {"Para", "Plain"} or len(node["c"]) != 1:
        return None
    inline = node["c"][0]
    if inline["t"] != "Span" or PAGEBREAK not in inline["c"][0][1]:
        return None
    return [RawBlock("html", '<div style="page-break-after: always;"></div>'), RawBlock("typst", "#pagebreak()")]


def _shift(value: str) -> str:
    # marginalia takes auto, true and false as values, "avoid" and "ignore" as strings
    return value if value in {"auto", "true", "false"} else f'"{value}"'


def margin_note_opening(attributes: list[list[str]] | dict[str, str], **fixed: str) -> str:
    """`#note(` with the element's alignment, dy and shift (Quarto's defaults: baseline, 0pt, auto), then ``fixed``
    (typst arguments as written, such as ``counter="none"``), up to the content's opening bracket."""
    given = dict(attributes)
    arguments = [f'alignment: "{given.get("alignment") or "baseline"}"', f'dy: {given.get("dy") or "0pt"}',
                 f'shift: {_shift(given.get("shift") or "auto")}'] + [f"{key}: {value}" for key, value in fixed.items()]
    return f"#note({', '.join(arguments)})["


def wide_typst(classes: list[str], blocks: list[Node]) -> list[Node] | None:
    """``blocks`` in the widest column class of ``classes`` (a wideblock or an in-between width), else None."""
    side = next((WIDEBLOCK_SIDES[name] for name in WIDEBLOCK_SIDES if name in classes), None)
    if side is not None:
        return [RawBlock("typst", f'#wideblock(side: "{side}")['), *blocks, RawBlock("typst", "]\n\n")]
    inset = next((INSET_FUNCTIONS[name] for name in INSET_FUNCTIONS if name in classes), None)
    if inset is None:
        return None
    function, side = inset
    opening = f'#{function}(side: "{side}")[' if side else f"#{function}["
    return [RawBlock("typst", opening), *blocks, RawBlock("typst", "]\n\n")]


def columns_typst(node: Node) -> list[Node] | Node | None:
    classes = node["c"][0][1]
    if not any(is_column_class(name) for name in classes):
        return None
    attributes = node["c"][0][2]
    if node["t"] == "Span":
        if MARGIN_CLASSES & set(classes):  # a margin remark in running text: a note beside its line
            return [RawInline("typst", margin_note_opening(attributes, counter="none")), *node["c"][1],
                    RawInline("typst", "]")]
        return node["c"][1]
    if MARGIN_CLASSES & set(classes):
        return [RawBlock("typst", margin_note_opening(attributes, counter="none")), *node["c"][1],
                RawBlock("typst", "]")]
    return wide_typst(classes, node["c"][1]) or node["c"][1]


def landscape_typst(node: Node) -> list[Node] | None:
    """A `.landscape` div: its content on pages turned a quarter, as Quarto's landscape filter sets them. The
    page settings stand at the top level of the document (the template sets its columns on the page, not in a
    container), which typst requires of `set page`."""
    if node["t"] != "Div" or "landscape" not in node["c"][0][1]:
        return None
    return [RawBlock("typst", "#set page(flipped: true)"), *node["c"][1], RawBlock("typst", "#set page(flipped: false)")]
