"""Source anchors: Word bookmarks that tie each block of the .docx to the source line it came from.

The spec (shared with `report comments`): every block from source text is enclosed by a bookmark
``rs_<F>_<L>`` (F: index into the document property ``report-sources``, L: the 1-based source line where the
block starts), the K-th inline ``{python}`` value starting on line L by ``rc_<F>_<L>_<K>``, and the outputs of
the cell whose fence is on line L by ``rc_<F>_<L>_0``. A pandoc Div or Span with that identifier becomes the
bookmark in pandoc's docx writer.

pandoc's Markdown reader keeps no source positions, so blocks are found again in the document's assembled
Markdown (report.document.assemble), which maps every Markdown line to its source line. The search moves
forward only, block by block, as the blocks follow the Markdown: a block is placed where its first word
occurs after the previous block's last word. A block that cannot be found (a chapter title from the front
matter) gets no anchor; `report comments` then falls back to matching text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from report.document._ast import Div, Node, Span, attr_get, stringify, walk
from report.document.floats import CAPTION_CLASS, FLOAT_CLASS, PREFIX_CLASS

__all__ = ["AnchorSource", "anchored_blocks"]

_WORD = re.compile(r"\w{2,}|\w")
_NEAR = 160  # characters of Markdown (markup, a link's target) that may stand between two words of a block
_CELL_FENCE = re.compile(r"^(:{3,}) \{\.cell[ }]", re.MULTILINE)
# Inlines the engine adds to the text (numbers, caption prefixes), which the source does not hold.
_ADDED_CLASSES = frozenset({"header-section-number", PREFIX_CLASS})
# Divs the writers take apart by position (a callout's or tab's title, a float's caption): never wrapped.
_STRUCTURAL = frozenset({"report-callout-title", "report-tab-title", CAPTION_CLASS})


@dataclass(frozen=True)
class AnchorSource:
    """One document as its Markdown was assembled: ``lines[i]`` is the source line of Markdown line i + 1."""

    path: Path  # relative to the project root
    markdown: str
    lines: tuple[int, ...]
    inline_values: tuple[tuple[int, str], ...] = ()  # (source line, value) of each inline expression, in order


def _word(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")


def _source_text(inlines: list[Node]) -> str:
    """The text of inlines as the source has it: without the numbers and prefixes the engine added."""
    parts = []
    for inline in inlines:
        if inline["t"] == "Span" and _ADDED_CLASSES & set(inline["c"][0][1]):
            continue
        if inline["t"] == "Note" or (inline["t"] == "Link" and "quarto-xref" in inline["c"][0][1]):
            continue  # a footnote is a block of its own; a cross-reference's text is the engine's
        parts.append(stringify(inline))
    return "".join(parts)


def _block_words(block: Node) -> list[str]:
    if block["t"] in {"Para", "Plain"}:
        text = _source_text(block["c"])
    elif block["t"] == "Header":
        text = _source_text(block["c"][2])
    elif block["t"] == "Table":  # its cells, one by one: a caption stands after the table in the source
        cells: list[str] = []
        walk(block["c"][3:], lambda node: cells.append(stringify(node)), {"Plain", "Para"})
        text = " ".join(cells)
    else:
        text = stringify(block)
    return _WORD.findall(text)


class _Anchors:
    def __init__(self, index: int, source: AnchorSource, used: dict[str, int]):
        self.index = index
        self.source = source
        self.cursor = 0
        self.used = used  # bookmark names given so far in the whole .docx, for the `_2`, `_3` suffixes
        # Inline values by line, each with its number on that line (K, 1-based).
        self.inline: dict[int, list[tuple[int, str]]] = {}
        for line, value in source.inline_values:
            self.inline.setdefault(line, []).append((len(self.inline.get(line, [])) + 1, value))

    def line_at(self, offset: int) -> int:
        number = self.source.markdown.count("\n", 0, offset)
        return self.source.lines[min(number, len(self.source.lines) - 1)] if self.source.lines else number + 1

    def name(self, base: str) -> str:
        count = self.used.get(base, 0) + 1
        self.used[base] = count
        return base if count == 1 else f"{base}_{count}"

    def find(self, words: list[str]) -> int | None:
        """The offset of the block whose words are ``words``, searching forward; the cursor moves past it.

        A place counts when the block's second word follows its first closely; then the block's words are
        followed one by one, each near the one before (a word the engine added, which the source does not
        hold, is passed over), and the cursor stops after the last one found."""
        if not words:
            return None
        text = self.source.markdown
        for match in _word(words[0]).finditer(text, self.cursor):
            if len(words) > 1 and not _word(words[1]).search(text, match.end(), match.end() + _NEAR):
                continue
            position = match.end()
            for word in words[1:]:
                found = _word(word).search(text, position, position + _NEAR)
                if found is not None:
                    position = found.end()
            self.cursor = position
            return match.start()
        return None

    def block(self, block: Node) -> Node:
        start = self.find(_block_words(block))
        if start is None:
            return block
        line = self.line_at(start)
        block = self.values(block, line)
        return Div([block], self.name(f"rs_{self.index}_{line}"))

    def values(self, block: Node, line: int) -> Node:
        """Each inline value on the block's first lines enclosed by its ``rc_F_L_K`` Span."""
        last = self.line_at(self.cursor)
        pending = [(value_line, number, value) for value_line in range(line, last + 1)
                   for number, value in self.inline.get(value_line, [])]
        if not pending or block["t"] not in {"Para", "Plain", "Header"}:
            return block
        position = 2 if block["t"] == "Header" else None
        inlines = block["c"][position] if position is not None else block["c"]
        for value_line, number, value in pending:
            inlines = _enclose(inlines, " ".join(_WORD.findall(value)), f"rc_{self.index}_{value_line}_{number}")
        if position is None:
            return {"t": block["t"], "c": inlines}
        return {"t": "Header", "c": [block["c"][0], block["c"][1], inlines]}

    def cell(self, node: Node) -> Node:
        match = _CELL_FENCE.search(self.source.markdown, self.cursor)
        if match is None:
            return node
        closing = self.source.markdown.find("\n" + match.group(1) + "\n", match.end())
        self.cursor = closing + 1 if closing >= 0 else match.end()
        return Div([node], self.name(f"rc_{self.index}_{self.line_at(match.start())}_0"))

    def float_caption(self, node: Node) -> Node:
        """A Markdown figure or table: its content anchored as any block (a table at its first row), its
        caption at the line of its label (`{#tbl-x}` after a table's caption, `::: {#fig-x}` before a div's
        content)."""
        identifier = node["c"][0][0]
        before = self.cursor
        *content, caption = node["c"][1]
        content = self.blocks(content)
        start = self.source.markdown.find("#" + identifier, before) if identifier else -1
        if start >= 0:
            self.cursor = max(self.cursor, start + len(identifier) + 1)
            name = self.name(f"rs_{self.index}_{self.line_at(start)}")
            caption = {"t": "Div", "c": [caption["c"][0], [Div(caption["c"][1], name)]]}
        return {"t": "Div", "c": [node["c"][0], [*content, caption]]}

    def blocks(self, blocks: list[Node]) -> list[Node]:
        result = []
        for block in blocks:
            kind = block["t"]
            if kind in {"Para", "Plain", "Header", "Table"}:
                result.append(self.block(block))
            elif kind in {"BulletList", "OrderedList"}:
                items = [self.blocks(item) for item in (block["c"] if kind == "BulletList" else block["c"][1])]
                result.append({"t": kind, "c": items if kind == "BulletList" else [block["c"][0], items]})
            elif kind == "BlockQuote":
                result.append({"t": kind, "c": self.blocks(block["c"])})
            elif kind == "Div":
                classes = block["c"][0][1]
                if "cell" in classes:
                    result.append(self.cell(block))
                elif FLOAT_CLASS in classes:
                    result.append(self.float_caption(block))
                elif _STRUCTURAL & set(classes):
                    result.append(block)
                else:
                    result.append({"t": "Div", "c": [block["c"][0], self.blocks(block["c"][1])]})
            else:
                result.append(block)
        return result


