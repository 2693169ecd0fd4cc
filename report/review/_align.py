"""Comparison stage: align the blocks of two versions of a page.

Blocks are matched on their identity (normalised text for prose, the label
for figures and tables), so a renumbered cross-reference or caption never
breaks a match. What is left unmatched is paired in three passes:
identical blocks elsewhere on the page are *moved*; similar paragraphs in
the same stretch are *changed* (and redlined word by word); paragraphs that
moved and were edited as well are *moved* with their redline. The rest was
added or removed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

from report.review._model import Block, Figure, Page, Table, TextBlock, restore_refs
from report.review._numbers import NumberChange, excerpt
from report.review._prose import ProseDiff, diff_prose, tokens
from report.review._tables import TableDiff, diff_tables

SIMILAR_IN_PLACE = 0.5  # token similarity to call a paragraph an edit of another
SIMILAR_MOVED = 0.75  # stricter when the paragraph also moved
MIN_MOVED_TOKENS = 12  # short lines ("Zie ook:") are not worth calling moved


@dataclass(frozen=True)
class Entry:
    """One block of the redline, in the new version's reading order.

    kind: "same", "changed", "added", "removed", "moved" (at its new place)
    or "moved-away" (a stub at its old place, pointing to ``anchor``).
    """

    kind: str
    old: Block | None
    new: Block | None
    anchor: str = ""
    prose: ProseDiff | None = None
    table: TableDiff | None = None
    other_page: str = ""  # for a move between pages: where it came from, or went to

    @property
    def block(self) -> Block:
        return self.new if self.new is not None else self.old

    @property
    def block_type(self) -> str:
        block = self.block
        return "figure" if isinstance(block, Figure) else "table" if isinstance(block, Table) else "text"

    @property
    def content_changed(self) -> bool:
        """Whether a reviewer has something to read here (not only a move)."""
        if self.kind in ("added", "removed"):
            return True
        if self.kind not in ("changed", "moved"):
            return False
        if self.block_type == "text":
            return self.prose is not None and self.prose.changed
        if self.block_type == "table":
            return self.table is not None and self.table.changed
        return self.old.content != self.new.content


@dataclass(frozen=True)
class Counts:
    paragraphs: int = 0
    moved: int = 0
    numbers: int = 0
    figures: int = 0
    tables: int = 0

    @property
    def total(self) -> int:
        return self.paragraphs + self.moved + self.numbers + self.figures + self.tables


@dataclass(frozen=True)
class PageDiff:
    path: str
    old_path: str
    title: str
    status: str  # "same", "changed", "added", "removed"
    entries: tuple[Entry, ...]
    counts: Counts
    numbers: tuple[NumberChange, ...]


def page_numbers(entries) -> tuple[NumberChange, ...]:
    return tuple(
        replace(n, context=excerpt(restore_refs(n.context, dict(e.new.refs)), n.new), anchor=e.anchor)
        for e in entries if e.prose is not None
        for n in e.prose.numbers
    )


def diff_pages(old: Page | None, new: Page | None) -> PageDiff:
    if old is None:
        entries = [Entry("added", None, b, anchor=f"b{j}") for j, b in enumerate(new.blocks)]
    elif new is None:
        entries = [Entry("removed", b, None) for b in old.blocks]
    else:
        entries = _align(old.blocks, new.blocks)
    numbers = page_numbers(entries)
    counts = count(entries)
    status = "added" if old is None else "removed" if new is None else (
        "changed" if counts.total else "same"
    )
    page = new or old
    return PageDiff(
        path=page.path, old_path=(old or new).path, title=page.title, status=status,
        entries=tuple(entries), counts=counts, numbers=numbers,
    )


def count(entries) -> Counts:
    paragraphs = moved = numbers = figures = tables = 0
    for entry in entries:
        kind, block_type = entry.kind, entry.block_type
        if kind in ("same", "moved-away"):
            continue
        if block_type == "figure":
            figures += entry.content_changed
        elif block_type == "table":
            tables += entry.content_changed
        else:
            if entry.prose is not None:
                numbers += len(entry.prose.numbers)
            if kind == "moved":
                moved += 1
            if kind in ("added", "removed") or (entry.prose is not None and entry.prose.prose_changed):
                paragraphs += 1
    return Counts(paragraphs, moved, numbers, figures, tables)


def _similarity(a: TextBlock, b: TextBlock) -> float:
    matcher = difflib.SequenceMatcher(None, tokens(a.norm), tokens(b.norm), autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR_IN_PLACE or matcher.quick_ratio() < SIMILAR_IN_PLACE:
        return 0.0
    return matcher.ratio()


def _pairable(a: Block, b: Block) -> bool:
    if isinstance(a, TextBlock) and isinstance(b, TextBlock):
        return a.kind == b.kind or (a.kind in ("p", "li", "dd") and b.kind in ("p", "li", "dd"))
    return False


def _align(old: tuple[Block, ...], new: tuple[Block, ...]) -> list[Entry]:
    matcher = difflib.SequenceMatcher(
        None, [b.identity for b in old], [b.identity for b in new], autojunk=False
    )
    opcodes = matcher.get_opcodes()
    partner_of_new: dict[int, int] = {}
    moved_new: set[int] = set()
    region_of_old: dict[int, int] = {}
    region_of_new: dict[int, int] = {}
    for region, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            partner_of_new.update({j: i for i, j in zip(range(i1, i2), range(j1, j2))})
        region_of_old.update({i: region for i in range(i1, i2)})
        region_of_new.update({j: region for j in range(j1, j2)})

    def unpaired_old() -> list[int]:
        taken = set(partner_of_new.values())
        return [i for i in range(len(old)) if i not in taken]

    def unpaired_new() -> list[int]:
        return [j for j in range(len(new)) if j not in partner_of_new]

    # Pass 1: the same block elsewhere on the page moved there.
    by_identity: dict[str, list[int]] = {}
    for i in unpaired_old():
        by_identity.setdefault(old[i].identity, []).append(i)
    for j in unpaired_new():
        candidates = by_identity.get(new[j].identity)
        if candidates:
            i = candidates.pop(0)
            partner_of_new[j] = i
            if region_of_old[i] != region_of_new[j]:
                moved_new.add(j)

    # Pass 2: an edited paragraph in the same stretch of the page.
    for j in unpaired_new():
        free = [i for i in unpaired_old() if region_of_old[i] == region_of_new[j] and _pairable(old[i], new[j])]
        best = max(free, key=lambda i: _similarity(old[i], new[j]), default=None)
        if best is not None and _similarity(old[best], new[j]) >= SIMILAR_IN_PLACE:
            partner_of_new[j] = best

    # Pass 3: a paragraph that moved and was edited as well.
    for j in unpaired_new():
        if not isinstance(new[j], TextBlock) or len(tokens(new[j].norm)) < MIN_MOVED_TOKENS:
            continue
        free = [i for i in unpaired_old() if _pairable(old[i], new[j])]
        best = max(free, key=lambda i: _similarity(old[i], new[j]), default=None)
        if best is not None and _similarity(old[best], new[j]) >= SIMILAR_MOVED:
            partner_of_new[j] = best
            moved_new.add(j)

    new_of_old = {i: j for j, i in partner_of_new.items()}
    entries: list[Entry] = []
    for tag, i1, i2, j1, j2 in opcodes:
        for i in range(i1, i2):
            j = new_of_old.get(i)
            if j is None:
                entries.append(Entry("removed", old[i], None))
            elif j in moved_new:
                entries.append(Entry("moved-away", old[i], None, anchor=f"b{j}"))
        for j in range(j1, j2):
            i = partner_of_new.get(j)
            if i is None:
                entries.append(Entry("added", None, new[j], anchor=f"b{j}"))
            else:
                entries.append(paired(old[i], new[j], f"b{j}", moved=j in moved_new))
    return entries


def paired(old: Block, new: Block, anchor: str, moved: bool) -> Entry:
    if isinstance(new, TextBlock):
        prose = diff_prose(old.norm, new.norm) if old.norm != new.norm else None
        kind = "moved" if moved else "changed" if prose is not None else "same"
        return Entry(kind, old, new, anchor=anchor, prose=prose)
    if isinstance(new, Table):
        table = diff_tables(old, new) if old.content != new.content else None
        kind = "moved" if moved else "changed" if table is not None and table.changed else "same"
        return Entry(kind, old, new, anchor=anchor, table=table)
    kind = "moved" if moved else "changed" if old.content != new.content else "same"
    return Entry(kind, old, new, anchor=anchor)
