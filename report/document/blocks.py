"""Filter stages shared by every output format: computed tables, callouts and unsupported Quarto blocks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping

from report.document._ast import Div, Node, Plain, attr_get, text_inlines, walk
from report.errors import ReportError
from report.document.pandoc import convert_cached

__all__ = ["CALLOUT_KINDS", "callout_parts", "check_unsupported", "prepare_callouts", "resolve_html_outputs"]

CALLOUT_KINDS = ("note", "tip", "warning", "important", "caution")
DIV = frozenset({"Div"})
CITE = frozenset({"Cite"})
# Quarto div classes whose behaviour this engine does not implement: rejecting them beats rendering them plainly.
UNSUPPORTED_CLASSES = ("panel-tabset", "panel-", "column-", "content-visible", "content-hidden", "page-columns",
                       "callout-", "notes", "aside")


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
                by_index[index] = [inner for inner in _tables_only(block["c"][1])]

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
    """pandas wraps its table in a div with a <style>; keep the table itself."""
    found: list[Node] = []
    for block in blocks:
        if block["t"] == "Table":
            found.append(block)
        elif block["t"] == "Div":
            found.extend(_tables_only(block["c"][1]))
    return found


def prepare_callouts(blocks: list[Node], labels: Mapping[str, str]) -> list[Node]:
    """Normalise callouts before numbering: a leading heading inside a callout is its title, not a section."""

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
        if title_attribute is not None:
            title = text_inlines(title_attribute)
        elif body and body[0]["t"] == "Header":
            title = body.pop(0)["c"][2]
        else:
            title = text_inlines(labels[kind])
        return Div([Div([Plain(title)], classes=["report-callout-title"]), *body], node["c"][0][0],
                   ["report-callout", f"callout-{kind}"])

    return walk(blocks, visit, DIV)


def callout_parts(node: Node) -> tuple[str, list[Node], list[Node]] | None:
    """For a prepared callout Div: its kind, title inlines and body blocks."""
    if node["t"] != "Div" or "report-callout" not in node["c"][0][1]:
        return None
    kind = next(name.removeprefix("callout-") for name in node["c"][0][1] if name.startswith("callout-"))
    title_div, *body = node["c"][1]
    return kind, title_div["c"][1][0]["c"], body


def check_unsupported(blocks: list[Node], source: Path, line_of) -> None:
    def visit(node: Node):
        if node["t"] != "Div":
            return None
        for name in node["c"][0][1]:
            if name.startswith("callout-") and name.removeprefix("callout-") in CALLOUT_KINDS:
                continue
            if any(name == prefix or (prefix.endswith("-") and name.startswith(prefix)) for prefix in UNSUPPORTED_CLASSES):
                raise ReportError(f"unsupported Quarto div class '.{name}': the embedded engine supports only the "
                                  "syntax listed in the README", path=source, line=line_of("." + name))
        return None

    walk(blocks, visit, DIV)


def bibliography_keys(files: list[Path]) -> set[str]:
    """Citation keys of the bibliography files, read by pandoc itself (BibTeX, BibLaTeX, CSL JSON/YAML)."""
    keys: set[str] = set()
    for file in files:
        data = json.loads(convert_cached(file.read_text(encoding="utf-8"),
                                         ["--from", _bibliography_format(file), "--to", "csljson"],
                                         what="reading the bibliography", source=file))
        keys.update(entry["id"] for entry in data)
    return keys


def _bibliography_format(file: Path) -> str:
    return {".bib": "biblatex", ".bibtex": "bibtex", ".json": "csljson", ".yaml": "markdown",
            ".yml": "markdown"}.get(file.suffix.lower(), "biblatex")


def check_citations(blocks: list[Node], keys: set[str], source: Path, line_of) -> None:
    """Every citation key must exist, so a typo fails with its file and line instead of rendering '???'."""

    def visit(node: Node):
        if node["t"] == "Cite":
            for citation in node["c"][0]:
                if citation["citationId"] not in keys:
                    raise ReportError(f"unresolved citation '@{citation['citationId']}': no entry with this key in "
                                      "the bibliography", path=source, line=line_of("@" + citation["citationId"]))
        return None

    walk(blocks, visit, CITE)
