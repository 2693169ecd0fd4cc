"""Book-wide numbering of chapters, sections, figures and tables, and resolution of `@` cross-references.

Numbers are computed once, here, and written into the document as text, so
the HTML site and the PDF show the same "Figuur 3.2" and no format can
disagree with another. Figures and tables become neutral float Divs that
each output format then renders in its own markup.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from report.document._ast import (Div, Link, Node, Plain, Span, Str, attr_get, attr_without, stringify, text_inlines, walk)
from report.document.numeric_columns import align_numeric_columns
from report.document.table_classes import table_classes
from report.document.floats import (CAPTION_CLASS, FLOAT_CLASS, arrange, caption_location_of, make_float, placement_of,
                                    subfloat_candidates)
from report.document.float_content import float_content_caption, markdown_inlines, read_raw_tables
from report.document.layout import LAYOUT_CLASS, has_layout, layout_cells, layout_panel
from report.document.xref_options import CALLOUT_XREF_KINDS, THEOREM_KINDS, CrossrefSettings, crossref_settings
from report.document.article import top_heading_level
from report.document import theorems
from report.errors import ReportError
from report.sources import diagnostics

__all__ = ["BookDocument", "Target", "index_entries", "is_label", "number_book", "resolve_references", "FLOAT_CLASS"]

CROSSREF_KINDS = ("fig", "tbl", "lst", "eq", "sec", *THEOREM_KINDS, *CALLOUT_XREF_KINDS)


@dataclass
class BookDocument:
    """One document of the book while it moves through the filter stages."""

    source: Path  # relative to the project root
    blocks: list[Node]
    line_of: Any  # callable(str) -> int | None, for error messages
    part: str | None = None
    appendix: bool = False
    part_page: bool = False  # the document a part is given as: the part's page, not a chapter
    number: str | None = None
    title: str = ""
    sections: list[tuple[int, str, str, str | None]] = field(default_factory=list)  # level, id, title, number
    effects: Any = None  # what its Lua filters and shortcodes did besides the AST (report.document.lua_filters)

    @property
    def page(self) -> str:
        return _page_name(self.source)


@lru_cache(maxsize=None)  # asked for by every page's sidebar and navigation: pages squared times per render
def _page_name(source: Path) -> str:
    return source.with_suffix(".html").as_posix()


@dataclass(frozen=True)
class Target:
    identifier: str
    kind: str  # fig, tbl, chapter, appendix, sec
    number: str | None
    title: str
    document: int  # index into the book's documents


EQUATION_LABEL = re.compile(r"^\{#(eq-[^}\s]+)\}$")
EQUATION_CLASS = "report-equation"


def _caption_of(blocks: list[Node], attribute: list | None = None, kind: str = "",
                source: Path | None = None) -> tuple[list[Node], list[Node]]:
    """(content, caption inlines) of a float Div, found as Quarto finds it.

    A `.report-caption` Div (the engine's cells); else the last paragraph when something comes before it;
    else a `fig-cap` / `tbl-cap` attribute (Markdown); else the caption of a table inside, which moves to the
    float. A float without any of them has an empty caption and is still numbered.
    """
    caption_div = next((b for b in blocks if b["t"] == "Div" and CAPTION_CLASS in b["c"][0][1]), None)
    if caption_div is not None:
        caption = caption_div["c"][1][0]["c"] if caption_div["c"][1] else []
        return [b for b in blocks if b is not caption_div], caption
    if len(blocks) > 1 and blocks[-1]["t"] == "Para":
        return blocks[:-1], blocks[-1]["c"]
    written = attr_get(attribute, f"{kind}-cap") if attribute and kind else None
    if written is not None and source is not None:
        return blocks, markdown_inlines(written, source)
    return float_content_caption(blocks)


class _Numberer:
    def __init__(self, labels: Mapping[str, str], number_sections: bool, book: bool, settings: CrossrefSettings):
        self.labels = labels
        self.number_sections = number_sections
        self.book = book  # an article numbers sections 1, 1.1 and floats 1, 2, 3 across the document
        self.settings = settings
        self.targets: dict[str, Target] = {}
        self.places: dict[str, tuple[Path, int | None]] = {}  # where each label was first defined
        self.chapter_count = 0
        self.appendix_count = 0
        self.counts: dict[str, int] = {}  # float, equation and theorem counters when not numbered per chapter
        self.pdf_ua = True

    def add(self, target: Target, doc: BookDocument) -> None:
        identifier = target.identifier
        line = doc.line_of("#" + identifier)
        if identifier not in self.targets:
            self.targets[identifier] = target
            self.places[identifier] = (doc.source, line)
            return
        if not is_label(identifier):
            # Not a cross-reference label (a heading's automatic id, as pandoc makes it per document): unique per
            # page only, as in Quarto. The book's index keeps it under its page, for a lone chapter's number.
            self.targets.setdefault(f"{doc.page}#{identifier}", target)
            return
        source, other_line = self.places[identifier]
        place = source.as_posix() + (f":{other_line}" if other_line else "")
        diagnostics.warn(f"duplicate label '{identifier}' (also used in {place}); references go to the first",
                         path=doc.source, line=line)

    def document(self, index: int, doc: BookDocument) -> None:
        settings = self.settings
        counters = [0] * 7
        chapter_number: str | None = None
        article_section: list[str | None] = [None]
        per_chapter = settings.chapters if settings.chapters is not None else self.book
        # Per chapter, numbers restart in every chapter; otherwise they run on through the whole book.
        counts: dict[str, int] = {} if per_chapter else self.counts
        top = top_heading_level(doc.blocks)
        shift = top - 1 if not self.book and top and top > 1 else 0

        def line_of(node: Node, identifier: str) -> int | None:
            attribute = node["c"][0]
            line = attr_get(attribute, "data-cell-line") if isinstance(attribute, list) else None
            return int(line) if line else doc.line_of("#" + identifier) if identifier else None

        def next_number(kind: str) -> str:
            counts[kind] = counts.get(kind, 0) + 1
            label = settings.label(kind, counts[kind])
            chapter = chapter_number if self.book else article_section[0]
            return f"{chapter}.{label}" if per_chapter and chapter else label

        def with_alt(identifier: str, line: int | None, captions: frozenset[str] = frozenset()):
            def visit(inner: Node):
                if inner["t"] != "Image":
                    return None
                # As Quarto: fig-alt, else an `alt` attribute, else the image's own description where it is not
                # the figure's caption (pandoc 3 puts `{alt="..."}` there); the caption is not the image's alt.
                described = stringify(inner["c"][1])
                alt = (attr_get(inner["c"][0], "fig-alt") or attr_get(inner["c"][0], "alt")
                       or (described if described and described not in captions else None))
                if alt is None and self.pdf_ua:
                    name = f"figure '{identifier}'" if identifier else f"figure '{inner['c'][2][0]}'"
                    raise ReportError(f"{name}: missing alt text, which PDF/UA-1 requires (add fig-alt)",
                                      path=doc.source, line=line)
                alt = alt or ""  # no alt text: an empty alt attribute, and the caption describes the figure
                return {"t": "Image", "c": [attr_without(inner["c"][0], "fig-alt", "alt", "fig-scap", "data-cell-line"),
                                            text_inlines(alt), inner["c"][2]]}
            return visit

        def subfloat(kind: str, parent: str | None, parent_location: str, typst_location: str, line: int | None):
            def make(block: Node, order: int) -> Node:
                letter = settings.subref(order)
                if block["t"] == "Figure":
                    identifier, content = block["c"][0][0], block["c"][2]
                    caption = block["c"][1][1][0]["c"] if block["c"][1][1] else []
                elif block["t"] == "Table":
                    identifier = block["c"][0][0]
                    caption = block["c"][1][1][0]["c"] if block["c"][1][1] else []
                    content = [_bare_table(block)]
                else:
                    identifier = block["c"][0][0]
                    content, caption = _caption_of(block["c"][1])
                    if kind == "tbl":
                        content = [_bare_table(b) if b["t"] == "Table" else b for b in content]
                number = f"{parent} ({letter})" if parent else f"({letter})"
                if identifier:
                    self.add(Target(identifier, kind, number, stringify(caption), index), doc)
                return make_float(identifier, kind, content, f"({letter}) ", caption, number, parent_location,
                                  line, settings.titles[kind], subfloat=True, typst_location=typst_location)
            return make

        def float_node(kind: str, identifier: str, content: list[Node], caption: list[Node], attribute: list,
                       line: int | None) -> Node:
            number = None
            if identifier.startswith(f"{kind}-"):
                number = next_number(kind)
                self.add(Target(identifier, kind, number, stringify(caption), index), doc)
            location = caption_location_of(attribute, kind, settings.caption_locations.get(kind, "bottom"))
            typst_location = caption_location_of(attribute, kind, settings.typst_caption_locations.get(kind, "bottom"))
            content, subfloats = arrange(identifier, content, attribute, doc.source, line,
                                          subfloat(kind, number, location, typst_location, line), kind)
            prefix = settings.caption_prefix(kind, number) if number is not None else ""
            # fig-scap / tbl-scap: the entry in the PDF's list of figures or tables
            short = attr_get(attribute, f"{kind}-scap")
            return make_float(identifier, kind, content, prefix, caption, number, location, line,
                              settings.titles[kind], typst_location=typst_location, short_caption=short,
                              placement=placement_of(attribute, subfloats))

        def figure(identifier: str, content: list[Node], caption: list[Node], attribute: list,
                   line: int | None) -> Node:
            # Any content may be a figure (text, a listing, raw HTML); the images in it need their alt text.
            images: list[Node] = []
            walk(content, images.append, {"Image"})
            line = line or (line_of(images[0], identifier) if images else doc.line_of("#" + identifier))
            # The figure's caption and its sub-figures' (an implicit figure's caption is its image's description).
            captions = {stringify(caption)}
            walk(content, lambda sub: captions.add(stringify(sub["c"][1][1])) if sub["t"] == "Figure" else None,
                 {"Figure"})
            content = walk(walk(content, _linked_image_alt, {"Link"}), with_alt(identifier, line, frozenset(captions)),
                           {"Image"})
            return float_node("fig", identifier, content, caption, attribute, line)

        def table(identifier: str, content: list[Node], caption: list[Node], attribute: list, line: int | None) -> Node:
            # Any content may be a table float (a Markdown table printed by a cell, an image, text), as in Quarto.
            found: list[Node] = []
            walk(content, found.append, {"Table"})
            if len(found) == 1 and not subfloat_candidates(content, "tbl") and not has_layout(attribute):
                content = [_bare_table(found[0])]  # one table: the table alone, as before
            return float_node("tbl", identifier, content, caption, attribute, line)

        def listing(node: Node) -> Node:
            attribute, code = node["c"]
            identifier = attribute[0]
            written = attr_get(attribute, "lst-cap")
            caption = markdown_inlines(written, doc.source) if written else []  # Markdown, as in Quarto
            bare = {"t": "CodeBlock", "c": [attr_without(["", attribute[1], attribute[2]], "lst-cap",
                                                         "lst-cap-location", "data-cell-line"), code]}
            return float_node("lst", identifier, [bare], caption, attribute, line_of(node, identifier))

        def theorem(node: Node, kind: str) -> Node:
            number = next_number(kind)
            title = settings.titles[kind]
            built, name = theorems.theorem(node, kind, number, title)
            self.add(Target(node["c"][0][0], kind, number, stringify(name) or title, index), doc)
            return built

        def callout(node: Node, kind: str) -> Node:
            """A callout labelled `#nte-x` (`wrn`, `cau`, `tip`, `imp`): numbered, its title "Note 1: Title" (or
            "Note 1" when it has no title of its own), as Quarto decorates it."""
            attribute, (title_div, *body) = node["c"]
            number = next_number(kind)
            title = settings.titles[kind]
            own = title_div["c"][1][0]["c"] if attr_get(attribute, "data-titled") != "false" else []
            self.add(Target(attribute[0], kind, number, stringify(own) or title, index), doc)
            heading = [Str(f"{title}\u00a0{number}" + (":" if own else "")), *([{"t": "Space"}, *own] if own else [])]
            titled = [title_div["c"][0], [Plain(heading)]]
            attributes = [*attr_without(attribute, "data-titled")[2], ["data-titled", "true"], ["data-number", number],
                          ["data-kind-title", title]]
            return {"t": "Div", "c": [[attribute[0], attribute[1], attributes], [{"t": "Div", "c": titled}, *body]]}

        def equations(node: Node) -> Node | None:
            inlines = node["c"]
            changed = False
            result: list[Node] = []
            position = 0
            while position < len(inlines):
                inline = inlines[position]
                label = None
                alt = None
                if inline["t"] == "Math" and inline["c"][0]["t"] == "DisplayMath":
                    after = position + 1
                    while after < len(inlines) and inlines[after]["t"] in {"Space", "SoftBreak"}:
                        after += 1
                    found = equation_attributes(inlines, after)
                    if found is not None:
                        label, alt, position = found
                if label:
                    number = next_number("eq")
                    self.add(Target(label, "eq", number, inline["c"][1].strip(), index), doc)
                    attributes = [["data-number", number]] + ([["alt", alt]] if alt is not None else [])
                    result.append({"t": "Span", "c": [[label, [EQUATION_CLASS], attributes], [inline]]})
                    changed = True
                else:
                    result.append(inline)
                position += 1
            return {"t": node["t"], "c": result} if changed else None

        def image_float(figure_attribute: list, content: list[Node], caption: list[Node]) -> Node:
            """A captioned image labelled #fig- is a figure; labelled #tbl- it is a table float holding the image."""
            images: list[Node] = []
            walk(content, images.append, {"Image"})
            identifier = figure_attribute[0]
            # pandoc leaves `{.column-margin width=50%}` on the image: the figure's placement is the float's
            attribute = [identifier, figure_attribute[1] + (images[0]["c"][0][1] if images else []),
                         figure_attribute[2] + (images[0]["c"][0][2] if images else [])]
            if identifier.startswith("tbl-"):
                line = line_of(images[0], identifier) if images else doc.line_of("#" + identifier)
                return table(identifier, walk(content, with_alt(identifier, line), {"Image"}), caption, attribute, line)
            return figure(identifier, content, caption, attribute, None)

        def visit(node: Node):
            nonlocal chapter_number
            kind = node["t"]
            if kind == "Header":
                written, attribute, inlines = node["c"]
                level = written - shift  # an article's `##` sections are its top level (report.document.article)
                identifier, classes = attribute[0], attribute[1]
                unnumbered = "unnumbered" in classes
                title = stringify(inlines)
                if level == 1 and not self.book:
                    doc.title = doc.title or title
                    chapter_number = None
                    number = None
                    if not unnumbered and self.number_sections:
                        self.chapter_count += 1
                        number = str(self.chapter_count)
                    kind_name = "sec"
                    counters[:] = [0] * 7
                    article_section[0] = number
                    if per_chapter:
                        counts.clear()
                elif level == 1 and doc.title:
                    # A further `#` in a chapter, as Quarto numbers it: its level-1 counter moves on within this
                    # page (chapter 2's second `#` is 3, its sections 3.1), the book's chapter count does not.
                    number = None
                    if chapter_number is not None and not unnumbered:
                        number = chapter_number = _next_chapter_number(chapter_number)
                    kind_name = "sec"
                    counters[:] = [0] * 7
                    if per_chapter:
                        counts.clear()
                elif level == 1:
                    doc.title = title
                    if not unnumbered:
                        if doc.appendix:
                            self.appendix_count += 1
                            chapter_number = string.ascii_uppercase[self.appendix_count - 1]
                        else:
                            self.chapter_count += 1
                            chapter_number = str(self.chapter_count)
                    doc.number = chapter_number
                    number = chapter_number
                    kind_name = "appendix" if doc.appendix else "chapter"
                    counters[:] = [0] * 7
                else:
                    parent = chapter_number if self.book else article_section[0]
                    if unnumbered or parent is None:
                        number = None
                    else:
                        counters[level] += 1
                        for deeper in range(level + 1, 7):
                            counters[deeper] = 0
                        number = ".".join([parent] + [str(counters[depth]) for depth in range(2, level + 1)])
                    kind_name = "sec"
                previous_level = doc.sections[-1][0] - shift if doc.sections else 0
                if self.pdf_ua and level > previous_level + 1:
                    raise ReportError(f"heading '{title}' jumps from level {previous_level} to level {level}: "
                                      "heading levels may not be skipped (WCAG 1.3.1, PDF/UA-1)",
                                      path=doc.source, line=doc.line_of(title))
                doc.sections.append((written, identifier, title, number))
                if identifier:
                    self.add(Target(identifier, kind_name, number, title, index), doc)
                if number and self.number_sections:
                    inlines = [Span([Str(number)], classes=["header-section-number"]), {"t": "Space"}] + inlines
                return {"t": "Header", "c": [written, attribute, inlines]}
            if kind == "Figure":
                caption_blocks = node["c"][1][1]
                caption = caption_blocks[0]["c"] if caption_blocks else []
                return image_float(node["c"][0], node["c"][2], caption)
            if kind == "Div":
                attribute = node["c"][0]
                identifier, classes = attribute[0], attribute[1]
                if FLOAT_CLASS in classes:
                    return None  # built already (a float inside a layout that was numbered)
                if identifier.startswith("fig-"):
                    content, caption = _caption_of(read_raw_tables(node["c"][1], doc.source), attribute, "fig",
                                                   doc.source)
                    return figure(identifier, content, caption, attribute, line_of(node, identifier))
                if f"{FLOAT_CLASS}-tbl" in classes or identifier.startswith("tbl-"):
                    content, caption = _caption_of(read_raw_tables(node["c"][1], doc.source), attribute, "tbl",
                                                   doc.source)
                    return table(identifier, content, caption, attribute, line_of(node, identifier))
                if identifier.startswith("lst-"):  # a listing div: its code, and its last paragraph as caption
                    content, caption = _caption_of(node["c"][1], attribute, "lst", doc.source)
                    return float_node("lst", identifier, content, caption, attribute, line_of(node, identifier))
                theorem_kind = identifier.split("-")[0]
                if "report-callout" in classes and theorem_kind in CALLOUT_XREF_KINDS and "-" in identifier:
                    return callout(node, theorem_kind)
                if theorem_kind in THEOREM_KINDS and "-" in identifier:
                    return theorem(node, theorem_kind)
                if any(name in theorems.PROOF_KINDS for name in classes):
                    return theorems.proof(node, self.labels)
                if has_layout(attribute) and LAYOUT_CLASS not in classes:
                    return layout_panel(layout_cells(node["c"][1]), attribute, doc.source,
                                        line_of(node, identifier))
                return None
            if kind == "Table" and node["c"][0][0].startswith("tbl-"):
                caption_blocks = node["c"][1][1]
                caption = caption_blocks[0]["c"] if caption_blocks else []
                return table(node["c"][0][0], [_bare_table(node)], caption, node["c"][0],
                             doc.line_of("#" + node["c"][0][0]))
            if kind == "CodeBlock" and node["c"][0][0].startswith("lst-"):
                return listing(node)
            if kind == "Para" and (linked := linked_image(node)) is not None:
                return image_float(*linked)
            if kind in {"Para", "Plain"}:
                return equations(node)
            return None

        doc.blocks = _walk_in_order(doc.blocks, visit)
        # Every table, in a float or not: numeric columns right-aligned on their decimal separator.
        doc.blocks = walk(doc.blocks, align_numeric_columns, {"Table"})
        location = settings.caption_locations.get("tbl", "top")
        doc.blocks = walk(doc.blocks, lambda node: table_classes(node, location), {"Table"})


_EQUATION_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)'|([^\s"'}]+))""")


def equation_attributes(inlines: list[Node], start: int) -> tuple[str, str | None, int] | None:
    """`{#eq-x}` or `{#eq-x alt="..."}` after display math, as Quarto reads it: (label, alt text, the index of
    its last inline), None where no such block starts at ``start``. Pandoc splits the block into words and
    quotations; they are joined back into its text first."""
    if start >= len(inlines) or inlines[start]["t"] != "Str" or not inlines[start]["c"].startswith("{#eq-"):
        return None
    text = ""
    position = start
    while position < len(inlines):
        inline = inlines[position]
        if inline["t"] == "Str":
            text += inline["c"]
        elif inline["t"] == "Space":
            text += " "
        elif inline["t"] == "Quoted":
            quote = '"' if inline["c"][0]["t"] == "DoubleQuote" else "'"
            text += quote + stringify(inline["c"][1]).replace(quote, "\\" + quote) + quote
        else:
            return None
        if text.endswith("}"):
            break
        position += 1
    match = re.fullmatch(r"\{#(eq-[^\s}]+)(.*)\}", text, re.S)
    if match is None:
        return None
    alt = None
    for key, double, single, bare in _EQUATION_ATTRIBUTE.findall(match.group(2)):
        if key == "alt":
            value = double or single or bare
            alt = re.sub(r"\\(.)", r"\1", value)
    return match.group(1), alt, position


def linked_image(node: Node) -> tuple[list, list[Node], list[Node]] | None:
    """`[![caption](x.png){#fig-x}](url)` or `[![caption](x.png)](url)`: Quarto's linked figure, as (attribute,
    content, caption), else None.

    The label moves from the image to the float; the link stays around the image inside it.
    """
    if len(node["c"]) != 1 or node["c"][0]["t"] != "Link":
        return None
    link = node["c"][0]
    if len(link["c"][1]) != 1 or link["c"][1][0]["t"] != "Image":
        return None
    image = link["c"][1][0]
    identifier = image["c"][0][0]
    # Labelled, or unlabelled with a caption (Quarto makes that an unnumbered figure, as `![Cap](x.png)` alone).
    if not identifier.startswith(("fig-", "tbl-")) and (identifier or not image["c"][1]):
        return None
    bare = {"t": "Image", "c": [["", image["c"][0][1], image["c"][0][2]], image["c"][1], image["c"][2]]}
    content = [{"t": "Para", "c": [{"t": "Link", "c": [link["c"][0], [bare], link["c"][2]]}]}]
    return [identifier, [], []], content, image["c"][1]


def _linked_image_alt(link: Node) -> Node:
    """An image inside a link is not the figure's own image: as in Quarto, its description is its alt text even
    where it equals the caption (only an image standing alone in the figure leaves the caption to describe it)."""

    def visit(image: Node):
        attribute, description = image["c"][0], image["c"][1]
        if attr_get(attribute, "fig-alt") or attr_get(attribute, "alt") or not stringify(description):
            return None
        return {"t": "Image", "c": [[attribute[0], attribute[1], [*attribute[2], ["alt", stringify(description)]]],
                                    *image["c"][1:]]}

    return walk(link, visit, {"Image"})


def _next_chapter_number(number: str) -> str:
    """The number after a chapter's: 2 -> 3, appendix B -> C."""
    if number.isdigit():
        return str(int(number) + 1)
    return string.ascii_uppercase[min(string.ascii_uppercase.index(number) + 1, 25)]


