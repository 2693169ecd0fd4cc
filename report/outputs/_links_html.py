"""Links between the pages of an HTML site, pointed where Quarto points them.

- A link to a document of the render (``other.qmd``, ``.ipynb`` or ``.md``, with or without ``#anchor``) goes to
  that document's page (``other.html#anchor``); in a document rendered on its own, ``x.qmd`` becomes ``x.html``.
- A ``#id`` link goes to the page that holds the id. Every page is converted on its own, so footnotes (``#fn1``)
  and code lines (``#cb1-1``) are numbered per page and many pages hold the same id: a link to an id its own page
  holds stays on that page; only a cross-reference to an id held elsewhere leaves it.
"""

from __future__ import annotations

import html
import posixpath
import re
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Mapping
from urllib.parse import unquote, urlsplit

from report.document._ast import Node, walk
from report.document.crossref import is_label
from report.sources.project import DOCUMENT_SUFFIXES

__all__ = ["relative_href", "document_links", "page_ids", "anchor_links"]

_ID = re.compile(r'\sid="([^"]+)"')
_ANCHOR_HREF = re.compile(r'href="#([^"]+)"')


@lru_cache(maxsize=None)  # every page's sidebar links to every page: pages squared calls per render
def relative_href(from_page: str, to_page: str) -> str:
    """The link from one output page to another, both relative to the output folder."""
    base = PurePosixPath(from_page).parent
    target = PurePosixPath(to_page)
    up = len(base.parts)
    common = 0
    while common < min(len(base.parts), len(target.parts) - 1) and base.parts[common] == target.parts[common]:
        common += 1
    return "/".join([".."] * (up - common) + list(target.parts[common:]))


def document_links(blocks: list[Node], source: PurePosixPath, page: str, pages: Mapping[str, str],
                   standalone: bool) -> list[Node]:
    """Point links to documents at their pages.

    ``source`` is the document the links are in and ``pages`` maps every document of the render (paths relative
    to the same folder as ``source``, POSIX form) to its page. ``standalone``: a document rendered on its own,
    whose links to other ``.qmd`` files go to the ``.html`` a render of each writes beside it.
    """

    def visit(node: Node):
        target = _page_target(node["c"][2][0], source, page, pages, standalone)
        if target is None:
            return None
        attribute, inlines, (_url, title) = node["c"]
        return {"t": "Link", "c": [attribute, inlines, [target, title]]}

    return walk(blocks, visit, {"Link"})


def _page_target(url: str, source: PurePosixPath, page: str, pages: Mapping[str, str], standalone: bool) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    suffix = PurePosixPath(path).suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        return None
    # As in Quarto, a path starting with '/' is relative to the project root.
    resolved = posixpath.normpath(path.lstrip("/") if path.startswith("/") else (source.parent / path).as_posix())
    anchor = f"#{parts.fragment}" if parts.fragment else ""
    if resolved in pages:
        return relative_href(page, pages[resolved]) + anchor
    if standalone and suffix == ".qmd":
        return parts.path[:-len(".qmd")] + ".html" + anchor
    return None


def page_ids(body: str) -> set[str]:
    """The element ids of a page's HTML."""
    return {html.unescape(identifier) for identifier in _ID.findall(body)}


def anchor_links(page: str, body: str, own_ids: set[str], owner: Mapping[str, str]) -> str:
    """Point ``#id`` links at the page that holds the id: this page when it has the id, else ``owner[id]``.

    Automatic ids (footnotes, code lines, headings) repeat across pages, so a page's own is the one its links go
    to. A cross-reference label is the book's: a repeated one goes to its first place, as its number does
    (report.document.crossref)."""

    def replace(match: re.Match) -> str:
        identifier = html.unescape(match.group(1))
        target = owner.get(identifier)
        if target is None or target == page or (identifier in own_ids and not is_label(identifier)):
            return match.group(0)
        return f'href="{relative_href(page, target)}#{match.group(1)}"'

    return _ANCHOR_HREF.sub(replace, body)
