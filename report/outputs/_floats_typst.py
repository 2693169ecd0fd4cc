"""typst for floats, sub-floats, panel layouts, math and cross-references.

A numbered float is a typst `figure` whose numbering prints the number computed by report.document.crossref
(`numbering: n => "3.2"`), so typst's own caption, list of figures and `#ref(<fig-x>)` show exactly the
text of the HTML site. Sub-floats are figures of their own kind (`quarto-subfloat-fig`, as Quarto's typst
output), each image with its own alt text; layouts are one `grid` per row. A numbered equation is Quarto's
`#math.equation(block: true, numbering: equation-numbering, alt: ..., [ $ ... $ ])<eq-x>`, with the alt text
its `{#eq-x alt="..."}` gives; PDF/UA-1 refuses math without one, as typst does under Quarto.

Placed on the page as Quarto 1.8's typst margin layout places them (report.outputs.margin_layout): a float in
the margin is marginalia's `notefigure` (a panel of sub-floats one `note`), a margin caption a note beside its
float, and a float in a wide column class sits in that `wideblock`.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import PurePosixPath

from report.document._ast import Node, Plain, RawBlock, RawInline, attr_get, stringify, walk
from report.document.columns import MARGIN_ATTRIBUTES, MARGIN_CLASSES, margin_note_opening, wide_typst
from report.document.crossref import EQUATION_CLASS
from report.document.floats import (FLOAT_CLASS, MARGIN_CAPTION_CLASS, SUBFLOAT_CLASS, SUBFLOATS_ATTRIBUTE,
                                    split_caption)
from report.document.layout import LAYOUT_CLASS, panel_rows
from report.errors import ReportError
from report.outputs.typst_targets import float_list_entry

__all__ = ["LISTING_ALIGNMENT", "equation_numbering", "floats_typst", "has_listing", "image_path", "image_source",
           "inlines_typst", "margin_floats", "math_without_alt"]

_KINDS = {"fig": "image", "tbl": "table", "lst": '"quarto-float-lst"'}
# Quarto's rule, written once before the body of a document with listings: a listing's code stays left-aligned
# in its (otherwise centred) figure.
LISTING_ALIGNMENT = '#show figure.where(kind: "quarto-float-lst"): set align(start)'


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


_MARKUP = re.compile(r"([\\#*_\[\]$<>@`~=\-+/'\"])")


def _content(text: str) -> str:
    """Text as a typst content block (`[Figure]`, as Quarto writes a reference's supplement), markup escaped."""
    return "[" + _MARKUP.sub(r"\\\1", text) + "]"


def missing_alt_message(target: str) -> str:
    """Quarto's wording ("missing alt text"), for every image the PDF/UA standard requires it of."""
    return f"image '{target}': missing alt text, which PDF/UA-1 requires (add fig-alt or a description)"


# The cells' figures are written once for every format, in Quarto's html folder (report.document.assemble); the
# PDF reads them from the folder Quarto gives typst, `NAME_files/figure-typst/`.
_CELL_FIGURES, _TYPST_FIGURES = "_files/figure-html/", "_files/figure-typst/"


def typst_figure_path(relative: str) -> str:
    """Where typst reads the file ``relative`` (a path below the project root or a document's folder): a cell
    figure from its `NAME_files/figure-typst/` folder, as Quarto names it; any other file where it is."""
    folder, found, name = relative.partition(_CELL_FIGURES)
    if not found or "/" in name:
        return relative
    return f"{folder}{_TYPST_FIGURES}{name}"


def image_path(target: str, source: PurePosixPath, base: PurePosixPath) -> str:
    """An image's path as Quarto writes it in typst: relative to the folder of the .typ file (``base``, below the
    project root; the single document's own folder, a book's root), so the kept .typ compiles where it lies.
    A URL and a project-absolute `/path` stay as written; a cell's figure is read from `figure-typst`."""
    if "://" in target or target.startswith("/"):
        return target
    in_project = posixpath.normpath((source.parent / target).as_posix())
    if in_project.startswith((source.parent / f"{source.stem}{_CELL_FIGURES}").as_posix() + "/"):
        in_project = typst_figure_path(in_project)
    return posixpath.relpath(in_project, base.as_posix())


def image_source(target: str, source: PurePosixPath, base: PurePosixPath) -> str:
    """The first argument of typst's `image`: the quoted path (image_path). A `data:` URI has become a file in the
    mediabag before this (report.outputs.mediabag), as Quarto extracts such images for typst."""
    return _string(image_path(target, source, base))


def _images(blocks: list[Node], doc, full_width: bool, require_alt: bool, base: PurePosixPath) -> list[Node]:
    """Images as typst `image` calls with their alt text (required where PDF/UA is requested); in a layout cell
    they fill the cell."""
    source = PurePosixPath(doc.source.as_posix())

    def visit(node: Node, boxed: bool = False):
        attribute, description, (target, _title) = node["c"]
        alt = attr_get(attribute, "fig-alt") or stringify(description)
        if not alt and require_alt:
            raise ReportError(missing_alt_message(target), path=doc.source, line=doc.line_of(target))
        width = ", width: 100%" if full_width else ""
        described = f", alt: {_string(alt)}" if alt else ""
        call = f"image({image_source(target, source, base)}{described}{width})"
        return RawInline("typst", f"#box({call})" if boxed else f"#{call}")

    # A link's content is inline: the image in it is boxed, as Quarto writes every image.
    linked = walk(blocks, lambda link: walk(link, lambda image: visit(image, boxed=True), {"Image"}), {"Link"})
    return walk(linked, visit, {"Image"})


def _left_aligned(node: Node):
    # Default alignment would inherit the figure's centring; tables read better left-aligned.
    if node["t"] != "Table":
        return None
    colspecs = [[{"t": "AlignLeft"} if align["t"] == "AlignDefault" else align, width]
                for align, width in node["c"][2]]
    return {"t": "Table", "c": [node["c"][0], node["c"][1], colspecs, *node["c"][3:]]}


def has_listing(blocks: list[Node]) -> bool:
    """Whether ``blocks`` hold a listing float (`#lst-`), which LISTING_ALIGNMENT is written for."""
    found: list[Node] = []

    def visit(node: Node):
        if f"{FLOAT_CLASS}-lst" in node["c"][0][1]:
            found.append(node)
        return None

    walk(blocks, visit, {"Div"})
    return bool(found)


def _float(node: Node, doc, require_alt: bool, base: PurePosixPath) -> list[Node]:
    attribute = node["c"][0]
    identifier, classes = attribute[0], attribute[1]
    kind = next(name.removeprefix(f"{FLOAT_CLASS}-") for name in classes
                if name.startswith(f"{FLOAT_CLASS}-") and name != SUBFLOAT_CLASS)
    sub = SUBFLOAT_CLASS in classes
    number = attr_get(attribute, "data-number")
    title = attr_get(attribute, "data-kind-title") or ""
    chosen = attr_get(attribute, "data-cap-location-typst") or attr_get(attribute, "data-cap-location")
    # A caption in the margin beside its float (Quarto's `cap-location: margin`, `.margin-caption`); a sub-float's
    # caption stays with it, the panel's goes to the margin.
    margin_caption = not sub and (chosen == "margin" or bool({MARGIN_CAPTION_CLASS, "caption-margin"} & set(classes)))
    in_margin = not sub and bool(MARGIN_CLASSES & set(classes))
    location = {"margin": "bottom"}.get(chosen or "", chosen) or ("top" if kind in {"tbl", "lst"} else "bottom")
    if margin_caption and not in_margin:
        location = "top"
    prefix, body = split_caption(node)
    content = walk(_images(node["c"][1][:-1], doc, full_width=sub, require_alt=require_alt, base=base), _left_aligned, {"Table"})
    label = f"<{identifier}>" if identifier else ""
    numbering = None
    if sub:
        caption = prefix + body
        settings = f'kind: "quarto-subfloat-{kind}", supplement: none, numbering: none, outlined: false'
        separator = ""
    elif number is not None and prefix:
        caption = body
        delimiter = stringify(prefix)[len(f"{title}\u00a0{number}"):]
        separator = f"separator: {_string(delimiter)}, "
        numbering = f"n => {_string(number)}"
        settings = f"kind: {_KINDS[kind]}, supplement: {_string(title)}, numbering: {numbering}"
    else:
        caption, separator = body, ""
        settings = f"kind: {_KINDS[kind]}"
    caption_call = (f"caption: figure.caption(position: {location}, {separator}[" if (caption or separator) else "")
    if kind == "lst" and (in_margin or margin_caption):  # no show rule reaches into a note: the code kept left
        content = [RawBlock("typst", "#set align(left)"), *content]
    panel = in_margin and attr_get(attribute, SUBFLOATS_ATTRIBUTE) is not None
    if in_margin and not panel:  # the float in the margin: marginalia's notefigure, which passes the rest to its figure
        note = margin_note_opening(attribute[2], counter="none")
        figure_settings = settings.replace(f", numbering: {numbering}", "") if numbering else settings
        opening = RawBlock("typst", f"#notefigure({note.removeprefix('#note(')[:-2]}, {figure_settings}, [")
        settings_after = ""
    else:
        opening = RawBlock("typst", "#figure([")
        settings_after = f", {settings}"
    if not caption_call:
        blocks = [opening, *content, RawBlock("typst", f"]{settings_after}){label}")]
    else:
        blocks = [opening, *content, Plain([RawInline("typst", f"], {caption_call}"), *caption,
                                            RawInline("typst", f"]){settings_after}){label}")])]
    if in_margin and not panel and numbering:  # notefigure's own `numbering` is its note's: the figure's is set
        blocks = [RawBlock("typst", f"#[#set figure(numbering: {numbering})"), *blocks, RawBlock("typst", "]")]
    if margin_caption and not in_margin:
        blocks = [RawBlock("typst", MARGIN_CAPTION_RULES), *blocks, RawBlock("typst", "]")]
    if panel:  # sub-floats in the margin: the whole figure in one note, as Quarto places its panel
        blocks = [RawBlock("typst", margin_note_opening(attribute[2], counter="none")), *blocks,
                  RawBlock("typst", "]\n\n")]
    return (wide_typst(classes, blocks) or blocks) + _list_entry(node, body, sub)


# Quarto's margin caption: within the float's own scope, its caption is a note in the margin, level with the
# float's top (marginalia's recommended show rule).
MARGIN_CAPTION_RULES = ("#[\n#set figure(gap: 0pt)\n#set figure.caption(position: top)\n"
                        '#show figure.caption: it => note(alignment: "top", dy: -0.01pt, counter: none, '
                        'shift: "avoid", keep-order: true)[#text(size: 0.9em)[#it]]')


def _list_entry(node: Node, body: list[Node], sub: bool) -> list[Node]:
    """The float's entry for the lists of figures and tables ("Figuur 3.1 Short caption"), as metadata
    labelled <report-entry-ID> that the template's outline entries read (definitions.typ)."""
    identifier = node["c"][0][0]
    entry = None if sub or not identifier else float_list_entry(dict(node["c"][0][2]), body)
    if entry is None:
        return []
    return [RawBlock("typst", f"#metadata({_string(entry)})<report-entry-{identifier}>")]


def _panel(node: Node, doc, require_alt: bool, base: PurePosixPath) -> list[Node]:
    blocks: list[Node] = []
    valign = {"top": "top", "center": "horizon", "bottom": "bottom"}.get(attr_get(node["c"][0], "layout-valign")
                                                                          or "", "top")
    for row in panel_rows(node):
        columns = ", ".join(f"{fraction * 100:.4g}fr" for fraction, _cell in row)
        blocks.append(RawBlock("typst", f"#grid(columns: ({columns},), gutter: 1em, align: {valign},"))
        for _fraction, cell in row:
            if cell is None:
                blocks.append(RawBlock("typst", "[],"))
                continue
            blocks += [RawBlock("typst", "["), *_images(cell["c"][1], doc, full_width=True, require_alt=require_alt, base=base),
                       RawBlock("typst", "],")]
        blocks.append(RawBlock("typst", ")"))
    return blocks


def _holds_float(block: Node) -> bool:
    """A float Div, or a cell Div around one (a labelled cell's figure or table)."""
    if block["t"] != "Div":
        return False
    classes = block["c"][0][1]
    return FLOAT_CLASS in classes or ("cell" in classes and any(_holds_float(inner) for inner in block["c"][1]))


def margin_floats(node: Node) -> list[Node] | None:
    """Visitor for Divs, before floats_typst: a margin Div around floats places each float in the margin itself
    (with the Div's alignment, dy and shift) and the rest of its content in margin notes, as Quarto does."""
    attribute = node["c"][0]
    if not MARGIN_CLASSES & set(attribute[1]) or FLOAT_CLASS in attribute[1]:
        return None
    if not any(_holds_float(block) for block in node["c"][1]):
        return None
    placement = [[key, value] for key, value in attribute[2] if key in MARGIN_ATTRIBUTES]
    given = {key for key, _value in placement}

    def place(blocks: list[Node]) -> list[Node]:
        result: list[Node] = []
        for block in blocks:
            if block["t"] == "Div" and FLOAT_CLASS in block["c"][0][1]:
                identifier, classes, attributes = block["c"][0]
                result.append({"t": "Div", "c": [[identifier, [*classes, "column-margin"],
                                                  [pair for pair in attributes if pair[0] not in given] + placement],
                                                 block["c"][1]]})
            elif _holds_float(block):  # a cell: its float placed, its code and other outputs in notes
                result.append({"t": "Div", "c": [block["c"][0], place(block["c"][1])]})
            else:
                result.append({"t": "Div", "c": [["", ["column-margin"], placement], [block]]})
        return result

    return place(node["c"][1])


def floats_typst(node: Node, doc, require_alt: bool, base: PurePosixPath) -> list[Node] | None:
    """Visitor for Divs: floats, sub-floats and layout panels; image paths relative to ``base`` (image_path)."""
    if node["t"] != "Div":
        return None
    classes = node["c"][0][1]
    if FLOAT_CLASS in classes:
        return _float(node, doc, require_alt, base)
    if LAYOUT_CLASS in classes:
        return _panel(node, doc, require_alt, base)
    return None


def inlines_typst(node: Node) -> list[Node] | Node | None:
    """Visitor for Spans and Links: numbered equations as Quarto writes them; float references as #ref.

    Other math is pandoc's own (`$x$`), without alt text, as in Quarto (see math_without_alt)."""
    if node["t"] == "Span" and EQUATION_CLASS in node["c"][0][1]:
        math = next(inline for inline in node["c"][1] if inline["t"] == "Math")
        alt = attr_get(node["c"][0], "alt")
        described = f", alt: {_string(_straight_quotes(alt))}" if alt is not None else ""
        return [RawInline("typst", f"#math.equation(block: true, numbering: equation-numbering{described}, [ "),
                {"t": "Math", "c": [{"t": "DisplayMath"}, math["c"][1]]}, RawInline("typst", f" ])<{node['c'][0][0]}>")]
    if node["t"] == "Link":
        supplement = attr_get(node["c"][0], "data-typst-ref")
        if supplement is not None and node["c"][2][0].startswith("#"):
            return RawInline("typst", f"#ref(<{node['c'][2][0][1:]}>, supplement: {_content(supplement)})")
    return None


def _straight_quotes(text: str) -> str:
    # As Quarto: pandoc's smart quotes in an alt text go back to the straight quotes the author typed.
    return text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")


def math_without_alt(node) -> Node | None:
    """The first math without alt text (typst's PDF/UA-1 refuses it): any but a numbered equation given `alt`."""
    if isinstance(node, list):
        return next((found for item in node if (found := math_without_alt(item)) is not None), None)
    if not isinstance(node, dict) or "t" not in node:
        return None
    if node["t"] == "Math":
        return node
    if node["t"] == "Span" and EQUATION_CLASS in node["c"][0][1] and attr_get(node["c"][0], "alt") is not None:
        return None
    return math_without_alt(node.get("c")) if isinstance(node.get("c"), list) else None


def equation_numbering(documents_blocks) -> str | None:
    """Quarto's `equation-numbering` for the numbered equations' typst numbering; None without any. Where the
    engine's numbers are not typst's plain count (a book numbered per chapter), they are looked up."""
    numbers: list[str] = []
    for blocks in documents_blocks:
        walk(blocks, lambda span: numbers.append(attr_get(span["c"][0], "data-number") or "")
             if EQUATION_CLASS in span["c"][0][1] else None, {"Span"})
    if not numbers:
        return None
    if numbers == [str(count) for count in range(1, len(numbers) + 1)]:
        return '#let equation-numbering = "(1)"\n'
    listed = ", ".join(_string(f"({number})") for number in numbers)
    return f"#let equation-numbering = (..n) => ({listed},).at(n.pos().first() - 1)\n"
