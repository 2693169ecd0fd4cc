"""Each HTML page's body from pandoc, converted on its own and kept in the cache, so that an edit converts only
the pages whose content changed.

A page is converted alone, as Quarto converts each page of a book: its footnotes are numbered from 1 and its
identifiers are its own. Citations are resolved before, once for the whole book: citeproc runs on a small
document of the book's citations, in book order, and its reference list, because a style may number or
disambiguate across the book and the reference list holds what every page cites. That document is cached by
its content and the bytes of the bibliography and style, so a prose edit that changes no citation converts
one page and runs no citeproc.

A page's search-index entries are cached too, by the page's body and the code that extracts them, so the
index is computed anew only for pages whose body changed, whatever the entries hold.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from report.document._ast import Div, Node, RawBlock
from report.document.citations import resolve_citations, split_citeproc
from report.document.pandoc import cached_json, convert_cached, metadata_json

# Where each page of the book starts and ends in pandoc's one HTML output (html.py splits it at these).
PAGE_MARKER = "<!--report-page:{}-->"
PAGE_END = "<!--report-page-end:{}-->"

__all__ = ["page_bodies", "search_entries"]

PAGE = re.compile(r"<!--report-page:(\d+)-->(.*?)</div>\s*<!--report-page-end:\1-->", re.DOTALL)
# resources/qmd-syntax.xml: a cell shown as written (`echo: fenced`) highlights its code in its own language.
WRITER = ["--from", "json", "--to", "html5", "--section-divs", "--reference-location=section", "--wrap=none",
          "--syntax-definition", str(Path(__file__).parent / "resources" / "qmd-syntax.xml")]


def _wrapped(index: int, blocks: list[Node]) -> list[Node]:
    # The wrapper keeps pandoc's section elements and footnotes inside their own page.
    return [Div([RawBlock("html", PAGE_MARKER.format(index)), *blocks], classes=["report-page"]),
            RawBlock("html", PAGE_END.format(index))]


def page_bodies(pages: list[list[Node]], metadata: dict[str, Any], pandoc_args: list[str],
                finish: Callable[[str], str] = lambda output: output) -> dict[int, str]:
    """The HTML body of every page (index -> body); ``pages`` hold each page's blocks, already in HTML form.

    ``pandoc_args``: citeproc's (bibliography, style), used to resolve the citations of the whole book once,
    and the writer's own (the math method), used for every page. ``finish`` is applied to each of pandoc's outputs (the code annotations' last step,
    report.document.authoring.finish_html).
    """
    meta = metadata_json(metadata)
    citeproc, own = split_citeproc(pandoc_args)
    writer = [*WRITER, *own]
    if citeproc:
        pages, _appended = resolve_citations(pages, meta, citeproc)  # pages have no bibliography of their own

    def convert(index: int) -> str:
        document = json.dumps({"pandoc-api-version": [1, 23, 1], "meta": meta, "blocks": _wrapped(index, pages[index])})
        return finish(convert_cached(document, writer, what="writing HTML", suffix=".html"))

    bodies: dict[int, str] = {}
    workers = max(1, min(len(pages), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="report-html") as pool:
        for output in pool.map(convert, range(len(pages))):
            bodies.update({int(match.group(1)): match.group(2) for match in PAGE.finditer(output)})
    return bodies


@lru_cache(maxsize=None)
def _code_digest(function: Callable) -> str:
    """The source of the module defining ``function``: a change to how entries are made invalidates them."""
    return hashlib.sha256(Path(inspect.getsourcefile(function)).read_bytes()).hexdigest()


def search_entries(page: str, body: str, title: str,
                   extract: Callable[[str, str, str], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """``extract(page, body, title)``, from the cache when this body was indexed before by the same code."""
    text = "\0".join([_code_digest(extract), page, title, body])
    return cached_json("search", text, lambda: extract(page, body, title), list, "search entries")
