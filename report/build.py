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
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from report import __version__
from report.errors import ReportError
from report.sources import diagnostics
from report.sources.language import labels as language_labels
from report._disk import DISK_FULL, disk_full_error  # small: stage() needs them before any pipeline module
from report._draft import DEFAULT_DRAFT_MARK, DRAFT_ENV

if TYPE_CHECKING:
    from report.outputs.theme import SiteStyle
    from report.sources.brand import Brands  # the pipeline's modules are imported when a render runs, not for the up-to-date check
    from report.document.assemble import AssembledDocument
    from report.document.crossref import BookDocument
    from report.execution.execute import ExecutionResult, ExecutionSettings
    from report.outputs.html import HtmlSite
    from report.execution.record import BuildRecord
    from report.sources.project import ChapterEntry, Project
    from report.sources.qmd import QmdDocument
    from report.sources.resolved import Layer, ResolvedFormat

__all__ = ["RenderOptions", "RenderResult", "render", "source_date_epoch"]

log = logging.getLogger("report")


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


def _needs_kernel(doc: QmdDocument, defaults: Mapping[str, Any]) -> bool:
    from report.sources.resolved import cell_option

    evaluated = [cell for cell in doc.cells if cell_option(cell.options, defaults, "eval", True)]
    return bool(evaluated or doc.inline)


class _ReadEnvironment(Mapping[str, str]):
    """The environment as the shortcodes see it, remembering each name looked up (for the build record)."""

    def __init__(self, environment: Mapping[str, str]):
        self._environment = dict(environment)
        self._read: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> str:
        with self._lock:
            self._read[name] = self._environment.get(name)
        return self._environment[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._environment)

    def __len__(self) -> int:
        return len(self._environment)

    def read(self) -> dict[str, str | None]:
        """Every name looked up, with its value then (None: not set)."""
        with self._lock:
            return dict(self._read)


def _source_files(documents: list[QmdDocument]) -> set[Path]:
    """The files the documents were read from, relative to the project root: each document, the files it
    includes and the notebooks and documents it embeds (and theirs)."""
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


