"""typst for floats, sub-floats, panel layouts, math and cross-references.

A numbered float is a typst `figure` whose numbering prints the number computed by report.document.crossref
(`numbering: n => "3.2"`), so typst's own caption, list of figures and `#ref(<fig-x>)` show exactly the
text of the HTML site. A float with sub-floats is Quarto's `#quarto_super(...)` (defined in definitions.typ),
its sub-floats figures of its kind that it letters "(a)", each image with its own alt text. Layouts are Quarto's
grids: in a float `#grid(columns: 2, gutter: 2em, ...)` of blocks; outside one, a grid per row
(`#grid(columns: (1fr, 100pt), gutter: 1em, rows: 1, ...)`), a column as wide as the layout's number, else as its
image. A numbered equation is Quarto's
`#math.equation(block: true, numbering: equation-numbering, alt: ..., [ $ ... $ ])<eq-x>`, with the alt text
its `{#eq-x alt="..."}` gives; PDF/UA-1 refuses math without one, as typst does under Quarto.

Placed on the page as Quarto 1.8's typst margin layout places them (report.outputs.margin_layout): a float in
the margin is marginalia's `notefigure` (a panel of sub-floats one `note`), a margin caption a note beside its
float, and a float in a wide column class sits in that `wideblock`.
"""

from __future__ import annotations

import json
import math
import posixpath
import re
from pathlib import PurePosixPath

from report.document._ast import Node, Plain, RawBlock, RawInline, attr_get, stringify, walk
from report.document.columns import MARGIN_ATTRIBUTES, MARGIN_CLASSES, margin_note_opening, wide_typst
from report.document.crossref import EQUATION_CLASS
from report.document.floats import FLOAT_CLASS, MARGIN_CAPTION_CLASS, SUBFLOAT_CLASS, split_caption
from report.document.layout import GIVEN_WIDTHS_ATTRIBUTE, LAYOUT_CLASS, Slot, panel_rows
from report.document.xref_options import format_label
from report.errors import ReportError
from report.outputs.typst_targets import float_list_entry

__all__ = ["LISTING_ALIGNMENT", "equation_numbering", "floats_typst", "has_listing", "image_path", "image_source",
           "inlines_typst", "margin_floats", "math_without_alt", "typst_length"]

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


# Quarto's pixels per inch for a unitless image width (pandoc's default dpi).
PIXELS_PER_INCH = 96


def typst_length(value: str) -> str:
    """An image dimension as typst takes it: a bare number is pixels at 96 per inch (Quarto's conversion)."""
    try:
        return f"{float(value) / PIXELS_PER_INCH:g}in"
    except ValueError:
        return value


def _is_percent(value: str | None) -> bool:
    return bool(value) and re.fullmatch(r"[\d.]+%", value) is not None


def _images(blocks: list[Node], doc, fill: bool, require_alt: bool, base: PurePosixPath,
            width_in_column: bool = False) -> list[Node]:
    """Images as typst `image` calls with their alt text (required where PDF/UA is requested) and their own
    height and width; with ``fill`` (a layout cell, a sub-float), an image of no size of its own fills its cell.
    ``width_in_column``: a percentage width became the grid column's (a panel's cell), as Quarto moves it."""
    source = PurePosixPath(doc.source.as_posix())

    def visit(node: Node, boxed: bool = False):
        attribute, description, (target, _title) = node["c"]
        alt = attr_get(attribute, "fig-alt") or stringify(description)
        if not alt and require_alt:
            raise ReportError(missing_alt_message(target), path=doc.source, line=doc.line_of(target))
        sizes = [(name, attr_get(attribute, name)) for name in ("height", "width") if attr_get(attribute, name)]
        if width_in_column:
            sizes = [(name, value) for name, value in sizes if not (name == "width" and _is_percent(value))]
        if not fill:
            sizes = []  # a float's own image keeps the size typst gives it
        elif not sizes:
            sizes = [("width", "100%")]
        arguments = [image_source(target, source, base), *([f"alt: {_string(alt)}"] if alt else []),
                     *(f"{name}: {typst_length(value)}" for name, value in sizes)]
        call = f"image({', '.join(arguments)})"
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


def _kind_of(classes: list[str]) -> str:
    return next(name.removeprefix(f"{FLOAT_CLASS}-") for name in classes
                if name.startswith(f"{FLOAT_CLASS}-") and name != SUBFLOAT_CLASS)


