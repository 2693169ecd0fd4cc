"""Renders of a project made of documents that each render on their own: a website (its pages gathered and
published together) and a default project (each document beside its source, or into the output folder)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from report.errors import ReportError
from report.render.options import RenderOptions, RenderResult
from report.render.publish import output_target, publish_gathered
from report.render.stages import work_folder

if TYPE_CHECKING:
    from report.sources.project import Project

__all__ = ["render_default_project", "render_website"]


def render_website(project: Project, options: RenderOptions,
                   render_page: Callable[[Path, Path], RenderResult]) -> RenderResult:
    """A whole website (`project: type: website`): every document of the site (report.sources.website) rendered
    by ``render_page(document, gathered)`` as a page of its own with the site's navbar and sidebar into the
    folder ``gathered``, all published together into the output folder."""
    from report.outputs.publish import check_replaceable
    from report.sources.website import site_documents

    target = output_target(project, options.output_dir)
    check_replaceable(target, project.root, project.data_dir)
    pages = site_documents(project)
    if not pages:
        raise ReportError("the website has no documents to render (.qmd, .md or .ipynb files not starting with _)",
                          path=project.root / "_quarto.yml")
    (project.root / ".report-build").mkdir(parents=True, exist_ok=True)
    executed: list[Path] = []
    with work_folder(project.root / ".report-build") as work:
        gathered = work / "website"
        shutil.rmtree(gathered, ignore_errors=True)
        gathered.mkdir()
        for page in pages:
            executed.extend(render_page(project.root / page, gathered).executed)
        published = publish_gathered(project, target, gathered)
    return RenderResult(outputs=(target,), executed=tuple(executed), written=published.written)


def render_default_project(project: Project, options: RenderOptions,
                           render_document: Callable[[Path, RenderOptions], RenderResult]) -> RenderResult:
    """A default project (`project: type: default`, or a folder without `_quarto.yml`), as Quarto renders it:
    every document of the project (report.sources.project.project_inputs) on its own, by
    ``render_document(document, options)``, beside its source, or with `output-dir` (or --output-dir) into that
    folder at the same relative path."""
    from report.sources.project import project_inputs

    documents = project_inputs(project)
    if not documents:
        raise ReportError(f"no documents to render in {project.root}: a project renders the .qmd, .md and .ipynb "
                          "files whose names (and folders' names) do not start with _ or .")
    target = None if project.renders_in_place and not options.output_dir else output_target(project,
                                                                                              options.output_dir)
    outputs: list[Path] = []
    executed: list[Path] = []
    for document in documents:
        result = render_document(project.root / document,
                                 replace(options, output_dir=target / document.parent if target else None))
        outputs.extend(result.outputs)
        executed.extend(result.executed)
    return RenderResult(outputs=tuple(outputs), executed=tuple(executed))
