"""Parse a `.qmd` document into front matter, Markdown chunks, executable cells and inline expressions.

Only the documented Quarto syntax listed in the README is accepted. Anything
else that Quarto would treat specially (other engines, unknown shortcodes) is an
error naming the file and line, so it never renders wrongly in silence.
Shortcodes are resolved by report.sources.shortcodes: `include` before cells are
found, the others in the Markdown between cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Union

from report.sources._yaml import load_yaml
from report.sources.config import CellOptions, DocumentConfig, normalise_formats, parse_model
from report.sources.extensions import apply_extension_formats
from report.errors import ReportError
from report.sources import diagnostics, shortcodes
from report.sources.text import read_source

__all__ = ["CodeCell", "InlineExpression", "MarkdownChunk", "QmdDocument", "INLINE_PATTERN", "parse_qmd"]

# Any indent: a cell may stand in a list item, as Quarto finds cells (other code blocks: at most 3 spaces).
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<info>.*?)\s*$")
EXECUTABLE_INFO = re.compile(r"^\{(?P<lang>[A-Za-z][\w-]*)(?P<rest>[^}]*)\}$")
INLINE_PATTERN = re.compile(r"`\{python\}\s+(?P<code>[^`]+?)\s*`")
OTHER_INLINE = re.compile(r"`\{(?P<lang>r|julia|ojs|bash|sql)\}\s+[^`]*`")
# Quarto's pattern for a cell option line: `#|`, also `# |` as black and ruff write it, then one optional space.
OPTION_LINE = re.compile(r"^#\s*\| ?(?P<yaml>.*)$")


@dataclass(frozen=True)
class MarkdownChunk:
    text: str
    line: int  # first line in the source file, 1-based


@dataclass(frozen=True)
class CodeCell:
    index: int
    line: int  # line of the opening fence
    code: str  # without the `#|` option lines
    options: CellOptions
    option_lines: dict[str, int] = field(default_factory=dict)
    option_values: dict[str, Any] = field(default_factory=dict)  # as written (`echo: fenced` shows them again)
    indent: str = ""  # the fence's indent (a cell in a list item): its output is indented as much

    @property
    def name(self) -> str:
        return self.options.label or f"cell {self.index + 1} (line {self.line})"


@dataclass(frozen=True)
class UnrunCell:
    """A labelled cell of a language the embedded engine does not run (shown as code): what an embed names."""

    label: str
    language: str
    path: Path  # the file it is written in (an included file, or the document)
    line: int  # line of the opening fence in that file
    code: str  # without its option lines


@dataclass(frozen=True)
class InlineExpression:
    index: int
    code: str
    line: int


@dataclass(frozen=True)
class QmdDocument:
    path: Path  # as given (relative to the project root in a book)
    front_matter: DocumentConfig
    metadata: dict[str, Any]  # raw front matter, for merging
    chunks: tuple[Union[MarkdownChunk, CodeCell, shortcodes.EmbeddedCell], ...]
    inline: tuple[InlineExpression, ...]
    line_map: shortcodes.SourceMap | None = None  # expanded line -> file and line (after `include`)
    # A notebook's stored outputs (cell index -> nbformat outputs), used unless it is executed
    # (report.sources.documents); None for .qmd and .md.
    stored_outputs: dict[int, list[dict[str, Any]]] | None = field(default=None, compare=False, repr=False)
    executable: bool = True  # False for .md, which Quarto renders without executing anything
    # A notebook's Markdown cell attachments, extracted as Quarto does: path relative to the document -> bytes.
    attachments: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)
    # A notebook's `metadata.kernelspec` (name, display_name, language): its kernel unless `jupyter:` names one.
    kernelspec: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    # Labelled cells of other languages, which are shown as code and never run.
    unrun_cells: tuple[UnrunCell, ...] = field(default=(), compare=False, repr=False)
    # A notebook's stored Jupyter widget state (`metadata.widgets`), shown with its stored outputs.
    stored_widget_state: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    @property
    def cells(self) -> tuple[CodeCell, ...]:
        return tuple(chunk for chunk in self.chunks if isinstance(chunk, CodeCell))

    def line_of(self, needle: str) -> int | None:
        """First source line containing ``needle``, for errors found after parsing."""
        for chunk in self.chunks:
            text = chunk.text if isinstance(chunk, MarkdownChunk) else "\n" + chunk.code
            offset = text.find(needle)
            if offset >= 0:
                if not isinstance(chunk, MarkdownChunk):
                    return chunk.line
                line = chunk.line + text.count("\n", 0, offset)
                return self.line_map.main_line(line) if self.line_map else line
        return None


def _front_matter(lines: list[str], path: Path, root: Path) -> tuple[dict[str, Any], DocumentConfig, int]:
    if not lines or lines[0].strip() != "---":
        return {}, DocumentConfig(), 0
    for end in range(1, len(lines)):
        if lines[end].strip() in {"---", "..."}:
            text = "\n".join(lines[1:end])
            data, key_lines = load_yaml(text, path, line_offset=1)
            if data is None:
                data = {}
            if not isinstance(data, dict):
                raise ReportError("front matter must be a YAML mapping", path=path, line=2)
            data = apply_extension_formats(normalise_formats(data), root, path)  # `format: NAME-typst`
            config = parse_model(DocumentConfig, data, source=path, lines=key_lines, what="front matter")
            return data, config, end + 1
    raise ReportError("front matter opened with '---' is never closed", path=path, line=1)


def _cell(index: int, body: list[str], fence_line: int, path: Path) -> CodeCell:
    option_text: list[str] = []
    position = 0
    while position < len(body) and OPTION_LINE.match(body[position]):
        option_text.append(OPTION_LINE.match(body[position]).group("yaml"))
        position += 1
    data, key_lines = load_yaml("\n".join(option_text), path, line_offset=fence_line)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ReportError("cell options ('#|' lines) must be 'key: value' pairs", path=path, line=fence_line + 1)
    options = parse_model(CellOptions, data, source=path, lines=key_lines, what="cell options")
    option_lines = {str(key[0]): line for key, line in key_lines.items() if len(key) == 1}
    return CodeCell(index=index, line=fence_line, code="\n".join(body[position:]), options=options,
                    option_lines=option_lines, option_values=dict(data))


# How a cell that is not run shows its code: the code display options (report.document.code).
_DISPLAY_OPTIONS = ("code-fold", "code-summary", "code-line-numbers", "code-overflow")


def _unrun_cell_options(body: list[str], language: str, path: Path, line: int
                        ) -> tuple[list[str], list[str], dict[str, Any]]:
    """A cell of another language: its code without its option lines (written with its comment characters and
    `|`, as Quarto reads them: `%%| code-fold: true` in mermaid), those lines as written, and what they say."""
    from report.document.code import COMMENT

    prefix = re.compile(rf"^\s*{re.escape(COMMENT.get(language, ('#', None))[0])}\s*\| ?(?P<yaml>.*)$")
    option_text, written = [], []
    while body and prefix.match(body[0]):
        option_text.append(prefix.match(body[0]).group("yaml"))
        written.append(body[0])
        body = body[1:]
    data, _lines = load_yaml("\n".join(option_text), path, line_offset=line)
    return body, written, data if isinstance(data, dict) else {}


def _unrun_cell_display(options: dict[str, Any]) -> tuple[str, str]:
    """The code display options a cell's option lines give, as attributes of the shown code (a cell's code, so
    code-fold folds it), and the cell div's own attributes."""
    values = {key: str(options[key]).lower() if isinstance(options[key], bool) else str(options[key])
              for key in _DISPLAY_OPTIONS if key in options}
    shown = "".join(f' {key}="{value.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"'
                    for key, value in values.items())
    align = options.get("fig-align")
    cell = f' layout-align="{align}"' if align in {"left", "center", "right", "default"} else ""
    return (" .cell-code" + shown) if shown else "", cell


