"""Shortcodes whose result is pandoc AST rather than Markdown: Lua shortcodes of extensions, `video`, `contents`.

Shortcodes are expanded on the Markdown text (report.sources.shortcodes), one line for one line, so that the
lines after a shortcode keep their numbers. A result that is AST (blocks, inlines, raw output per format) is
written there as a one-line marker, an empty Span holding the nodes as base64 JSON; `expand_markers` puts the
nodes in place right after pandoc has read the document. A marker alone in its paragraph becomes its blocks;
inside running text, its blocks become inlines. `{{< contents ID >}}` is a marker too: the Div or Span with that
id (a Div, Span, inline code, image or link) moves to the marker's place, as Quarto's `contents` shortcode does.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from report.document._ast import Node, walk

__all__ = ["contents_marker", "expand_markers", "nodes_marker"]

RESULT = "report-shortcode-result"
CONTENTS = "report-shortcode-contents"
TARGETS = frozenset({"Div", "Span", "Code", "Image", "Link"})  # what Quarto's `contents` moves


def nodes_marker(blocks: list[Node] | None = None, inlines: list[Node] | None = None) -> str:
    """The Markdown of a marker holding ``blocks`` (or ``inlines``)."""
    payload = json.dumps({"blocks": blocks} if blocks is not None else {"inlines": inlines or []},
                         ensure_ascii=False, separators=(",", ":"))
    return f'[]{{.{RESULT} nodes="{base64.urlsafe_b64encode(payload.encode("utf-8")).decode("ascii")}"}}'


def contents_marker(identifier: str, line: int) -> str:
    return f'[]{{.{CONTENTS} ref="{identifier}" line="{line}"}}'


def _marker(node: Node) -> tuple[str, dict[str, str]] | None:
    if node.get("t") != "Span":
        return None
    classes = node["c"][0][1]
    kind = RESULT if RESULT in classes else CONTENTS if CONTENTS in classes else None
    return (kind, dict(node["c"][0][2])) if kind else None


def _payload(attributes: dict[str, str]) -> dict[str, Any]:
    return json.loads(base64.urlsafe_b64decode(attributes["nodes"].encode("ascii")).decode("utf-8"))


def _as_inlines(blocks: list[Node]) -> list[Node]:
    inlines: list[Node] = []
    for block in blocks:
        if inlines:
            inlines.append({"t": "Space"})
        if block["t"] in {"Para", "Plain"}:
            inlines.extend(block["c"])
        elif block["t"] == "RawBlock":
            inlines.append({"t": "RawInline", "c": block["c"]})
        else:
            inlines.append({"t": "Span", "c": [["", [], []], [{"t": "Str", "c": ""}]]})
    return inlines


def expand_markers(blocks: list[Node], source: Path) -> list[Node]:
    if RESULT not in json.dumps(blocks) and CONTENTS not in json.dumps(blocks):
        return blocks
    blocks = _move_contents(blocks, source)

    def alone(node: Node) -> list[Node] | None:
        content = [item for item in node["c"] if item["t"] not in {"Space", "SoftBreak"}]
        if len(content) != 1 or not _marker(content[0]):
            return None
        kind, attributes = _marker(content[0])
        if kind != RESULT:
            return None
        payload = _payload(attributes)
        if "blocks" in payload:
            return payload["blocks"]
        return [{"t": node["t"], "c": payload["inlines"]}]

    def inline(node: Node) -> list[Node] | None:
        found = _marker(node)
        if not found or found[0] != RESULT:
            return None
        payload = _payload(found[1])
        return payload["inlines"] if "inlines" in payload else _as_inlines(payload["blocks"])

    return walk(walk(blocks, alone, {"Para", "Plain"}), inline, {"Span"})


def _move_contents(blocks: list[Node], source: Path) -> list[Node]:
    """Every contents marker replaced by the element it names, taken from where it stood (as Quarto's
    contentsshortcode.lua: a Div in a paragraph of its own, an inline element anywhere; an id written
    `cell-ID` is found as `ID` too). A marker whose element is missing, or a Div named in running text, is
    removed with a warning."""
    from report.document.lua_filters import effects_block

    wanted: dict[str, int] = {}

    def find_markers(node: Node) -> None:
        found = _marker(node)
        if found and found[0] == CONTENTS:
            wanted[found[1]["ref"]] = int(found[1].get("line") or 0)

    walk(blocks, find_markers, {"Span"})
    if not wanted:
        return blocks
    taken: dict[str, Node] = {}

    def take(node: Node) -> list[Node] | None:
        identifier = node["c"][0][0]
        for name in (identifier, identifier.removeprefix("cell-")):
            if name in wanted and not _marker(node) and name not in taken:
                taken[name] = node
                return []
        return None

    blocks = walk(blocks, take, TARGETS)

    warnings: list[dict[str, Any]] = []

    def missing(identifier: str, context: str) -> list[Node]:
        # given after the read cache (report.document.lua_filters.split_effects), so a cached read warns too
        warnings.append({"message": f"contents: no {context} with the id '{identifier}' in the document; the "
                                    "shortcode is removed", "line": wanted.get(identifier) or None})
        return []

    def alone(node: Node) -> list[Node] | None:
        content = [item for item in node["c"] if item["t"] not in {"Space", "SoftBreak"}]
        if len(content) != 1 or not _marker(content[0]) or _marker(content[0])[0] != CONTENTS:
            return None
        identifier = _marker(content[0])[1]["ref"]
        target = taken.get(identifier)
        if target is None:
            return missing(identifier, "element")
        if target["t"] == "Div":
            return [target]
        return [{"t": "Div", "c": [["", [], []], [{"t": "Plain", "c": [target]}]]}]  # a span in a Div, as Quarto

    def inline(node: Node) -> Node | list[Node] | None:
        found = _marker(node)
        if not found or found[0] != CONTENTS:
            return None
        target = taken.get(found[1]["ref"])
        if target is None or target["t"] == "Div":
            return missing(found[1]["ref"], "span or inline element")
        return target

    blocks = walk(walk(blocks, alone, {"Para", "Plain"}), inline, {"Span"})
    return [*blocks, effects_block({"warnings": warnings})] if warnings else blocks
