"""Filter stages shared by every output format: computed tables, callouts and unsupported Quarto blocks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Mapping

from report.document._ast import Div, Node, Plain, RawBlock, attr_get, stringify, text_inlines, walk
from report.document.columns import COLUMN_CLASSES
from report.errors import ReportError
from report.document.pandoc import convert_cached
from report.document.stylesheets import inline_table_styles
from report.sources import diagnostics
from report.sources.text import read_source

__all__ = ["CALLOUT_KINDS", "callout_options", "callout_parts", "check_unsupported", "prepare_callouts", "resolve_html_outputs"]

CALLOUT_KINDS = ("note", "tip", "warning", "important", "caution")
DIV = frozenset({"Div"})
# A <style> an output wrote for its own table (a pandas Styler's rules for `#T_..._row0_col1`); pandas'
# `<style scoped>` is its notebook look for every data frame, which the site's own table design replaces.
AUTHOR_STYLE = re.compile(r"<style\b(?![^>]*\bscoped\b)[^>]*>.*?</style\s*>", re.DOTALL | re.IGNORECASE)
PANDAS_SHAPE = re.compile(r"[\d,]+ rows × [\d,]+ columns")
CITE = frozenset({"Cite"})
# Quarto div classes whose behaviour this engine does not implement: rejecting them beats rendering them plainly.
UNSUPPORTED_CLASSES = ("panel-", "column-", "page-columns", "callout-", "notes")
SUPPORTED_CLASSES = frozenset({"panel-tabset"}) | COLUMN_CLASSES


def resolve_html_outputs(blocks: list[Node], html_outputs: tuple[str, ...], source: Path) -> list[Node]:
    """Parse the HTML tables that cells printed (pandas DataFrames) into real pandoc tables."""
    if not html_outputs:
        return blocks
    wrapped = "\n".join(f'<div data-report-index="{index}">\n{_flatten_pandas_header(html)}\n</div>'
                        for index, html in enumerate(html_outputs))
    parsed = json.loads(convert_cached(wrapped, ["--from", "html-native_divs+native_divs", "--to", "json"],
                                       what="reading a table output", source=source))
    by_index: dict[str, list[Node]] = {}
    for block in parsed["blocks"]:
        if block["t"] == "Div":
            index = attr_get(block["c"][0], "report-index") or attr_get(block["c"][0], "data-report-index")
            if index is not None:
                styles = [RawBlock("html", style) for style in AUTHOR_STYLE.findall(html_outputs[int(index)])]
                # Quarto's display output: the table, with the style a pandas Styler wrote for its cells.
                by_index[index] = [Div([*styles, *_tables_only(inline_table_styles(block["c"][1]))],
                                       classes=["cell-output", "cell-output-display"])]

    def visit(node: Node):
        if node["t"] == "Div" and "report-html-output" in node["c"][0][1]:
            return by_index.get(attr_get(node["c"][0], "data-index") or "", [])
        return None

    return walk(blocks, visit, DIV)


def _flatten_pandas_header(html: str) -> str:
    """pandas puts a named index in a second header row; one row with the index name first reads better.

    Only the exact pandas pattern is changed: a second header row whose cells after the index names are empty.
    """
    from lxml import html as lxml_html

    if "dataframe" not in html:
        return html
    fragment = lxml_html.fragment_fromstring(html, create_parent="div")
    changed = False
    for table in fragment.iter("table"):
        rows = table.findall("./thead/tr")
        if len(rows) != 2:
            continue
        first, second = ([cell for cell in row if cell.tag in {"th", "td"}] for row in rows)
        names = [cell for cell in second if (cell.text or "").strip()]
        if len(first) != len(second) or not names or any((cell.text or "").strip() for cell in second[len(names):]):
            continue
        if any((cell.text or "").strip() for cell in first[:len(names)]):
            continue
        for target, name in zip(first, names):
            target.text = name.text
        rows[1].getparent().remove(rows[1])
        changed = True
    if not changed:
        return html
    return "".join(lxml_html.tostring(child, encoding="unicode") for child in fragment)


def _tables_only(blocks: list[Node]) -> list[Node]:
    """pandas wraps its table in a div with a <style>; keep the table itself, and the "10 rows × 3 columns"
    that pandas writes below a truncated table (Quarto shows the whole HTML)."""
    found: list[Node] = []
    for block in blocks:
        if block["t"] == "Table":
            found.append(block)
        elif block["t"] in {"Para", "Plain"} and found and PANDAS_SHAPE.fullmatch(stringify(block["c"])):
            found.append({"t": "Para", "c": block["c"]})
        elif block["t"] == "Div":
            found.extend(_tables_only(block["c"][1]))
    return found


def prepare_callouts(blocks: list[Node], labels: Mapping[str, str],
                     defaults: Mapping[str, object] | None = None, source: Path | None = None,
                     line_of=None) -> list[Node]:
    """Normalise callouts before numbering: a leading heading inside a callout is its title, not a section.

    The options `collapse`, `appearance` (default, simple, minimal) and `icon` are kept as attributes, with the
    document's `callout-appearance` and `callout-icon` as defaults (see callout_options).
    """
    defaults = defaults or {}

    def visit(node: Node):
        if node["t"] != "Div":
            return None
        classes = node["c"][0][1]
        kind = next((name.removeprefix("callout-") for name in classes if name.startswith("callout-")
                     and name.removeprefix("callout-") in CALLOUT_KINDS), None)
        if kind is None:
            return None
        body = list(node["c"][1])
        title_attribute = attr_get(node["c"][0], "title")
        titled = "true"
        if title_attribute is not None:
            title = text_inlines(title_attribute)
        elif body and body[0]["t"] == "Header":
            title = body.pop(0)["c"][2]
        else:
            title = text_inlines(labels[kind])
            titled = "false"
        appearance = str(attr_get(node["c"][0], "appearance") or defaults.get("callout-appearance") or "default")
        if appearance not in {"default", "simple", "minimal"}:
            raise ReportError(f"callout appearance must be default, simple or minimal, not '{appearance}'",
                              path=source, line=line_of("appearance") if line_of else None)
        icon = str(attr_get(node["c"][0], "icon") or defaults.get("callout-icon", True)).lower()
        if appearance == "minimal":  # Quarto: minimal is the simple style without an icon
            appearance, icon = "simple", "false"
        collapse = attr_get(node["c"][0], "collapse")
        options = {"data-appearance": appearance, "data-icon": "false" if icon == "false" else "true",
                   "data-titled": titled, "data-kind-name": labels[kind]}
        if collapse is not None:
            options["data-collapse"] = str(collapse).lower()
        return Div([Div([Plain(title)], classes=["report-callout-title"]), *body], node["c"][0][0],
                   ["report-callout", f"callout-{kind}"], options)

    return walk(blocks, visit, DIV)


def callout_parts(node: Node) -> tuple[str, list[Node], list[Node]] | None:
    """For a prepared callout Div: its kind, title inlines and body blocks."""
    if node["t"] != "Div" or "report-callout" not in node["c"][0][1]:
        return None
    kind = next(name.removeprefix("callout-") for name in node["c"][0][1] if name.startswith("callout-"))
    title_div, *body = node["c"][1]
    return kind, title_div["c"][1][0]["c"], body


def callout_options(node: Node) -> dict[str, str]:
    """For a prepared callout Div: appearance (default, simple), icon and titled ('true'/'false'), collapse, and
    the name of its kind ("Note", in the document's language)."""
    attribute = node["c"][0]
    return {"appearance": attr_get(attribute, "data-appearance") or "default",
            "icon": attr_get(attribute, "data-icon") or "true", "titled": attr_get(attribute, "data-titled") or "true",
            "collapse": attr_get(attribute, "data-collapse") or "", "name": attr_get(attribute, "data-kind-name") or ""}


def check_unsupported(blocks: list[Node], source: Path, line_of) -> None:
    """Warn once per div class that Quarto treats specially and the engine does not: such a div renders as a
    plain block (``--strict`` makes the warning an error)."""
    warned: set[str] = set()

    def visit(node: Node):
        for name in node["c"][0][1]:
            if (name.startswith("callout-") and name.removeprefix("callout-") in CALLOUT_KINDS) \
                    or name in SUPPORTED_CLASSES or name in warned:
                continue
            if any(name == prefix or (prefix.endswith("-") and name.startswith(prefix)) for prefix in UNSUPPORTED_CLASSES):
                warned.add(name)
                diagnostics.warn(f"Quarto div class '.{name}' is not implemented by the embedded engine; the div "
                                 "renders as a plain block", path=source, line=line_of("." + name))
        return None

    walk(blocks, visit, DIV)


def bibliography_keys(files: list[Path]) -> set[str]:
    """Citation keys of the bibliography files, read by pandoc itself (BibTeX, BibLaTeX, CSL JSON/YAML)."""
    keys: set[str] = set()
    for file in files:
        data = json.loads(convert_cached(read_source(file),
                                         ["--from", _bibliography_format(file), "--to", "csljson"],
                                         what="reading the bibliography", source=file))
        keys.update(entry["id"] for entry in data)
    return keys


def _bibliography_format(file: Path) -> str:
    return {".bib": "biblatex", ".bibtex": "bibtex", ".json": "csljson", ".yaml": "markdown",
            ".yml": "markdown"}.get(file.suffix.lower(), "biblatex")


def check_citations(blocks: list[Node], keys: set[str], source: Path, line_of) -> None:
    """A citation key missing from the bibliography warns with its file and line, in pandoc's words; citeproc
    then prints it as Quarto shows it, a bold `key?` (``--strict`` makes the warning an error)."""

    def visit(node: Node):
        if node["t"] == "Cite":
            for citation in node["c"][0]:
                if citation["citationId"] not in keys:
                    diagnostics.warn(f"Citeproc: citation {citation['citationId']} not found", path=source,
                                     line=line_of("@" + citation["citationId"]))
        return None

    walk(blocks, visit, CITE)