def _bare_table(node: Node) -> Node:
    """A table without its own caption and label: those belong to the float around it."""
    kept = attr_without(node["c"][0], "tbl-scap")  # read by the float, not an attribute of the output
    return {"t": "Table", "c": [["", kept[1], kept[2]], [None, []], *node["c"][2:]]}


def _walk_in_order(blocks: list[Node], visit) -> list[Node]:
    """Pre-order traversal for numbering (headings before the figures under them)."""
    result: list[Node] = []
    for block in blocks:
        replaced = visit(block)
        block = replaced if replaced is not None else block
        if block["t"] == "Div" and FLOAT_CLASS not in block["c"][0][1]:
            block = {"t": "Div", "c": [block["c"][0], _walk_in_order(block["c"][1], visit)]}
        elif block["t"] == "BlockQuote":
            block = {"t": "BlockQuote", "c": _walk_in_order(block["c"], visit)}
        elif block["t"] == "BulletList":  # a figure in a list item is numbered where it stands, as in Quarto
            block = {"t": "BulletList", "c": [_walk_in_order(item, visit) for item in block["c"]]}
        elif block["t"] == "OrderedList":
            block = {"t": "OrderedList", "c": [block["c"][0], [_walk_in_order(item, visit) for item in block["c"][1]]]}
        result.append(block)
    return result


