"""Book-wide numbering of chapters, sections, figures and tables, and resolution of `@` cross-references.

Numbers are computed once, here, and written into the document as text, so
the HTML site and the PDF show the same "Figuur 3.2" and no format can
disagree with another. Figures and tables become neutral float Divs that
each output format then renders in its own markup.
"""

from __future__ import annotations

import logging
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from report.document._ast import (Div, Link, Node, Plain, Span, Str, attr_get, attr_without, stringify, text_inlines, walk)
from report.document.captions import SHORT_CAPTION_ATTRIBUTE
from report.document.numeric_columns import align_numeric_columns
from report.errors import ReportError

__all__ = ["BookDocument", "Target", "index_entries", "number_book", "resolve_references", "FLOAT_CLASS"]

log = logging.getLogger("report")
FLOAT_CLASS = "report-float"
CROSSREF_KINDS = ("fig", "tbl", "sec")


@dataclass
class BookDocument:
    """One document of the book while it moves through the filter stages."""

    source: Path  # relative to the project root
    blocks: list[Node]
    line_of: Any  # callable(str) -> int | None, for error messages
    part: str | None = None
    appendix: bool = False
    number: str | None = None
    title: str = ""
    sections: list[tuple[int, str, str, str | None]] = field(default_factory=list)  # level, id, title, number

    @property
    def page(self) -> str:
        return self.source.with_suffix(".html").as_posix()


@dataclass(frozen=True)
class Target:
    identifier: str
    kind: str  # fig, tbl, chapter, appendix, sec
    number: str | None
    title: str
    document: int  # index into the book's documents


def _caption_prefix(label: str, number: str | None) -> list[Node]:
    if number is None:
        return []
    return [Str(label), Str("\u00a0"), Str(f"{number}:"), {"t": "Space"}]


def caption_without_prefix(caption: list[Node]) -> list[Node]:
    """A float's caption without the "Figuur 3.2: " that numbering put before it."""
    head = caption[:4]
    if (len(head) == 4 and [node["t"] for node in head] == ["Str", "Str", "Str", "Space"]
            and head[1]["c"] == "\u00a0" and head[2]["c"].endswith(":")):
        return caption[4:]
    return caption


def _float(identifier: str, kind: str, content: list[Node], caption: list[Node], line: int | None,
           short: str = "", reference: str = "") -> Node:
    attributes = {"data-cell-line": str(line)} if line else {}
    # For the lists of figures and tables and the PDF's link descriptions ("Tabel 2.1 Short caption");
    # without fig-scap/tbl-scap the writers take the caption's first sentence once references are resolved.
    if short:
        attributes[SHORT_CAPTION_ATTRIBUTE] = " ".join(short.split())
    if reference:
        attributes["float-reference"] = reference
    return Div(content + [Div([Plain(caption)], classes=["report-caption"])], identifier,
               [FLOAT_CLASS, f"{FLOAT_CLASS}-{kind}"], attributes)