def _caption_call(location: str, separator: str, caption: list[Node], closing: str) -> Plain:
    return Plain([RawInline("typst", f"], caption: figure.caption(position: {location}, {separator}["), *caption,
                  RawInline("typst", f"]){closing}")])


def _subfloat(node: Node, doc, require_alt: bool, base: PurePosixPath, labels: list[str]) -> list[Node] | None:
    """Visitor for a float's content: a sub-float as Quarto writes it inside `quarto_super`, a figure of its
    parent's kind whose number and "(a)" the parent's show rules give (definitions.typ); its label is added to
    ``labels``."""
    attribute = node["c"][0]
    if SUBFLOAT_CLASS not in attribute[1]:
        return None
    kind = _kind_of(attribute[1])
    prefix, body = split_caption(node)
    labels.append(stringify(prefix).strip())
    location = attr_get(attribute, "data-cap-location-typst") or attr_get(attribute, "data-cap-location")
    location = location if location in {"top", "bottom"} else "top" if kind in {"tbl", "lst"} else "bottom"
    content = walk(_images(node["c"][1][:-1], doc, fill=True, require_alt=require_alt, base=base), _left_aligned,
                   {"Table"})
    label = f"<{attribute[0]}>" if attribute[0] else ""
    supplement = _string(attr_get(attribute, "data-kind-title") or "")
    settings = f"kind: {_KINDS[kind]}, supplement: {supplement}, outlined: false"
    return [RawBlock("typst", "#figure(["), *content, _caption_call(location, "", body, f", {settings}){label}")]


def _subcaption_numbering(labels: list[str]) -> str:
    """`subcapnumbering` of quarto_super for the sub-floats' labels: Quarto's typst pattern where the labels are
    the pattern's ("(a)", the default subref-labels), else the labels themselves, in order."""
    for pattern, style in _SUBCAPTION_PATTERNS.items():
        if labels == [f"({format_label(style, order)})" for order in range(1, len(labels) + 1)]:
            return _string(pattern)
    return f"n => ({''.join(_string(label) + ', ' for label in labels)}).at(n - 1, default: none)"


# typst's numbering patterns for Quarto's subref-labels styles.
_SUBCAPTION_PATTERNS = {"(a)": "alpha a", "(A)": "alpha A", "(i)": "roman", "(I)": "Roman", "(1)": "arabic"}


def _float(node: Node, doc, require_alt: bool, base: PurePosixPath) -> list[Node]:
    attribute = node["c"][0]
    identifier, classes = attribute[0], attribute[1]
    kind = _kind_of(classes)
    number = attr_get(attribute, "data-number")
    title = attr_get(attribute, "data-kind-title") or ""
    chosen = attr_get(attribute, "data-cap-location-typst") or attr_get(attribute, "data-cap-location")
    # A caption in the margin beside its float (Quarto's `cap-location: margin`, `.margin-caption`); a sub-float's
    # caption stays with it, the panel's goes to the margin.
    margin_caption = chosen == "margin" or bool({MARGIN_CAPTION_CLASS, "caption-margin"} & set(classes))
    in_margin = bool(MARGIN_CLASSES & set(classes))
    location = {"margin": "bottom"}.get(chosen or "", chosen) or ("top" if kind in {"tbl", "lst"} else "bottom")
    if margin_caption and not in_margin:
        location = "top"
    prefix, body = split_caption(node)
    labels: list[str] = []
    inner = walk(node["c"][1][:-1], lambda div: _subfloat(div, doc, require_alt, base, labels), {"Div"})
    inner = [rendered for block in inner for rendered in (
        _float_panel(block, doc, require_alt, base) if block["t"] == "Div" and LAYOUT_CLASS in block["c"][0][1]
        else [block])]
    content = walk(_images(inner, doc, fill=False, require_alt=require_alt, base=base), _left_aligned, {"Table"})
    label = f"<{identifier}>" if identifier else ""
    numbering = None
    if number is not None and prefix:
        caption = body
        delimiter = stringify(prefix)[len(f"{title}\u00a0{number}"):]
        separator = f"separator: {_string(delimiter)}, "
        numbering = f"n => {_string(number)}"
        settings = f"kind: {_KINDS[kind]}, supplement: {_string(title)}, numbering: {numbering}"
    else:
        caption, separator = body, ""
        settings = f"kind: {_KINDS[kind]}"
    if kind == "lst" and (in_margin or margin_caption):  # no show rule reaches into a note: the code kept left
        content = [RawBlock("typst", "#set align(left)"), *content]
    if labels:  # sub-floats: Quarto's quarto_super, in a note of its own when in the margin
        blocks = _super(kind, title, caption, identifier, location, labels, numbering, separator, content)
        if in_margin:
            blocks = [RawBlock("typst", margin_note_opening(attribute[2], counter="none")), *blocks,
                      RawBlock("typst", "]\n\n")]
    elif in_margin:  # the float in the margin: marginalia's notefigure, which passes the rest to its figure
        note = margin_note_opening(attribute[2], counter="none")
        figure_settings = settings.replace(f", numbering: {numbering}", "") if numbering else settings
        opening = RawBlock("typst", f"#notefigure({note.removeprefix('#note(')[:-2]}, {figure_settings}, [")
        blocks = [opening, *content, _caption_call(location, separator, caption, f"){label}")
                  if caption or separator else RawBlock("typst", f"]){label}")]
        if numbering:  # notefigure's own `numbering` is its note's: the figure's is set
            blocks = [RawBlock("typst", f"#[#set figure(numbering: {numbering})"), *blocks, RawBlock("typst", "]")]
    else:
        closing = f", {settings}){label}"
        blocks = [RawBlock("typst", "#figure(["), *content,
                  _caption_call(location, separator, caption, closing) if caption or separator
                  else RawBlock("typst", f"]{closing}")]
    if margin_caption and not in_margin:
        blocks = [RawBlock("typst", MARGIN_CAPTION_RULES), *blocks, RawBlock("typst", "]")]
    return (wide_typst(classes, blocks) or blocks) + _list_entry(node, body)


