"""`.panel-tabset`: tabs on the site (WAI-ARIA tabs pattern), consecutive headed sections in the PDF.

A tabset is read before numbering: the headings that name its tabs are taken out (they are not sections of
the document, as in Quarto) and the tabset becomes a neutral ``report-tabset`` Div of ``report-tab`` Divs.
Each writer then renders it: HTML as Quarto's `nav-tabs` markup with role=tablist/tab/tabpanel (behaviour in
resources/tabsets.js; the tabs carry no href, so the book's cross-page link fixing never touches them),
typst as unnumbered headings one level below the section holding the tabset, so the
PDF's heading tree stays without gaps (PDF/UA-1).
"""

from __future__ import annotations

import html
import json

from report.document._ast import Div, Node, Plain, RawBlock, attr_get, stringify
from report.document.columns import taken_margin_notes

__all__ = ["prepare_tabsets", "tabset_html", "tabset_typst"]

TABSET, TAB, TAB_TITLE, PANE = "report-tabset", "report-tab", "report-tab-title", "data-pane"


def prepare_tabsets(blocks: list[Node]) -> list[Node]:
    counter = [0]

    def process(items: list[Node], level: int) -> tuple[list[Node], int]:
        result: list[Node] = []
        for block in items:
            if block["t"] == "Header":
                level = block["c"][0]
                result.append(block)
            elif block["t"] == "Div" and "panel-tabset" in block["c"][0][1]:
                result.append(tabset(block, level))
            elif block["t"] == "Div":
                content, level = process(block["c"][1], level)
                result.append({"t": "Div", "c": [block["c"][0], content]})
            else:
                result.append(block)
        return result, level

    def tabset(node: Node, level: int) -> Node:
        counter[0] += 1
        number = counter[0]
        identifier, classes, attributes = node["c"][0]
        children = node["c"][1]
        tab_level = next((child["c"][0] for child in children if child["t"] == "Header"), None)
        leading: list[Node] = []
        tabs: list[tuple[str, list[Node], list[Node], bool]] = []  # id, title, content, chosen as active
        for child in children:
            if child["t"] == "Header" and child["c"][0] == tab_level:
                tab_id = child["c"][1][0] or f"tabset-{number}-{len(tabs) + 1}"
                tabs.append((tab_id, child["c"][2], [], "active" in child["c"][1][1]))
            elif tabs:
                tabs[-1][2].append(child)
            else:
                leading.append(child)
        tab_divs = []
        for position, (tab_id, title, content, active) in enumerate(tabs, start=1):
            inner, _ = process(content, level + 1)
            # The page's pane is `tabset-N-I` whatever the heading's id, as Quarto names it; the PDF keeps the id.
            tab_divs.append(Div([Div([Plain(title)], classes=[TAB_TITLE]), *inner], tab_id,
                                [TAB, *(["active"] if active else [])], {PANE: f"tabset-{number}-{position}"}))
        extra = {key: value for key, value in attributes}
        extra["data-level"] = str(level + 1)
        return Div(leading + tab_divs, identifier or f"tabset-{number}",
                   [TABSET, *(name for name in classes if name != "panel-tabset")], extra)

    return process(blocks, 1)[0]


def _tabs(node: Node, pane_ids: bool = False) -> list[tuple[str, list[Node], list[Node]]]:
    """(id, title, content) of each tab; ``pane_ids``: the id the page gives its pane (`tabset-N-I`)."""
    tabs = []
    for child in node["c"][1]:
        if child["t"] == "Div" and TAB in child["c"][0][1]:
            title_div, *content = child["c"][1]
            identifier = (attr_get(child["c"][0], PANE) if pane_ids else None) or child["c"][0][0]
            tabs.append((identifier, title_div["c"][1][0]["c"], content))
    return tabs


def _active(node: Node) -> int:
    """The tab shown first: the one whose heading has `.active` (as in Quarto), else the first."""
    tabs = [child for child in node["c"][1] if child["t"] == "Div" and TAB in child["c"][0][1]]
    return next((position for position, tab in enumerate(tabs) if "active" in tab["c"][0][1]), 0)


