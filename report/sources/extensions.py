"""Quarto extensions in `_extensions/`, laid out as `quarto add` installs them.

An extension is a folder `_extensions/ORG/NAME/` or `_extensions/NAME/` holding `_extension.yml`. As Quarto,
the engine looks in the `_extensions` folder beside the document and in every folder above it up to the
project root (the nearest wins). What an extension contributes:

- `shortcodes:` Lua files; their shortcodes are available in every document that sees the extension. Each
  call runs in pandoc (report.document.lua_filters, lua/run_shortcodes.lua) with the engine's `quarto`
  module, once per output format, and gets args, kwargs, meta and raw_args as Quarto hands them.
- `filters:` Lua files, run where a document's `filters:` names the extension.
- `formats:`: a document or project whose `format:` names `NAME-typst` (or `NAME-pdf`, `NAME-html`) gets the
  base format with the extension's options under its own (apply_extension_formats); `template-partials` are
  the extension's files. A whole `template:`, `format-resources`, and formats of other bases are not applied.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from report.errors import ReportError

__all__ = ["Extension", "apply_extension_formats", "extensions_for", "extension_named", "run_shortcode",
           "shortcode_scripts"]

MANIFESTS = ("_extension.yml", "_extension.yaml")


@dataclass(frozen=True)
class Extension:
    name: str  # NAME, or ORG/NAME
    folder: Path  # relative to the project root
    manifest: Mapping[str, Any]

    def contributed(self, kind: str) -> list[Any]:
        contributes = self.manifest.get("contributes") or {}
        value = contributes.get(kind) if isinstance(contributes, dict) else None
        return value if isinstance(value, list) else ([value] if value else [])

    def files(self, kind: str, root: Path) -> tuple[Path, ...]:
        """The files an extension lists under ``contributes: KIND:``, relative to the project root."""
        files = []
        for item in self.contributed(kind):
            name = item.get("path") if isinstance(item, dict) else item
            if not isinstance(name, str) or not name.endswith(".lua"):
                continue  # a JSON filter or an executable: the engine runs Lua only
            path = self.folder / name
            if not (root / path).is_file():
                raise ReportError(f"extension '{self.name}' lists {kind[:-1]} '{name}', which does not exist",
                                  path=self.folder / "_extension.yml")
            files.append(path)
        return tuple(files)


@lru_cache(maxsize=64)
def _manifest(path: Path, stamp: int) -> Mapping[str, Any]:
    from report.sources._yaml import load_yaml
    from report.sources.text import read_source

    data, _lines = load_yaml(read_source(path, path), path)
    if not isinstance(data, dict):
        raise ReportError("an extension's _extension.yml must be a YAML mapping", path=path, line=1)
    return data


def extensions_for(root: Path, document: Path) -> tuple[Extension, ...]:
    """Every extension ``document`` (relative to ``root``) sees, nearest folder first."""
    found: list[Extension] = []
    seen: set[str] = set()
    folder = (root / document).parent
    while True:
        extensions = folder / "_extensions"
        if extensions.is_dir():
            for manifest in sorted([*extensions.glob("*/_extension.y*ml"), *extensions.glob("*/*/_extension.y*ml")]):
                if manifest.name not in MANIFESTS:
                    continue
                name = manifest.parent.relative_to(extensions).as_posix()
                if name in seen:
                    continue
                seen.add(name)
                found.append(Extension(name, manifest.parent.relative_to(root),
                                       _manifest(manifest, manifest.stat().st_mtime_ns)))
        if folder == root or root not in folder.parents:
            break
        folder = folder.parent
    return tuple(found)


def extension_named(name: str, root: Path, document: Path) -> Extension | None:
    """The extension ``name`` (NAME or ORG/NAME) as Quarto resolves it from ``document``."""
    for extension in extensions_for(root, document):
        if extension.name == name or extension.name.split("/")[-1] == name:
            return extension
    return None


FORMAT_BASES = ("typst", "pdf", "html")
PATH_OPTIONS = ("template-partials",)  # options that name files of the extension


def apply_extension_formats(metadata: dict[str, Any], root: Path, source: Path) -> dict[str, Any]:
    """``metadata`` (normalised `format:`) with every `NAME-typst` (`-pdf`, `-html`) format an extension
    contributes replaced by the base format, its options the extension's under the author's own. The files the
    extension's options name (`template-partials`) are written relative to the project root ("/...")."""
    formats = metadata.get("format")
    if not isinstance(formats, dict) or not any("-" in str(name) for name in formats):
        return metadata
    rewritten: dict[str, Any] = {}
    for name, options in formats.items():
        stem, _dash, base = str(name).rpartition("-")
        extension = extension_named(stem, root, source) if stem and base in FORMAT_BASES else None
        contributed = ((extension.manifest.get("contributes") or {}).get("formats") or {}).get(base) \
            if extension is not None else None
        if not isinstance(contributed, dict):
            rewritten[name] = options
            continue
        from report.sources.config import merge_metadata

        own = dict(contributed)
        for key in PATH_OPTIONS:
            value = own.get(key)
            if value is not None:
                own[key] = ["/" + (extension.folder / str(item)).as_posix()
                            for item in (value if isinstance(value, list) else [value])]
        rewritten[base] = merge_metadata(rewritten.get(base) or {}, own, options if isinstance(options, dict) else {})
    return {**metadata, "format": rewritten}


