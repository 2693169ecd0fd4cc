"""Numeric table columns: right-aligned and aligned on the decimal separator, in every output format.

A column counts as numeric when each of its non-empty body cells is a number as the report writes it
("3.100", "6,5%", ",375", "36–39", "1.5", "7% (4%–12%)"). Such a column gets right alignment in the table's column
specification, which pandoc's HTML and typst writers both honour. Cells with fewer decimals than the
column's most precise cell are padded with a figure space (U+2007, one digit wide) per missing digit and a
punctuation space (U+2008) for a missing separator, so that with tabular figures the separators line up.
"""

from __future__ import annotations

import re
from typing import Any

from report.document._ast import Node, stringify

__all__ = ["align_numeric_columns", "numeric_column_flags"]

FIGURE_SPACE = "\u2007"
PUNCTUATION_SPACE = "\u2008"
# One number: optional sign, digits with optional thousands groups, optional decimals after the
# separator, optional percent sign. Both separator conventions are accepted, as a column is one language.
_NUMBER = r"[+\-\u2212\u2013]?(?:\d{1,3}(?:[.\u00a0\u202f]\d{3})+|\d*)(?:[,.]\d+)?\s?%?"
_RANGE = rf"{_NUMBER}(?:\s?[\u2013\-]\s?{_NUMBER})?"
# A number or range, optionally followed by an interval in brackets: "7% (4%–12%)", "0,72 [0,61; 0,80]".
_CELL = re.compile(rf"^{_RANGE}(?:\s[(\[]{_NUMBER}\s?[\u2013\-;]\s?{_NUMBER}[)\]])?$")
_DECIMALS = re.compile(r"[,.](\d+)\s?%?$")
_PLACEHOLDERS = {"", "\u2013", "-", "\u2014", "n.v.t.", "n/a", "."}


def _cell_text(cell: Node) -> str:
    return stringify(cell[4]).strip()


def _is_number(text: str) -> bool:
    match = _CELL.match(text)
    return bool(match) and any(character.isdigit() for character in text)


def _decimals(text: str, separator: str) -> int:
    """Digits after the decimal separator of the cell's last number (a range aligns on its upper bound)."""
    text = re.sub(r"\s[(\[].*$", "", text)  # an interval after the number does not count
    match = _DECIMALS.search(text)
    if not match or text[match.start()] != separator:
        return 0
    return len(match.group(1))


def _body_rows(table: Node) -> list[list[Any]]:
    rows = []
    for body in table["c"][4]:
        rows.extend(body[2] + body[3])
    return rows


def numeric_column_flags(table: Node) -> list[bool]:
    """Per column of a pandoc Table: does it hold only numbers (and empty or placeholder cells)?"""
    columns = len(table["c"][2])
    seen = [False] * columns
    numeric = [True] * columns
    for row in _body_rows(table):
        position = 0
        for cell in row[1]:
            span = cell[3]
            if position >= columns:
                break
            text = _cell_text(cell)
            if span > 1:  # a cell across columns says nothing about either
                position += span
                continue
            if text not in _PLACEHOLDERS:
                if _is_number(text):
                    seen[position] = True
                else:
                    numeric[position] = False
            position += span
    return [flag and found for flag, found in zip(numeric, seen)]


def _separator(texts: list[str]) -> str:
    """The decimal separator of a column: a comma unless the column only ever uses points as decimals."""
    if any("," in text for text in texts):
        return ","
    if any(re.search(r"\.\d{1,2}\s?%?$", text) or re.search(r"\.\d{4,}", text) for text in texts):
        return "."
    return ","


def _pad(cell: Node, missing: int, has_separator: bool) -> Node:
    """The cell with padding appended to its last text (before a trailing percent sign)."""
    blocks = cell[4]
    if len(blocks) != 1 or blocks[0]["t"] not in {"Plain", "Para"} or not blocks[0]["c"]:
        return cell
    inlines = list(blocks[0]["c"])
    last = inlines[-1]
    if last["t"] != "Str":
        return cell
    padding = ("" if has_separator else PUNCTUATION_SPACE) + FIGURE_SPACE * missing
    text = last["c"]
    text = text[:-1] + padding + "%" if text.endswith("%") else text + padding
    inlines[-1] = {"t": "Str", "c": text}
    return [cell[0], cell[1], cell[2], cell[3], [{"t": blocks[0]["t"], "c": inlines}]]


def align_numeric_columns(table: Node) -> Node:
    """The table with its numeric columns right-aligned and their cells padded to align on the separator."""
    flags = numeric_column_flags(table)
    if not any(flags):
        return table
    colspecs = [[{"t": "AlignRight"}, spec[1]] if flag else spec for spec, flag in zip(table["c"][2], flags)]
    rows = _body_rows(table)
    targets: dict[int, tuple[str, int]] = {}
    for column, flag in enumerate(flags):
        if not flag:
            continue
        texts = [_cell_text(row[1][column]) for row in rows if column < len(row[1]) and row[1][column][3] == 1]
        texts = [text for text in texts if text not in _PLACEHOLDERS]
        separator = _separator(texts)
        targets[column] = (separator, max((_decimals(text, separator) for text in texts), default=0))

    def padded(row: list[Any]) -> list[Any]:
        cells = []
        for column, cell in enumerate(row[1]):
            target = targets.get(column)
            text = _cell_text(cell)
            # A cell with an interval after its number is only right-aligned: padding would land after it.
            if (target and target[1] and cell[3] == 1 and text not in _PLACEHOLDERS and _is_number(text)
                    and not text.endswith((")", "]"))):
                separator, decimals = target
                own = _decimals(text, separator)
                if own < decimals:
                    cell = _pad(cell, decimals - own, own > 0)
            cells.append(cell)
        return [row[0], cells]

    bodies = [[body[0], body[1], [padded(row) for row in body[2]], [padded(row) for row in body[3]]]
              for body in table["c"][4]]
    content = table["c"]
    return {"t": "Table", "c": [content[0], content[1], colspecs, content[3], bodies, content[5]]}
