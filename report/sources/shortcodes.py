"""Quarto shortcodes in `.qmd` sources: `include`, `meta`, `var`, `env`, `pagebreak`, `kbd` and `embed`.

`include` is expanded first, on the text, before cells are found (as Quarto does), so an included file may hold
cells of its own. Every expanded line remembers the file and line it came from, so errors name the included
file. The other shortcodes are resolved in the Markdown between cells: values (`meta`, `var`, `env`) become
text, `pagebreak` and `kbd` become raw output per format, `embed` becomes the stored output of a notebook cell.
An unknown shortcode is shown as written, with a warning naming file, line and shortcode (as Quarto does);
`{{{< x >}}}` renders `{{< x >}}` literally.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from report.errors import ReportError
from report.sources import diagnostics
from report.sources.format_names import writer_names
from report.sources.builtin_shortcodes import BUILTIN, expand_builtin
from report.sources.paths import inside_project
from report.sources.resolved import resolve_format
from report.sources.text import parse_notebook, read_source

__all__ = ["EmbeddedCell", "ShortcodeContext", "SourceMap", "expand_includes", "resolve_in_include_texts",
           "resolve_shortcodes"]

SHORTCODE = re.compile(r"(?P<open>\{\{\{?)<\s*(?P<body>.*?)\s*>(?P<close>\}\}\}?)", re.DOTALL)
INCLUDE_LINE = re.compile(r"^\s*\{\{<\s*include\s+(?P<args>.*?)\s*>\}\}\s*$")
FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
KNOWN = ("include", "meta", "var", "env", "pagebreak", "kbd", "embed")
KEYWORD = re.compile(r"^[A-Za-z_][\w-]*=")
KBD_OS = {"mac": "mac", "win": "windows", "linux": "linux"}


@dataclass(frozen=True)
class Origin:
    path: Path  # the file the line is written in (relative to the project root, like the document's path)
    line: int  # 1-based line in that file
    main_line: int  # the line in the document itself (for an included line: the line of its `include`)


@dataclass(frozen=True)
class SourceMap:
    """Where each line of the expanded text comes from."""

    document: Path
    origins: tuple[Origin, ...]

    def origin(self, line: int | None) -> Origin | None:
        if line is None or not self.origins:
            return None
        return self.origins[min(max(line, 1), len(self.origins)) - 1]

    def main_line(self, line: int | None) -> int | None:
        origin = self.origin(line)
        return origin.main_line if origin else line

    def error(self, message: str, line: int | None) -> ReportError:
        """An error at expanded ``line``, naming the file and line it was written in."""
        origin = self.origin(line)
        if origin is None:
            return _PlacedError(message, path=self.document, line=line)
        return _PlacedError(message, path=origin.path, line=origin.line)

    def place(self, path: Path | None, line: int | None) -> tuple[Path | None, int | None]:
        """A place in the expanded text (this document, expanded ``line``) as the file and line it came from."""
        origin = self.origin(line) if path == self.document else None
        return (origin.path, origin.line) if origin is not None else (path, line)

    def remap(self, error: ReportError) -> ReportError:
        """An error found in the expanded text, pointed at the file and line the text was written in."""
        if isinstance(error, _PlacedError) or error.path != self.document or error.line is None:
            return error
        origin = self.origin(error.line)
        if origin is None or (origin.path == self.document and origin.line == error.line):
            return error
        return ReportError(error.message, path=origin.path, line=origin.line)


class _PlacedError(ReportError):
    """A ReportError whose file and line already name the source it was written in."""


def _front_matter_end(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        for end in range(1, len(lines)):
            if lines[end].strip() in {"---", "..."}:
                return end + 1
    return 0


def expand_includes(text: str, path: Path, read: Callable[[Path], str], *, root: Path,
                    data_dirs: tuple[Path, ...] = ()) -> tuple[str, SourceMap]:
    """Replace every `{{< include file >}}` line by the file's text, recursively (paths as `resolve_path`).

    ``read`` returns a file's text given its path as the document's (relative to the project ``root``); a
    file outside the project or in a data folder is refused (report.sources.paths).
    """
    origins: list[Origin] = []
    output: list[str] = []

    def expand(current: Path, content: str, chain: tuple[Path, ...], main_line: int | None) -> None:
        lines = content.splitlines()
        start = _front_matter_end(lines) if not chain[:-1] else 0
        fence: str | None = None
        for number, line in enumerate(lines, start=1):
            here = main_line if main_line is not None else number
            opened = FENCE.match(line)
            if opened and opened.group("fence")[0] == "`" and "`" in line[opened.end():]:
                opened = None  # ```x``` is inline code, not a fence (as report.sources.qmd reads it)
            if fence is not None:
                if opened and opened.group("fence")[0] == fence[0] and len(opened.group("fence")) >= len(fence) \
                        and not line.strip()[len(opened.group("fence")):].strip():
                    fence = None
            elif opened:
                fence = opened.group("fence")
            elif number > start:
                match = INCLUDE_LINE.match(line)
                if match:
                    names = _split_arguments(match.group("args"), current, number)
                    if len(names) != 1:
                        raise ReportError("include takes exactly one file name: {{< include FILE >}}",
                                          path=current, line=number)
                    target = resolve_path(names[0], path, root, what="included file", place=(current, number),
                                          data_dirs=data_dirs)
                    if target in chain:
                        cycle = " -> ".join(item.as_posix() for item in (*chain[chain.index(target):], target))
                        raise ReportError(f"include cycle: {cycle}", path=current, line=number)
                    try:
                        included = read(target)
                    except FileNotFoundError:
                        raise ReportError(f"included file '{names[0]}' does not exist "
                                          f"(looked for {target.as_posix()})", path=current, line=number) from None
                    expand(target, included, (*chain, target), here)
                    continue
            output.append(line)
            origins.append(Origin(current, number, here))

    expand(path, text, (path,), None)
    return "\n".join(output) + ("\n" if text.endswith("\n") else ""), SourceMap(path, tuple(origins))


def resolve_path(name: str, document: Path, root: Path, *, what: str, place: tuple[Path | None, int | None],
                 data_dirs: tuple[Path, ...] = ()) -> Path:
    """A path named in a document, relative to the project root; one outside it is an error at ``place``.

    As in Quarto, an include pastes text into the document, so every relative path (of a nested include or an
    embed too) is relative to the document's own folder; a path starting with '/' is relative to the project root.
    """
    return inside_project(root, document.parent, name, what=what, path=place[0], line=place[1], data_dirs=data_dirs)


def _split_arguments(text: str, path: Path, line: int) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError as error:
        raise ReportError(f"cannot read the shortcode's arguments '{text}': {error}", path=path, line=line) from None


@dataclass(frozen=True)
class ShortcodeContext:
    """What the value shortcodes read: metadata layers, `_variables.yml`, the environment."""

    root: Path  # the project root
    project_metadata: Mapping[str, Any] = field(default_factory=dict)
    variables: Mapping[str, Any] | None = None  # _variables.yml; None: the project has none
    environment: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    embedding: tuple[Path, ...] = ()  # the documents whose `embed` led to this one, against embed cycles
    data_dirs: tuple[Path, ...] = ()  # folders no include or embed may read (report.sources.paths)

    @classmethod
    def for_project(cls, root: Path, project_metadata: Mapping[str, Any]) -> "ShortcodeContext":
        from report.sources._yaml import load_yaml

        variables = None
        variables_file = root / inside_project(root, Path("."), "_variables.yml", what="variables file",
                                               path="_variables.yml")  # not a link to a file elsewhere
        if variables_file.is_file():
            variables, _lines = load_yaml(read_source(variables_file, "_variables.yml"), Path("_variables.yml"))
            variables = variables or {}
            if not isinstance(variables, dict):
                raise ReportError("_variables.yml must be a YAML mapping", path="_variables.yml", line=1)
        return cls(root=root, project_metadata=dict(project_metadata), variables=variables)


_MISSING = object()


def lookup(data: Any, dotted: str) -> Any:
    """``key.subkey.2``: a list item is counted from 1 and ``\\.`` is a dot within a key, as in Quarto's
    metadata lookup (its Lua tables count from 1)."""
    value = data
    for part in re.split(r"(?<!\\)\.", dotted):
        part = part.replace("\\.", ".")
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and 1 <= int(part) <= len(value):
            value = value[int(part) - 1]
        else:
            return _MISSING
    return value


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_as_text(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class EmbeddedCell:
    """The stored outputs of a labelled notebook cell, shown where `{{< embed >}}` stands."""

    line: int  # line of the shortcode in the document
    cell: Any  # report.sources.qmd.CodeCell with the notebook cell's options
    outputs: tuple[dict[str, Any], ...] | None  # None: from a .qmd, filled in once that document has run
    source: Path  # the notebook or document, relative to the project root
    document: Any = None  # a .qmd target: its QmdDocument, executed with the others (report.render.execute)
    target_index: int | None = None  # a .qmd target: the index of the embedded cell in its document
    code: str = ""  # a chunk without own text: QmdDocument.line_of finds nothing in it
    notebook_title: str = ""  # the title its "Source" link shows (report.outputs.notebook_links)
    cell_id: str = ""  # the notebook cell's id, the anchor of its "Source" link

    def with_results(self, outputs: dict[int, list[dict[str, Any]]]) -> "EmbeddedCell":
        """A .qmd embed with the outputs of its target document's run."""
        from dataclasses import replace

        return replace(self, outputs=tuple(outputs.get(self.target_index, [])))


