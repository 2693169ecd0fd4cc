"""One walk over document.xml: its paragraphs with their bookmarks and tracked changes, and where comments sit."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from lxml import etree

from report.comments._docx import W14, W15, Package, w
from report.comments._model import Comment, Paragraph, Point, Revision, Segment

SOURCE_PREFIX = "rs_"
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
    open_anchors: list[str]
    segments: list[Segment] = field(default_factory=list)
    inner_anchors: list[str] = field(default_factory=list)
    mark: Revision | None = None

    @property
    def length(self) -> int:
        return sum(len(segment.text) for segment in self.segments)

    def add(self, text: str, revision: Revision | None, computed: str | None) -> None:
        if not text:
            return
        if self.segments and self.segments[-1].revision == revision and self.segments[-1].computed == computed:
            text = self.segments.pop().text + text
        self.segments.append(Segment(text, revision, computed))

    def close(self) -> Paragraph:
        anchor = self.inner_anchors[0] if self.inner_anchors else self.open_anchors[-1] if self.open_anchors else None
        return Paragraph(self.index, tuple(self.segments), anchor, self.mark)


def _revision(element: etree._Element, kind: str) -> Revision:
    return Revision(kind, element.get(w("id"), ""), element.get(w("author"), ""), element.get(w("date"), ""))


def _walk_body(body: etree._Element) -> tuple[list[Paragraph], dict[str, Point], dict[str, Point], dict[str, Point],
                                              set[str]]:
    paragraphs: list[Paragraph] = []
    bookmarks: dict[str, str] = {}  # open bookmarks: w:id -> name, in the order they opened
    names: set[str] = set()
    revisions: list[Revision] = []
    stack: list[_Open] = []
    starts: dict[str, Point] = {}
    ends: dict[str, Point] = {}
    references: dict[str, Point] = {}
    count = 0

    def point() -> Point | None:
        return Point(stack[-1].index, stack[-1].length) if stack else None

    for event, element in etree.iterwalk(body, events=("start", "end")):
        tag = element.tag
        if not isinstance(tag, str):
            continue  # comments and processing instructions
        parent = element.getparent()
        if event == "end":
            if tag == w("p") and stack:
                paragraphs.append(stack.pop().close())
            elif tag in _REVISIONS and revisions and parent is not None and parent.tag != w("rPr"):
                revisions.pop()
            continue
        if tag == w("p"):
            stack.append(_Open(count, [name for name in bookmarks.values() if name.startswith(SOURCE_PREFIX)]))
            count += 1
        elif tag == w("bookmarkStart"):
            name = element.get(w("name"), "")
            bookmarks[element.get(w("id"), "")] = name
            names.add(name)
            if stack and name.startswith(SOURCE_PREFIX):
                stack[-1].inner_anchors.append(name)
        elif tag == w("bookmarkEnd"):
            bookmarks.pop(element.get(w("id"), ""), None)
        elif tag in _REVISIONS:
            if parent is not None and parent.tag == w("rPr"):
                # A marker on a paragraph mark (w:pPr/w:rPr) or a run's formatting: the paragraph's own change.
                grand = parent.getparent()
                if grand is not None and grand.tag == w("pPr") and stack and tag in (w("ins"), w("del")):
                    stack[-1].mark = _revision(element, _REVISIONS[tag])
            else:
                revisions.append(_revision(element, _REVISIONS[tag]))
        elif tag in (w("t"), w("delText")) or (tag in _RUN_CHARACTERS and parent is not None and parent.tag == w("r")):
            if stack:
                text = (element.text or "") if tag in (w("t"), w("delText")) else _RUN_CHARACTERS[tag]
                computed = next((name for name in reversed(bookmarks.values()) if name.startswith(COMPUTED_PREFIX)),
                                None)
                stack[-1].add(text, revisions[-1] if revisions else None, computed)
        elif tag in (w("commentRangeStart"), w("commentRangeEnd"), w("commentReference")):
            target = starts if tag == w("commentRangeStart") else ends if tag == w("commentRangeEnd") else references
            here = point()
            if here is not None:
                target.setdefault(element.get(w("id"), ""), here)
    return paragraphs, starts, ends, references, names


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
    paragraphs, starts, ends, references, names = _walk_body(package.document.find(w("body")))
    paragraphs.sort(key=lambda paragraph: paragraph.index)  # a text box's paragraph closes before its host's
    return Document(tuple(paragraphs), _comments(package, starts, ends, references), frozenset(names))
