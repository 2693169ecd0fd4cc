"""The document transforms, in the one order they run (as Quarto's main.lua lists its filters).

Every transform is a named record with a ``run`` and a ``cache_key``, what its result depends on besides the
blocks it is given. ``DOCUMENT`` transforms run per document, first the cached ones (the read cache,
report.document.read_cache, keeps their result under the union of their keys and the engine's code), then the
ones whose warnings and effects must come on every render. ``BOOK`` transforms run over all documents at once,
after every document is read. The user's Lua filters run in their slots here (``lua:read``, ``lua:engine``,
and ``lua:resolved`` after cross-references are resolved; report.document.lua_filters).

The loop logs the two passes as the stages `read` and `number`, and each transform's time at debug level.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from report.document import code, columns, conditional, list_tables, tabsets
from report.document._ast import walk
from report.document.article import chapter_title_heading, unnumbered_titles
from report.document.blocks import (bibliography_keys, check_citations, check_unsupported, prepare_callouts,
                                    resolve_html_outputs)
from report.document.crossref import BookDocument, Target, index_entries, number_book, resolve_references
from report.document.html_tables import parse_html_tables
from report.document.lua_filters import FilterRun, LuaEffects, filter_entries, lua_digest, split_effects
from report.document.pandoc import markdown_to_ast
from report.document.reader import reader_format
from report.document.read_cache import cached_read
from report.document.shortcode_nodes import expand_markers
from report.document.xref_options import CrossrefSettings, crossref_settings
from report.render.context import RenderContext
from report.render.modes import Book, BookChapter
from report.render.stages import stage
from report.sources import formats as quarto_formats
from report.sources.format_names import writer_names, writer_of

if TYPE_CHECKING:
    from report.document.assemble import AssembledDocument
    from report.sources.project import ChapterEntry
    from report.sources.qmd import QmdDocument

__all__ = ["BOOK", "DOCUMENT", "BookTransform", "DocumentTransform", "run_transforms"]

log = logging.getLogger("report")


@dataclass(frozen=True)
class DocumentSource:
    """What the transforms of one document read besides its blocks."""

    context: RenderContext
    entry: ChapterEntry
    doc: QmdDocument
    assembled: AssembledDocument
    by_format: dict[str, dict[str, Any]]  # the document's options as each writer sees them (conditional content)
    shared: dict[str, Any]  # the options read once for every format (report.sources.resolved)
    filters: FilterRun  # the user's Lua filters, by slot


@dataclass(frozen=True)
class Reading:
    """One document as the document transforms pass it on."""

    source: DocumentSource
    blocks: list
    effects: LuaEffects = field(default_factory=LuaEffects)


@dataclass(frozen=True)
class DocumentTransform:
    name: str
    run: Callable[[Reading], Reading]
    # What the result depends on besides the blocks: a part of the read cache's key; None: not cached (runs
    # after the cached transforms, on every render).
    cache_key: Callable[[DocumentSource], dict[str, Any]] | None


@dataclass
class BookPass:
    """The documents of the render while the book transforms number and link them."""

    context: RenderContext
    documents: list[BookDocument]
    sources: list[QmdDocument]
    crossref: CrossrefSettings | None = None
    targets: dict[str, Target] = field(default_factory=dict)
    index: dict[str, dict[str, Any]] = field(default_factory=dict)  # the book's index, for a lone chapter
    filters: list[FilterRun] = field(default_factory=list)  # each document's Lua filters


@dataclass(frozen=True)
class BookTransform:
    name: str
    run: Callable[[BookPass], None]
    cache_key: None = None  # book-wide results are never cached: every render numbers the book anew


def _blocks(name: str, transform: Callable[[DocumentSource, list], list],
            cache_key: Callable[[DocumentSource], dict[str, Any]] | None = lambda source: {}) -> DocumentTransform:
    """A transform of the blocks alone."""
    return DocumentTransform(name, lambda reading: replace(reading, blocks=transform(reading.source, reading.blocks)),
                             cache_key)


def _lua(point: str) -> DocumentTransform:
    """The user's Lua filters of ``point`` (report.document.lua_filters.POINTS)."""
    return _blocks(f"lua:{point}", lambda source, blocks: source.filters.at(point, blocks, source.doc.path),
                   lambda source: {"lua": lua_digest(source.filters.filters), "metadata": source.by_format,
                                   "formats": list(source.context.options.formats or ())})


