"""One walk over document.xml: its paragraphs with their bookmarks and tracked changes, and where comments sit."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from lxml import etree

from report.comments._docx import W14, W15, Package, w
from report.comments._model import Comment, Paragraph, Point, Revision, Segment

SOURCE_PREFIX = "rs_"
REFERENCE_PREFIX = "ref-"  # pandoc's bookmark around each bibliography entry
COMPUTED_PREFIX = "rc_"
_REVISIONS = {w("ins"): "ins", w("del"): "del", w("moveFrom"): "moveFrom", w("moveTo"): "moveTo"}
_RUN_CHARACTERS = {w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-"}


@dataclass(frozen=True)
class Document:
    """What the walk found: paragraphs in order and the comments with their ranges resolved."""

    paragraphs: tuple[Paragraph, ...]
    comments: tuple[Comment, ...]  # top-level comments, replies inside them
    bookmarks: frozenset[str]  # every bookmark name left in the document


@dataclass
class _Open:
    """A paragraph being read (a text box may open one inside another)."""

    index: int
    open_bookmarks: list[str]
    in_table: bool
    segments: list[Segment] = field(default_factory=list)
    inner_bookmarks: list[str] = field(default_factory=list)
    mark: Revision | None = None
    list_item: bool = False

    @property
    def length(self) -> int:
        return sum(len(segment.text) for segment in self.segments)

    def add(self, text: str, revision: Revision | None, computed: str | None) -> None:
        if not text:
            return
        if self.segments and self.segments[-1].revision == revision and self.segments[-1].computed == computed:
            text = self.segments.pop().text + text
        self.segments.append(Segment(text, revision, computed))

    def _bookmark(self, prefix: str) -> str | None:
        """The paragraph's own bookmark with ``prefix`` (the first starting in it), else the innermost around it."""
        inner = [name for name in self.inner_bookmarks if name.startswith(prefix)]
        around = [name for name in self.open_bookmarks if name.startswith(prefix)]
        return inner[0] if inner else around[-1] if around else None

    def close(self) -> Paragraph:
        reference = self._bookmark(REFERENCE_PREFIX)
        return Paragraph(self.index, tuple(self.segments), self._bookmark(SOURCE_PREFIX), self.mark,
                         reference.removeprefix(REFERENCE_PREFIX) if reference else None, self.in_table,
                         self.list_item)


def _revision(element: etree._Element, kind: str) -> Revision:
    return Revision(kind, element.get(w("id"), ""), element.get(w("author"), ""), element.get(w("date"), ""))


class _Walker:
    """Reads the body in document order: which bookmarks and tracked changes are open at each piece of text."""

    def __init__(self) -> None:
        self.paragraphs: list[Paragraph] = []
        self.bookmarks: dict[str, str] = {}  # open bookmarks: w:id -> name, in the order they opened
        self.names: set[str] = set()
        self.revisions: list[Revision] = []
        self.stack: list[_Open] = []
        self.starts: dict[str, Point] = {}
        self.ends: dict[str, Point] = {}
        self.references: dict[str, Point] = {}
        self.waiting: list[str] = []  # comments starting between paragraphs (before a table): on the next one
        self.tables = 0  # how many w:tbl are open
        self.ended: set[str] = set()  # ids of the bookmarks that have an end
        self.closing: dict[etree._Element, list[str]] = {}  # bookmarks without an end, closed with this element

    def walk(self, body: etree._Element) -> None:
        self.ended = {end.get(w("id"), "") for end in body.iter(w("bookmarkEnd"))}
        for event, element in etree.iterwalk(body, events=("start", "end")):
            if not isinstance(element.tag, str):
                continue  # XML comments and processing instructions
            if event == "start":
                self.start(element, element.getparent())
                continue
            for identifier in self.closing.pop(element, ()):
                self.bookmarks.pop(identifier, None)
            if element.tag == w("p") and self.stack:
                self.paragraphs.append(self.stack.pop().close())
            elif element.tag == w("tbl"):
                self.tables -= 1
            elif element.tag in _REVISIONS and self.revisions and not _is_marker(element):
                self.revisions.pop()

    def start(self, element: etree._Element, parent: etree._Element | None) -> None:
        tag = element.tag
        if tag == w("p"):
            index = len(self.paragraphs) + len(self.stack)
            self.stack.append(_Open(index, list(self.bookmarks.values()), self.tables > 0))
            for identifier in self.waiting:
                self.starts.setdefault(identifier, Point(index, 0))
            self.waiting.clear()
        elif tag == w("tbl"):
            self.tables += 1
        elif tag == w("numPr") and parent is not None and parent.tag == w("pPr") and self.stack:
            self.stack[-1].list_item = True
        elif tag == w("bookmarkStart"):
            self.bookmark(element)
        elif tag == w("bookmarkEnd"):
            self.bookmarks.pop(element.get(w("id"), ""), None)
        elif tag in _REVISIONS:
            self.revision(element, parent)
        elif tag in (w("t"), w("delText")) or (tag in _RUN_CHARACTERS and parent is not None and parent.tag == w("r")):
            self.text((element.text or "") if tag in (w("t"), w("delText")) else _RUN_CHARACTERS[tag])
        elif tag in (w("commentRangeStart"), w("commentRangeEnd"), w("commentReference")):
            self.comment_mark(tag, element.get(w("id"), ""))

    def bookmark(self, element: etree._Element) -> None:
        name, identifier = element.get(w("name"), ""), element.get(w("id"), "")
        self.names.add(name)
        if self.stack:
            self.stack[-1].inner_bookmarks.append(name)
        if identifier not in self.ended:
            # LibreOffice leaves a bookmark across table cells without an end (and starts it again in the last
            # cell): it then spans its table, or else its paragraph, never the rest of the document.
            tables = list(element.iterancestors(w("tbl")))
            scope = tables[-1] if tables else next(element.iterancestors(w("p")), None)
            if scope is None:
                return
            self.closing.setdefault(scope, []).append(identifier)
        self.bookmarks[identifier] = name

    def revision(self, element: etree._Element, parent: etree._Element | None) -> None:
        kind = _REVISIONS[element.tag]
        if not _is_marker(element):
            self.revisions.append(_revision(element, kind))
        elif parent.getparent() is not None and parent.getparent().tag == w("pPr") and self.stack \
                and kind in ("ins", "del"):
            self.stack[-1].mark = _revision(element, kind)  # the paragraph mark inserted or deleted

    def text(self, text: str) -> None:
        if self.stack:
            computed = next((name for name in reversed(self.bookmarks.values()) if name.startswith(COMPUTED_PREFIX)),
                            None)
            self.stack[-1].add(text, self.revisions[-1] if self.revisions else None, computed)

    def comment_mark(self, tag: str, identifier: str) -> None:
        target = self.starts if tag == w("commentRangeStart") else self.ends if tag == w("commentRangeEnd") \
            else self.references
        if self.stack:
            target.setdefault(identifier, Point(self.stack[-1].index, self.stack[-1].length))
        elif tag == w("commentRangeStart"):
            self.waiting.append(identifier)
        elif self.paragraphs:  # an end between paragraphs: the end of the one before
            last = self.paragraphs[-1]
            target.setdefault(identifier, Point(last.index, len(last.shown)))


