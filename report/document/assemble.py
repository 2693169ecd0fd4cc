"""Turn a parsed document and its execution results into pandoc Markdown.

Cell outputs become Markdown Quarto would produce: figures as images with
their label, caption and alt text; DataFrames as real tables (their HTML is
parsed by pandoc later, through placeholders); printed Markdown with
``output: asis`` as is.
"""

from __future__ import annotations

import base64
import re
import json
from dataclasses import dataclass, field
from typing import Any, Union

from report.execution.execute import ExecutionResult, INLINE_MIME
from report.sources.qmd import INLINE_PATTERN, CodeCell, MarkdownChunk, QmdDocument

__all__ = ["AssembledDocument", "assemble_markdown"]

IMAGE_TYPES = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}
# matplotlib stamps the render time into SVG metadata; a figure's bytes should depend on its content only.
SVG_DATE = re.compile(r"\s*<dc:date>[^<]*</dc:date>")


@dataclass(frozen=True)
class AssembledDocument:
    markdown: str
    html_outputs: tuple[str, ...] = ()
    figures: dict[str, bytes] = field(default_factory=dict)  # path relative to the document's folder -> bytes


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _fence(text: str, classes: str) -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks} {{{classes}}}\n{text.rstrip()}\n{ticks}"


def _option(cell: CodeCell, defaults: dict[str, Any], key: str, fallback: Any) -> Any:
    value = getattr(cell.options, key)
    if value is None:
        value = defaults.get(key)
    return fallback if value is None else value


def _nth(value: str | list[str] | None, index: int) -> str | None:
    if isinstance(value, list):
        return value[index] if index < len(value) else None
    return value if index == 0 else None


@dataclass(frozen=True)
class _Figure:
    path: str
    number: int