def _super(kind: str, title: str, caption: list[Node], identifier: str, location: str, labels: list[str],
           numbering: str | None, separator: str, content: list[Node]) -> list[Node]:
    """A float with sub-floats as Quarto writes it: `#quarto_super(kind: ..., caption: [...], label: <id>,
    position: ..., supplement: ..., subcapnumbering: "(a)", [content])`, with the engine's own number and
    caption delimiter as two more arguments (definitions.typ)."""
    label = f"<{identifier}>" if identifier else "none"
    engine = f"numbering: {numbering},\n{separator.strip()}" if numbering else "numbering: none,"
    return [RawBlock("typst", f"#quarto_super(\nkind: {_KINDS[kind]},"),
            Plain([RawInline("typst", "caption: ["), *caption, RawInline("typst", "],")]),
            RawBlock("typst", f"label: {label},\nposition: {location},\nsupplement: {_string(title)},\n"
                              f"subcapnumbering: {_subcaption_numbering(labels)},\n{engine}\n["),
            *content, RawBlock("typst", "])")]


# Quarto's margin caption: within the float's own scope, its caption is a note in the margin, level with the
# float's top (marginalia's recommended show rule).
MARGIN_CAPTION_RULES = ("#[\n#set figure(gap: 0pt)\n#set figure.caption(position: top)\n"
                        '#show figure.caption: it => note(alignment: "top", dy: -0.01pt, counter: none, '
                        'shift: "avoid", keep-order: true)[#text(size: 0.9em)[#it]]')


def _list_entry(node: Node, body: list[Node]) -> list[Node]:
    """The float's entry for the lists of figures and tables ("Figuur 3.1 Short caption"), as metadata
    labelled <report-entry-ID> that the template's outline entries read (definitions.typ)."""
    identifier = node["c"][0][0]
    entry = None if not identifier else float_list_entry(dict(node["c"][0][2]), body)
    if entry is None:
        return []
    return [RawBlock("typst", f"#metadata({_string(entry)})<report-entry-{identifier}>")]


def _number(width: float) -> str:
    """A width as written (`1`, `1.5`), as Quarto writes the layout's numbers."""
    return str(int(width)) if width == int(width) else repr(width)


def _valign(panel: Node) -> str:
    """` align: ...,` for a panel's explicit layout-valign (Quarto's typst grid has no alignment of its own)."""
    valign = attr_get(panel["c"][0], "layout-valign")
    return f" align: {_VALIGNS[valign]}," if valign in _VALIGNS else ""


_VALIGNS = {"top": "top", "center": "horizon", "bottom": "bottom"}