def _labels(source: DocumentSource) -> Mapping[str, str]:
    return source.context.labels


def _title_heading(source: DocumentSource) -> bool:
    return source.context.mode.in_book


def _split_effects(reading: Reading) -> Reading:
    """The effects Lua code left as marker Divs, taken out of the blocks; with the document's own includes, which
    go on its page (report.outputs.includes)."""
    source = reading.source
    blocks, effects = split_effects(reading.blocks, source.context.project.root, source.doc.path)
    includes = source.context.includes("html", source.doc.metadata, source.doc.path, project=False)
    scripts = source.assembled.page_scripts.includes()  # the outputs' JavaScript (report.document.cell_widgets)
    return replace(reading, blocks=blocks, effects=effects.merged(LuaEffects(includes=scripts + includes.pairs())))


def _check_unsupported(source: DocumentSource, blocks: list) -> list:
    check_unsupported(blocks, source.doc.path, source.doc.line_of)  # again when the blocks come from the cache
    return blocks


DOCUMENT: tuple[DocumentTransform, ...] = (
    _blocks("pandoc", lambda source, blocks: markdown_to_ast(source.assembled.markdown, source.doc.path,
                                                             reader_format(source.shared.get("from"),
                                                                           source.doc.path))["blocks"],
            lambda source: {"document": source.doc.path.as_posix(), "markdown": source.assembled.markdown,
                            "from": source.shared.get("from")}),
    _blocks("shortcodes", lambda source, blocks: expand_markers(blocks, source.doc.path)),
    _lua("read"),
    _blocks("outputs", lambda source, blocks: resolve_html_outputs(blocks, source.assembled.html_outputs,
                                                                   source.doc.path),
            lambda source: {"html_outputs": source.assembled.html_outputs}),
    _blocks("html-tables", lambda source, blocks: parse_html_tables(blocks, source.doc.path,
                                                                    source.shared.get("html-table-processing")),
            lambda source: {"shared": source.shared}),
    _lua("engine"),
    _blocks("conditional", lambda source, blocks: conditional.resolve_conditions(
        blocks, source.by_format, source.doc.path, source.doc.line_of, source.context.options.formats),
            lambda source: {"metadata": source.by_format, "formats": list(source.context.options.formats or ())}),
    _blocks("list-tables", lambda source, blocks: list_tables.list_tables(blocks, source.doc.path,
                                                                          source.doc.line_of)),
    _blocks("pagebreaks", lambda source, blocks: walk(blocks, columns.pagebreak_blocks, {"Para", "Plain"})),
    _blocks("tabsets", lambda source, blocks: tabsets.prepare_tabsets(blocks)),
    _blocks("code", lambda source, blocks: code.prepare_code(
        blocks, code.CodeOptions.from_metadata(source.shared, _labels(source)), _labels(source), source.doc.path,
        source.doc.line_of),
            lambda source: {"shared": source.shared, "labels": dict(_labels(source))}),
    _blocks("callouts", lambda source, blocks: prepare_callouts(blocks, _labels(source), source.shared,
                                                                source.doc.path, source.doc.line_of),
            lambda source: {"shared": source.shared, "labels": dict(_labels(source))}),
    # In a book each chapter's page opens with its title as a heading (report.document.article).
    _blocks("title", lambda source, blocks: chapter_title_heading(blocks, source.doc.metadata.get("title"))
            if _title_heading(source) else blocks,
            lambda source: {"title_heading": _title_heading(source), "title": source.doc.metadata.get("title")}),
    # Not cached: their warnings and effects come on every render.
    DocumentTransform("effects", _split_effects, None),
    _blocks("unsupported", _check_unsupported, None),
    # A part's page is no chapter: its title is not numbered (report.document.article).
    _blocks("part-title", lambda source, blocks: unnumbered_titles(blocks) if source.entry.part_page else blocks,
            None),
)


