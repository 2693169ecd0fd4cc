"""The engine's numbered document as Word shows it: what each neutral structure becomes in the .docx.

- a callout: a bordered one-cell table in the callout's colour, its title in bold on top (as Quarto's docx);
- a tabset: each tab a heading of its own level, unnumbered, followed by its content (as in the PDF);
- a float: its content with the numbered caption ("Figuur 3.1: ...", "Tabel 2.1: ...") in Word's caption
  style, above or below as the float asks, all inside a bookmark named by its label, which cross-references
  link to;
- a figure: a PNG at ``fig-dpi`` (report.outputs.docx._images) with its alt text in the picture's description;
- a table without column widths: across the text width, each column as wide as its content asks;
- code: the cell's code as pandoc's highlighted code block (folding and line numbers are the site's);
- `{{< pagebreak >}}`: a Word page break; margin and column content: in the text where it stands.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Callable

from report.document import authoring, cell_outputs, code, columns, tabsets
from report.document._ast import Div, Node, Para, RawBlock, attr_get, stringify, text_inlines, walk
from report.document.blocks import callout_parts
from report.document.diagrams import diagram_static
from report.document.floats import FLOAT_CLASS, SUBFLOAT_CLASS
from report.document.layout import CELL_CLASS, LAYOUT_CLASS
from report.sources import diagnostics

__all__ = ["docx_blocks", "for_docx", "page_break"]

# The callout colours of the PDF (report.outputs.typst.CALLOUT_COLOURS): border and background.
CALLOUT_COLOURS = {"note": ("0B4F8A", "E7F0F9"), "tip": ("1F6B2F", "E9F5EC"), "warning": ("8A5300", "FDF3E1"),
                   "important": ("A3121B", "FBE9EA"), "caution": ("7A3E00", "FBEEE2")}
PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
_HTML_PAGE_BREAK = '<div style="page-break-after: always;"></div>'  # report.document.columns.pagebreak_blocks


def page_break() -> Node:
    return RawBlock("openxml", PAGE_BREAK)


def _styled(blocks: list[Node], style: str) -> Node:
    """Blocks in a Word paragraph style of the reference document (pandoc's `custom-style`)."""
    return Div(blocks, attributes={"custom-style": style})


def _callout(node: Node) -> list[Node] | None:
    parts = callout_parts(node)
    if parts is None:
        return None
    kind, title, body = parts
    border, fill = CALLOUT_COLOURS[kind]
    edges = "".join(f'<w:{side} w:val="single" w:sz="{24 if side == "left" else 4}" w:space="0" w:color="{border}"/>'
                    for side in ("top", "left", "bottom", "right"))
    opening = ('<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>' + edges + '</w:tblBorders>'
               '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="80" w:type="dxa"/><w:left w:w="160" '
               'w:type="dxa"/><w:bottom w:w="80" w:type="dxa"/><w:right w:w="160" w:type="dxa"/></w:tblCellMar>'
               '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
               'w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid>'
               f'<w:tr><w:tc><w:tcPr><w:tcW w:w="5000" w:type="pct"/><w:shd w:val="clear" w:color="auto" '
               f'w:fill="{fill}"/></w:tcPr>')
    # A table cell must end with a paragraph; the empty one after the table keeps two callouts apart.
    closing = '<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:p></w:tc></w:tr></w:tbl><w:p/>'
    identifier = node["c"][0][0]
    callout = [RawBlock("openxml", opening), _styled([Para(title)], "Callout Title"), *body,
               RawBlock("openxml", closing)]
    return [Div(callout, identifier)] if identifier else callout


def _tabset(node: Node) -> list[Node] | None:
    """Word keeps the source's heading levels (an article's `##` is Heading 2, as in Quarto's docx), so a tab's
    heading is one level below its section's."""
    if node["t"] != "Div" or tabsets.TABSET not in node["c"][0][1]:
        return None
    level = int(attr_get(node["c"][0], "data-level") or "2")
    blocks: list[Node] = []
    for child in node["c"][1]:
        if child["t"] == "Div" and tabsets.TAB in child["c"][0][1]:
            title_div, *content = child["c"][1]
            title = title_div["c"][1][0]["c"]
            blocks += [{"t": "Header", "c": [level, [child["c"][0][0], ["unnumbered", "unlisted"], []], title]},
                       *content]
        else:
            blocks.append(child)
    return blocks


def _float(node: Node) -> list[Node] | None:
    """A numbered float: its content and caption paragraph inside the bookmark of its label."""
    attribute = node["c"][0]
    kind = next(name.removeprefix(f"{FLOAT_CLASS}-") for name in attribute[1]
                if name.startswith(f"{FLOAT_CLASS}-") and name != SUBFLOAT_CLASS)
    *content, caption_div = node["c"][1]
    location = attr_get(attribute, "data-cap-location") or ("top" if kind in {"tbl", "lst"} else "bottom")
    caption_blocks = [Para(block["c"]) if block["t"] == "Plain" else block for block in caption_div["c"][1]]
    caption = _styled(caption_blocks, "Table Caption" if kind == "tbl" else "Image Caption") \
        if any(block["t"] != "Plain" or block["c"] for block in caption_div["c"][1]) else None
    content = [_styled([Para(block["c"])], "Captioned Figure") if kind == "fig" and _only_image(block) else block
               for block in content]
    blocks = ([caption] if caption and location == "top" else []) + content + \
             ([caption] if caption and location != "top" else [])
    return [Div(blocks, attribute[0])]


def _only_image(block: Node) -> bool:
    return block["t"] in {"Para", "Plain"} and any(inline["t"] == "Image" for inline in block["c"]) and all(
        inline["t"] in {"Image", "Space", "SoftBreak"} for inline in block["c"])


def _structures(source: Path) -> Callable[[Node], list[Node] | Node | None]:
    def visit(node: Node):
        kind = node["t"]
        if kind == "RawBlock" and node["c"] == ["html", _HTML_PAGE_BREAK]:
            return page_break()
        if kind == "Span":
            return node["c"][1] if columns.COLUMN_CLASSES & set(node["c"][0][1]) else None
        if kind != "Div":
            return None
        classes = set(node["c"][0][1])
        if cell_outputs.FALLBACK in classes:
            line = attr_get(node["c"][0], "data-cell-line")
            diagnostics.warn(f"cell output {attr_get(node['c'][0], 'data-mime') or 'text/html'} has no static form "
                             "(image/png, image/svg+xml, text/markdown) for Word; "
                             + ("its text/plain is shown instead" if attr_get(node["c"][0], "data-text") != "none"
                                else "the document says so in its place, as Quarto's does"),
                             path=source, line=int(line) if line and line.isdigit() else None)
            return node["c"][1]
        diagram = diagram_static(node, source, "the Word document")
        if diagram is not None:
            return diagram
        if FLOAT_CLASS in classes:
            return _float(node)
        if LAYOUT_CLASS in classes or CELL_CLASS in classes or columns.COLUMN_CLASSES & classes:
            return node["c"][1]  # panels and columns: their content one after another, in the text
        if code.FOLD in classes or "cell" in classes:
            return node["c"][1]  # printed code is never folded; a cell is no block of its own
        if code.ANNOTATIONS in classes:
            return {"t": "DefinitionList", "c": [[text_inlines(attr_get(item["c"][0], "data-term") or ""),
                                                  [item["c"][1]]] for item in node["c"][1]]}
        return _tabset(node) or _callout(node)

    return visit


def _images(picture: Callable[[str, PurePosixPath], str | None], source: Path) -> Callable[[Node], Node | None]:
    """Images as the PNG files ``picture`` gives (None: keep the target), described by their alt text."""
    folder = PurePosixPath(source.parent.as_posix())

    def visit(node: Node):
        attribute, description, (target, title) = node["c"]
        alt = attr_get(attribute, "fig-alt")
        png = picture(target, folder)
        if alt is None and png is None:
            return None
        described = text_inlines(" ".join(alt.split())) if alt is not None else description
        return {"t": "Image", "c": [attribute, described, [png or target, title]]}

    return visit


def _table_widths(node: Node) -> Node | None:
    """A table whose columns have no widths spans the text width, each column as wide as its content asks
    (its longest word whole, a long text at most 30 characters' worth). Without widths pandoc gives
    every column an equal narrow share, which breaks words in LibreOffice."""
    attribute, caption, colspecs, head, bodies, foot = node["c"]
    if not colspecs or any(width["t"] != "ColWidthDefault" for _align, width in colspecs):
        return None
    rows = [*head[1], *(row for body in bodies for row in (*body[2], *body[3])), *foot[1]]
    weights = [4.0] * len(colspecs)
    for row in rows:
        column = 0
        for cell in row[1]:
            text = stringify(cell[4])
            if column < len(weights):
                longest = max((len(word) for word in text.split()), default=0)
                weights[column] = max(weights[column], 1.5 * longest, 0.6 * min(len(text), 30))
            column += cell[3]  # its column span
    total = sum(weights)
    widths = [[align, {"t": "ColWidth", "c": weight / total}] for (align, _width), weight in zip(colspecs, weights)]
    return {"t": "Table", "c": [attribute, caption, widths, head, bodies, foot]}


def docx_blocks(blocks: list[Node], source: Path, picture: Callable[[str, PurePosixPath], str | None]) -> list[Node]:
    """A document's numbered (and anchored) blocks as the docx writer takes them."""
    blocks = walk(blocks, _images(picture, source), {"Image"})
    blocks = walk(blocks, _table_widths, {"Table"})
    return walk(blocks, _structures(source), {"Div", "Span", "RawBlock"})


def for_docx(blocks: list[Node]) -> list[Node]:
    """Conditional content as Word sees it (`when-format="docx"`)."""
    return authoring.for_format(blocks, "docx")