def _raw(fmt: str, text: str) -> str:
    ticks = "`"
    while ticks in text:
        ticks += "`"
    return f"{ticks}{text}{ticks}{{={fmt}}}"


def _kbd(arguments: list[str], keywords: dict[str, str], error, warn: Callable[[str], None]) -> str:
    """`{{< kbd KEYS [mac=..] [win=..] [linux=..] [mode=plain] >}}` as Quarto's kbd extension renders it: in HTML a
    `<kbd>` whose title lists every variant (a screen reader reads the hidden copy), elsewhere the keys as code.
    What Quarto shows as `?kbd:...` (an unknown mode or OS) is shown so here too, an unknown OS with a warning."""
    keywords = dict(keywords)
    mode = keywords.pop("mode", "") or None
    if mode is not None and mode != "plain":
        return _shortcode_error("kbd", f"unknown mode: {mode}, supported modes are: plain")
    if mode == "plain" and not arguments:
        return _shortcode_error("kbd", "plain mode requires a positional argument")
    if mode == "plain" and keywords:
        return _shortcode_error("kbd", "plain mode does not accept OS-specific arguments")
    unknown = [key for key in keywords if key not in KBD_OS]
    if unknown:
        warn(f"unknown os name in kbd shortcode: {unknown[0]}, supported names are: win, mac, linux")
        return _shortcode_error("kbd", f"unknown os name: {unknown[0]}")
    if not arguments and not keywords:
        raise error("kbd needs a key combination: {{< kbd Ctrl-C >}}")
    if len(arguments) > 1:
        raise error("kbd takes one key combination; give others as mac=, win=, linux=")
    default = arguments[0] if arguments else ""

    def code(value: str) -> str:
        ticks = "`"
        while ticks in value:
            ticks += "`"
        return f"{ticks} {value} {ticks}" if value.startswith("`") or value.endswith("`") else f"{ticks}{value}{ticks}"

    if mode == "plain":
        html = f'<kbd data-mode="plain" class="kbd">{_html_escape(default)}</kbd>'
        return _raw("html", html) + f'[{code(default)}]{{.content-visible unless-format="html"}}'
    data = "".join(f' data-{KBD_OS[key]}="{_html_escape(value)}"' for key, value in sorted(keywords.items()))
    # The title names every variant, sorted as Quarto sorts them (the plain keys, then "linux: ...", ...).
    title = ", ".join(sorted([f"{KBD_OS[key]}: {value}" for key, value in keywords.items()]
                             + ([default] if arguments else [])))
    html = (f'<kbd title="{_html_escape(title)}" aria-hidden="true"{data}>{_html_escape(default)}</kbd>'
            f'<span class="visually-hidden">{_html_escape(default)}</span>')
    if arguments:
        text = code(default)
        if keywords:
            text += " (" + "; ".join(f"{KBD_OS[key]}: {code(value)}" for key, value in keywords.items()) + ")"
    else:
        text = ", ".join(f"{code(value)} ({KBD_OS[key]})" for key, value in keywords.items())
    # Other formats get the keys as code, as Quarto's kbd does outside HTML.
    return _raw("html", html) + f'[{text}]{{.content-visible unless-format="html"}}'


