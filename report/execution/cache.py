"""The execution cache: a document's outputs, figures and inline values, reused while nothing they depend on changed.

A document's results are keyed in two parts.

The *static key* is known before anything runs: the code of the evaluated
cells with the options that reach the kernel, the inline expressions, the
execution settings (working folder, figure size, data environment), the
engine's own kernel code, and the versions of Python and of every installed
package.

The *dependencies* are what the kernel read while it ran, recorded inside the
kernel (report.execution._trace): every file opened, every path whose existence was
checked, every folder listed, every environment variable read, and the
source file of every module imported from outside the interpreter's folders
(the project's own packages, whatever their name). Each is stored with a
fingerprint of its content.

An entry is served only when its static key matches and every dependency
still has the fingerprint it had when the document ran. So a prose edit
changes neither part and starts no kernel; a code edit changes the static key
of that document only; an edited data file invalidates exactly the documents
that read it. A file that changed while the document was running makes the
result uncacheable rather than wrong.

Entries live in ``.report-cache/`` at the project root, one file each, written
atomically (temporary file, then rename) and checksummed; an entry that does
not verify is deleted and the document runs again.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterator

from report import __version__
from report._disk import write_atomic as _write_atomic
from report._hashing import sha256_bytes
from report._healing import discard, ensure_folder
from report.execution._fingerprints import (absolute, environment_fingerprint, listing_fingerprint, path_fingerprint,
                                            portable)
from report.execution.execute import KERNEL_CODE, ExecutionResult, ExecutionSettings, ExecutionTrace, evaluated
from report.execution.kernelspecs import kernel_identity
from report.sources.qmd import QmdDocument

__all__ = ["CACHE_DIR", "ExecutionCache", "Dependencies", "code_key", "static_key"]

log = logging.getLogger("report")

CACHE_DIR = ".report-cache"
FORMAT = 1  # entries written before the code key ("code") match no frozen lookup
MAGIC = b"report-execution-cache"
ENTRIES_PER_DOCUMENT = 8  # older variants of a document (earlier code, other data) are pruned
# Cell options that only shape how outputs are shown, never what the kernel computes; editing a
# caption or alt text must not re-run a document. Every other option (eval, error, figure size,
# and any option added later) is part of the key.
PRESENTATION_OPTIONS = frozenset({"label", "echo", "output", "include", "warning", "fig_cap", "fig_alt", "tbl_cap",
                                  "layout_ncol", "layout_nrow", "layout", "layout_valign", "fig_subcap", "tbl_subcap",
                                  "fig_cap_location", "tbl_cap_location", "cap_location", "lst_label", "lst_cap",
                                  "code_fold", "code_summary", "code_line_numbers", "code_overflow",
                                  "classes", "tbl_colwidths", "tags", "column", "fig_column", "tbl_column"})
# Set by the engine for every kernel (its effect is covered by the static key), or bookkeeping of the shell
# the render was started from; a document that copies the whole environment must not depend on these.
IGNORED_ENV = frozenset({"MATPLOTLIBRC", "_", "OLDPWD", "PWD", "SHLVL"})


def static_key(doc: QmdDocument, settings: ExecutionSettings, root: Path) -> str:
    """Everything known before execution that can change a document's results."""
    defaults = settings.defaults or {}
    cells = []
    for cell in doc.cells:
        options = {key: value for key, value in cell.options.model_dump().items() if key not in PRESENTATION_OPTIONS}
        evaluated = options["eval"] if options.get("eval") is not None else defaults.get("eval", True)
        # Code that never runs cannot change results; it is shown from the source, not from the cache.
        cells.append({"code": cell.code if evaluated else None, "options": options})
    env = {name: portable(value, root) for name, value in sorted(settings.env.items())
           if name != "SOURCE_DATE_EPOCH"}  # read only by some documents: recorded as a dependency when read
    payload = {
        "format": FORMAT, "engine": __version__, "kernel": sha256_bytes(KERNEL_CODE.encode()),
        "kernelspec": kernel_identity(settings.kernel),
        "environment": environment_fingerprint(), "document": doc.path.as_posix(),
        "cwd": portable(str(settings.cwd), root), "env": env,
        "figure": [settings.fig_width, settings.fig_height, settings.fig_format, settings.fig_dpi],
        "defaults": {key: defaults[key] for key in sorted(defaults, key=str) if key not in {"echo", "output", "include",
                                                                                         "warning"}},
        "cells": cells, "inline": [item.code for item in doc.inline],
    }
    return sha256_bytes(json.dumps(payload, sort_keys=True, default=str).encode())


