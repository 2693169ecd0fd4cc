"""Lua filters (`filters:`), run by pandoc over the document at the points of the pipeline Quarto names.

Each entry of `filters:` (project, format and document levels, concatenated in that order as Quarto merges
lists) is a `.lua` file, `{path: F, at: POINT}`, an extension's name (its `contributes: filters:`), or the
word `quarto`: entries before it run before the engine's own transforms, entries after it after them.
`at:` places an entry explicitly. The engine reads a document once for every output, so its points are:

- ``pre-ast``: right after pandoc's Markdown reader, before the engine touches the AST;
- ``post-ast`` and ``pre-quarto`` (the default before `quarto`, and of every entry when `quarto` is not
  listed): after cell outputs are put in place, before conditional content, tabsets, code options, callouts,
  numbering and cross-references;
- ``post-quarto``, ``pre-render``, ``post-render``, ``pre-finalize`` and ``post-finalize`` (the default after
  `quarto`, which Quarto places at ``post-render``): after every document is numbered and its `@ref`s are
  resolved, so these filters see a cross-reference as Quarto's Link (class `quarto-xref`), as in Quarto.

Filters run once per output format (html, typst), so `quarto.doc.is_format` answers for that format; where the
two results differ, each becomes content visible in its own format only. Before the user's files, the engine's
own `quarto` Lua module is loaded (lua/quarto.lua): `quarto.doc.is_format`, `add_html_dependency`,
`include_text`, `include_file`, `quarto.log`, `quarto.utils.resolve_path`, `string_to_inlines`,
`quarto.metadata.get`, `quarto.variables.get`, `quarto.json`, `quarto.Callout`. Any other `quarto.*` call is a warning naming
the function and the filter file, and returns nil.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from report.document.pandoc import pandoc_path
from report.errors import ReportError
from report.sources import diagnostics
from report.sources._yaml import plain_value
from report.sources.format_names import selected_by

__all__ = ["LuaFilter", "LuaEffects", "POINTS", "FilterRun", "effects_block", "filter_entries", "run_lua",
           "lua_digest", "LUA_DIR", "split_effects", "run_lua_script"]

log = logging.getLogger("report")

LUA_DIR = Path(__file__).with_name("lua")
# Quarto's `at:` values, each mapped onto the point of this pipeline where it runs.
POINTS = {"pre-ast": "read", "post-ast": "engine", "pre-quarto": "engine", "post-quarto": "resolved",
          "pre-render": "resolved", "post-render": "resolved", "pre-finalize": "resolved",
          "post-finalize": "resolved"}
EFFECTS_CLASS = "report-lua-effects"
LUA_FORMATS = ("html", "typst")  # the writers Lua filters and shortcodes run for


def format_aliases(fmt: str, rendered_as: tuple[str, ...] | None = None) -> list[str]:
    """The names `quarto.doc.is_format` answers true to for writer ``fmt``, rendered as the formats
    ``rendered_as`` names: the names `when-format` selects it by (report.sources.format_names)."""
    return sorted(selected_by(fmt, rendered_as))


@dataclass(frozen=True)
class LuaFilter:
    path: Path  # the .lua file, absolute
    shown: Path  # as messages name it: relative to the project root
    point: str  # "read", "engine" or "resolved" (POINTS)


@dataclass(frozen=True)
class LuaEffects:
    """What Lua code did through the `quarto` module besides changing the document."""

    dependencies: tuple[Mapping[str, Any], ...] = ()  # {name, version, scripts, stylesheets, head}
    includes: tuple[tuple[str, str], ...] = ()  # (location: in-header | before-body | after-body, text)

    def merged(self, other: "LuaEffects") -> "LuaEffects":
        return LuaEffects(self.dependencies + tuple(item for item in other.dependencies
                                                    if item not in self.dependencies),
                          self.includes + tuple(item for item in other.includes if item not in self.includes))


def filter_entries(entries: list[tuple[Any, Path]], root: Path, resolve_extension) -> tuple[LuaFilter, ...]:
    """The Lua filters of ``entries`` ((value of `filters:`, the file that sets it)), in order.

    ``resolve_extension(name, origin)`` gives an extension's filter files (report.sources.extensions).
    """
    from report.sources.paths import inside_project

    filters: list[LuaFilter] = []
    after_quarto = False  # the levels' lists are one list, as Quarto concatenates them
    for value, origin in entries:
        items = value if isinstance(value, list) else [value]
        for item in items:
            at = None
            name = item
            if isinstance(item, dict):
                name, at = item.get("path"), item.get("at")
                if at is not None and at not in POINTS:
                    raise ReportError(f"filter '{name}': unknown 'at: {at}' (use {', '.join(POINTS)})", path=origin)
            if not isinstance(name, str) or not name:
                raise ReportError(f"a filters entry must be a file name or {{path: FILE, at: POINT}}, not {item!r}",
                                  path=origin)
            if name == "quarto":
                after_quarto = True
                continue
            point = POINTS[at] if at else ("resolved" if after_quarto else "engine")
            if not name.endswith(".lua"):
                extension_files = resolve_extension(name, origin)
                if extension_files is None:
                    diagnostics.warn(f"filter '{name}' is not a Lua filter; the embedded engine runs only .lua filters "
                                     f"(and extensions' filters), so it is skipped", path=origin)
                    continue
                filters.extend(LuaFilter(root / file, file, point) for file in extension_files)
                continue
            base = origin.parent if origin.name != "_quarto.yml" else Path(".")
            relative = inside_project(root, base, name, what="filter", path=origin)
            if not (root / relative).is_file():
                raise ReportError(f"filter '{name}' does not exist (looked for {relative.as_posix()})", path=origin)
            filters.append(LuaFilter(root / relative, relative, point))
    return tuple(filters)


def lua_digest(filters: tuple[LuaFilter, ...]) -> str:
    """The bytes of every filter and of the engine's Lua module, for the cache keys of what the filters touch."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(LUA_DIR.glob("*.lua")):
        digest.update(path.read_bytes())
    for item in filters:
        digest.update(item.shown.as_posix().encode() + b"\0" + item.point.encode() + b"\0" + item.path.read_bytes())
    return digest.hexdigest()


