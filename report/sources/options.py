"""Quarto's configuration model: known options checked by type, unknown keys kept as metadata.

For every key of `_quarto.yml`, front matter, ``format: FORMAT:``, ``execute:``, ``project:``, ``book:`` and
cell options, in this order:

1. A key Quarto knows (report/sources/quarto_options.yml) must have a value of the type Quarto accepts;
   otherwise it is an error naming file, line, key, the value given and what is expected.
2. A known key that the embedded engine does not implement gets one warning ("ignored by the embedded
   engine") and the render goes on. **An option is implemented when it is a field of the pydantic model for
   its level** (report/sources/config.py): adding the field there is the one line that marks it implemented.
3. Any other key is metadata, as in Quarto and pandoc. One that is one or two edits away from a known option
   at the same level gets a "did you mean" warning.
"""

from __future__ import annotations

import datetime
import functools
import json
from pathlib import Path
from typing import Any, Mapping

import yaml
from pydantic import BaseModel

from report.sources import diagnostics
from report.sources._yaml import KeyPath
from report.sources.format_names import writer_of

__all__ = ["SCHEMA_FILE", "closest", "describe", "known_options", "latex_only", "matches", "model_keys",
           "review"]

SCHEMA_FILE = Path(__file__).with_name("quarto_options.yml")


