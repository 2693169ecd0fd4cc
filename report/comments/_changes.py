"""Tracked changes as review items, and as edits of the sources where they are plain prose found verbatim."""

from __future__ import annotations

import re
from dataclasses import dataclass

from report.comments._model import Computed, Edit, Item, Location, Paragraph, Segment
from report.comments._place import Block, Locator, generated_place, sentence_at
from report.comments._sources import View, canonical, prose_view
from report.comments._walk import Document

PATCHED = "in changes.patch"
#: Sources the patch edits as text; a notebook's prose sits in JSON strings, where a text edit could break it.
TEXT_SOURCES = (".qmd", ".md", ".markdown", ".Rmd")
_CONTEXT_WORDS = 6  # the most words of context either side tried before a change counts as ambiguous
_WORD = re.compile(r"\S+")
_LIST_MARKER = re.compile(r"(\s*)([-*+]|\d+[.)])\s")
# Characters that would turn typed text into markdown markup; escaped so the patch keeps the reviewer's words.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<>$]|(?<!\w)[_@#](?=\w)|(?<=\w)_(?!\w))")


@dataclass(frozen=True)
class _Group:
    """Adjacent changed segments of one paragraph: one deletion, insertion or replacement (or one side of a move)."""

    paragraph: Paragraph
    segments: tuple[Segment, ...]
    shown_offset: int  # where it starts in the paragraph's shown text
    original_offset: int  # where it starts in the paragraph's original text
    computed: str | None  # an rc_ bookmark it lies in or touches

    @property
    def deleted(self) -> str:
        return "".join(segment.text for segment in self.segments if not segment.in_revised)

    @property
    def inserted(self) -> str:
        return "".join(segment.text for segment in self.segments if not segment.in_original)

    @property
    def first(self):
        return self.segments[0].revision

    @property
    def kind(self) -> str:
        if self.first.kind in ("moveFrom", "moveTo"):
            return "move"
        return "replacement" if self.deleted and self.inserted else "deletion" if self.deleted else "insertion"


def _touching(before: Segment | None, group: list[Segment], after: Segment | None) -> str | None:
    """The computed value a change lies in or is typed against (no space between: "42" -> "42,5")."""
    inside = next((segment.computed for segment in group if segment.computed), None)
    if inside:
        return inside
    text = "".join(segment.text for segment in group)
    if before is not None and before.computed and before.revision is None and not before.text[-1:].isspace() \
            and not text[:1].isspace():
        return before.computed
    if after is not None and after.computed and after.revision is None and not after.text[:1].isspace() \
            and not text[-1:].isspace():
        return after.computed
    return None


def _groups(paragraph: Paragraph) -> list[_Group]:
    groups: list[_Group] = []
    shown = original = 0
    index = 0
    segments = paragraph.segments
    while index < len(segments):
        segment = segments[index]
        if segment.revision is None:
            shown += len(segment.text)
            original += len(segment.text)
            index += 1
            continue
        moving = segment.revision.kind in ("moveFrom", "moveTo")
        end = index
        while end < len(segments) and segments[end].revision is not None \
                and (segments[end].revision.kind in ("moveFrom", "moveTo")) == moving:
            end += 1
        members = list(segments[index:end])
        computed = _touching(segments[index - 1] if index else None, members,
                             segments[end] if end < len(segments) else None)
        groups.append(_Group(paragraph, tuple(members), shown, original, computed))
        shown += sum(len(member.text) for member in members)
        original += sum(len(member.text) for member in members if member.in_original)
        index = end
    return groups


def _context(text: str, words: int, before: bool) -> str:
    tokens = list(_WORD.finditer(text))
    if not tokens:
        return text
    if before:
        return text[tokens[-words].start():] if words <= len(tokens) else text
    return text[:tokens[words - 1].end()] if words <= len(tokens) else text


def escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _quote(text: str) -> str:
    return f"\u201c{canonical(text)}\u201d"


def describe(group: _Group) -> str:
    if group.kind == "replacement":
        return f"replace {_quote(group.deleted)} with {_quote(group.inserted)}"
    return f"delete {_quote(group.deleted)}" if group.deleted else f"insert {_quote(group.inserted)}"


@dataclass(frozen=True)
class _Found:
    edit: Edit | None
    line: int | None
    reason: str