def _is_marker(element: etree._Element) -> bool:
    """A w:ins/w:del in run properties marks a paragraph mark or a formatting change, not text."""
    parent = element.getparent()
    return parent is not None and parent.tag == w("rPr")


def _comment_text(comment: etree._Element) -> str:
    lines = []
    for paragraph in comment.iter(w("p")):
        lines.append("".join(node.text or "" for node in paragraph.iter(w("t"))))
    return "\n".join(lines).strip()


def _threads(package: Package) -> dict[str, tuple[str | None, bool]]:
    """paraId of a comment's last paragraph -> (its parent's paraId, done), from commentsExtended.xml."""
    threads: dict[str, tuple[str | None, bool]] = {}
    if package.comments_extended is None:
        return threads
    for entry in package.comments_extended.iter(f"{{{W15}}}commentEx"):
        threads[entry.get(f"{{{W15}}}paraId", "")] = (entry.get(f"{{{W15}}}paraIdParent"),
                                                      entry.get(f"{{{W15}}}done") in ("1", "true"))
    return threads


def _comments(package: Package, starts: dict[str, Point], ends: dict[str, Point],
              references: dict[str, Point]) -> tuple[Comment, ...]:
    if package.comments is None:
        return ()
    threads = _threads(package)
    flat: list[tuple[str, str | None, Comment]] = []  # (paraId, parent paraId, comment)
    for element in package.comments.iter(w("comment")):
        identifier = element.get(w("id"), "")
        paragraphs = list(element.iter(w("p")))
        para_id = paragraphs[-1].get(f"{{{W14}}}paraId", "") if paragraphs else ""
        parent, done = threads.get(para_id, (None, False))
        start = starts.get(identifier) or references.get(identifier)
        end = ends.get(identifier) or references.get(identifier)
        flat.append((para_id, parent, Comment(identifier, element.get(w("author"), ""), element.get(w("initials"), ""),
                                              element.get(w("date"), ""), _comment_text(element), start, end, done)))
    known = {para_id for para_id, _, _ in flat if para_id}
    replies: dict[str, list[Comment]] = {}
    for _, parent, comment in flat:
        if parent and parent in known:
            replies.setdefault(parent, []).append(comment)
    top = []
    for para_id, parent, comment in flat:
        if parent and parent in known:
            continue
        thread = tuple(replies.get(para_id, ())) if para_id else ()
        top.append(dataclasses.replace(comment, replies=thread))
    return tuple(top)


def read_document(package: Package) -> Document:
    """The paragraphs and comments of ``package``."""
    walker = _Walker()
    walker.walk(package.document.find(w("body")))
    paragraphs = sorted(walker.paragraphs, key=lambda paragraph: paragraph.index)  # a text box's closes first
    return Document(tuple(paragraphs), _comments(package, walker.starts, walker.ends, walker.references),
                    frozenset(walker.names))
