"""The `html` writer: a book's site (pages with sidebar, search and downloads), or one document's page with its
figure folder beside it (report.outputs.html)."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from report.outputs.notebook_links import NotebookPreview, notebook_links, preview_header
from report.render.context import RenderContext
from report.render.modes import WebsitePage
from report.render.figures import stylesheets
from report.render.stages import log, stage
from report.render.writing import WriteJob, write_staged
from report.sources import diagnostics

if TYPE_CHECKING:
    from report.outputs.html import HtmlSite
    from report.outputs.theme import SiteStyle

__all__ = ["EXTENSION", "check", "write_book", "write_document"]

EXTENSION = ".html"
# `book: downloads:` -> the file each names and how its link is labelled (Quarto: the sidebar's tools)
DOWNLOADS = {"pdf": ("pdf", "PDF"), "docx": ("docx", "Word")}


def write_book(job: WriteJob, folder: Path) -> dict[str, Path]:
    """The book's pages into ``folder``; the figures and images are published from where they are, not copied
    into the site first."""
    from report.outputs.html import write_html

    context = job.context
    with stage("html", f"{len(job.documents)} page(s)", folder=folder.parent):
        site = _site(context, sidebar=True)
        documents = [replace(doc, blocks=notebook_links(doc.blocks, {}, context.labels, in_book=True,
                                                        previews_built=False)[0]) for doc in job.documents]
        write_html(documents, site, folder,
                   context.pandoc_args() + site.math.pandoc_arguments + _note_placement(context) + _writer(context),
                   context.metadata("html"), {})
    return job.figure_files


def write_document(job: WriteJob, folder: Path, name: str) -> Path:
    """One document's page, named ``name``, with its figure folder into ``folder``: built aside, then moved in."""
    from report.document.crossref import BookDocument
    from report.outputs.html import write_html

    context = job.context
    path = context.mode.path
    staging = Path(tempfile.mkdtemp(prefix=".report-single.staging-", dir=folder))
    # A website's pages are published into its site, where no preview page is built: their links download.
    builds_previews = not isinstance(context.mode, WebsitePage)
    try:
        doc = job.documents[0]
        blocks, previews, groups = notebook_links(doc.blocks, context.resolved("html").as_dict(), context.labels,
                                                  in_book=context.mode.in_book, previews_built=builds_previews)
        site = replace(_site(context, sidebar=False), page_links=(*_format_links(job), *groups))
        log.info("  output-file: %s", name)
        write_html([BookDocument(source=Path(doc.source.name), blocks=blocks, line_of=doc.line_of,
                                 title=doc.title, sections=doc.sections, number=doc.number, effects=doc.effects)],
                   site, staging, context.pandoc_args() + site.math.pandoc_arguments + _note_placement(context)
                   + _writer(context),
                   context.metadata("html"), _page_files(job.figure_files, doc.source, folder, job.build_dir))
        if context.resolved("html").get("embed-resources"):
            _embed_resources(staging / f"{path.stem}.html", staging, folder, context.entries[0].path,
                             context.resolved("html").get("resource-path") or [])
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
    for preview in previews:
        if preview.page is not None:
            _write_preview(context, preview, folder, name)
    return folder / name


def _format_links(job: WriteJob) -> tuple:
    """The page's links to the document's other outputs of this render (report.outputs.format_links)."""
    from report.outputs.format_links import format_links
    from report.render.writing import document_output_name

    context = job.context
    options = context.resolved("html")
    return format_links(tuple(context.options.formats or ()),
                        lambda fmt: document_output_name(job, fmt), options.get("format-links"),
                        context.labels,
                        lambda message: diagnostics.warn(message, path=options.origin_file("format-links")))


def _write_preview(context: RenderContext, preview: NotebookPreview, folder: Path, page: str) -> None:
    """An embedded notebook's preview page `<stem>-preview.html` beside it: the notebook rendered on its own as
    Quarto renders it (its stored outputs; a .qmd executed), with the embed header (back to the article, the
    notebook to download). Its warnings are the render's."""
    from report.build import render

    notebook = folder / preview.notebook
    source = context.mode.path.parent / preview.notebook
    # A build folder of its own (not a preview session's, which the page's render is still using); the page's
    # parameters and -M values are the page's, not the notebook's.
    options = replace(context.options, formats=("html",), output_file=PurePosixPath(preview.page).name,
                      output_dir=notebook.parent if folder != context.mode.path.parent else None, params={},
                      metadata={}, persistent=False)
    with stage("preview", preview.notebook):
        result = render(source, options)
    for warning in result.warnings:
        diagnostics.warn(warning.message, path=warning.path, line=warning.line)
    written = folder / preview.page
    header = preview_header(written.read_text(encoding="utf-8"), preview,
                            os.path.relpath(folder / page, written.parent), context.labels)
    write_staged(written, lambda file: file.write_text(header, encoding="utf-8"))


def check(context: RenderContext) -> None:
    """The house style: the brand and the theme read, compiled and checked."""
    _site_style(context)


