"""Quarto 1.8's typst margin layout: when a document uses the page's margin, the page is laid out by the
marginalia package (vendored, report.outputs._typst_packages) with a wide outer margin for notes.

A document uses it when it has column content (a `.column-margin` or `.aside` div or span, a div of any
`.column-*` class, a float placed by them), a caption in the margin (`cap-location: margin`, `.margin-caption`), `reference-location: margin` or
`citation-location: margin`. Only then does the template import marginalia and set the page up
(`margin-geometry`, as Quarto names the template variable), so every other document's PDF is unchanged.

The geometry follows Quarto: marginalia's proportions scaled to the paper's width (inner margin 21 % of it,
outer 30.5 %, the text the rest), `margin: left/right/x` and `grid: margin-width/gutter-width` over them, and
`margin-geometry:` over everything. Footnotes become numbered side notes with `reference-location: margin`;
with `citation-location: margin` every citation is followed by a note holding its references in full, and the
bibliography at the end is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from report.document._ast import Node, RawInline, walk
from report.document.columns import MARGIN_CLASSES, is_column_class
from report.document.floats import FLOAT_CLASS, MARGIN_CAPTION_CLASS

__all__ = ["MarginLayout", "margin_layout", "with_margin_citations"]

# Quarto's paper widths in inches (layout/meta.lua); another paper takes US letter's geometry, as in Quarto.
PAPER_WIDTHS_IN = {"a0": 33.11, "a1": 23.39, "a2": 16.54, "a3": 11.69, "a4": 8.3, "a5": 5.83, "a6": 4.13,
                   "a7": 2.91, "a8": 2.05, "b0": 39.37, "b1": 27.83, "b2": 19.69, "b3": 13.90, "b4": 9.84,
                   "b5": 6.93, "b6": 4.92, "b7": 3.46, "b8": 2.44, "b9": 1.73, "b10": 1.22, "letter": 8.5,
                   "legal": 8.5, "ledger": 11, "tabloid": 17, "executive": 7.25}
# The paper the engine's template prints on when the document names none.
DEFAULT_PAPER = "a4"
_LENGTH = re.compile(r"^([\d.]+)([A-Za-z]+)$")
_INCHES_PER_UNIT = {"in": 1.0, "px": 1 / 96, "pt": 1 / 72, "cm": 1 / 2.54, "mm": 1 / 25.4, "em": 11 / 72}
# As Quarto: the footnote counter keeps numbering, the note goes to the margin and the page's footnote area stays empty.
SIDENOTE_RULES = ("// Transform footnotes to sidenotes\n#show footnote: it => column-sidenote(it.body)\n"
                  "#show footnote.entry: none\n")
CITATION_NOTE = '#note(alignment: "baseline", shift: auto, counter: none)[#set text(size: 0.85em)\n'


@dataclass(frozen=True)
class MarginLayout:
    """What a document's margin layout adds: the template's ``margin-geometry`` (inner, outer, clearance),
    whether footnotes are side notes and whether citations carry their references in the margin."""
    geometry: dict[str, Any]
    sidenotes: bool
    margin_citations: bool

    def metadata(self, metadata: Mapping[str, Any]) -> dict[str, Any]:
        """``metadata`` for the template with the layout's variables added."""
        added: dict[str, Any] = {"margin-geometry": self.geometry}
        if self.margin_citations:  # the references stand in the margin; no list at the end (as Quarto)
            added["suppress-bibliography"] = True
        return {**metadata, **added}

    @property
    def header(self) -> str | None:
        """Typst for the header (after the template's definitions): the footnote rules for side notes."""
        return SIDENOTE_RULES if self.sidenotes else None


def _uses_columns(blocks: list[Node]) -> bool:
    found: list[Node] = []

    def visit(node: Node):
        attribute = node["c"][0]
        classes = attribute[1]
        if node["t"] == "Span":  # in running text only a margin note asks for the layout (a wide span is text)
            if MARGIN_CLASSES & set(classes):
                found.append(node)
        elif any(is_column_class(name) or name in {MARGIN_CAPTION_CLASS, "caption-margin"} for name in classes):
            found.append(node)
        elif FLOAT_CLASS in classes and any(key in {"data-cap-location", "data-cap-location-typst"}
                                            and value == "margin" for key, value in attribute[2]):
            found.append(node)
        return None

    walk(blocks, visit, {"Div", "Span"})
    return bool(found)


def _inches(value: Any) -> float | None:
    """A CSS or typst length in inches (Quarto's reading: an em is 11pt); None for what is no such length."""
    match = _LENGTH.match(str(value).strip()) if value is not None else None
    if match is None:
        return None
    try:
        number = float(match.group(1))
    except ValueError:
        return None
    return number * _INCHES_PER_UNIT.get(match.group(2), 1.0)