class _Pipeline:
    def __init__(self, project: Project, entries: list[ChapterEntry], options: RenderOptions, whole_project: bool):
        self.project = project
        self.entries = entries
        self.options = options
        self.whole_project = whole_project  # a render of the whole project: `freeze` applies (report.execution.policy)
        self.labels = language_labels(project.lang)
        self.executed: list[Path] = []
        self.epoch = source_date_epoch(project.root)
        self.document_metadata: dict[str, Any] = {}  # front matter of a single rendered document
        self.whole_book = project.is_book  # a book's chapters, not one document (use_document)
        self.record_key: str | None = None  # set when this render may leave a build record (report.execution.record)
        self.tree_at_start: dict[str, tuple[int, int]] = {}
        self.dependencies: list[dict[str, Any] | None] | None = None  # per document that ran or came from the cache
        self.output_names: frozenset[str] = frozenset()  # the engine's output folders, left out of listings
        # What the sources read besides the tree's files: `{{< env >}}` variables, files included or embedded.
        self.environment = _ReadEnvironment(os.environ)  # a copy: one render sees one environment
        self.source_files: set[Path] = set()
        self.assembled: list[tuple[QmdDocument, AssembledDocument]] = []  # for the Word output's source anchors

    def parse(self) -> list[QmdDocument]:
        from report.sources.documents import read_document
        from report.sources.parameters import inject_parameters
        from report.sources.shortcodes import ShortcodeContext

        with stage("parse", f"{len(self.entries)} document(s)"):
            documents = []
            book = self.project.config.book
            # `{{< meta book.x >}}` reads the book's values as the model holds them (dates as written, parts read).
            metadata = dict(self.project.metadata)
            if book:
                metadata["book"] = {**(metadata.get("book") or {}), **book.model_dump(by_alias=True, exclude_none=True)}
            context = replace(ShortcodeContext.for_project(self.project.root, metadata),
                              environment=self.environment, data_dirs=self.project.data_folders)
            for entry in self.entries:
                documents.append(inject_parameters(read_document(self.project.root, entry.path, context),
                                                   self.options.params))
            self.source_files = _source_files(documents)
            return documents

    def execute(self, documents: list[QmdDocument]) -> list[ExecutionResult]:
        """Results for every document, in order: from the cache where it still holds, else from kernels run in
        parallel (report.execution.run)."""
        from report.document.assemble import assemble_markdown
        from report.document.pandoc import cache_markdown_asts, markdown_to_ast
        from report.execution.cache import CACHE_DIR, ExecutionCache
        from report.execution.policy import ExecutionOverride, execution_policy
        from report.execution.run import ExecutionJob, execute_documents
        from report.sources.documents import executes, stored_result
        from report.sources.shortcodes import EmbeddedCell

        # Documents that `{{< embed doc.qmd#label >}}` names run too (once, also when not rendered themselves).
        rendered = {doc.path for doc in documents}
        embedded = {}
        for doc in documents:
            for chunk in doc.chunks:
                if isinstance(chunk, EmbeddedCell) and chunk.document is not None and chunk.source not in rendered:
                    embedded.setdefault(chunk.source, chunk.document)
        override = (ExecutionOverride.NO_EXECUTE if self.options.execute is False
                    else ExecutionOverride.EXECUTE if self.options.execute
                    else ExecutionOverride.REFRESH if self.options.refresh else None)
        forced = self.options.execute is True  # --execute runs notebooks too, as in Quarto
        jobs = []
        for doc in [*documents, *embedded.values()]:
            options = self.document_options(doc)
            runs = executes(doc, options.execute, forced) and _needs_kernel(doc, options.execute)
            policy = execution_policy(dict(options.execute), whole_project=self.whole_project, override=override)
            jobs.append(ExecutionJob(doc, self.execution_settings(doc, options) if runs else None, policy))
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
                    markdown_to_ast(assemble_markdown(doc, result, self.document_options(doc).execute).markdown,
                                    doc.path)
                except ReportError:
                    pass  # reported by the read stage, in document order

        results, executed = execute_documents(jobs, self.project.root, cache, self.options.jobs, read_ahead)
        self.executed.extend(executed)
        # What the build record needs of every document that runs: the cache's dependencies (report.execution.record).
        # A document executed on every render (no freeze or cache) can never be skipped: no record then.
        self.dependencies = [cache.used.get(job.doc.path.as_posix()) if job.policy.reuses else None
                             for job in jobs if job.settings is not None]
        self.output_names = frozenset(outputs)
        by_path = {job.doc.path: result for job, result in zip(jobs, results)}
        for index, doc in enumerate(documents):  # fill in the embeds' outputs, now that their documents ran
            if any(isinstance(chunk, EmbeddedCell) and chunk.outputs is None for chunk in doc.chunks):
                documents[index] = replace(doc, chunks=tuple(
                    chunk.with_results(by_path[chunk.source].outputs)
                    if isinstance(chunk, EmbeddedCell) and chunk.outputs is None else chunk for chunk in doc.chunks))
        # .md documents, and notebooks not asked to execute, keep what they hold (report.sources.documents).
        return [result if executes(doc, self.document_options(doc).execute, forced) else stored_result(doc)
                for doc, result in zip(documents, results[:len(documents)])]

    def build_record(self, target: Path) -> BuildRecord | None:
        """What this render read, for skipping the next one; None when a document's results were not cached."""
        from report.execution._fingerprints import path_fingerprint
        from report.execution.record import BuildRecord
        from report.sources.title_block import is_special_date

        if self.record_key is None or self.dependencies is None or None in self.dependencies:
            return None
        book = self.project.config.book
        if book is not None and is_special_date(self.options.metadata.get("date", book.date)):
            return None  # `date: today`, `now` or `last-modified` may change with no change the record sees
        settings = self.project.config.report.data
        root = self.project.root
        # The sources' own reads, in the form of a document's dependencies: files outside the tree (the tree's
        # files are recorded anyway) and the variables `{{< env >}}` looked up, set or not.
        files = sorted({os.path.normpath(root / path) for path in self.source_files})
        sources = {"paths": {file: path_fingerprint(file) for file in files}, "listings": {},
                   "env": self.environment.read()}
        return BuildRecord(root=root, key=self.record_key, epoch=self.epoch,
                           env_names=tuple(sorted({"SOURCE_DATE_EPOCH", *((settings.env,) if settings else ())})),
                           dependencies=(*self.dependencies, sources),
                           listing_ignored=frozenset({*self.output_names, target.name}),
                           tree_at_start=self.tree_at_start)

    def execution_settings(self, doc: QmdDocument, options: ResolvedFormat) -> ExecutionSettings:
        from report.execution.execute import ExecutionSettings
        from report.execution.isolation import project_cache_environment, project_environment
        from report.execution.kernelspecs import named_kernel

        source = self.project.root / doc.path
        cwd = self.project.root if self.project.config.project.execute_dir == "project" else source.parent
        # No SOURCE_DATE_EPOCH here: matplotlib would stamp it into every SVG, so each commit would
        # re-execute every document with a figure; the stamp is stripped from figures instead (assemble).
        # REPORT_DRAFT is always set, so a value inherited from the shell cannot make a render a draft.
        env = {**self.project.data_environment(), **project_environment(self.project.root), "PYTHONHASHSEED": "0",
               DRAFT_ENV: "1" if self.options.draft else "0"}
        if self.project.profiles:  # as Quarto: code can ask which profiles are active
            env["QUARTO_PROFILE"] = ",".join(self.project.profiles)
        if self.options.use_cache:  # --no-cache: no cache of any kind, the project's own included
            env.update(project_cache_environment(self.project.root))
        return ExecutionSettings(
            cwd=cwd, env=env, timeout=self.options.cell_timeout or self.project.config.report.cell_timeout,
            output_limit=self.options.output_limit or self.project.config.report.output_limit,
            fig_width=float(options.get("fig-width", 7)), fig_height=float(options.get("fig-height", 5)),
            defaults=dict(options.execute), fig_format=str(options.get("fig-format", "svg")),
            fig_dpi=int(options.get("fig-dpi")) if options.get("fig-dpi") else None,
            kernel=named_kernel(doc.metadata.get("jupyter", self.project.metadata.get("jupyter")),
                                doc.path if "jupyter" in doc.metadata else Path("_quarto.yml")))

    def read(self, entry: ChapterEntry, doc: QmdDocument, assembled: AssembledDocument) -> BookDocument:
        from report.document import authoring
        from report.document.article import chapter_title_heading, unnumbered_titles
        from report.document.blocks import check_unsupported, prepare_callouts, resolve_html_outputs
        from report.document.crossref import BookDocument
        from report.document.html_tables import parse_html_tables
        from report.document.pandoc import markdown_to_ast
        from report.document.lua_filters import LuaEffects, lua_digest, split_effects
        from report.document.read_cache import cached_read
        from report.document.shortcode_nodes import expand_markers
        from report.sources.config import DocumentConfig
        from report.sources.format_names import writer_names, writer_of
        from report.sources.options import model_keys
        from report.sources.resolved import warn_unapplied

        # Conditional content is decided for every writer; code and callout options are read once (report.sources.resolved).
        by_format = {fmt: self.resolved(fmt, doc).as_dict() for fmt in writer_names()}
        primary = self.document_options(doc)
        others = {writer_of(fmt) for fmt in self.options.formats or ()} - {primary.writer}
        warn_unapplied(primary, [self.resolved(str(writer), doc) for writer in sorted(others)],
                       chapter=self.whole_book, implemented=model_keys(DocumentConfig))
        shared = primary.as_dict()
        title_heading = self.project.is_book

        filters = self.lua_filters(doc, by_format)

        def read() -> list:
            ast = markdown_to_ast(assembled.markdown, doc.path)
            blocks = expand_markers(ast["blocks"], doc.path)
            blocks = filters.at("read", blocks, doc.path)
            blocks = resolve_html_outputs(blocks, assembled.html_outputs, doc.path)
            blocks = parse_html_tables(blocks, doc.path, shared.get("html-table-processing"))
            blocks = filters.at("engine", blocks, doc.path)
            blocks = authoring.prepare(blocks, by_format, shared, self.labels, doc.path, doc.line_of)
            blocks = prepare_callouts(blocks, self.labels, shared, doc.path, doc.line_of)
            blocks = filters.at("after", blocks, doc.path)
            if title_heading:
                blocks = chapter_title_heading(blocks, doc.metadata.get("title"))
            return blocks

        # Everything reading depends on besides the engine's code (which read_cache adds): the filters' bytes too.
        blocks = cached_read({"document": doc.path.as_posix(), "markdown": assembled.markdown,
                              "html_outputs": assembled.html_outputs, "labels": dict(self.labels),
                              "metadata": by_format, "shared": shared, "title_heading": title_heading,
                              "title": doc.metadata.get("title"), "lua": lua_digest(filters.filters)}, read)
        blocks, effects = split_effects(blocks, self.project.root, doc.path)
        # The document's own includes go on its page (report.outputs.includes), with what its Lua code included.
        effects = effects.merged(LuaEffects(includes=self.includes("html", doc.metadata, doc.path, project=False)
                                            .pairs()))
        check_unsupported(blocks, doc.path, doc.line_of)  # its warnings come again when the blocks are cached
        if entry.part_page:  # a part's page is no chapter: its title is not numbered (report.document.article)
            blocks = unnumbered_titles(blocks)
        return BookDocument(source=entry.path, blocks=blocks, line_of=doc.line_of, part=entry.part,
                            appendix=entry.appendix, part_page=entry.part_page, effects=effects)

    def includes(self, fmt: str, document: Mapping[str, Any], path: Path, *, project: bool = True):
        """`include-in-header`, `-before-body`, `-after-body` of the project (and its ``fmt``) and of ``document``,
        level by level as the one resolution of options has them (report.sources.resolved)."""
        from report.outputs.includes import read_includes
        from report.sources.resolved import resolve_format

        resolved = resolve_format(fmt, self.project.metadata if project else {}, dict(document), document_file=path)
        return read_includes([(dict(layer.options), layer.file) for layer in resolved.layers if layer.file is not None],
                             self.project.root, self.project.data_folders)

    def lua_filters(self, doc: QmdDocument, by_format: dict[str, dict[str, Any]]):
        """The document's `filters:` (report.document.lua_filters): project, its format, document, its format."""
        from report.document.lua_filters import FilterRun, filter_entries
        from report.sources.extensions import extension_named
        from report.sources.format_names import writer_names
        from report.sources.shortcodes import ShortcodeContext

        root = self.project.root

        def extension_filters(name: str, origin: Path):
            extension = extension_named(name, root, doc.path)
            return None if extension is None else extension.files("filters", root)

        by_filters = {fmt: filter_entries([(item, layer.file or Path("_quarto.yml"))
                                           for item, layer in self.resolved(fmt, doc).values_by_layer("filters")],
                                          root, extension_filters) for fmt in writer_names()}
        if not any(by_filters.values()):
            return FilterRun()
        variables = ShortcodeContext.for_project(root, {}).variables
        return FilterRun(by_filters, variables, root, by_format)

    def resolved(self, fmt: str, doc: QmdDocument | None = None) -> ResolvedFormat:
        """Options as the writer of ``fmt`` sees them for ``doc`` (by default the single rendered document, or
        none for a book): project < its format < document < the document's format < -M (report.sources.resolved)."""
        from report.sources.resolved import resolve_format

        if doc is None:
            document, file = self.document_metadata, (self.entries[0].path if self.document_metadata else None)
        else:
            document, file = doc.metadata, doc.path
        return resolve_format(fmt, self.project.metadata, document, document_file=file,
                              command_line=self.options.metadata)

    @property
    def primary_writer(self) -> str:
        """The writer whose options decide what a document shows in every format (read once: execution, code,
        callouts, numbering): html when it is rendered, else the first format rendered."""
        from report.sources.format_names import writer_of

        writers = [writer_of(fmt) for fmt in self.options.formats or ()]
        return "html" if "html" in writers or not writers else str(writers[0])

    def document_options(self, doc: QmdDocument | None = None) -> ResolvedFormat:
        """The options read once per document for every format (report.sources.resolved.ONCE_PER_DOCUMENT)."""
        return self.resolved(self.primary_writer, doc)

    def metadata(self, fmt: str) -> dict[str, Any]:
        from report.sources import title_block
        from report.sources.options import known_options

        config = self.project.config
        book = config.book
        options = self.resolved(fmt).as_dict()
        by_author = title_block.by_author((book.author if book else options.get("author")) or [],
                                          options.get("affiliations"))
        authors = [author["name"]["literal"] for author in by_author]
        title = book.title if book else (options.get("title") or "")
        subtitle = book.subtitle if book else options.get("subtitle")
        # `last-modified`: the latest change to the sources shown (the document, or the book's chapters).
        given = {**options, "date": book.date if book else options.get("date"), **self.options.metadata}
        date = title_block.resolve_date(given.get("date"), self.lang, given.get("date-format"),
                                        lambda: [self.project.root / entry.path for entry in self.entries])
        from report.outputs.colophon import colophon_entries

        colophon = colophon_entries({**options, **self.options.metadata}, self.labels, self.lang, title=title,
                                    subtitle=subtitle, authors=authors, demo=self.project.is_demo,
                                    made_with=f"report {__version__}")
        mark = self.options.mark or " · ".join(filter(None, (
            (self.project.config.report.draft_mark or DEFAULT_DRAFT_MARK) if self.options.draft else None,
            self.project.demo_mark)))
        metadata = {
            "title": title, "subtitle": subtitle, "author": authors, "lang": self.lang,
            # Quarto hands templates normalised authors as by-author; the partials use that form.
            "by-author": by_author, "date": date,
            "abstract": _plain_metadata(options.get("abstract")),
            "thanks": options.get("thanks"), "keywords": _plain_metadata(options.get("keywords")),
            **{key: _plain_metadata(options.get(key)) for key in PANDOC_TEMPLATE_OPTIONS},
            "abstract-title": options.get("abstract-title") or self.labels["abstract"],
            # The PDF's fonts (report.outputs.fonts): typst sees only these, never the machine's own.
            "mainfont": options.get("mainfont"), "fontsize": options.get("fontsize"),
            "font-paths": _plain_metadata(options.get("font-paths")),
            "papersize": options.get("papersize"), "margin": _plain_metadata(options.get("margin")),
            "columns": options.get("columns"),
            "toc": bool(options.get("toc")),
            "toc-title": options.get("toc-title") or self.labels["toc"], "toc-depth": options.get("toc-depth"),
            "lof": options.get("lof", bool(book)), "lof-title": self.labels["lof"],
            "lot": options.get("lot", bool(book)), "lot-title": self.labels["lot"],
            "mark": mark, **colophon, "link-citations": True,
            "reference-section-title": None,
        }
        # Open metadata (keys Quarto does not know), project < format < document, for templates and {{< meta >}}.
        metadata.update({key: _plain_metadata(value) for key, value in options.items()
                         if key not in metadata and key not in known_options("project-file")})
        metadata.update({key: value for key, value in self.options.metadata.items() if key != "date"})
        return {key: value for key, value in metadata.items() if value not in (None, "")}

    def brands(self, fmt: str) -> "Brands | None":
        """The brand for ``fmt`` (report.sources.brand): ``brand:`` as the document or _quarto.yml gives it, else
        the project's ``_brand.yml``; the text colours of each mode are checked for AA contrast."""
        from report.sources.brand import check_brand_contrast, load_brands

        options = self.resolved(fmt)
        brands = load_brands(self.project.root, options.get("brand"), options.origin_file("brand"),
                             data_dirs=self.project.data_folders)
        for brand in (brands.light, brands.dark) if brands else ():
            if brand is not None:
                check_brand_contrast(brand)
        return brands

    def pdf_standards(self) -> list[str]:
        """``pdf-standard`` as typst sees it, at every level (report.sources.resolved)."""
        from report.sources import formats as quarto_formats

        options = self.resolved("typst")
        return quarto_formats.pdf_standards(options.as_dict(), options.origin_file("pdf-standard"))

    @property
    def lang(self) -> str:
        return self.document_options().get("lang") or self.project.lang

    def use_document(self, doc: QmdDocument) -> None:
        """A single document's front matter counts as much as the project's settings (project < document)."""
        self.document_metadata = doc.metadata
        self.whole_book = False
        self.labels = language_labels(self.lang)

    def bibliography(self) -> tuple[list[Path], Path | None]:
        """Bibliography files and CSL style; paths are relative to the file that names them, inside the project."""
        options = self.document_options()
        files = [self._named_file(layer, str(name), "bibliography file")
                 for name, layer in options.values_by_layer("bibliography")]
        style = [self._named_file(layer, str(name), "CSL style") for name, layer in options.values_by_layer("csl")]
        return files, (style[-1] if style else None)

    def _named_file(self, layer: Layer, name: str, what: str) -> Path:
        from report.sources.paths import inside_project

        origin = (layer.file or Path("_quarto.yml")).as_posix()
        file = self.project.root / inside_project(self.project.root, _base(layer), name, what=what, path=origin,
                                                  data_dirs=self.project.data_folders)
        if not file.is_file():
            raise ReportError(f"{what} '{name}' does not exist", path=origin)
        return file

    def pandoc_args(self) -> list[str]:
        files, style = self.bibliography()
        if not files:
            return []
        return ["--citeproc", *(f"--bibliography={file}" for file in files)] + ([f"--csl={style}"] if style else [])