def _shortcode_error(name: str, message: str) -> str:
    """What Quarto shows for a shortcode it cannot expand: `?name:message` in bold."""
    return f"**?{name}:{_markdown_escape(message)}**"


def _html_escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _markdown_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>#|$@~^])", r"\\\1", text)


# One line, so later lines keep their numbers; report.document.quarto_blocks turns it into raw output per format.
PAGEBREAK = "[]{.report-pagebreak}"


def resolve_shortcodes(text: str, first_line: int, source_map: SourceMap, context: ShortcodeContext | None,
                       document_metadata: Mapping[str, Any], embed: Callable[[str, dict[str, str], int], Any]
                       ) -> list[tuple[str | Any, int]]:
    """The Markdown ``text`` (starting at expanded line ``first_line``) with its shortcodes resolved.

    Returns (piece, first line) pairs: text, with an embedded cell (whatever ``embed`` returns) between
    them where an `{{< embed >}}` stands.
    """
    pieces: list[tuple[str | Any, int]] = []
    piece_line = first_line
    position = 0
    buffer: list[str] = []
    for match in SHORTCODE.finditer(text):
        buffer.append(text[position:match.start()])
        position = match.end()
        line = first_line + text.count("\n", 0, match.start())
        if match.group("open") == "{{{" and match.group("close") == "}}}":
            buffer.append("{{< " + match.group("body") + " >}}")  # escaped: the literal shortcode
            continue
        if match.group("open") != "{{" or match.group("close") != "}}":
            buffer.append(match.group(0))
            continue

        def error(message: str, line: int = line) -> ReportError:
            return source_map.error(message, line)

        origin = source_map.origin(line)
        try:
            words = shlex.split(match.group("body").replace("\n", " "))
        except ValueError as problem:
            raise error(f"cannot read the shortcode '{match.group(0)}': {problem}") from None
        if not words:
            raise error("empty shortcode '{{< >}}'")
        name, rest = words[0], words[1:]
        # name=value is a keyword (as Quarto reads it); a URL with `?v=` stays a positional argument
        arguments = [word for word in rest if not KEYWORD.match(word)]
        keywords = dict(word.split("=", 1) for word in rest if KEYWORD.match(word))
        if name == "include":
            raise error("include must stand alone on its line: {{< include FILE >}}")
        if name == "pagebreak":
            buffer.append(PAGEBREAK)
        elif name == "kbd":
            where = origin or Origin(source_map.document, line, line)
            buffer.append(_kbd(arguments, keywords, error,
                               lambda message, where=where: diagnostics.warn(message, path=where.path,
                                                                             line=where.line)))
        elif name in {"meta", "var"}:
            if len(arguments) != 1:
                raise error(f"{name} takes one key: {{{{< {name} KEY >}}}}")
            where = origin or Origin(source_map.document, line, line)
            buffer.append(_value(name, arguments[0], context, document_metadata, error,
                                 lambda message, where=where: diagnostics.warn(message, path=where.path,
                                                                               line=where.line)))
        elif name == "env":
            if not arguments or len(arguments) > 2:
                raise error("env takes a variable name and an optional default: {{< env NAME [DEFAULT] >}}")
            environment = context.environment if context else os.environ
            value = environment.get(arguments[0])
            if value is None:
                if len(arguments) < 2:
                    raise error(f"environment variable '{arguments[0]}' is not set (give a default: "
                                f"{{{{< env {arguments[0]} DEFAULT >}}}})")
                value = arguments[1]
            buffer.append(_markdown_escape(value))
        elif name == "embed":
            if len(arguments) != 1:
                raise error("embed takes one target: {{< embed NOTEBOOK.ipynb#LABEL >}}")
            pieces.append(("".join(buffer), piece_line))
            buffer = []
            embedded = embed(arguments[0], keywords, line)  # a whole notebook: its cells, one after another
            pieces.extend((piece, line) for piece in (embedded if isinstance(embedded, list) else [embedded]))
            piece_line = first_line + text.count("\n", 0, match.end())
        elif name in BUILTIN:
            buffer.append(expand_builtin(name, arguments, keywords, line, error,
                                         in_target=bool(buffer) and buffer[-1].endswith("](")))
        elif name == "brand" and context is not None and (expanded := _brand(
                arguments, context, document_metadata, source_map.document,
                origin or Origin(source_map.document, line, line))) is not None:
            buffer.append(expanded)
        elif (expanded := _extension_shortcode(name, arguments, keywords, context, document_metadata,
                                               source_map.document)) is not None:
            buffer.append(expanded)
        else:
            # An unknown name ends here. As Quarto: a warning, the shortcode as written.
            where = origin or Origin(source_map.document, line, line)
            if name != "brand" or context is None:  # a brand shortcode that names nothing was warned about
                diagnostics.warn(f"Shortcode '{name}' not found", path=where.path, line=where.line)
            buffer.append(_markdown_escape(match.group(0)))
    buffer.append(text[position:])
    pieces.append(("".join(buffer), piece_line))
    return pieces


