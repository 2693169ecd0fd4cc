"""What a render is asked (RenderOptions: the command line's flags) and what it gives back (RenderResult)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from report.sources import diagnostics

__all__ = ["RenderOptions", "RenderResult"]


@dataclass(frozen=True)
class RenderOptions:
    formats: tuple[str, ...] | None = None  # None: the formats the project and document list (report.sources.formats)
    output_dir: Path | None = None
    data_dir: Path | None = None
    metadata: dict[str, str] = field(default_factory=dict)  # -M key:value
    mark: str | None = None
    draft: bool = False  # --draft: kernels see REPORT_DRAFT=1, every page carries report.draft-mark
    cell_timeout: int | None = None
    output_limit: int | None = None  # --output-limit: bytes of output one cell may produce
    jobs: int | None = None  # documents executed at once; None: one per core
    use_cache: bool = True  # False: --no-cache, neither read nor write the execution cache
    refresh: bool = False  # --cache-refresh (--refresh): execute everything again and store the new results
    execute: bool | None = None  # --execute (True) / --no-execute (False); None: each document's policy
    persistent: bool = False  # `report preview`: one stable build folder and a warm typst compiler across renders
    strict: bool = False  # --strict: every warning is an error (report.sources.diagnostics)
    # -P / --execute-params: values injected after each document's parameters cell (report.sources.parameters)
    params: dict[str, Any] = field(default_factory=dict)
    # --profile (else $QUARTO_PROFILE, read by render()): the project profiles asked for (report.sources.metadata_files)
    profile: str | None = None
    output_file: str | None = None  # --output: a single document's output file name, in its output folder


@dataclass(frozen=True)
class RenderResult:
    outputs: tuple[Path, ...]
    executed: tuple[Path, ...]  # documents whose cells ran in a kernel
    written: tuple[str, ...] = ()  # files of the book written anew (changed), relative to its output folder
    warnings: tuple[diagnostics.Warning, ...] = ()