def index_entries(targets: dict[str, Target], documents: list[BookDocument]) -> dict[str, dict[str, Any]]:
    """The book's cross-reference index, kept after a full render for lone-chapter renders."""
    return {identifier: {"kind": target.kind, "number": target.number, "title": target.title,
                         "page": documents[target.document].page}
            for identifier, target in sorted(targets.items())}


def number_book(documents: list[BookDocument], labels: Mapping[str, str], number_sections: bool,
                book: bool = True, chapter_number: str | None = None,
                settings: CrossrefSettings | None = None, pdf_ua: bool = True) -> dict[str, Target]:
    """Number everything; ``book`` False numbers one article as Quarto does (sections 1, 1.1; Figuur 1, 2).

    ``pdf_ua``: a PDF/UA standard is requested (``pdf-standard``), so every figure needs alt text and headings
    follow typst's PDF/UA rules; without it a figure without alt text renders with an empty alt.
    """
    numberer = _Numberer(labels, number_sections, book, settings or crossref_settings({}, labels))
    numberer.pdf_ua = pdf_ua
    if chapter_number is not None:  # a lone chapter keeps the number it has in the book
        if chapter_number.isdigit():
            numberer.chapter_count = int(chapter_number) - 1
        else:
            numberer.appendix_count = string.ascii_uppercase.index(chapter_number)
    for index, doc in enumerate(documents):
        numberer.document(index, doc)
    return numberer.targets