def _enclose(inlines: list[Node], text: str, name: str) -> list[Node]:
    """``inlines`` with the first run of inlines whose words are those of ``text`` enclosed by a Span ``name``.

    Searched at every level (a value may stand in emphasis or a link); unchanged when it is not there."""
    wanted = _WORD.findall(text)
    if not wanted:
        return inlines
    for start in range(len(inlines)):
        if is_anchor(inlines[start]):
            continue  # a value anchored already
        words: list[str] = []
        for end in range(start, len(inlines)):
            words += _WORD.findall(stringify(inlines[end]))
            if words[:len(wanted)] != wanted[:len(words)]:
                break
            if len(words) >= len(wanted) and _WORD.findall(stringify(inlines[start])):
                return [*inlines[:start], Span(inlines[start:end + 1], name), *inlines[end + 1:]]
    for position, inline in enumerate(inlines):
        if is_anchor(inline):
            continue
        if inline["t"] in {"Emph", "Strong", "Span", "Link", "Quoted", "Underline", "Strikeout"}:
            content_at = {"Span": 1, "Link": 1, "Quoted": 1}.get(inline["t"])
            inner = inline["c"][content_at] if content_at is not None else inline["c"]
            replaced = _enclose(inner, text, name)
            if replaced is not inner:
                content = list(inline["c"]) if content_at is not None else replaced
                if content_at is not None:
                    content[content_at] = replaced
                return [*inlines[:position], {"t": inline["t"], "c": content}, *inlines[position + 1:]]
    return inlines


def anchored_blocks(blocks: list[Node], index: int, source: AnchorSource, used: dict[str, int]) -> list[Node]:
    """``blocks`` of the document ``source`` (number ``index`` in ``report-sources``) with their anchors."""
    return _Anchors(index, source, used).blocks(blocks)


def is_anchor(node: Node) -> bool:
    return node["t"] in {"Div", "Span"} and node["c"][0][0].startswith(("rs_", "rc_")) and not node["c"][0][1] \
        and attr_get(node["c"][0], "custom-style") is None
