"""The records read from a reviewed .docx and the places they are given in the sources."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Revision:
    """One tracked change element of Word (w:ins, w:del, w:moveFrom, w:moveTo) with who made it and when."""

    kind: str  # "ins", "del", "moveFrom" or "moveTo"
    identifier: str
    author: str
    date: str


@dataclass(frozen=True)
class Segment:
    """A piece of a paragraph's text with the tracked change and computed-value bookmark it lies in."""

    text: str
    revision: Revision | None
    computed: str | None  # the innermost open rc_ bookmark, if any

    @property
    def in_original(self) -> bool:
        """Part of the text the engine wrote (and so of the source): everything but insertions."""
        return self.revision is None or self.revision.kind in ("del", "moveFrom")

    @property
    def in_revised(self) -> bool:
        return self.revision is None or self.revision.kind in ("ins", "moveTo")


@dataclass(frozen=True)
class Paragraph:
    """A w:p of the document body, in document order."""

    index: int
    segments: tuple[Segment, ...]
    anchor: str | None  # the rs_ bookmark that encloses it, innermost first
    mark: Revision | None  # the paragraph mark itself inserted or deleted (w:pPr/w:rPr/w:ins|w:del)
    reference: str | None = None  # the citation key of the bibliography entry it is (pandoc's ref-<key> bookmark)
    in_table: bool = False  # a table cell's paragraph: one piece of a block, never a block of its own
    list_item: bool = False  # numbered or bulleted by Word (w:numPr)

    @property
    def original(self) -> str:
        return "".join(segment.text for segment in self.segments if segment.in_original)

    @property
    def revised(self) -> str:
        return "".join(segment.text for segment in self.segments if segment.in_revised)

    @property
    def shown(self) -> str:
        return "".join(segment.text for segment in self.segments)

    def _spans(self):
        position = 0
        for segment in self.segments:
            yield position, segment
            position += len(segment.text)

    def segment_at(self, offset: int) -> Segment | None:
        """The segment holding the character at ``offset`` of the shown text."""
        return next((segment for start, segment in self._spans() if start <= offset < start + len(segment.text)),
                    None)

    def original_between(self, start: int, stop: int | None = None) -> str:
        """The text the engine wrote between two offsets of the shown text, without the insertions made since
        (the shown text where there is only inserted text)."""
        stop = len(self.shown) if stop is None else stop
        pieces = []
        for position, segment in self._spans():
            low, high = max(start, position), min(stop, position + len(segment.text))
            if low < high and segment.in_original:
                pieces.append(segment.text[low - position:high - position])
        return "".join(pieces) or self.shown[start:stop]


@dataclass(frozen=True)
class Point:
    """A place in the document: a paragraph and an offset into its shown text (insertions and deletions alike)."""

    paragraph: int
    offset: int


@dataclass(frozen=True)
class Comment:
    """A w:comment with the range of the document it is attached to and its replies."""

    identifier: str
    author: str
    initials: str
    date: str
    text: str
    start: Point | None
    end: Point | None
    done: bool
    replies: tuple[Comment, ...] = ()


@dataclass(frozen=True)
class Location:
    """A source file and line; ``by_text`` where no bookmark was left and the text was searched for."""

    path: str
    line: int
    by_text: bool = False

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Computed:
    """The source of a computed value: an inline expression or a code cell's output."""

    location: Location
    source: str  # the expression as written (`{python} x`) or the cell's fence line and label

    def describe(self) -> str:
        return f"{self.source} at {self.location}"


@dataclass(frozen=True)
class Item:
    """One entry of the review list: a comment or a tracked change, placed on its source line."""

    kind: str  # comment, insertion, deletion, replacement, move
    location: Location | None  # None: not found in the sources
    quote: str
    body: str  # the comment's text, or the change described
    author: str
    date: str
    initials: str = ""
    replies: tuple[Comment, ...] = ()
    done: bool = False
    computed: Computed | None = None
    status: str = ""  # for a change: "in changes.patch" or why it is listed only
    generated: str = ""  # where it is when that is text the engine generated, not a source (a bibliography entry)
    order: int = 0  # position in the document, which orders items on the same line


@dataclass(frozen=True)
class Edit:
    """A replacement of ``source[start:end]`` by ``text`` in one source file, for the patch."""

    path: str
    start: int
    end: int
    text: str
