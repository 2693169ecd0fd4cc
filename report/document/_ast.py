"""Small helpers for pandoc's JSON AST (plain dicts and lists), used by the filter stages."""

from __future__ import annotations

import json
from typing import Any, Callable

Node = dict[str, Any]


def Str(text: str) -> Node:
    return {"t": "Str", "c": text}


def text_inlines(text: str) -> list[Node]:
    """Plain text -> Str/Space inlines (no markup)."""
    inlines: list[Node] = []
    for index, word in enumerate(text.split(" ")):
        if index:
            inlines.append({"t": "Space"})
        if word:
            inlines.append(Str(word))
    return inlines


def attr(identifier: str = "", classes: list[str] | None = None, attributes: dict[str, str] | None = None) -> list:
    return [identifier, list(classes or []), [[key, value] for key, value in (attributes or {}).items()]]


def attr_get(attribute: list, key: str) -> str | None:
    return next((value for name, value in attribute[2] if name == key), None)


def attr_without(attribute: list, *keys: str) -> list:
    return [attribute[0], attribute[1], [[name, value] for name, value in attribute[2] if name not in keys]]


def Span(inlines: list[Node], identifier: str = "", classes: list[str] | None = None) -> Node:
    return {"t": "Span", "c": [attr(identifier, classes), inlines]}


def Link(inlines: list[Node], target: str, classes: list[str] | None = None) -> Node:
    return {"t": "Link", "c": [attr("", classes), inlines, [target, ""]]}


def RawInline(fmt: str, text: str) -> Node:
    return {"t": "RawInline", "c": [fmt, text]}


def RawBlock(fmt: str, text: str) -> Node:
    return {"t": "RawBlock", "c": [fmt, text]}


def Plain(inlines: list[Node]) -> Node:
    return {"t": "Plain", "c": inlines}


def Para(inlines: list[Node]) -> Node:
    return {"t": "Para", "c": inlines}


def Div(blocks: list[Node], identifier: str = "", classes: list[str] | None = None,
        attributes: dict[str, str] | None = None) -> Node:
    return {"t": "Div", "c": [attr(identifier, classes, attributes), blocks]}


def stringify(node: Any) -> str:
    """Plain text of a node or list of nodes, as pandoc's stringify."""
    if isinstance(node, list):
        return "".join(stringify(item) for item in node)
    if not isinstance(node, dict):
        return ""
    kind = node.get("t")
    if kind == "Str":
        return node["c"]
    if kind in {"Space", "SoftBreak", "LineBreak"}:
        return " "
    if kind in {"Code", "Math"}:
        return node["c"][1]
    if kind in {"RawInline", "Note"}:
        return ""
    if kind == "Quoted":
        return "\u201c" + stringify(node["c"][1]) + "\u201d"
    content = node.get("c")
    if kind in {"Span", "Link", "Image", "Cite"}:
        return stringify(content[1] if kind != "Cite" else content[1])
    return stringify(content) if isinstance(content, list) else ""


# Node types whose content holds no further nodes (text, code, raw output).
_LEAVES = frozenset({"Str", "Space", "SoftBreak", "LineBreak", "Code", "Math", "RawInline", "RawBlock", "CodeBlock",
                     "HorizontalRule"})


def walk(node: Any, visit: Callable[[Node], Any], types: frozenset[str] | set[str] | None = None) -> Any:
    """Depth-first rewrite: ``visit`` returns None (keep), a node (replace) or a list (splice into the parent list).

    ``types`` limits ``visit`` to nodes of those types. Unchanged subtrees are shared with the input rather
    than copied, which keeps the many walks over a whole book cheap; visitors build new nodes, never mutate.
    """

    def go(node: Any) -> Any:
        if type(node) is list:
            changed = False
            result: list[Any] = []
            for item in node:
                replaced = go(item)
                if replaced is not item:
                    changed = True
                if type(replaced) is _Splice:
                    result.extend(replaced.items)
                else:
                    result.append(replaced)
            return result if changed else node
        if type(node) is not dict:
            return node
        kind = node.get("t")
        if kind is None:  # citations, metadata maps
            replaced_map = {key: go(value) for key, value in node.items()}
            return node if all(replaced_map[key] is node[key] for key in node) else replaced_map
        if kind not in _LEAVES and "c" in node:
            content = node["c"]
            replaced_content = go(content)
            if replaced_content is not content:
                node = {"t": kind, "c": replaced_content}
        if types is not None and kind not in types:
            return node
        outcome = visit(node)
        if outcome is None:
            return node
        if isinstance(outcome, list):
            return _Splice(outcome)
        return outcome

    return go(node)


class _Splice:
    __slots__ = ("items",)

    def __init__(self, items: list[Any]):
        self.items = items


def deep_copy(node: Any) -> Any:
    return json.loads(json.dumps(node))
