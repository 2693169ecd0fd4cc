"""``report render DOC.qmd --params-matrix params.csv``: one rendering of a document per row of a CSV file.

Beyond Quarto (which renders one set of parameters per command). The header names the parameters. A cell
holding a number (``3``, ``-1.5``) is a number, ``true`` or ``false`` a boolean, an empty cell None, anything else
text as written (not YAML, as ``-P`` reads: a place name such as ``'s-Hertogenbosch`` or a country code ``NO``
stays text). A column ``output``
names the row's folder and is no parameter; without it the folder is named from the row's values. Names are
sanitised (lower case ASCII letters, digits and ``-``). A file that cannot be read this way is an error naming
the file and row, before anything renders.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report.errors import ReportError
from report.sources.project import slugify

__all__ = ["MatrixRow", "OUTPUT_COLUMN", "read_params_matrix"]

OUTPUT_COLUMN = "output"


@dataclass(frozen=True)
class MatrixRow:
    line: int  # the row's line in the CSV file
    folder: str  # the sanitised folder name the row renders into
    params: dict[str, Any]


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _value(cell: str) -> Any:
    text = cell.strip()
    if _NUMBER.match(text):
        return int(text) if text.lstrip("+-").isdigit() else float(text)
    if text.lower() in {"true", "false"}:
        return text.lower() == "true"
    return None if text == "" else cell


def read_params_matrix(path: Path) -> tuple[MatrixRow, ...]:
    """The rows of ``path``; ReportError naming the file and row for anything that cannot be rendered."""
    if not path.is_file():
        raise ReportError(f"--params-matrix: the file '{path}' does not exist")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReportError(f"not UTF-8 text (byte {error.start}): save the CSV file as UTF-8", path=path) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ReportError("the file is empty: the first row must name the parameters", path=path, line=1) from None
    names = [name.strip() for name in header]
    for column, name in enumerate(names, start=1):
        if name != OUTPUT_COLUMN and not name.isidentifier():
            raise ReportError(f"column {column} ('{name}') is not a parameter name: a parameter is a Python name "
                              "(letters, digits and _, not starting with a digit)", path=path, line=1)
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ReportError(f"column '{duplicates[0]}' appears twice in the header", path=path, line=1)
    if not [name for name in names if name != OUTPUT_COLUMN]:
        raise ReportError("the header names no parameter", path=path, line=1)
    rows: list[MatrixRow] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(cells) != len(names):
            raise ReportError(f"row {line} has {len(cells)} values for {len(names)} columns", path=path, line=line)
        values = dict(zip(names, cells))
        params = {name: _value(cell) for name, cell in values.items() if name != OUTPUT_COLUMN}
        label = values[OUTPUT_COLUMN] if OUTPUT_COLUMN in values else "-".join(
            cell for name, cell in values.items() if name != OUTPUT_COLUMN)
        folder = slugify(label) if any(character.isalnum() for character in label) else ""
        if not folder:
            raise ReportError(f"row {line} gives no folder name ('{label}'): fill in its '{OUTPUT_COLUMN}' column "
                              "with letters or digits", path=path, line=line)
        if folder in seen:
            raise ReportError(f"row {line} renders into folder '{folder}', as row {seen[folder]} does; give each row "
                              f"its own '{OUTPUT_COLUMN}'", path=path, line=line)
        seen[folder] = line
        rows.append(MatrixRow(line=line, folder=folder, params=params))
    if not rows:
        raise ReportError("the file has a header but no rows", path=path, line=1)
    return tuple(rows)
