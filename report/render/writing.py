"""The writers step: each format asked for, written by the writer the format registry names for it
(report.sources.format_names: ``Writer.module``).

A writer module has
- ``EXTENSION``: its output file's extension (``.html``);
- ``write_book(job, folder) -> dict[str, Path]``: the book's output into ``folder``, which is published as the
  writer's format; it returns the other files published with it (the HTML pages' figures, say);
- ``write_document(job, folder, name) -> Path``: one document's output, named ``name``, into ``folder``;
- optionally ``check(context)``: what ``report check`` reads of it without writing (its house style, say).
Book writers run at once in threads: they share nothing but the read-only, numbered documents.
"""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Callable

from report.errors import ReportError
from report.render.context import RenderContext
from report.sources import format_names

if TYPE_CHECKING:
    from report.document.assemble import AssembledDocument
    from report.document.crossref import BookDocument
    from report.sources.qmd import QmdDocument

__all__ = ["WriteJob", "check_writers", "document_output_name", "write_book", "write_document", "write_staged",
           "writer_module"]


@dataclass(frozen=True)
class WriteJob:
    """What every writer reads: the numbered documents and the files they show."""

    context: RenderContext
    documents: list[BookDocument]
    figure_files: dict[str, Path]  # by output-relative path (report.render.figures)
    build_dir: Path  # this render's own work folder (report.render.stages.build_folder)
    sources: tuple[tuple[QmdDocument, AssembledDocument], ...]  # the parsed and assembled sources, in order


def writer_module(fmt: str) -> ModuleType:
    """The module that writes the format ``fmt`` (an alias such as ``pdf`` names its writer's)."""
    name = format_names.writer_of(fmt)
    writer = next((item for item in format_names.WRITERS if item.name == name), None)
    if writer is None:
        raise ReportError(f"unknown output format '{fmt}' (use "
                          f"{format_names.spoken_list(format_names.rendered_names())})")
    if writer.module is None:
        raise ReportError(f"format '{fmt}' has no writer module in the format registry (report.sources.format_names)")
    return importlib.import_module(writer.module)


def check_writers(context: RenderContext) -> None:
    """`report check`: what every registered writer reads before it writes (its house style), read and checked."""
    for writer in format_names.WRITERS:
        check = getattr(writer_module(writer.name), "check", None) if writer.module else None
        if check is not None:
            check(context)


def write_book(job: WriteJob, site_dir: Path) -> tuple[dict[str, Path], dict[str, str]]:
    """Every format asked for, each into ``site_dir``/its writer's name; the files to publish by output-relative
    path and the format each belongs to."""
    asked = {format_names.writer_of(fmt) for fmt in job.context.options.formats or ()}
    writers = [writer for writer in format_names.WRITERS if writer.name in asked]
    with ThreadPoolExecutor(max_workers=max(1, len(writers))) as pool:
        futures = [pool.submit(writer_module(writer.name).write_book, job, site_dir / writer.name)
                   for writer in writers]
        published_with = {writer.name: future.result() for writer, future in zip(writers, futures)}
    files: dict[str, Path] = {}
    formats: dict[str, str] = {}
    for writer in format_names.WRITERS:
        folder = site_dir / writer.name
        for file in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if file.is_file():
                relative = file.relative_to(folder).as_posix()
                files[relative] = file
                formats[relative] = writer.name
        extra = published_with.get(writer.name) or {}
        files.update(extra)
        formats.update(dict.fromkeys(extra, writer.name))
    return files, formats


def write_document(job: WriteJob, folder: Path) -> list[Path]:
    """A single document in every format asked for, into ``folder``: each output beside the others."""
    folder.mkdir(parents=True, exist_ok=True)
    outputs = []
    for fmt in job.context.options.formats or ():
        outputs.append(writer_module(fmt).write_document(job, folder, document_output_name(job, fmt)))
    return outputs


def write_staged(output: Path, write: Callable[[Path], None]) -> Path:
    """``write(file)`` into a staging file beside ``output``, which replaces ``output`` only when it is whole: the
    old file stays until then."""
    staging_file = output.with_name(f".{output.name}.staging")
    try:
        write(staging_file)
        staging_file.replace(output)
    finally:
        staging_file.unlink(missing_ok=True)
    return output


def document_output_name(job: WriteJob, fmt: str) -> str:
    """The file format ``fmt`` writes for one document: its name with the format's `output-ext` (Quarto's: a typst
    render with `output-ext: typ` writes the typst source as its output), else the writer's own extension."""
    chosen = job.context.resolved(fmt).get("output-ext")
    return _output_name(job, f".{str(chosen).lstrip('.')}" if chosen else writer_module(fmt).EXTENSION)


def _output_name(job: WriteJob, extension: str) -> str:
    """The file name a single document is written to: ``--output`` (its extension added when it has none), else
    the source's name with the format's extension."""
    options = job.context.options
    if options.output_file is None:
        return f"{job.context.mode.path.stem}{extension}"
    name = options.output_file
    if Path(name).name != name or name in {".", ".."}:
        raise ReportError(f"--output '{name}' names a path: it takes a file name only; use --output-dir for the "
                          "folder (as in Quarto)")
    if Path(name).suffix and len(options.formats) > 1:
        raise ReportError(f"--output '{name}' names one file, but the document renders {len(options.formats)} "
                          f"formats ({', '.join(options.formats)}): choose one with --to")
    return name if Path(name).suffix else f"{name}{extension}"
