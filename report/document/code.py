"""Code blocks as Quarto shows them: `code-fold`, `code-summary`, `code-line-numbers`, `code-overflow`,
`code-annotations` (numbered notes below the block, from `# <1>` markers) and `tbl-colwidths` of cell tables.

Decided when a document is read (format-neutral Divs and attributes); `code_html`, `code_typst` and
`finish_html` render them per format.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from report.document._ast import Div, Node, Plain, RawBlock, attr_get, attr_without, text_inlines, walk
from report.errors import ReportError

__all__ = ["CodeOptions", "code_html", "code_typst", "finish_html", "prepare_code"]

FOLD, ANNOTATIONS, ANNOTATION = "report-code-fold", "report-code-annotations", "report-code-annotation"
# Annotation modes whose notes open from a button on the code line (Quarto's tippy popovers): hover or click.
INTERACTIVE = {"hover": "mouseenter focus", "select": "click"}
OUTPUT_CLASSES = frozenset({"cell-output", "cell-output-stdout", "cell-output-stderr", "cell-output-display",
                            "cell-output-error"})
# Comment delimiters per language for annotation markers (`# <1>`, `/* <1> */`), as Quarto's code-annotation
# filter knows them (kLangCommentChars); any other language uses `#`.
COMMENT: dict[str, tuple[str, ...]] = {
    **{language: ("#",) for language in ("awk", "bash", "coffee", "dockerfile", "elm", "gap", "gawk", "julia",
                                         "octave", "perl", "powershell", "python", "r", "ruby", "sed", "stan",
                                         "yaml")},
    **{language: ("//",) for language in ("asy", "cc", "cpp", "csharp", "d3", "dot", "fsharp", "go", "groovy",
                                          "java", "javascript", "js", "json", "kotlin", "node", "ojs", "rust",
                                          "sass", "scala", "scss", "swift", "typescript", "typst")},
    **{language: ("--",) for language in ("haskell", "lua", "mysql", "psql", "sql", "vhdl")},
    **{language: ("%",) for language in ("latex", "matlab", "tikz")},
    **{language: ("!",) for language in ("fortran", "fortran95")},
    "apl": ("⍝",), "c": ("/*", "*/"), "css": ("/*", "*/"), "html": ("<!--", "-->"), "markdown": ("<!--", "-->"),
    "mermaid": ("%%",), "ocaml": ("(*", "*)"), "q": ("/",), "sas": ("*", ";"), "stata": ("*",),
}
DEFAULT_COMMENT = ("#",)


@dataclass(frozen=True)
class CodeOptions:
    """Document defaults (project < format < document); a cell's or block's own attribute wins."""

    fold: Any = False  # false, true, "show"
    summary: str = "Code"
    line_numbers: Any = False
    overflow: str = "scroll"
    annotations: Any = "below"  # below, hover, select, none, false
    tbl_colwidths: Any = None  # a list of percentages, or auto/true/false

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Any], labels: Mapping[str, str]) -> "CodeOptions":
        """The options of ``metadata``; a folded cell's summary is by default the language's (Quarto's
        code-summary translation)."""
        return cls(fold=metadata.get("code-fold", False),
                   summary=str(metadata.get("code-summary", labels["code-summary"])),
                   line_numbers=metadata.get("code-line-numbers", False),
                   overflow=str(metadata.get("code-overflow", "scroll")),
                   annotations=metadata.get("code-annotations", "below"),
                   tbl_colwidths=metadata.get("tbl-colwidths"))


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() not in {"false", "no", "0", ""})


def _is_output(block: Node) -> bool:
    return bool(OUTPUT_CLASSES & set(block["c"][0][1]))


def _marker(language: str) -> re.Pattern:
    """A line ending in the language's annotation marker: the code before it, and the number."""
    delimiters = COMMENT.get(language, DEFAULT_COMMENT)
    closing = rf"\s*{re.escape(delimiters[1])}" if len(delimiters) == 2 else ""
    return re.compile(rf"^(?P<code>.*?)\s*{re.escape(delimiters[0])}\s*<(?P<number>\d+)>{closing}\s*$")