def _reference_text(target: Target, settings: CrossrefSettings, suppress_prefix: bool, capital: bool) -> str:
    if target.number is None:
        return target.title
    prefix = settings.prefixes.get(target.kind, target.kind)
    if capital:
        prefix = prefix[:1].upper() + prefix[1:]
    return target.number if suppress_prefix else f"{prefix}\u00a0{target.number}"


def is_label(identifier: str) -> bool:
    """A cross-reference label (`fig-x`, `sec-x`, ...): unique in the whole book, where other ids are per page."""
    return "-" in identifier and identifier.split("-")[0] in CROSSREF_KINDS


def _crossref_id(citation_id: str) -> tuple[str, bool] | None:
    """The label a citation refers to and whether it was capitalised (`@Fig-x`); None for bibliography keys."""
    kind = citation_id.split("-")[0]
    if kind in CROSSREF_KINDS and "-" in citation_id:
        return citation_id, False
    if kind[:1].isupper() and kind.lower() in CROSSREF_KINDS and kind[1:].islower() and "-" in citation_id:
        return kind.lower() + citation_id[len(kind):], True
    return None


def unresolved(identifier: str) -> Node:
    """What Quarto shows for a cross-reference it cannot resolve."""
    return {"t": "Strong", "c": [Str("?@" + identifier)]}


