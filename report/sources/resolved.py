"""One resolution of options: what a writer sees, merged from every level Quarto reads, and where each came from.

Levels, lowest first (Quarto's order; a later level wins):

1. ``project``: the top level of `_quarto.yml`;
2. ``project format``: `_quarto.yml`'s ``format: NAME:`` for the writer (its aliases first: ``pdf`` then ``typst``);
3. ``document``: the document's front matter;
4. ``document format``: the front matter's ``format: NAME:``;
5. ``command line``: ``-M key:value``;
6. ``cell``: a cell's ``#|`` options, for the options Quarto allows on cells: ``cell_option`` for the execution
   options; the display options (``code-fold``, ``fig-cap-location`` ...) travel as the cell's attributes, over the
   document's values (report.document.assemble, report.document.code).

Merging is Quarto's ``mergeFormatMetadata`` (quarto-cli src/config/metadata.ts, with ``mergeArrayCustomizer`` of
src/core/config.ts): mappings merge key by key; where either side is a list, the two are joined (a scalar counts
as a list of one) without repeats, the earlier first; a missing or empty side gives the other; ``tbl-colwidths``
is replaced, never joined; any other value of a later level replaces the earlier one.

Execution options (``echo``, ``eval`` ...) may stand at the top of a level or under its ``execute:``, as in Quarto
(``metadataAsFormat`` moves both into the format's execute options); ``ResolvedFormat.execute`` holds them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from report.sources.format_names import format_names, writer_of
from report.sources.options import normalise_formats

__all__ = ["EXECUTE_KEYS", "ONCE_PER_DOCUMENT", "PER_CHAPTER", "Layer", "ResolvedFormat", "cell_option",
           "merge_options", "resolve_format", "warn_unapplied"]

EXECUTE_KEYS = ("eval", "echo", "output", "warning", "error", "include", "enabled", "keep-hidden", "plotly-connected")
_REPLACED = frozenset({"tbl-colwidths"})  # Quarto's kUnmergeableKeys: a later list replaces an earlier one
_NOT_OPTIONS = frozenset({"format", "execute"})  # structure, read through ``execute`` and the format layers


def merge_options(*layers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Merge mappings as Quarto merges metadata (see the module's docstring); later layers win."""
    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in (layer or {}).items():
            merged[key] = _merge_value(key, merged[key], value) if key in merged else _copy(value)
    return merged


def _merge_value(key: Any, earlier: Any, later: Any) -> Any:
    if key in _REPLACED:
        return _copy(later)
    if isinstance(earlier, list) or isinstance(later, list):
        if not earlier:
            return _copy(later)
        if not later:
            return earlier
        joined: list[Any] = []
        seen: set[str] = set()
        for item in [*(earlier if isinstance(earlier, list) else [earlier]),
                     *(later if isinstance(later, list) else [later])]:
            identity = json.dumps(item, sort_keys=True, default=str)
            if identity not in seen:
                seen.add(identity)
                joined.append(_copy(item))
        return joined
    if isinstance(earlier, dict) and isinstance(later, dict):
        return merge_options(earlier, later)
    return _copy(later)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


@dataclass(frozen=True)
class Layer:
    """One level's own options for a writer: where they are written and what they say."""

    level: str  # project, project format, document, document format, command line, cell
    file: Path | None  # the file they are written in (None: the command line)
    options: Mapping[str, Any]
    execute: Mapping[str, Any]
    format_names: Mapping[str, str] = field(default_factory=dict)  # at a format level: the name under `format:` setting each key

    def where(self, key: str) -> str:
        """How a message names where ``key`` is set: ``'format: pdf:' in _quarto.yml``, ``the front matter of x.qmd``."""
        if self.level.endswith("format"):
            return f"'format: {self.format_names.get(key, '?')}:' in {self.file}"
        if self.level == "project":
            return f"the top level of {self.file}"
        if self.level == "document":
            return f"the front matter of {self.file}"
        return f"the {self.level}"