LIST_ITEM = re.compile(r"^(?P<content> *(?:[-*+]|\d+[.)]|#[.)]|[a-zA-Z][.)]) +)\S")


def _item_indent(before: list[str], indent: str) -> str:
    """How far a cell indented by ``indent`` is indented within its list item, for its output to stay in the item:
    pandoc takes a list item's content from its marker's column, so the cell's Markdown is indented by that much.
    A cell that is in no list item gets none."""
    for line in reversed(before):
        if not line.strip():
            continue
        leading = len(line) - len(line.lstrip(" "))
        if leading < len(indent):
            item = LIST_ITEM.match(line)
            return " " * min(len(item.group("content")), len(indent)) if item else ""
    return ""


def _check_markdown(text: str, first_line: int, path: Path) -> None:
    """Inline code of another language is shown as code, with one warning per language and chunk."""
    seen: set[str] = set()
    for match in OTHER_INLINE.finditer(text):
        if match.group("lang") in seen:
            continue
        seen.add(match.group("lang"))
        diagnostics.warn(f"inline code '{{{match.group('lang')}}}' is not run by the embedded engine, which runs "
                         "{python}; it is shown as code (render with quarto for its value)",
                         path=path, line=first_line + text.count("\n", 0, match.start()))


def parse_qmd(text: str, path: Path, *, root: Path | None = None,
              context: shortcodes.ShortcodeContext | None = None, executable: bool = True) -> QmdDocument:
    """Split a Quarto document into its parts; raise ReportError with file and line on unsupported syntax.

    ``root`` is the project root that ``path`` (and the files it includes or embeds) is relative to;
    ``context`` gives the metadata and variables that `meta`, `var` and `env` shortcodes read.
    ``executable=False`` reads Markdown (.md) as Quarto does: ```` ```{python} ```` blocks are shown, not run.
    """
    root = Path(root) if root is not None else Path(".")
    text, source_map = shortcodes.expand_includes(text, path, lambda name: read_source(root / name, name),
                                                  root=root, data_dirs=context.data_dirs if context else ())
    try:
        with diagnostics.placed(source_map.place):
            return _parse_expanded(text, path, root, context, source_map, executable)
    except ReportError as error:
        raise source_map.remap(error) from None


