"""Quarto's article model: where the H1 of a document comes from.

- A single document (an article) with ``title:`` has its title block as the H1; its sections start at ``##``.
  In HTML the headings stay as written; in the typst PDF they move up one level so that typst's heading tree
  starts at level 1, which PDF/UA-1 requires ("the first heading must be of level 1").
- A book chapter's H1 is its ``#`` heading or, when it has none, its ``title:``.
"""

from __future__ import annotations

from typing import Any

from report.document._ast import Node, attr, text_inlines

__all__ = ["article_heading_shift", "chapter_title_heading", "is_article", "top_heading_level", "unnumbered_titles"]


def top_heading_level(blocks: list[Node]) -> int | None:
    levels = [block["c"][0] for block in blocks if block.get("t") == "Header"]
    return min(levels) if levels else None


def is_article(documents: list[Any], *, book: bool) -> bool:
    """One document rendered on its own, outside a book: Quarto lays it out as an article, not a book."""
    return not book and len(documents) == 1


def article_heading_shift(documents: list[Any], metadata: dict[str, Any], *, book: bool) -> int:
    """How far the typst output moves headings: -1 for an article with a title and ``##`` sections."""
    if not is_article(documents, book=book) or not metadata.get("title"):
        return 0
    top = top_heading_level(documents[0].blocks)
    return -(top - 1) if top and top > 1 else 0


def chapter_title_heading(blocks: list[Node], title: Any) -> list[Node]:
    """A chapter without a ``#`` heading gets its ``title:`` as one, as Quarto makes it the chapter's H1."""
    if not isinstance(title, str) or not title or any(block.get("t") == "Header" and block["c"][0] == 1
                                                      for block in blocks):
        return blocks
    return [{"t": "Header", "c": [1, attr(), text_inlines(title)]}, *blocks]


def unnumbered_titles(blocks: list[Node]) -> list[Node]:
    """The document's `#` headings marked unnumbered (a part's page, which is not a chapter)."""
    return [{"t": "Header", "c": [1, [block["c"][1][0], [*block["c"][1][1], "unnumbered"], block["c"][1][2]],
                                  block["c"][2]]}
            if block.get("t") == "Header" and block["c"][0] == 1 and "unnumbered" not in block["c"][1][1] else block
            for block in blocks]