@dataclass(frozen=True)
class ResolvedFormat:
    """The options one writer reads for one document (or the book), merged once; read-only."""

    writer: str  # html, typst (report.sources.format_names)
    options: Mapping[str, Any]
    execute: Mapping[str, Any]  # eval, echo, output, warning, error, include, enabled
    layers: tuple[Layer, ...]

    def get(self, key: str, default: Any = None) -> Any:
        value = self.options.get(key)
        return default if value is None else value

    def __contains__(self, key: str) -> bool:
        return key in self.options

    def as_dict(self) -> dict[str, Any]:
        """A copy of the merged options, for code that hands metadata on (templates, caches)."""
        return _copy(dict(self.options))

    def metadata(self) -> dict[str, Any]:
        """The merged options with the execute options under ``execute:``, as `{{< meta >}}` reads them."""
        return {**self.as_dict(), **({"execute": dict(self.execute)} if self.execute else {})}

    def origin(self, *keys: str) -> Layer | None:
        """The highest level written in a file that sets one of ``keys``."""
        return next((layer for layer in reversed(self.layers)
                     if layer.file is not None and any(key in layer.options or key in layer.execute for key in keys)),
                    None)

    def origin_file(self, *keys: str, default: Path = Path("_quarto.yml")) -> Path:
        layer = self.origin(*keys)
        return layer.file if layer is not None and layer.file is not None else default

    def values_by_layer(self, key: str) -> list[tuple[Any, Layer]]:
        """Each value ``key`` is given, with the level giving it: a path is relative to its own file.

        Joined as the merge joins lists (every level's entries, once each); otherwise the winning value alone."""
        setting = [layer for layer in self.layers if key in layer.options and layer.options[key] is not None]
        if not setting:
            return []
        if key in _REPLACED or not any(isinstance(layer.options[key], list) for layer in setting):
            return [(self.options[key], setting[-1])]
        found: list[tuple[Any, Layer]] = []
        seen: set[str] = set()
        for layer in setting:
            value = layer.options[key]
            for item in value if isinstance(value, list) else [value]:
                identity = json.dumps(item, sort_keys=True, default=str)
                if identity not in seen:
                    seen.add(identity)
                    found.append((item, layer))
        return found


def cell_option(cell_options: Any, execute: Mapping[str, Any], key: str, fallback: Any) -> Any:
    """An execution option of one cell: its ``#|`` value (the cell level), else the document's resolved execute
    options, else ``fallback``. ``cell_options``: the cell's CellOptions (snake_case attributes)."""
    value = getattr(cell_options, key.replace("-", "_"))
    if value is None:
        value = execute.get(key)
    return fallback if value is None else value


def _layer(level: str, file: Path | None, mapping: Mapping[str, Any] | None) -> Layer:
    mapping = mapping or {}
    options = {key: value for key, value in mapping.items() if key not in _NOT_OPTIONS}
    execute = {key: mapping[key] for key in EXECUTE_KEYS if key in mapping}
    if isinstance(mapping.get("execute"), dict):
        execute.update(mapping["execute"])
    return Layer(level, file, options, execute)


def _format_layer(level: str, file: Path | None, mapping: Mapping[str, Any] | None, writer: str) -> Layer:
    """The options under ``format:`` for ``writer``: its aliases' first (``pdf``), then its own (``typst``)."""
    formats = normalise_formats((mapping or {}).get("format"))
    formats = formats if isinstance(formats, dict) else {}
    names = [name for name in formats if writer_of(str(name)) == writer]
    order = format_names(writer)
    names.sort(key=lambda name: order.index(name.split("+", 1)[0]))
    pieces = [_layer(level, file, formats[name] if isinstance(formats[name], dict) else {}) for name in names]
    set_by = {key: name for name, piece in zip(names, pieces) for key in (*piece.options, *piece.execute)}
    return Layer(level, file, merge_options(*(piece.options for piece in pieces)),
                 merge_options(*(piece.execute for piece in pieces)), MappingProxyType(set_by))


