"""The render pipeline: a logged sequence of named stages from sources to `_book/`.

parse -> execute -> assemble -> read -> number -> html -> pdf -> publish.
Output is built in a staging folder beside the target and swapped in only
when every stage has succeeded, so a failed render leaves the previous
good output untouched.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator

from report import __version__
from report.document.assemble import AssembledDocument, assemble_markdown
from report.document.blocks import (bibliography_keys, check_citations, check_unsupported, prepare_callouts,
                           resolve_html_outputs)
from report.sources.config import merge_metadata
from report.document.article import article_heading_shift, chapter_title_heading
from report.document.crossref import BookDocument, index_entries, number_book, resolve_references
from report.document.xref_options import crossref_settings
from report.errors import ReportError
from report.execution.execute import ExecutionResult, ExecutionSettings
from report.execution.isolation import project_environment
from report.outputs.figures import export_figures
from report.outputs.html import HtmlSite, write_html
from report.outputs._floats_html import math_arguments
from report.sources.language import format_date, labels as language_labels
from report.document.pandoc import markdown_to_ast
from report.sources.project import ChapterEntry, Project, find_project_root, load_project
from report.sources.shortcodes import EmbeddedCell, ShortcodeContext, metadata_for_format
from report.document import authoring
from report.sources import diagnostics, formats as quarto_formats
from report.sources.documents import executes, read_document, stored_result
from report.sources.options import known_options
from report.sources.qmd import QmdDocument
from report.outputs.colophon import colophon_entries
from report._disk import DISK_FULL, disk_full_error
from report._draft import DEFAULT_DRAFT_MARK, DRAFT_ENV
from report.outputs.typst import compile_pdf, write_typst

__all__ = ["RenderOptions", "RenderResult", "render", "source_date_epoch"]

log = logging.getLogger("report")
FORMATS = ("html", "typst")


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
    refresh: bool = False  # --refresh: execute everything again and store the new results
    persistent: bool = False  # `report preview`: one stable build folder and a warm typst compiler across renders
    strict: bool = False  # --strict: every warning is an error (report.sources.diagnostics)


@dataclass(frozen=True)
class RenderResult:
    outputs: tuple[Path, ...]
    executed: tuple[Path, ...]  # documents whose cells ran in a kernel
    warnings: tuple[diagnostics.Warning, ...] = ()


@contextmanager
def stage(name: str, detail: str = "", folder: Path | None = None) -> Iterator[None]:
    """Log a pipeline stage; a full disk inside it becomes an error naming the stage and ``folder``."""
    started = time.perf_counter()
    log.info("%-8s %s", name, detail)
    try:
        yield
    except OSError as error:
        if error.errno in DISK_FULL:
            raise disk_full_error(name, error, folder) from None
        raise
    log.debug("%-8s done in %.2f s", name, time.perf_counter() - started)


def source_date_epoch(root: Path) -> int:
    """SOURCE_DATE_EPOCH, else the last commit's time, else 0: never the wall clock."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    process = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True)
    if process.returncode == 0 and process.stdout.strip():
        return int(process.stdout.strip())
    return 0


def _format_options(project: Project, fmt: str) -> dict[str, Any]:
    return quarto_formats.format_options(project.metadata, fmt)


def _execute_defaults(project: Project, doc: QmdDocument) -> dict[str, Any]:
    merged = merge_metadata({"execute": project.metadata.get("execute") or {}},
                            {"execute": doc.metadata.get("execute") or {}})
    return merged["execute"]


def _needs_kernel(doc: QmdDocument, defaults: dict[str, Any]) -> bool:
    evaluated = [cell for cell in doc.cells
                 if (cell.options.eval if cell.options.eval is not None else defaults.get("eval", True))]
    return bool(evaluated or doc.inline)