def _layout_image(cell: Node) -> Node | None:
    """The image that is the cell's figure: a paragraph of one image (or one linked image), as Quarto finds it."""
    for block in cell["c"][1]:
        if block["t"] not in {"Para", "Plain"}:
            continue
        inlines = [inline for inline in block["c"] if inline["t"] not in {"Space", "SoftBreak"}]
        if len(inlines) == 1 and inlines[0]["t"] == "Link":
            inlines = [inline for inline in inlines[0]["c"][1] if inline["t"] not in {"Space", "SoftBreak"}]
        if len(inlines) == 1 and inlines[0]["t"] == "Image":
            return inlines[0]
    return None


def _column(slot: Slot, given: bool) -> str:
    """A grid column as Quarto sizes it: the layout's own number in `fr`; else the width of the cell's image (a
    unitless one pixels at 96 per inch, `1.041667in`; a percentage to a tenth), else `1fr`."""
    if given or slot.cell is None:
        return f"{_number(slot.width)}fr"
    image = _layout_image(slot.cell)
    width = attr_get(image["c"][0], "width") if image is not None else None
    if not width:
        return "1fr"
    if _is_percent(width):
        return f"{math.floor(float(width[:-1]) * 10 + 0.5) / 10}%"
    try:
        return f"{float(width) / PIXELS_PER_INCH:.6f}in"
    except ValueError:
        return width


def _panel(node: Node, doc, require_alt: bool, base: PurePosixPath) -> list[Node]:
    """A layout outside a float, as Quarto writes it: one grid per row, each cell a borderless full-width rect."""
    given = attr_get(node["c"][0], GIVEN_WIDTHS_ATTRIBUTE) is not None
    blocks: list[Node] = []
    for row in panel_rows(node):
        columns = ", ".join(_column(slot, given) for slot in row)
        blocks += [RawBlock("typst", "#grid("),
                   RawBlock("typst", f"columns: ({columns}), gutter: 1em, rows: 1,{_valign(node)}")]
        for slot in row:
            content = [] if slot.cell is None else _images(
                slot.cell["c"][1], doc, fill=True, require_alt=require_alt, base=base,
                width_in_column=not given and _is_percent(_column(slot, given)))
            blocks += [RawBlock("typst", "  rect(stroke: none, width: 100%)["), *content, RawBlock("typst", "],")]
        blocks.append(RawBlock("typst", ")\n"))
    return blocks


def _float_panel(node: Node, doc, require_alt: bool, base: PurePosixPath) -> list[Node]:
    """A float's layout, as Quarto writes it: one grid of N equal columns (`#grid(columns: 2, gutter: 2em,`),
    each cell a block; a layout of unequal widths or with spacers one grid per row, in its widths."""
    rows = panel_rows(node)
    slots = [slot for row in rows for slot in row]
    count = len(rows[0]) if rows else 1
    equal = (all(slot.cell is not None for slot in slots) and len({slot.width for slot in slots}) <= 1
             and all(len(row) == count for row in rows[:-1]))
    grids = [slots] if equal else rows
    blocks: list[Node] = []
    for slots in grids:
        columns = str(count) if equal else f"({', '.join(f'{_number(slot.width)}fr' for slot in slots)})"
        blocks.append(RawBlock("typst", f"#grid(columns: {columns}, gutter: 2em,{_valign(node)}"))
        for slot in slots:
            if slot.cell is None:
                blocks.append(RawBlock("typst", "  [],"))
                continue
            content = _images(slot.cell["c"][1], doc, fill=True, require_alt=require_alt, base=base)
            blocks += [RawBlock("typst", "  ["), RawBlock("typst", "#block["), *content, RawBlock("typst", "]"),
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


def floats_typst(blocks: list[Node], doc, require_alt: bool, base: PurePosixPath) -> list[Node]:
    """Floats (with their sub-floats and layouts), then the layouts outside floats, in typst; image paths relative
    to ``base`` (image_path)."""

    def float_visitor(node: Node) -> list[Node] | None:
        classes = node["c"][0][1]
        if FLOAT_CLASS in classes and SUBFLOAT_CLASS not in classes:  # a sub-float is its parent's to write
            return _float(node, doc, require_alt, base)
        return None

    def panel_visitor(node: Node) -> list[Node] | None:
        return _panel(node, doc, require_alt, base) if LAYOUT_CLASS in node["c"][0][1] else None

    return walk(walk(blocks, float_visitor, {"Div"}), panel_visitor, {"Div"})


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
