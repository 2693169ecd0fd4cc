"""Cells that every rendering of a ``--params-matrix`` shares run once (report.matrix).

Rows of a matrix render the same document with other parameter values, which reach the code only through the
cell injected after the cell tagged ``parameters`` (report.sources.parameters). The cells *before* the
parameters cell therefore run in every row with the same code, settings and environment, before any value of
a row exists: what they compute, print or read cannot depend on a parameter. That is the proof, and the only
one: no cell at or after the parameters cell is ever shared, whatever its code looks like.

The first row to need them runs those cells in a kernel that is also a kernel factory
(report.execution._kernel_factory); once they ran, it is shut down and the factory forks a copy of it for each
row, holding their namespace, imported modules and execution count, and the recorder of what they read (so
every row's cache entry still names the files the shared cells read). Each row then runs the rest of the
notebook in its copy, and shows the shared cells' outputs as they were recorded. Rows render in separate
processes (report.matrix), which meet in a folder: the first takes a lock, runs the shared cells and leaves
their outputs and the factory's socket there; the others wait for the lock and fork from that socket.

Sharing is only ever an optimisation: a document without a parameters cell, a named Jupyter kernel, a
platform without fork, or shared cells that fail, and each row runs every cell itself, as without sharing.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from report.errors import ReportError
from report.execution.execute import (KERNEL_CODE, PAUSE_RECORDING, DocumentNotebook, ExecutionSettings, SharedStart,
                                      document_notebook, execute_first_cells, matplotlib_rc)
from report.execution.kernelspecs import NATIVE_KERNEL
from report.sources.parameters import PARAMETERS_TAG
from report.sources.qmd import QmdDocument

__all__ = ["share_in", "shared_start"]

log = logging.getLogger("report")

_folder: Path | None = None  # where this process meets the other rows; None: nothing is shared
_owned: list = []  # the factories this process started, stopped when it exits


def share_in(folder: Path) -> None:
    """Share the first cells of every document this process executes with the other processes using ``folder``."""
    global _folder
    _folder = folder
    atexit.register(_close_owned)


def _close_owned() -> None:
    for factory in _owned:
        factory.close()


def _split(doc: QmdDocument, built: DocumentNotebook) -> int | None:
    """The notebook position before which every cell precedes the parameters cell; None: nothing to share."""
    for cell in doc.cells:
        tags = cell.options.tags
        if PARAMETERS_TAG in ([tags] if isinstance(tags, str) else list(tags or [])):
            shared = [built.ends[before.index] for before, _position, _sized in built.plan
                      if before.index < cell.index]
            return max(shared) if shared else None
    return None


def _key(doc: QmdDocument, settings: ExecutionSettings, built: DocumentNotebook, split: int) -> str:
    """Everything the shared cells' run depends on: their notebook (the engine's cells with them), the settings
    and environment, and the engine's kernel code."""
    cells = [cell.source for cell in built.notebook.cells[1:split]]
    text = json.dumps({"document": doc.path.as_posix(), "cells": cells, "settings": asdict(settings),
                       "kernel": KERNEL_CODE}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def shared_start(doc: QmdDocument, source: Path, settings: ExecutionSettings,
                 preload: tuple[str, ...]) -> SharedStart | None:
    """A pool of kernels that ran ``doc``'s cells before its parameters cell, and their outputs; None when
    nothing is shared (see the module's text)."""
    if _folder is None or settings.kernel != NATIVE_KERNEL or not hasattr(os, "fork"):
        return None
    import fcntl

    built = document_notebook(doc, settings)
    split = _split(doc, built)
    if split is None:
        return None
    key = _key(doc, settings, built, split)
    record = _folder / f"{key}.json"
    with open(_folder / f"{key}.lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other rows wait here while the first runs the shared cells
        if not record.exists():
            record.write_text(json.dumps(_run_shared(doc, source, settings, built, split, preload)), encoding="utf-8")
        state = json.loads(record.read_text(encoding="utf-8"))
    if "socket" not in state:
        return None
    from report.execution._kernels import ForkServer, KernelPool

    log.info("%-8s %s: %d cell(s) before the parameters cell shared by every row", "execute", doc.path.as_posix(),
             len(state["outputs"]))
    pool = KernelPool(env=settings.env, cwd=settings.cwd, setup_code="",
                      rc_text=matplotlib_rc(settings), preload=(), expected=1, ahead=1,
                      factory=ForkServer(state["socket"]))
    return SharedStart(pool=pool, position=split,
                       outputs={int(index): items for index, items in state["outputs"].items()})


def _run_shared(doc: QmdDocument, source: Path, settings: ExecutionSettings, built: DocumentNotebook, split: int,
                preload: tuple[str, ...]) -> dict:
    """Run the shared cells in a factory's own kernel; the factory's socket and the cells' outputs, or why not."""
    from report.execution._kernels import end_first_kernel, start_first_kernel

    folder = Path(tempfile.mkdtemp(prefix="shared-", dir=_folder))
    try:
        kernel, factory = start_first_kernel(folder, settings.env, settings.cwd, KERNEL_CODE, matplotlib_rc(settings),
                                             preload)
    except (OSError, RuntimeError) as error:
        log.debug("shared cells: no kernel factory (%s)", error)
        return {"failed": str(error)}
    _owned.append(factory)
    try:
        outputs = execute_first_cells(kernel, built, doc, source, settings, split)
        if not end_first_kernel(kernel, factory, PAUSE_RECORDING):
            return {"failed": "the kernel factory did not fork after the shared cells"}
    except (ReportError, RuntimeError) as error:
        # Each row runs every cell itself, and reports this failure (if it is one) as its own.
        log.debug("shared cells not shared: %s", error)
        factory.close()
        return {"failed": str(error)}
    return {"socket": factory.socket_path, "outputs": {str(index): items for index, items in outputs.items()}}