def _line_text(lines: list[int]) -> str:
    """[3, 4, 5, 8] -> '3-5,8', as Quarto names the lines of an annotation."""
    ranges: list[str] = []
    start = previous = None
    for line in lines + [None]:
        if start is not None and (line is None or line != previous + 1):
            ranges.append(str(start) if start == previous else f"{start}-{previous}")
            start = None
        if line is not None and start is None:
            start = line
        previous = line
    return ",".join(ranges)


def prepare_code(blocks: list[Node], options: CodeOptions, labels: Mapping[str, str], source: Path,
                 line_of) -> list[Node]:
    counter = [0]
    annotate = options.annotations is not False and str(options.annotations).lower() != "false"
    strip_only = str(options.annotations).lower() == "none"
    mode = str(options.annotations).lower() if str(options.annotations).lower() in INTERACTIVE else "below"

    def code_block(block: Node) -> tuple[Node, dict[int, list[int]] | None]:
        """The block with its options applied and annotation markers removed; its annotations (number -> lines)."""
        identifier, classes, attributes = block["c"][0]
        own = dict(attributes)
        classes = list(classes)
        numbers = own.pop("code-line-numbers", options.line_numbers)
        if _truthy(numbers) and "numberLines" not in classes:
            classes.append("numberLines")
        overflow = own.pop("code-overflow", options.overflow)
        if overflow not in {"scroll", "wrap"}:
            raise ReportError(f"code-overflow must be scroll or wrap, not '{overflow}'", path=source,
                              line=line_of("code-overflow"))
        classes.append(f"code-overflow-{overflow}")
        text = block["c"][1]
        found: dict[int, list[int]] = {}
        pattern = _marker(classes[0]) if annotate and classes else None
        if pattern is not None:
            lines = text.split("\n")
            # Lines are named as they are numbered: from `startFrom` when the block gives one (as Quarto).
            first = int(own["startFrom"]) if str(own.get("startFrom", "")).lstrip("-").isdigit() else 1
            for index, line in enumerate(lines):
                match = pattern.match(line)
                if match:
                    found.setdefault(int(match.group("number")), []).append(first + index)
                    lines[index] = match.group("code")
            text = "\n".join(lines)
        if found and not strip_only:
            if not identifier:
                counter[0] += 1
                identifier = f"annotated-cell-{counter[0]}"
            classes.append("code-annotation-code")
        fold = own.pop("code-fold", None)
        summary = own.pop("code-summary", None)
        node: Node = {"t": "CodeBlock", "c": [[identifier, classes, list(own.items())], text]}
        if "cell-code" in classes:
            fold = options.fold if fold is None else fold
            summary = options.summary if summary is None else summary
            if _truthy(fold):
                node = Div([node], classes=[FOLD], attributes={"data-summary": summary,
                                                               "data-open": str(str(fold).lower() == "show").lower()})
        return node, (found or None)

    def annotations_div(cell_id: str, found: dict[int, list[int]], items: Node) -> Node:
        start = items["c"][0][0]
        entries = []
        for offset, item in enumerate(items["c"][1]):
            number = start + offset
            lines = found.get(number, [])
            if not lines:
                continue  # an item no marker in the code names is left out, as Quarto leaves it out
            term = labels["code-line" if len(lines) == 1 else "code-lines"] + " " + _line_text(lines)
            entries.append(Div(item, classes=[ANNOTATION], attributes={
                "data-annotation": str(number), "data-cell": cell_id, "data-lines": ",".join(map(str, lines)),
                "data-term": term}))
        return Div(entries, classes=[ANNOTATIONS], attributes={"data-mode": mode})

    def process(items: list[Node]) -> list[Node]:
        result: list[Node] = []
        pending: tuple[int, str, dict[int, list[int]], bool] | None = None  # result index, cell id, found, in cell
        for block in items:
            kind = block["t"]
            if kind == "Div" and "cell" in block["c"][0][1]:
                inner: list[Node] = []
                found_here = None
                for child in block["c"][1]:
                    if child["t"] == "CodeBlock" and not _is_output(child):
                        child, found = code_block(child)
                        if found:
                            code = child if child["t"] == "CodeBlock" else child["c"][1][0]
                            found_here = (len(inner), code["c"][0][0], found)
                    inner.append(child)
                cell = _apply_colwidths({"t": "Div", "c": [block["c"][0], inner]}, options, source, line_of)
                result.append(cell)
                pending = (len(result) - 1, found_here[1], found_here[2], found_here[0]) if found_here else None
            elif kind == "CodeBlock" and not _is_output(block):
                node, found = code_block(block)
                result.append(node)
                pending = (len(result) - 1, node["c"][0][0], found, None) if found else None
            elif kind == "OrderedList" and pending is not None and strip_only:
                pending = None  # `code-annotations: none`: the markers and their list both go, as in Quarto
            elif kind == "OrderedList" and pending is not None:
                position, cell_id, found, code_index = pending
                annotations = annotations_div(cell_id, found, block)
                if code_index is None:
                    result.append(annotations)
                else:  # inside the cell, straight after its code, before the outputs (as Quarto)
                    cell = result[position]
                    content = list(cell["c"][1])
                    content.insert(code_index + 1, annotations)
                    result[position] = {"t": "Div", "c": [cell["c"][0], content]}
                pending = None
            elif kind == "Div":
                result.append({"t": "Div", "c": [block["c"][0], process(block["c"][1])]})
                pending = None
            elif kind == "Table" and attr_get(block["c"][0], "tbl-colwidths") is not None:
                # `: Caption {tbl-colwidths="[75,25]"}` on a Markdown table
                widened = _apply_colwidths(Div([{"t": "Table", "c": [attr_without(block["c"][0], "tbl-colwidths"),
                                                                      *block["c"][1:]]}],
                                               attributes={"tbl-colwidths": attr_get(block["c"][0], "tbl-colwidths")}),
                                           options, source, line_of)
                result.append(widened["c"][1][0])
                pending = None
            else:
                result.append(block)
                pending = None
        return result

    return process(blocks)