class _Builder:
    def __init__(self, doc: QmdDocument, defaults: dict[str, Any]):
        self.doc = doc
        self.defaults = defaults
        self.html_outputs: list[str] = []
        self.figures: dict[str, bytes] = {}
        self.files_dir = f"{doc.path.stem}_files/figure-html"

    def save_figure(self, cell: CodeCell, number: int, mime: str, payload: Any) -> "_Figure":
        name = cell.options.label or f"cell-{cell.index + 1}"
        path = f"{self.files_dir}/{name}-{number + 1}.{IMAGE_TYPES[mime]}"
        if mime == "image/svg+xml":
            self.figures[path] = SVG_DATE.sub("", payload).encode("utf-8")
        else:
            self.figures[path] = base64.b64decode(payload)
        return _Figure(path, number)

    def figure_markdown(self, cell: CodeCell, figure: "_Figure", panel: bool) -> str:
        """One image; a panel of a multi-plot figure carries no label or caption of its own."""
        options = cell.options
        label = options.label if options.label and options.label.startswith("fig-") else None
        alt = _nth(options.fig_alt, figure.number) if isinstance(options.fig_alt, list) else options.fig_alt
        attributes = []
        if label and not panel:
            attributes.append(f"#{label}" if figure.number == 0 else f"#{label}-{figure.number + 1}")
        if alt is not None:
            attributes.append(f"fig-alt={_quote(alt)}")
        if options.fig_scap and not panel:
            attributes.append(f"fig-scap={_quote(_nth(options.fig_scap, figure.number) or '')}")
        attributes.append(f'data-cell-line="{cell.line}"')
        caption = "" if panel else (_nth(options.fig_cap, figure.number) or "")
        return f"![{caption}]({figure.path}){{{' '.join(attributes)}}}"

    def multi_figure(self, cell: CodeCell, figures: list["_Figure"]) -> str:
        """Several plots from one labelled cell form one figure with panels, as in Quarto."""
        columns = cell.options.layout_ncol or 1
        caption = _nth(cell.options.fig_cap, 0) or ""
        panels = "\n\n".join(self.figure_markdown(cell, figure, panel=True) for figure in figures)
        scap = f" fig-scap={_quote(_nth(cell.options.fig_scap, 0) or '')}" if cell.options.fig_scap else ""
        return (f'::: {{#{cell.options.label}{scap} data-cell-line="{cell.line}"}}\n'
                f'::: {{.report-layout layout-ncol="{columns}"}}\n{panels}\n:::\n\n'
                f"::: {{.report-caption}}\n{caption}\n:::\n:::")

    def table(self, html: str) -> str:
        self.html_outputs.append(html)
        return f'::: {{.report-html-output data-index="{len(self.html_outputs) - 1}"}}\n:::'

    def outputs(self, cell: CodeCell, outputs: list[dict[str, Any]]) -> list[Union[str, "_Figure"]]:
        asis = _option(cell, self.defaults, "output", True) == "asis"
        show_warnings = _option(cell, self.defaults, "warning", True)
        parts: list[Union[str, _Figure]] = []
        figure_count = 0
        for output in outputs:
            kind = output.get("output_type")
            if kind == "stream":
                text = output.get("text", "")
                if output.get("name") == "stderr":
                    if show_warnings and text.strip():
                        parts.append(_fence(text, ".cell-output .cell-output-stderr"))
                elif asis:
                    parts.append(text)
                elif text.strip():
                    parts.append(_fence(text, ".cell-output .cell-output-stdout"))
            elif kind in {"execute_result", "display_data"}:
                data = output.get("data", {})
                if INLINE_MIME in data:
                    continue
                image = next((mime for mime in IMAGE_TYPES if mime in data), None)
                if image:
                    parts.append(self.save_figure(cell, figure_count, image, data[image]))
                    figure_count += 1
                elif "text/markdown" in data:
                    parts.append(data["text/markdown"])
                elif "text/html" in data and "<table" in data["text/html"]:
                    parts.append(self.table(data["text/html"]))
                elif "text/html" in data and asis:
                    parts.append(f"```{{=html}}\n{data['text/html']}\n```")
                elif "text/plain" in data and asis:
                    parts.append(data["text/plain"])
                elif "text/plain" in data:
                    parts.append(_fence(data["text/plain"], ".cell-output .cell-output-display"))
            elif kind == "error":
                from report.execution.execute import ANSI

                parts.append(_fence(ANSI.sub("", "\n".join(output.get("traceback", []))),
                                    ".cell-output .cell-output-error"))
        return parts

    def cell(self, cell: CodeCell, result: ExecutionResult) -> str:
        if not _option(cell, self.defaults, "include", True):
            return ""
        parts: list[str] = []
        if _option(cell, self.defaults, "echo", True):
            parts.append(_fence(cell.code, ".python .cell-code"))
        outputs = []
        if _option(cell, self.defaults, "output", True) is not False:
            outputs = self.outputs(cell, result.outputs.get(cell.index, []))
        figures = [part for part in outputs if isinstance(part, _Figure)]
        label = cell.options.label or ""
        if label.startswith("fig-") and len(figures) > 1:
            parts += [part for part in outputs if not isinstance(part, _Figure)]
            parts.append(self.multi_figure(cell, figures))
        else:
            parts += [self.figure_markdown(cell, part, panel=False) if isinstance(part, _Figure) else part
                      for part in outputs]
        if label.startswith("tbl-"):
            caption = cell.options.tbl_cap or ""
            body = "\n\n".join(parts)
            scap = f" tbl-scap={_quote(cell.options.tbl_scap)}" if cell.options.tbl_scap else ""
            parts = [f"::: {{#{label} .report-float-tbl{scap} data-cell-line=\"{cell.line}\"}}\n{body}\n\n"
                     f"::: {{.report-caption}}\n{caption}\n:::\n:::"]
        if cell.options.layout_ncol and not label.startswith("fig-"):
            parts = [f"::: {{.report-layout layout-ncol=\"{cell.options.layout_ncol}\"}}\n" + "\n\n".join(parts)
                     + "\n:::"]
        return "\n\n".join(part for part in parts if part)


def assemble_markdown(doc: QmdDocument, result: ExecutionResult, defaults: dict[str, Any]) -> AssembledDocument:
    builder = _Builder(doc, defaults)
    values = iter(result.inline_values)
    pieces: list[str] = []
    for chunk in doc.chunks:
        if isinstance(chunk, MarkdownChunk):
            pieces.append(INLINE_PATTERN.sub(lambda match: next(values), chunk.text))
        else:
            pieces.append("\n" + builder.cell(chunk, result) + "\n")
    return AssembledDocument(markdown="\n".join(pieces) + "\n", html_outputs=tuple(builder.html_outputs),
                             figures=dict(builder.figures))