def _brand(arguments: list[str], context: ShortcodeContext, document_metadata: Mapping[str, Any], document: Path,
           where: "Origin") -> str | None:
    """`{{< brand ... >}}` (report.sources.brand_shortcode) in ``document``, written at ``where``; None: it names
    nothing, and was warned about."""
    from report.sources.brand_shortcode import expand_brand

    return expand_brand(arguments, context.root, context.project_metadata, document_metadata, document,
                        lambda message: diagnostics.warn(message, path=where.path, line=where.line))


def _extension_shortcode(name: str, arguments: list[str], keywords: dict[str, str], context: ShortcodeContext | None,
                         document_metadata: Mapping[str, Any], document: Path) -> str | None:
    """A Lua shortcode of an extension in `_extensions/` (report.sources.extensions); None: none defines it."""
    from report.sources.extensions import run_shortcode, shortcode_scripts

    if context is None:
        return None
    scripts = shortcode_scripts(context.root, document)
    if not scripts:
        return None
    metadata = {fmt: resolve_format(fmt, context.project_metadata, document_metadata).metadata() for fmt in writer_names()}
    return run_shortcode(name, arguments, keywords, scripts, metadata, context.variables, context.root, document)


CAPTION_OPTIONS = ("fig_cap", "fig_alt", "tbl_cap", "code_summary")