class _Pipeline:
    def __init__(self, project: Project, entries: list[ChapterEntry], options: RenderOptions):
        self.project = project
        self.entries = entries
        self.options = options
        self.labels = language_labels(project.lang)
        self.executed: list[Path] = []
        self.epoch = source_date_epoch(project.root)
        self.document_metadata: dict[str, Any] = {}  # front matter of a single rendered document

    def parse(self) -> list[QmdDocument]:
        with stage("parse", f"{len(self.entries)} document(s)"):
            documents = []
            book = self.project.config.book
            context = ShortcodeContext.for_project(self.project.root, merge_metadata(
                self.project.metadata, {"book": book.model_dump(by_alias=True, exclude_none=True)} if book else {}))
            for entry in self.entries:
                documents.append(read_document(self.project.root, entry.path, context))
            return documents

    def execute(self, documents: list[QmdDocument]) -> list[ExecutionResult]:
        """Results for every document, in order: from the cache where it still holds, else from kernels run in
        parallel (report.execution.run)."""
        from report.execution.cache import CACHE_DIR, ExecutionCache
        from report.document.pandoc import cache_markdown_asts
        from report.execution.run import ExecutionJob, execute_documents

        # Documents that `{{< embed doc.qmd#label >}}` names run too (once, also when not rendered themselves).
        rendered = {doc.path for doc in documents}
        embedded = {}
        for doc in documents:
            for chunk in doc.chunks:
                if isinstance(chunk, EmbeddedCell) and chunk.document is not None and chunk.source not in rendered:
                    embedded.setdefault(chunk.source, chunk.document)
        jobs = []
        for doc in [*documents, *embedded.values()]:
            defaults = _execute_defaults(self.project, doc)
            runs = executes(doc, self.project.metadata) and _needs_kernel(doc, defaults)
            jobs.append(ExecutionJob(doc, self.execution_settings(doc, defaults) if runs else None))
        outputs = {self.project.output_dir.name, *((self.options.output_dir.name,) if self.options.output_dir else ()),
                   *((Path(self.project.config.report.figure_export).parts[0],)
                     if self.project.config.report.figure_export else ())}
        cache = ExecutionCache(self.project.root, enabled=self.options.use_cache, refresh=self.options.refresh,
                               output_names=frozenset(outputs))
        cache_markdown_asts(self.project.root / CACHE_DIR / "pandoc" if self.options.use_cache else None)

        def read_ahead(doc: QmdDocument, result: ExecutionResult) -> None:
            # Fills the Markdown -> AST cache while other documents still run; the read stage then finds it.
            # (Not for a document with embeds from a .qmd: its outputs are filled in after every run.)
            pending = any(isinstance(chunk, EmbeddedCell) and chunk.outputs is None for chunk in doc.chunks)
            if self.options.use_cache and doc.path in rendered and not pending:
                try:
                    markdown_to_ast(assemble_markdown(doc, result, _execute_defaults(self.project, doc)).markdown,
                                    doc.path)
                except ReportError:
                    pass  # reported by the read stage, in document order

        results, executed = execute_documents(jobs, self.project.root, cache, self.options.jobs, read_ahead)
        self.executed.extend(executed)
        by_path = {job.doc.path: result for job, result in zip(jobs, results)}
        for index, doc in enumerate(documents):  # fill in the embeds' outputs, now that their documents ran
            if any(isinstance(chunk, EmbeddedCell) and chunk.outputs is None for chunk in doc.chunks):
                documents[index] = replace(doc, chunks=tuple(
                    chunk.with_results(by_path[chunk.source].outputs)
                    if isinstance(chunk, EmbeddedCell) and chunk.outputs is None else chunk for chunk in doc.chunks))
        # .md documents, and notebooks not asked to execute, keep what they hold (report.sources.documents).
        return [result if executes(doc, self.project.metadata) else stored_result(doc)
                for doc, result in zip(documents, results[:len(documents)])]

    def execution_settings(self, doc: QmdDocument, defaults: dict[str, Any]) -> ExecutionSettings:
        source = self.project.root / doc.path
        cwd = self.project.root if self.project.config.project.execute_dir == "project" else source.parent
        # No SOURCE_DATE_EPOCH here: matplotlib would stamp it into every SVG, so each commit would
        # re-execute every document with a figure; the stamp is stripped from figures instead (assemble).
        # REPORT_DRAFT is always set, so a value inherited from the shell cannot make a render a draft.
        env = {**self.project.data_environment(), **project_environment(self.project.root), "PYTHONHASHSEED": "0",
               DRAFT_ENV: "1" if self.options.draft else "0"}
        html_options = _format_options(self.project, "html")
        figures = metadata_for_format(self.project.metadata, doc.metadata, "html")  # fig-format, fig-dpi
        return ExecutionSettings(
            cwd=cwd, env=env, timeout=self.options.cell_timeout or self.project.config.report.cell_timeout,
            output_limit=self.options.output_limit or self.project.config.report.output_limit,
            fig_width=float(html_options.get("fig-width") or self.project.metadata.get("fig-width") or 7),
            fig_height=float(html_options.get("fig-height") or self.project.metadata.get("fig-height") or 5),
            defaults=defaults, fig_format=str(figures.get("fig-format") or "svg"),
            fig_dpi=int(figures["fig-dpi"]) if figures.get("fig-dpi") else None)

    def read(self, entry: ChapterEntry, doc: QmdDocument, assembled: AssembledDocument) -> BookDocument:
        ast = markdown_to_ast(assembled.markdown, doc.path)
        blocks = resolve_html_outputs(ast["blocks"], assembled.html_outputs, doc.path)
        by_format = {fmt: metadata_for_format(self.project.metadata, merge_metadata(doc.metadata, self.options.metadata),
                                              fmt) for fmt in FORMATS}
        blocks = authoring.prepare(blocks, by_format, self.labels, doc.path, doc.line_of)
        check_unsupported(blocks, doc.path, doc.line_of)
        blocks = prepare_callouts(blocks, self.labels, by_format["html"], doc.path, doc.line_of)
        if self.project.is_book:
            blocks = chapter_title_heading(blocks, doc.metadata.get("title"))
        return BookDocument(source=entry.path, blocks=blocks, line_of=doc.line_of, part=entry.part,
                            appendix=entry.appendix)

    def metadata(self, fmt: str) -> dict[str, Any]:
        config = self.project.config
        book = config.book
        document = self.document_metadata
        options = merge_metadata(
            {key: value for key, value in self.project.metadata.items() if key not in {"format", "execute"}},
            _format_options(self.project, fmt),
            {key: value for key, value in document.items() if key not in {"format", "execute"}},
            quarto_formats.format_options(document, fmt))
        authors = (book.author if book else options.get("author")) or []
        if isinstance(authors, str):
            authors = [authors]
        authors = [_author_name(author) for author in authors]
        title = book.title if book else (options.get("title") or "")
        subtitle = book.subtitle if book else options.get("subtitle")
        date = book.date if book else options.get("date")
        colophon = colophon_entries({**options, **self.options.metadata}, self.labels, self.lang, title=title,
                                    subtitle=subtitle, authors=authors, demo=self.project.is_demo,
                                    made_with=f"report {__version__}")
        mark = self.options.mark or " · ".join(filter(None, (
            (self.project.config.report.draft_mark or DEFAULT_DRAFT_MARK) if self.options.draft else None,
            self.project.demo_mark)))
        metadata = {
            "title": title, "subtitle": subtitle, "author": authors, "lang": self.lang,
            # Quarto hands templates normalised authors as by-author; the partials use that form.
            "by-author": [{"name": {"literal": author}} for author in authors],
            "date": format_date(str(date), self.lang) if date else None,
            "papersize": options.get("papersize"), "toc": bool(options.get("toc")),
            "toc-title": options.get("toc-title") or self.labels["toc"], "toc-depth": options.get("toc-depth"),
            "lof": options.get("lof", bool(book)), "lof-title": self.labels["lof"],
            "lot": options.get("lot", bool(book)), "lot-title": self.labels["lot"],
            "mark": mark, **colophon, "link-citations": True,
            "reference-section-title": None,
        }
        # Open metadata (keys Quarto does not know), project < format < document, for templates and {{< meta >}}.
        metadata.update({key: _plain_metadata(value) for key, value in options.items()
                         if key not in metadata and key not in known_options("project-file")})
        metadata.update({key: value for key, value in self.options.metadata.items()})
        return {key: value for key, value in metadata.items() if value not in (None, "")}

    def pdf_standards(self) -> list[str]:
        """``pdf-standard``: project < its typst (or pdf) format < document < the document's format."""
        document = quarto_formats.format_options(self.document_metadata, "typst")
        top = [{key: metadata[key]} if key in metadata else {}
               for metadata, key in ((self.project.metadata, "pdf-standard"), (self.document_metadata, "pdf-standard"))]
        merged = merge_metadata(top[0], _format_options(self.project, "typst"), top[1], document)
        origin = self.entries[0].path if "pdf-standard" in document or top[1] else Path("_quarto.yml")
        return quarto_formats.pdf_standards(merged, origin)

    @property
    def lang(self) -> str:
        return self.document_metadata.get("lang") or self.project.lang

    def use_document(self, doc: QmdDocument) -> None:
        """A single document's front matter counts as much as the project's settings (project < document)."""
        self.document_metadata = doc.metadata
        self.labels = language_labels(self.lang)

    def bibliography(self) -> tuple[list[Path], Path | None]:
        """Bibliography files and CSL style; paths are relative to the file that names them."""
        files: list[Path] = []
        style: Path | None = None
        for metadata, base, origin in ((self.project.metadata, self.project.root, "_quarto.yml"),
                                       (self.document_metadata, self.project.root / self.entries[0].path.parent,
                                        self.entries[0].path.as_posix())):
            named = metadata.get("bibliography")
            for name in [named] if isinstance(named, str) else (named or []):
                if not (base / name).is_file():
                    raise ReportError(f"bibliography file '{name}' does not exist", path=origin)
                files.append(base / name)
            if metadata.get("csl"):
                if not (base / metadata["csl"]).is_file():
                    raise ReportError(f"CSL style '{metadata['csl']}' does not exist", path=origin)
                style = base / metadata["csl"]
        return files, style

    def pandoc_args(self) -> list[str]:
        files, style = self.bibliography()
        if not files:
            return []
        return ["--citeproc", *(f"--bibliography={file}" for file in files)] + ([f"--csl={style}"] if style else [])