def _number(book: BookPass) -> None:
    """Chapters, sections, figures and tables numbered; a lone chapter keeps its number in the book."""
    context, documents = book.context, book.documents
    project = context.project
    if isinstance(context.mode, BookChapter):
        index_file = _index_file(context)
        book.index = json.loads(index_file.read_text(encoding="utf-8")) if index_file.is_file() else {}
    own_number = None
    if isinstance(context.mode, BookChapter):
        entry = next((item for item in project.chapters if item.path == context.entries[0].path), None)
        documents[0].appendix = bool(entry and entry.appendix)
        documents[0].part = entry.part if entry else None
        own_number = next((value["number"] for value in book.index.values() if value["page"] == documents[0].page
                           and value["kind"] in {"chapter", "appendix"}), None)
    numbering = context.document_options()
    book.crossref = crossref_settings(numbering.as_dict(), context.labels,
                                      typst_metadata=context.resolved("typst").as_dict(),
                                      source=numbering.origin_file("crossref"))
    in_book = context.mode.in_book
    book.targets = number_book(documents, context.labels, book=in_book,
                               number_sections=bool(numbering.get("number-sections", in_book)),
                               chapter_number=own_number, settings=book.crossref,
                               pdf_ua=quarto_formats.requests_ua(context.pdf_standards()))


def _references(book: BookPass) -> None:
    """`@` cross-references resolved; a lone chapter's to the rest of the book through the book's index, which
    a book's render writes for them."""
    context = book.context
    elsewhere = None
    if isinstance(context.mode, BookChapter):
        page_dir = context.project.root / context.entries[0].path.parent
        elsewhere = {key: {**value, "page": os.path.relpath(context.project.output_dir / value["page"], page_dir)}
                     for key, value in book.index.items() if key not in book.targets}
    resolve_references(book.documents, book.targets, context.labels, elsewhere, settings=book.crossref)
    if isinstance(context.mode, Book):
        index_file = _index_file(context)
        index_file.parent.mkdir(parents=True, exist_ok=True)
        index_file.write_text(json.dumps(index_entries(book.targets, book.documents), ensure_ascii=False, indent=1),
                              encoding="utf-8")


def _citations(book: BookPass) -> None:
    """Every citation key in the bibliography (report.document.blocks)."""
    keys = bibliography_keys(book.context.bibliography()[0])
    for document, doc in zip(book.documents, book.sources):
        check_citations(document.blocks, keys, doc.path, doc.line_of)


def _resolved_filters(book: BookPass) -> None:
    """The Lua filters Quarto runs after its cross-reference filters (`post-quarto` ... `post-finalize`, and
    those after `quarto`): they see every `@ref` as its resolved Link. Where their results differ between the
    formats, each format's result is kept for it (report.document.conditional)."""
    root = book.context.project.root
    for document, doc, filters in zip(book.documents, book.sources, book.filters):
        if not any(item.point == "resolved" for item in filters.filters):
            continue
        blocks = filters.at("resolved", document.blocks, doc.path)
        blocks = conditional.resolve_conditions(blocks, filters.metadata, doc.path, doc.line_of, filters.rendered_as)
        document.blocks, effects = split_effects(blocks, root, doc.path)
        document.effects = effects if document.effects is None else document.effects.merged(effects)


BOOK: tuple[BookTransform, ...] = (
    BookTransform("number", _number),
    BookTransform("xrefs", _references),
    BookTransform("lua:resolved", _resolved_filters),
    BookTransform("citations", _citations),
)