def _site(context: RenderContext, sidebar: bool) -> HtmlSite:
    from report.outputs.highlight import highlight_css, style_option
    from report.outputs.html import HtmlSite
    from report.outputs.html_math import html_math
    from report.outputs.website_meta import WEBSITE_ONLY, social_settings
    from report.sources.website import page_footer, site_navigation

    project = context.project
    metadata = context.metadata("html")
    options = context.resolved("html")
    navigation = site_navigation(project, context.entries[0].path)
    for name in WEBSITE_ONLY if navigation is None else ():
        if options.get(name):
            diagnostics.warn(f"option '{name}' takes effect on the pages of a website project only",
                             path=options.origin_file(name))
    # The file that names the style (a theme file is next to it): the document, or _quarto.yml.
    origin = options.origin_file("syntax-highlighting", "highlight-style")
    return HtmlSite(title=metadata.get("title", ""), subtitle=metadata.get("subtitle"),
                    authors=tuple(metadata.get("by-author", [])), date=metadata.get("date"),
                    abstract=metadata.get("abstract"), abstract_title=metadata.get("abstract-title"),
                    lang=context.lang, labels=context.labels, mark=metadata.get("mark"),
                    toc=bool(metadata.get("toc", True)), sidebar=sidebar,
                    article=not sidebar and not context.mode.in_book,
                    code_style=highlight_css(style_option(options.options), project.root / origin.parent, origin),
                    code_copy=options.get("code-copy", True) not in (False, "false"),
                    stylesheets=tuple(relative if sidebar else os.path.relpath(relative, context.entries[0].path.parent)
                                      for relative in stylesheets(context)),
                    website=navigation,
                    downloads=_downloads(context) if sidebar else (),
                    cover=_cover(context),
                    includes=context.includes("html", {}, Path("_quarto.yml")),
                    style=_site_style(context), options=options.as_dict(), page_footer=page_footer(project),
                    math=html_math(options.as_dict(), lambda message: diagnostics.warn(
                        message, path=options.origin_file("html-math-method"))),
                    social=social_settings(options.as_dict(), metadata.get("title", ""), navigation.site_title,
                                           PurePosixPath(context.entries[0].path.as_posix()))
                    if navigation else None)


def _writer(context: RenderContext) -> list[str]:
    """pandoc's HTML writer with the format's `variant` (its extensions, `+literate_haskell`), logged as Quarto
    names the format it renders (`to: html+literate_haskell`)."""
    variant = context.resolved("html").get("variant")
    variant = variant.strip() if isinstance(variant, str) and variant.strip()[:1] in {"+", "-"} else ""
    log.info("  to: html%s", variant)
    return ["--to", f"html5{variant}"] if variant else []


def _note_placement(context: RenderContext) -> list[str]:
    """`reference-location` for the page's footnotes: pandoc places them at the block, section or document end;
    in the margin the page writer places them (report.outputs.html_margin_notes). `citation-location: margin` is
    the PDF's layout only, which the page says in a warning."""
    options = context.resolved("html")
    if options.get("citation-location") == "margin":
        diagnostics.warn("option 'citation-location: margin' is laid out in the PDF only; the HTML page keeps its "
                         "citations in the text and the reference list", path=options.origin_file("citation-location"))
    placement = options.get("reference-location")
    return [f"--reference-location={placement}"] if placement in {"block", "section", "document"} else []


def _site_style(context: RenderContext) -> SiteStyle:
    """A brand's and a theme's part of the site's look (report.outputs.theme): the light brand, and the dark one
    where the brand has one."""
    from report.outputs.theme import site_style

    brands = context.brands("html")
    options = context.resolved("html")
    return site_style(context.project.root, brands.light if brands else None, brands.dark if brands else None,
                      options.get("theme"), options.origin_file("theme"))


def _downloads(context: RenderContext) -> tuple[tuple[str, str], ...]:
    book = context.project.config.book
    named = (book.downloads if book else None) or []
    links = []
    for name in [named] if isinstance(named, str) else named:
        if name not in DOWNLOADS:
            diagnostics.warn(f"book download '{name}' is skipped: the embedded engine offers "
                             f"{' and '.join(DOWNLOADS)} downloads", path="_quarto.yml")
            continue
        suffix, label = DOWNLOADS[name]
        links.append((f"{context.labels['download']} {label}", f"{context.project.output_file}.{suffix}"))
    return tuple(links)


def _cover(context: RenderContext) -> tuple[str, str, Path] | None:
    """`book: cover-image:` (as written, relative to the project), its alt text and its file."""
    book = context.project.config.book
    if not book or not book.cover_image:
        return None
    return book.cover_image, book.cover_image_alt or "", context.project.root / book.cover_image


def _embed_resources(page: Path, staging: Path, folder: Path, source: Path, resource_path: list[str]) -> None:
    """`embed-resources: true`: the page takes in its figures and files (report.outputs.html_embed), and is the
    only file written: no figure folder beside it. A file is looked for beside the page, then in the folders
    `resource-path` names (relative to the document), as pandoc does for Quarto."""
    from report.outputs.html_embed import embed_resources

    def find(relative: str) -> Path | None:
        for base in (staging, folder, *(folder / extra for extra in resource_path)):
            if (base / relative).is_file():
                return base / relative
        return None

    text = embed_resources(page.read_text(encoding="utf-8"), find, source)
    for item in list(staging.iterdir()):
        if item != page:
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    page.write_text(text, encoding="utf-8")


def _page_files(figure_files: dict[str, Path], source: Path, folder: Path, build_dir: Path) -> dict[str, Path]:
    """The files a single document's page needs copied beside it (in ``folder``), relative to it: its figures.
    Its source images are already where the page points (and copying one onto itself would fail).

    A file above the page's folder (a website's logo or style sheet, for a page in a subfolder) is copied here,
    into the site's staging folder in ``build_dir``, because the page writer stages in a folder of its own."""
    files = {}
    for relative, file in figure_files.items():
        beside = os.path.relpath(relative, source.parent.as_posix())
        destination = Path(os.path.normpath(folder / beside))
        if os.path.realpath(destination) == os.path.realpath(file):
            continue
        if beside.startswith("..") and destination.is_relative_to(build_dir):
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, destination)
            continue
        files[beside] = file
    return files
