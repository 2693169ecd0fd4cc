"""Run the pandoc binary shipped in the pypandoc-binary wheel."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from report._healing import discard
from report.errors import ReportError

log = logging.getLogger("report")

__all__ = ["pandoc_path", "pandoc_version", "run_pandoc", "markdown_to_ast", "cache_markdown_asts", "cached_json",
           "convert_cached", "metadata_json", "MarkdownMeta", "RawMeta", "READER"]

# Pandoc markdown as Quarto reads it; Quarto's own extensions are handled by our filters.
READER = "markdown+implicit_figures+fenced_divs+bracketed_spans+footnotes+citations"


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


@lru_cache(maxsize=1)
def pandoc_version() -> str:
    output = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, check=True).stdout
    return output.split()[1]


def run_pandoc(text: str, args: list[str], *, cwd: Path | None = None, what: str = "pandoc",
               source: Path | None = None) -> str:
    """Run pandoc with ``args`` on ``text``.

    Citeproc's warnings about missing keys are not repeated here: report.document.blocks.check_citations gives
    each with the file and line of the citation."""
    process = subprocess.run([pandoc_path(), *args], input=text, capture_output=True, text=True,
                             cwd=str(cwd) if cwd else None)
    if process.returncode != 0:
        raise ReportError(f"{what} failed: {process.stderr.strip()}", path=source)
    return process.stdout


_ast_cache_folder: Path | None = None


AST_CACHE_LIMIT = 2000  # entries kept; the least recently used go first


def cache_markdown_asts(folder: Path | None) -> None:
    """Keep Markdown -> AST results in ``folder`` (None: do not), so that an unchanged document costs no pandoc run.

    After a prose edit only the edited document is read again: one pandoc start instead of one per document.
    """
    global _ast_cache_folder
    _ast_cache_folder = folder
    if folder is not None and folder.is_dir():
        # Every kind of entry: ASTs, written pages, cached_json's values.
        entries = [entry for entry in folder.rglob("*") if entry.is_file() and not entry.name.startswith(".")]
        if len(entries) > AST_CACHE_LIMIT:
            entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
            for entry in entries[: len(entries) - AST_CACHE_LIMIT // 2]:
                entry.unlink(missing_ok=True)


def markdown_to_ast(text: str, source: Path, reader: str = READER) -> dict[str, Any]:
    """``text`` read by pandoc's ``reader`` (the document's `from:`, report.document.reader) as an AST."""
    args = ["--from", reader, "--to", "json"]
    output = convert_cached(text, args, what="reading Markdown", source=source)
    try:
        return _ast_object(output)
    except ValueError as error:  # a cached entry whose checksum holds but whose JSON does not: convert again
        entry = _cache_entry(text, args)
        if entry is not None:
            discard(entry, f"not a pandoc AST ({error})")
        return _ast_object(convert_cached(text, args, what="reading Markdown", source=source))


def _ast_object(output: str) -> dict[str, Any]:
    ast = json.loads(output)
    if not isinstance(ast, dict) or not isinstance(ast.get("blocks"), list) or "pandoc-api-version" not in ast:
        raise ValueError("the JSON is not a pandoc document")
    return ast


def _cache_entry(text: str, args: list[str], inputs: list[Path] = (), suffix: str = ".json") -> Path | None:
    folder = _ast_cache_folder
    if folder is None:
        return None
    contents = [hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in inputs]
    key = hashlib.sha256("\0".join([_binary_identity(), *args, *contents, text]).encode("utf-8")).hexdigest()
    return folder / key[:2] / f"{key}{suffix}"


def convert_cached(text: str, args: list[str], *, what: str, source: Path | None = None,
                   inputs: list[Path] = (), suffix: str = ".json") -> str:
    """A pandoc conversion that depends on nothing but its text, arguments and ``inputs``, kept in the cache folder.

    Only for conversions that read no files other than ``inputs`` (a bibliography and style, whose bytes are
    part of the key). ``suffix`` names what the entry holds: ``.json`` for pandoc ASTs (checked as JSON when
    read, report._healing), ``.html`` for written pages.
    """
    entry = _cache_entry(text, args, inputs, suffix)
    if entry is None:
        return run_pandoc(text, args, what=what, source=source)
    body = _load_entry(entry)
    if body is not None:
        return body.decode("utf-8")
    output = run_pandoc(text, args, what=what, source=source)
    _store_entry(entry, output.encode("utf-8"))
    return output


def cached_json(kind: str, key_text: str, compute: Callable[[], Any], expected: type, what: str) -> Any:
    """``compute()``'s JSON value, kept in the cache folder's ``kind`` subfolder under the digest of ``key_text``
    (which must hold everything the value depends on).

    Entries are checked as pandoc's are: a damaged one (bad checksum, not JSON, not of type ``expected``) is
    logged as "not ``what``", removed and computed again.
    """
    folder = _ast_cache_folder
    if folder is None:
        return compute()
    key = hashlib.sha256(key_text.encode("utf-8")).hexdigest()
    entry = folder / kind / key[:2] / f"{key}.json"
    body = _load_entry(entry)
    if body is not None:
        try:
            value = json.loads(body)
            if isinstance(value, expected):
                return value
            discard(entry, f"not {what} (a JSON {type(value).__name__})")
        except ValueError as error:
            discard(entry, f"not {what} ({error})")
    value = compute()
    _store_entry(entry, json.dumps(value, ensure_ascii=False).encode("utf-8"))
    return value


def _load_entry(entry: Path) -> bytes | None:
    """The body of a cache entry whose checksum holds; None when there is none. A damaged entry is discarded."""
    if entry.is_dir() or (entry.parent.exists() and not entry.parent.is_dir()):
        discard(entry if entry.is_dir() else entry.parent, "a folder and a file swapped places")
        return None
    if not entry.is_file():
        return None
    try:
        digest, _newline, body = entry.read_bytes().partition(b"\n")
        if digest.decode("ascii") == hashlib.sha256(body).hexdigest():
            os.utime(entry)  # recently used: kept when the cache is pruned
            return body
        discard(entry, "checksum mismatch (half-written or altered)")
    except (OSError, ValueError) as error:
        discard(entry, str(error))
    return None


def _store_entry(entry: Path, body: bytes) -> None:
    """Write ``body`` with its checksum, atomically: a render that dies meanwhile leaves no half entry."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".entry-", dir=entry.parent)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body)
        os.replace(temporary, entry)
    except OSError as error:  # a cache that cannot be written only costs time
        log.warning("result not cached in %s: %s", entry.parent, error)


