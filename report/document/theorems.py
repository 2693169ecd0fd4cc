"""Theorems (`#thm-`, `#lem-` ...) and proofs (`.proof`, `.remark`, `.solution`) as Quarto renders them.

A theorem Div is numbered by report.document.crossref and built here once for every format: its title
("Theorem 1 (Name)") stands in bold at the start of its first paragraph, as Quarto's HTML has it.
``theorem_parts`` reads that Div back (kind, name, body without the title), for the typst writer, which
writes theorion's `#theorem(title: [Name])[...] <thm-x>` instead (report.outputs._theorems_typst).
A proof gets its italic title ("*Proof* (name). ") in front of its first paragraph, in every format.
"""

from __future__ import annotations

from dataclasses import dataclass

from report.document._ast import Div, Node, Span, Str, attr_get, text_inlines
from report.document.xref_options import THEOREM_KINDS

__all__ = ["PROOF_KINDS", "TheoremParts", "proof", "theorem", "theorem_parts"]

# Quarto's proof-like classes and the key of their title in report.sources.language.
PROOF_KINDS = ("proof", "remark", "solution")


def _title_class(kind: str) -> str:
    return f"{THEOREM_KINDS[kind]}-title"


def theorem(node: Node, kind: str, number: str, title: str) -> tuple[Node, list[Node]]:
    """The numbered theorem Div and its name (the `name` attribute, else its first heading's text)."""
    attribute, blocks = node["c"]
    identifier = attribute[0]
    blocks = list(blocks)
    name = text_inlines(attr_get(attribute, "name") or "")
    if not name and blocks and blocks[0]["t"] == "Header":
        name = blocks.pop(0)["c"][2]
    heading = [Str(f"{title}\u00a0{number}")] + ([{"t": "Space"}, Str("("), *name, Str(")")] if name else [])
    title_span = Span([{"t": "Strong", "c": heading}], classes=[_title_class(kind)])
    if blocks and blocks[0]["t"] == "Para":
        blocks[0] = {"t": "Para", "c": [title_span, {"t": "Space"}, *blocks[0]["c"]]}
    else:
        blocks.insert(0, {"t": "Para", "c": [title_span]})
    return Div(blocks, identifier, [THEOREM_KINDS[kind]], {"data-number": number}), name


@dataclass(frozen=True)
class TheoremParts:
    kind: str  # thm, lem ...
    title: str  # the kind's title ("Theorem")
    number: str
    name: list[Node]  # inlines, empty without a name
    body: list[Node]  # the blocks without the title


def theorem_parts(node: Node) -> TheoremParts | None:
    """A theorem Div built by ``theorem`` read back; None for any other node."""
    if node["t"] != "Div":
        return None
    identifier, classes, _attributes = node["c"][0]
    kind = identifier.split("-")[0]
    if "-" not in identifier or kind not in THEOREM_KINDS or THEOREM_KINDS[kind] not in classes:
        return None
    blocks = node["c"][1]
    first = blocks[0] if blocks and blocks[0]["t"] == "Para" else None
    if first is None or not first["c"] or first["c"][0]["t"] != "Span" \
            or _title_class(kind) not in first["c"][0]["c"][0][1]:
        return None
    heading = first["c"][0]["c"][1][0]["c"]
    name = heading[3:-1] if len(heading) > 1 else []
    rest = first["c"][1:]
    if rest and rest[0]["t"] == "Space":
        rest = rest[1:]
    body = ([{"t": "Para", "c": rest}] if rest else []) + blocks[1:]
    number = attr_get(node["c"][0], "data-number") or ""
    title = heading[0]["c"].removesuffix(f"\u00a0{number}") if heading and heading[0]["t"] == "Str" else ""
    return TheoremParts(kind, title, number, name, body)


def proof(node: Node, titles: dict[str, str]) -> Node | None:
    """A `.proof`, `.remark` or `.solution` Div with its title in front, as Quarto writes it outside LaTeX:
    `<span class="proof-title"><em>Proof</em> (name). </span>`; None for any other node or one done already."""
    if node["t"] != "Div":
        return None
    attribute, blocks = node["c"]
    kind = next((name for name in attribute[1] if name in PROOF_KINDS), None)
    if kind is None or _has_proof_title(blocks):
        return None
    blocks = list(blocks)
    name = text_inlines(attr_get(attribute, "name") or "")
    if not name and blocks and blocks[0]["t"] == "Header":
        name = blocks.pop(0)["c"][2]
    title = [{"t": "Emph", "c": [Str(titles[kind])]}] + ([Str(" ("), *name, Str(")")] if name else []) + [Str(". ")]
    span = Span(title, classes=["proof-title"])
    if blocks and blocks[0]["t"] == "Para" and blocks[0]["c"]:
        blocks[0] = {"t": "Para", "c": [span, *blocks[0]["c"]]}
    else:
        blocks.insert(0, {"t": "Para", "c": [span]})
    classes = list(attribute[1]) + ([] if kind == "proof" else ["proof"])
    return {"t": "Div", "c": [[attribute[0], classes, attribute[2]], blocks]}


def _has_proof_title(blocks: list[Node]) -> bool:
    first = blocks[0] if blocks and blocks[0]["t"] == "Para" and blocks[0]["c"] else None
    return first is not None and first["c"][0]["t"] == "Span" and "proof-title" in first["c"][0]["c"][0][1]