def shortcode_scripts(root: Path, document: Path) -> tuple[Path, ...]:
    return tuple(file for extension in extensions_for(root, document) for file in extension.files("shortcodes", root))


def run_shortcode(name: str, arguments: list[str], keywords: dict[str, str], scripts: tuple[Path, ...],
                  metadata_by_format: Mapping[str, Mapping[str, Any]], variables: Mapping[str, Any] | None,
                  root: Path, document: Path) -> str | None:
    """The Markdown marker of Lua shortcode ``name``'s result, or None when no script defines it."""
    from report.document.lua_filters import LUA_FORMATS, format_aliases, run_lua_script
    from report.sources._yaml import plain_value

    results = {}
    for fmt in LUA_FORMATS:
        context = {"format": fmt, "aliases": format_aliases(fmt),
                   "metadata": plain_value(dict(metadata_by_format[fmt])),
                   "variables": plain_value(variables or {}), "root": str(root), "document": str(root / document),
                   "scripts": [str(root / script) for script in scripts],
                   "call": {"name": name, "args": arguments, "kwargs": keywords}}
        output, _stderr = run_lua_script("run_shortcodes.lua", ["-f", "json", "-t", "json", "--lua-filter"], context,
                                         '{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[]}', list(scripts),
                                         document)
        blocks = json.loads(output)["blocks"]
        if any(block["t"] == "Div" and "report-shortcode-missing" in block["c"][0][1] for block in blocks):
            return None
        results[fmt] = blocks
    from report.document.shortcode_nodes import nodes_marker

    nodes = {fmt: _result_nodes(blocks) for fmt, blocks in results.items()}
    if nodes["html"] == nodes["typst"]:
        kind, result = nodes["html"]
        return nodes_marker(**{kind: result})
    # Each output its own result, as content visible in that format only (report.document.conditional).
    from report.document.conditional import writer_only

    # A format's empty result (pandoc.Null(), nothing returned) sits in a line as well as between blocks.
    if all(kind == "inlines" or not result for kind, result in nodes.values()):
        return nodes_marker(inlines=[writer_only(result if kind == "inlines" else [], fmt, inline=True)
                                     for fmt, (kind, result) in nodes.items()])
    return nodes_marker(blocks=[writer_only(result if kind == "blocks" else [{"t": "Plain", "c": result}], fmt)
                                for fmt, (kind, result) in nodes.items()])


def _result_nodes(blocks: list) -> tuple[str, list]:
    """("inlines" or "blocks", the nodes) of a shortcode's result; what the script did through `quarto` (an HTML
    dependency, a warning) rides along as an effects Span (report.document.lua_filters.split_effects)."""
    from report.document.lua_filters import EFFECTS_CLASS

    effects = [{"t": "Span", "c": block["c"][0:1] + [[]]} for block in blocks
               if block["t"] == "Div" and EFFECTS_CLASS in block["c"][0][1] and _has_effects(block)]
    blocks = [block for block in blocks if not (block["t"] == "Div" and EFFECTS_CLASS in block["c"][0][1])]
    inline = [block for block in blocks if block["t"] == "Div" and "report-shortcode-inlines" in block["c"][0][1]]
    if inline:
        return "inlines", [*(inline[0]["c"][1][0]["c"] if inline[0]["c"][1] else []), *effects]
    return "blocks", [*blocks, {"t": "Plain", "c": effects}] if effects else blocks


def _has_effects(block: dict) -> bool:
    recorded = json.loads(dict(block["c"][0][2]).get("effects", "{}"))
    return any(recorded.get(kind) for kind in ("warnings", "dependencies", "includes"))