def _base(layer: Layer) -> Path:
    """The folder a path written at ``layer`` is relative to: its file's (the project's for the command line)."""
    return layer.file.parent if layer.file is not None else Path(".")


# pandoc's template options the typst partials take as they are (report/outputs/resources/typst/typst-show.typ).
PANDOC_TEMPLATE_OPTIONS = ("codefont", "mathfont", "linestretch", "linkcolor", "citecolor", "filecolor")


def _plain_metadata(value: Any) -> Any:
    """YAML values as pandoc metadata takes them (dates become ISO strings)."""
    from report.sources._yaml import plain_value

    return plain_value(value)


def render(path: Path | None = None, options: RenderOptions = RenderOptions()) -> RenderResult:
    """Render the project book (``path`` None or a folder) or one document (``path`` a .qmd, .md or .ipynb file).

    Warnings about the sources are collected (report.sources.diagnostics) and returned with the result;
    with ``options.strict`` or ``report: strict: true`` the first one stops the render as an error.

    A book render whose inputs all match the build record of the last render with the same options stops
    after that check and leaves the output untouched (report.execution.record); the warnings that render gave are given
    again.
    """
    path = Path(path or ".").resolve()
    single = path.is_file()
    record = None
    if options.profile is None:  # $QUARTO_PROFILE chooses the configuration, so it is part of the record's key
        from report.sources.metadata_files import requested_profile

        options = replace(options, profile=requested_profile(None))
    if not single and _recordable(options):
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
                log.warning("warning: %s", item)
            return RenderResult(outputs=unchanged.outputs, executed=(), warnings=warnings)
        record = (record_root, key)
    with diagnostics.collecting(strict=options.strict) as collector:
        result = _render(path, single, options, record, collector)
    return replace(result, warnings=tuple(collector.warnings))


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


