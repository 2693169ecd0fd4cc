"""The build record: what the last successful render read and wrote, so that an unchanged render stops after
one check and leaves the output untouched.

A record is kept per project and per set of render options (formats, output folder, data folder, metadata,
mark, ...) in ``.report-build/records/``. It holds

- every file of the project tree (all files below the root, leaving out the engine's caches, build and output
  folders, ``.git`` and virtual environments), with size, modification time and SHA-256;
- what the documents' kernels read outside that (the execution cache's dependencies: files, folder listings
  and environment variables);
- the engine's own files, the interpreter and the installed distributions, the environment variables the
  render reads, and the PDF timestamp (``SOURCE_DATE_EPOCH`` or the last commit's time);
- every file the render published, with its inode, size and modification time;
- the warnings the render gave, given again when it is skipped.

The render is skipped only when all of these still hold. A file whose size or time changed but whose content
did not still holds. Only the standard library is imported here, so the check runs before anything heavy.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, Mapping

from report import __version__
from report._hashing import sha256_bytes, sha256_file
from report.execution._fingerprints import absolute, environment_fingerprint, listing_fingerprint, path_fingerprint
from report.outputs.publish import MARKER

__all__ = ["RECORDS", "BuildRecord", "RecordedRender", "find_root", "forget", "record_key",
           "tree_snapshot", "up_to_date", "write_record"]

RECORDS = Path(".report-build") / "records"
FORMAT = 2
# Folders whose files no render reads as a source: caches, build and output folders, version control, tools.
SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", ".venv", "venv", ".report-cache", ".report-build",
                             "__pycache__", "node_modules", ".pytest_cache", ".mypy_cache", ".ruff_cache", "_diff",
                             "release"})
ENGINE = Path(__file__).resolve().parents[1]  # the report package


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding `_quarto.yml` (as report.sources.project finds it)."""
    for folder in [start, *start.parents]:
        if (folder / "_quarto.yml").is_file():
            return folder
    return None


def record_key(root: Path, options: Any) -> str:
    """One record per project and render options (every field of RenderOptions, whatever is added later)."""
    fields = dataclasses.asdict(options) if dataclasses.is_dataclass(options) else dict(vars(options))
    text = json.dumps({"root": str(root), "options": fields}, sort_keys=True, default=str)
    return sha256_bytes(text.encode("utf-8"))[:32]


def _record_file(root: Path, key: str) -> Path:
    return root / RECORDS / f"{key}.json"


def _tree(root: Path, skipped: frozenset[str]) -> dict[str, os.stat_result]:
    """Every file below ``root`` a render may read, by relative path."""
    files: dict[str, os.stat_result] = {}
    for folder, folder_names, file_names in os.walk(root):
        if folder != str(root) and MARKER in file_names:
            folder_names[:] = []
            continue  # a folder the engine publishes
        folder_names[:] = sorted(name for name in folder_names if name not in skipped)
        relative = os.path.relpath(folder, root)
        for name in file_names:
            path = os.path.join(folder, name)
            try:
                status = os.stat(path)
            except OSError:
                continue  # removed meanwhile, or a dangling link: not an input
            files[name if relative == "." else f"{relative}/{name}"] = status
    return files


def _engine_files() -> dict[str, os.stat_result]:
    return {path: status for path, status in _tree(ENGINE, SKIPPED_FOLDERS).items()
            if not path.endswith((".pyc", ".pyo"))}


def _stat_entry(status: os.stat_result, path: str) -> list:
    return [status.st_size, status.st_mtime_ns, sha256_file(path)]


def _holds(entry: list, status: os.stat_result, path: str) -> bool:
    size, mtime, digest = entry
    if status.st_size != size:
        return False
    if status.st_mtime_ns == mtime:
        return True
    try:
        return sha256_file(path) == digest  # touched, perhaps not changed
    except OSError:
        return False


@dataclasses.dataclass(frozen=True)
class BuildRecord:
    """What one render read; filled in by the pipeline and written after the publish."""

    root: Path
    key: str
    epoch: int
    env_names: tuple[str, ...]  # variables the render itself reads (the data folder's, SOURCE_DATE_EPOCH)
    dependencies: tuple[Mapping[str, Any], ...]  # the execution cache's Dependencies of every document, as dicts
    listing_ignored: frozenset[str]  # names the cache leaves out of folder listings
    tree_at_start: Mapping[str, tuple[int, int]]  # size and time of the tree's files when the render began


@dataclasses.dataclass(frozen=True)
class RecordedRender:
    """What a skipped render returns: the recorded render's output folders and warnings."""

    outputs: tuple[Path, ...]
    warnings: tuple[tuple[str | None, int | None, str], ...]  # (path, line, message) each


