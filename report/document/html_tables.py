"""Raw HTML tables become pandoc tables, as Quarto's `html-table-processing` does (its parsehtml filter).

An author's `<table>` written as HTML is read by pandoc's HTML reader into a real table, so it is numbered,
captioned, striped (`odd`/`even` rows) and written in the PDF like any Markdown table. Text before and after the
table in the same raw block stays raw. As in Quarto, a table with `data-quarto-disable-processing="true"` and
every table of a document with `html-table-processing: none` stay raw HTML.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from report.document._ast import Node, Plain, RawBlock, walk
from report.document.pandoc import convert_cached

__all__ = ["parse_html_tables"]

# The first <table ...> to the last </table> of a raw block, with what stands before and after them.
TABLE = re.compile(r"(?P<before>.*?)(?P<table><table\b.*</table\s*>)(?P<after>.*)", re.DOTALL | re.IGNORECASE)
MARKER_QUOTES = re.compile(r'\{\.report-shortcode-result nodes="[A-Za-z0-9_=-]*"\}')
DISABLED = re.compile(r"""data-quarto-disable-processing\s*=\s*["']?true""", re.IGNORECASE)


def _markdown_spans(blocks: list[Node], source: Path) -> list[Node]:
    """`<span data-qmd="_Markdown_ @ref">` (or `data-qmd-base64`): the span holds its attribute read as Markdown,
    as Quarto's HTML table processing does, so citations, cross-references and shortcodes in it work."""
    from report.document.float_content import markdown_inlines
    from report.document.shortcode_nodes import expand_markers

    def visit(node: Node):
        attributes = dict(node["c"][0][2])
        text = attributes.pop("qmd", None)
        if text is None and "qmd-base64" in attributes:
            text = base64.b64decode(attributes.pop("qmd-base64")).decode("utf-8")
        if text is None:
            return None
        inlines = expand_markers([Plain(markdown_inlines(text, source))], source)
        content = [inline for block in inlines for inline in (block["c"] if block["t"] in {"Plain", "Para"}
                                                               else [])]
        raw = [block for block in inlines if block["t"] not in {"Plain", "Para"}]
        if raw:  # blocks a shortcode gave (a video's iframe): the raw HTML, inline
            content += [{"t": "RawInline", "c": [block["c"][0], block["c"][1]]} for block in raw
                        if block["t"] == "RawBlock" and block["c"][0] == "html"]
        return {"t": "Span", "c": [[node["c"][0][0], node["c"][0][1], list(map(list, attributes.items()))],
                                   content]}

    return walk(blocks, visit, {"Span"})


def parse_html_tables(blocks: list[Node], source: Path, processing: str | None) -> list[Node]:
    """``blocks`` with each raw HTML table read into a pandoc table; ``processing``: `html-table-processing`."""
    if processing == "none":
        return blocks

    def visit(node: Node):
        fmt, text = node["c"]
        if fmt != "html" or "<table" not in text.lower():
            return None
        found = TABLE.fullmatch(text)
        if found is None or DISABLED.search(found["table"]):
            return None
        # A shortcode in a data-qmd attribute was expanded to a marker whose quotes would end the attribute.
        table = MARKER_QUOTES.sub(lambda match: match.group(0).replace('"', "&quot;"), found["table"])
        parsed = json.loads(convert_cached(table, ["--from", "html+raw_html", "--to", "json"],
                                           what="reading an HTML table", source=source))
        before, after = found["before"].strip(), found["after"].strip()
        return [*([RawBlock("html", before)] if before else []), *_markdown_spans(parsed["blocks"], source),
                *([RawBlock("html", after)] if after else [])]

    return walk(blocks, visit, {"RawBlock"})