def _render(path: Path, single: bool, options: RenderOptions, record: tuple[Path, str] | None,
            collector: diagnostics.Collector, into: Path | None = None, root: Path | None = None) -> RenderResult:
    """Render the project at ``path``, or the document ``path`` (``single``); ``into``: the folder a whole-site
    render gathers a website's pages in (report.build._render_website), instead of publishing each; ``root``: the
    project a document belongs to when it has no `_quarto.yml` (a folder rendered as a default project)."""
    from report.document.assemble import assemble_markdown
    from report.outputs.publish import check_replaceable
    from report.sources.project import ChapterEntry, find_project_root, load_project

    root = root or find_project_root(path.parent if single else path) or (path.parent if single else path)
    project = load_project(root, data_dir=options.data_dir, profile=options.profile)
    if project.config.report.strict:
        collector.make_strict()
    if not single and options.output_file is not None:
        raise ReportError(f"--output '{options.output_file}' names the output file of one document; a project's "
                          "output goes to its output-dir (or --output-dir)")
    if single:
        entries = [ChapterEntry(path.relative_to(root))]
    elif project.is_book:
        entries = list(project.chapters)
    elif project.is_website:
        return _render_website(project, options, collector)
    else:
        return _render_default_project(project, options, collector)
    if not single:
        # A book's formats come from _quarto.yml alone; a document's also from its front matter (after parsing).
        options = replace(options, formats=_formats(options, [(project.metadata, Path("_quarto.yml"))]))
        if options.formats:
            # Before anything runs: a folder the engine may not replace is refused at once, not after minutes.
            check_replaceable(_output_target(project, options), project.root, project.data_dir)
    pipeline = _Pipeline(project, entries, options, whole_project=not single or into is not None)
    if record is not None and record[0] == project.root:
        from report.execution.record import tree_snapshot

        pipeline.record_key = record[1]
        pipeline.tree_at_start = tree_snapshot(project.root)
    parsed = pipeline.parse()
    if single:
        from report.sources.notebook_title import with_notebook_title

        parsed[0] = with_notebook_title(parsed[0])
        options = replace(options, formats=_formats(options, [(project.metadata, Path("_quarto.yml")),
                                                              (parsed[0].metadata, entries[0].path)]))
        pipeline.options = options
        pipeline.use_document(parsed[0])  # after the formats: the primary writer's options name the language
    assembled = [assemble_markdown(doc, result, pipeline.document_options(doc).execute)
                 for doc, result in zip(parsed, pipeline.execute(parsed))]

    # Each render works in a folder of its own, so renders in one checkout never share files; a preview
    # keeps one folder for its whole session, so typst can recompile incrementally.
    (project.root / ".report-build").mkdir(parents=True, exist_ok=True)
    if options.persistent:
        build_dir = project.root / ".report-build" / f"preview-{os.getpid()}"
        build_dir.mkdir(exist_ok=True)
        return _render_documents(pipeline, parsed, assembled, entries, single, path, options, build_dir, into)
    with _work_folder(project.root / ".report-build") as build_dir:
        return _render_documents(pipeline, parsed, assembled, entries, single, path, options, build_dir, into)


