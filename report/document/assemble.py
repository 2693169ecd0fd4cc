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
import textwrap
from dataclasses import dataclass, field
from typing import Any, Union

from report.document import cell_outputs
from report.document.cell_widgets import (JAVASCRIPT, WIDGET_VIEW, PageScripts, is_library_html, library_text,
                                          page_scripts, script_html)
from report.document.ansi import strip_ansi
from report.execution.execute import ExecutionResult, INLINE_MIME
from report.sources import diagnostics
from report.sources.qmd import INLINE_PATTERN, CodeCell, MarkdownChunk, QmdDocument
from report.sources.resolved import cell_option
from report.sources.shortcodes import EMBED_FENCE, EmbeddedCell, embed_div_open

__all__ = ["AssembledDocument", "assemble_markdown"]

IMAGE_TYPES = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}
# matplotlib stamps the render time into SVG metadata; a figure's bytes should depend on its content only.
SVG_DATE = re.compile(r"\s*<dc:date>[^<]*</dc:date>")


@dataclass(frozen=True)
class AssembledDocument:
    markdown: str
    html_outputs: tuple[str, ...] = ()
    figures: dict[str, bytes] = field(default_factory=dict)  # path relative to the document's folder -> bytes
    # Where the Markdown came from, for the Word output's source anchors (report.outputs.docx): the source line
    # of each Markdown line (a cell's output: its opening fence; an included file: the include's line), and
    # each inline expression's line with its value, in order.
    source_lines: tuple[int, ...] = field(default=(), compare=False, repr=False)
    inline_values: tuple[tuple[int, str], ...] = field(default=(), compare=False, repr=False)
    page_scripts: PageScripts = PageScripts()  # what the HTML page loads for the outputs (report.document.cell_widgets)


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _fence(text: str, classes: str) -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks} {{{classes}}}\n{text.rstrip()}\n{ticks}"


def _nth(value: str | list[str] | None, index: int) -> str | None:
    if isinstance(value, list):
        return value[index] if index < len(value) else None
    return value if index == 0 else None


class _Display(str):
    """A display output's Markdown: what Quarto captions in turn with a figure's sub-captions."""


@dataclass(frozen=True)
class _Figure:
    path: str
    number: int
    width: int | None = None  # display width in pixels (a retina PNG is drawn at twice its size)
    height: int | None = None  # display height in pixels, as the output's metadata gives it


