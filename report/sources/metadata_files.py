"""Metadata from files besides `_quarto.yml` and the front matter, merged in Quarto's order.

For the project (report.sources.project.load_project):

    _quarto.yml < its `metadata-files:` < _quarto-PROFILE.yml (each active profile) < _quarto.yml.local

- ``metadata-file:`` and ``metadata-files:`` of `_quarto.yml` are merged over it, in order (Quarto's
  ``includedMetadata``).
- The active profiles are ``--profile`` or ``$QUARTO_PROFILE`` (comma-separated), else ``profile: default:``;
  for each list of ``profile: group:`` with no member active, its first member is activated. Each active profile
  merges its ``_quarto-NAME.yml`` (or ``.yaml``); as in Quarto (``mergeProfiles``), the profile named first
  takes precedence: ``--profile a,b`` merges b's file, then a's over it. A profile without a file is still active
  (kernels see it in ``$QUARTO_PROFILE``). ``_quarto.yml.local`` comes last.

For a document (report.sources.documents.read_document):

    project < _metadata.yml of its folders < front matter < its front matter's `metadata-files:`

- ``_metadata.yml`` (or ``.yaml``) in the folders from the project root down to the document's folder, as
  Quarto's ``directoryMetadataForInputFile`` walks them: the root's own file applies to the documents in the root.
- A document's ``metadata-files:`` are relative to its folder and, as in Quarto, merged over its front matter.

Each file is checked against Quarto's schema on its own, so a wrong value is an error naming that file and
line. A file that ``metadata-files:`` names but that does not exist is a warning (Quarto skips it in silence).
Every file must lie inside the project (report.sources.paths).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from report.errors import ReportError
from report.sources import diagnostics
from report.sources._yaml import load_yaml
from report.sources.config import merge_metadata, normalise_formats
from report.sources.paths import inside_project
from report.sources.text import read_source

__all__ = ["PROFILE_ENV", "active_profiles", "directory_metadata", "included_metadata", "project_overlays"]

PROFILE_ENV = "QUARTO_PROFILE"
DIRECTORY_FILES = ("_metadata.yml", "_metadata.yaml")


def _names(text: str | list[Any] | None) -> list[str]:
    items = text.split(",") if isinstance(text, str) else [str(item) for item in text or []]
    return [item.strip() for item in items if item.strip()]


def active_profiles(requested: str | None, settings: dict[str, Any] | None) -> tuple[str, ...]:
    """The profiles in force: ``requested`` (``--profile``, else ``$QUARTO_PROFILE``), else ``profile: default:``,
    plus the first member of each ``profile: group:`` that has none active."""
    settings = settings if isinstance(settings, dict) else {}
    active = _names(requested) or _names(settings.get("default"))
    group = settings.get("group") or []
    groups = [group] if group and all(isinstance(item, str) for item in group) else \
        [item for item in group if isinstance(item, list) and item]
    for members in groups:
        if not any(str(member) in active for member in members):
            active.append(str(members[0]))
    return tuple(dict.fromkeys(active))


def read_mapping(root: Path, relative: Path, scope: str) -> dict[str, Any]:
    """A YAML file of metadata, checked against Quarto's options of ``scope`` (errors name its file and line)."""
    from report.sources.config import check_options

    data, lines = load_yaml(read_source(root / relative, relative), relative)
    if data is None or data == {}:
        return {}
    if not isinstance(data, dict):
        raise ReportError("a metadata file must be a YAML mapping", path=relative, line=1)
    check_options(data, scope=scope, source=relative, lines=lines, what=f"metadata file {relative.as_posix()}")
    return normalise_formats(data)


def included_metadata(root: Path, base: Path, metadata: dict[str, Any], origin: Path, scope: str) -> dict[str, Any]:
    """The files ``metadata-file:`` and ``metadata-files:`` of ``metadata`` (written in ``origin``, in folder
    ``base``) name, merged in that order (Quarto's ``includedMetadata``)."""
    single, names = metadata.get("metadata-file"), metadata.get("metadata-files") or []
    formats = metadata.get("format")
    for name, options in (formats.items() if isinstance(formats, dict) else ()):
        for key in ("metadata-file", "metadata-files"):
            if isinstance(options, dict) and key in options:  # Quarto reads them from the top level alone
                diagnostics.warn(f"option '{key}' under 'format: {name}:' is not applied: metadata files are read "
                                 "from the top level only, as in Quarto", path=origin)
    merged: dict[str, Any] = {}
    for name in ([single] if single else []) + ([names] if isinstance(names, str) else names):
        relative = inside_project(root, base, str(name), what="metadata file", path=origin)
        if not (root / relative).is_file():
            diagnostics.warn(f"metadata file '{name}' does not exist; nothing merged from it", path=origin)
            continue
        merged = merge_metadata(merged, read_mapping(root, relative, scope))
    return merged


def project_overlays(root: Path, active: tuple[str, ...]) -> list[tuple[Path, dict[str, Any]]]:
    """The profile files of ``active`` and `_quarto.yml.local`, in the order they merge over the project file."""
    candidates = [[f"_quarto-{name}.yml", f"_quarto-{name}.yaml"] for name in reversed(active)]
    candidates.append(["_quarto.yml.local", "_quarto.yaml.local"])
    overlays = []
    for names in candidates:
        found = next((Path(name) for name in names if (root / name).is_file()), None)
        if found is not None:
            overlays.append((found, read_mapping(root, found, "project-file")))
    return overlays


def requested_profile(requested: str | None) -> str | None:
    """``--profile``, else the environment's ``$QUARTO_PROFILE``."""
    return requested if requested else os.environ.get(PROFILE_ENV) or None


def directory_metadata(root: Path, document: Path) -> dict[str, Any]:
    """The `_metadata.yml` files that apply to ``document`` (relative to ``root``), merged from the top down."""
    merged: dict[str, Any] = {}
    folder = Path(".")
    for part in document.parent.parts or ("",):
        folder = folder / part
        found = next((folder / name for name in DIRECTORY_FILES if (root / folder / name).is_file()), None)
        if found is not None:
            relative = inside_project(root, Path("."), found.as_posix(), what="metadata file", path=document)
            rebased = _input_relative(read_mapping(root, relative, "document"), root / folder,
                                      Path(os.path.relpath(folder, document.parent)))
            merged = merge_metadata(merged, rebased)
    return merged


def _input_relative(value: Any, folder: Path, offset: Path, key: str | None = None, parent: str | None = None) -> Any:
    """A `_metadata.yml`'s values with each relative path to an existing file or folder (relative to the file's
    ``folder``) made relative to the document's folder by ``offset``, as Quarto's toInputRelativePaths does:
    `logo: ../images/logo.svg` in `sub/_metadata.yml` is `../../images/logo.svg` for `sub/deep/doc.qmd`."""
    if key == "project" or (parent == "html-math-method" and key == "method"):
        return value
    if isinstance(value, dict):
        return {name: _input_relative(item, folder, offset, name, key) for name, item in value.items()}
    if isinstance(value, list):
        return [_input_relative(item, folder, offset) for item in value]
    if isinstance(value, str) and value and not os.path.isabs(value) and (folder / value).exists():
        return (offset / value).as_posix()
    return value