@contextmanager
def _work_folder(parent: Path) -> Iterator[Path]:
    """A build folder of this render's own, kept for the next render (creating and removing hundreds of
    folders per render costs seconds on some file systems; typst's root then changes only where figures did).

    Each is held by an exclusive lock while a render uses it, so concurrent renders take different ones.
    """
    import fcntl

    for number in range(256):
        folder = parent / f"work-{number}"
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            continue  # another render is using it
        try:
            yield folder
            return
        finally:
            os.close(descriptor)
    raise ReportError(f"no free build folder in {parent} (256 renders at once?)")


def _render_documents(pipeline: "_Pipeline", parsed: list[QmdDocument], assembled: list[AssembledDocument],
                      entries: list[ChapterEntry], single: bool, path: Path, options: RenderOptions,
                      build_dir: Path, into: Path | None = None) -> RenderResult:
    from report.document.blocks import bibliography_keys, check_citations
    from report.document.crossref import index_entries, number_book, resolve_references
    from report.document.xref_options import crossref_settings
    from report.outputs._floats_html import math_arguments
    from report.outputs.figures import build_figure_export
    from report.outputs.html import write_html
    from report.outputs.publish import publish
    from report.execution.record import forget, write_record
    from report.sources import formats as quarto_formats
    from report.sources.format_names import writer_of

    project = pipeline.project
    pipeline.assembled = list(zip(parsed, assembled))
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
        numbering = pipeline.document_options()
        crossref = crossref_settings(numbering.as_dict(), pipeline.labels, pipeline.lang,
                                     typst_metadata=pipeline.resolved("typst").as_dict())
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
    source_images = _source_images(documents, project)  # an image outside the project fails `report check` too
    if not options.formats:  # `report check`: everything resolved, nothing written
        _site_style(pipeline)  # the house style too: the brand and the theme read, compiled and checked
        pipeline.brands("typst")
        return RenderResult(outputs=(), executed=tuple(pipeline.executed))
    figure_files: dict[str, Path] = {}
    # Figures go straight to where typst reads them (a root kept between renders, report.build._typst_root);
    # an unchanged figure is not written again.
    figure_root = build_dir / "root"
    for entry, piece in zip(entries, assembled):
        for relative, content in piece.figures.items():
            output_relative = (entry.path.parent / relative).as_posix()
            file = figure_root / output_relative
            if not file.is_file() or file.read_bytes() != content:
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_bytes(content)
            figure_files[output_relative] = file
    figure_files.update({relative: file for relative, file in source_images.items() if relative not in figure_files})
    figure_files.update(_stylesheets(pipeline))  # published beside the pages, as Quarto copies `css:` files
    outputs: list[Path] = []
    if single:
        if into is not None:  # a page of a whole-site render: gathered with the others, published together
            return _render_single(pipeline, documents, figure_files, path, options, outputs, build_dir,
                                  into / entries[0].path.parent)
        if project.is_website and project.output_dir != project.root and not options.output_dir:
            return _render_site_page(pipeline, documents, figure_files, path, options, build_dir)
        # As Quarto, --output-dir puts a single document's output there instead of beside its source.
        folder = Path(os.path.abspath(options.output_dir)) if options.output_dir else path.parent
        return _render_single(pipeline, documents, figure_files, path, options, outputs, build_dir, folder)

    target = _output_target(project, options)
    site_dir = build_dir / "site"  # the new book, published from here file by file
    shutil.rmtree(site_dir, ignore_errors=True)
    site_dir.mkdir(parents=True)
    formats: dict[str, str] = {}  # output-relative path -> format

    def html_stage() -> None:
        with stage("html", f"{len(documents)} page(s)", folder=site_dir):
            site = _site(pipeline, sidebar=True)
            # Figures and images are published from where they are, not copied into the site first.
            math = math_arguments(pipeline.resolved("html").as_dict())
            write_html(documents, site, site_dir / "html", pipeline.pandoc_args() + math, pipeline.metadata("html"),
                       {})

    def pdf_stage() -> None:
        with stage("pdf", f"{project.output_file}.pdf", folder=site_dir):
            _write_pdf(pipeline, documents, figure_files, build_dir, site_dir / "typst" / f"{project.output_file}.pdf")
            if _keep_typ(pipeline):
                shutil.copyfile(build_dir / "book.typ", site_dir / "typst" / f"{project.output_file}.typ")

    def docx_stage() -> None:
        with stage("docx", f"{project.output_file}.docx", folder=site_dir):
            _write_docx(pipeline, documents, figure_files, build_dir, site_dir / "docx" / f"{project.output_file}.docx")

    writers = {writer_of(fmt) for fmt in options.formats}
    stages = [stage_function for wanted, stage_function in (
        ("html" in writers, html_stage), ("typst" in writers, pdf_stage), ("docx" in writers, docx_stage)) if wanted]
    # The two formats share nothing but the read-only AST; their pandoc runs and typst overlap.
    with ThreadPoolExecutor(max_workers=max(1, len(stages))) as pool:
        for future in [pool.submit(stage_function) for stage_function in stages]:
            future.result()
    export_dir = None
    exported: dict[str, Path] = {}  # the figure export's files by name, built aside in site_dir / "figures"
    if project.config.report.figure_export:
        # A render into another output folder exports there, leaving the checkout's figures alone.
        export_dir = (target / "figures" if options.output_dir else project.root / project.config.report.figure_export)
        with stage("export", f"figures to {export_dir}"):
            draft_mark = (project.config.report.draft_mark or DEFAULT_DRAFT_MARK) if options.draft else None
            count, exported = build_figure_export(documents, figure_files, export_dir, site_dir / "figures", draft_mark)
        log.debug("%-8s %d figure(s)", "export", count)
    files: dict[str, Path] = {}
    for fmt in ("html", "typst", "docx"):
        folder = site_dir / fmt
        for file in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if file.is_file():
                relative = file.relative_to(folder).as_posix()
                files[relative] = file
                formats[relative] = fmt
        if fmt == "html" and "html" in writers:
            files.update(figure_files)
            formats.update(dict.fromkeys(figure_files, "html"))
    if options.output_dir:  # the export is part of the output folder
        files.update({f"figures/{name}": file for name, file in exported.items()})
        formats.update({f"figures/{name}": "figures" for name in exported})
    record = pipeline.build_record(target)
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
    outputs.append(target)
    return RenderResult(outputs=tuple(outputs), executed=tuple(pipeline.executed), written=published.written)