def _apply_colwidths(cell: Node, options: CodeOptions, source: Path, line_of) -> Node:
    raw = attr_get(cell["c"][0], "tbl-colwidths")
    value: Any = options.tbl_colwidths if raw is None else raw
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            pass  # auto / true / false
    cell = {"t": "Div", "c": [attr_without(cell["c"][0], "tbl-colwidths"), cell["c"][1]]}
    if not isinstance(value, list):
        return cell
    if not all(isinstance(width, (int, float)) and width > 0 for width in value):
        raise ReportError(f"tbl-colwidths must be a list of positive percentages, not {value}", path=source,
                          line=line_of("tbl-colwidths"))

    def visit(node: Node):
        if node["t"] != "Table":
            return None
        colspecs = node["c"][2]
        if len(colspecs) != len(value):
            raise ReportError(f"tbl-colwidths gives {len(value)} widths for a table of {len(colspecs)} columns",
                              path=source, line=line_of("tbl-colwidths"))
        widths = [[align, {"t": "ColWidth", "c": width / 100}] for (align, _), width in zip(colspecs, value)]
        return {"t": "Table", "c": [*node["c"][:2], widths, *node["c"][3:]]}

    return walk(cell, visit, {"Table"})


def code_html(node: Node) -> list[Node] | None:
    if node["t"] != "Div":
        return None
    classes = node["c"][0][1]
    if FOLD in classes:
        summary = html.escape(attr_get(node["c"][0], "data-summary") or "Code")
        opened = " open" if attr_get(node["c"][0], "data-open") == "true" else ""
        return [RawBlock("html", f'<details class="code-fold"{opened}><summary>{summary}</summary>'),
                *node["c"][1], RawBlock("html", "</details>")]
    if ANNOTATIONS in classes:
        mode = attr_get(node["c"][0], "data-mode") or "below"
        # hover/select: the list is hidden and each note shows beside its button (finish_html), as in Quarto.
        hidden = " code-annotation-container-hidden" if mode in INTERACTIVE else ""
        blocks: list[Node] = [RawBlock("html", f'<dl class="code-annotation-container-grid{hidden}" '
                                               f'data-code-annotations="{mode}">')]
        for item in node["c"][1]:
            number = html.escape(attr_get(item["c"][0], "data-annotation") or "")
            cell = html.escape(attr_get(item["c"][0], "data-cell") or "")
            lines = html.escape(attr_get(item["c"][0], "data-lines") or "")
            content = item["c"][1]
            inlines = content[0]["c"] if len(content) == 1 and content[0]["t"] in {"Plain", "Para"} else None
            blocks.append(RawBlock("html", f'<dt data-target-cell="{cell}" data-target-annotation="{number}">'
                                           f'{number}</dt><dd><span data-code-cell="{cell}" data-code-lines="{lines}" '
                                           f'data-code-annotation="{number}">'))
            blocks += [Plain(inlines)] if inlines is not None else content
            blocks.append(RawBlock("html", "</span></dd>"))
        return blocks + [RawBlock("html", "</dl>")]
    return None