def run_lua_script(script: str, args: list[str], context: Mapping[str, Any], document_json: str | None,
                   filters_shown: list[Path], source: Path) -> tuple[str, list[str]]:
    """Run pandoc with one of the engine's Lua scripts; returns (its output, stderr lines).

    A Lua error is a ReportError naming the user's file (the first of ``filters_shown`` pandoc's message names,
    else the document) and pandoc's message.
    """
    environment = {**os.environ, "REPORT_LUA": json.dumps(context, ensure_ascii=False, default=str)}
    with tempfile.TemporaryDirectory(prefix="report-lua-") as folder:
        output = Path(folder) / "out"
        # Output to a file: a filter's print() goes to stdout and must not corrupt the document.
        command = [pandoc_path(), *args, str(LUA_DIR / script) if script.endswith(".lua") else script, "-o",
                   str(output)]
        process = subprocess.run(command, input=document_json if document_json is not None else "",
                                 capture_output=True, text=True, env=environment, cwd=context.get("root"))
        if process.returncode != 0:
            raise _lua_error(process.stderr, filters_shown, Path(context.get("root") or "."), source,
                             "filter" if script == "run_filters.lua" else "shortcode")
        return output.read_text(encoding="utf-8"), process.stderr.splitlines()


def _lua_error(stderr: str, files: list[Path], root: Path, source: Path, kind: str) -> ReportError:
    """Pandoc's message about a failed Lua run, placed at the user's file and line it names (not the engine's
    wrapper and its stack traceback)."""
    import re

    for line in stderr.split("stack traceback:")[0].splitlines():
        for file in files:
            # Lua shortens a long file name to its end, after "..."
            found = re.search(r"(\S*?)" + re.escape(file.name) + r":(\d+): (.*)", line)
            if found and str(root / file).endswith(found.group(1).removeprefix("...") + file.name):
                return ReportError(f"Lua {kind} failed while rendering {source.as_posix()}: {found.group(3)}",
                                   path=file, line=int(found.group(2)))
    message = stderr.split("stack traceback:")[0].strip() or "pandoc exited with an error"
    return ReportError(f"Lua {kind} failed while rendering {source.as_posix()}: {message}",
                       path=files[0] if len(files) == 1 else source)


def run_lua(blocks: list, filters: tuple[LuaFilter, ...], fmt: str, metadata: Mapping[str, Any],
            variables: Mapping[str, Any] | None, root: Path, document: Path,
            rendered_as: tuple[str, ...] | None = None) -> list:
    """``blocks`` after ``filters`` ran over them for output ``fmt``; their effects end the list (split_effects)."""
    from report.document.pandoc import metadata_json

    context = {"format": fmt, "aliases": format_aliases(fmt, rendered_as), "metadata": plain_value(dict(metadata)),
               "variables": plain_value(variables or {}),
               "root": str(root), "document": str(root / document), "filters": [str(item.path) for item in filters]}
    document_json = json.dumps({"pandoc-api-version": [1, 23, 1], "meta": metadata_json(plain_value(metadata)),
                                "blocks": blocks}, ensure_ascii=False)
    output, stderr = run_lua_script("run_filters.lua", ["-f", "json", "-t", "json", "--lua-filter"], context,
                                    document_json, [item.shown for item in filters], document)
    for line in stderr:
        if line.strip():
            diagnostics.warn(f"Lua filter: {line.strip()}", path=document)
    return json.loads(output)["blocks"]


