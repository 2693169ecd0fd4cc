"""Quarto's panel layouts: `layout-ncol`, `layout-nrow`, `layout` (the nested-list form) and `layout-valign`.

A layout is resolved once, before the outputs, into rows of relative widths; a negative width is an empty
spacer, as in Quarto (`layout="[[40,-20,40]]"`). The panel becomes a neutral Div holding one cell Div per
item and its rows as JSON, which the HTML writer turns into Quarto's flex rows and the typst writer into grids.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from report.document._ast import Div, Node, attr_get
from report.errors import ReportError

__all__ = ["LAYOUT_CLASS", "CELL_CLASS", "LAYOUT_KEYS", "GIVEN_WIDTHS_ATTRIBUTE", "Slot", "has_layout", "layout_cells",
           "layout_panel", "layout_rows", "panel_rows"]

LAYOUT_CLASS = "report-layout"
CELL_CLASS = "report-layout-cell"
LAYOUT_KEYS = ("layout-ncol", "layout-nrow", "layout")
VALIGNS = ("top", "center", "bottom")
# On a panel whose widths the author gave (`layout="[[1,-1,2]]"`) rather than a count of columns or rows: there
# the typst grid takes those widths, where otherwise a column takes the width of its cell's image, as in Quarto.
GIVEN_WIDTHS_ATTRIBUTE = "data-layout"


def has_layout(attribute: list) -> bool:
    return any(attr_get(attribute, key) is not None for key in LAYOUT_KEYS)


def _positive_int(value: str, key: str, path: Path | str, line: int | None) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ReportError(f"{key} must be a whole number of at least 1, not '{value}'", path=path, line=line)
    return number


def _parse_layout(value: str, path: Path | str, line: int | None) -> list[list[float]]:
    try:
        parsed: Any = yaml.safe_load(value)
    except yaml.YAMLError:
        parsed = None
    if isinstance(parsed, list) and parsed and all(isinstance(item, (int, float)) for item in parsed):
        parsed = [parsed]  # one row written flat: layout="[1,1]"
    if (not isinstance(parsed, list) or not parsed
            or not all(isinstance(row, list) and row and all(isinstance(width, (int, float)) and width != 0
                                                             for width in row) for row in parsed)):
        raise ReportError(f"layout '{value}' is not a list of rows of non-zero widths, e.g. [[1,1],[1]]",
                          path=path, line=line)
    return [[float(width) for width in row] for row in parsed]


def layout_rows(count: int, attribute: list, path: Path | str = "", line: int | None = None) -> list[list[float]]:
    """Rows of relative widths for ``count`` items; negative widths are spacers that hold no item."""
    layout = attr_get(attribute, "layout")
    if layout is not None:
        rows = _parse_layout(layout, path, line)
        slots = sum(1 for row in rows for width in row if width > 0)
        while slots < count:  # more items than the pattern has places: repeat its last row
            rows.append(list(rows[-1]))
            slots += sum(1 for width in rows[-1] if width > 0)
        return rows
    ncol_value, nrow_value = attr_get(attribute, "layout-ncol"), attr_get(attribute, "layout-nrow")
    if ncol_value is not None:
        columns = _positive_int(ncol_value, "layout-ncol", path, line)
    elif nrow_value is not None:
        columns = math.ceil(count / _positive_int(nrow_value, "layout-nrow", path, line)) or 1
    else:
        columns = 1
    rows = [[1.0] * columns for _ in range(max(1, math.ceil(count / columns)))]
    return rows


def layout_cells(blocks: list[Node]) -> list[Node]:
    """Each block is a cell; a paragraph of images only gives one cell per image (as Quarto splits it)."""
    cells: list[Node] = []
    for block in blocks:
        if block["t"] in {"Para", "Plain"}:
            images = [inline for inline in block["c"] if inline["t"] == "Image"]
            rest = [inline for inline in block["c"] if inline["t"] not in {"Image", "Space", "SoftBreak", "LineBreak"}]
            if len(images) > 1 and not rest:
                cells.extend({"t": block["t"], "c": [image]} for image in images)
                continue
        cells.append(block)
    return cells


def layout_panel(cells: list[Node], attribute: list, path: Path | str, line: int | None,
                 subfloat_parent: str = "") -> Node:
    """The neutral panel Div: one cell Div per item, rows and vertical alignment as attributes."""
    rows = layout_rows(len(cells), attribute, path, line)
    valign = attr_get(attribute, "layout-valign")
    if valign is not None and valign not in VALIGNS:
        raise ReportError(f"layout-valign '{valign}' must be top, center or bottom", path=path, line=line)
    attributes = {"data-rows": json.dumps(rows)}
    if valign:
        attributes["layout-valign"] = valign
    if attr_get(attribute, "layout") is not None:
        attributes[GIVEN_WIDTHS_ATTRIBUTE] = attr_get(attribute, "layout")
    if subfloat_parent:
        attributes["data-ref-parent"] = subfloat_parent
    return Div([Div([cell], classes=[CELL_CLASS]) for cell in cells], classes=[LAYOUT_CLASS], attributes=attributes)


@dataclass(frozen=True)
class Slot:
    """A place in a panel's row: its width as written (a spacer's made positive), its share of the row, and its
    cell Div (None for a spacer)."""
    width: float
    fraction: float
    cell: Node | None


def panel_rows(panel: Node) -> list[list[Slot]]:
    """For a neutral panel Div: its rows of slots, each row as far as it has cells."""
    rows: list[list[float]] = json.loads(attr_get(panel["c"][0], "data-rows") or "[[1]]")
    cells = iter(panel["c"][1])
    result: list[list[Slot]] = []
    for row in rows:
        total = sum(abs(width) for width in row)
        placed: list[Slot] = []
        for width in row:
            cell = next(cells, None) if width > 0 else None
            if width > 0 and cell is None:
                break
            placed.append(Slot(abs(width), abs(width) / total, cell))
        if any(slot.cell is not None for slot in placed):
            result.append(placed)
    return result
