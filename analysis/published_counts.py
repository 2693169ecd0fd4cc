"""Disclosure control over the rendered book: the tables of counts of persons as a reader sees them.

`report check` runs :mod:`analysis.check`, which calls :func:`disclosure_findings`
on the folder of the last render (the engine passes it as ``$REPORT_OUTPUT_DIR``;
a release passes the site it is about to package). The check does not trust
the code that built the tables: it reads every HTML table of the site and
audits the cells as printed, with the same rules :func:`analysis.sdc.protect`
applies when it builds them:

- a count of persons from 1 to the threshold minus one is printed;
- a withheld cell ('<10' or 'x') can be worked out exactly from its row, its
  column and their totals (:func:`analysis.sdc.recoverable`, which also knows
  that '<10' means 1 to 9 and 'x' means 0 or at least 10);
- a count shared by several tables (the size of a respondent group) is shown
  in one and withheld in another.

Which rendered tables hold counts of persons, and in which columns, is
declared once in :func:`count_tables`, next to the function that builds each;
a rendered table is recognised by its header, which the function computes
from the data. A zero is allowed: it points at nobody (see Bijlage A).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis import sdc

__all__ = ["CountTable", "Finding", "count_tables", "disclosure_findings", "read_tables"]


@dataclass(frozen=True)
class CountTable:
    """A table of the book that prints counts of persons, and how its counts add up."""

    builder: Callable
    #: Column headers holding counts of persons; empty: every column.
    count_columns: tuple[str, ...] = ()
    total_row: str | None = None
    total_column: str | None = None
    #: The column holding a count other tables print too (respondents per group), and that count's name.
    margin_column: str | None = None
    margin: str | None = None


def count_tables() -> tuple[CountTable, ...]:
    """The book's tables of counts of persons (imported here, late: the chapter modules load plotting libraries)."""
    from analysis.method import (respondent_function_table, respondent_group_table, respondent_tier_table,
                                 survey_function_table)
    from analysis.threat import aggression_share_table
    from analysis.umbrella import threat_coverage_table

    groups = "respondents per group"
    return (
        CountTable(respondent_group_table, ("Gesprekken",), total_row="Totaal", margin_column="Gesprekken",
                   margin=groups),
        CountTable(respondent_function_table, total_row="Totaal", total_column="Totaal", margin_column="Totaal",
                   margin=groups),
        CountTable(respondent_tier_table, total_row="Totaal", total_column="Totaal", margin_column="Totaal",
                   margin=groups),
        CountTable(survey_function_table, ("Respondenten",), total_row="Totaal", margin_column="Respondenten",
                   margin="survey respondents per function"),
        CountTable(aggression_share_table, ("Respondenten",), total_row="Alle respondenten"),
        CountTable(threat_coverage_table, ("Noemt de vorm", "Oordeel binnen bereik", "Oordeel buiten bereik")),
    )


@dataclass(frozen=True)
class RenderedTable:
    """One HTML table of the site: where it is, its caption, its header and its rows (label, cells)."""

    file: str
    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Finding:
    """A cell of a rendered table that discloses, and the rule it breaks."""

    file: str
    table: str
    row: str
    column: str
    text: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}: {self.table}, row '{self.row}', column '{self.column}' ('{self.text}'): {self.rule}"


def read_tables(output_dir: Path) -> list[RenderedTable]:
    """Every table of every HTML page under ``output_dir``, named by its caption ('Tabel 7.1: ...')."""
    from bs4 import BeautifulSoup

    tables = []
    for page in sorted(output_dir.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for number, table in enumerate(soup.find_all("table"), start=1):
            head = table.find("thead")
            body = table.find("tbody") or table
            if head is None:
                continue
            header = tuple(cell.get_text(" ", strip=True) for cell in head.find_all(["th", "td"]))
            rows = []
            for row in body.find_all("tr"):
                cells = [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
                if cells:
                    rows.append((cells[0], tuple(cells[1:])))
            figure = table.find_parent("figure")
            caption = figure.find("figcaption") if figure is not None else None
            name = " ".join(caption.get_text(" ").split()) if caption is not None else f"table {number} of the page"
            tables.append(RenderedTable(page.relative_to(output_dir).as_posix(), name, header, tuple(rows)))
    return tables


_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})*")


def _reading(text: str) -> tuple[str, int | None] | None:
    """What a reader takes a cell for: (SHOWN, value), (PRIMARY, None), (SECONDARY, None), or None (no count)."""
    if _NUMBER.fullmatch(text):
        return sdc.SHOWN, int(text.replace(".", ""))
    if re.fullmatch(r"<\s*\d+", text):
        return sdc.PRIMARY, None
    if text == sdc.SECONDARY_MARK:
        return sdc.SECONDARY, None
    return None


def _audit(table: RenderedTable, spec: CountTable, threshold: int) -> tuple[list[Finding], dict]:
    """The findings of one table, and its margin cells (row -> reading) for the check across tables."""
    columns = table.header[1:]
    counted = [c for c in columns if not spec.count_columns or c in spec.count_columns]
    values: dict = {}
    status: dict = {}
    texts: dict = {}
    for label, cells in table.rows:
        for column, text in zip(columns, cells):
            if column not in counted:
                continue
            texts[(label, column)] = text
            reading = _reading(text)
            if reading is not None:
                status[(label, column)], values[(label, column)] = reading
    findings = [Finding(table.file, table.name, row, column, texts[(row, column)],
                        f"a count of persons below the disclosure threshold of {threshold} is shown")
                for (row, column), state in status.items() if state == sdc.SHOWN and 0 < values[(row, column)] < threshold]
    labels = [label for label, _cells in table.rows]
    lines = [line for line in sdc.table_lines(labels, counted, spec.total_row, spec.total_column)
             if all(cell in status for cell in (*line.cells, line.total))]  # a line with a non-count cell adds up to nothing
    for (row, column), value in sdc.recoverable(values, status, lines, threshold).items():
        findings.append(Finding(table.file, table.name, row, column, texts[(row, column)],
                                "this withheld count can be worked out exactly from the shown counts and totals of "
                                "its row and column"))
    below = {(finding.row, finding.column) for finding in findings}  # named once, by the first rule
    margin = {row: (state, column, texts[(row, column)]) for (row, column), state in status.items()
              if column == spec.margin_column and (row, column) not in below}
    return findings, margin


def disclosure_findings(ev, output_dir: Path) -> list[Finding]:
    """Every disclosing cell of the tables of counts of persons rendered under ``output_dir``."""
    threshold = sdc.requested_min_base()
    specs = [(spec, (str(frame.index.name), *map(str, frame.columns)))
             for spec in count_tables() for frame in [spec.builder(ev)]]
    findings: list[Finding] = []
    margins: dict[str, list[tuple[RenderedTable, dict]]] = {}
    for table in read_tables(output_dir):
        for spec, header in specs:
            if table.header == header:
                found, margin = _audit(table, spec, threshold)
                findings += found
                if spec.margin:
                    margins.setdefault(spec.margin, []).append((table, margin))
    for tables in margins.values():
        for table, margin in tables:
            for other, other_margin in tables:
                for row, (state, column, text) in margin.items():
                    if state == sdc.SHOWN and other_margin.get(row, (sdc.SHOWN,))[0] != sdc.SHOWN:
                        findings.append(Finding(table.file, table.name, row, column, text,
                                                f"this count is withheld in {other.file}, {other.name}; "
                                                "shown here, it gives that table's withheld cells away"))
    return findings
