"""What a render makes, chosen once from the path asked for and its project (``choose_mode``).

A mode is a record, not a set of flags: the render, the transforms and the writers ask it what they need
(``whole_project``, ``in_book``) or take the branch of its type.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Union

if TYPE_CHECKING:
    from report.sources.project import Project

__all__ = ["Article", "Book", "BookChapter", "DefaultProject", "DocumentMode", "RenderMode", "Website",
           "WebsitePage", "choose_mode"]


@dataclass(frozen=True)
class Book:
    """A book's chapters together: one site, one PDF, one .docx, published into the output folder."""

    whole_project: ClassVar[bool] = True  # `freeze` applies (report.execution.policy)
    in_book: ClassVar[bool] = True  # chapters numbered, each page opens with its title as a heading


@dataclass(frozen=True)
class BookChapter:
    """One chapter of a book on its own, beside its source: numbered and linked as in the book's last render."""

    path: Path
    whole_project: ClassVar[bool] = False
    in_book: ClassVar[bool] = True


@dataclass(frozen=True)
class Article:
    """One document on its own (no book, no website page), written beside its source or into --output-dir."""

    path: Path
    whole_project: ClassVar[bool] = False
    in_book: ClassVar[bool] = False


@dataclass(frozen=True)
class WebsitePage:
    """One page of a website, published into the site's output folder; ``gathered``: the folder a whole-site
    render collects its pages in, to publish them together."""

    path: Path
    gathered: Path | None = None
    in_book: ClassVar[bool] = False

    @property
    def whole_project(self) -> bool:
        return self.gathered is not None


@dataclass(frozen=True)
class Website:
    """Every page of a website (report.sources.website), each rendered as a WebsitePage, published together."""


@dataclass(frozen=True)
class DefaultProject:
    """Every document of a default project (report.sources.project.project_inputs), each as an Article."""


DocumentMode = Union[BookChapter, Article, WebsitePage]  # one document rendered on its own
RenderMode = Union[Book, DocumentMode, Website, DefaultProject]


def choose_mode(path: Path, project: Project, output_dir: Path | None) -> RenderMode:
    """The mode of rendering ``path`` (a document, or the project's folder) in ``project``."""
    if path.is_file():
        if project.is_book:
            return BookChapter(path)
        # As Quarto: a website's page goes into the site's output folder, unless --output-dir says otherwise.
        if project.is_website and project.output_dir != project.root and not output_dir:
            return WebsitePage(path)
        return Article(path)
    if project.is_book:
        return Book()
    if project.is_website:
        return Website()
    return DefaultProject()
