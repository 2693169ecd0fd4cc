"""Neutral float Divs for figures, tables and listings, with their sub-floats and panel layouts.

Numbering (report.document.crossref) finds the floats; this module builds what both outputs read:

    Div #id .report-float .report-float-{kind} [.report-subfloat]
        data-number="3.2"  data-cap-location="bottom"  data-kind-title="Figuur"
      ... content (a .report-layout panel when a layout applies) ...
      Div .report-caption  [Plain [Span .report-caption-prefix ["Figuur 3.2: "], caption ...]]

A float with fig-scap / tbl-scap also carries it as ``short-caption`` (report.document.captions), for the
PDF's lists of figures and tables.

The caption keeps its prefix as text, so every reader of the AST (HTML, figure export, diff) sees the caption
Quarto prints; typst drops the prefix Span and lets its own `figure` numbering print the same text.
"""

from __future__ import annotations

from typing import Callable

from report.document._ast import Div, Node, Plain, Span, attr_get, text_inlines
from report.document.captions import SHORT_CAPTION_ATTRIBUTE
from report.document.columns import MARGIN_ATTRIBUTES, is_column_class
from report.document.layout import has_layout, layout_cells, layout_panel

__all__ = ["FLOAT_CLASS", "SUBFLOAT_CLASS", "CAPTION_CLASS", "PREFIX_CLASS", "make_float", "float_caption",
           "caption_location_of", "split_caption", "caption_without_prefix", "placement_of", "MARGIN_CAPTION_CLASS",
           "SUBFLOATS_ATTRIBUTE"]

FLOAT_CLASS = "report-float"
SUBFLOAT_CLASS = "report-subfloat"
CAPTION_CLASS = "report-caption"
PREFIX_CLASS = "report-caption-prefix"
MARGIN_CAPTION_CLASS = "margin-caption"
SUBFLOATS_ATTRIBUTE = "data-subfloats"  # how many sub-floats a float holds, where it has any
CAP_LOCATION_KEYS = {"fig": ("fig-cap-location", "cap-location"), "tbl": ("tbl-cap-location", "cap-location"),
                     "lst": ("lst-cap-location", "cap-location")}


def caption_location_of(attributes: list[list], kind: str, default: str) -> str:
    return explicit_caption_location(attributes, kind) or default


def explicit_caption_location(attributes: list[list], kind: str) -> str | None:
    """A caption location set on the element itself (cell option or attribute), which every format follows."""
    for key in CAP_LOCATION_KEYS.get(kind, ()):
        value = attr_get(attributes, key)
        if value in {"top", "bottom", "margin"}:
            return value
    return None


def placement_of(attribute: list, subfloats: int = 0) -> tuple[list[str], dict[str, str]]:
    """Where a float goes on the page, as its element says: its column classes (`.column-margin`, `.column-page`
    ...), `.margin-caption`, and a margin note's alignment, dy and shift (report.document.columns); with the
    number of its sub-floats, which a margin places as one panel."""
    classes = [name for name in attribute[1]
               if is_column_class(name) or name in {MARGIN_CAPTION_CLASS, "caption-margin"}]
    attributes = {key: value for key, value in attribute[2] if key in MARGIN_ATTRIBUTES and classes}
    return classes, {**attributes, **({SUBFLOATS_ATTRIBUTE: str(subfloats)} if subfloats else {})}


def make_float(identifier: str, kind: str, content: list[Node], prefix: str, caption: list[Node],
               number: str | None, location: str, line: int | None, title: str, subfloat: bool = False,
               typst_location: str | None = None, short_caption: str | None = None,
               placement: tuple[list[str], dict[str, str]] = ([], {})) -> Node:
    """``placement``: the float's column classes and margin-note attributes (placement_of)."""
    attributes = {"data-cap-location": location, "data-kind-title": title, **placement[1]}
    if short_caption and short_caption.strip():
        attributes[SHORT_CAPTION_ATTRIBUTE] = " ".join(short_caption.split())
    if typst_location and typst_location != location:
        attributes["data-cap-location-typst"] = typst_location
    if number is not None:
        attributes["data-number"] = number
    if line:
        attributes["data-cell-line"] = str(line)
    inlines = ([Span(text_inlines(prefix.rstrip(" ")) + [{"t": "Space"}], classes=[PREFIX_CLASS])] if prefix else [])
    classes = [FLOAT_CLASS, f"{FLOAT_CLASS}-{kind}"] + ([SUBFLOAT_CLASS] if subfloat else []) + placement[0]
    return Div(content + [Div([Plain(inlines + caption)], classes=[CAPTION_CLASS])], identifier, classes, attributes)


def float_caption(node: Node) -> list[Node]:
    """The caption inlines of a float Div, prefix included."""
    caption_div = node["c"][1][-1]
    return caption_div["c"][1][0]["c"] if caption_div["c"][1] else []


def split_caption(node: Node) -> tuple[list[Node], list[Node]]:
    """(prefix inlines, caption body inlines) of a float Div."""
    inlines = float_caption(node)
    if _has_prefix(inlines):
        return inlines[0]["c"][1], inlines[1:]
    return [], inlines


def caption_without_prefix(caption: list[Node]) -> list[Node]:
    """Caption inlines without the "Figuur 3.2: " prefix Span that numbering put before them."""
    return caption[1:] if _has_prefix(caption) else caption


def _has_prefix(inlines: list[Node]) -> bool:
    return bool(inlines) and inlines[0]["t"] == "Span" and PREFIX_CLASS in inlines[0]["c"][0][1]


def subfloat_candidates(blocks: list[Node], kind: str) -> list[int]:
    """Positions of the blocks of a float's content that are sub-floats of ``kind``."""
    found = []
    for position, block in enumerate(blocks):
        if kind == "fig" and block["t"] == "Figure":
            found.append(position)
        elif block["t"] == "Div" and (block["c"][0][0].startswith(f"{kind}-")
                                      or f"{FLOAT_CLASS}-{kind}" in block["c"][0][1]):
            found.append(position)
        elif kind == "tbl" and block["t"] == "Table" and (block["c"][0][0] or block["c"][1][1]):
            found.append(position)
    return found


def arrange(identifier: str, content: list[Node], attribute: list, path, line: int | None,
            make_subfloat: Callable[[Node, int], Node], kind: str) -> tuple[list[Node], int]:
    """Sub-floats numbered (a), (b) ... and the content laid out as the float's layout attributes ask.

    Returns the new content and the number of sub-floats.
    """
    positions = subfloat_candidates(content, kind)
    content = list(content)
    if len(positions) == 1 and content[positions[0]]["t"] == "Figure" and not content[positions[0]]["c"][0][0]:
        # One unlabelled captioned image in a figure div is the figure itself (its text was pandoc's caption)
        position = positions[0]
        content[position:position + 1] = content[position]["c"][2]
        positions = []
    for order, position in enumerate(positions, start=1):
        content[position] = make_subfloat(content[position], order)
    if has_layout(attribute):
        cells = layout_cells(content)
        content = [layout_panel(cells, attribute, path, line, subfloat_parent=identifier if positions else "")]
    return content, len(positions)