def _author_name(author: Any) -> str:
    """An author as Quarto accepts one: a string, or a mapping whose name is a string or {given, family}."""
    if isinstance(author, str):
        return author
    name = author.get("name", "") if isinstance(author, dict) else ""
    if isinstance(name, dict):
        return name.get("literal") or " ".join(part for part in (name.get("given"), name.get("family")) if part)
    return str(name)


def _plain_metadata(value: Any) -> Any:
    """YAML values as pandoc metadata takes them (dates become ISO strings)."""
    if isinstance(value, dict):
        return {key: _plain_metadata(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_metadata(item) for item in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return str(value)


def _stage_dir(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))


def _publish(staging: Path, target: Path) -> None:
    """Swap the finished build into place; the old output is removed only after the swap."""
    backup = None
    if target.exists():
        backup = target.with_name(f".{target.name}.previous")
        if backup.exists():
            shutil.rmtree(backup)
        target.rename(backup)
    staging.rename(target)
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def render(path: Path | None = None, options: RenderOptions = RenderOptions()) -> RenderResult:
    """Render the project book (``path`` None or a folder) or one document (``path`` a .qmd, .md or .ipynb file).

    Warnings about the sources are collected (report.sources.diagnostics) and returned with the result;
    with ``options.strict`` or ``report: strict: true`` the first one stops the render as an error.
    """
    with diagnostics.collecting(strict=options.strict) as collector:
        result = _render(Path(path or ".").resolve(), options, collector)
    return RenderResult(outputs=result.outputs, executed=result.executed, warnings=tuple(collector.warnings))


def _render(path: Path, options: RenderOptions, collector: diagnostics.Collector) -> RenderResult:
    single = path.is_file()
    root = find_project_root(path.parent if single else path) or (path.parent if single else path)
    project = load_project(root, data_dir=options.data_dir)
    if project.config.report.strict:
        collector.make_strict()
    if single:
        entries = [ChapterEntry(path.relative_to(root))]
    elif project.is_book:
        entries = list(project.chapters)
    else:
        raise ReportError("no book to render: _quarto.yml needs 'project: type: book' (or name a .qmd file)",
                          path=root / "_quarto.yml")
    pipeline = _Pipeline(project, entries, options)
    parsed = pipeline.parse()
    if single:
        pipeline.use_document(parsed[0])
    layers = [(project.metadata, Path("_quarto.yml"))] + ([(parsed[0].metadata, entries[0].path)] if single else [])
    formats = quarto_formats.resolve_formats(options.formats, quarto_formats.listed_formats(
        *(metadata for metadata, _ in layers)), layers)
    options = replace(options, formats=formats)
    pipeline.options = options
    assembled = [assemble_markdown(doc, result, _execute_defaults(project, doc))
                 for doc, result in zip(parsed, pipeline.execute(parsed))]

    # Each render works in a folder of its own, so renders in one checkout never share files; a preview
    # keeps one folder for its whole session, so typst can recompile incrementally.
    (project.root / ".report-build").mkdir(parents=True, exist_ok=True)
    if options.persistent:
        build_dir = project.root / ".report-build" / f"preview-{os.getpid()}"
        build_dir.mkdir(exist_ok=True)
        return _render_documents(pipeline, parsed, assembled, entries, single, path, options, build_dir)
    build_dir = Path(tempfile.mkdtemp(prefix="run-", dir=project.root / ".report-build"))
    try:
        return _render_documents(pipeline, parsed, assembled, entries, single, path, options, build_dir)
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)


