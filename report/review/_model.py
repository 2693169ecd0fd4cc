"""Frozen records shared by the extraction, comparison and rendering stages."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TextBlock:
    """A paragraph-like block: paragraph, list item, heading or caption-free text.

    ``norm`` is the text compared between versions: cross-reference link text
    is replaced by a token naming its target, and section numbers are
    dropped, so that numbering shifted by an insertion elsewhere compares
    equal. ``refs`` maps each token back to the link text shown on the page.
    """

    kind: str  # "p", "li", "h1".."h6", "dd", "dt", "pre"
    norm: str
    refs: tuple[tuple[str, str], ...] = ()
    anchor: str = ""

    @property
    def identity(self) -> str:
        return f"{self.kind}\x00{self.norm}"

    def display(self) -> str:
        return restore_refs(self.norm, dict(self.refs))


@dataclass(frozen=True)
class Figure:
    """A figure, identified by its label (``fig-x``) rather than its number."""

    label: str
    caption: str  # number prefix ("Figuur 3.2:") stripped
    alt: str
    images: tuple[tuple[str, bytes], ...]  # (media type, bytes) as published
    digest: str  # hash of the images with volatile parts stripped
    number: str = ""  # "Figuur 3.2" as the page shows it; not compared (it follows the position)

    @property
    def name(self) -> str:
        """How a reader names it: number and caption ("Figuur 3.2: Meldingen per jaar")."""
        return ": ".join(part for part in (self.number, self.caption) if part) or self.label

    @property
    def identity(self) -> str:
        return f"figure\x00{self.label}"

    @property
    def content(self) -> tuple[str, str, str]:
        return (self.caption, self.alt, self.digest)


@dataclass(frozen=True)
class Table:
    """A table as rows of cell text, identified by its label (``tbl-x``)."""

    label: str
    caption: str
    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 1
    number: str = ""  # "Tabel 4.1" as the page shows it; not compared

    @property
    def name(self) -> str:
        return ": ".join(part for part in (self.number, self.caption) if part) or self.label

    @property
    def identity(self) -> str:
        return f"table\x00{self.label}"

    @property
    def content(self) -> tuple[str, tuple[tuple[str, ...], ...]]:
        return (self.caption, self.rows)


Block = TextBlock | Figure | Table


@dataclass(frozen=True)
class Page:
    """One rendered page of the book (a chapter, or the index page)."""

    path: str  # relative to the book folder, with forward slashes
    title: str
    section_id: str  # id of the chapter's top section, to follow renamed files
    blocks: tuple[Block, ...] = field(default_factory=tuple)


REF_OPEN = "\ue000"
REF_CLOSE = "\ue001"


def ref_token(target: str) -> str:
    return f"{REF_OPEN}{target}{REF_CLOSE}"


def restore_refs(text: str, refs: dict[str, str]) -> str:
    """Replace cross-reference tokens by the link text shown on the page."""
    if REF_OPEN not in text:
        return text
    out = []
    pos = 0
    while True:
        start = text.find(REF_OPEN, pos)
        if start < 0:
            out.append(text[pos:])
            return "".join(out)
        end = text.find(REF_CLOSE, start)
        token = text[start : end + 1]
        out.append(text[pos:start])
        out.append(refs.get(token, token[1:-1]))
        pos = end + 1
