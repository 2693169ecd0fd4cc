"""Placing a paragraph of the reviewed document on its source: by its rs_ bookmark, else by its text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from report.comments._model import Computed, Location, Paragraph
from report.comments._sources import COMPUTED_ANCHOR, SOURCE_ANCHOR, SourceFile, View, canonical, plain_view

_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")
_SHORT_WORDS = 5


@dataclass(frozen=True)
class Block:
    """Lines ``first`` to ``last`` of a source file: the block a paragraph was written from."""

    source: SourceFile
    first: int
    last: int
    by_text: bool = False

    @property
    def span(self) -> tuple[int, int]:
        return self.source.span(self.first, self.last)

    @property
    def lines(self) -> str:
        return f"{self.source.path} lines {self.first}-{self.last}" if self.last > self.first \
            else f"{self.source.path} line {self.first}"

    def location(self, line: int | None = None) -> Location:
        return Location(self.source.path, line or self.first, self.by_text)


def sentence_at(text: str, offset: int) -> str:
    """The sentence of ``text`` that holds ``offset``."""
    start = 0
    for boundary in _SENTENCE_END.finditer(text):
        if boundary.start() >= offset:
            return text[start:boundary.start()]
        start = boundary.end()
    return text[start:]


def generated_place(paragraph: Paragraph) -> str:
    """Where a paragraph found in no source is, when the engine generated it (a bibliography entry)."""
    return f"the bibliography entry '{paragraph.reference}'" if paragraph.reference else ""


def _first_words(text: str, count: int = _SHORT_WORDS) -> str:
    return " ".join(text.split(" ")[:count])


class Locator:
    """Finds the block and line of the sources that a paragraph of the document, or a piece of it, comes from."""

    def __init__(self, files: tuple[SourceFile, ...], bookmarks: frozenset[str]):
        self.files = files
        self._anchor_lines: dict[int, list[int]] = {}
        for name in bookmarks:
            match = SOURCE_ANCHOR.fullmatch(name)
            if match:
                self._anchor_lines.setdefault(int(match.group(1)), []).append(int(match.group(2)))
        for lines in self._anchor_lines.values():
            lines.sort()
        self._plain: dict[str, View] = {}

    def _file(self, index: int) -> SourceFile | None:
        return self.files[index] if 0 <= index < len(self.files) else None

    def _block_at(self, index: int, line: int, by_text: bool = False) -> Block | None:
        source = self._file(index)
        if source is None or not 1 <= line <= source.line_count:
            return None
        following = next((other for other in self._anchor_lines.get(index, ()) if other > line), None)
        return Block(source, line, source.block_end(line, following), by_text)

    def anchored_block(self, paragraph: Paragraph) -> Block | None:
        match = SOURCE_ANCHOR.fullmatch(paragraph.anchor or "")
        return self._block_at(int(match.group(1)), int(match.group(2))) if match else None

    def block(self, paragraph: Paragraph) -> Block | None:
        """The paragraph's block: by its bookmark, else (``by_text``) where its text is found in the sources."""
        anchored = self.anchored_block(paragraph)
        if anchored is not None:
            return anchored
        text = canonical(paragraph.original or paragraph.shown)
        for needle in dict.fromkeys((text, sentence_at(text, 0), _first_words(text, 8))):
            if len(needle) < 8:
                continue  # a few letters would be found anywhere
            for index, source in enumerate(self.files):
                view = self._whole(source)
                hits = view.find_all(needle)
                if hits:
                    return self._block_at(index, source.line_of(view.positions[hits[0]]), by_text=True)
        return None

    def _whole(self, source: SourceFile) -> View:
        if source.path not in self._plain:
            self._plain[source.path] = plain_view(source.text)
        return self._plain[source.path]

    def line_in(self, block: Block, paragraph: Paragraph, offset: int, quote: str) -> int:
        """The line of ``block`` that the quote at ``offset`` of the paragraph is on: the quote's own line where it
        is found, else its sentence's, else the block's first line."""
        start, end = block.span
        view = plain_view(block.source.text, start, end)
        sentence = canonical(sentence_at(paragraph.shown, offset))
        quote = canonical(quote)
        for needle in dict.fromkeys((quote, _first_words(quote), sentence, _first_words(sentence))):
            hits = view.find_all(needle) if needle else []
            if hits:
                return block.source.line_of(view.positions[hits[0]])
        return block.first

    def locate(self, paragraph: Paragraph, offset: int, quote: str) -> Location | None:
        block = self.block(paragraph)
        return block.location(self.line_in(block, paragraph, offset, quote)) if block else None

    def computed(self, name: str | None) -> Computed | None:
        """What a computed value's rc_ bookmark points at: the inline expression or the code cell."""
        match = COMPUTED_ANCHOR.fullmatch(name or "")
        source = self._file(int(match.group(1))) if match else None
        if source is None:
            return None
        line, number = int(match.group(2)), int(match.group(3))
        if not 1 <= line <= source.line_count:
            return None
        written = f"the output of {source.cell(line)}" if number == 0 else source.expression(line, number)
        return Computed(Location(source.path, line), written)