def _render_documents(pipeline: "_Pipeline", parsed: list[QmdDocument], assembled: list[AssembledDocument],
                      entries: list[ChapterEntry], single: bool, path: Path, options: RenderOptions,
                      build_dir: Path) -> RenderResult:
    project = pipeline.project
    with stage("read", "Markdown to pandoc AST"):
        documents = [pipeline.read(entry, doc, piece) for entry, doc, piece in zip(entries, parsed, assembled)]
    with stage("number", "chapters, sections, figures, tables, cross-references"):
        index_file = project.root / ".report-build" / "xref-index.json"
        lone_chapter = single and project.is_book
        book_index = json.loads(index_file.read_text(encoding="utf-8")) if lone_chapter and index_file.is_file() else {}
        own_number = None
        if lone_chapter:
            entry = next((item for item in project.chapters if item.path == entries[0].path), None)
            documents[0].appendix = bool(entry and entry.appendix)
            documents[0].part = entry.part if entry else None
            own_number = next((value["number"] for value in book_index.values() if value["page"] == documents[0].page
                               and value["kind"] in {"chapter", "appendix"}), None)
        numbering = merge_metadata(project.metadata, _format_options(project, "html"),
                                   parsed[0].metadata if single else {})
        crossref = crossref_settings(_format_metadata(pipeline, "html"), pipeline.labels, pipeline.lang,
                                     typst_metadata=_format_metadata(pipeline, "typst"))
        targets = number_book(documents, pipeline.labels, book=not single or project.is_book,
                              number_sections=bool(numbering.get("number-sections", not single or project.is_book)),
                              chapter_number=own_number, settings=crossref,
                              pdf_ua=quarto_formats.requests_ua(pipeline.pdf_standards()))
        elsewhere = None
        if lone_chapter:
            page_dir = project.root / entries[0].path.parent
            elsewhere = {key: {**value, "page": os.path.relpath(project.output_dir / value["page"], page_dir)}
                         for key, value in book_index.items() if key not in targets}
        resolve_references(documents, targets, pipeline.labels, elsewhere, settings=crossref)
        if not single:
            index_file.parent.mkdir(parents=True, exist_ok=True)
            index_file.write_text(json.dumps(index_entries(targets, documents), ensure_ascii=False, indent=1),
                                  encoding="utf-8")
        keys = bibliography_keys(pipeline.bibliography()[0])
        for document, doc in zip(documents, parsed):
            check_citations(document.blocks, keys, doc.path, doc.line_of)
    if not options.formats:  # `report check`: everything resolved, nothing written
        return RenderResult(outputs=(), executed=tuple(pipeline.executed))
    figure_files: dict[str, Path] = {}
    figure_root = build_dir / "figures"
    for entry, piece in zip(entries, assembled):
        for relative, content in piece.figures.items():
            output_relative = (entry.path.parent / relative).as_posix()
            file = figure_root / output_relative
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(content)
            figure_files[output_relative] = file
    figure_files.update(_source_images(documents, project.root, figure_files))
    outputs: list[Path] = []
    if single:
        return _render_single(pipeline, documents, figure_files, path, options, outputs, build_dir)

    target = (options.output_dir or project.output_dir).resolve()
    staging = _stage_dir(target)
    try:
        def html_stage() -> None:
            with stage("html", f"{len(documents)} page(s)", folder=staging):
                site = _site(pipeline, sidebar=True)
                math = math_arguments(_format_metadata(pipeline, "html"))
                write_html(documents, site, staging, pipeline.pandoc_args() + math, pipeline.metadata("html"),
                           figure_files)

        def pdf_stage() -> None:
            with stage("pdf", f"{project.output_file}.pdf", folder=staging):
                _write_pdf(pipeline, documents, figure_files, build_dir, staging / f"{project.output_file}.pdf")
                if _format_options(project, "typst").get("keep-typ"):
                    shutil.copyfile(build_dir / "book.typ", staging / f"{project.output_file}.typ")

        stages = [stage_function for wanted, stage_function in (
            ("html" in options.formats, html_stage),
            ("typst" in options.formats or "pdf" in options.formats, pdf_stage)) if wanted]
        # The two formats share nothing but the read-only AST; their pandoc runs and typst overlap.
        with ThreadPoolExecutor(max_workers=max(1, len(stages))) as pool:
            for future in [pool.submit(stage_function) for stage_function in stages]:
                future.result()
        with stage("publish", str(target), folder=target):
            _publish(staging, target)
        if project.config.report.figure_export:
            # A render into another output folder exports there, leaving the checkout's figures alone.
            export_dir = (target / "figures" if options.output_dir
                          else project.root / project.config.report.figure_export)
            with stage("export", f"figures to {export_dir}"):
                count = export_figures(documents, figure_files, export_dir)
            log.debug("%-8s %d figure(s)", "export", count)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    outputs.append(target)
    return RenderResult(outputs=tuple(outputs), executed=tuple(pipeline.executed))


