"""The `typst` writer (also Quarto's `pdf`): the book or the document as typst source, compiled to one PDF
(report.outputs.typst); with `keep-typ` its .typ is kept too."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from report.errors import ReportError
from report.render.context import RenderContext, layer_base
from report.render.stages import stage
from report.render.writing import WriteJob, write_staged
from report.sources import diagnostics

if TYPE_CHECKING:
    from report.outputs.typst import TypstSourceMap

__all__ = ["EXTENSION", "check", "write_book", "write_document"]

EXTENSION = ".pdf"


def write_book(job: WriteJob, folder: Path) -> dict[str, Path]:
    name = job.context.project.output_file
    with stage("pdf", f"{name}.pdf", folder=folder.parent):
        _write_pdf(job, folder / f"{name}.pdf")
        if _keep_typ(job.context):
            shutil.copyfile(job.build_dir / "book.typ", folder / f"{name}.typ")
    return {}


def write_document(job: WriteJob, folder: Path, name: str) -> Path:
    if Path(name).suffix != EXTENSION:
        # `output-ext: typ` (any extension but pdf): Quarto's typst output is then the typst source itself,
        # and no PDF is compiled.
        return write_staged(folder / name, lambda file: _write_source(job, file, folder))
    output = write_staged(folder / name, lambda file: _write_pdf(job, file))
    if _keep_typ(job.context):
        # Quarto keeps intermediate files alongside the source, also when the PDF goes to a project's
        # output-dir (a website's _site): the kept .typ is where an author looks for it.
        shutil.copyfile(job.build_dir / "book.typ", job.context.mode.path.parent / f"{Path(name).stem}.typ")
    return output


def check(context: RenderContext) -> None:
    """The brand the PDF uses, read and its contrast checked."""
    context.brands("typst")


def _keep_typ(context: RenderContext) -> bool:
    """`keep-typ` at any level Quarto allows: project, `format: typst:`, document, the document's typst format."""
    return bool(context.resolved("typst").get("keep-typ"))


@dataclass(frozen=True)
class _Typst:
    """The typst source of a render, under the root typst reads files from, and how to compile it."""
    root: Path
    source: Path  # below root
    sources: TypstSourceMap
    standards: list[str]
    fonts: list[str]


def _write_pdf(job: WriteJob, output: Path) -> None:
    from report.outputs.typst import compile_pdf

    typst = _typst(job)
    context = job.context
    compile_pdf(typst.source, output, typst.root, context.epoch, reuse=context.options.persistent,
                standards=typst.standards, server_idle=60 * context.project.config.report.pdf_server,
                fonts=typst.fonts, sources=typst.sources)


def _write_source(job: WriteJob, output: Path, folder: Path) -> None:
    """The typst source as the output, with the files the engine made for it (the cells' figures, the
    mediabag: `NAME_files/`) beside it, where its relative paths find them."""
    typst = _typst(job)
    shutil.copyfile(typst.source, output)
    made = typst.source.parent / f"{job.context.mode.path.stem}_files"
    for file in sorted(made.rglob("*")) if made.is_dir() else ():
        if file.is_file():
            destination = folder / file.relative_to(typst.source.parent)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, destination)


def _typst(job: WriteJob) -> _Typst:
    from report.document.article import article_heading_shift, is_article
    from report.outputs.brand_typst import anchored_logo_option, logo_option_files
    from report.outputs.fonts import available_families, pdf_font_paths
    from report.outputs._biblio_typst import bibliography_for
    from report.outputs.highlight import style_option, typst_highlighting
    from report.outputs.typst import typst_figure_path, write_typst
    from report.sources import formats as quarto_formats

    context, documents, build_dir = job.context, job.documents, job.build_dir
    project = context.project
    metadata = context.metadata("typst")
    if is_article(documents, book=project.is_book):
        metadata["compact"] = True  # Quarto's article layout (the engine's default template)
    standards = context.pdf_standards()
    ua = quarto_formats.requests_ua(standards)
    if ua and not metadata.get("title"):
        raise ReportError("missing document title: PDF/UA-1 requires one (set 'title:' in the front matter, or "
                          "'book: title:')", path=documents[0].source if len(documents) == 1 else "_quarto.yml")
    # A book's .typ stands at the project root; a single document's next to the document, as Quarto keeps it.
    base = PurePosixPath(".") if project.is_book else PurePosixPath(documents[0].source.parent.as_posix())
    includes = context.includes("typst", context.document_metadata or {}, context.entries[0].path)
    options = context.resolved("typst")
    style_origin = options.origin_file("syntax-highlighting", "highlight-style")
    highlighting = typst_highlighting(style_option(options.options), project.root / style_origin.parent,
                                      style_origin, build_dir)
    brands = context.brands("typst")
    brand_mode = str(options.get("brand-mode") or "light")
    brand = brands.mode(brand_mode) if brands else None
    partials = {path.name: path for path in context.layered_files("typst", "template-partials",
                                                                  "template partial").values()}
    bibliography = bibliography_for(options, *context.bibliography(), project.root, base)
    fonts = pdf_font_paths(project.root, metadata, documents,
                           font_paths=[(str(name), layer_base(layer), layer.file or Path("_quarto.yml"))
                                       for name, layer in options.values_by_layer("font-paths")],
                           origin=options.origin_file("font-paths", "mainfont"), build_dir=build_dir,
                           brand_fonts=[project.root / path for path in brand.font_files()] if brand else [])
    brand = brand.with_available_families(available_families(fonts)) if brand else None  # as Quarto filters them
    logo_option = anchored_logo_option(options.get("logo"), PurePosixPath(options.origin_file("logo").parent.as_posix()),
                                       brand)
    sources = write_typst(documents, build_dir, project.root, metadata, partials,
                          [*(context.pandoc_args() if bibliography is None else []), *highlighting],
                          context.labels, require_alt=ua, includes=includes, bibliography=bibliography,
                          heading_shift=article_heading_shift(documents, metadata, book=project.is_book),
                          brand=brand, brand_mode=brand_mode, logo_option=logo_option, base=base,
                          theorem_appearance=str(options.get("theorem-appearance") or "simple"),
                          options=options.as_dict(),
                          translate_css_properties=options.get("css-property-processing") != "none")
    # The brand's logos are files the typst source names (brand-logo), so they go where typst reads.
    logo_paths = [logo.path for logo in ({**brand.images, **brand.logos}.values() if brand else ())]
    logo_paths.extend(logo_option_files(logo_option))
    logos = {path: project.root / path for path in logo_paths
             if "://" not in path and ".." not in Path(path).parts and (project.root / path).is_file()}
    figures = {typst_figure_path(relative): file for relative, file in job.figure_files.items()}
    root = _typst_root(sources.typ, base, {**logos, **job.figure_files, **figures, **sources.media,
                                           **(bibliography.files if bibliography else {})}, build_dir)
    return _Typst(root, root / base / sources.typ.name, sources, standards, fonts)


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