class _Numberer:
    def __init__(self, labels: Mapping[str, str], number_sections: bool, book: bool):
        self.labels = labels
        self.number_sections = number_sections
        self.book = book  # an article numbers sections 1, 1.1 and floats 1, 2, 3 across the document
        self.targets: dict[str, Target] = {}
        self.chapter_count = 0
        self.appendix_count = 0

    def add(self, target: Target, doc: BookDocument) -> None:
        if target.identifier in self.targets:
            other = self.targets[target.identifier]
            raise ReportError(f"duplicate label '{target.identifier}' (also used in document {other.document + 1})",
                              path=doc.source, line=doc.line_of("#" + target.identifier))
        self.targets[target.identifier] = target

    def document(self, index: int, doc: BookDocument) -> None:
        counters = [0] * 7
        figures = tables = 0
        chapter_number: str | None = None
        article_section: list[str | None] = [None]

        def line_of(node: Node, identifier: str) -> int | None:
            attribute = node["c"][0]
            line = attr_get(attribute, "data-cell-line") if isinstance(attribute, list) else None
            return int(line) if line else doc.line_of("#" + identifier) if identifier else None

        def figure(identifier: str, content: list[Node], caption: list[Node], line: int | None,
                   explicit_scap: str | None = None) -> Node:
            nonlocal figures
            images: list[Node] = []
            walk(content, images.append, {"Image"})
            if not images:
                raise ReportError(f"figure '{identifier}' holds no image", path=doc.source,
                                  line=line or doc.line_of("#" + identifier))
            line = line or line_of(images[0], identifier)

            def with_alt(inner: Node):
                if inner["t"] != "Image":
                    return None
                alt = attr_get(inner["c"][0], "fig-alt")
                if alt is None:
                    name = f"figure '{identifier}'" if identifier else f"figure '{inner['c'][2][0]}'"
                    raise ReportError(f"{name} has no fig-alt: every figure needs alt text (WCAG 1.1.1, PDF/UA-1)",
                                      path=doc.source, line=line)
                return {"t": "Image", "c": [attr_without(inner["c"][0], "fig-alt", "fig-scap", "data-cell-line"),
                                            text_inlines(alt), inner["c"][2]]}

            scaps = [attr_get(image["c"][0], "fig-scap") for image in images]
            content = walk(content, with_alt, {"Image"})
            number = None
            if identifier.startswith("fig-"):
                figures += 1
                number = f"{chapter_number}.{figures}" if chapter_number else str(figures)
                self.add(Target(identifier, "fig", number, stringify(caption), index), doc)
            short = explicit_scap or next((scap for scap in scaps if scap), None) or ""
            return _float(identifier, "fig", content, _caption_prefix(self.labels["fig"], number) + caption, line,
                          short, f"{self.labels['fig']} {number}" if number else "")

        def table(node: Node, identifier: str, caption: list[Node], line: int | None,
                  explicit_scap: str | None = None) -> Node:
            nonlocal tables
            number = None
            if identifier.startswith("tbl-"):
                tables += 1
                number = f"{chapter_number}.{tables}" if chapter_number else str(tables)
                self.add(Target(identifier, "tbl", number, stringify(caption), index), doc)
            kept = attr_without(node["c"][0], "tbl-scap")  # read below, not an attribute of the output
            bare = align_numeric_columns({"t": "Table", "c": [["", kept[1], kept[2]], [None, []], *node["c"][2:]]})
            short = explicit_scap or attr_get(node["c"][0], "tbl-scap") or ""
            return _float(identifier, "tbl", [bare], _caption_prefix(self.labels["tbl"], number) + caption, line,
                          short, f"{self.labels['tbl']} {number}" if number else "")

        def visit(node: Node):
            nonlocal chapter_number
            kind = node["t"]
            if kind == "Header":
                level, attribute, inlines = node["c"]
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
                elif level == 1:
                    if doc.title:
                        raise ReportError(f"a second level-1 heading '{title}': each chapter has one '#' title",
                                          path=doc.source, line=doc.line_of(title))
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
                previous_level = doc.sections[-1][0] if doc.sections else 0
                if level > previous_level + 1:
                    raise ReportError(f"heading '{title}' jumps from level {previous_level} to level {level}: "
                                      "heading levels may not be skipped (WCAG 1.3.1, PDF/UA-1)",
                                      path=doc.source, line=doc.line_of(title))
                doc.sections.append((level, identifier, title, number))
                if identifier:
                    self.add(Target(identifier, kind_name, number, title, index), doc)
                if number and self.number_sections:
                    inlines = [Span([Str(number)], classes=["header-section-number"]), {"t": "Space"}] + inlines
                return {"t": "Header", "c": [level, attribute, inlines]}
            if kind == "Figure":
                caption_blocks = node["c"][1][1]
                caption = caption_blocks[0]["c"] if caption_blocks else []
                return figure(node["c"][0][0], node["c"][2], caption, None, attr_get(node["c"][0], "fig-scap"))
            if kind == "Div" and node["c"][0][0].startswith("fig-"):
                blocks = node["c"][1]
                caption_div = next((b for b in blocks if b["t"] == "Div" and "report-caption" in b["c"][0][1]), None)
                if caption_div is not None:
                    content = [b for b in blocks if b is not caption_div]
                    caption = caption_div["c"][1][0]["c"] if caption_div["c"][1] else []
                elif blocks and blocks[-1]["t"] == "Para":  # Quarto's figure div: the last paragraph is the caption
                    content, caption = blocks[:-1], blocks[-1]["c"]
                else:
                    content, caption = blocks, []
                return figure(node["c"][0][0], content, caption, line_of(node, node["c"][0][0]),
                              attr_get(node["c"][0], "fig-scap"))
            if kind == "Div" and "report-float-tbl" in node["c"][0][1]:
                identifier = node["c"][0][0]
                content = node["c"][1]
                caption_div = next((b for b in content if b["t"] == "Div" and "report-caption" in b["c"][0][1]), None)
                caption = []
                if caption_div and caption_div["c"][1]:
                    caption = caption_div["c"][1][0]["c"]
                found = [b for b in content if b["t"] == "Table"]
                line = line_of(node, identifier)
                if not found:
                    raise ReportError(f"table cell '{identifier}' produced no table (return a pandas DataFrame)",
                                      path=doc.source, line=line)
                return table(found[0], identifier, caption, line, attr_get(node["c"][0], "tbl-scap"))
            if kind == "Table" and node["c"][0][0].startswith("tbl-"):
                caption_blocks = node["c"][1][1]
                caption = caption_blocks[0]["c"] if caption_blocks else []
                return table(node, node["c"][0][0], caption, doc.line_of("#" + node["c"][0][0]))
            if kind == "Table":
                return align_numeric_columns(node)
            return None

        doc.blocks = _walk_in_order(doc.blocks, visit)


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
        result.append(block)
    return result


