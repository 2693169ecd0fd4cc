"""The execute stage for a whole book: cached results first, then the rest in parallel kernels.

Documents whose results the cache still holds start no kernel. The others
run concurrently, up to ``jobs`` at a time, in kernels started ahead of need
(report.execution._kernels). Results come back in document order, so what follows
(numbering, cross-references, pages) is the same as after a sequential run.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from report.execution._imports import installed_imports
from report.execution.cache import ExecutionCache, code_key, static_key
from report.execution._kernels import kernel_environment
from report.execution.execute import (ExecutionResult, ExecutionSettings, SharedStart, evaluated, execute_document,
                                      kernel_pool)
from report.execution.shared_prefix import shared_start
from report.execution.policy import EVERY_RENDER, ExecutionPolicy, Reuse
from report.sources import diagnostics
from report.sources.qmd import QmdDocument

__all__ = ["ExecutionJob", "default_jobs", "execute_documents"]

log = logging.getLogger("report")


@dataclass(frozen=True)
class ExecutionJob:
    doc: QmdDocument
    settings: ExecutionSettings | None  # None: nothing to evaluate, no kernel needed
    policy: ExecutionPolicy = EVERY_RENDER


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def execute_documents(jobs: list[ExecutionJob], root: Path, cache: ExecutionCache, parallel: int | None = None,
                      after: Callable[[QmdDocument, ExecutionResult], None] | None = None,
                      ) -> tuple[list[ExecutionResult], list[Path]]:
    """Results for every job in order, and the documents that ran in a kernel (in document order).

    ``after`` is called in the worker thread as soon as a document has run, while others still run: work for
    later stages that can overlap with execution.
    """
    total = len(jobs)
    results: list[ExecutionResult | None] = [None] * total
    pending: list[tuple[int, str, str]] = []
    for index, job in enumerate(jobs):
        if job.settings is None:
            results[index] = ExecutionResult(outputs={}, inline_values=())
            continue
        key, code = static_key(job.doc, job.settings, root), code_key(job.doc, job.settings)
        stored, how = _stored(job, key, code, cache)
        if stored is not None:
            log.info("%-8s [%d/%d] %s (%s)", "execute", index + 1, total, job.doc.path.as_posix(), how)
            log.debug("%-8s %s: %s", "execute", job.doc.path.as_posix(), job.policy.reason)
            results[index] = stored
        elif job.policy.reuse is Reuse.STORED_ONLY:
            results[index] = _without_results(job)
        else:
            pending.append((index, key, code))
    if pending:
        _run_pending(jobs, pending, results, root, cache, parallel or default_jobs(), after)
    executed = [jobs[index].doc.path for index, _key, _code in pending]
    missing = [jobs[index].doc.path.as_posix() for index, result in enumerate(results) if result is None]
    if missing:  # every document either has a result or raised; anything else is a bug here
        raise RuntimeError(f"no execution result for {', '.join(missing)}")
    return results, executed


def _stored(job: ExecutionJob, key: str, code: str, cache: ExecutionCache) -> tuple[ExecutionResult | None, str]:
    """What the job's policy lets the engine reuse, and how it was found (for the log)."""
    if job.policy.reuse is Reuse.NOTHING:
        return None, ""
    proven = cache.lookup(job.doc, key, kernel_environment(job.settings.env))
    if proven is not None or job.policy.reuse is Reuse.PROVEN:
        return proven, "cached"
    return cache.frozen(job.doc, code), "frozen"


def _without_results(job: ExecutionJob) -> ExecutionResult:
    """--no-execute for a document with no stored results: its cells show no output, its inline code stays code."""
    from report.sources.documents import stored_result

    lines = [cell.line for cell in job.doc.cells if evaluated(cell, job.settings.defaults or {})]
    where = ", ".join(str(line) for line in lines) or ", ".join(str(item.line) for item in job.doc.inline)
    diagnostics.warn(f"--no-execute: no stored results for this document; cells at line(s) {where} are shown "
                     "without output", path=job.doc.path, line=(lines or [item.line for item in job.doc.inline])[0])
    return stored_result(job.doc)


def _run_pending(jobs: list[ExecutionJob], pending: list[tuple[int, str, str]], results: list, root: Path,
                 cache: ExecutionCache, parallel: int, after) -> None:
    total = len(jobs)
    workers = max(1, min(parallel, len(pending)))
    documents = [jobs[index].doc for index, _key, _code in pending]
    folders = list(dict.fromkeys([*(jobs[index].settings.cwd for index, _key, _code in pending), root]))
    # What the code says it imports, and what the documents imported when they last ran.
    preload = tuple(sorted(set(installed_imports(documents, folders)) | set(cache.learned_packages())))
    log.debug("kernels preload: %s", ", ".join(preload) or "nothing")
    # A matrix row's cells before its parameters cell, run once for every row (report.execution.shared_prefix).
    shared: dict[int, SharedStart] = {}
    # One pool per Jupyter kernel the documents name (`jupyter:`), most often the engine's own alone.
    kernels: dict[str, list[int]] = {}
    pools = {}  # filled inside the try below, so that a pool that fails to start does not leave others running
    lock = threading.Lock()

    def run(index: int, key: str, code: str) -> None:
        job = jobs[index]
        name = job.doc.path.as_posix()
        log.info("%-8s [%d/%d] %s (%d cells)", "execute", index + 1, total, name, len(job.doc.cells))
        started = time.perf_counter()
        result = execute_document(job.doc, job.doc.path, job.settings, pool=pools.get(job.settings.kernel),
                                  shared=shared.get(index),
                                  on_cell=lambda done, count: log.debug("  %s: cell %d/%d", name, done, count))
        with lock:
            results[index] = result
        cache.store(job.doc, key, code, result, job.settings.env)
        log.info("%-8s [%d/%d] %s done in %.1f s", "execute", index + 1, total, name, time.perf_counter() - started)
        if after is not None:
            after(job.doc, result)

    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="report-execute")
    futures = []
    try:
        for index, _key, _code in pending:
            start = shared_start(jobs[index].doc, jobs[index].doc.path, jobs[index].settings, preload)
            if start is not None:
                shared[index] = start
            else:
                kernels.setdefault(jobs[index].settings.kernel, []).append(index)
        for kernel, indexes in kernels.items():
            pools[kernel] = kernel_pool(jobs[indexes[0]].settings, cwd=root, preload=preload, expected=len(indexes),
                                        ahead=max(1, min(workers, len(indexes))))
        # Longest first (by number of cells, the best guess before anything ran), so that no worker is left
        # with a long document at the end while the others idle; results still go back in document order.
        order = sorted(pending, key=lambda item: (-len(jobs[item[0]].doc.cells), item[0]))
        futures = [executor.submit(run, *item) for item in order]
        wait(futures, return_when=FIRST_EXCEPTION)
        for future in futures:
            future.cancel()  # after a failure, documents not yet started do not start
        wait(futures)
        for future in futures:  # the first failure in document order, so errors are reported stably
            if not future.cancelled() and future.exception() is not None:
                raise future.exception()
    except KeyboardInterrupt:
        for future in futures:
            future.cancel()
        for pool in [*pools.values(), *(start.pool for start in shared.values())]:
            pool.abort()
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        for pool in [*pools.values(), *(start.pool for start in shared.values())]:
            pool.close()