class _Builder:
    def __init__(self, doc: QmdDocument, defaults: dict[str, Any]):
        self.doc = doc
        self.defaults = defaults
        self.html_outputs: list[str] = []
        self.figures: dict[str, bytes] = {}
        self.files_dir = f"{doc.path.stem}_files/figure-html"
        self.displays: list[dict[str, Any]] = []  # the display outputs shown, for the page's scripts
        self.libraries: list[str] = []  # library outputs (plotly.js) taken out of the cells for the page's head

    def save_figure(self, cell: CodeCell, number: int, output_index: int, mime: str, payload: Any) -> "_Figure":
        # Quarto's (Jupyter's) name: the cell's label and the output's place among the cell's outputs.
        name = (cell.options.label or f"cell-{cell.index + 1}").lstrip("#").replace(":", "-")
        path = f"{self.files_dir}/{name}-output-{output_index + 1}.{IMAGE_TYPES[mime]}"
        if mime == "image/svg+xml":
            self.figures[path] = SVG_DATE.sub("", payload).encode("utf-8")
        else:
            self.figures[path] = base64.b64decode(payload)
        return _Figure(path, number)

    def figure_markdown(self, cell: CodeCell, figure: "_Figure", panel: bool, subcaption: str | None = None) -> str:
        """One image; a panel of a multi-plot figure carries a label and caption only as a sub-figure."""
        options = cell.options
        label = options.label if options.label and options.label.startswith("fig-") else None
        alt = _nth(options.fig_alt, figure.number) if isinstance(options.fig_alt, list) else options.fig_alt
        attributes = []
        if label and not panel:
            attributes.append(f"#{label}" if figure.number == 0 else f"#{label}-{figure.number + 1}")
        elif label and subcaption:
            attributes.append(f"#{label}-{figure.number + 1}")  # Quarto's sub-figure ids: fig-x-1, fig-x-2
        if alt is not None:
            attributes.append(f"fig-alt={_quote(alt)}")
        if options.fig_scap and not panel:
            attributes.append(f"fig-scap={_quote(_nth(options.fig_scap, figure.number) or '')}")
        if not panel:
            attributes += _caption_location_attributes(options) + _column_classes(options, "fig")
        attributes.append(f'data-cell-line="{cell.line}"')
        if figure.width:
            attributes.append(f'width="{figure.width}"')
        if figure.height:
            attributes.append(f'height="{figure.height}"')
        caption = (subcaption or "") if panel else (_nth(options.fig_cap, figure.number) or "")
        return f"![{caption}]({figure.path}){{{' '.join(attributes)}}}"

    def multi_figure(self, cell: CodeCell, figures: list["_Figure"]) -> str:
        """Several plots from one labelled cell form one figure with panels (sub-figures with fig-subcap)."""
        options = cell.options
        caption = _nth(options.fig_cap, 0) or ""
        subcaps = _subcaptions(options.fig_subcap, len(figures))
        panels = "\n\n".join(self.figure_markdown(cell, figure, panel=True, subcaption=subcaps[figure.number])
                              for figure in figures)
        attributes = (_layout_attributes(options) + _caption_location_attributes(options)
                      + _column_classes(options, "fig"))
        if options.fig_scap:
            attributes.append(f"fig-scap={_quote(_nth(options.fig_scap, 0) or '')}")
        return (f'::: {{#{options.label} data-cell-line="{cell.line}" {" ".join(attributes)}}}\n{panels}\n\n'
                f"::: {{.report-caption}}\n{caption}\n:::\n:::")

    def code(self, cell: CodeCell, hidden: bool = False) -> str:
        """The cell's source; with `lst-label` it is a numbered listing (`lst-cap` its caption)."""
        options = cell.options
        classes = ".python .cell-code" + (" .hidden" if hidden else "") + _code_attributes(cell)
        # `lst-label`, or a cell labelled `lst-` (Quarto 1.8): the code is the listing
        label = options.lst_label or (options.label if (options.label or "").startswith("lst-") else None)
        if label:
            classes = f"#{label} {classes} data-cell-line=\"{cell.line}\""
            if options.lst_cap:
                classes += f" lst-cap={_quote(options.lst_cap)}"
            classes += "".join(f" {name}" for name in _column_classes(options, "lst"))
        return _fence(cell.code, classes)

    def table(self, html: str) -> str:
        self.html_outputs.append(html)
        return f'::: {{.report-html-output data-index="{len(self.html_outputs) - 1}"}}\n:::'

    def outputs(self, cell: CodeCell, outputs: list[dict[str, Any]]) -> list[Union[str, "_Figure"]]:
        asis = cell_option(cell.options, self.defaults, "output", True) == "asis"
        show_warnings = cell_option(cell.options, self.defaults, "warning", True)
        parts: list[Union[str, _Figure]] = []
        figure_count = 0
        for output_index, output in enumerate(outputs):
            kind = output.get("output_type")
            if kind == "stream":
                text = strip_ansi(output.get("text", ""))  # Quarto strips the colours of streams
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
                self.displays.append(output)
                shown = len(parts)
                script = next((mime for mime in (WIDGET_VIEW, JAVASCRIPT) if mime in data), None)
                image = next((mime for mime in IMAGE_TYPES if mime in data), None)
                if "text/html" in data and is_library_html(str(data["text/html"])):
                    library = library_text(str(data["text/html"]))  # Quarto moves it into the page's head
                    if library not in self.libraries:
                        self.libraries.append(library)
                elif script:  # in HTML Quarto prefers these types to every other, images included
                    parts.append(cell_outputs.html_markdown(data, cell.line, script_html(script, data[script]),
                                                            script))
                elif image:
                    figure = self.save_figure(cell, figure_count, output_index, image, data[image])
                    size = (output.get("metadata") or {}).get(image, {})
                    width, height = size.get("width"), size.get("height")
                    parts.append(_Figure(figure.path, figure.number, int(width) if width else None,
                                         int(height) if height else None))
                    figure_count += 1
                elif "text/markdown" in data:
                    parts.append(data["text/markdown"])
                elif "text/html" in data and "<table" in data["text/html"]:
                    parts.append(self.table(data["text/html"]))
                elif "text/html" in data and asis:
                    parts.append(f"```{{=html}}\n{data['text/html']}\n```")
                elif "text/html" in data:
                    parts.append(cell_outputs.html_markdown(data, cell.line))
                elif str(data.get("text/latex", "")).strip().startswith("$"):
                    parts.append(data["text/latex"])  # math (sympy): Quarto shows it as Markdown math
                else:
                    self.warn_unshown(cell, data)
                    if "text/plain" in data and asis:
                        parts.append(data["text/plain"])
                    elif "text/plain" in data:
                        parts.append(cell_outputs.text_markdown(data["text/plain"]))
                    elif data and not asis:  # Quarto's note where no type of the output can be shown
                        parts.append(cell_outputs.text_markdown(
                            f"Unable to display output for mime type(s): {', '.join(data)}"))
                parts[shown:] = [_Display(part) if isinstance(part, str) else part for part in parts[shown:]]
            elif kind == "error":
                parts.append(cell_outputs.error_markdown(output.get("traceback", [])))
        return parts

    def warn_unshown(self, cell: CodeCell, data: dict[str, Any]) -> None:
        """Widgets, plotly JSON and scripts without HTML: Quarto's page would load their JavaScript; here their
        text stands in, and the author is told."""
        unshown = cell_outputs.unshown_mimes(data)
        if unshown:
            instead = ("its text/plain is shown instead" if "text/plain" in data
                       else "Quarto's note 'Unable to display output' stands in its place")
            diagnostics.warn(f"cell output {', '.join(unshown)} has no static or HTML form; {instead}",
                             path=self.doc.path, line=cell.line)

    def cell(self, cell: CodeCell, result: ExecutionResult) -> str:
        # keep-hidden: what echo/include false would drop stays, marked `.hidden` (Quarto's Jupyter engine).
        keep_hidden = bool(self.defaults.get("keep-hidden"))
        included = cell_option(cell.options, self.defaults, "include", True)
        if not included and not keep_hidden:
            return ""
        options = cell.options
        parts: list[str] = []
        # Quarto shows a cell's code above its figure or table whenever echo is on (the default).
        echo = cell_option(cell.options, self.defaults, "echo", True)
        if echo == "fenced":
            parts.append(_fenced_code(cell))
        elif echo:
            parts.append(self.code(cell))
        elif keep_hidden:
            parts.append(self.code(cell, hidden=True))
        outputs = []
        if cell_option(cell.options, self.defaults, "output", True) is not False:
            outputs = self.outputs(cell, result.outputs.get(cell.index, []))
        figures = [part for part in outputs if isinstance(part, _Figure)]
        label = options.label or ""
        if label.startswith("fig-") and (len(figures) > 1 or (figures and _has_layout(options))):
            parts += [part for part in outputs if not isinstance(part, _Figure)]
            parts.append(self.multi_figure(cell, figures))
        elif label.startswith("tbl-"):
            parts.append(self.table_float(cell, outputs))
        elif label.startswith("fig-") and not figures:
            parts.append(self.content_figure(cell, outputs))
        else:
            shown = [self.figure_markdown(cell, part, panel=False) if isinstance(part, _Figure) else part
                     for part in outputs]
            if _has_layout(options) and shown:
                attributes = " ".join(_layout_attributes(options))
                shown = [f"::: {{{attributes}}}\n" + "\n\n".join(shown) + "\n:::"]
            if options.column and shown:  # outputs that are no float stand in the column themselves
                shown = [f"::: {{.column-{options.column}}}\n{part}\n:::" for part in shown]
            parts += shown
        body = "\n\n".join(part for part in parts if part)
        return _cell_div(cell, body, hidden=not included) if body else ""


    def content_figure(self, cell: CodeCell, outputs: list[Union[str, "_Figure"]]) -> str:
        """A `fig-` cell whose outputs hold no image (text, Markdown, HTML, or nothing): as in Quarto, the outputs
        are the figure, numbered and captioned like any other."""
        options = cell.options
        attributes = (_layout_attributes(options) + _caption_location_attributes(options)
                      + _column_classes(options, "fig"))
        if options.fig_scap:
            attributes.append(f"fig-scap={_quote(_nth(options.fig_scap, 0) or '')}")
        pieces = [part for part in outputs if isinstance(part, str)]
        if isinstance(options.fig_subcap, list):  # Quarto captions the display outputs in turn: sub-figures
            displays = [index for index, piece in enumerate(pieces) if isinstance(piece, _Display)]
            for number, (index, subcaption) in enumerate(zip(displays, options.fig_subcap)):
                pieces[index] = (f"::: {{#{options.label}-{number + 1}}}\n{pieces[index]}\n\n"
                                 f"::: {{.report-caption}}\n{subcaption}\n:::\n:::")
        body = "\n\n".join(pieces)
        return (f'::: {{#{options.label} data-cell-line="{cell.line}" {" ".join(attributes)}}}\n{body}\n\n'
                f"::: {{.report-caption}}\n{_nth(options.fig_cap, 0) or ''}\n:::\n:::")

    def table_float(self, cell: CodeCell, outputs: list[Union[str, "_Figure"]]) -> str:
        """A `tbl-` cell: its outputs in one table float; several tables with tbl-subcap are sub-tables."""
        options = cell.options
        pieces = [self.figure_markdown(cell, part, panel=False) if isinstance(part, _Figure) else part
                  for part in outputs]
        tables = [index for index, piece in enumerate(pieces) if piece.startswith("::: {.report-html-output")]
        subcaps = _subcaptions(options.tbl_subcap, len(tables))
        if options.tbl_subcap is not None and len(tables) > 1:
            for number, index in enumerate(tables):
                pieces[index] = (f"::: {{#{options.label}-{number + 1} .report-float-tbl}}\n{pieces[index]}\n\n"
                                 f"::: {{.report-caption}}\n{subcaps[number] or ''}\n:::\n:::")
        scap = [f"tbl-scap={_quote(options.tbl_scap)}"] if options.tbl_scap else []
        attributes = " ".join(_layout_attributes(options) + _caption_location_attributes(options) + scap
                              + _column_classes(options, "tbl"))
        body = "\n\n".join(pieces)
        return (f"::: {{#{options.label} .report-float-tbl data-cell-line=\"{cell.line}\" {attributes}}}\n{body}\n\n"
                f"::: {{.report-caption}}\n{options.tbl_cap or ''}\n:::\n:::")