def resolve_in_options(cell: Any, source_map: SourceMap, context: ShortcodeContext | None,
                       document_metadata: Mapping[str, Any]) -> Any:
    """Shortcodes in a cell's captions, alt text and code summary (Markdown in Quarto too)."""
    def resolve(value: str) -> str:
        def no_embed(target: str, keywords: dict[str, str], line: int) -> Any:
            raise source_map.error("embed cannot stand in a cell option", line)

        pieces = resolve_shortcodes(value, cell.line, source_map, context, document_metadata, no_embed)
        return "".join(piece for piece, _line in pieces)

    updates = {}
    for name in CAPTION_OPTIONS:
        value = getattr(cell.options, name, None)
        if isinstance(value, str) and "{{" in value:
            updates[name] = resolve(value)
        elif isinstance(value, list) and any("{{" in str(item) for item in value):
            updates[name] = [resolve(str(item)) for item in value]
    if not updates:
        return cell
    from dataclasses import replace

    return replace(cell, options=cell.options.model_copy(update=updates))


_VALUE_SHORTCODE = re.compile(r"\{\{<\s*(var|meta)\s+([^\s>]+)\s*>\}\}")


def expand_values(text: str, context: ShortcodeContext, place: Path) -> str:
    """``text`` from a project file (a website's title) with its `var` and `meta` shortcodes replaced by their
    plain values, as Quarto resolves them in project options; an unknown key warns and shows ?var:key."""
    def value(match: re.Match) -> str:
        def error(message: str) -> ReportError:
            return ReportError(message, path=place)

        markdown = _value(match.group(1), match.group(2), context, {}, error,
                          lambda message: diagnostics.warn(message, path=place))
        return re.sub(r"\\(.)", r"\1", markdown.replace("**", ""))

    return _VALUE_SHORTCODE.sub(value, text)


_INCLUDE_KEYS = ("include-in-header", "include-before-body", "include-after-body")