def _source_images(documents: list[BookDocument], root: Path, known: dict[str, Path]) -> dict[str, Path]:
    """Images referenced from Markdown sources, so they are copied beside the pages that show them."""
    from report.document._ast import walk

    found: dict[str, Path] = {}
    for doc in documents:
        def visit(node, doc=doc):
            if node["t"] == "Image":
                target = node["c"][2][0]
                relative = (doc.source.parent / target).as_posix()
                if "://" not in target and relative not in known and (root / relative).is_file():
                    found[relative] = root / relative
            return None

        walk(doc.blocks, visit, {"Image"})
    return found


def _site(pipeline: _Pipeline, sidebar: bool) -> HtmlSite:
    metadata = pipeline.metadata("html")
    return HtmlSite(title=metadata.get("title", ""), subtitle=metadata.get("subtitle"),
                    authors=tuple(metadata.get("author", [])), date=metadata.get("date"), lang=pipeline.lang,
                    labels=pipeline.labels, mark=metadata.get("mark"), toc=bool(metadata.get("toc", True)),
                    sidebar=sidebar, article=not sidebar and not pipeline.project.is_book)


def _partials(project: Project) -> dict[str, Path]:
    names = _format_options(project, "typst").get("template-partials") or []
    names = [names] if isinstance(names, str) else names
    partials = {}
    for name in names:
        path = project.root / name
        if not path.is_file():
            raise ReportError(f"template partial '{name}' does not exist", path="_quarto.yml")
        partials[path.name] = path
    return partials