def _fenced_code(cell: CodeCell) -> str:
    """`echo: fenced`: the cell as written, fence and `#|` options (but `echo`) included, shown as Markdown;
    the options are written again in YAML, as Quarto passes them through its notebook."""
    import yaml

    options = [line for key, value in cell.option_values.items() if key != "echo"
               for line in yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False,
                                          width=2**16).rstrip("\n").split("\n")]
    source = "\n".join(["```{python}", *(f"#| {line}" for line in options), cell.code.strip("\n"), "```"])
    # `qmd` first: pandoc highlights by the first class it knows, here the cell's code in its own language
    # (report/outputs/resources/qmd-syntax.xml); `markdown` is Quarto's class for it.
    return _fence(source, ".qmd .markdown .cell-code" + _code_attributes(cell))


def _code_attributes(cell: CodeCell) -> str:
    """Cell options that shape how the code is shown, for report.document.code."""
    options = cell.options
    pairs = [("code-fold", getattr(options, "code_fold", None)), ("code-summary", getattr(options, "code_summary", None)),
             ("code-line-numbers", getattr(options, "code_line_numbers", None)),
             ("code-overflow", getattr(options, "code_overflow", None))]
    return "".join(f" {key}={_quote(str(value).lower() if isinstance(value, bool) else str(value))}"
                   for key, value in pairs if value is not None)