def _parse_expanded(text: str, path: Path, root: Path, context: shortcodes.ShortcodeContext | None,
                    source_map: shortcodes.SourceMap, executable: bool) -> QmdDocument:
    lines = text.splitlines()
    metadata, front, start = _front_matter(lines, path, root)
    metadata = shortcodes.resolve_in_include_texts(metadata, source_map, context)
    chunks: list[Union[MarkdownChunk, CodeCell]] = []
    unrun: list[UnrunCell] = []
    markdown: list[str] = []
    markdown_start = start + 1
    position = start
    cell_count = 0

    def embed(target: str, keywords: dict[str, str], line: int) -> shortcodes.EmbeddedCell:
        return shortcodes.embed_notebook_cell(
            target, keywords, line, path, root, source_map, lambda body, at, where: _cell(-1, body, 0, where),
            lambda text, relative, nested: parse_qmd(text, relative, root=root, context=nested), context)

    def flush(next_line: int) -> None:
        nonlocal markdown, markdown_start
        if markdown:
            chunk_text = "\n".join(markdown)
            _check_markdown(chunk_text, markdown_start, path)
            pieces = shortcodes.resolve_shortcodes(chunk_text, markdown_start, source_map, context, metadata,
                                                   embed)
            for piece, piece_line in pieces:
                if isinstance(piece, str):
                    if piece:
                        chunks.append(MarkdownChunk(piece, piece_line))
                else:
                    chunks.append(piece)
        markdown = []
        markdown_start = next_line

    while position < len(lines):
        line = lines[position]
        fence = FENCE.match(line)
        if fence and fence.group("fence")[0] == "`" and "`" in fence.group("info"):
            fence = None  # ```x``` is inline code: a backtick fence's info string holds no backtick (CommonMark)
        if not fence:
            markdown.append(line)
            position += 1
            continue
        marker = fence.group("fence")
        executable_fence = EXECUTABLE_INFO.match(fence.group("info"))
        language = executable_fence.group("lang") if executable_fence is not None else None
        indent = fence.group("indent")
        if len(indent) > 3 and language is None:  # indented code, or a code block in a list item: Markdown
            markdown.append(line)
            position += 1
            continue
        closing = re.compile(rf"^ {{0,{max(3, len(indent))}}}{re.escape(marker[0])}{{{len(marker)},}}\s*$")
        end = position + 1
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        if end >= len(lines):
            raise ReportError(f"code block opened with {marker} is never closed", path=path, line=position + 1)
        if executable and language is not None and language not in {"python", "mermaid"}:
            diagnostics.warn(f"cell language '{{{language}}}' is not run by the embedded engine, which runs {{python}} "
                             "cells; the cell is shown as code (render with quarto for its output)",
                             path=path, line=position + 1)
        if language is None or not executable or language != "python":
            if language is not None:  # not run: displayed code of its language, as Quarto shows a .md file's cells
                body = lines[position + 1:end]
                if executable:  # its options (`#|`, `%%|` in mermaid ...) are not its code; they say how it shows
                    body, written, options = _unrun_cell_options(body, language, path, position + 1)
                    shown, cell = _unrun_cell_display(options)
                    label = options.get("label")
                    if label and language != "mermaid":  # for an embed of it: a cell the engine does not run
                        written_in, written_at = source_map.place(source_map.document, position + 1)
                        unrun.append(UnrunCell(str(label), language, written_in or path, written_at or position + 1,
                                               "\n".join(body)))
                if executable and language == "mermaid":  # a diagram, as Quarto's mermaid handler gives it
                    from report.document import diagrams

                    markdown.extend(diagrams.mermaid_markdown(body, written, options, position + 1, indent,
                                                              shown.removeprefix(" .cell-code")))
                elif executable:
                    # In a cell div, as Quarto's cells (fig-align its `layout-align`)
                    markdown.append(f"{indent}::::::: {{.cell{cell}}}")
                    markdown.append(f"{indent}{marker}{{.{language}{shown}}}")
                    markdown.extend([*body, lines[end], f"{indent}:::::::"])
                else:
                    markdown.append(f"{indent}{marker}{{.{language}}}")
                    markdown.extend([*body, lines[end]])
            else:
                markdown.extend(lines[position:end + 1])
        else:
            if executable_fence.group("rest").strip(" ,"):
                # Quarto's Jupyter engine reads options from `#|` lines only: those in the header are dropped.
                diagnostics.warn(f"cell options in the cell header ('{fence.group('info')}') are ignored, as Quarto's "
                                 "Jupyter engine ignores them; write them as '#|' lines", path=path, line=position + 1)
            in_item = _item_indent(markdown, indent)
            flush(end + 2)
            body = [text[len(indent):] if text.startswith(indent) else text.lstrip(" ")
                    for text in lines[position + 1:end]]
            cell = replace(_cell(cell_count, body, position + 1, path), indent=in_item)
            cell = shortcodes.resolve_in_options(cell, source_map, context, metadata)
            chunks.append(replace(cell, line=source_map.main_line(cell.line)))
            cell_count += 1
        position = end + 1
    flush(position + 1)

    inline: list[InlineExpression] = []
    for chunk in chunks:
        if isinstance(chunk, MarkdownChunk):
            for match in INLINE_PATTERN.finditer(chunk.text):
                inline.append(InlineExpression(len(inline), match.group("code"), source_map.main_line(
                    chunk.line + chunk.text.count("\n", 0, match.start()))))
    return QmdDocument(path=path, front_matter=front, metadata=metadata, chunks=tuple(chunks), inline=tuple(inline),
                       line_map=source_map, executable=executable, unrun_cells=tuple(unrun))