def code_key(doc: QmdDocument, settings: ExecutionSettings) -> str:
    """The document's code alone (evaluated cells, inline expressions, the kernel that runs them): what
    ``freeze: true`` and ``--no-execute`` match stored results by, so outputs are never paired with other code."""
    cells = [cell.code if evaluated(cell, settings.defaults or {}) else None for cell in doc.cells]
    payload = {"cells": cells, "inline": [item.code for item in doc.inline], "kernel": settings.kernel}
    return sha256_bytes(json.dumps(payload, sort_keys=True).encode())


class Fingerprints:
    """Content fingerprints of paths, computed once per render for unchanged files."""

    def __init__(self, ignored_names: frozenset[str] = frozenset()) -> None:
        self._files: dict[tuple[str, int, int, int], str] = {}
        self.ignored_names = ignored_names

    def path(self, path: str) -> str:
        try:
            status = os.stat(path)
        except OSError:
            return "absent"
        memo = (path, status.st_ino, status.st_size, status.st_mtime_ns)
        fingerprint = self._files.get(memo)
        if fingerprint is None:
            fingerprint = path_fingerprint(path)
            if fingerprint.startswith("sha256:"):  # content is what costs; the rest is looked at again
                self._files[memo] = fingerprint
        return fingerprint

    def listing(self, path: str) -> str:
        return listing_fingerprint(path, self.ignored_names)


@dataclass(frozen=True)
class Dependencies:
    """What a document read, each with the fingerprint it had when the document ran."""

    paths: dict[str, str]  # portable path -> fingerprint of its content (or 'absent', 'folder')
    listings: dict[str, str]  # portable folder -> fingerprint of its names
    env: dict[str, str | None]  # variable -> value read (None: unset)

    def digest(self) -> str:
        return sha256_bytes(json.dumps(asdict(self), sort_keys=True).encode())

    def changed(self, root: Path, fingerprints: Fingerprints, environment: dict[str, str]) -> str | None:
        """The first dependency that no longer matches, described for the log; None if all still hold."""
        for path, expected in self.paths.items():
            if fingerprints.path(absolute(path, root)) != expected:
                return path
        for path, expected in self.listings.items():
            if fingerprints.listing(absolute(path, root)) != expected:
                return f"{path}/ (listing)"
        for name, expected in self.env.items():
            if environment.get(name) != expected:
                return f"${name}"
        return None


def dependencies_from_trace(trace: ExecutionTrace, root: Path, static_env: dict[str, str],
                            ignored_names: frozenset[str] = frozenset()) -> Dependencies | None:
    """Fingerprint what the kernel read; None when a file changed while the document was running."""
    fresh = Fingerprints(ignored_names)
    paths: dict[str, str] = {}
    for path, opened in trace.opened.items():
        if opened is not None:
            try:
                status = os.stat(path)
            except OSError:
                return None
            if [status.st_size, status.st_mtime_ns] != opened:
                log.warning("%s changed while a document was reading it; its results are not cached", path)
                return None
        paths[portable(path, root)] = fresh.path(path)
    ancestors = {str(folder) for folder in (root, *root.parents)}
    for path in (*trace.stated, *trace.modules):
        if path in ancestors:  # asked by every path resolution; exists as long as the project does
            continue
        paths.setdefault(portable(path, root), fresh.path(path))
    listings = {portable(path, root): fresh.listing(path) for path in trace.listed}
    recorded_env = {name: value for name, value in trace.env.items()
                    if name not in IGNORED_ENV and (name not in static_env or name == "SOURCE_DATE_EPOCH")}
    return Dependencies(paths=dict(sorted(paths.items())), listings=dict(sorted(listings.items())),
                        env=dict(sorted(recorded_env.items())))


