"""The rules of a document's `<style>` elements (raw HTML) that name an element by id and classes, and the
declarations they give a table cell: a pandas Styler colours its cells by such rules (`#T_x_row0_col1 {...}`),
which a PDF cannot read from a stylesheet, so they are inlined as Quarto inlines them for typst (juice).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from report.document._ast import Node, walk

__all__ = ["declarations_for", "inline_table_styles", "stylesheet_rules"]


@dataclass(frozen=True)
class _Rule:
    identifier: str | None
    classes: frozenset[str]
    declarations: str

    def matches(self, attribute: list[Any]) -> bool:
        return (self.identifier is None or self.identifier == attribute[0]) and self.classes <= set(attribute[1])


_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.DOTALL | re.IGNORECASE)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_COMPOUND = re.compile(r"[a-zA-Z][\w-]*|(?:[a-zA-Z][\w-]*)?((?:[#.][\w-]+)+)")


def stylesheet_rules(blocks: list[Node]) -> list[_Rule]:
    """The rules of the document's `<style>` elements (raw HTML, as a pandas Styler writes them next to its
    table) whose selector names an element by id and classes alone, least specific first: Quarto inlines a
    table's stylesheet into its cells for typst (juice), where the rules of the stylesheet are lost."""
    found: list[tuple[tuple[int, int], int, _Rule]] = []

    def visit(node: Node):
        fmt, text = node["c"]
        if fmt != "html":
            return None
        for sheet in _STYLE_ELEMENT.findall(text):
            for selectors, declarations in _RULE.findall(re.sub(r"/\*.*?\*/", "", sheet, flags=re.DOTALL)):
                for selector in selectors.split(","):
                    compound = _COMPOUND.fullmatch(selector.strip())
                    if compound is None or not compound.group(1):
                        continue  # a descendant, child or pseudo selector, or a bare element name
                    names = re.findall(r"([#.])([\w-]+)", compound.group(1))
                    identifier = next((name for mark, name in names if mark == "#"), None)
                    classes = frozenset(name for mark, name in names if mark == ".")
                    specificity = (sum(mark == "#" for mark, _ in names), len(classes))
                    found.append((specificity, len(found), _Rule(identifier, classes, declarations)))
        return None

    walk(blocks, visit, {"RawBlock", "RawInline"})
    return [rule for _, _, rule in sorted(found, key=lambda item: (item[0], item[1]))]


def declarations_for(rules: list[_Rule], attribute: list[Any]) -> str:
    """The declarations ``rules`` give the element with ``attribute`` (pandoc's [id, classes, pairs])."""
    return ";".join(rule.declarations for rule in rules if rule.matches(attribute))


def inline_table_styles(blocks: list[Node]) -> list[Node]:
    """``blocks`` with the stylesheet rules among them written into their table cells' `style` (before the cell's
    own), so each output format sees them on the cell."""
    rules = stylesheet_rules(blocks)
    if not rules:
        return blocks

    def cell(cell_node: list[Any]) -> list[Any]:
        identifier, classes, pairs = cell_node[0]
        sheet = declarations_for(rules, cell_node[0])
        if not sheet:
            return cell_node
        own = next((value for key, value in pairs if key == "style"), "")
        style = ";".join(filter(None, (sheet, own)))
        return [[identifier, classes, [*(pair for pair in pairs if pair[0] != "style"), ["style", style]]],
                *cell_node[1:]]

    def rows(rows_list: list[Any]) -> list[Any]:
        return [[row[0], [cell(item) for item in row[1]]] for row in rows_list]

    def visit(node: Node):
        attribute, caption, specs, head, bodies, foot = node["c"]
        return {"t": "Table", "c": [attribute, caption, specs, [head[0], rows(head[1])],
                                    [[body[0], body[1], rows(body[2]), rows(body[3])] for body in bodies], foot]}

    return walk(blocks, visit, {"Table"})
