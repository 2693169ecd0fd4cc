"""`reference-location: margin` on the HTML page: each footnote stands in the margin beside the block that refers
to it, as Quarto places it, and the page has no list of notes at its end.

Quarto moves pandoc's notes after the fact; here the page's blocks are given that form before pandoc writes them.
A note's reference stays where it is (`a.footnote-ref`, `#fnN`, as pandoc numbers them on the page); after the
block holding it (a paragraph, heading, list or table; inside a div such as a callout, the block inside it) comes a
margin container (`div.no-row-height.column-margin.column-container`) holding one `div#fnN` per note, its text
opened by the note's number.
"""

from __future__ import annotations

from typing import Any

from report.document._ast import Node, RawBlock, RawInline, walk

__all__ = ["margin_notes"]

CONTAINER_CLASSES = ["no-row-height", "column-margin", "column-container"]
# Blocks whose content is blocks of their own: their notes go beside their own blocks.
_NESTED = {"Div"}


def margin_notes(blocks: list[Node]) -> list[Node]:
    """The page's ``blocks`` with every footnote beside its reference in the margin, numbered from 1."""
    counter = [0]

    def place(items: list[Node]) -> list[Node]:
        result: list[Node] = []
        for block in items:
            if block["t"] in _NESTED:
                attribute, content = block["c"]
                result.append({"t": block["t"], "c": [attribute, place(content)]})
                continue
            notes: list[tuple[int, list[Node]]] = []

            def reference(node: Node) -> Node:
                counter[0] += 1
                number = counter[0]
                notes.append((number, node["c"]))
                return RawInline("html", f'<a href="#fn{number}" class="footnote-ref" id="fnref{number}" '
                                         f'role="doc-noteref"><sup>{number}</sup></a>')

            replaced = walk(block, lambda node: reference(node) if node["t"] == "Note" else None, {"Note"})
            result.append(replaced)
            if notes:
                result.append({"t": "Div", "c": [["", list(CONTAINER_CLASSES), []],
                                                 [_note(number, content) for number, content in notes]]})
        return result

    return place(blocks)


def _note(number: int, content: list[Node]) -> Node:
    """One note in the margin: its blocks, the first opened by its number (`<sup>N</sup>` and a no-break space)."""
    mark = [RawInline("html", f"<sup>{number}</sup>"), {"t": "Str", "c": "\u00a0"}]
    blocks: list[Any] = list(content)
    if blocks and blocks[0]["t"] in {"Para", "Plain"}:
        blocks[0] = {"t": blocks[0]["t"], "c": [*mark, *blocks[0]["c"]]}
    else:
        blocks.insert(0, {"t": "Plain", "c": mark})
    return {"t": "Div", "c": [[f"fn{number}", [], []], blocks or [RawBlock("html", "")]]}
