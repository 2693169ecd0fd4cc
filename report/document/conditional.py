"""Conditional content: `.content-visible` and `.content-hidden` with `when-format`, `unless-format`,
`when-meta` and `unless-meta`, as Quarto's content-hidden filter.

Conditions are decided once, when a document is read, for every output format: content visible in no
format is dropped before numbering, content visible in every format is unwrapped (Divs) or kept without
its condition (Spans, code blocks), and content visible in only some formats is marked with the formats
(``report-only``) so each writer keeps or drops it (`select_format`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from report.document._ast import Div, Node, attr, walk
from report.errors import ReportError
from report.sources.format_names import selected_by

__all__ = ["resolve_conditions", "select_format", "writer_only", "writer_only_markdown"]

VISIBLE, HIDDEN = "content-visible", "content-hidden"
# Which names select each writer's output: report.sources.format_names (Quarto's `pdf` and `latex` select the
# PDF only where it is rendered as `pdf`; as `typst` only `typst` selects it, as in Quarto).
CONDITIONS = ("when-format", "unless-format", "when-meta", "unless-meta", "when-profile", "unless-profile")
ONLY = "report-only"


def _meta_true(metadata: Mapping[str, Any], dotted: str) -> bool:
    value: Any = metadata
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return False
        value = value[part]
    return value is True  # Quarto: only a boolean true matches


def _matches(conditions: list[tuple[str, str]], names: frozenset[str], metadata: Mapping[str, Any]) -> bool:
    """Quarto's propertiesMatch: every kind of condition must hold; repeated ones of one kind are alternatives."""
    by_kind: dict[str, list[str]] = {}
    for key, value in conditions:
        by_kind.setdefault(key, []).append(value)
    match = True
    for key, values in by_kind.items():
        if key.endswith("-format"):
            hit = any(value in names for value in values)
        elif key.endswith("-meta"):
            hit = any(_meta_true(metadata, value) for value in values)
        else:  # profiles: the embedded engine has no active profile
            hit = False
        match = match and (hit if key.startswith("when-") else not hit)
    return match


def resolve_conditions(blocks: list[Node], metadata_by_format: Mapping[str, Mapping[str, Any]], source: Path,
                       line_of, rendered_as: tuple[str, ...] | None = None) -> list[Node]:
    """Decide every conditional Div, Span and code block for each format in ``metadata_by_format`` (writers),
    rendered as the formats ``rendered_as`` names (`--to` or the listed ones: `pdf` or `typst`)."""
    formats = tuple(metadata_by_format)
    names = {fmt: selected_by(fmt, rendered_as) for fmt in formats}

    def visit(node: Node):
        kind = node["t"]
        attribute = node["c"][0]
        classes = attribute[1]
        behaviour = VISIBLE if VISIBLE in classes else HIDDEN if HIDDEN in classes else None
        if behaviour is None:
            return None
        conditions = [(key, value) for key, value in attribute[2] if key in CONDITIONS]
        unknown = [key for key, _ in attribute[2] if key.startswith(("when-", "unless-")) and key not in CONDITIONS]
        if unknown:
            raise ReportError(f"unknown condition '{unknown[0]}' on .{behaviour} (use when-format, unless-format, "
                              "when-meta or unless-meta)", path=source, line=line_of(unknown[0]))
        visible = [fmt for fmt in formats
                   if _matches(conditions, names[fmt], metadata_by_format[fmt]) == (behaviour == VISIBLE)]
        rest = [attribute[0], [name for name in classes if name not in {VISIBLE, HIDDEN}],
                [[key, value] for key, value in attribute[2] if key not in CONDITIONS]]
        if kind == "Div":
            content = node["c"][1]
            if rest[0] or rest[1] or rest[2]:
                # What else the Div is stays: an identifier (`#tbl-x`, a float), classes, attributes (quarto#13992).
                content = [{"t": "Div", "c": [rest, content]}]
            if len(visible) == len(formats):
                return content  # Quarto renders a visible conditional Div as its content
            if not visible:
                return []
            return Div(content, classes=[ONLY], attributes={"data-formats": " ".join(visible)})
        kept = {"t": kind, "c": [rest, *node["c"][1:]]}
        if len(visible) == len(formats):
            return kept
        if not visible:
            return []
        if kind == "Span":
            return {"t": "Span", "c": [attr("", [ONLY], {"data-formats": " ".join(visible)}), [kept]]}
        return Div([kept], classes=[ONLY], attributes={"data-formats": " ".join(visible)})

    return walk(blocks, visit, {"Div", "Span", "CodeBlock"})


def writer_only(content: list[Node], writer: str, inline: bool = False) -> Node:
    """``content`` (inlines when ``inline``, else blocks) shown by ``writer`` alone, whatever format names the
    render asks for (`pdf` or `typst`): the engine's own per-writer result (a Lua filter's, a shortcode's)."""
    return {"t": "Span" if inline else "Div", "c": [attr("", [ONLY], {"data-formats": writer}), content]}


def writer_only_markdown(text: str, writer: str) -> str:
    """``text`` (Markdown inlines) shown by ``writer`` alone, as writer_only."""
    return f'[{text}]{{.{ONLY} data-formats="{writer}"}}'


def select_format(blocks: list[Node], fmt: str) -> list[Node]:
    """Keep the content marked for ``fmt`` (unwrapped), drop content marked for other formats only."""

    def visit(node: Node):
        attribute = node["c"][0]
        if ONLY not in attribute[1]:
            return None
        formats = next((value for key, value in attribute[2] if key == "data-formats"), "").split()
        return node["c"][1] if fmt in formats else []

    return walk(blocks, visit, {"Div", "Span"})
