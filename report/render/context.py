"""What every step of one render reads: the project, the mode, the options as each format sees them.

A RenderContext is a frozen record: a single document's front matter and formats come in as a new record
(``for_document``), never by changing the one the earlier steps saw.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from report import __version__
from report._draft import DEFAULT_DRAFT_MARK
from report.errors import ReportError
from report.render.modes import Book, RenderMode
from report.render.options import RenderOptions
from report.render.stages import source_date_epoch
from report.sources.language import labels as language_labels

if TYPE_CHECKING:
    from report.sources.brand import Brands
    from report.sources.project import ChapterEntry, Project
    from report.sources.qmd import QmdDocument
    from report.sources.resolved import Layer, ResolvedFormat

__all__ = ["ReadEnvironment", "RecordTarget", "RenderContext", "layer_base", "plain_metadata"]


class ReadEnvironment(Mapping[str, str]):
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


@dataclass(frozen=True)
class RecordTarget:
    """This render may leave a build record (report.execution.record): its key and the tree as it started."""

    key: str
    tree_at_start: dict[str, tuple[int, int]]


# pandoc's template options the typst partials take as they are (report/outputs/resources/typst/typst-show.typ).
PANDOC_TEMPLATE_OPTIONS = ("codefont", "mathfont", "linestretch", "linkcolor", "citecolor", "filecolor")


@dataclass(frozen=True)
class RenderContext:
    project: Project
    entries: tuple[ChapterEntry, ...]
    options: RenderOptions
    mode: RenderMode
    record: RecordTarget | None = None
    # Front matter of the single rendered document (for_document); None for a book.
    document_metadata: Mapping[str, Any] | None = None
    # What the sources read besides the tree's files: `{{< env >}}` variables (a copy: one render sees one
    # environment).
    environment: ReadEnvironment = field(default_factory=lambda: ReadEnvironment(os.environ))

    def for_document(self, doc: QmdDocument, formats: tuple[str, ...]) -> "RenderContext":
        """A single document's front matter counts as much as the project's settings (project < document)."""
        return replace(self, options=replace(self.options, formats=formats), document_metadata=doc.metadata)

    @cached_property
    def epoch(self) -> int:
        return source_date_epoch(self.project.root)

    @cached_property
    def labels(self) -> Mapping[str, str]:
        """The document language's labels, with the `language:` option's translations over them."""
        return language_labels(self.project.lang if self.document_metadata is None else self.lang, self.language)

    @cached_property
    def language(self) -> dict[str, Any]:
        """The `language:` option merged over its levels (project < format < document), as Quarto merges it: a
        mapping as it is written, a file name read from beside the file that names it (with its variations)."""
        from report.sources.language import read_language_file
        from report.sources.resolved import merge_options

        levels = []
        for layer in self.document_options().layers:
            value = layer.options.get("language")
            if value is None:
                continue
            # any other type is refused when the options are read (quarto_options.yml: a path or an object)
            levels.append(read_language_file(self.named_file(layer, value, "language file"))
                          if isinstance(value, str) else value)
        return merge_options(*levels)

    @property
    def lang(self) -> str:
        return self.document_options().get("lang") or self.project.lang

    @property
    def whole_book(self) -> bool:
        return isinstance(self.mode, Book)

    def resolved(self, fmt: str, doc: QmdDocument | None = None) -> ResolvedFormat:
        """Options as the writer of ``fmt`` sees them for ``doc`` (by default the single rendered document, or
        none for a book): project < its format < document < the document's format < -M (report.sources.resolved)."""
        from report.sources.resolved import resolve_format

        if doc is None:
            document = self.document_metadata if self.document_metadata is not None else {}
            file = self.entries[0].path if self.document_metadata else None
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

    def includes(self, fmt: str, document: Mapping[str, Any], path: Path, *, project: bool = True):
        """`include-in-header`, `-before-body`, `-after-body` of the project (and its ``fmt``) and of ``document``,
        level by level as the one resolution of options has them (report.sources.resolved)."""
        from report.outputs.includes import read_includes
        from report.sources.resolved import resolve_format

        resolved = resolve_format(fmt, self.project.metadata if project else {}, dict(document), document_file=path)
        return read_includes([(dict(layer.options), layer.file) for layer in resolved.layers if layer.file is not None],
                             self.project.root, self.project.data_folders)

    def metadata(self, fmt: str) -> dict[str, Any]:
        from report.document.xref_options import list_title
        from report.outputs.colophon import colophon_entries
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
            "abstract": plain_metadata(options.get("abstract")),
            "abstract-title": options.get("abstract-title") or self.labels["abstract"],
            # The PDF's fonts (report.outputs.fonts): typst sees only these, never the machine's own.
            "mainfont": options.get("mainfont"), "fontsize": options.get("fontsize"),
            "font-paths": plain_metadata(options.get("font-paths")),
            "papersize": options.get("papersize"), "margin": plain_metadata(options.get("margin")),
            "columns": options.get("columns"),
            "toc": bool(options.get("toc")),
            "toc-title": options.get("toc-title") or self.labels["toc"], "toc-depth": options.get("toc-depth"),
            "lof": options.get("lof", bool(book)), "lof-title": list_title(options, self.labels, "lof"),
            "lot": options.get("lot", bool(book)), "lot-title": list_title(options, self.labels, "lot"),
            "mark": mark, **colophon, "link-citations": True,
            "citation": options.get("citation"), "appendix-cite-as": options.get("appendix-cite-as"),
            "citation-date": title_block.resolve_date(given.get("date"), self.lang, "iso", lambda: [
                self.project.root / entry.path for entry in self.entries]) if options.get("citation") else None,
            "reference-section-title": None,
            "thanks": options.get("thanks"), "keywords": plain_metadata(options.get("keywords")),
            **{key: plain_metadata(options.get(key)) for key in PANDOC_TEMPLATE_OPTIONS},
        }
        # Open metadata (keys Quarto does not know), project < format < document, for templates and {{< meta >}}.
        metadata.update({key: plain_metadata(value) for key, value in options.items()
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

    def bibliography(self) -> tuple[list[Path], Path | None]:
        """Bibliography files and CSL style; paths are relative to the file that names them, inside the project."""
        options = self.document_options()
        files = [self.named_file(layer, str(name), "bibliography file")
                 for name, layer in options.values_by_layer("bibliography")]
        style = [self.named_file(layer, str(name), "CSL style") for name, layer in options.values_by_layer("csl")]
        return files, (style[-1] if style else None)

    def named_file(self, layer: Layer, name: str, what: str) -> Path:
        """The file ``name`` given at ``layer`` names: inside the project, and there."""
        from report.sources.paths import inside_project

        origin = (layer.file or Path("_quarto.yml")).as_posix()
        file = self.project.root / inside_project(self.project.root, layer_base(layer), name, what=what,
                                                  path=origin, data_dirs=self.project.data_folders)
        if not file.is_file():
            raise ReportError(f"{what} '{name}' does not exist", path=origin)
        return file

    def layered_files(self, fmt: str, option: str, what: str) -> dict[str, Path]:
        """``option`` of ``fmt`` at every level, by each file's path in the project (each relative to the file
        that names it)."""
        from report.sources.paths import inside_project

        found = {}
        for name, layer in self.resolved(fmt).values_by_layer(option):
            origin = layer.file or Path("_quarto.yml")
            relative = inside_project(self.project.root, layer_base(layer), str(name), what=what, path=origin,
                                      data_dirs=self.project.data_folders)
            if not (self.project.root / relative).is_file():
                raise ReportError(f"{what} '{name}' does not exist", path=origin)
            found[relative.as_posix()] = self.project.root / relative
        return found

    def pandoc_args(self) -> list[str]:
        files, style = self.bibliography()
        if not files:
            return []
        return ["--citeproc", *(f"--bibliography={file}" for file in files)] + ([f"--csl={style}"] if style else [])


def layer_base(layer: Layer) -> Path:
    """The folder a path written at ``layer`` is relative to: its file's (the project's for the command line)."""
    return layer.file.parent if layer.file is not None else Path(".")


def plain_metadata(value: Any) -> Any:
    """YAML values as pandoc metadata takes them (dates become ISO strings)."""
    from report.sources._yaml import plain_value

    return plain_value(value)
