"""Reading a release's ``manifest.json``: every key ``report verify`` relies on, checked before it is used.

A manifest that is not JSON, or lacks a key, or holds a value of the wrong
type, is an error naming ``manifest.json`` and the line or the key, never a
bare ``KeyError``.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from report.errors import ReportError

MANIFEST = "manifest.json"


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True, strict=True)


class ReleaseFiles(_Model):
    pdf: str
    site: str


class RenderRecord(_Model):
    metadata: dict[str, str]
    mark: str | None = None


class DataRecord(_Model):
    source: str | None
    path: str | None
    files: dict[str, str]


class EnvironmentRecord(_Model):
    python: str | None = None
    implementation: str | None = None
    platform: str | None = None
    pandoc: str | None = None
    typst: str | None = None
    packages: dict[str, str]


class Manifest(_Model):
    format: int
    version: str
    commit: str = Field(pattern=r"^[0-9a-f]{40}$")
    tag: str | None = None
    source_date_epoch: int
    demo: bool
    project: str
    files: ReleaseFiles
    render: RenderRecord
    data: DataRecord
    lock_file: str | None = None
    inputs: dict[str, str]
    outputs: dict[str, str]
    site: dict[str, str]
    environment: EnvironmentRecord


def _key(location: tuple) -> str:
    return ".".join(str(part) for part in location)


def read_manifest(path: Path) -> Manifest:
    """The manifest at ``path``; a ReportError naming the file and the line or key when it is malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ReportError(f"not UTF-8 text ({error.reason})", path=path) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReportError(f"not valid JSON: {error.msg} (column {error.colno})",
                          path=path, line=error.lineno) from None
    if not isinstance(raw, dict):
        raise ReportError(f"must hold a JSON object, not {type(raw).__name__}", path=path)
    try:
        return Manifest.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        key = _key(first["loc"])
        if first["type"] == "missing":
            raise ReportError(f"key '{key}' is missing", path=path) from None
        raise ReportError(f"key '{key}': {first['msg']}", path=path) from None