def resolve_in_include_texts(metadata: Mapping[str, Any], source_map: SourceMap, context: ShortcodeContext | None
                             ) -> Mapping[str, Any]:
    """``metadata`` with shortcodes resolved in its `include-*: text:` entries (document and format level): Quarto
    hands that text to pandoc as metadata, where its shortcodes are resolved; a file's contents stay as written."""
    def resolve(value: str) -> str:
        def no_embed(target: str, keywords: dict[str, str], line: int) -> Any:
            raise source_map.error("embed cannot stand in an include's text", line)

        return "".join(piece for piece, _line in resolve_shortcodes(value, 1, source_map, context, metadata, no_embed))

    def entries(value: Any) -> Any:
        if isinstance(value, list):
            return [entries(item) for item in value]
        if isinstance(value, dict) and isinstance(value.get("text"), str) and "{{" in value["text"]:
            return {**value, "text": resolve(value["text"])}
        return value

    def level(options: Mapping[str, Any]) -> dict[str, Any]:
        return {key: entries(value) if key in _INCLUDE_KEYS else value for key, value in options.items()}

    resolved = level(metadata)
    if isinstance(metadata.get("format"), dict):
        resolved["format"] = {name: level(options) if isinstance(options, dict) else options
                              for name, options in metadata["format"].items()}
    return resolved


def _unknown(name: str, key: str) -> str:
    """What Quarto shows for a `var` or `meta` key it cannot find: `?meta:key` in bold."""
    return _shortcode_error(name, key)


def _value(name: str, key: str, context: ShortcodeContext | None, document_metadata: Mapping[str, Any],
           error, warn: Callable[[str], None]) -> str:
    """A `var` or `meta` value as Markdown; a key that is not there is a warning and `?var:key` / `?meta:key`,
    as Quarto shows it."""
    if name == "var":
        variables = context.variables if context else None
        if variables is None:
            warn(f"var '{key}': the project has no _variables.yml; shown as ?var:{key}, as in Quarto")
            return _unknown(name, key)
        value = lookup(variables, key)
        if value is _MISSING:
            warn(f"var '{key}' is not defined in _variables.yml; shown as ?var:{key}, as in Quarto")
            return _unknown(name, key)
        if isinstance(value, dict):
            raise error(f"var '{key}' is a mapping; name one of its keys ({', '.join(map(str, value))})")
        return _markdown_escape(_as_text(value))
    project = context.project_metadata if context else {}
    from report.sources.rights import normalized_rights

    values = {fmt: lookup(normalized_rights(resolve_format(fmt, project, document_metadata).metadata()), key)
              for fmt in writer_names()}
    if all(value is _MISSING for value in values.values()):
        warn(f"meta '{key}' is not set in the document's or project's metadata; shown as ?meta:{key}, as in Quarto")
        return _unknown(name, key)
    if any(isinstance(value, dict) for value in values.values()):
        raise error(f"meta '{key}' is a mapping; name one of its keys")
    texts = {fmt: "" if value is _MISSING else _as_text(value) for fmt, value in values.items()}
    if len(set(texts.values())) == 1:
        return texts["html"]  # metadata values are Markdown, as in Quarto
    # Format-level metadata differs: each output gets its own value.
    from report.document.conditional import writer_only_markdown

    return "".join(writer_only_markdown(text, fmt) for fmt, text in texts.items())