def _find_inline(group: _Group, block: Block) -> _Found:
    """The edit of ``block`` that makes the change, found with the fewest words of context that are unique."""
    original = group.paragraph.original
    before_text = original[:group.original_offset]
    after_text = original[group.original_offset + len(group.deleted):]
    start, end = block.span
    view = prose_view(block.source.text, start, end)
    most = max(len(_WORD.findall(before_text)), len(_WORD.findall(after_text)), 1)
    count = 0
    for words in range(1, min(most, _CONTEXT_WORDS) + 1):
        before = _context(before_text, words, before=True)
        after = _context(after_text, words, before=False)
        needle = prose_view(before + group.deleted + after)
        hits = view.find_all(needle.text)
        count = len(hits)
        if count == 1:
            return _found_edit(group, block, view, hits[0], needle, len(before))
        if count == 0:
            return _Found(None, None, f"its context {_quote(before + group.deleted + after)} is not found verbatim "
                                      f"in {block.lines} (markup, a cross-reference or a computed value in between?)")
    return _Found(None, None, f"its context occurs {count} times in {block.lines}; apply it by hand")


def _found_edit(group: _Group, block: Block, view: View, hit: int, needle: View, before_length: int) -> _Found:
    """The edit for the change whose context ``needle`` (before + deleted + after) is at ``hit`` of ``view``."""
    def source_offset(raw: int) -> int:
        # The first character of the needle at or after ``raw`` in the unevened text, as an offset in the source.
        index = next((index for index, position in enumerate(needle.positions) if position >= raw), len(needle.text))
        if index < len(needle.text):
            return view.positions[hit + index]
        return view.positions[hit + len(needle.text) - 1] + 1

    first = source_offset(before_length)
    last = source_offset(before_length + len(group.deleted)) if group.deleted else first
    edit = Edit(block.source.path, first, last, escape_markdown(group.inserted))
    return _Found(edit, block.source.line_of(first), PATCHED)


def _block_deletion(block: Block) -> Edit:
    start, end = block.span
    source = block.source
    blank_before = block.first == 1 or not source.line(block.first - 1).strip()
    if blank_before and block.last < source.line_count and not source.line(block.last + 1).strip():
        # One blank line goes with the block; where none precedes it (a list item) the one after must stay, or
        # the next paragraph would join the list.
        end = source.span(block.last + 1, block.last + 1)[1]
    return Edit(source.path, start, end, "")


def _overlaps(edit: Edit, accepted: list[Edit]) -> bool:
    for other in accepted:
        if other.path != edit.path:
            continue
        if edit.start == edit.end == other.start == other.end:
            continue  # two insertions at one place: both, in document order
        if edit.start < other.end and other.start < edit.end:
            return True
        if edit.start == edit.end and other.start < edit.start < other.end:
            return True
        if other.start == other.end and edit.start < other.start < edit.end:
            return True
    return False