def _write_pdf(pipeline: _Pipeline, documents: list[BookDocument], figure_files: dict[str, Path], build_dir: Path,
               output: Path) -> None:
    project = pipeline.project
    metadata = pipeline.metadata("typst")
    standards = pipeline.pdf_standards()
    ua = quarto_formats.requests_ua(standards)
    if ua and not metadata.get("title"):
        raise ReportError("missing document title: PDF/UA-1 requires one (set 'title:' in the front matter, or "
                          "'book: title:')", path=documents[0].source if len(documents) == 1 else "_quarto.yml")
    typ = write_typst(documents, build_dir, project.root, metadata, _partials(project),
                      pipeline.pandoc_args(), pipeline.labels, require_alt=ua,
                      heading_shift=article_heading_shift(documents, metadata, book=project.is_book))
    root = _typst_root(typ, figure_files, build_dir)
    compile_pdf(root / typ.name, output, root, pipeline.epoch, reuse=pipeline.options.persistent,
                standards=standards)


def _typst_root(typ: Path, figure_files: dict[str, Path], build_dir: Path) -> Path:
    """typst reads files only below its root: a root holding the source and every image under its book path.

    Files are rewritten only when their bytes changed, so a warm compiler (preview) sees what really changed.
    """
    root = build_dir / "root"
    wanted = {root / relative: file for relative, file in figure_files.items()}
    wanted[root / typ.name] = typ
    if root.exists():
        for existing in [path for path in root.rglob("*") if path.is_file() and path not in wanted]:
            existing.unlink()
    for destination, file in wanted.items():
        content = file.read_bytes()
        if not destination.is_file() or destination.read_bytes() != content:
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(content)
    return root


