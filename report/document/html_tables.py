"""Raw HTML tables become pandoc tables, as Quarto's `html-table-processing` does (its parsehtml filter).

An author's `<table>` written as HTML is read by pandoc's HTML reader into a real table, so it is numbered,
captioned, striped (`odd`/`even` rows) and written in the PDF like any Markdown table. Text before and after the
table in the same raw block stays raw. As in Quarto, a table with `data-quarto-disable-processing="true"` and
every table of a document with `html-table-processing: none` stay raw HTML.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from report.document._ast import Node, RawBlock, walk
from report.document.pandoc import convert_cached

__all__ = ["parse_html_tables"]

# The first <table ...> to the last </table> of a raw block, with what stands before and after them.
TABLE = re.compile(r"(?P<before>.*?)(?P<table><table\b.*</table\s*>)(?P<after>.*)", re.DOTALL | re.IGNORECASE)
DISABLED = re.compile(r"""data-quarto-disable-processing\s*=\s*["']?true""", re.IGNORECASE)


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
        parsed = json.loads(convert_cached(found["table"], ["--from", "html+raw_html", "--to", "json"],
                                           what="reading an HTML table", source=source))
        before, after = found["before"].strip(), found["after"].strip()
        return [*([RawBlock("html", before)] if before else []), *parsed["blocks"],
                *([RawBlock("html", after)] if after else [])]

    return walk(blocks, visit, {"RawBlock"})
