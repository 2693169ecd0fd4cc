"""A Jupyter document's title from its first Markdown, as Quarto's fixupFrontMatter takes it.

A document run by Jupyter (a .qmd with Python cells, a notebook) without `title:` takes as its title the
heading its first Markdown cell opens with (`#` of any level, or a setext heading), provided nothing comes
before that heading in the cell. The heading leaves the text; its line stays, blank, so line numbers hold.
A heading after other text ("Some paragraph", then `###`) is no title, and the document stays untitled.
"""

from __future__ import annotations

import re
from dataclasses import replace

from report.sources.qmd import MarkdownChunk, QmdDocument

__all__ = ["with_notebook_title"]

_ATX = re.compile(r"^#{1,}\s+(.*?)\s*(?:\{[^}]*\})?\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _extracted(text: str) -> tuple[str, str] | None:
    """(title, text without the heading) when ``text`` opens with a heading; else None."""
    lines = text.split("\n")
    seen_content = False
    fence: str | None = None
    for index, line in enumerate(lines):
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        if (opened := _FENCE.match(line)) is not None:
            fence = opened.group(1)
            seen_content = True
            continue
        if (heading := _ATX.match(line)) is not None and line.startswith("#"):
            if seen_content:
                return None
            return heading.group(1), "\n".join(lines[:index] + [""] + lines[index + 1:])
        if _SETEXT.match(line) and index > 0 and lines[index - 1].strip():
            if any(previous.strip() for previous in lines[:index - 1]):
                return None
            return lines[index - 1].strip(), "\n".join(lines[:index - 1] + ["", ""] + lines[index + 1:])
        if line.strip():
            seen_content = True
    return None


def with_notebook_title(doc: QmdDocument) -> QmdDocument:
    """``doc`` with the title Quarto gives a Jupyter document that has none; unchanged otherwise."""
    if doc.metadata.get("title") or not doc.executable or not doc.cells:
        return doc
    first = next((chunk for chunk in doc.chunks if isinstance(chunk, MarkdownChunk) and chunk.text.strip()), None)
    if first is None:
        return doc
    found = _extracted(first.text)
    if found is None:
        return doc
    title, text = found
    chunks = tuple(replace(chunk, text=text) if chunk is first else chunk for chunk in doc.chunks)
    return replace(doc, metadata={**doc.metadata, "title": title}, chunks=chunks)