class _Changes:
    """Collects the change items and the accepted edits while walking the paragraphs."""

    def __init__(self, document: Document, locator: Locator):
        self.document = document
        self.locator = locator
        self.items: list[Item] = []
        self.edits: list[Edit] = []

    def item(self, group: _Group, location: Location | None, quote: str, body: str, status: str,
             computed: Computed | None = None) -> None:
        revision = group.first
        generated = generated_place(group.paragraph) if location is None else ""
        self.items.append(Item(group.kind, location, canonical(quote), body, revision.author, revision.date,
                               computed=computed, status=status, generated=generated,
                               order=group.paragraph.index * 1_000_000 + group.shown_offset))

    def not_found(self, group: _Group, quote: str, body: str) -> None:
        reason = "it is in the bibliography, generated from the bibliography file; correct the entry there" \
            if group.paragraph.reference else "the paragraph is not found in the sources"
        self.item(group, None, quote, body, f"listed, not patched: {reason}")

    def accept(self, group: _Group, edit: Edit, location: Location, quote: str, body: str) -> None:
        if not edit.path.endswith(TEXT_SOURCES):
            self.item(group, location, quote, body, f"listed, not patched: {edit.path} is not a text source "
                                                    f"({', '.join(TEXT_SOURCES)}); edit it in its own editor")
            return
        if _overlaps(edit, self.edits):
            self.item(group, location, quote, body, "listed, not patched: it overlaps another change of the same text")
            return
        self.edits.append(edit)
        self.item(group, location, quote, body, PATCHED)

    def paragraph(self, paragraph: Paragraph, previous: Block | None) -> None:
        groups = [group for group in _groups(paragraph) if group.kind != "move"]
        if not groups:
            return
        # A paragraph wholly deleted or typed anew is a block gone or added, except a table cell's: its text only.
        whole = not paragraph.in_table and not "".join(
            segment.text for segment in paragraph.segments if segment.revision is None).strip()
        block = self.locator.block(paragraph)
        if whole and all(group.kind == "deletion" for group in groups):
            self.whole_deletion(paragraph, groups, block)
        elif whole and all(group.kind == "insertion" for group in groups) and paragraph.anchor is None:
            self.new_paragraph(paragraph, groups, previous)
        else:
            for group in groups:
                self.inline(group, block)

    def whole_deletion(self, paragraph: Paragraph, groups: list[_Group], block: Block | None) -> None:
        group = groups[0]
        body = f"delete the paragraph {_quote(paragraph.original)}"
        computed = next((group.computed for group in groups if group.computed), None)
        if computed:
            self.listed_computed(group, block, computed)
        elif block is None:
            self.not_found(group, paragraph.original, body)
        elif block.by_text:
            self.item(group, block.location(), paragraph.original, body,
                      "listed, not patched: located by text only, not by its bookmark")
        else:
            self.accept(group, _block_deletion(block), block.location(), paragraph.original, body)

    def new_paragraph(self, paragraph: Paragraph, groups: list[_Group], previous: Block | None) -> None:
        group = groups[0]
        text = paragraph.revised.strip()
        body = f"insert a new paragraph {_quote(text)}"
        if previous is None or previous.by_text:
            self.item(group, previous.location(previous.last) if previous else None, "", body,
                      "listed, not patched: no paragraph with a bookmark before it")
            return
        source = previous.source
        _, end = previous.span
        lead = "" if source.text[:end].endswith("\n") else "\n"
        item = _LIST_MARKER.match(source.line(previous.first))
        if paragraph.list_item and item:
            # A bullet added under a list item: the next item of that list, in its marker's style.
            marker = item.group(2)
            if marker[0].isdigit():
                marker = f"{int(marker[:-1]) + 1}{marker[-1]}"
            added = f"{lead}{item.group(1)}{marker} {escape_markdown(text)}\n"
        else:
            added = f"{lead}\n{escape_markdown(text)}\n"
        self.accept(group, Edit(source.path, end, end, added), previous.location(previous.last), "", body)

    def listed_computed(self, group: _Group, block: Block | None, computed_name: str) -> None:
        computed = self.locator.computed(computed_name)
        where = computed.location if computed else (block.location() if block else None)
        self.item(group, where, group.deleted or group.inserted, describe(group),
                  "change requested in a computed value: not patched; change the expression or its data",
                  computed=computed)

    def inline(self, group: _Group, block: Block | None) -> None:
        quote = sentence_at(group.paragraph.original, group.original_offset)
        if group.computed:
            self.listed_computed(group, block, group.computed)
            return
        if block is None:
            self.not_found(group, quote, describe(group))
            return
        location = block.location(self.locator.line_in(block, group.paragraph, group.shown_offset,
                                                       group.deleted or quote))
        if block.by_text:
            self.item(group, location, quote, describe(group),
                      "listed, not patched: located by text only, not by its bookmark")
            return
        found = _find_inline(group, block)
        if found.edit is None:
            self.item(group, location, quote, describe(group), f"listed, not patched: {found.reason}")
        else:
            self.accept(group, found.edit, block.location(found.line), quote, describe(group))

    def moves(self) -> None:
        """Each moved text (w:moveFrom) with where it went (w:moveTo): listed, since a move is reordering by hand."""
        arrivals: dict[str, Paragraph] = {}
        for paragraph in self.document.paragraphs:
            for group in _groups(paragraph):
                if group.kind == "move" and group.first.kind == "moveTo":
                    arrivals.setdefault(canonical(group.inserted), paragraph)
        for paragraph in self.document.paragraphs:
            for group in _groups(paragraph):
                if group.kind != "move" or group.first.kind != "moveFrom":
                    continue
                text = canonical(group.deleted)
                location = self.locator.locate(paragraph, group.shown_offset, group.deleted)
                target = arrivals.get(text)
                if location is None and target is not None:
                    location = self.locator.locate(target, 0, group.deleted)
                destination = self.destination(target)
                self.items.append(Item("move", location, text, f"move to {destination}", group.first.author,
                                       group.first.date, status="listed, not patched: move the text by hand",
                                       order=paragraph.index * 1_000_000 + group.shown_offset))

    def destination(self, target: Paragraph | None) -> str:
        if target is None:
            return "a place Word did not record"
        for paragraph in reversed(self.document.paragraphs[:target.index]):
            if paragraph.anchor and any(segment.in_revised and segment.text.strip() for segment in paragraph.segments):
                block = self.locator.anchored_block(paragraph)
                if block is not None:
                    return f"after the paragraph at {block.location()}"
        return "the start of the document"


def review_changes(document: Document, locator: Locator) -> tuple[list[Item], list[Edit]]:
    """The items for every tracked change, and the edits of those that are patched."""
    changes = _Changes(document, locator)
    previous: Block | None = None
    for paragraph in document.paragraphs:
        changes.paragraph(paragraph, previous)
        if paragraph.anchor:
            previous = locator.anchored_block(paragraph) or previous
    changes.moves()
    return changes.items, changes.edits