def code_typst(node: Node) -> list[Node] | Node | None:
    if node["t"] == "Div":
        classes = node["c"][0][1]
        if FOLD in classes or "cell" in classes or "cell-output-display" in classes:
            # printed code is never folded; a cell, or a cell's display output, is no block of its own in the PDF
            return node["c"][1]
        if ANNOTATIONS in classes:
            items = [[text_inlines(attr_get(item["c"][0], "data-term") or ""), [item["c"][1]]]
                     for item in node["c"][1]]
            return {"t": "DefinitionList", "c": items}
        return None
    if node["t"] == "CodeBlock" and "numberLines" in node["c"][0][1]:
        # Block raw only: with skylighting the block numbers its own lines and each token is an inline raw.
        return [RawBlock("typst", "#[#show raw.where(block: true): code => { show raw.line: it => [#box(width: 2em)"
                                  "[#text(fill: luma(90))[#it.number]]#it.body]; code }"), node, RawBlock("typst", "]")]
    return None


ANCHOR_SPAN = re.compile(r'<span data-code-cell="([^"]+)" data-code-lines="([\d,]*)" data-code-annotation="(\d+)">')
ANNOTATION_LIST = re.compile(r'<dl class="code-annotation-container-grid[^"]*" data-code-annotations="(\w+)">(.*?)</dl>',
                             re.DOTALL)
SCRIPT = Path(__file__).resolve().parent.parent / "outputs" / "resources" / "code-annotations.js"


def finish_html(body: str) -> str:
    """Mark each annotation on its code lines (pandoc gives every line a span with an id): below the block, its
    number at the end of each line; hover and select, a button at the start of its first line (as Quarto), with
    the script that opens the note on hover or click."""
    marks: dict[tuple[str, int], list[str]] = {}
    buttons: dict[tuple[str, int], list[str]] = {}
    script_at, trigger = None, None
    for match in ANNOTATION_LIST.finditer(body):
        mode, content = match.groups()
        if mode in INTERACTIVE:
            script_at, trigger = match.group(0), INTERACTIVE[mode]
        for cell, lines, number in ANCHOR_SPAN.findall(content):
            numbers = [int(line) for line in lines.split(",") if line]
            if mode in INTERACTIVE and numbers:
                buttons.setdefault((cell, numbers[0]), []).append(number)
            for line in numbers if mode not in INTERACTIVE else []:
                marks.setdefault((cell, line), []).append(number)
    for (cell, line), numbers in marks.items():
        anchors = "".join(f'<span class="code-annotation-anchor" data-target-cell="{cell}" '
                          f'data-target-annotation="{number}" aria-hidden="true">{number}</span>' for number in numbers)
        pattern = re.compile(rf'(<span id="{re.escape(cell)}-{line}">.*?)(</span>(?:\n|</code>))', re.DOTALL)
        body = pattern.sub(lambda match: match.group(1) + anchors + match.group(2), body, count=1)
    for (cell, line), numbers in buttons.items():
        anchors = "".join(f'<button type="button" class="code-annotation-anchor" data-target-cell="{cell}" '
                          f'data-target-annotation="{number}">{number}</button>' for number in numbers)
        target = f'<span id="{cell}-{line}">'
        body = body.replace(target, anchors + target.replace('">', '" class="code-annotation-target">'), 1)
    if script_at is not None:  # once per page, after its last interactive list (a page has one mode)
        script = "<script>" + SCRIPT.read_text(encoding="utf-8").replace("%TRIGGER%", trigger) + "</script>"
        position = body.rindex(script_at) + len(script_at)
        body = body[:position] + "\n" + script + body[position:]
    return body
