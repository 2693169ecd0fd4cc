"""A reviewed .docx read into a review: every comment and tracked change placed on its source line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from report.comments._changes import review_changes
from report.comments._docx import open_package
from report.comments._model import Comment, Edit, Item
from report.comments._place import Locator, generated_place, sentence_at
from report.comments._sources import SourceFile
from report.comments._walk import Document, read_document
from report.errors import ReportError
from report.sources.project import find_project_root

_HEADING = re.compile(r"#{1,6}\s+(.*?)\s*(?:\{[^}]*\})?\s*$")
_TITLE = re.compile(r"title:\s*(.+?)\s*$")
_FENCE = re.compile(r"\s*(`{3,}|~{3,})")


@dataclass(frozen=True)
class Chapter:
    """The items of one source file (``source`` None: those found in no source)."""

    source: str | None
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Review:
    docx: Path
    root: Path
    files: tuple[SourceFile, ...]
    items: tuple[Item, ...]
    edits: tuple[Edit, ...]
    language: str | None = None  # of the document's text: the quotes (and, most likely, the comments)

    @property
    def comments(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.kind == "comment")

    @property
    def changes(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.kind != "comment")

    def chapters(self) -> tuple[Chapter, ...]:
        """The items grouped by source file in the book's order, each group by line."""
        chapters = []
        for source in self.files:
            items = [item for item in self.items if item.location and item.location.path == source.path]
            if items:
                items.sort(key=lambda item: (item.location.line, item.order))
                chapters.append(Chapter(source.path, _title(source), tuple(items)))
        lost = tuple(sorted((item for item in self.items if item.location is None), key=lambda item: item.order))
        if lost:
            chapters.append(Chapter(None, "Not found in the sources", lost))
        return tuple(chapters)


def _title(source: SourceFile) -> str:
    """The file's first heading, or its front matter title, or its path."""
    lines = source.text.splitlines()
    fenced = False
    front = bool(lines) and lines[0].strip() == "---"
    for number, line in enumerate(lines):
        if front:
            if number and line.strip() in ("---", "..."):
                front = False
            elif _TITLE.match(line):
                return _TITLE.match(line).group(1).strip("\"'")
            continue
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and _HEADING.match(line):
            return _HEADING.match(line).group(1)
    return source.path


def _comment_item(comment: Comment, document: Document, locator: Locator) -> Item:
    location = computed = None
    quote = generated = ""
    order = 10**12
    if comment.start is not None:
        paragraphs = document.paragraphs
        first = paragraphs[comment.start.paragraph]
        end = comment.end or comment.start
        # What the reviewer commented on, as the engine wrote it: without text inserted in the range since.
        pieces = [paragraphs[index].original_between(comment.start.offset if index == comment.start.paragraph else 0,
                                                     end.offset if index == end.paragraph else None)
                  for index in range(comment.start.paragraph, end.paragraph + 1)]
        quote = " ".join(piece.strip() for piece in pieces if piece.strip()) \
            or sentence_at(first.shown, comment.start.offset).strip()
        segment = first.segment_at(comment.start.offset)
        computed = locator.computed(segment.computed if segment else None)
        # A computed value's place is its expression or cell, wherever the paragraph around it comes from.
        location = computed.location if computed else locator.locate(first, comment.start.offset, quote)
        order = first.index * 1_000_000 + comment.start.offset
        generated = generated_place(first) if location is None else ""
    return Item("comment", location, quote, comment.text, comment.author, comment.date, comment.initials,
                comment.replies, comment.done, computed, order=order, generated=generated)


def _project_root(docx: Path, sources: tuple[str, ...], project: Path | None) -> Path:
    """Where the sources are: --project, else the project or folder of the .docx, else the current project."""
    if project is not None:
        if not project.is_dir():
            raise ReportError("--project: no such folder", path=project)
        return project.resolve()
    here = docx.resolve().parent
    candidates = [find_project_root(here), here, find_project_root(Path.cwd()), Path.cwd().resolve()]
    for root in dict.fromkeys(candidate for candidate in candidates if candidate is not None):
        if all((root / source).is_file() for source in sources):
            return root
    return candidates[0] or here  # reading the sources then names the missing one


def read_review(docx: Path, project: Path | None = None) -> Review:
    """Read ``docx`` and place its comments and tracked changes on the sources it names."""
    docx = Path(docx)
    package = open_package(docx)
    root = _project_root(docx, package.sources, project)
    files = tuple(SourceFile.read(root, source, docx) for source in package.sources)
    document = read_document(package)
    locator = Locator(files, document.bookmarks)
    items = [_comment_item(comment, document, locator) for comment in document.comments]
    changes, edits = review_changes(document, locator)
    return Review(docx, root, files, tuple(items + changes), tuple(edits), package.language)


__all__ = ["Chapter", "Review", "read_review"]
