"""One typst document for the whole book: ids that are unique per page must become unique per book.

Pandoc gives every page its own automatic heading ids, so two chapters may both hold `introduction`; on the
site each is its page's own, but the PDF is a single typst document, where a label used twice makes every
link to it fail. A chapter's id that an earlier chapter already used is renamed there (`introduction-2`),
with the chapter's own links to it; ids used once keep their names, so a book without repeats is unchanged.
"""

from __future__ import annotations

from typing import Iterable

from report.document._ast import Node, walk

__all__ = ["unique_chapter_ids"]

# Where each node type keeps its attribute: [identifier, classes, attributes].
_ATTRIBUTE_AT = {"Header": 1, "Div": 0, "Span": 0, "CodeBlock": 0, "Table": 0, "Figure": 0, "Image": 0, "Code": 0,
                 "Link": 0}


def _ids(blocks: list[Node]) -> set[str]:
    found: set[str] = set()

    def visit(node: Node):
        identifier = node["c"][_ATTRIBUTE_AT[node["t"]]][0]
        if identifier:
            found.add(identifier)
        return None

    walk(blocks, visit, set(_ATTRIBUTE_AT))
    return found


def _renamed(blocks: list[Node], names: dict[str, str]) -> list[Node]:
    def visit(node: Node):
        kind, content = node["t"], node["c"]
        position = _ATTRIBUTE_AT[kind]
        attribute = content[position]
        changed = list(content)
        if attribute[0] in names:
            changed[position] = [names[attribute[0]], attribute[1], attribute[2]]
        if kind == "Link" and content[2][0].startswith("#") and content[2][0][1:] in names:
            changed[2] = ["#" + names[content[2][0][1:]], content[2][1]]
        return {"t": kind, "c": changed} if changed != content else None

    return walk(blocks, visit, set(_ATTRIBUTE_AT))


def unique_chapter_ids(chapters: Iterable[list[Node]]) -> list[list[Node]]:
    """Each chapter's blocks, with every id an earlier chapter holds renamed to one no chapter holds."""
    chapters = list(chapters)
    everywhere = set().union(*(_ids(blocks) for blocks in chapters)) if chapters else set()
    taken: set[str] = set()
    result = []
    for blocks in chapters:
        own = _ids(blocks)
        names: dict[str, str] = {}
        for identifier in sorted(own & taken):
            suffix = 2
            while f"{identifier}-{suffix}" in everywhere:
                suffix += 1
            names[identifier] = f"{identifier}-{suffix}"
            everywhere.add(names[identifier])
        taken |= (own - names.keys()) | set(names.values())
        result.append(_renamed(blocks, names) if names else blocks)
    return result
