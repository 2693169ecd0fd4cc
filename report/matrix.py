"""``report render DOC --params-matrix FILE.csv``: the document rendered once per CSV row, rows in parallel.

Each row renders in a worker process of its own (report.build.render is one render per process: its warnings
are collected process-wide), at most ``jobs`` at a time (``--jobs``, default one per core, never more than the
rows), into ``OUTPUT_DIR/<row folder>/`` (report.sources.params_matrix names it). The cells before the
document's parameters cell run once for all rows (report.execution.shared_prefix). Every row is a complete
render of its own, as the same ``report render DOC -P ...`` would give: a row's failure is reported with its
row number and leaves that row's previous output as it was, and the other rows still render (the command then
exits with 1).
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from report.errors import ReportError
from report.sources.params_matrix import MatrixRow

if TYPE_CHECKING:
    from report.build import RenderOptions
    from report.sources.diagnostics import Warning

__all__ = ["MatrixOutcome", "render_matrix"]

log = logging.getLogger("report")


@dataclass(frozen=True)
class MatrixOutcome:
    row: MatrixRow
    outputs: tuple[Path, ...] = ()
    warnings: tuple["Warning", ...] = ()
    error: str | None = None  # the render's error, as the command line shows it; None: rendered


def render_matrix(source: Path, options: "RenderOptions", rows: tuple[MatrixRow, ...], matrix: Path,
                  jobs: int | None = None) -> list[MatrixOutcome]:
    """One outcome per row, in row order; ``options.output_dir`` (else the source's folder) holds the row folders."""
    from report.execution.run import default_jobs

    base = options.output_dir or source.resolve().parent
    tasks = [(source, replace(options, params={**options.params, **row.params}, output_dir=base / row.folder,
                              jobs=1), row) for row in rows]
    workers = max(1, min(jobs or default_jobs(), len(rows)))
    level = logging.getLogger().getEffectiveLevel()
    # spawn, not fork: the workers start kernels and threads of their own, and a fork of this process would
    # copy whatever locks its threads hold.
    context = multiprocessing.get_context("spawn")
    # Where the rows meet to share the cells before the parameters cell (report.execution.shared_prefix).
    with tempfile.TemporaryDirectory(prefix="report-matrix-") as meeting:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_configure_worker,
                                 initargs=(level, Path(meeting))) as executor:
            futures = [executor.submit(_render_row, *task, str(matrix)) for task in tasks]
            return [future.result() for future in futures]


def _configure_worker(level: int, meeting: Path) -> None:
    from report.execution.shared_prefix import share_in

    logging.basicConfig(level=level, format="[report] %(message)s", stream=sys.stderr)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    share_in(meeting)


def _render_row(source: Path, options: "RenderOptions", row: MatrixRow, matrix: str) -> MatrixOutcome:
    """Render one row; an error comes back as text (a ReportError need not survive pickling)."""
    from report.build import render

    for handler in logging.getLogger().handlers:  # rows run side by side: each line says whose it is
        handler.setFormatter(logging.Formatter(f"[report] [{row.folder}] %(message)s"))
    log.info("%-8s row %d of %s into %s/", "matrix", row.line, matrix, row.folder)
    try:
        result = render(source, options)
    except ReportError as error:
        return MatrixOutcome(row=row, error=str(error))
    return MatrixOutcome(row=row, outputs=result.outputs, warnings=result.warnings)
