"""Quarto's list tables (its bundled listtable.lua): a `.list-table` Div whose bullet list of bullet lists is a
table, one inner list per row, one item per cell.

A paragraph before or after the list is the caption; `header-rows` (1 by default; 0 for `.list-table-body`)
and `header-cols` set the head; `aligns` (`l,c,r,d`) and `widths` (relative numbers) set the columns. The
Div's identifier and other attributes go to the table, so `#tbl-x` makes it a numbered table float.
"""

from __future__ import annotations

import re
from pathlib import Path

from report.document._ast import Node, walk
from report.errors import ReportError

__all__ = ["list_tables"]

_CLASSES = ("list-table", "list-table-body")
_ALIGNS = {"d": "AlignDefault", "l": "AlignLeft", "r": "AlignRight", "c": "AlignCenter"}


def _cell(blocks: list[Node]) -> list:
    return [["", [], []], {"t": "AlignDefault"}, 1, 1, blocks]


def _colspecs(attributes: dict[str, str], count: int, source: Path, line) -> list:
    aligns = [{"t": "AlignDefault"}] * count
    widths: list = [{"t": "ColWidthDefault"}] * count
    if "aligns" in attributes:
        given = attributes.pop("aligns").split(",")
        unknown = [a for a in given if a not in _ALIGNS]
        if unknown:
            raise ReportError(f"list table: unknown column alignment '{unknown[0]}' (use l, c, r or d)",
                              path=source, line=line("aligns"))
        aligns = [{"t": _ALIGNS[a]} for a in given] + aligns[len(given):]
    if "widths" in attributes:
        numbers = [float(w) for w in attributes.pop("widths").split(",")]
        total = sum(numbers)
        widths = [{"t": "ColWidth", "c": numbers[i] / total} if i < len(numbers) else {"t": "ColWidthDefault"}
                  for i in range(count)]
    return [[align, width] for align, width in zip(aligns[:count], widths)]


_PAIR = re.compile(r'([\w-]+)=("[^"]*"|\S+)')


def _caption_attributes(inlines: list[Node]) -> tuple[list[Node], list[list[str]]]:
    """A caption ending in `{key=value ...}` (Quarto's table caption attributes): the caption without it, and
    the pairs."""
    starts = [i for i, inline in enumerate(inlines) if inline["t"] == "Str" and inline["c"].startswith("{")]
    if not starts or inlines[-1]["t"] != "Str" or not inlines[-1]["c"].endswith("}"):
        return inlines, []
    first = starts[-1]
    text = "".join(inline["c"] if inline["t"] == "Str" else " " for inline in inlines[first:])[1:-1]
    pairs = [[key, value.strip('"')] for key, value in _PAIR.findall(text)]
    if not pairs:
        return inlines, []
    kept = inlines[:first]
    while kept and kept[-1]["t"] in {"Space", "SoftBreak"}:
        kept = kept[:-1]
    return kept, pairs


def list_tables(blocks: list[Node], source: Path, line_of) -> list[Node]:
    def visit(node: Node):
        identifier, classes, pairs = node["c"][0]
        kind = next((name for name in _CLASSES if name in classes), None)
        if kind is None or not node["c"][1]:
            return None
        content = list(node["c"][1])
        caption: list[Node] = []
        if content[0]["t"] == "Para":
            caption = [{"t": "Plain", "c": content.pop(0)["c"]}]
        if not content:
            return None
        if content[0]["t"] != "BulletList":
            raise ReportError(f"list table '{identifier or kind}': expected a bullet list, found {content[0]['t']}",
                              path=source, line=line_of("." + kind))
        if len(content) > 1 and content[1]["t"] == "Para":
            caption = [{"t": "Plain", "c": content[1]["c"]}]
        rows = []
        for item in content[0]["c"]:
            if len(item) != 1 or item[0]["t"] != "BulletList":
                raise ReportError(f"list table '{identifier or kind}': each row must be a bullet list of cells",
                                  path=source, line=line_of("." + kind))
            rows.append([["", [], []], [_cell(cell) for cell in item[0]["c"]]])
        if caption:
            inlines, from_caption = _caption_attributes(caption[0]["c"])
            caption = [{"t": "Plain", "c": inlines}]
            pairs = [*pairs, *from_caption]
        attributes = dict(pairs)
        header_rows = int(attributes.pop("header-rows", 1 if kind == "list-table" else 0))
        header_cols = int(attributes.pop("header-cols", 0))
        count = len(rows[0][1]) if rows else 0
        colspecs = _colspecs(attributes, count, source, line_of)
        head, body = rows[:header_rows], rows[header_rows:]
        attribute = [identifier, [name for name in classes if name not in _CLASSES], list(attributes.items())]
        return {"t": "Table", "c": [attribute, [None, caption], colspecs, [["", [], []], head],
                                    [[["", [], []], header_cols, [], body]] if body else [],
                                    [["", [], []], []]]}

    return walk(blocks, visit, {"Div"})