def tree_snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Size and time of every file of the tree, taken before a render reads its sources: a file saved while the
    render runs then keeps the render from leaving a record that would claim the output holds it."""
    return {relative: (status.st_size, status.st_mtime_ns) for relative, status in _tree(root, SKIPPED_FOLDERS).items()}


def write_record(record: BuildRecord, outputs: Iterable[Path], result: tuple[Path, ...],
                 warnings: Iterable[tuple[str | None, int | None, str]] = ()) -> None:
    """Store the record; call it after a successful publish, while the output is as published.

    ``outputs`` are the folders published (their files are checked), ``result`` what the render returns and
    ``warnings`` (path, line, message) the warnings it gave.
    """
    root = record.root
    previous = _read(root, record.key) or {}
    current = _tree(root, SKIPPED_FOLDERS)
    if {relative: (status.st_size, status.st_mtime_ns) for relative, status in current.items()} != dict(
            record.tree_at_start):
        return  # a source changed while the render ran: no record, the next render checks everything
    tree = _entries(current, root, previous.get("tree", {}))
    engine = _entries(_engine_files(), ENGINE, previous.get("engine_files", {}))
    paths: dict[str, list] = {}
    listings: dict[str, str] = {}
    env: dict[str, str | None] = {name: os.environ.get(name) for name in record.env_names}
    for dependencies in record.dependencies:
        for path, fingerprint in dependencies["paths"].items():
            location = absolute(path, root)
            inside = Path(location).is_relative_to(root) and Path(location).relative_to(root).as_posix() in tree
            if inside:
                continue  # the tree covers it
            if path_fingerprint(location) != fingerprint:
                return  # changed since the document ran: no record, the next render checks everything
            try:
                status = os.stat(location)
                paths[location] = [fingerprint, status.st_size, status.st_mtime_ns]
            except OSError:
                paths[location] = [fingerprint, None, None]
        for path, fingerprint in dependencies["listings"].items():
            listings[absolute(path, root)] = fingerprint
        for name, value in dependencies["env"].items():
            env.setdefault(name, value)
    published: dict[str, list] = {}
    for folder in outputs:
        for relative in [MARKER, *_marker_files(folder)]:
            try:
                status = os.stat(folder / relative)
            except OSError:
                return  # the output changed meanwhile: no record, the next render checks everything
            published[str(folder / relative)] = [status.st_ino, status.st_size, status.st_mtime_ns]
    data = {"format": FORMAT, "engine": __version__, "key": record.key, "epoch": record.epoch,
            "interpreter": environment_fingerprint(), "tree": tree,
            "engine_files": engine, "paths": paths, "listings": listings, "listing_ignored":
            sorted(record.listing_ignored), "env": env, "outputs": published,
            "result": [str(path) for path in result],
            "warnings": [[path, line, message] for path, line, message in warnings]}
    target = _record_file(root, record.key)
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(data, handle, sort_keys=True)
    os.replace(temporary, target)


def _entries(files: Mapping[str, os.stat_result], base: Path, previous: Mapping[str, list]) -> dict[str, list]:
    """[size, mtime, sha256] per file; a file whose size and time are as in the previous record keeps its digest."""
    entries = {}
    for relative, status in files.items():
        old = previous.get(relative)
        if isinstance(old, list) and len(old) == 3 and old[0] == status.st_size and old[1] == status.st_mtime_ns:
            entries[relative] = old
        else:
            entries[relative] = _stat_entry(status, str(base / relative))
    return entries


def _read(root: Path, key: str) -> dict[str, Any] | None:
    try:
        data = json.loads(_record_file(root, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("engine") != __version__ \
            or data.get("key") != key:
        return None
    return data


def forget(root: Path, key: str) -> None:
    _record_file(root, key).unlink(missing_ok=True)


def _marker_files(folder: Path) -> list[str]:
    try:
        return sorted(json.loads((folder / MARKER).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return []


def up_to_date(root: Path, key: str, epoch: int) -> RecordedRender | None:
    """The recorded render's outputs and warnings when nothing it read or wrote has changed since; else None."""
    data = _read(root, key)
    if data is None:
        return None  # no record, or one this engine cannot read: render
    try:
        return _check(root, data, epoch)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _check(root: Path, data: dict[str, Any], epoch: int) -> RecordedRender | None:
    if data["epoch"] != epoch or data["interpreter"] != environment_fingerprint():
        return None
    for name, value in data["env"].items():
        if os.environ.get(name) != value:
            return None
    for path, (inode, size, mtime) in data["outputs"].items():
        status = os.stat(path)
        if (status.st_ino, status.st_size, status.st_mtime_ns) != (inode, size, mtime):
            return None
    engine = _engine_files()
    if engine.keys() != data["engine_files"].keys() or not all(
            _holds(data["engine_files"][relative], status, str(ENGINE / relative)) for relative, status in engine.items()):
        return None
    tree = _tree(root, SKIPPED_FOLDERS)
    if tree.keys() != data["tree"].keys() or not all(
            _holds(data["tree"][relative], status, str(root / relative)) for relative, status in tree.items()):
        return None
    for path, (fingerprint, size, mtime) in data["paths"].items():
        try:
            status = os.stat(path)
            if (status.st_size, status.st_mtime_ns) == (size, mtime) and os.path.isfile(path):
                continue
        except OSError:
            pass
        if path_fingerprint(path) != fingerprint:
            return None
    ignored = data["listing_ignored"]
    if any(listing_fingerprint(path, ignored) != fingerprint for path, fingerprint in data["listings"].items()):
        return None
    return RecordedRender(outputs=tuple(Path(path) for path in data["result"]),
                          warnings=tuple((path, line, message) for path, line, message in data["warnings"]))