def _output_target(project: Project, options: RenderOptions) -> Path:
    return Path(os.path.abspath(options.output_dir or project.output_dir))


def _source_images(documents: list[BookDocument], project: Project) -> dict[str, Path]:
    """Images referenced from Markdown sources, so they are copied beside the pages that show them.

    Only files inside the project and outside its data folders (report.sources.paths): the output folder holds
    copies of them, and the engine removes the copies it no longer needs."""
    from report.document._ast import walk
    from report.sources.paths import inside_project

    found: dict[str, Path] = {}
    for doc in documents:
        def visit(node, doc=doc):
            if node["t"] == "Image":
                target = node["c"][2][0]
                if "://" in target or target.startswith("data:"):
                    return None
                relative = inside_project(project.root, doc.source.parent, target, what="image", path=doc.source,
                                          line=doc.line_of(target), data_dirs=project.data_folders).as_posix()
                if (project.root / relative).is_file():
                    found[relative] = project.root / relative
            return None

        walk(doc.blocks, visit, {"Image"})
    return found


def _site(pipeline: _Pipeline, sidebar: bool) -> HtmlSite:
    from report.outputs.highlight import highlight_css, style_option
    from report.outputs.html import HtmlSite
    from report.sources.website import site_navigation

    metadata = pipeline.metadata("html")
    options = pipeline.resolved("html")
    # The file that names the style (a theme file is next to it): the document, or _quarto.yml.
    origin = options.origin_file("syntax-highlighting", "highlight-style")
    return HtmlSite(title=metadata.get("title", ""), subtitle=metadata.get("subtitle"),
                    authors=tuple(metadata.get("by-author", [])), date=metadata.get("date"),
                    abstract=metadata.get("abstract"), abstract_title=metadata.get("abstract-title"),
                    lang=pipeline.lang, labels=pipeline.labels, mark=metadata.get("mark"),
                    toc=bool(metadata.get("toc", True)), sidebar=sidebar,
                    article=not sidebar and not pipeline.project.is_book,
                    code_style=highlight_css(style_option(options.options), pipeline.project.root / origin.parent,
                                             origin),
                    code_copy=options.get("code-copy", True) not in (False, "false"),
                    stylesheets=tuple(relative if sidebar else os.path.relpath(relative, pipeline.entries[0].path.parent)
                                      for relative in _stylesheets(pipeline)),
                    website=site_navigation(pipeline.project, pipeline.entries[0].path),
                    downloads=_downloads(pipeline) if sidebar else (),
                    includes=pipeline.includes("html", {}, Path("_quarto.yml")),
                    style=_site_style(pipeline))


def _site_style(pipeline: _Pipeline) -> "SiteStyle":
    """A brand's and a theme's part of the site's look (report.outputs.theme): the light brand, and the dark one
    where the brand has one."""
    from report.outputs.theme import site_style

    brands = pipeline.brands("html")
    options = pipeline.resolved("html")
    return site_style(pipeline.project.root, brands.light if brands else None, brands.dark if brands else None,
                      options.get("theme"), options.origin_file("theme"))


# `book: downloads:` -> the file each names and how its link is labelled (Quarto: the sidebar's tools)
DOWNLOADS = {"pdf": ("pdf", "PDF"), "docx": ("docx", "Word")}


def _downloads(pipeline: _Pipeline) -> tuple[tuple[str, str], ...]:
    book = pipeline.project.config.book
    named = (book.downloads if book else None) or []
    links = []
    for name in [named] if isinstance(named, str) else named:
        if name not in DOWNLOADS:
            diagnostics.warn(f"book download '{name}' is skipped: the embedded engine offers "
                             f"{' and '.join(DOWNLOADS)} downloads", path="_quarto.yml")
            continue
        suffix, label = DOWNLOADS[name]
        links.append((f"{pipeline.labels['download']} {label}", f"{pipeline.project.output_file}.{suffix}"))
    return tuple(links)


def _stylesheets(pipeline: _Pipeline) -> dict[str, Path]:
    """``css`` at every level, by its path in the project (each relative to the file that names it)."""
    from report.sources.paths import inside_project

    project = pipeline.project
    found = {}
    for name, layer in pipeline.resolved("html").values_by_layer("css"):
        origin = layer.file or Path("_quarto.yml")
        relative = inside_project(project.root, _base(layer), str(name), what="stylesheet", path=origin,
                                  data_dirs=project.data_folders)
        if not (project.root / relative).is_file():
            raise ReportError(f"stylesheet '{name}' does not exist", path=origin)
        found[relative.as_posix()] = project.root / relative
    return found


def _partials(pipeline: _Pipeline) -> dict[str, Path]:
    """``template-partials`` at every level, each relative to the file that names it."""
    from report.sources.paths import inside_project

    project = pipeline.project
    partials = {}
    for name, layer in pipeline.resolved("typst").values_by_layer("template-partials"):
        origin = layer.file or Path("_quarto.yml")
        path = project.root / inside_project(project.root, _base(layer), str(name), what="template partial",
                                             path=origin, data_dirs=project.data_folders)
        if not path.is_file():
            raise ReportError(f"template partial '{name}' does not exist", path=origin)
        partials[path.name] = path
    return partials


