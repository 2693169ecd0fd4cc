"""Mermaid cells (```` ```{mermaid} ````), in the form Quarto's mermaid handler gives them.

A cell becomes Quarto's Markdown for it: a `.cell` div (its `fig-align` as `layout-align`), the code when `echo`
asks for it (Quarto's default for mermaid is `echo: false`), and a `.cell-output-display` holding the diagram. A
labelled cell (`%%| label: fig-x`) is a figure float numbered like any other, with `fig-cap` its caption; an
unlabelled one is a bare `<figure>` (with `<figcaption>` when it has a caption), as Quarto writes it.

The diagram itself is a `report-diagram` div around the source. On the HTML page it is Quarto's
`<pre class="mermaid mermaid-js">`, which mermaid.js draws in the browser (report.outputs.mermaid ships the
script); no other writer can draw it, so the typst writer shows the source as code with a warning (Quarto renders
an image there through a browser at render time); so does the Word writer.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any, Mapping

from report.document._ast import Node, RawBlock, attr_get, walk
from report.sources import diagnostics

__all__ = ["DIAGRAM_CLASS", "aligned_cells", "diagram_html", "diagram_static", "has_diagrams", "mermaid_markdown"]

DIAGRAM_CLASS = "report-diagram"
ALIGNMENTS = ("default", "left", "center", "right")


def _attribute(value: Any) -> str:
    return json.dumps(str(value), ensure_ascii=False)


def _fence(marker: str, text: str) -> str:
    """A backtick fence longer than any run of backticks in ``text``."""
    while marker in text:
        marker += marker[0]
    return marker


def mermaid_markdown(source: list[str], option_lines: list[str], options: Mapping[str, Any], line: int,
                     indent: str, code_attributes: str) -> list[str]:
    """The Markdown lines for a mermaid cell: ``source`` its diagram, ``option_lines`` its `%%|` lines as
    written, ``options`` what they say, ``line`` its fence's line; ``code_attributes`` the code display
    attributes of its shown code (report.sources.qmd)."""
    if options.get("include") is False:
        return []
    text = "\n".join(source).strip("\n")
    align = options.get("fig-align")
    cell = f' layout-align="{align}"' if align in ALIGNMENTS else ""
    lines = [f"{indent}::::::: {{.cell{cell}}}"]
    echo = options.get("echo", False)
    if echo == "fenced":  # the cell as written, but its `echo: fenced` line
        shown = "\n".join(["```{mermaid}", *(item for item in option_lines if "echo: fenced" not in item), text, "```"])
        fence = _fence("````", shown)
        lines += [f"{indent}{fence}{{.qmd .markdown .cell-code{code_attributes}}}", shown, f"{indent}{fence}"]
    elif echo is True:  # Quarto's class `default`: grey code that mermaid.js never mistakes for a diagram
        fence = _fence("```", text)
        lines += [f"{indent}{fence}{{.default .cell-code{code_attributes}}}", text, f"{indent}{fence}"]
    label = options.get("label")
    caption = options.get("fig-cap")
    caption = str(caption[0] if isinstance(caption, list) and caption else caption or "")
    float_attributes = f"#{label}" if isinstance(label, str) and label else ""
    if float_attributes and align in ALIGNMENTS[1:]:
        float_attributes += f' fig-align="{align}"'
    lines += [f"{indent}:::::: {{.cell-output-display}}", f"{indent}::::: {{{float_attributes}}}"]
    bare = not float_attributes
    if bare:
        lines += [f"{indent}```{{=html}}", f"{indent}<figure class=''>", f"{indent}```"]
    if options.get("eval", True) is not False:
        data = f' label={_attribute(label)}' if float_attributes else ""
        fence = _fence("```", text)
        lines += [f'{indent}:::: {{.{DIAGRAM_CLASS} data-cell-line="{line}"{data}}}', f"{indent}{fence}{{.mermaid}}",
                  text, f"{indent}{fence}", f"{indent}::::"]
    if caption and bare:
        lines += ["", f"{indent}```{{=html}}", f"{indent}<figcaption>", f"{indent}```", "", f"{indent}{caption}", "",
                  f"{indent}```{{=html}}", f"{indent}</figcaption>", f"{indent}```"]
    elif caption:
        lines += ["", f"{indent}{caption}"]
    if bare:
        lines += ["", f"{indent}```{{=html}}", f"{indent}</figure>", f"{indent}```"]
    return lines + [f"{indent}:::::", f"{indent}::::::", f"{indent}:::::::"]


def _diagram_source(node: Node) -> str | None:
    if node["t"] != "Div" or DIAGRAM_CLASS not in node["c"][0][1]:
        return None
    return "\n".join(block["c"][1] for block in node["c"][1] if block["t"] == "CodeBlock")


def diagram_html(node: Node) -> list[Node] | None:
    """The HTML writer's hook: Quarto's `<pre class="mermaid mermaid-js">`, which mermaid.js draws."""
    source = _diagram_source(node)
    if source is None:
        return None
    label = attr_get(node["c"][0], "label")
    data = f' data-label="{html.escape(label, quote=True)}"' if label else ""
    return [RawBlock("html", f'<pre class="mermaid mermaid-js"{data}>{html.escape(source, quote=True)}</pre>')]


def diagram_static(node: Node, path: Path, output: str) -> list[Node] | None:
    """The hook of a writer without mermaid.js (typst, Word): the diagram's source, shown as code, with a warning
    naming the ``output`` ("the PDF")."""
    source = _diagram_source(node)
    if source is None:
        return None
    line = attr_get(node["c"][0], "data-cell-line")
    diagnostics.warn(f"mermaid diagram is drawn by mermaid.js on the HTML page only; {output} shows its source as "
                     "code (render with quarto for an image of it)", path=path,
                     line=int(line) if line and line.isdigit() else None)
    return [{"t": "CodeBlock", "c": [["", ["mermaid"], []], source]}]


def has_diagrams(blocks: list[Node]) -> bool:
    """Whether ``blocks`` (a page's, before the HTML writer) hold a diagram."""
    found: list[Node] = []
    walk(blocks, lambda node: found.append(node) if DIAGRAM_CLASS in node["c"][0][1] else None, {"Div"})
    return bool(found)


def aligned_cells(blocks: list[Node], align: str | None) -> list[Node]:
    """Every diagram cell without a `fig-align` of its own takes the document's (``align``; `default` without
    one) as its `layout-align`, as Quarto's handler writes it on every cell."""
    def visit(node: Node) -> Node | None:
        attribute = node["c"][0]
        if "cell" not in attribute[1] or attr_get(attribute, "layout-align") is not None or not has_diagrams(node["c"][1]):
            return None
        return {"t": "Div", "c": [[attribute[0], attribute[1], [*attribute[2], ["layout-align", align or "default"]]],
                                  node["c"][1]]}

    return walk(blocks, visit, {"Div"})