def embed_notebook_cell(target: str, keywords: dict[str, str], line: int, document: Path, root: Path,
                        source_map: SourceMap, parse_cell: Callable[[list[str], int, Path], Any],
                        parse_document: Callable[[str, Path, "ShortcodeContext"], Any],
                        context: ShortcodeContext | None = None) -> EmbeddedCell | list[EmbeddedCell]:
    """`{{< embed notebook.ipynb#label >}}`: the stored outputs of the notebook cell labelled ``label``;
    `{{< embed notebook.ipynb >}}`: those of every cell of the notebook, in order.

    A `.qmd` target is parsed here and executed later with the render's documents (its outputs then fill in).

    ``parse_cell(lines, line, path)`` reads a cell's `#|` options (and code) as for a `.qmd` cell;
    ``parse_document(text, path, context)`` reads an embedded `.qmd` (report.sources.qmd.parse_qmd).
    """
    def error(message: str) -> ReportError:
        return source_map.error(message, line)

    name, _hash, label = target.partition("#")
    if not label and not name.endswith(".ipynb"):
        raise error(f"embed '{target}' names no cell: write {{{{< embed {name}#LABEL >}}}}")
    unknown = [key for key in keywords if key != "echo"]
    if unknown:
        raise error(f"embed: unknown option '{unknown[0]}' (supported: echo)")
    relative = resolve_path(name, document, root, what="embed", place=source_map.place(source_map.document, line),
                            data_dirs=context.data_dirs if context else ())
    if relative.suffix == ".qmd":
        return _embed_document_cell(name, label, keywords, line, root, relative, source_map, context, error,
                                    parse_document)
    if relative.suffix != ".ipynb":
        raise error(f"embed '{target}': the target must be a notebook (.ipynb) or a document (.qmd)")
    file = root / relative
    if not file.is_file():
        raise error(f"embedded notebook '{name}' does not exist (looked for {relative.as_posix()})")
    try:
        notebook = parse_notebook(read_source(file, relative))
    except (OSError, ValueError) as problem:  # nbformat raises ValueError subclasses for bad JSON or schema
        raise error(f"embedded notebook '{name}' cannot be read: {problem}") from None
    echo = keywords.get("echo", "false").lower() == "true"
    title = notebook_title(notebook, relative.name)

    def embedded(cell: Any, parsed: Any, cell_label: str | None) -> EmbeddedCell:
        options = parsed.options.model_copy(update={"echo": echo, "eval": False, "label": cell_label})
        code_cell = type(parsed)(index=-1, line=source_map.main_line(line) or line, code=parsed.code,
                                 options=options)
        return EmbeddedCell(line=line, cell=code_cell, outputs=tuple(json_plain(output) for output in cell.outputs),
                            source=relative, notebook_title=title, cell_id=str(cell.get("id") or ""))

    labels: list[str] = []
    whole: list[EmbeddedCell] = []  # no label: every cell's outputs, as Quarto embeds a whole notebook
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        parsed = parse_cell(cell.source.splitlines(), line, relative)
        cell_label = parsed.options.label or cell.get("metadata", {}).get("label")
        if not label:
            if cell.get("outputs"):
                whole.append(embedded(cell, parsed, cell_label))
            continue
        if cell_label:
            labels.append(cell_label)
        if cell_label != label:
            continue
        if not cell.get("outputs"):
            raise error(f"cell '{label}' of '{name}' has no stored outputs: run the notebook and save it")
        return embedded(cell, parsed, label)
    if not label:
        return whole
    known = f" (labelled cells: {', '.join(labels)})" if labels else " (it has no labelled cells)"
    raise error(f"notebook '{name}' has no cell labelled '{label}'{known}")


def _embed_document_cell(name: str, label: str, keywords: dict[str, str], line: int, root: Path, relative: Path,
                         source_map: SourceMap, context: ShortcodeContext | None, error,
                         parse_document: Callable[[str, Path, "ShortcodeContext"], Any]) -> EmbeddedCell:
    """`{{< embed doc.qmd#label >}}`: as Quarto, the document is executed (with the render's other documents)."""
    context = context or ShortcodeContext(root=root)
    if relative in context.embedding or relative == source_map.document:
        raise error(f"embed cycle: {' -> '.join(p.as_posix() for p in (*context.embedding, source_map.document))} "
                    f"-> {relative.as_posix()}")
    file = root / relative
    if not file.is_file():
        raise error(f"embedded document '{name}' does not exist (looked for {relative.as_posix()})")
    nested = replace(context, embedding=(*context.embedding, source_map.document))
    document = parse_document(read_source(file, relative), relative, nested)
    cell = next((cell for cell in document.cells if cell.options.label == label), None)
    echo = keywords.get("echo", "false").lower() == "true"
    if cell is None:
        unrun = next((unrun for unrun in document.unrun_cells if unrun.label == label), None)
        if unrun is not None:
            title = document.metadata.get("title")
            return (embed_div_open(relative, source_map.document, str(title) if title else relative.name, label)
                    + _embed_unrun_cell(name, unrun, echo, line, source_map) + EMBED_FENCE + "\n")
        labels = [*(cell.options.label for cell in document.cells if cell.options.label),
                  *(unrun.label for unrun in document.unrun_cells)]
        known = f" (labelled cells: {', '.join(labels)})" if labels else " (it has no labelled cells)"
        raise error(f"document '{name}' has no cell labelled '{label}'{known}")
    options = cell.options.model_copy(update={"echo": echo, "eval": False})
    shown = type(cell)(index=-1, line=source_map.main_line(line) or line, code=cell.code, options=options)
    title = document.metadata.get("title")
    return EmbeddedCell(line=line, cell=shown, outputs=None, source=relative, document=document,
                        target_index=cell.index, notebook_title=str(title) if title else relative.name,
                        cell_id=label)


