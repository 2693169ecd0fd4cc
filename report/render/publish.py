"""The last steps of a render: the figure export, then publishing the staged output into its folder (which
never loses a file the engine did not write, report.outputs.publish), with the build record that lets the next
unchanged render stop early (report.execution.record)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from report._draft import DEFAULT_DRAFT_MARK
from report.render.context import RenderContext
from report.render.execute import Executed, Parsed
from report.render.stages import log, stage
from report.sources import diagnostics

if TYPE_CHECKING:
    from report.document.crossref import BookDocument
    from report.execution.record import BuildRecord
    from report.outputs.publish import Published
    from report.sources.project import Project

__all__ = ["export_figures", "gathered_files", "output_target", "publish_book", "publish_gathered"]


def output_target(project: Project, output_dir: Path | None) -> Path:
    """The folder a project's output is published into: --output-dir, else the project's output-dir."""
    return Path(os.path.abspath(output_dir or project.output_dir))


def export_figures(context: RenderContext, documents: list[BookDocument], figure_files: dict[str, Path],
                   site_dir: Path) -> tuple[Path | None, dict[str, Path]]:
    """`report: figure-export:`: the figures as files of their own, built aside in ``site_dir``/figures; the
    folder they are published to and the files by name."""
    from report.outputs.figures import build_figure_export

    project, options = context.project, context.options
    if not project.config.report.figure_export:
        return None, {}
    # A render into another output folder exports there, leaving the checkout's figures alone.
    export_dir = (output_target(project, options.output_dir) / "figures" if options.output_dir
                  else project.root / project.config.report.figure_export)
    with stage("export", f"figures to {export_dir}"):
        draft_mark = (project.config.report.draft_mark or DEFAULT_DRAFT_MARK) if options.draft else None
        count, exported = build_figure_export(documents, figure_files, export_dir, site_dir / "figures", draft_mark)
    log.debug("%-8s %d figure(s)", "export", count)
    return export_dir, exported


def publish_book(context: RenderContext, parsed: Parsed, executed: Executed, files: dict[str, Path],
                 formats: dict[str, str], export: tuple[Path | None, dict[str, Path]]) -> Published:
    """The book's staged ``files`` (by output-relative path, each of the format ``formats`` names) into its output
    folder, the figure export into its own, and the build record after both."""
    from report.execution.record import forget, write_record
    from report.outputs.publish import publish

    project, options = context.project, context.options
    target = output_target(project, options.output_dir)
    export_dir, exported = export
    if options.output_dir:  # the export is part of the output folder
        files = {**files, **{f"figures/{name}": file for name, file in exported.items()}}
        formats = {**formats, **{f"figures/{name}": "figures" for name in exported}}
    record = _build_record(context, parsed, executed, target)
    if record is not None:
        forget(record.root, record.key)  # until the new one is written: a crash in between renders next time
    with stage("publish", str(target), folder=target):
        published = publish(target, files, formats, root=project.root, data_dir=project.data_dir)
        published_folders = [target]
        if export_dir is not None and not options.output_dir:
            publish(export_dir, exported, dict.fromkeys(exported, "figures"), root=project.root,
                    data_dir=project.data_dir)
            published_folders.append(export_dir)
        if record is not None:
            collector = diagnostics.current()
            write_record(record, published_folders, result=(target,), warnings=[
                (None if item.path is None else str(item.path), item.line, item.message)
                for item in (collector.warnings if collector else ())])
    log.debug("%-8s %d file(s) written, %d unchanged, %d removed", "publish", len(published.written),
              len(published.unchanged), len(published.removed))
    return published


def gathered_files(folder: Path, part: str = "") -> tuple[dict[str, Path], dict[str, str]]:
    """A website's rendered files in ``folder`` and their formats for publishing (the PDF and .typ: typst)."""
    files = {file.relative_to(folder).as_posix(): file for file in sorted(folder.rglob("*")) if file.is_file()}
    return files, {relative: ("typst" if relative.endswith((".pdf", ".typ")) else "html") + part for relative in files}


def publish_gathered(project: Project, target: Path, folder: Path, part: str = "") -> Published:
    """A website's pages rendered into ``folder`` published into ``target``; ``part``: the formats' suffix that
    makes one page's files a format of their own (its old files go, the other pages' stay)."""
    from report.outputs.publish import publish

    files, formats = gathered_files(folder, part)
    with stage("publish", str(target), folder=target):
        return publish(target, files, formats, root=project.root, data_dir=project.data_dir)


def _build_record(context: RenderContext, parsed: Parsed, executed: Executed, target: Path) -> BuildRecord | None:
    """What this render read, for skipping the next one; None when a document's results were not cached."""
    from report.execution._fingerprints import path_fingerprint
    from report.execution.record import BuildRecord
    from report.sources.title_block import is_special_date

    if context.record is None or None in executed.dependencies:
        return None
    project = context.project
    book = project.config.book
    if book is not None and is_special_date(context.options.metadata.get("date", book.date)):
        return None  # `date: today`, `now` or `last-modified` may change with no change the record sees
    settings = project.config.report.data
    root = project.root
    # The sources' own reads, in the form of a document's dependencies: files outside the tree (the tree's
    # files are recorded anyway) and the variables `{{< env >}}` looked up, set or not.
    files = sorted({os.path.normpath(root / path) for path in parsed.source_files})
    sources = {"paths": {file: path_fingerprint(file) for file in files}, "listings": {},
               "env": context.environment.read()}
    return BuildRecord(root=root, key=context.record.key, epoch=context.epoch,
                       env_names=tuple(sorted({"SOURCE_DATE_EPOCH", *((settings.env,) if settings else ())})),
                       dependencies=(*executed.dependencies, sources),
                       listing_ignored=frozenset({*executed.output_names, target.name}),
                       tree_at_start=context.record.tree_at_start)
