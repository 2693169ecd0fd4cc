"""Theorems in typst as Quarto writes them: theorion's `make-frame` per kind, `#theorem(title: [...])[...] <thm-x>`.

The header imports theorion (bundled, report.outputs.resources.typst.packages) and declares one frame per
theorem kind the document uses, in the look `theorem-appearance` names (simple, the default; fancy; clouds;
rainbow), as Quarto's theorem filter does. A reference is typst's own, `#ref(<thm-x>, supplement: [Theorem])`,
so theorion prints the number. Those numbers are the engine's (report.document.crossref): where they are not
theorion's plain count (a book numbered per chapter), each kind's frame looks its numbers up.
"""

from __future__ import annotations

import json
from typing import Iterable

from report.document._ast import Node, Plain, RawBlock, RawInline, walk
from report.document.theorems import TheoremParts, theorem_parts
from report.document.xref_options import THEOREM_KINDS

__all__ = ["APPEARANCES", "theorem_header", "theorem_typst"]

APPEARANCES = ("simple", "fancy", "clouds", "rainbow")
# Quarto's colours per kind for the clouds and rainbow looks; its "plain" kinds and "definition" kinds for fancy.
_COLOURS = {"thm": "red", "lem": "teal", "cor": "navy", "prp": "blue", "cnj": "navy", "def": "olive", "exm": "green",
            "exr": "purple", "alg": "maroon"}
_DEFINITION_STYLE = {"def", "exm", "exr"}

_IMPORTS = {
    "fancy": """#import "@preview/theorion:0.4.1": make-frame, cosmos
#import cosmos.fancy: fancy-box, set-primary-border-color, set-primary-body-color, set-secondary-border-color, \
set-secondary-body-color, set-tertiary-border-color, set-tertiary-body-color, get-primary-border-color, \
get-primary-body-color, get-secondary-border-color, get-secondary-body-color, get-tertiary-border-color, \
get-tertiary-body-color
#set-primary-border-color(brand-color.at("primary", default: green.darken(30%)))
#set-primary-body-color(brand-color.at("primary", default: green).lighten(90%))
#set-secondary-border-color(brand-color.at("secondary", default: orange))
#set-secondary-body-color(brand-color.at("secondary", default: orange).lighten(90%))
#set-tertiary-border-color(brand-color.at("tertiary", default: blue.darken(30%)))
#set-tertiary-body-color(brand-color.at("tertiary", default: blue).lighten(90%))
""",
    "clouds": """#import "@preview/theorion:0.4.1": make-frame, cosmos
#import cosmos.clouds: render-fn as clouds-render
""",
    "rainbow": """#import "@preview/theorion:0.4.1": make-frame, cosmos
#import cosmos.rainbow: render-fn as rainbow-render
""",
    "simple": """#import "@preview/theorion:0.4.1": make-frame

// Simple theorem render: bold title with period, italic body
#let simple-theorem-render(prefix: none, title: "", full-title: auto, body) = {
  if full-title != "" and full-title != auto and full-title != none {
    strong[#full-title.]
    h(0.5em)
  }
  emph(body)
  parbreak()
}
""",
}

# Quarto's numbering.typ declares these for its frames: numbers counted per kind through the document.
_NUMBERING = """#let theorem-inherited-levels = 0
#let theorem-numbering(loc) = "1.1"
"""


def _render(kind: str, appearance: str) -> str:
    if appearance == "fancy":
        scheme = "primary" if kind in _DEFINITION_STYLE else "tertiary" if kind == "prp" else "secondary"
        return (f"  render: fancy-box.with(\n    get-border-color: get-{scheme}-border-color,\n"
                f"    get-body-color: get-{scheme}-body-color,\n    get-symbol: loc => none,\n  ),\n")
    if appearance == "clouds":
        return f"  render: clouds-render.with(fill: {_COLOURS.get(kind, 'gray')}.lighten(85%)),\n"
    if appearance == "rainbow":
        return f"  render: rainbow-render.with(fill: {_COLOURS.get(kind, 'gray')}.darken(20%)),\n"
    return "  render: simple-theorem-render,\n"


def _used(documents_blocks: Iterable[list[Node]]) -> dict[str, list[TheoremParts]]:
    """Each theorem kind's theorems, in document order."""
    used: dict[str, list[TheoremParts]] = {}

    def visit(node: Node):
        parts = theorem_parts(node)
        if parts is not None:
            used.setdefault(parts.kind, []).append(parts)
        return None

    for blocks in documents_blocks:
        walk(blocks, visit, {"Div"})
    return used


def theorem_header(documents_blocks: Iterable[list[Node]], appearance: str) -> str | None:
    """The header that declares the frames of the theorem kinds used; None when no theorem is used."""
    used = _used(documents_blocks)
    if not used:
        return None
    look = appearance if appearance in APPEARANCES else "simple"
    parts = [_IMPORTS[look], _NUMBERING]
    for kind in THEOREM_KINDS:
        if kind not in used:
            continue
        env = THEOREM_KINDS[kind]
        numbers = [parts.number for parts in used[kind]]
        counted = numbers == [str(count) for count in range(1, len(numbers) + 1)]
        numbering = ("theorem-numbering" if counted else
                     f"loc => (..n) => ({', '.join(json.dumps(n) for n in numbers)},).at(n.pos().last() - 1)")
        parts.append(f"#let ({env}-counter, {env}-box, {env}, show-{env}) = make-frame(\n  \"{env}\",\n"
                     f"  text(weight: \"bold\")[{used[kind][0].title}],\n  inherited-levels: theorem-inherited-levels,\n"
                     f"  numbering: {numbering},\n{_render(kind, look)})\n#show: show-{env}\n")
    return "".join(parts)


def theorem_typst(node: Node) -> list[Node] | None:
    """A theorem Div as theorion's frame call; None for any other node."""
    parts = theorem_parts(node)
    if parts is None:
        return None
    opening = [RawInline("typst", f"#{THEOREM_KINDS[parts.kind]}(")]
    if parts.name:
        opening += [RawInline("typst", "title: ["), *parts.name, RawInline("typst", "]")]
    opening.append(RawInline("typst", ")["))
    return [Plain(opening), *parts.body, RawBlock("typst", f"] <{node['c'][0][0]}>")]