_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*(?:\{[^}]*\})?\s*#*\s*$")
_FENCE_OPEN = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_SETEXT_UNDERLINE = re.compile(r"^(=+|-+)\s*$")


def notebook_title(notebook: Any, file_name: str) -> str:
    """The title Quarto shows for an embedded notebook: the `title:` of a cell's YAML front matter, else the
    first heading of a Markdown cell, also after other text (not a `#` line in a fenced block or a code cell,
    which is a comment), else the file name."""
    import yaml

    for cell in notebook.cells:
        if cell.get("cell_type") not in {"markdown", "raw"}:
            continue
        text = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        lines = text.splitlines()
        if lines and lines[0].strip() == "---":
            end = next((index for index, line in enumerate(lines[1:], 1) if line.strip() in {"---", "..."}), None)
            try:
                front = yaml.safe_load("\n".join(lines[1:end])) if end else None
            except yaml.YAMLError:
                front = None
            if isinstance(front, dict) and front.get("title"):
                return str(front["title"])
            lines = lines[end + 1:] if end else lines
        if cell.get("cell_type") != "markdown":
            continue
        fence = None
        previous = ""
        for line in lines:
            if fence is not None:  # closed by a run of its character at least as long
                closing = _FENCE_OPEN.match(line)
                if closing and not line[closing.end():].strip() and closing.group("fence")[0] == fence[0] \
                        and len(closing.group("fence")) >= len(fence):
                    fence = None
                continue
            if (opened := _FENCE_OPEN.match(line)) is not None:
                fence = opened.group("fence")
            elif (heading := _HEADING.match(line)) is not None:
                return heading.group("text")
            elif _SETEXT_UNDERLINE.match(line) and previous.strip():
                return previous.strip()
            previous = line
    return file_name


EMBED_FENCE = "::::::::::::::::"


def embed_div_open(source: Path, document: Path, title: str, cell_id: str) -> str:
    """The opening of the Div Quarto puts an embed's cells in: the notebook or document ``source`` (relative to
    ``document``'s folder; both relative to the project root), its title and the first cell's id, which the HTML
    writer turns into the "Source" link (report.outputs.notebook_links)."""
    def quoted(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    notebook = os.path.relpath(source.as_posix(), document.parent.as_posix() or ".").replace(os.sep, "/")
    return (f"\n{EMBED_FENCE} {{.quarto-embed-nb-cell notebook={quoted(notebook)} notebook-title={quoted(title)} "
            f"notebook-cellId={quoted(cell_id)}}}\n")


def _embed_unrun_cell(name: str, cell: Any, echo: bool, line: int, source_map: SourceMap) -> str:
    """An embedded cell of a language the embedded engine does not run (report.sources.qmd.UnrunCell): it has no
    output, so the embed shows its code when `echo=true` and nothing of it otherwise (the HTML page links its
    document's preview, report.outputs.notebook_links), with a warning saying so
    (Quarto runs the cell with its own engine and shows its output)."""
    shown = "its code is shown (echo=true)" if echo else "it is left out (echo=true would show its code)"
    diagnostics.warn(f"embed '{name}#{cell.label}': the cell ({cell.path.as_posix()}:{cell.line}) is a "
                     f"{{{cell.language}}} cell, which the embedded engine does not run, so it has no output to "
                     f"embed: {shown}; render with quarto for its output",
                     path=source_map.document, line=line)
    if not echo:
        return "\n"
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", cell.code)), default=0))
    return f"\n::: {{.cell}}\n{fence}{{.{cell.language} .cell-code}}\n{cell.code}\n{fence}\n:::\n"


def json_plain(value: Any) -> Any:
    import json

    return json.loads(json.dumps(value))