def _cell_div(cell: CodeCell, body: str, hidden: bool = False) -> str:
    """Quarto's cell container: `classes` adds to it; `tbl-colwidths` is applied to its tables later."""
    classes = getattr(cell.options, "classes", None) or []
    if isinstance(classes, str):
        classes = classes.split()
    panel = getattr(cell.options, "panel", None)
    if panel:  # Quarto: `panel: tabset` makes the cell a `.panel-tabset`
        classes = [*classes, f"panel-{panel}"]
    if hidden:
        classes = [*classes, "hidden"]
    attributes = "".join(f" .{name.lstrip('.')}" for name in classes)
    widths = getattr(cell.options, "tbl_colwidths", None)
    if widths is not None:
        attributes += f" tbl-colwidths={_quote(json.dumps(widths) if isinstance(widths, list) else str(widths).lower())}"
    fence = ":::"
    while f"\n{fence}" in body:
        fence += ":"
    return f"{fence} {{.cell{attributes}}}\n{body}\n{fence}"


def _has_layout(options: Any) -> bool:
    return any(value is not None for value in (options.layout_ncol, options.layout_nrow, options.layout))


def _layout_attributes(options: Any) -> list[str]:
    """Layout cell options as the div attributes Quarto's markdown would carry."""
    attributes = []
    if options.layout is not None:
        value = options.layout if isinstance(options.layout, str) else json.dumps(options.layout)
        attributes.append(f"layout={_quote(value)}")
    elif options.layout_ncol is not None:
        attributes.append(f'layout-ncol="{options.layout_ncol}"')
    elif options.layout_nrow is not None:
        attributes.append(f'layout-nrow="{options.layout_nrow}"')
    if options.layout_valign is not None:
        attributes.append(f'layout-valign="{options.layout_valign}"')
    return attributes


