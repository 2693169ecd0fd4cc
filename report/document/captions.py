"""Short captions of figures and tables, for the lists of figures and tables and for link descriptions.

Quarto takes a figure's short caption from ``fig-scap`` (a cell option or an image attribute); the engine
reads ``tbl-scap`` the same way for tables. Without one, the short caption is the caption's first sentence.
"""

from __future__ import annotations

import re

from report.document._ast import Node, stringify

__all__ = ["SHORT_CAPTION_ATTRIBUTE", "first_sentence", "short_caption"]

#: The float Div attribute that carries the short caption from numbering to the output writers.
SHORT_CAPTION_ATTRIBUTE = "short-caption"
# A sentence ends at . ! or ? followed by a space and a capital, a digit or a quote.
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z0-9\u00c0-\u00dd\"'\u2018\u201c])")
# ... unless the full stop closes an abbreviation: "e.a.", "z.d.", "bijv." or a single letter.
_ABBREVIATION = re.compile(r"(?:\b\w\.\w.*|\b[^\W\d]|\b(?:bijv|bv|ca|resp|nr|vgl|zgn|incl|excl|e\.g|i\.e|etc|vs))$",
                           re.IGNORECASE)


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, without its final full stop."""
    text = " ".join(text.split())
    for match in _SENTENCE_END.finditer(text):
        before = text[:match.start()]
        word = before.rsplit(" ", 1)[-1]
        if match.group() == "." and _ABBREVIATION.search(word):
            continue
        return before if match.group() == "." else text[:match.end()]
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def short_caption(explicit: str | None, caption: list[Node]) -> str:
    """``explicit`` (fig-scap / tbl-scap) when given, else the first sentence of the caption, as plain text."""
    if explicit and explicit.strip():
        return " ".join(explicit.split())
    return first_sentence(stringify(caption))
