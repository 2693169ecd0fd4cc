"""Reading a release's ``manifest.json``: every key ``report verify`` relies on, checked before it is used.

A manifest that is not JSON, or lacks a key, or holds a value of the wrong
type, is an error naming ``manifest.json`` and the line or the key, never a
bare ``KeyError``. Every path it holds is checked too: verify builds file
names from them, so a path that leaves its folder (absolute, ``..``, a
Windows drive or backslash, or a symbolic link out) is refused before
anything is read or written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from report.errors import ReportError

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 2  # 2: the git tag, and the release date and tag in the render's metadata
KNOWN_FORMATS = (1, 2)  # 1 lacks the tag, which the model allows to be absent
VERSION_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]*")
RELEASE_FOLDER = "the release folder"


class UnknownFormatError(ReportError):
    """A manifest of a format this engine does not know: nothing else in it can be trusted."""

    def __init__(self, found: int, *, path: Path):
        self.found = found
        super().__init__(f"key 'format': {found} is not a manifest format this engine knows "
                         f"({', '.join(map(str, KNOWN_FORMATS))})", path=path)


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True, strict=True)


class ReleaseFiles(_Model):
    pdf: str
    site: str
    docx: str | None = None  # when the book lists format docx


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


def path_problem(value: str, *, plain_name: bool = False) -> str | None:
    """Why ``value`` may not name a file inside a folder (None when it may).

    Judged on the text alone, on every platform alike, so that a manifest
    made on Linux and checked on Windows (or the other way round) gets the
    same answer. ``plain_name`` asks for a file name without folders.
    """
    if not value:
        return "is empty"
    if value.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", value):
        return "is absolute"
    if "\\" in value or ":" in value or "\0" in value:
        return "holds a backslash, a colon or a NUL (Windows path forms)"
    parts = value.split("/")
    if ".." in parts:
        return "goes up with '..'"
    if "" in parts or "." in parts:
        return "holds an empty or '.' part"
    if plain_name and len(parts) > 1:
        return "names a folder, not a file"
    return None


def _check_path(manifest_path: Path, key: str, value: str, where: str, *, plain_name: bool = False) -> None:
    problem = path_problem(value, plain_name=plain_name)
    if problem:
        raise ReportError(f"key '{key}': {value!r} {problem}: it must stay inside {where}", path=manifest_path)


def _check_paths(manifest: Manifest, path: Path) -> None:
    """Every path of the manifest stays inside its folder; a version is what ``report release`` accepts."""
    if not VERSION_PATTERN.fullmatch(manifest.version):
        raise ReportError(f"key 'version': {manifest.version!r} is not a version "
                          "(letters, digits and . _ + -); file names are made from it", path=path)
    for key in ("pdf", "site", "docx"):
        if getattr(manifest.files, key) is not None:
            _check_path(path, f"files.{key}", getattr(manifest.files, key), RELEASE_FOLDER, plain_name=True)
    for name in manifest.outputs:
        _check_path(path, "outputs", name, RELEASE_FOLDER)
    if manifest.project:
        _check_path(path, "project", manifest.project, "the repository")
    if manifest.lock_file is not None:
        _check_path(path, "lock_file", manifest.lock_file, "the project")
    if manifest.data.source == "repository" and manifest.data.path is not None:
        _check_path(path, "data.path", manifest.data.path, "the repository")


def release_file(release_dir: Path, manifest_path: Path, key: str, name: str) -> Path:
    """``release_dir / name``, refused when a symbolic link takes it out of the release folder."""
    folder = release_dir.resolve()
    target = (release_dir / name).resolve()
    if not target.is_relative_to(folder):
        raise ReportError(f"key '{key}': {name!r} leaves {RELEASE_FOLDER} through a symbolic link "
                          f"(to {target})", path=manifest_path)
    return release_dir / name


def read_manifest(path: Path) -> Manifest:
    """The manifest at ``path``; a ReportError naming the file and the line or key when it is malformed.

    An UnknownFormatError when its ``format`` is one this engine does not know.
    """
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
    found = raw.get("format")
    if isinstance(found, int) and not isinstance(found, bool) and found not in KNOWN_FORMATS:
        raise UnknownFormatError(found, path=path)
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        key = _key(first["loc"])
        if first["type"] == "missing":
            raise ReportError(f"key '{key}' is missing", path=path) from None
        raise ReportError(f"key '{key}': {first['msg']}", path=path) from None
    _check_paths(manifest, path)
    return manifest