@functools.lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return yaml.load(SCHEMA_FILE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def known_options(scope: str) -> dict[str, Any]:
    """Quarto's options at one level: ``document``, ``cell``, ``execute``, ``project``, ``book``, ``project-file``."""
    schema = _schema()
    if scope == "project-file":
        return {**schema["document"], **schema["project-file"]}
    return schema[scope]


def latex_only() -> frozenset[str]:
    return frozenset(_schema()["latex-only"])


def model_keys(model: type[BaseModel] | None) -> frozenset[str]:
    if model is None:
        return frozenset()
    return frozenset(field.alias or name for name, field in model.model_fields.items())


def matches(schema: Any, value: Any) -> bool:
    """Does ``value`` fit ``schema``, written in Quarto's schema language (see quarto_options.yml)?"""
    if isinstance(schema, str):
        if schema == "any":
            return True
        if schema == "null":
            return value is None
        if value is None:  # an empty key (`toc:`) means "unset" in YAML metadata, as Quarto reads it
            return True
        return {
            "boolean": lambda: isinstance(value, bool),
            "string": lambda: isinstance(value, str),
            "path": lambda: isinstance(value, str),
            "number": lambda: isinstance(value, (int, float)) and not isinstance(value, bool),
            "object": lambda: isinstance(value, dict),
            "date": lambda: isinstance(value, (datetime.date, datetime.datetime)),
        }[schema]()
    if schema is None:
        return value is None
    if "enum" in schema:
        return value is None or any(_same(value, item) for item in schema["enum"])
    if "anyOf" in schema:
        return any(matches(option, value) for option in schema["anyOf"])
    if "arrayOf" in schema:
        return value is None or isinstance(value, list) and all(matches(schema["arrayOf"], item) for item in value)
    if "maybeArrayOf" in schema:
        inner = schema["maybeArrayOf"]
        return matches(inner, value) or isinstance(value, list) and all(matches(inner, item) for item in value)
    raise ValueError(f"unknown schema form {schema!r} in {SCHEMA_FILE.name}")


def _same(value: Any, item: Any) -> bool:
    """Enum membership as YAML authors mean it: ``pdf-standard: 1.7`` is the enum's "1.7"; true is not 1."""
    if isinstance(value, bool) or isinstance(item, bool):
        return value is item
    return value == item or str(value) == str(item)


def describe(schema: Any) -> str:
    """What a value of ``schema`` looks like, for error messages."""
    if isinstance(schema, str):
        return {"boolean": "true or false", "string": "a string", "path": "a file path", "number": "a number",
                "object": "a mapping", "date": "a date", "any": "any value", "null": "nothing"}[schema]
    if schema is None:
        return "nothing"
    if "enum" in schema:
        if len(schema["enum"]) == 1:
            return _show(schema["enum"][0])
        return "one of " + ", ".join(_show(item) for item in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(describe(option) for option in schema["anyOf"])
    if "arrayOf" in schema:
        return f"a list of ({describe(schema['arrayOf'])})"
    if "maybeArrayOf" in schema:
        inner = describe(schema["maybeArrayOf"])
        return f"{inner}, or a list of them"
    return "any value"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str, ensure_ascii=False)


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    return previous[-1]


def closest(key: str, known: set[str] | frozenset[str]) -> str | None:
    """The known name one or two edits away from ``key`` (one for names of four letters or fewer), if any."""
    limit = 1 if len(key) <= 4 else 2
    scored = sorted((_edits(key, name), name) for name in known if abs(len(name) - len(key)) <= limit)
    return scored[0][1] if scored and scored[0][0] <= limit else None


def normalise_formats(value: Any) -> Any:
    """Every form of ``format:`` Quarto accepts, as a mapping of format name to options.

    ``format: html``, ``format: [html, typst]``, ``format: {html: default}`` and ``format: {html: {toc: true}}``.
    """
    if isinstance(value, str):
        return {value: {}}
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return {item: {} for item in value}
    if isinstance(value, dict):
        return {name: ({} if options in ("default", None) else options) for name, options in value.items()}
    return value


class _Review:
    def __init__(self, source: Path, lines: dict[KeyPath, int], what: str, prefix: KeyPath,
                 models: Mapping[str, type[BaseModel]]):
        self.models = models  # the config model of each nested level (report.sources.config.REVIEW_MODELS)
        self.source = source
        self.lines = lines
        self.what = what
        self.prefix = prefix
        self.errors: list[tuple[int | None, str]] = []

    def line(self, path: KeyPath) -> int | None:
        full = self.prefix + path
        for depth in range(len(full), -1, -1):
            if full[:depth] in self.lines:
                return self.lines[full[:depth]]
        return None

    def walk(self, mapping: Any, scope: str, model: type[BaseModel] | None, path: KeyPath = (),
             fmt: str | None = None) -> None:
        if not isinstance(mapping, dict):
            return
        known = known_options(scope)
        implemented = model_keys(model)
        for key, value in mapping.items():
            here = path + (key,)
            dotted = ".".join(str(part) for part in here)
            if not isinstance(key, str):
                continue
            if key in known:
                if not matches(known[key], value):
                    self.errors.append((self.line(here), f"invalid value for '{dotted}' in {self.what}: "
                                                         f"{_show(value)} given, expected {describe(known[key])}"))
                    continue
                if key not in implemented and not (fmt == "pdf" and key in latex_only()):
                    diagnostics.warn(f"option '{dotted}' is ignored by the embedded engine", path=self.source,
                                     line=self.line(here))
                self.descend(key, value, scope, model, here)
            elif key not in implemented:
                suggestion = closest(key, set(known) | implemented)
                if suggestion is not None:
                    diagnostics.warn(f"unknown option '{dotted}' in {self.what} is kept as metadata "
                                     f"(did you mean '{suggestion}'?)", path=self.source, line=self.line(here))

    def descend(self, key: str, value: Any, scope: str, model: type[BaseModel] | None, here: KeyPath) -> None:
        models = self.models
        if key == "format" and scope in {"document", "project-file"}:
            for fmt, options in (normalise_formats(value) or {}).items():
                if writer_of(str(fmt)) is not None:  # every document option may stand under `format:` too
                    self.walk(options, "document", models["document"], here + (fmt,), fmt=fmt)
        elif key == "execute":
            self.walk(value, "execute", models["execute"], here)
        elif key == "project" and scope == "project-file":
            self.walk(value, "project", models["project"], here)
        elif key == "book" and scope == "project-file":
            self.walk(value, "book", models["book"], here)
        elif key == "website" and scope == "project-file":
            self.walk(value, "website", models["website"], here)
        elif key == "navbar" and scope == "website":
            self.walk(value, "website-navbar", models["website-navbar"], here)
        elif key == "sidebar" and scope == "website":
            for index, sidebar in enumerate(value) if isinstance(value, list) else [(None, value)]:
                self.walk(sidebar, "website-sidebar", models["website-sidebar"],
                          here if index is None else here + (index,))


def review(data: Any, *, scope: str, model: type[BaseModel], models: Mapping[str, type[BaseModel]], source: Path,
           lines: dict[KeyPath, int], what: str, key_prefix: KeyPath = ()) -> list[tuple[int | None, str]]:
    """Check ``data`` against Quarto's schema for ``scope``; warn as above; return the type errors found.
    ``models``: the config model of each nested level, which the caller (report.sources.config) owns."""
    checker = _Review(source, lines, what, key_prefix, models)
    checker.walk(data, scope, model)
    return checker.errors
