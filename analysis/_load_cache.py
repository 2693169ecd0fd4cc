"""The loaded evaluation, kept on disk so that the documents of one render load and validate the data once.

Every chapter runs in its own kernel and starts with ``load_evaluation()``. With a survey of a
million rows, reading and validating it is most of a chapter's time and memory, so the first kernel
that loads the data stores the validated :class:`~analysis.load.Evaluation` in the folder the engine
gives the kernels for the project's caches (``$REPORT_CACHE_DIR``, ``.report-cache/project/``;
unset outside a render and with ``--no-cache``, and then nothing is cached), and the other kernels
read it from there.

An entry is found by a key of the data folder's path and listing (names, and which are folders), the
listing of ``transcripts/``, and the code and library versions that read the data; it holds the
SHA-256 of every file the load read. It is used only when every one of those files still has that
hash: a kernel served from the cache reads every input file in full, as a load would, so an edited
file always counts, and the execution cache sees the same files read. Only data that passed
validation is stored; data that fails is validated again by each kernel, which reports it.

Kernels of one render load at the same time: the first takes the folder's lock and loads, the others
wait for it and read its entry. The newest few entries are kept (other data folders, earlier code). An entry is written under a temporary name and renamed into place,
and carries the SHA-256 of its payload; a damaged or unreadable entry is logged, deleted and the
data loaded again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

__all__ = ["CACHE_ENV", "cached"]

log = logging.getLogger(__name__)

CACHE_ENV = "REPORT_CACHE_DIR"  # set by the engine for every kernel (report.execution.isolation)
FORMAT = 1
MAGIC = b"analysis-load-cache\n"
KEPT = 4  # entries of other data folders or code versions, newest first; older ones are deleted
_PACKAGE = Path(__file__).resolve().parent
_CHUNK = 1 << 20


def cached(root: Path, load: Callable[[], tuple[object, dict[str, str]]]) -> object:
    """The evaluation of ``root``: from the cache when its inputs are unchanged, else ``load()``, stored.

    ``load`` returns the evaluation and the SHA-256 of every file it read, by absolute path.
    """
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        return load()[0]
    folder = Path(folder) / "data"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        log.warning("data cache folder %s cannot be created (%s); loading without it", folder, error.strerror)
        return load()[0]
    entry = folder / f"{_key(root)}.pickle"
    with _locked(folder / "lock"):
        found = _read(entry)
        if found is not None:
            log.info("data of %s read from the cache (%s)", root, entry.name)
            return found
        evaluation, inputs = load()
        _write(entry, evaluation, inputs)
        _prune(folder)
        return evaluation


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _key(root: Path) -> str:
    """What decides which files a load reads, and how it reads them."""
    import numpy
    import pandas

    code = {path.name: file_sha256(path) for path in sorted(_PACKAGE.iterdir()) if path.is_file()}
    payload = {
        "format": FORMAT, "root": str(root), "listing": _listing(root), "transcripts": _listing(root / "transcripts"),
        "code": code, "python": sys.version, "pandas": pandas.__version__, "numpy": numpy.__version__,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _listing(folder: Path) -> list[str] | None:
    try:
        with os.scandir(folder) as entries:
            return sorted(entry.name + ("/" if entry.is_dir() else "") for entry in entries)
    except OSError:
        return None


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One kernel at a time per key; the lock goes with its process, should that die."""
    import fcntl

    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read(entry: Path) -> object | None:
    """The cached evaluation, or None when there is none, it is damaged, or an input file changed."""
    try:
        stream = open(entry, "rb")
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("data cache entry %s cannot be read (%s); loading the data again", entry.name, error.strerror)
        return None
    with stream:
        try:
            inputs, evaluation = _verified_payload(stream)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError) as error:
            log.warning("data cache entry %s is damaged (%s); deleting it and loading the data again", entry.name, error)
            entry.unlink(missing_ok=True)
            return None
    for path, expected in inputs.items():
        try:
            current = file_sha256(Path(path))
        except OSError:
            current = None
        if current != expected:
            log.info("data cache entry %s is stale: %s changed", entry.name, path)
            return None
    return evaluation


def _verified_payload(stream) -> tuple[dict[str, str], object]:
    if stream.read(len(MAGIC)) != MAGIC:
        raise ValueError("not a data cache entry")
    expected = stream.read(64).decode("ascii", "replace")
    start = stream.tell()
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(_CHUNK), b""):
        digest.update(block)
    if digest.hexdigest() != expected:
        raise ValueError("checksum mismatch")
    stream.seek(start)
    inputs = pickle.load(stream)
    if not isinstance(inputs, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in inputs.items()):
        raise ValueError("no list of input files")
    return inputs, pickle.load(stream)


def _write(entry: Path, evaluation: object, inputs: dict[str, str]) -> None:
    """Pickled straight into a temporary file (no second copy of the data in memory), checksummed, renamed."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{entry.stem[:16]}-", suffix=".tmp", dir=entry.parent)
    except OSError as error:
        log.warning("data cache entry %s cannot be written (%s)", entry.name, error.strerror)
        return
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w+b") as stream:
            stream.write(MAGIC + b"0" * 64)
            start = stream.tell()
            pickle.dump(dict(inputs), stream, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(evaluation, stream, protocol=pickle.HIGHEST_PROTOCOL)
            stream.seek(start)
            digest = hashlib.sha256()
            for block in iter(lambda: stream.read(_CHUNK), b""):
                digest.update(block)
            stream.seek(len(MAGIC))
            stream.write(digest.hexdigest().encode("ascii"))
        os.replace(temporary, entry)  # atomic: readers see the old entry or the new one, never half of one
    except OSError as error:
        log.warning("data cache entry %s cannot be written (%s)", entry.name, error.strerror)
        temporary.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
    for old in entries[KEPT:]:
        old.unlink(missing_ok=True)
