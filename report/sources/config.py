"""Strict models of the Quarto configuration the embedded engine understands.

`_quarto.yml`, document front matter and cell options are parsed into frozen
models that reject unknown keys: a typo such as ``nuber-sections`` is an
error with the file, the line and a suggestion, never silently ignored.
Keys that Quarto knows but this engine does not implement are rejected the
same way, so that nothing renders differently from Quarto in silence.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from report.sources._yaml import KeyPath
from report.errors import ReportError

__all__ = [
    "BookConfig", "CellOptions", "DocumentConfig", "ExecuteOptions", "FormatOptions",
    "PartEntry", "ProjectConfig", "ReportSettings", "merge_metadata", "parse_model",
]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=_kebab, populate_by_name=True)


Authors = Union[str, list[str], list[dict[str, Any]]]


class ExecuteOptions(_Strict):
    echo: bool | None = None
    eval: bool | None = None
    output: bool | Literal["asis"] | None = None
    warning: bool | None = None
    error: bool | None = None
    include: bool | None = None


class FormatOptions(_Strict):
    """Options under ``format: html:`` or ``format: typst:`` (and shared top-level ones)."""

    number_sections: bool | None = None
    toc: bool | None = None
    toc_depth: int | None = Field(default=None, ge=1, le=6)
    toc_title: str | None = None
    fig_width: float | None = Field(default=None, gt=0)
    fig_height: float | None = Field(default=None, gt=0)
    keep_typ: bool | None = None
    papersize: str | None = None
    fontsize: str | None = None
    margin: dict[str, str] | None = None
    template_partials: list[str] | None = None
    lof: bool | None = None
    lot: bool | None = None
    css: str | list[str] | None = None


class PartEntry(_Strict):
    part: str
    chapters: list[str]


class BookConfig(_Strict):
    title: str
    subtitle: str | None = None
    author: Authors | None = None
    date: str | None = None
    output_file: str | None = None
    description: str | None = None
    chapters: list[Union[str, PartEntry]]
    appendices: list[str] = []


class ProjectSection(_Strict):
    type: Literal["book", "default"] = "default"
    output_dir: str | None = None
    execute_dir: Literal["file", "project"] | None = None


class DataSettings(_Strict):
    env: str = "REPORT_DATA"
    demo: str | None = None
    demo_mark: str = "DEMO"


class ReportSettings(_Strict):
    """Settings of the embedded engine itself; Quarto treats them as plain metadata."""

    data: DataSettings | None = None
    cell_timeout: int = Field(default=600, gt=0)
    output_limit: int = Field(default=10_000_000, gt=0)  # bytes of output one cell may produce
    draft_mark: str | None = None  # the mark on every page of a `--draft` render (default: DRAFT)
    figure_export: str | None = None  # folder for SVG + 300-dpi PNG + sidecar of every numbered figure
    checks: list[str] = []  # Python modules run by `report check` (python -m MODULE) before a release


class _Formats(_Strict):
    html: FormatOptions | None = None
    typst: FormatOptions | None = None


class _Metadata(FormatOptions):
    """Metadata that may stand at project level, in front matter, or both."""

    title: str | None = None
    subtitle: str | None = None
    author: Authors | None = None
    date: str | None = None
    lang: str | None = None
    abstract: str | None = None
    bibliography: str | list[str] | None = None
    csl: str | None = None
    execute: ExecuteOptions | None = None
    format: _Formats | None = None
    jupyter: str | None = None
    engine: Literal["jupyter"] | None = None


class ProjectConfig(_Metadata):
    project: ProjectSection = ProjectSection()
    book: BookConfig | None = None
    report: ReportSettings = ReportSettings()


class DocumentConfig(_Metadata):
    pass


class CellOptions(_Strict):
    label: str | None = None
    echo: bool | None = None
    eval: bool | None = None
    output: bool | Literal["asis"] | None = None
    include: bool | None = None
    warning: bool | None = None
    error: bool | None = None
    fig_cap: str | list[str] | None = None
    fig_alt: str | list[str] | None = None
    tbl_cap: str | None = None
    fig_width: float | None = Field(default=None, gt=0)
    fig_height: float | None = Field(default=None, gt=0)
    layout_ncol: int | None = Field(default=None, ge=1)


def _known_keys(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """Follow a pydantic error location down the model tree, for key suggestions."""
    current: Any = model
    for part in loc:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return None
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        current = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _is_union_tag(part: Any) -> bool:
    """Pydantic inserts the tried member type into error locations of unions; keys never look like that."""
    return isinstance(part, str) and (part[:1].isupper() or "[" in part or part in {"str", "bool", "int", "float"}
                                      or part.startswith("function-"))


def normalise_formats(data: Any) -> Any:
    """``format: html: default`` is Quarto shorthand for an empty option set."""
    if isinstance(data, dict) and isinstance(data.get("format"), dict):
        data = dict(data)
        data["format"] = {name: ({} if value in ("default", None) else value) for name, value in data["format"].items()}
    return data


def parse_model(model: type[_Strict], data: Any, *, source: Path, lines: dict[KeyPath, int],
                what: str, key_prefix: KeyPath = ()):
    """Validate ``data`` against ``model``; raise one ReportError listing every problem with its line."""
    try:
        return model.model_validate(normalise_formats(data) if data is not None else {})
    except ValidationError as error:
        problems: list[tuple[int | None, str]] = []
        for item in error.errors():
            loc = tuple(part for part in item["loc"] if not _is_union_tag(part))
            key_path = key_prefix + loc
            line = None
            for depth in range(len(key_path), -1, -1):
                if key_path[:depth] in lines:
                    line = lines[key_path[:depth]]
                    break
            dotted = ".".join(str(part) for part in loc) or "(top level)"
            if item["type"] == "extra_forbidden":
                parent = _model_at(model, loc[:-1])
                known = _known_keys(parent) if parent else []
                close = difflib.get_close_matches(str(loc[-1]), known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                message = f"unknown key '{dotted}' in {what}{hint}; the embedded engine supports: {', '.join(known)}"
            else:
                message = f"invalid value for '{dotted}' in {what}: {item['msg']}"
            problems.append((line, message))
        first_line = problems[0][0]
        if len(problems) == 1:
            raise ReportError(problems[0][1], path=source, line=first_line) from None
        listing = "\n".join(f"  line {line}: {message}" for line, message in problems)
        raise ReportError(f"{len(problems)} problems in {what}:\n{listing}", path=source, line=first_line) from None


def merge_metadata(*layers: dict[str, Any]) -> dict[str, Any]:
    """Merge metadata as Quarto does: later layers win, mappings merge key by key."""
    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in (layer or {}).items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = merge_metadata(merged[key], value)
            else:
                merged[key] = value
    return merged
