"""Cell-by-cell table comparison, by daff (the coopyhx table differ).

daff aligns rows and columns (so an inserted row does not mark every row
below it as changed) and reports each cell as kept, changed (old -> new),
added or removed. This module turns its highlighter output into frozen
rows for the rendering stage.
"""

from __future__ import annotations

from dataclasses import dataclass

import daff

from report.review._model import Table


@dataclass(frozen=True)
class Cell:
    kind: str  # "same", "changed", "added", "removed"
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class Row:
    kind: str  # "header", "same", "changed", "added", "removed"
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class TableDiff:
    label: str
    caption: str
    old_caption: str
    rows: tuple[Row, ...]

    @property
    def changed_cells(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell.kind != "same")

    @property
    def changed(self) -> bool:
        return self.changed_cells > 0 or self.caption != self.old_caption


def _grid(table: Table) -> list[list[str]]:
    width = max((len(r) for r in table.rows), default=0)
    rows = [list(r) + [""] * (width - len(r)) for r in table.rows]
    if not rows or table.header_rows == 0:
        # daff keys columns on a header row; give headerless tables one.
        rows.insert(0, [f"({i + 1})" for i in range(width)])
    return rows


def diff_tables(old: Table, new: Table) -> TableDiff:
    old_grid, new_grid = _grid(old), _grid(new)
    flags = daff.CompareFlags()
    flags.show_unchanged = True
    flags.show_unchanged_columns = True
    flags.always_show_header = True
    alignment = daff.Coopy.compareTables(
        daff.PythonTableView(old_grid), daff.PythonTableView(new_grid), flags
    ).align()
    output = daff.PythonTableView([])
    daff.TableDiff(alignment, flags).hilite(output)
    return TableDiff(
        label=new.label, caption=new.caption, old_caption=old.caption,
        rows=tuple(_rows(_read_view(output))),
    )


def _read_view(view) -> list[list[str]]:
    return [
        ["" if view.getCell(x, y) is None else str(view.getCell(x, y)) for x in range(view.get_width())]
        for y in range(view.get_height())
    ]


def _rows(grid: list[list[str]]) -> list[Row]:
    """Translate daff's highlighter format into rows of cells.

    Column 0 holds the row action: "@@" header, "" kept, "->" (or a longer
    arrow when a cell itself contains "->") changed, "+++" added, "---"
    removed, "!" the column-action row (columns added or removed).
    """
    column_actions: list[str] = []
    rows: list[Row] = []
    for line in grid:
        action, cells = line[0], line[1:]
        if action == "!":
            column_actions = cells
            continue
        column_kinds = [
            "added" if a == "+++" else "removed" if a == "---" else "same"
            for a in (column_actions or [""] * len(cells))
        ]
        if action == "@@":
            rows.append(Row("header", tuple(
                _header_cell(text, kind) for text, kind in zip(cells, column_kinds)
            )))
        elif action == "+++":
            rows.append(Row("added", tuple(Cell("added", new=t) for t in cells)))
        elif action == "---":
            rows.append(Row("removed", tuple(Cell("removed", old=t) for t in cells)))
        elif action.endswith("->"):
            rows.append(Row("changed", tuple(
                _changed_cell(text, action, kind) for text, kind in zip(cells, column_kinds)
            )))
        elif action in ("", ":", "+"):  # "+": values only in added columns
            rows.append(Row("same", tuple(
                _column_cell(text, kind) for text, kind in zip(cells, column_kinds)
            )))
        # "..." rows mark skipped unchanged rows; show_unchanged keeps them out.
    return rows


def _header_cell(text: str, column_kind: str) -> Cell:
    if "->" in text and column_kind == "same":
        old, _, new = text.partition("->")
        return Cell("changed", old, new)
    return _column_cell(text, column_kind)


def _column_cell(text: str, column_kind: str) -> Cell:
    if column_kind == "added":
        return Cell("added", new=text)
    if column_kind == "removed":
        return Cell("removed", old=text)
    return Cell("same", old=text, new=text)


def _changed_cell(text: str, arrow: str, column_kind: str) -> Cell:
    if column_kind != "same":
        return _column_cell(text, column_kind)
    if arrow in text:
        old, _, new = text.partition(arrow)
        return Cell("changed", old, new)
    return Cell("same", old=text, new=text)
