"""The first two steps of a render: parse the sources (with their includes and embeds), then execute them,
from the cache where it still holds, else in kernels run in parallel (report.execution.run)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from report._draft import DRAFT_ENV
from report.errors import ReportError
from report.render.context import RenderContext
from report.render.stages import stage

if TYPE_CHECKING:
    from report.execution.execute import ExecutionResult, ExecutionSettings
    from report.sources.qmd import QmdDocument
    from report.sources.resolved import ResolvedFormat

__all__ = ["Executed", "Parsed", "execute", "parse"]


@dataclass(frozen=True)
class Parsed:
    documents: list[QmdDocument]
    # The files the documents were read from, relative to the project root: each document, the files it
    # includes and the notebooks and documents it embeds (and theirs); for the build record.
    source_files: frozenset[Path]


@dataclass(frozen=True)
class Executed:
    documents: list[QmdDocument]  # the parsed documents, with the outputs of what they embed filled in
    results: list[ExecutionResult]  # per document, in order
    executed: tuple[Path, ...]  # documents whose cells ran in a kernel
    # What the build record needs of every document that runs: the cache's dependencies (report.execution.record);
    # None for a document executed on every render (no freeze or cache): no record then.
    dependencies: tuple[dict[str, Any] | None, ...]
    output_names: frozenset[str]  # the engine's output folders, left out of listings


def parse(context: RenderContext) -> Parsed:
    from report.sources.documents import read_document
    from report.sources.parameters import inject_parameters
    from report.sources.shortcodes import ShortcodeContext

    project = context.project
    with stage("parse", f"{len(context.entries)} document(s)"):
        book = project.config.book
        # `{{< meta book.x >}}` reads the book's values as the model holds them (dates as written, parts read).
        metadata = dict(project.metadata)
        if book:
            metadata["book"] = {**(metadata.get("book") or {}), **book.model_dump(by_alias=True, exclude_none=True)}
        shortcodes = replace(ShortcodeContext.for_project(project.root, metadata),
                             environment=context.environment, data_dirs=project.data_folders)
        documents = [inject_parameters(read_document(project.root, entry.path, shortcodes), context.options.params)
                     for entry in context.entries]
        return Parsed(documents, frozenset(_source_files(documents)))


def execute(context: RenderContext, documents: list[QmdDocument]) -> Executed:
    """Results for every document, in order: from the cache where it still holds, else from kernels run in
    parallel (report.execution.run)."""
    from report.document.assemble import assemble_markdown
    from report.document.pandoc import cache_markdown_asts, markdown_to_ast
    from report.document.reader import reader_format
    from report.execution.cache import CACHE_DIR, ExecutionCache
    from report.execution.policy import ExecutionOverride, execution_policy
    from report.execution.run import ExecutionJob, execute_documents
    from report.sources.documents import executes, stored_result
    from report.sources.shortcodes import EmbeddedCell

    project, options = context.project, context.options
    # Documents that `{{< embed doc.qmd#label >}}` names run too (once, also when not rendered themselves).
    rendered = {doc.path for doc in documents}
    embedded = {}
    for doc in documents:
        for chunk in doc.chunks:
            if isinstance(chunk, EmbeddedCell) and chunk.document is not None and chunk.source not in rendered:
                embedded.setdefault(chunk.source, chunk.document)
    override = (ExecutionOverride.NO_EXECUTE if options.execute is False
                else ExecutionOverride.EXECUTE if options.execute
                else ExecutionOverride.REFRESH if options.refresh else None)
    forced = options.execute is True  # --execute runs notebooks too, as in Quarto
    jobs = []
    for doc in [*documents, *embedded.values()]:
        resolved = context.document_options(doc)
        runs = executes(doc, resolved.execute, forced) and _needs_kernel(doc, resolved.execute)
        policy = execution_policy(dict(resolved.execute), whole_project=context.mode.whole_project,
                                  override=override)
        jobs.append(ExecutionJob(doc, _execution_settings(context, doc, resolved) if runs else None, policy))
    outputs = {project.output_dir.name, *((options.output_dir.name,) if options.output_dir else ()),
               *((Path(project.config.report.figure_export).parts[0],)
                 if project.config.report.figure_export else ())}
    cache = ExecutionCache(project.root, enabled=options.use_cache, refresh=options.refresh,
                           output_names=frozenset(outputs))
    cache_markdown_asts(project.root / CACHE_DIR / "pandoc" if options.use_cache else None)

    def read_ahead(doc: QmdDocument, result: ExecutionResult) -> None:
        # Fills the Markdown -> AST cache while other documents still run; the read stage then finds it.
        # (Not for a document with embeds from a .qmd: its outputs are filled in after every run.)
        pending = any(isinstance(chunk, EmbeddedCell) and chunk.outputs is None for chunk in doc.chunks)
        if options.use_cache and doc.path in rendered and not pending:
            try:
                resolved = context.document_options(doc)
                markdown_to_ast(assemble_markdown(doc, result, resolved.execute).markdown, doc.path,
                                reader_format(resolved.get("from"), doc.path))
            except ReportError:
                pass  # reported by the read stage, in document order

    results, executed = execute_documents(jobs, project.root, cache, options.jobs, read_ahead)
    dependencies = tuple(cache.used.get(job.doc.path.as_posix()) if job.policy.reuses else None
                         for job in jobs if job.settings is not None)
    by_path = {job.doc.path: result for job, result in zip(jobs, results)}
    documents = list(documents)
    for index, doc in enumerate(documents):  # fill in the embeds' outputs, now that their documents ran
        if any(isinstance(chunk, EmbeddedCell) and chunk.outputs is None for chunk in doc.chunks):
            documents[index] = replace(doc, chunks=tuple(
                chunk.with_results(by_path[chunk.source].outputs)
                if isinstance(chunk, EmbeddedCell) and chunk.outputs is None else chunk for chunk in doc.chunks))
    # .md documents, and notebooks not asked to execute, keep what they hold (report.sources.documents).
    kept = [result if executes(doc, context.document_options(doc).execute, forced) else stored_result(doc)
            for doc, result in zip(documents, results[:len(documents)])]
    return Executed(documents, kept, tuple(executed), dependencies, frozenset(outputs))


def _needs_kernel(doc: QmdDocument, defaults: Mapping[str, Any]) -> bool:
    from report.sources.resolved import cell_option

    evaluated = [cell for cell in doc.cells if cell_option(cell.options, defaults, "eval", True)]
    return bool(evaluated or doc.inline)


def _execution_settings(context: RenderContext, doc: QmdDocument, options: ResolvedFormat) -> ExecutionSettings:
    from report.execution.execute import ExecutionSettings
    from report.execution.isolation import project_cache_environment, project_environment
    from report.execution.kernelspecs import document_kernel

    project = context.project
    source = project.root / doc.path
    cwd = project.root if project.config.project.execute_dir == "project" else source.parent
    # No SOURCE_DATE_EPOCH here: matplotlib would stamp it into every SVG, so each commit would
    # re-execute every document with a figure; the stamp is stripped from figures instead (assemble).
    # REPORT_DRAFT is always set, so a value inherited from the shell cannot make a render a draft.
    env = {**project.data_environment(), **project_environment(project.root), "PYTHONHASHSEED": "0",
           DRAFT_ENV: "1" if context.options.draft else "0"}
    if project.profiles:  # as Quarto: code can ask which profiles are active
        env["QUARTO_PROFILE"] = ",".join(project.profiles)
    if context.options.use_cache:  # --no-cache: no cache of any kind, the project's own included
        env.update(project_cache_environment(project.root))
    return ExecutionSettings(
        cwd=cwd, env=env, timeout=context.options.cell_timeout or project.config.report.cell_timeout,
        output_limit=context.options.output_limit or project.config.report.output_limit,
        fig_width=float(options.get("fig-width", 7)), fig_height=float(options.get("fig-height", 5)),
        defaults=dict(options.execute), fig_format=str(options.get("fig-format", "svg")),
        fig_dpi=int(options.get("fig-dpi")) if options.get("fig-dpi") else None,
        kernel=document_kernel(doc, project.metadata.get("jupyter")))


def _source_files(documents: list[QmdDocument]) -> set[Path]:
    from report.sources.shortcodes import EmbeddedCell

    files: set[Path] = set()
    pending = list(documents)
    while pending:
        doc = pending.pop()
        if doc.path in files:
            continue
        files.add(doc.path)
        files.update(origin.path for origin in (doc.line_map.origins if doc.line_map else ()))
        for chunk in doc.chunks:
            if isinstance(chunk, EmbeddedCell):
                files.add(chunk.source)
                if chunk.document is not None and chunk.document.path not in files:
                    pending.append(chunk.document)
    return files
