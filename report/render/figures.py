"""The files a render's output shows besides its pages: the cells' figures, the images the sources reference
and the `css:` files, each by its path in the output."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from report.render.context import RenderContext
from report.sources.website import site_files

if TYPE_CHECKING:
    from report.document.assemble import AssembledDocument
    from report.document.crossref import BookDocument
    from report.sources.project import Project

__all__ = ["figure_files", "source_images", "stylesheets"]


def figure_files(context: RenderContext, assembled: list[AssembledDocument], images: dict[str, Path],
                 build_dir: Path) -> dict[str, Path]:
    """Every file the pages show, by its output-relative path: the cells' figures, written straight to where
    typst reads them (a root kept between renders, report.render.writers.typst), an unchanged one not written
    again; the source ``images``; the stylesheets."""
    files: dict[str, Path] = {}
    figure_root = build_dir / "root"
    for entry, piece in zip(context.entries, assembled):
        for relative, content in piece.figures.items():
            output_relative = (entry.path.parent / relative).as_posix()
            file = figure_root / output_relative
            if not file.is_file() or file.read_bytes() != content:
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_bytes(content)
            files[output_relative] = file
    files.update({relative: file for relative, file in images.items() if relative not in files})
    files.update(stylesheets(context))  # published beside the pages, as Quarto copies `css:` files
    files.update(site_files(context.project))  # a website's logos
    return files


def source_images(documents: list[BookDocument], project: Project) -> dict[str, Path]:
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


def stylesheets(context: RenderContext) -> dict[str, Path]:
    """``css`` at every level, by its path in the project (each relative to the file that names it)."""
    return context.layered_files("html", "css", "stylesheet")
