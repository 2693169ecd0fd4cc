"""What a float holds and where its caption comes from, when the float is not a lone image or DataFrame.

In Quarto any content can be a float: a div of text, a Markdown table a cell printed, a code listing, raw
HTML. Its caption is the last paragraph, else the `fig-cap` / `tbl-cap` attribute, else the caption of a
table inside it. A raw HTML table is read as a real table (Quarto's `html-table-processing`), so its
`<caption>` can become the float's caption and the PDF gets a tagged table rather than nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from report.document._ast import Node, text_inlines, walk
from report.document.pandoc import convert_cached, markdown_to_ast

__all__ = ["float_content_caption", "markdown_inlines", "read_raw_tables"]

_RAW_HTML = frozenset({"RawBlock"})
_TABLES = frozenset({"Table"})


def markdown_inlines(text: str, source: Path) -> list[Node]:
    """A caption written as an attribute (`fig-cap="..."`), read as Markdown like Quarto does."""
    blocks = markdown_to_ast(text, source)["blocks"]
    if len(blocks) == 1 and blocks[0]["t"] in {"Para", "Plain"}:
        return blocks[0]["c"]
    return text_inlines(" ".join(text.split()))


def float_content_caption(blocks: list[Node]) -> tuple[list[Node], list[Node]]:
    """(content, caption): the first table caption inside the float moves to the float, as in Quarto."""
    taken: list[list[Node]] = []

    def visit(node: Node):
        caption_blocks = node["c"][1][1]
        if taken or not caption_blocks:
            return None
        taken.append(caption_blocks[0]["c"] if caption_blocks[0]["t"] in {"Plain", "Para"} else [])
        return {"t": "Table", "c": [node["c"][0], [None, []], *node["c"][2:]]}

    content = walk(blocks, visit, _TABLES)
    return (content, taken[0]) if taken else (blocks, [])


def read_raw_tables(blocks: list[Node], source: Path) -> list[Node]:
    """Raw HTML blocks holding a `<table>` read into pandoc tables (the float's other raw HTML stays raw)."""

    def visit(node: Node):
        fmt, text = node["c"]
        if fmt != "html" or "<table" not in text.lower():
            return None
        parsed = json.loads(convert_cached(text, ["--from", "html", "--to", "json"], what="reading an HTML table",
                                           source=source))
        return parsed["blocks"]

    return walk(blocks, visit, _RAW_HTML)