def resolve_format(fmt: str, project: Mapping[str, Any] | None, document: Mapping[str, Any] | None = None, *,
                   document_file: Path | None = None, project_file: Path = Path("_quarto.yml"),
                   command_line: Mapping[str, Any] | None = None) -> ResolvedFormat:
    """The options the writer of format ``fmt`` (a writer's name or alias, e.g. ``pdf``) reads:
    project < project format < document < document format < command line."""
    writer = writer_of(fmt)
    if writer is None:
        raise ValueError(f"no writer renders format '{fmt}'")
    layers = (_layer("project", project_file, project), _format_layer("project format", project_file, project, writer),
              _layer("document", document_file, document),
              _format_layer("document format", document_file, document, writer),
              _layer("command line", None, command_line))
    return ResolvedFormat(writer, MappingProxyType(merge_options(*(layer.options for layer in layers))),
                          MappingProxyType(merge_options(*(layer.execute for layer in layers))), layers)


# What the engine reads once per document for every format it writes (it executes a document once, and reads,
# numbers and cites it once): these come from the primary writer's options (html when it is rendered), so a
# different value under another format's `format: NAME:` is not applied, and is warned about.
ONCE_PER_DOCUMENT = frozenset({
    *EXECUTE_KEYS, "fig-width", "fig-height", "fig-format", "fig-dpi", "tbl-colwidths", "code-annotations",
    "code-line-numbers", "callout-appearance", "callout-icon", "crossref", "number-sections", "bibliography", "csl",
    "from", "language"})
# What a book reads from each chapter's own front matter; every other option is read book-wide from _quarto.yml.
PER_CHAPTER = frozenset({
    *EXECUTE_KEYS, "title", "fig-width", "fig-height", "fig-format", "fig-dpi", "tbl-colwidths", "code-annotations",
    "code-line-numbers", "code-fold", "code-summary", "code-overflow", "callout-appearance", "callout-icon",
    "editor", "editor_options", "zotero", "engine", "jupyter",
    "from",  # each chapter is read by its own reader (report.document.reader)
    # Lua filters and includes run per document (report.document.lua_filters, report.outputs.includes)
    "filters", "include-in-header", "include-before-body", "include-after-body", "html-table-processing"})


def warn_unapplied(primary: ResolvedFormat, others: list[ResolvedFormat], *, chapter: bool,
                   implemented: frozenset[str]) -> None:
    """Warn, naming file, level and option, about every option set for a document that the engine accepts and
    does not apply there: a once-per-document option that another format sets otherwise (``others``), and in a
    book (``chapter``) an option of a chapter's front matter that the engine reads book-wide."""
    from report.sources import diagnostics

    for other in others:
        for key in sorted(ONCE_PER_DOCUMENT):
            mine = other.execute.get(key) if key in EXECUTE_KEYS else other.options.get(key)
            theirs = primary.execute.get(key) if key in EXECUTE_KEYS else primary.options.get(key)
            layer = other.origin(key)
            if mine != theirs and layer is not None and layer.level.endswith("format"):
                diagnostics.warn(f"option '{key}' under {layer.where(key)} is not applied: the embedded engine runs and "
                                 f"reads a document once for all its formats, with the options of "
                                 f"'{primary.writer}'", path=layer.file)
    if chapter:
        for resolved in (primary, *others):
            for layer in resolved.layers:
                if layer.level not in ("document", "document format"):
                    continue
                for key in [*layer.options, *layer.execute]:
                    if key in implemented and key not in PER_CHAPTER:
                        diagnostics.warn(f"option '{key}' in {layer.where(key)} is not applied: in a book the embedded "
                                         f"engine reads it for every chapter from _quarto.yml", path=layer.file)