def _binary_identity() -> str:
    """Which pandoc this is, without starting it: its path, size and modification time."""
    status = os.stat(pandoc_path())
    return f"{pandoc_path()}:{status.st_size}:{status.st_mtime_ns}"


@dataclass(frozen=True)
class RawMeta:
    """A metadata value that templates receive as raw output (typst code), not as text to escape."""

    format: str
    text: str


@dataclass(frozen=True)
class MarkdownMeta:
    """A metadata value written in Markdown (a title, an abstract), which templates receive formatted, as Quarto
    reads such values: emphasis, code, math and raw inlines (`` `#context text.font`{=typst} ``) included."""

    text: str


def metadata_json(metadata: dict[str, Any]) -> dict[str, Any]:
    """Plain metadata -> pandoc's MetaValue JSON (strings, bools, lists, maps, RawMeta, MarkdownMeta)."""

    def convert(value: Any) -> dict[str, Any]:
        if isinstance(value, RawMeta):
            return {"t": "MetaInlines", "c": [{"t": "RawInline", "c": [value.format, value.text]}]}
        if isinstance(value, MarkdownMeta):
            blocks = _ast_object(convert_cached(value.text, ["--from", READER, "--to", "json"],
                                                what="reading Markdown metadata"))["blocks"]
            if len(blocks) == 1 and blocks[0]["t"] in ("Para", "Plain"):
                return {"t": "MetaInlines", "c": blocks[0]["c"]}
            return {"t": "MetaBlocks", "c": blocks}
        if isinstance(value, bool):
            return {"t": "MetaBool", "c": value}
        if isinstance(value, dict):
            return {"t": "MetaMap", "c": {key: convert(item) for key, item in value.items()}}
        if isinstance(value, list):
            return {"t": "MetaList", "c": [convert(item) for item in value]}
        return {"t": "MetaString", "c": str(value)}

    return {key: convert(value) for key, value in metadata.items() if value is not None}