def split_effects(blocks: list, root: Path, document: Path) -> tuple[list, LuaEffects]:
    """The blocks without the effects Divs (and Spans, from shortcodes) the Lua runs left, and those effects.

    The warnings are given here, after the read cache, so they come again when the blocks come from the cache.
    """
    from report.document._ast import walk

    if EFFECTS_CLASS not in json.dumps(blocks):
        return blocks, LuaEffects()
    found: list[LuaEffects] = []

    def take(node: dict) -> list | None:
        if EFFECTS_CLASS in node["c"][0][1]:
            found.append(_effects(json.loads(dict(node["c"][0][2]).get("effects", "{}")), root, document))
            return []
        return None

    kept = walk(blocks, take, {"Div", "Span"})
    effects = LuaEffects()
    for item in found:
        effects = effects.merged(item)
    return kept, effects


def _effects(recorded: Mapping[str, Any], root: Path, document: Path) -> LuaEffects:
    for warning in recorded.get("warnings") or []:
        script = warning.get("script")
        if script:  # from Lua code: named by its file
            diagnostics.warn(f"{warning.get('message')} (rendering {document.as_posix()})",
                             path=Path(os.path.relpath(script, root)))
        else:  # from the engine's own shortcodes: at the document's line
            diagnostics.warn(str(warning.get("message")), path=document, line=warning.get("line"))
    for line in recorded.get("output") or []:  # quarto.log.output: for the render's log, as Quarto prints it
        log.info("%s: %s", document.as_posix(), line)
    dependencies = tuple({"name": str(item.get("name") or "dependency"), "version": item.get("version"),
                          "scripts": list(item.get("scripts") or []),
                          "stylesheets": list(item.get("stylesheets") or []), "head": item.get("head")}
                         for item in recorded.get("dependencies") or [])
    includes = tuple((str(item.get("location")), str(item.get("text")))
                     for item in recorded.get("includes") or [])
    return LuaEffects(dependencies, includes)


def effects_block(effects: Mapping[str, Any]) -> dict:
    return {"t": "Div", "c": [["", [EFFECTS_CLASS], [["effects", json.dumps(effects, ensure_ascii=False)]]], []]}


@dataclass(frozen=True)
class FilterRun:
    """The filters of one document per output format and what they read, for the read stage (report.render.transforms)."""

    by_format: Mapping[str, tuple[LuaFilter, ...]] = field(default_factory=dict)
    variables: Mapping[str, Any] | None = None
    root: Path = Path(".")
    metadata: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # per format
    rendered_as: tuple[str, ...] | None = None  # the formats the render asks for (`pdf` or `typst`: is_format)

    @property
    def filters(self) -> tuple[LuaFilter, ...]:
        return tuple(dict.fromkeys(item for fmt in sorted(self.by_format) for item in self.by_format[fmt]))

    def at(self, point: str, blocks: list, document: Path) -> list:
        """``blocks`` after the filters of ``point``, run for every format; where the formats' results differ,
        each result is kept as content visible in its own format (report.document.conditional)."""
        chosen = {fmt: tuple(item for item in self.by_format.get(fmt, ()) if item.point == point)
                  for fmt in LUA_FORMATS}
        if not any(chosen.values()):
            return blocks
        results = {fmt: run_lua(blocks, chosen[fmt], fmt, dict(self.metadata.get(fmt, {})), self.variables,
                                self.root, document, self.rendered_as) if chosen[fmt] else blocks
                   for fmt in LUA_FORMATS}
        html, typst = results["html"], results["typst"]
        html_blocks, html_effects = [b for b in html if not _is_effects(b)], [b for b in html if _is_effects(b)]
        typst_blocks = [b for b in typst if not _is_effects(b)]
        # The HTML run's effects only: dependencies and includes are HTML's, and warnings come alike from both.
        if html_blocks == typst_blocks:
            return [*html_blocks, *html_effects]
        shorter = min(len(html_blocks), len(typst_blocks))
        start = 0
        while start < shorter and html_blocks[start] == typst_blocks[start]:
            start += 1
        end = 0
        while end < shorter - start and html_blocks[-1 - end] == typst_blocks[-1 - end]:
            end += 1

        from report.document.conditional import writer_only

        middle = [writer_only(html_blocks[start:len(html_blocks) - end], "html"),
                  writer_only(typst_blocks[start:len(typst_blocks) - end], "typst")]
        return [*html_blocks[:start], *middle, *html_blocks[len(html_blocks) - end:], *html_effects]


def _is_effects(block: dict) -> bool:
    return block.get("t") == "Div" and EFFECTS_CLASS in block["c"][0][1]