class CorruptEntry(Exception):
    pass


class ExecutionCache:
    """Execution results on disk under ``root/.report-cache``.

    ``refresh`` ignores what is stored but stores new results; a disabled
    cache neither reads nor writes.
    """

    def __init__(self, root: Path, *, enabled: bool = True, refresh: bool = False,
                 output_names: frozenset[str] = frozenset()):
        self.root = root
        self.folder = root / CACHE_DIR / "execute"
        self.enabled = enabled
        self.refresh = refresh
        self.output_names = output_names  # the engine's output folders, left out of folder listings
        self.fingerprints = Fingerprints(output_names)
        # What each served or stored result depends on (None: not cached), for the build record.
        self.used: dict[str, dict[str, Any] | None] = {}

    def _document_folder(self, doc: QmdDocument) -> Path:
        return self.folder / sha256_bytes(doc.path.as_posix().encode())[:16]

    def lookup(self, doc: QmdDocument, key: str, environment: dict[str, str]) -> ExecutionResult | None:
        """The stored result for ``key`` whose dependencies all still hold, or None."""
        if not self.enabled or self.refresh:
            return None
        for data, dependencies in self._entries(doc, key):
            changed = dependencies.changed(self.root, self.fingerprints, environment)
            if changed is None:
                self.used[doc.path.as_posix()] = asdict(dependencies)
                return _result(data)
            log.debug("cache   %s: %s changed", doc.path.as_posix(), changed)
        return None

    def frozen(self, doc: QmdDocument, code: str) -> ExecutionResult | None:
        """The newest stored result of the same code (``code_key``), whatever it read and whatever changed since."""
        if not self.enabled:
            return None
        for data, dependencies in self._entries(doc):
            if data.get("code") == code:
                self.used[doc.path.as_posix()] = asdict(dependencies)
                return _result(data)
        return None

    def _entries(self, doc: QmdDocument, key: str | None = None) -> Iterator[tuple[dict[str, Any], Dependencies]]:
        """The document's entries (for ``key``, or all), newest first; damaged ones are deleted on the way."""
        folder = self._document_folder(doc)
        if not folder.is_dir():
            return
        for entry in sorted(folder.glob(f"{key or '*'}-*.json"), key=_modified, reverse=True):
            try:
                data = _read_entry(entry)
                if data["key"] != (key or data["key"]) or data["document"] != doc.path.as_posix():
                    raise CorruptEntry("it belongs to another document or key")
                dependencies = _dependencies(data["dependencies"])
                _result(data)
            except (CorruptEntry, OSError, ValueError, KeyError, TypeError, AttributeError) as error:
                discard(entry, str(error) or type(error).__name__)  # a folder or any unreadable content: run again
                continue
            yield data, dependencies

    def store(self, doc: QmdDocument, key: str, code: str, result: ExecutionResult,
              static_env: dict[str, str]) -> bool:
        """Keep ``result``; ``static_env`` is the environment the static key already holds."""
        self.used[doc.path.as_posix()] = None
        if not self.enabled or result.trace is None:
            return False
        dependencies = dependencies_from_trace(result.trace, self.root, static_env, self.output_names)
        if dependencies is None:
            return False
        self.used[doc.path.as_posix()] = asdict(dependencies)
        body = json.dumps({
            "format": FORMAT, "document": doc.path.as_posix(), "key": key, "code": code,
            "dependencies": asdict(dependencies),
            "result": {"outputs": {str(index): items for index, items in sorted(result.outputs.items())},
                       "inline_values": list(result.inline_values),
                       **({"widget_state": result.widget_state} if result.widget_state else {})},
        }, sort_keys=True, ensure_ascii=False).encode("utf-8")
        folder = self._document_folder(doc)
        try:
            ensure_folder(folder, self.root / CACHE_DIR)
        except OSError as error:
            log.warning("execution results of %s not cached: %s", doc.path.as_posix(), error)
            return False
        for name in (f"{key}-{dependencies.digest()[:16]}.json", "packages.json"):
            if (folder / name).is_dir():
                discard(folder / name, "a folder stands where the cache keeps a file")
        _write_atomic(folder / f"{key}-{dependencies.digest()[:16]}.json",
                      MAGIC + b" " + str(FORMAT).encode() + b" sha256:" + sha256_bytes(body).encode() + b"\n" + body)
        _write_atomic(folder / "packages.json", json.dumps(sorted(result.trace.packages)).encode())
        self._prune(folder)
        return True

    def _prune(self, folder: Path) -> None:
        entries = sorted(folder.glob("*-*.json"), key=_modified, reverse=True)
        for entry in entries[ENTRIES_PER_DOCUMENT:]:
            if entry.is_dir():
                discard(entry, "a folder stands where the cache keeps a file")
            else:
                entry.unlink(missing_ok=True)

    def learned_packages(self) -> tuple[str, ...]:
        """Installed packages the cached documents imported: worth importing before a kernel is needed."""
        if not self.folder.is_dir():
            return ()
        names: set[str] = set()
        for entry in self.folder.glob("*/packages.json"):
            try:
                found = json.loads(entry.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(found, list):
                names.update(name for name in found if isinstance(name, str) and name.isidentifier())
        return tuple(sorted(names))


def _dependencies(data: Any) -> Dependencies:
    """Dependencies as stored, refused unless every part has the type the engine wrote."""
    if not isinstance(data, dict) or set(data) != {"paths", "listings", "env"}:
        raise CorruptEntry("its dependencies are malformed")
    paths, listings, env = data["paths"], data["listings"], data["env"]
    if not (isinstance(paths, dict) and isinstance(listings, dict) and isinstance(env, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in (*paths.items(), *listings.items()))
            and all(isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in env.items())):
        raise CorruptEntry("its dependencies are malformed")
    return Dependencies(paths=paths, listings=listings, env=env)


def _result(data: dict[str, Any]) -> ExecutionResult:
    """The results of a stored entry, refused unless they have the shape the engine wrote."""
    outputs = {int(index): items for index, items in data["result"]["outputs"].items()}
    inline_values = tuple(data["result"]["inline_values"])
    widget_state = data["result"].get("widget_state")
    if not all(isinstance(value, str) for value in inline_values) or not all(
            isinstance(items, list) and all(isinstance(item, dict) for item in items) for items in outputs.values()
    ) or not (widget_state is None or isinstance(widget_state, dict)):
        raise CorruptEntry("its results are malformed")
    return ExecutionResult(outputs=outputs, inline_values=inline_values, widget_state=widget_state)


def _modified(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:  # removed meanwhile by another render's pruning
        return 0


def _read_entry(path: Path) -> dict[str, Any]:
    raw = path.read_bytes()
    header, newline, body = raw.partition(b"\n")
    parts = header.split(b" ")
    if not newline or len(parts) != 3 or parts[0] != MAGIC:
        raise CorruptEntry("no valid header")
    if parts[1] != str(FORMAT).encode():
        raise CorruptEntry(f"format {parts[1].decode(errors='replace')} (this engine writes {FORMAT})")
    if parts[2] != b"sha256:" + sha256_bytes(body).encode():
        raise CorruptEntry("checksum mismatch (half-written or altered)")
    data = json.loads(body.decode("utf-8"))
    if not isinstance(data, dict):
        raise CorruptEntry("not a JSON object")
    return data
