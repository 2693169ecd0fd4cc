"""Stage 1: read the raw rows as they are in the data folder (no judgement yet; see validate)."""

from __future__ import annotations

import csv
from pathlib import Path

RESPONDENTS = "respondenten.csv"


def load_rows(folder: Path) -> list[dict[str, str]]:
    """The rows of respondenten.csv, each with its line number in the file as ``_line``."""
    path = folder / RESPONDENTS
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return [{**row, "_line": str(reader.line_num)} for row in reader]
