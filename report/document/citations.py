"""Citations resolved once for a whole book, apart from converting its text.

Citeproc runs on a small document: the book's citations in book order, each in its context (a footnote or
running text), and its reference list. The rendered citations and list are then put back in place, so each
page or chapter can be converted (and cached) on its own while a style that numbers or disambiguates across
the book still sees every citation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from report.document._ast import _LEAVES, Node, Para, walk
from report.document.pandoc import convert_cached
from report.errors import ReportError

__all__ = ["resolve_citations", "split_citeproc"]

CITEPROC = ("--citeproc", "--bibliography=", "--csl=")  # the pandoc arguments that belong to citeproc


def split_citeproc(pandoc_args: list[str]) -> tuple[list[str], list[str]]:
    """Citeproc's arguments (``--citeproc``, the bibliographies, the style) and the rest (the writer's own)."""
    return ([arg for arg in pandoc_args if arg.startswith(CITEPROC)],
            [arg for arg in pandoc_args if not arg.startswith(CITEPROC)])


def _files_named(citeproc: list[str]) -> list[Path]:
    """The bibliographies and style citeproc's arguments name: their bytes are part of the cache key."""
    return [Path(arg.split("=", 1)[1]) for arg in citeproc if arg.startswith(("--bibliography=", "--csl="))]


def _citations(node: Any, in_note: bool, found: list[tuple[Node, bool]]) -> None:
    """Every Cite under ``node`` in document order, with whether it stands in a footnote."""
    if type(node) is list:
        for item in node:
            _citations(item, in_note, found)
    elif type(node) is dict:
        kind = node.get("t")
        if kind == "Cite":
            found.append((node, in_note))
        elif kind not in _LEAVES and "c" in node:
            _citations(node["c"], in_note or kind == "Note", found)


def _is_refs(node: Node) -> bool:
    return node.get("t") == "Div" and node["c"][0][0] == "refs"


def _without_dangling_links(cite: Node, refs: Node) -> Node:
    """A key missing from the bibliography is printed as citeproc prints it (a bold `key?`), but its link to
    `#ref-key` has no entry to go to, which typst refuses: that link is left out, its text kept."""
    entries: set[str] = set()
    walk(refs, lambda node: entries.add(node["c"][0][0]) if node["t"] == "Div" else None, {"Div"})

    def unlink(node: Node):
        target = node["c"][2][0]
        return node["c"][1] if target.startswith("#ref-") and target[1:] not in entries else None

    return walk(cite, unlink, {"Link"})


def resolve_citations(pages: list[list[Node]], meta: dict[str, Any],
                      citeproc: list[str]) -> tuple[list[list[Node]], Node | None]:
    """The pages with every citation and the reference list (``#refs``) as citeproc renders them for the whole
    book, without converting the pages' text together.

    Citeproc sees only the book's citations, in book order and each in its context (a footnote or running
    text), and the reference list: what a style numbers or disambiguates across the book comes out as it
    would for the whole book, and the result (cached by that small document) changes only when a citation
    does. Each page is then converted alone.

    Returns the pages and the reference list citeproc appends when the book has no ``#refs`` of its own (None
    when it has one, or when the style or ``suppress-bibliography`` appends none).
    """
    found: list[tuple[Node, bool]] = []
    refs: list[Node] = []
    for blocks in pages:
        _citations(blocks, False, found)
        walk(blocks, lambda node: refs.append(node) if _is_refs(node) else None, {"Div"})
    if not found and not refs:
        return pages, None
    blocks = [Para([{"t": "Note", "c": [Para([cite])]}]) if in_note else Para([cite]) for cite, in_note in found]
    document = json.dumps({"pandoc-api-version": [1, 23, 1], "meta": meta, "blocks": [*blocks, *refs[:1]]})
    resolved = json.loads(convert_cached(document, ["--from", "json", "--to", "json", *citeproc],
                                         what="resolving citations", inputs=_files_named(citeproc)))
    returned: list[tuple[Node, bool]] = []
    _citations(resolved["blocks"], False, returned)
    rendered = [cite for cite, _in_note in returned]
    if len(rendered) != len(found):
        raise ReportError(f"citeproc returned {len(rendered)} citations for {len(found)}")
    rendered_refs = next((block for block in resolved["blocks"] if _is_refs(block)), None)
    if rendered_refs is not None:
        rendered = [_without_dangling_links(cite, rendered_refs) for cite in rendered]
    # By identity: a Cite may hold another in its suffix (`[@a, @b]`), which citeproc renders as part of it.
    replacements = {id(cite): result for (cite, _in_note), result in zip(found, rendered)}

    def replace(node: Node) -> Node | None:
        if node["t"] == "Cite":
            return replacements.get(id(node))
        return rendered_refs if _is_refs(node) and rendered_refs is not None else None

    appended = rendered_refs if not refs else None
    return [walk(blocks, replace, {"Cite", "Div"}) for blocks in pages], appended