def run_transforms(context: RenderContext, documents: list[QmdDocument],
                   assembled: list[AssembledDocument]) -> list[BookDocument]:
    """Every transform in order: ``DOCUMENT`` for each document, then ``BOOK`` over them all."""
    with stage("read", "Markdown to pandoc AST"):
        sources: list[DocumentSource] = []
        read: list[BookDocument] = []
        for entry, doc, piece in zip(context.entries, documents, assembled):  # each document's warnings together
            sources.append(_document_source(context, entry, doc, piece))
            read.append(_read(sources[-1]))
    with stage("number", "chapters, sections, figures, tables, cross-references"):
        book = BookPass(context, read, list(documents), filters=[source.filters for source in sources])
        for transform in BOOK:
            _timed(transform.name, transform.run, book)
    return read


def _read(source: DocumentSource) -> BookDocument:
    entry, doc = source.entry, source.doc
    cached = [transform for transform in DOCUMENT if transform.cache_key is not None]
    uncached = [transform for transform in DOCUMENT if transform.cache_key is None]

    def read() -> list:
        reading = Reading(source, [])
        for transform in cached:
            reading = _timed(transform.name, transform.run, reading)
        return reading.blocks

    key: dict[str, Any] = {}
    for transform in cached:
        key.update(transform.cache_key(source))
    reading = Reading(source, cached_read(key, read))
    for transform in uncached:
        reading = _timed(transform.name, transform.run, reading)
    return BookDocument(source=entry.path, blocks=reading.blocks, line_of=doc.line_of, part=entry.part,
                        appendix=entry.appendix, part_page=entry.part_page, effects=reading.effects)


def _document_source(context: RenderContext, entry: ChapterEntry, doc: QmdDocument,
                     assembled: AssembledDocument) -> DocumentSource:
    """The options one document is read with: conditional content is decided for every writer; code and callout
    options are read once (report.sources.resolved), with a warning for each option that is not applied."""
    from report.sources.config import DocumentConfig
    from report.sources.options import model_keys
    from report.sources.resolved import warn_unapplied

    by_format = {fmt: context.resolved(fmt, doc).as_dict() for fmt in writer_names()}
    primary = context.document_options(doc)
    others = {writer_of(fmt) for fmt in context.options.formats or ()} - {primary.writer}
    warn_unapplied(primary, [context.resolved(str(writer), doc) for writer in sorted(others)],
                   chapter=context.whole_book, implemented=model_keys(DocumentConfig))
    return DocumentSource(context, entry, doc, assembled, by_format, primary.as_dict(),
                          _lua_filters(context, doc, by_format))


def _lua_filters(context: RenderContext, doc: QmdDocument, by_format: dict[str, dict[str, Any]]) -> FilterRun:
    """The document's `filters:` (report.document.lua_filters): project, its format, document, its format."""
    from report.sources.extensions import extension_named
    from report.sources.shortcodes import ShortcodeContext

    root = context.project.root

    def extension_filters(name: str, origin: Path):
        extension = extension_named(name, root, doc.path)
        return None if extension is None else extension.files("filters", root)

    by_filters = {fmt: filter_entries([(item, layer.file or Path("_quarto.yml"))
                                       for item, layer in context.resolved(fmt, doc).values_by_layer("filters")],
                                      root, extension_filters) for fmt in writer_names()}
    if not any(by_filters.values()):
        return FilterRun()
    variables = ShortcodeContext.for_project(root, {}).variables
    return FilterRun(by_filters, variables, root, by_format, context.options.formats)


def _index_file(context: RenderContext) -> Path:
    """The book's cross-reference index, kept by a book's render for the lone-chapter renders after it."""
    return context.project.root / ".report-build" / "xref-index.json"


def _timed(name: str, run: Callable[[Any], Any], value: Any) -> Any:
    started = time.perf_counter()
    result = run(value)
    log.debug("  %-12s %.3f s", name, time.perf_counter() - started)
    return result