# References that typst resolves itself with #ref(<label>): floats with a number printed by their figure, and
# theorems, whose theorion frame prints it (report.outputs._theorems_typst).
TYPST_REF_KINDS = ("fig", "tbl", "lst", *THEOREM_KINDS, *CALLOUT_XREF_KINDS)


def resolve_references(documents: list[BookDocument], targets: dict[str, Target], labels: Mapping[str, str],
                       elsewhere: Mapping[str, dict[str, Any]] | None = None,
                       settings: CrossrefSettings | None = None) -> None:
    """Replace `@fig-x`, `@tbl-x` and `@sec-x` citations by links carrying their numbers.

    ``elsewhere`` is given when one chapter of a book is rendered on its own: the book's index from its last
    full render (label -> kind, number, title, page). A label found nowhere is shown as Quarto shows it, a bold
    ``?@label``, with a warning (``--strict`` makes it an error).
    """
    settings = settings or crossref_settings({}, labels)
    for doc in documents:
        def visit(node: Node, doc: BookDocument = doc):
            if node["t"] != "Cite":
                return None
            citations = node["c"][0]
            crossrefs = [c for c in citations if _crossref_id(c["citationId"])]
            if not crossrefs:
                return None
            if len(crossrefs) != len(citations):
                raise ReportError("a citation mixes cross-references and bibliography keys: "
                                  f"{', '.join('@' + c['citationId'] for c in citations)}",
                                  path=doc.source, line=doc.line_of("@" + crossrefs[0]["citationId"]))
            inlines: list[Node] = []
            for position, citation in enumerate(crossrefs):
                identifier, capital = _crossref_id(citation["citationId"])
                target = targets.get(identifier)
                href = "#" + identifier
                if target is None and elsewhere is not None:
                    known = elsewhere.get(identifier)
                    if known is None:
                        diagnostics.log_warning(diagnostics.Warning(
                            doc.source, doc.line_of("@" + identifier),
                            f"cross-reference '@{identifier}' is not in this chapter nor in the book's last render"))
                        inlines.append(unresolved(identifier))
                        continue
                    target = Target(identifier, known["kind"], known["number"], known["title"], -1)
                    href = f"{known['page']}#{identifier}"
                if target is None:
                    # As Quarto: a warning, and the reference shown as a bold `?@label` where it stands.
                    diagnostics.warn(f"Unable to resolve crossref @{identifier}", path=doc.source,
                                     line=doc.line_of("@" + citation["citationId"]))
                    inlines.append(unresolved(identifier))
                    continue
                if position:  # "Figuur 1.1, Figuur 1.2 en Figuur 1.3"
                    last = position == len(crossrefs) - 1
                    inlines += [{"t": "Space"}, Str(labels["and"]), {"t": "Space"}] if last else [Str(","), {"t": "Space"}]
                # As Quarto: a citation prefix replaces the kind's prefix, inside the link ("[Figuur -@fig-x]").
                prefix = citation["citationPrefix"]
                suppress = citation["citationMode"]["t"] == "SuppressAuthor" or bool(prefix)
                text = _reference_text(target, settings, suppress, capital)
                shown = [Str(text.replace(" ", "\u00a0"))] if target.number else text_inlines(text)
                if prefix and target.number:
                    shown = prefix + [Str("\u00a0")] + shown
                if not settings.ref_hyperlink:  # as Quarto: the text alone, no element around it
                    inlines += shown + citation["citationSuffix"]
                    continue
                link = Link(shown, href, ["quarto-xref"])
                if target.kind in TYPST_REF_KINDS and target.number and not suppress and target.document >= 0 \
                        and " (" not in target.number:
                    # typst prints the same text from the float's own numbering: #ref(<label>, supplement: ...)
                    link["c"][0][2] = [["data-typst-ref", text.split("\u00a0")[0]]]
                inlines.append(link)
                inlines += citation["citationSuffix"]
            return Span(inlines) if len(inlines) > 1 else inlines[0]

        doc.blocks = walk(doc.blocks, visit, {"Cite"})