def _geometry(options: Mapping[str, Any]) -> dict[str, Any]:
    paper = str(options.get("papersize") or DEFAULT_PAPER).lower()
    paper = {"us-letter": "letter", "us-legal": "legal"}.get(paper, paper)
    width = PAPER_WIDTHS_IN.get(paper, PAPER_WIDTHS_IN["letter"])
    inner_total, outer_total = 0.21 * width, 0.305 * width
    inner = {"far": inner_total * 2 / 5.5, "width": inner_total * 2.5 / 5.5, "separation": inner_total / 5.5}
    outer = {"far": outer_total * 2 / 8, "width": outer_total * 5 / 8, "separation": outer_total / 8}
    margin = options.get("margin") if isinstance(options.get("margin"), Mapping) else {}
    left = _inches(margin.get("left", margin.get("x")))
    right = _inches(margin.get("right", margin.get("x")))
    if left is not None:  # the page's left margin is the gap between the text and the inner note column
        inner["separation"] = left
    if right is not None:  # the right one the outer note column's distance from the page edge
        outer["far"] = right
    grid = options.get("grid") if isinstance(options.get("grid"), Mapping) else {}
    margin_width = _inches(grid.get("margin-width"))
    if margin_width is not None:
        outer["width"] = margin_width
    gutter = _inches(grid.get("gutter-width"))
    if gutter is not None:
        outer["separation"] = gutter
        if left is None:
            inner["separation"] = gutter
    geometry: dict[str, Any] = {"inner": {key: f"{value:.3f}in" for key, value in inner.items()},
                                "outer": {key: f"{value:.3f}in" for key, value in outer.items()},
                                "clearance": "12pt"}
    overrides = options.get("margin-geometry") if isinstance(options.get("margin-geometry"), Mapping) else {}
    for side in ("inner", "outer"):
        given = overrides.get(side) if isinstance(overrides.get(side), Mapping) else {}
        geometry[side].update({key: str(value) for key, value in given.items() if value is not None})
    if overrides.get("clearance") is not None:
        geometry["clearance"] = str(overrides["clearance"])
    return geometry


def margin_layout(pages: list[list[Node]], options: Mapping[str, Any]) -> MarginLayout | None:
    """The margin layout ``pages`` (the typst blocks of each chapter) and the typst format's ``options`` ask
    for, or None when they use no margin at all."""
    sidenotes = options.get("reference-location") == "margin"
    citations = options.get("citation-location") == "margin"
    if not (sidenotes or citations or any(_uses_columns(blocks) for blocks in pages)):
        return None
    return MarginLayout(_geometry(options), sidenotes, citations)


def _reference_entries(refs: Node | None) -> dict[str, list[Node]]:
    """Each reference of citeproc's list (`#refs`, entries `#ref-KEY`) as inlines, by citation key."""
    entries: dict[str, list[Node]] = {}

    def visit(node: Node):
        identifier = node["c"][0][0]
        if identifier.startswith("ref-"):
            inlines: list[Node] = []
            for block in node["c"][1]:
                if block["t"] in {"Para", "Plain"}:
                    inlines += ([{"t": "Space"}] if inlines else []) + block["c"]
            entries[identifier.removeprefix("ref-")] = inlines
        return None

    if refs is not None:
        walk(refs, visit, {"Div"})
    return entries


def with_margin_citations(pages: list[list[Node]], appended: Node | None) -> list[list[Node]]:
    """Every citation followed by a margin note with its references in full, and no reference list left in the
    pages. ``pages`` hold citeproc's citations; its reference list is ``appended`` or the pages' own `#refs`."""
    found: list[Node] = [] if appended is None else [appended]
    for blocks in pages:
        walk(blocks, lambda node: found.append(node) if node["c"][0][0] == "refs" else None, {"Div"})
    entries = _reference_entries(found[0] if found else None)

    def visit(node: Node):
        if node["t"] == "Div":
            return [] if node["c"][0][0] == "refs" else None
        if node["t"] == "Link":  # a citation's link to its entry, which is no longer there
            return node["c"][1] if node["c"][2][0].startswith("#ref-") else None
        return _noted(node, lambda key: entries.get(key, []))

    return [walk(blocks, visit, {"Cite", "Div", "Link"}) for blocks in pages]


def with_native_margin_citations(pages: list[list[Node]]) -> list[list[Node]]:
    """Every citation followed by a margin note that typst's own bibliography fills: `#cite(<key>, form: "full")`
    per reference, as Quarto writes it when citeproc is off (its default for typst)."""
    def full(key: str) -> list[Node]:
        return [RawInline("typst", f'#cite(<{key}>, form: "full")')]

    return [walk(blocks, lambda node: _noted(node, full), {"Cite"}) for blocks in pages]


def _noted(cite: Node, entry: Callable[[str], list[Node]]) -> list[Node]:
    """A citation, then a margin note with the full reference of each key it cites, one per line."""
    inlines: list[Node] = [cite, RawInline("typst", CITATION_NOTE)]
    for position, citation in enumerate(cite["c"][0]):
        if position:
            inlines.append(RawInline("typst", "\n"))
        inlines += entry(citation["citationId"])
    return inlines + [RawInline("typst", "]")]
