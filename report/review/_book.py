"""Whole-book comparison: pair the pages of two rendered books."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

from report.review._align import MIN_MOVED_TOKENS, Counts, Entry, PageDiff, count, diff_pages, page_numbers, paired
from report.review._model import TextBlock
from report.review._prose import tokens
from report.review._extract import list_pages, read_page


class BookError(ValueError):
    """A folder that is not a rendered book."""


@dataclass(frozen=True)
class Commit:
    """A commit that touched a chapter's source between the two revisions."""

    short: str
    author: str
    date: str  # ISO date of the author's time
    subject: str


@dataclass(frozen=True)
class BookDiff:
    old_label: str
    new_label: str
    lang: str
    pages: tuple[PageDiff, ...]  # every page, in the new book's order
    commits: dict[str, tuple[Commit, ...]] = field(default_factory=dict)  # page -> commits to its source

    @property
    def changed_pages(self) -> tuple[PageDiff, ...]:
        return tuple(p for p in self.pages if p.status != "same")

    @property
    def totals(self) -> Counts:
        pages = self.changed_pages
        return Counts(
            paragraphs=sum(p.counts.paragraphs for p in pages),
            moved=sum(p.counts.moved for p in pages),
            numbers=sum(p.counts.numbers for p in pages),
            figures=sum(p.counts.figures for p in pages),
            tables=sum(p.counts.tables for p in pages),
        )


def book_folder(path: Path) -> Path:
    """The folder holding a rendered book: ``path`` itself or its ``_book``."""
    for candidate in (path, path / "_book"):
        if (candidate / "index.html").is_file():
            return candidate
    raise BookError(f"{path}: not a rendered book (no index.html in it or in {path / '_book'})")


def diff_books(old_dir: Path, new_dir: Path, old_label: str = "", new_label: str = "") -> BookDiff:
    old_dir, new_dir = book_folder(Path(old_dir)), book_folder(Path(new_dir))
    old_pages = {rel: read_page(old_dir, rel) for rel in list_pages(old_dir)}
    new_pages = {rel: read_page(new_dir, rel) for rel in list_pages(new_dir)}

    # A chapter file renamed (say, renumbered) keeps its section id.
    partner = {rel: rel for rel in new_pages if rel in old_pages}
    old_by_section = {
        p.section_id: rel for rel, p in old_pages.items()
        if p.section_id and rel not in new_pages
    }
    for rel, page in new_pages.items():
        if rel not in partner and page.section_id in old_by_section:
            partner[rel] = old_by_section.pop(page.section_id)

    diffs: list[PageDiff] = []
    matched_old = set(partner.values())
    for rel, page in new_pages.items():
        old_rel = partner.get(rel)
        diffs.append(diff_pages(old_pages[old_rel] if old_rel else None, page))
    for rel, page in old_pages.items():
        if rel not in matched_old:
            diffs.append(diff_pages(page, None))
    return BookDiff(
        old_label=old_label or str(old_dir), new_label=new_label or str(new_dir),
        lang=_language(new_dir / "index.html"), pages=tuple(_moves_between_pages(diffs)),
    )


def _movable(block) -> bool:
    return not isinstance(block, TextBlock) or len(tokens(block.norm)) >= MIN_MOVED_TOKENS


def _moves_between_pages(diffs: list[PageDiff]) -> list[PageDiff]:
    """Pair a block removed from one page with the same block added to another.

    Within a page the alignment finds moves itself; this pass finds a
    paragraph, figure or table that went to another chapter. Paragraphs
    must be identical (and not trivially short); figures and tables are
    matched by label and may have changed on the way.
    """
    removed: dict[str, list[tuple[int, int]]] = {}
    for p, page in enumerate(diffs):
        for i, entry in enumerate(page.entries):
            if entry.kind == "removed" and _movable(entry.old):
                removed.setdefault(entry.old.identity, []).append((p, i))
    entries = [list(page.entries) for page in diffs]
    touched: set[int] = set()
    for p, page in enumerate(diffs):
        for i, entry in enumerate(page.entries):
            if entry.kind != "added" or not _movable(entry.new):
                continue
            sources = [(q, j) for q, j in removed.get(entry.new.identity, []) if q != p]
            if not sources:
                continue
            q, j = sources[0]
            removed[entry.new.identity].remove((q, j))
            old = entries[q][j].old
            moved = paired(old, entry.new, entry.anchor, moved=True)
            entries[p][i] = Entry(moved.kind, old, entry.new, anchor=entry.anchor, prose=moved.prose,
                                  table=moved.table, other_page=diffs[q].path)
            entries[q][j] = Entry("moved-away", old, None, anchor=entry.anchor, other_page=page.path)
            touched.update((p, q))
    result = []
    for p, page in enumerate(diffs):
        if p not in touched:
            result.append(page)
            continue
        counts = count(entries[p])
        changed = counts.total or any(e.kind != "same" for e in entries[p])
        status = page.status if page.status in ("added", "removed") else "changed" if changed else "same"
        result.append(PageDiff(path=page.path, old_path=page.old_path, title=page.title, status=status,
                               entries=tuple(entries[p]), counts=counts, numbers=page_numbers(entries[p])))
    return result


def _language(index: Path) -> str:
    lang = lxml.html.fromstring(index.read_bytes()).get("lang") or ""
    return lang.split("-")[0].lower() or "en"