def _write_pdf(pipeline: _Pipeline, documents: list[BookDocument], figure_files: dict[str, Path], build_dir: Path,
               output: Path) -> None:
    from report.document.article import article_heading_shift, is_article
    from report.outputs.fonts import available_families, pdf_font_paths
    from report.outputs.highlight import style_option, typst_highlighting
    from report.outputs.brand_typst import anchored_logo_option, logo_option_files
    from report.outputs.typst import compile_pdf, write_typst
    from report.sources import formats as quarto_formats

    project = pipeline.project
    metadata = pipeline.metadata("typst")
    if is_article(documents, book=project.is_book):
        metadata["compact"] = True  # Quarto's article layout (the engine's default template)
    standards = pipeline.pdf_standards()
    ua = quarto_formats.requests_ua(standards)
    if ua and not metadata.get("title"):
        raise ReportError("missing document title: PDF/UA-1 requires one (set 'title:' in the front matter, or "
                          "'book: title:')", path=documents[0].source if len(documents) == 1 else "_quarto.yml")
    # A book's .typ stands at the project root; a single document's next to the document, as Quarto keeps it.
    base = PurePosixPath(".") if project.is_book else PurePosixPath(documents[0].source.parent.as_posix())
    includes = pipeline.includes("typst", pipeline.document_metadata, pipeline.entries[0].path)
    options = pipeline.resolved("typst")
    style_origin = options.origin_file("syntax-highlighting", "highlight-style")
    highlighting = typst_highlighting(style_option(options.options), project.root / style_origin.parent,
                                      style_origin, build_dir)
    brands = pipeline.brands("typst")
    brand_mode = str(options.get("brand-mode") or "light")
    brand = brands.mode(brand_mode) if brands else None
    fonts = pdf_font_paths(project.root, metadata, documents,
                           font_paths=[(str(name), _base(layer), layer.file or Path("_quarto.yml"))
                                       for name, layer in options.values_by_layer("font-paths")],
                           origin=options.origin_file("font-paths", "mainfont"), build_dir=build_dir,
                           brand_fonts=[project.root / path for path in brand.font_files()] if brand else [])
    brand = brand.with_available_families(available_families(fonts)) if brand else None  # as Quarto filters them
    logo_option = anchored_logo_option(options.get("logo"), PurePosixPath(options.origin_file("logo").parent.as_posix()),
                                       brand)
    sources = write_typst(documents, build_dir, project.root, metadata, _partials(pipeline),
                          [*pipeline.pandoc_args(), *highlighting], pipeline.labels, require_alt=ua, includes=includes,
                          heading_shift=article_heading_shift(documents, metadata, book=project.is_book),
                          brand=brand, brand_mode=brand_mode, logo_option=logo_option, base=base,
                          translate_css_properties=options.get("css-property-processing") != "none")
    # The brand's logos are files the typst source names (brand-logo), so they go where typst reads.
    logo_paths = [logo.path for logo in ({**brand.images, **brand.logos}.values() if brand else ())]
    logo_paths.extend(logo_option_files(logo_option))
    logos = {path: project.root / path for path in logo_paths
             if "://" not in path and ".." not in Path(path).parts and (project.root / path).is_file()}
    root = _typst_root(sources.typ, base, {**logos, **figure_files, **sources.media}, build_dir)
    compile_pdf(root / base / sources.typ.name, output, root, pipeline.epoch, reuse=pipeline.options.persistent,
                standards=standards, server_idle=60 * project.config.report.pdf_server, fonts=fonts,
                sources=sources)


def _write_docx(pipeline: _Pipeline, documents: list[BookDocument], figure_files: dict[str, Path], build_dir: Path,
                output: Path) -> None:
    """The book (or document) as one .docx (report.outputs.docx), with the `docx` format's options."""
    from report.outputs.docx import DEFAULT_REFERENCE_DOC, AnchorSource, DocxSettings, write_docx
    from report.outputs.fonts import engine_font_paths

    options = pipeline.resolved("docx")
    metadata = pipeline.metadata("docx")
    reference = options.get("reference-doc")
    settings = DocxSettings(
        metadata=metadata, toc=bool(options.get("toc")), toc_depth=int(options.get("toc-depth") or 3),
        reference_doc=pipeline._named_file(options.origin("reference-doc"), str(reference), "reference-doc")
        if reference else DEFAULT_REFERENCE_DOC,
        fig_dpi=int(options.get("fig-dpi") or 96), epoch=pipeline.epoch, citeproc=tuple(pipeline.pandoc_args()),
        fonts=tuple(engine_font_paths()), appendices_title=pipeline.labels["appendices"])
    sources = [AnchorSource(path=doc.path, markdown=piece.markdown, lines=piece.source_lines,
                            inline_values=piece.inline_values) for doc, piece in pipeline.assembled]
    write_docx(documents, sources, figure_files, settings, build_dir, output)


def _typst_root(typ: Path, base: PurePosixPath, figure_files: dict[str, Path], build_dir: Path) -> Path:
    """typst reads files only below its root: a root holding every image under its book path and the source in
    ``base``, the folder its relative image paths start from.

    Files are rewritten only when their bytes changed, so a warm compiler (preview) sees what really changed.
    """
    root = build_dir / "root"
    wanted = {root / relative: file for relative, file in figure_files.items()}
    wanted[root / base / typ.name] = typ
    if root.exists():
        for existing in [path for path in root.rglob("*") if path.is_file() and path not in wanted]:
            existing.unlink()
    for destination, file in wanted.items():
        if destination == file:
            continue  # written there directly
        content = file.read_bytes()
        if not destination.is_file() or destination.read_bytes() != content:
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(content)
    return root


def _render_website(project: Project, options: RenderOptions, collector: diagnostics.Collector) -> RenderResult:
    """A whole website (`project: type: website`): every document of the site (report.sources.website) rendered
    as a page of its own with the site's navbar and sidebar, all published together into the output folder."""
    from report.outputs.publish import check_replaceable, publish
    from report.sources.website import site_documents

    target = _output_target(project, options)
    check_replaceable(target, project.root, project.data_dir)
    pages = site_documents(project)
    if not pages:
        raise ReportError("the website has no documents to render (.qmd, .md or .ipynb files not starting with _)",
                          path=project.root / "_quarto.yml")
    (project.root / ".report-build").mkdir(parents=True, exist_ok=True)
    executed: list[Path] = []
    with _work_folder(project.root / ".report-build") as work:
        gathered = work / "website"
        shutil.rmtree(gathered, ignore_errors=True)
        gathered.mkdir()
        for page in pages:
            result = _render(project.root / page, True, options, None, collector, into=gathered)
            executed.extend(result.executed)
        files, formats = _gathered_files(gathered)
        with stage("publish", str(target), folder=target):
            published = publish(target, files, formats, root=project.root, data_dir=project.data_dir)
    return RenderResult(outputs=(target,), executed=tuple(executed), written=published.written)


def _render_default_project(project: Project, options: RenderOptions,
                            collector: diagnostics.Collector) -> RenderResult:
    """A default project (`project: type: default`, or a folder without `_quarto.yml`), as Quarto renders it:
    every document of the project (report.sources.project.project_inputs) on its own, beside its source, or with
    `output-dir` (or --output-dir) into that folder at the same relative path."""
    from report.sources.project import project_inputs

    documents = project_inputs(project)
    if not documents:
        raise ReportError(f"no documents to render in {project.root}: a project renders the .qmd, .md and .ipynb "
                          "files whose names (and folders' names) do not start with _ or .")
    target = None if project.renders_in_place and not options.output_dir else _output_target(project, options)
    outputs: list[Path] = []
    executed: list[Path] = []
    for document in documents:
        result = _render(project.root / document, True,
                         replace(options, output_dir=target / document.parent if target else None), None, collector,
                         root=project.root)
        outputs.extend(result.outputs)
        executed.extend(result.executed)
    return RenderResult(outputs=tuple(outputs), executed=tuple(executed))


