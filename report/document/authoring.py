"""Quarto's authoring structures, wired into the stages: read (`prepare`), then each writer.

`prepare` runs when a document is read, before numbering: conditional content, list tables, tabsets, code options and
annotations, table column widths and page breaks. `for_format`, `html_block`, `typst_block` and
`finish_html` are the writers' hooks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from report.document import code, columns, conditional, list_tables, tabsets
from report.document._ast import Node, walk

__all__ = ["finish_html", "for_format", "html_block", "prepare", "typst_block"]


def prepare(blocks: list[Node], metadata_by_format: Mapping[str, Mapping[str, Any]], shared: Mapping[str, Any],
            labels: Mapping[str, str], source: Path, line_of) -> list[Node]:
    """``metadata_by_format``: the document's options as each writer sees them (for conditional content);
    ``shared``: the options read once for every format (code options; report.sources.resolved)."""
    blocks = conditional.resolve_conditions(blocks, metadata_by_format, source, line_of)
    blocks = list_tables.list_tables(blocks, source, line_of)
    blocks = walk(blocks, columns.pagebreak_blocks, {"Para", "Plain"})
    blocks = tabsets.prepare_tabsets(blocks)
    options = code.CodeOptions.from_metadata(shared)
    return code.prepare_code(blocks, options, labels, source, line_of)


def for_format(blocks: list[Node], fmt: str) -> list[Node]:
    return conditional.select_format(blocks, fmt)


def html_block(node: Node) -> list[Node] | None:
    return tabsets.tabset_html(node) or code.code_html(node)


def typst_block(node: Node, heading_shift: int = 0) -> list[Node] | Node | None:
    if node["t"] == "CodeBlock":
        return code.code_typst(node)
    if node["t"] == "Span":
        return columns.columns_typst(node)
    return (tabsets.tabset_typst(node, heading_shift) or columns.columns_typst(node) or columns.landscape_typst(node)
            or code.code_typst(node))


finish_html = code.finish_html
