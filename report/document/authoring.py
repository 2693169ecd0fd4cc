"""Quarto's authoring structures, wired into each writer.

When a document is read, before numbering, conditional content, list tables, page breaks, tabsets and code options
run as transforms of their own (report.render.transforms). `for_format`, `html_block`, `typst_block` and
`finish_html` are the writers' hooks.
"""

from __future__ import annotations

from report.document import code, columns, conditional, diagrams, tabsets
from report.document._ast import Node

__all__ = ["finish_html", "for_format", "html_block", "typst_block"]


def for_format(blocks: list[Node], fmt: str) -> list[Node]:
    return conditional.select_format(blocks, fmt)


def html_block(node: Node) -> list[Node] | None:
    return tabsets.tabset_html(node) or diagrams.diagram_html(node) or code.code_html(node)


def typst_block(node: Node, heading_shift: int = 0) -> list[Node] | Node | None:
    if node["t"] == "CodeBlock":
        return code.code_typst(node)
    if node["t"] == "Span":
        return columns.columns_typst(node)
    return (tabsets.tabset_typst(node, heading_shift) or columns.columns_typst(node) or columns.landscape_typst(node)
            or code.code_typst(node))


finish_html = code.finish_html