def _gathered_files(folder: Path, part: str = "") -> tuple[dict[str, Path], dict[str, str]]:
    """A website's rendered files in ``folder`` and their formats for publishing (the PDF and .typ: typst)."""
    files = {file.relative_to(folder).as_posix(): file for file in sorted(folder.rglob("*")) if file.is_file()}
    return files, {relative: ("typst" if relative.endswith((".pdf", ".typ")) else "html") + part for relative in files}


def _render_site_page(pipeline: _Pipeline, documents: list[BookDocument], figure_files: dict[str, Path], path: Path,
                      options: RenderOptions, build_dir: Path) -> RenderResult:
    """One document of a website rendered on its own: as Quarto, into the site's output folder (`_site`), where
    it replaces that page's earlier files and leaves the other pages alone."""
    from report.outputs.publish import publish

    project = pipeline.project
    page = path.relative_to(project.root)
    staging = build_dir / "page"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    outputs: list[Path] = []
    result = _render_single(pipeline, documents, figure_files, path, options, outputs, build_dir,
                            staging / page.parent)
    # The page's files are a format of their own, so that its old figures go and the other pages stay.
    files, formats = _gathered_files(staging, part=f":{page.as_posix()}")
    target = project.output_dir
    with stage("publish", str(target), folder=target):
        publish(target, files, formats, root=project.root, data_dir=project.data_dir)
    return replace(result, outputs=tuple(target / output.relative_to(staging) for output in result.outputs))


def _render_single(pipeline: _Pipeline, documents: list[BookDocument], figure_files: dict[str, Path], path: Path,
                   options: RenderOptions, outputs: list[Path], build_dir: Path, folder: Path) -> RenderResult:
    """One document into ``folder``: its page (and figure folder) and PDF beside each other."""
    from report.document.crossref import BookDocument
    from report.outputs._floats_html import math_arguments
    from report.outputs.html import write_html

    from report.sources.format_names import writer_of

    folder.mkdir(parents=True, exist_ok=True)
    for fmt in options.formats:
        name = _single_output_name(options, path, {"html": ".html", "docx": ".docx"}.get(writer_of(fmt), ".pdf"))
        if writer_of(fmt) == "html":
            staging = Path(tempfile.mkdtemp(prefix=".report-single.staging-", dir=folder))
            try:
                site = _site(pipeline, sidebar=False)
                doc = documents[0]
                write_html([BookDocument(source=Path(doc.source.name), blocks=doc.blocks, line_of=doc.line_of,
                                         title=doc.title, sections=doc.sections, number=doc.number,
                                         effects=doc.effects)],
                           site, staging, pipeline.pandoc_args() + math_arguments(
                               pipeline.resolved("html").as_dict()),
                           pipeline.metadata("html"), _page_files(figure_files, doc.source, folder))
                if pipeline.resolved("html").get("embed-resources"):
                    _embed_resources(staging / f"{path.stem}.html", staging, folder, pipeline.entries[0].path)
                (staging / f"{path.stem}.html").rename(staging / name)
                for item in staging.iterdir():
                    destination = folder / item.name
                    if destination.is_dir() and item.name == f"{path.stem}_files":
                        shutil.rmtree(destination)  # the engine's own figure folder: replaced whole
                    elif destination.is_dir():
                        # a folder of the author's (source images): add to it, never delete what is there
                        shutil.copytree(item, destination, dirs_exist_ok=True)
                        continue
                    item.replace(destination)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            outputs.append(folder / name)
        elif writer_of(fmt) in {"typst", "docx"}:
            output = folder / name
            write = _write_pdf if writer_of(fmt) == "typst" else _write_docx
            staging_file = output.with_name(f".{output.name}.staging")  # the old file stays until the new one is whole
            try:
                write(pipeline, documents, figure_files, build_dir, staging_file)
                staging_file.replace(output)
            finally:
                staging_file.unlink(missing_ok=True)
            if writer_of(fmt) == "typst" and _keep_typ(pipeline):
                # Quarto keeps intermediate files alongside the source, also when the PDF goes to a project's
                # output-dir (a website's _site): the kept .typ is where an author looks for it.
                shutil.copyfile(build_dir / "book.typ", path.parent / f"{Path(name).stem}.typ")
            outputs.append(output)
        else:
            raise ReportError(f"unknown output format '{fmt}' (use html, typst or pdf)")
    return RenderResult(outputs=tuple(outputs), executed=tuple(pipeline.executed))


def _single_output_name(options: RenderOptions, path: Path, extension: str) -> str:
    """The file name a single document is written to: ``--output`` (its extension added when it has none), else
    the source's name with the format's extension."""
    if options.output_file is None:
        return f"{path.stem}{extension}"
    name = options.output_file
    if Path(name).name != name or name in {".", ".."}:
        raise ReportError(f"--output '{name}' names a path: it takes a file name only; use --output-dir for the "
                          "folder (as in Quarto)")
    if Path(name).suffix and len(options.formats) > 1:
        raise ReportError(f"--output '{name}' names one file, but the document renders {len(options.formats)} "
                          f"formats ({', '.join(options.formats)}): choose one with --to")
    return name if Path(name).suffix else f"{name}{extension}"


def _embed_resources(page: Path, staging: Path, folder: Path, source: Path) -> None:
    """`embed-resources: true`: the page takes in its figures and files (report.outputs.html_embed), and is the
    only file written: no figure folder beside it."""
    from report.outputs.html_embed import embed_resources

    def find(relative: str) -> Path | None:
        for base in (staging, folder):
            if (base / relative).is_file():
                return base / relative
        return None

    text = embed_resources(page.read_text(encoding="utf-8"), find, source)
    for item in list(staging.iterdir()):
        if item != page:
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    page.write_text(text, encoding="utf-8")


def _page_files(figure_files: dict[str, Path], source: Path, folder: Path) -> dict[str, Path]:
    """The files a single document's page needs copied beside it (in ``folder``), relative to it: its figures.
    Its source images are already where the page points (and copying one onto itself would fail)."""
    files = {}
    for relative, file in figure_files.items():
        beside = os.path.relpath(relative, source.parent.as_posix())
        if os.path.realpath(folder / beside) != os.path.realpath(file):
            files[beside] = file
    return files


def _keep_typ(pipeline: _Pipeline) -> bool:
    """`keep-typ` at any level Quarto allows: project, `format: typst:`, document, the document's typst format."""
    return bool(pipeline.resolved("typst").get("keep-typ"))
