"""What the PDF says about the targets of links: headings and floats carry a descriptive typst supplement.

typst describes a link to a heading or figure (the annotation's /Contents and the Link tag's /Alt) as
"<supplement>, pagina N". The engine writes the numbers into the text itself, so typst's own supplement
would be a bare "Hoofdstuk"; here every heading gets a supplement that names its target in full
("Paragraaf 2.4 Woorden voor aantallen"). A float is a numbered typst figure (report.outputs._floats_typst),
which typst describes as "Figuur 3.2"; its entry in the lists of figures and tables ("Figuur 3.2 Short
caption") is recorded next to it as metadata that the template's outline entries read.
"""

from __future__ import annotations

from typing import Mapping

from report.document._ast import Node, Plain, RawInline, stringify
from report.document.captions import SHORT_CAPTION_ATTRIBUTE, short_caption
from report.document.floats import caption_without_prefix

__all__ = ["float_list_entry", "heading_typst", "markup_text", "part_typst"]


def markup_text(text: str) -> str:
    """Plain text as typst markup: every character typst would read as syntax is escaped."""
    return "".join("\\" + char if char in "\\[]#*_`$<>@=-+/~" else char for char in text)


def _numbered(inlines: list[Node]) -> bool:
    first = inlines[0] if inlines else None
    return bool(first) and first["t"] == "Span" and "header-section-number" in first["c"][0][1]


def heading_typst(node: Node, chapter_word: str | None, section_word: str) -> Node:
    """A pandoc Header as a typst heading call with a descriptive supplement.

    ``chapter_word`` names a numbered level-1 heading of a book ("Hoofdstuk", "Bijlage"); deeper numbered
    headings are ``section_word`` ("Paragraaf"); an unnumbered heading is described by its title alone.
    ``depth`` rather than ``level`` is written so that a part's ``heading(offset: 1)`` nests the chapter.
    """
    level, attribute, inlines = node["c"]
    title = " ".join(stringify(inlines).split())
    if _numbered(inlines):
        word = chapter_word if level == 1 and chapter_word else section_word
        description = f"{word} {title}"
    else:
        description = title
    label = f" <{attribute[0]}>" if attribute[0] else ""
    outlined = "" if "unlisted" not in attribute[1] else ", outlined: false"
    return Plain([RawInline("typst", f"#heading(depth: {level}, supplement: [{markup_text(description)}]{outlined})["),
                  *inlines, RawInline("typst", f"]{label}")])


def part_typst(title: str, part_word: str, first: bool) -> str:
    """A part page: a level-1 heading; the chapters after it become level 2, nested under the part."""
    call = f"#report-part([{markup_text(title)}], supplement: [{markup_text(f'{part_word} {title}')}])"
    return call if not first else call + "\n#set heading(offset: 1)"


def float_list_entry(attributes: Mapping[str, str], body: list[Node]) -> str | None:
    """A numbered float's entry in the list of figures or tables: "Tabel 2.1 Short caption".

    The short caption is fig-scap/tbl-scap, else the first sentence of the (resolved) caption body;
    an unnumbered float has no entry.
    """
    number = attributes.get("data-number")
    if number is None:
        return None
    reference = f"{attributes.get('data-kind-title', '')}\u00a0{number}".strip()
    short = short_caption(attributes.get(SHORT_CAPTION_ATTRIBUTE), caption_without_prefix(body))
    return " ".join(part for part in (reference, short) if part)