def tabset_html(node: Node) -> list[Node] | None:
    if node["t"] != "Div" or TABSET not in node["c"][0][1]:
        return None
    identifier, classes, _attributes = node["c"][0]
    leading = [child for child in node["c"][1] if not (child["t"] == "Div" and TAB in child["c"][0][1])]
    tabs = _tabs(node, pane_ids=True)
    other = "".join(f" {html.escape(name)}" for name in classes if name != TABSET)
    group = attr_get(node["c"][0], "group")  # Quarto: tabsets of one group switch together, by tab title
    grouped = f' data-group="{html.escape(group)}"' if group else ""
    chosen = _active(node)
    tabs, margin = _margin_content(tabs, chosen)
    blocks: list[Node] = [*leading, *margin,
                          RawBlock("html", f'<div id="{html.escape(identifier)}" class="panel-tabset{other}"'
                                                     f'{grouped}><ul class="nav nav-tabs" role="tablist">')]
    for position, (tab_id, title, _content) in enumerate(tabs):
        active = position == chosen
        blocks += [RawBlock("html", f'<li class="nav-item" role="presentation"><a class="nav-link'
                                    f'{" active" if active else ""}" id="{tab_id}-tab" role="tab" '
                                    f'aria-controls="{tab_id}" aria-selected="{"true" if active else "false"}" '
                                    f'tabindex="{0 if active else -1}">'),
                   Plain(title), RawBlock("html", "</a></li>")]
    blocks.append(RawBlock("html", '</ul><div class="tab-content">'))
    for position, (tab_id, _title, content) in enumerate(tabs):
        active = position == chosen
        blocks += [RawBlock("html", f'<div id="{tab_id}" class="tab-pane{" active" if active else ""}" '
                                    f'role="tabpanel" aria-labelledby="{tab_id}-tab" tabindex="0"'
                                    f'{"" if active else " hidden"}>'),
                   *content, RawBlock("html", "</div>")]
    blocks.append(RawBlock("html", "</div></div>"))
    return blocks


def _margin_content(tabs: list[tuple[str, list[Node], list[Node]]], chosen: int
                    ) -> tuple[list[tuple[str, list[Node], list[Node]]], list[Node]]:
    """The tabs without their margin content (`.column-margin`, `.aside` divs), and that content in a
    `tabset-margin-container` before the tabset, as Quarto moves it: a margin note inside a hidden pane would
    float beside the tabset anyway. Each note is marked with its tab (`tabset-N-I-tab-margin-content`, the class
    Quarto's script toggles) and `collapse` unless its tab is the one shown; tabsets.js shows the shown tab's."""
    kept, notes = [], []
    for position, (tab_id, title, content) in enumerate(tabs):
        content, found = taken_margin_notes(content)
        kept.append((tab_id, title, content))
        marks = ["tabset-margin-content", f"{tab_id}-tab-margin-content", *(["collapse"] if position != chosen else [])]
        notes += [{"t": "Div", "c": [[div["c"][0][0], [*div["c"][0][1], *marks], div["c"][0][2]], div["c"][1]]}
                  for div in found]
    if not notes:
        return kept, []
    return kept, [Div(notes, classes=["tabset-margin-container"])]


def tabset_typst(node: Node, heading_shift: int = 0) -> list[Node] | None:
    """``heading_shift``: how far the typst output moves the document's headings (report.document.article)."""
    if node["t"] != "Div" or TABSET not in node["c"][0][1]:
        return None
    level = max(1, int(attr_get(node["c"][0], "data-level") or "2") + heading_shift)
    leading = [child for child in node["c"][1] if not (child["t"] == "Div" and TAB in child["c"][0][1])]
    blocks: list[Node] = list(leading)
    for tab_id, title, content in _tabs(node):
        # A heading of its own level: not numbered and not in the table of contents, like a tab on the site.
        # `depth`, as the section headings are written: after a part's `heading(offset: 1)` a tab stays one
        # level below its section instead of becoming a chapter (a new page, chapter-size).
        blocks += [RawBlock("typst", f"#heading(depth: {level}, numbering: none, outlined: false)"
                                     f"[{_typst_text(stringify(title))}] <{tab_id}>"), *content]
    return blocks


def _typst_text(text: str) -> str:
    return f"#{json.dumps(text, ensure_ascii=False)}"