def _render_single(pipeline: _Pipeline, documents: list[BookDocument], figure_files: dict[str, Path], path: Path,
                   options: RenderOptions, outputs: list[Path], build_dir: Path) -> RenderResult:
    for fmt in options.formats:
        if fmt == "html":
            staging = _stage_dir(path.parent / ".report-single")
            try:
                site = _site(pipeline, sidebar=False)
                doc = documents[0]
                write_html([BookDocument(source=Path(doc.source.name), blocks=doc.blocks, line_of=doc.line_of,
                                         title=doc.title, sections=doc.sections, number=doc.number)],
                           site, staging, pipeline.pandoc_args() + math_arguments(
                               _format_metadata(pipeline, "html")),
                           pipeline.metadata("html"),
                           {Path(relative).relative_to(doc.source.parent).as_posix() if relative.startswith(
                               doc.source.parent.as_posix()) else relative: file
                            for relative, file in figure_files.items()})
                for item in staging.iterdir():
                    destination = path.parent / item.name
                    if destination.is_dir() and item.name == f"{path.stem}_files":
                        shutil.rmtree(destination)  # the engine's own figure folder: replaced whole
                    elif destination.is_dir():
                        # a folder of the author's (source images): add to it, never delete what is there
                        shutil.copytree(item, destination, dirs_exist_ok=True)
                        continue
                    item.replace(destination)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            outputs.append(path.with_suffix(".html"))
        elif fmt in {"typst", "pdf"}:
            output = path.with_suffix(".pdf")
            staging_file = output.with_name(f".{output.name}.staging")
            try:
                _write_pdf(pipeline, documents, figure_files, build_dir, staging_file)
                staging_file.replace(output)
            finally:
                staging_file.unlink(missing_ok=True)
            if _keep_typ(pipeline):
                shutil.copyfile(build_dir / "book.typ", path.with_suffix(".typ"))
            outputs.append(output)
        else:
            raise ReportError(f"unknown output format '{fmt}' (use html, typst or pdf)")
    return RenderResult(outputs=tuple(outputs), executed=tuple(pipeline.executed))


def _format_metadata(pipeline: _Pipeline, fmt: str) -> dict[str, Any]:
    """Project < format ``fmt`` < document < the document's format ``fmt``, as Quarto merges them."""
    formats = pipeline.document_metadata.get("format")
    document = formats.get(fmt) if isinstance(formats, dict) and isinstance(formats.get(fmt), dict) else {}
    return merge_metadata(pipeline.project.metadata, _format_options(pipeline.project, fmt),
                          pipeline.document_metadata, document)


def _keep_typ(pipeline: _Pipeline) -> bool:
    """`keep-typ` from the project's or the document's typst options (document wins)."""
    formats = pipeline.document_metadata.get("format")
    document = formats.get("typst") if isinstance(formats, dict) and isinstance(formats.get("typst"), dict) else {}
    return bool(merge_metadata(_format_options(pipeline.project, "typst"), document).get("keep-typ"))