def index_entries(targets: dict[str, Target], documents: list[BookDocument]) -> dict[str, dict[str, Any]]:
    """The book's cross-reference index, kept after a full render for lone-chapter renders."""
    return {identifier: {"kind": target.kind, "number": target.number, "title": target.title,
                         "page": documents[target.document].page}
            for identifier, target in sorted(targets.items())}


def number_book(documents: list[BookDocument], labels: Mapping[str, str], number_sections: bool,
                book: bool = True, chapter_number: str | None = None) -> dict[str, Target]:
    """Number everything; ``book`` False numbers one article as Quarto does (sections 1, 1.1; Figuur 1, 2)."""
    numberer = _Numberer(labels, number_sections, book)
    if chapter_number is not None:  # a lone chapter keeps the number it has in the book
        if chapter_number.isdigit():
            numberer.chapter_count = int(chapter_number) - 1
        else:
            numberer.appendix_count = string.ascii_uppercase.index(chapter_number)
    for index, doc in enumerate(documents):
        numberer.document(index, doc)
    return numberer.targets


def _reference_text(target: Target, labels: Mapping[str, str], suppress_prefix: bool) -> str:
    if target.number is None:
        return target.title
    prefix = {"fig": labels["fig"], "tbl": labels["tbl"], "chapter": labels["chapter"],
              "appendix": labels["appendix"], "sec": labels["section"]}[target.kind]
    return target.number if suppress_prefix else f"{prefix}\u00a0{target.number}"


def resolve_references(documents: list[BookDocument], targets: dict[str, Target], labels: Mapping[str, str],
                       elsewhere: Mapping[str, dict[str, Any]] | None = None) -> None:
    """Replace `@fig-x`, `@tbl-x` and `@sec-x` citations by links carrying their numbers.

    ``elsewhere`` is given when one chapter of a book is rendered on its own: the book's index from its last
    full render (label -> kind, number, title, page). A label found in neither stays visible as ``?@label``
    with a warning, as Quarto does for a lone chapter; in a book render it is an error.
    """
    for doc in documents:
        def visit(node: Node, doc: BookDocument = doc):
            if node["t"] != "Cite":
                return None
            citations = node["c"][0]
            crossrefs = [c for c in citations if c["citationId"].split("-")[0] in CROSSREF_KINDS]
            if not crossrefs:
                return None
            if len(crossrefs) != len(citations):
                raise ReportError("a citation mixes cross-references and bibliography keys: "
                                  f"{', '.join('@' + c['citationId'] for c in citations)}",
                                  path=doc.source, line=doc.line_of("@" + crossrefs[0]["citationId"]))
            inlines: list[Node] = []
            for position, citation in enumerate(crossrefs):
                identifier = citation["citationId"]
                target = targets.get(identifier)
                href = "#" + identifier
                if target is None and elsewhere is not None:
                    known = elsewhere.get(identifier)
                    if known is None:
                        log.warning("%s:%s: cross-reference '@%s' is not in this chapter nor in the book's last "
                                    "render", doc.source.as_posix(), doc.line_of("@" + identifier), identifier)
                        inlines.append(Str("?@" + identifier))
                        continue
                    target = Target(identifier, known["kind"], known["number"], known["title"], -1)
                    href = f"{known['page']}#{identifier}"
                if target is None:
                    raise ReportError(f"unresolved cross-reference '@{identifier}': no figure, table or section "
                                      "has this label", path=doc.source, line=doc.line_of("@" + identifier))
                if position:  # "Figuur 1.1, Figuur 1.2 en Figuur 1.3"
                    last = position == len(crossrefs) - 1
                    inlines += [{"t": "Space"}, Str(labels["and"]), {"t": "Space"}] if last else [Str(","), {"t": "Space"}]
                suppress = citation["citationMode"]["t"] == "SuppressAuthor"
                if citation["citationPrefix"]:
                    inlines += citation["citationPrefix"] + [{"t": "Space"}]
                text = _reference_text(target, labels, suppress)
                inlines.append(Link([Str(text.replace(" ", "\u00a0"))] if target.number else text_inlines(text),
                                    href, ["quarto-xref"]))
                inlines += citation["citationSuffix"]
            return Span(inlines) if len(inlines) > 1 else inlines[0]

        doc.blocks = walk(doc.blocks, visit, {"Cite"})