def _caption_location_attributes(options: Any) -> list[str]:
    return [f'{key}="{value}"' for key, value in (("fig-cap-location", options.fig_cap_location),
                                                  ("tbl-cap-location", options.tbl_cap_location),
                                                  ("cap-location", options.cap_location)) if value is not None]


def _column_classes(options: Any, kind: str) -> list[str]:
    """The page column a figure (``kind`` fig), table (tbl) or listing (lst) float goes to: `fig-column` /
    `tbl-column`, else `column`, as Quarto's class `.column-VALUE`."""
    column = getattr(options, f"{kind}_column", None) or options.column
    return [f".column-{column}"] if column else []


def _subcaptions(value: str | list[str] | bool | None, count: int) -> list[str | None]:
    if isinstance(value, list):
        return [value[index] if index < len(value) else None for index in range(count)]
    if isinstance(value, str):
        return [value] + [None] * (count - 1)
    return [None] * count


def _same_embed(before: Any, after: Any) -> bool:
    """Two chunks that one `{{< embed >}}` gave (a whole notebook gives one per cell)."""
    return (isinstance(before, EmbeddedCell) and isinstance(after, EmbeddedCell) and before.line == after.line
            and before.source == after.source)


def assemble_markdown(doc: QmdDocument, result: ExecutionResult, defaults: dict[str, Any]) -> AssembledDocument:
    builder = _Builder(doc, defaults)
    builder.figures.update(doc.attachments)  # a notebook's Markdown attachments (report.sources.documents)
    values = iter(result.inline_values)
    pieces: list[str] = []
    lines: list[int] = []
    main_line = doc.line_map.main_line if doc.line_map else (lambda line: line)
    chunks = doc.chunks
    for position, chunk in enumerate(chunks):
        if isinstance(chunk, MarkdownChunk):
            piece = INLINE_PATTERN.sub(lambda match: next(values), chunk.text)
            lines += [main_line(chunk.line + offset) or chunk.line for offset in range(piece.count("\n") + 1)]
        elif isinstance(chunk, EmbeddedCell):  # stored outputs of another notebook's cell
            embedded = ExecutionResult(outputs={chunk.cell.index: list(chunk.outputs)}, inline_values=())
            piece = "\n" + builder.cell(chunk.cell, embedded) + "\n"
            # One embed's cells in one Div that names their notebook, as Quarto (report.outputs.notebook_links)
            if position == 0 or not _same_embed(chunks[position - 1], chunk):
                piece = embed_div_open(chunk.source, doc.path, chunk.notebook_title, chunk.cell_id) + piece
            if position == len(chunks) - 1 or not _same_embed(chunk, chunks[position + 1]):
                piece += EMBED_FENCE + "\n"
            lines += [chunk.line] * (piece.count("\n") + 1)
        else:  # a cell in a list item stays in it: its Markdown indented as its fence was
            piece = "\n" + textwrap.indent(builder.cell(chunk, result), chunk.indent) + "\n"
            lines += [chunk.line] * (piece.count("\n") + 1)
        pieces.append(piece)
    return AssembledDocument(markdown="\n".join(pieces) + "\n", html_outputs=tuple(builder.html_outputs),
                             figures=dict(builder.figures), source_lines=tuple(lines),
                             inline_values=tuple((item.line, value) for item, value
                                                 in zip(doc.inline, result.inline_values)),
                             page_scripts=page_scripts(builder.displays, tuple(builder.libraries), result.widget_state))
