"""The render: parse -> execute -> assemble -> transforms -> writers -> export -> publish.

``render`` chooses the mode once (report.render.modes), skips a book whose inputs all match its last build
record, and runs the steps below, each in report/render/. Output is built in a work folder beside the target and
published only when every step has succeeded, so a failed render leaves the previous good output untouched.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from report.errors import ReportError
from report.render.context import RecordTarget, RenderContext
from report.render.execute import Executed, Parsed, execute, parse
from report.render.modes import Book, DefaultProject, RenderMode, Website, WebsitePage, choose_mode
from report.render.options import RenderOptions, RenderResult
from report.render.stages import build_folder, log, source_date_epoch, stage
from report.sources import diagnostics

if TYPE_CHECKING:
    from report.render.writing import WriteJob
    from report.sources.project import Project
    from report.sources.qmd import QmdDocument

__all__ = ["RenderOptions", "RenderResult", "render", "source_date_epoch", "stage"]


def render(path: Path | None = None, options: RenderOptions = RenderOptions()) -> RenderResult:
    """Render the project book (``path`` None or a folder) or one document (``path`` a .qmd, .md or .ipynb file).

    Warnings about the sources are collected (report.sources.diagnostics) and returned with the result;
    with ``options.strict`` or ``report: strict: true`` the first one stops the render as an error.

    A book render whose inputs all match the build record of the last render with the same options stops
    after that check and leaves the output untouched (report.execution.record); the warnings that render gave are
    given again.
    """
    path = Path(path or ".").resolve()
    if options.profile is None:  # $QUARTO_PROFILE chooses the configuration, so it is part of the record's key
        from report.sources.metadata_files import requested_profile

        options = replace(options, profile=requested_profile(None))
    record = None
    if not path.is_file() and _recordable(options):
        from report.execution.record import find_root, record_key, up_to_date

        record_root = find_root(path) or path
        with stage("check", "inputs against the last build record"):
            key = record_key(record_root, options)
            unchanged = up_to_date(record_root, key, source_date_epoch(record_root))
        if unchanged is not None:
            log.info("%-8s nothing changed since the last render; the output is untouched", "check")
            warnings = tuple(diagnostics.Warning(Path(where) if where is not None else None, line, message)
                             for where, line, message in unchanged.warnings)
            for item in warnings:
                diagnostics.log_warning(item)
            return RenderResult(outputs=unchanged.outputs, executed=(), warnings=warnings)
        record = (record_root, key)
    with diagnostics.collecting(strict=options.strict) as collector:
        result = _render(path, options, record, collector)
    return replace(result, warnings=tuple(collector.warnings))


def _render(path: Path, options: RenderOptions, record: tuple[Path, str] | None, collector: diagnostics.Collector,
            *, root: Path | None = None, gathered: Path | None = None) -> RenderResult:
    """Render ``path`` in its project (``root``: the project of a default project's document);
    ``gathered``: the folder a whole-site render collects the website's pages in."""
    from report.render.projects import render_default_project, render_website
    from report.sources.project import find_project_root, load_project

    base = path.parent if path.is_file() else path
    project = load_project(root or find_project_root(base) or base, data_dir=options.data_dir,
                           profile=options.profile)
    if project.config.report.strict:
        collector.make_strict()
    if not path.is_file() and options.output_file is not None:
        raise ReportError(f"--output '{options.output_file}' names the output file of one document; a project's "
                          "output goes to its output-dir (or --output-dir)")
    mode = WebsitePage(path, gathered) if gathered else choose_mode(path, project, options.output_dir)
    if isinstance(mode, Website):
        return render_website(project, options, lambda page, folder: _render(page, options, None, collector,
                                                                             gathered=folder))
    if isinstance(mode, DefaultProject):
        return render_default_project(project, options, lambda document, each: _render(document, each, None,
                                                                                       collector, root=project.root))
    return _render_documents(_context(project, mode, options, record))


def _render_documents(context: RenderContext) -> RenderResult:
    """A book, or one document: the pipeline."""
    from report.document.assemble import assemble_markdown
    from report.render.figures import figure_files, source_images
    from report.render.transforms import run_transforms
    from report.render.writing import WriteJob, check_writers

    parsed = parse(context)
    context, documents = _with_front_matter(context, parsed)
    executed = execute(context, documents)
    assembled = [assemble_markdown(doc, result, context.document_options(doc).execute)
                 for doc, result in zip(executed.documents, executed.results)]
    transformed = run_transforms(context, executed.documents, assembled)
    images = source_images(transformed, context.project)  # an image outside the project fails `report check` too
    if not context.options.formats:  # `report check`: everything resolved, nothing written
        check_writers(context)
        return RenderResult(outputs=(), executed=executed.executed)
    with build_folder(context.project.root, context.options.persistent) as build_dir:
        job = WriteJob(context, transformed, figure_files(context, assembled, images, build_dir), build_dir,
                       tuple(zip(executed.documents, assembled)))
        if isinstance(context.mode, Book):
            return _write_book(job, parsed, executed)
        return _write_document(job, executed)


def _context(project: Project, mode: RenderMode, options: RenderOptions,
             record: tuple[Path, str] | None) -> RenderContext:
    """The render's context; a book's formats come from _quarto.yml alone (a document's also from its front matter,
    after parsing), and a folder the engine may not replace is refused at once, not after minutes."""
    from report.outputs.publish import check_replaceable
    from report.render.publish import output_target
    from report.sources.project import ChapterEntry

    if isinstance(mode, Book):
        entries = tuple(project.chapters)
        options = replace(options, formats=_formats(options, [(project.metadata, Path("_quarto.yml"))]))
        if options.formats:
            check_replaceable(output_target(project, options.output_dir), project.root, project.data_dir)
    else:
        entries = (ChapterEntry(mode.path.relative_to(project.root)),)
    target = None
    if record is not None and record[0] == project.root:
        from report.execution.record import tree_snapshot

        target = RecordTarget(record[1], tree_snapshot(project.root))
    return RenderContext(project, entries, options, mode, target)


def _with_front_matter(context: RenderContext, parsed: Parsed) -> tuple[RenderContext, list[QmdDocument]]:
    """A single document's front matter chooses its formats and counts as much as the project's settings."""
    from report.sources.notebook_title import with_notebook_title

    if isinstance(context.mode, Book):
        return context, list(parsed.documents)
    doc = with_notebook_title(parsed.documents[0])
    formats = _formats(context.options, [(context.project.metadata, Path("_quarto.yml")),
                                         (doc.metadata, context.entries[0].path)])
    return context.for_document(doc, formats), [doc]


def _write_book(job: WriteJob, parsed: Parsed, executed: Executed) -> RenderResult:
    """Every format into a staging site, the figure export beside it, then both published."""
    from report.render.publish import export_figures, output_target, publish_book
    from report.render.writing import write_book

    site_dir = job.build_dir / "site"  # the new book, published from here file by file
    shutil.rmtree(site_dir, ignore_errors=True)
    site_dir.mkdir(parents=True)
    files, formats = write_book(job, site_dir)
    export = export_figures(job.context, job.documents, job.figure_files, site_dir)
    published = publish_book(job.context, parsed, executed, files, formats, export)
    target = output_target(job.context.project, job.context.options.output_dir)
    return RenderResult(outputs=(target,), executed=executed.executed, written=published.written)


def _write_document(job: WriteJob, executed: Executed) -> RenderResult:
    """One document's outputs: beside its source (or into --output-dir, as Quarto), into a whole-site render's
    gathered pages, or, a website's page, published into the site's output folder."""
    from report.render.publish import publish_gathered
    from report.render.writing import write_document

    context = job.context
    mode, project, entry = context.mode, context.project, context.entries[0].path
    if isinstance(mode, WebsitePage) and mode.gathered is not None:
        outputs = write_document(job, mode.gathered / entry.parent)
    elif isinstance(mode, WebsitePage):
        # The page's files are a format of their own, so that its old figures go and the other pages stay.
        staging = job.build_dir / "page"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        written = write_document(job, staging / entry.parent)
        publish_gathered(project, project.output_dir, staging, part=f":{entry.as_posix()}")
        outputs = [project.output_dir / output.relative_to(staging) for output in written]
    else:
        output_dir = context.options.output_dir
        outputs = write_document(job, Path(os.path.abspath(output_dir)) if output_dir else mode.path.parent)
    return RenderResult(outputs=tuple(outputs), executed=executed.executed)


def _formats(options: RenderOptions, layers: list[tuple[dict[str, Any], Path]]) -> tuple[str, ...]:
    """The formats this render writes: ``--to`` or the ones ``layers`` (metadata, its file) list."""
    from report.sources import formats as quarto_formats

    return quarto_formats.resolve_formats(options.formats, quarto_formats.listed_formats(
        *(metadata for metadata, _ in layers)), layers)


def _recordable(options: RenderOptions) -> bool:
    """Renders that may be skipped: with the execution cache (its dependencies are part of the record).

    Not `report check` (no formats): it writes nothing, and is run to see its errors and warnings."""
    return (options.formats != () and options.use_cache and not options.refresh and options.execute is None
            and not options.persistent)
