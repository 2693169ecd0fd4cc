"""The logged stage every step of a render runs in, the build folders renders work in, and the render's time."""

from __future__ import annotations

import logging
import os
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from report._disk import DISK_FULL, disk_full_error  # small: stage() needs them before any pipeline module
from report.errors import ReportError

__all__ = ["build_folder", "log", "source_date_epoch", "stage", "work_folder"]

log = logging.getLogger("report")


@contextmanager
def stage(name: str, detail: str = "", folder: Path | None = None) -> Iterator[None]:
    """Log a pipeline stage; a full disk inside it becomes an error naming the stage and ``folder``."""
    started = time.perf_counter()
    log.info("%-8s %s", name, detail)
    try:
        yield
    except OSError as error:
        if error.errno in DISK_FULL:
            raise disk_full_error(name, error, folder) from None
        raise
    log.debug("%-8s done in %.2f s", name, time.perf_counter() - started)


def source_date_epoch(root: Path) -> int:
    """SOURCE_DATE_EPOCH, else the last commit's time, else 0: never the wall clock."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    process = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True)
    if process.returncode == 0 and process.stdout.strip():
        return int(process.stdout.strip())
    return 0


@contextmanager
def build_folder(root: Path, persistent: bool) -> Iterator[Path]:
    """The folder one render works in, below ``root``/.report-build.

    Each render works in a folder of its own, so renders in one checkout never share files; a preview
    (``persistent``) keeps one folder for its whole session, so typst can recompile incrementally."""
    (root / ".report-build").mkdir(parents=True, exist_ok=True)
    if persistent:
        folder = root / ".report-build" / f"preview-{os.getpid()}"
        folder.mkdir(exist_ok=True)
        yield folder
        return
    with work_folder(root / ".report-build") as folder:
        yield folder


@contextmanager
def work_folder(parent: Path) -> Iterator[Path]:
    """A build folder of this render's own, kept for the next render (creating and removing hundreds of
    folders per render costs seconds on some file systems; typst's root then changes only where figures did).

    Each is held by an exclusive lock while a render uses it, so concurrent renders take different ones.
    """
    import fcntl

    for number in range(256):
        folder = parent / f"work-{number}"
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            continue  # another render is using it
        try:
            yield folder
            return
        finally:
            os.close(descriptor)
    raise ReportError(f"no free build folder in {parent} (256 renders at once?)")
