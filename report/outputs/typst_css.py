"""CSS in `style` attributes, translated to typst as Quarto's `css-property-processing: translate` (its default)
does: the `typst:*` attributes pandoc's typst writer turns into `table.cell(fill: ...)[#set text(fill: ...); ...]`,
`#block(fill: ...)[...]` and `#text(...)[...]`.

- Table cells (head and body): `background-color`, `color` and `opacity`, `font-size`, `font-weight`,
  `font-style`, `vertical-align` and `text-align`; a table's own `font-family` and `font-size`.
- Divs: `font-family`, `font-size`, `font-weight`, `font-style`, `background-color`, `color`.
- Spans: what a cell takes, and a `background-color` as `#highlight(fill: ...)`.

Colours as Quarto writes them: `#rrggbb` (and `#rgb`) stay hex, `rgb()` keeps its components, a name typst knows
stays that name (`white`), another CSS name becomes `rgb(r, g, b)`, `var(--brand-NAME)` is `brand-color.NAME`;
an opacity is folded into the colour's alpha. Lengths: `px` become points (3/4), `%` an `em` share, `rem` the
brand's base size or `em`. Borders and padding are not translated (the engine's tables keep their own rules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from report.document._ast import Node, RawInline, walk
from report.document.stylesheets import declarations_for, stylesheet_rules
from report.sources.brand import css_color_names

__all__ = ["css_colour", "translate_css"]

# typst's own colour names, which Quarto keeps as names (they are not CSS's shades).
_TYPST_NAMES = frozenset({"black", "gray", "silver", "white", "navy", "blue", "aqua", "teal", "eastern", "purple",
                          "fuchsia", "maroon", "red", "orange", "yellow", "olive", "green", "lime"})
_TYPST_NAME_HEX = {"black": "#000", "gray": "#aaa", "silver": "#ddd", "white": "#fff", "navy": "#001f3f",
                   "blue": "#0074d9", "aqua": "#7fdbff", "teal": "#39cccc", "eastern": "#239dad",
                   "purple": "#b10dc9", "fuchsia": "#f012be", "maroon": "#85144b", "red": "#ff4136",
                   "orange": "#ff851b", "yellow": "#ffdc00", "olive": "#3d9970", "green": "#2ecc40",
                   "lime": "#01ff70"}
_WEIGHTS = {"normal": "regular", "ultra-light": "extralight", "extra-light": "extralight", "demi-bold": "semibold",
            "semi-bold": "semibold", "ultra-bold": "extrabold", "extra-bold": "extrabold"}
_PLAIN_WEIGHTS = frozenset({"thin", "light", "regular", "medium", "bold", "black"})
_VERTICAL = {"top": "top", "middle": "horizon", "bottom": "bottom"}
_LENGTH = re.compile(r"([+-]?\d*\.?\d+)(px|pt|in|cm|mm|em|rem|%)")


@dataclass(frozen=True)
class _Colour:
    kind: str  # "hex", "rgb", "named", "brand"
    value: Any  # hex digits, a list of component strings, or a name


def _number(value: float) -> str:
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _parse_colour(text: str) -> _Colour | None:
    text = text.strip()
    lowered = text.lower()
    if re.fullmatch(r"#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})", text):
        return _Colour("hex", lowered[1:])
    if lowered.startswith(("rgb(", "rgba(")) and lowered.endswith(")"):
        inner = lowered[lowered.index("(") + 1:-1]
        parts = [part for part in re.split(r"[\s,/]+", inner) if part]
        return _Colour("rgb", parts) if len(parts) in (3, 4) else None
    brand = re.fullmatch(r"var\(--brand-([\w-]+)\)", text)
    if brand:
        return _Colour("brand", brand.group(1))
    if lowered in css_color_names():
        return _Colour("named", lowered)
    return None


def _opacity(text: str) -> float | None:
    """An opacity as a fraction: `20%` or `0.2`."""
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else min(1.0, float(text))
    except ValueError:
        return None


def _hex_of_name(name: str) -> str:
    return _TYPST_NAME_HEX.get(name) or css_color_names()[name]


def _output_colour(colour: _Colour | None, opacity: float | None = None) -> str | None:
    if colour is None and opacity is None:
        return None
    if colour is None:
        colour = _Colour("rgb", ["0", "0", "0"])
    if opacity is None:
        if colour.kind == "named":
            if colour.value in _TYPST_NAMES:
                return colour.value
            digits = css_color_names()[colour.value].lstrip("#")
            return "rgb(" + ", ".join(str(int(digits[index:index + 2], 16)) for index in (0, 2, 4)) + ")"
        if colour.kind == "brand":
            return f"brand-color.{colour.value}"
    elif colour.kind in ("named", "brand"):
        if colour.kind == "brand":
            return f"brand-color.{colour.value}.transparentize({_number((1 - opacity) * 100)}%)"
        colour = _Colour("hex", _hex_of_name(colour.value).lstrip("#"))
    if colour.kind == "rgb":
        parts = list(colour.value)
        if opacity is not None:
            alpha = _opacity(parts[3]) if len(parts) == 4 else 1.0
            parts = [*parts[:3], f"{_number((alpha if alpha is not None else 1.0) * opacity * 100)}%"]
        return f"rgb({', '.join(parts)})"
    digits = colour.value
    if opacity is not None:
        short = len(digits) <= 4
        alpha = int(digits[3] * 2 if short else digits[6:8], 16) if len(digits) in (4, 8) else 255
        alpha = int(alpha * opacity * 255.9999 / 255)  # as Quarto rounds a share of 256
        digits = (digits[:3] + f"{alpha:02x}"[0]) if short else digits[:6] + f"{alpha:02x}"
    return f'rgb("#{digits}")'


def css_colour(text: str) -> str | None:
    """A CSS colour as Quarto writes it in typst (hex kept, typst's names kept, other names as `rgb(r, g, b)`)."""
    return _output_colour(_parse_colour(text))


def _length(text: str, base_size: str | None) -> str | None:
    found = _LENGTH.fullmatch(text.strip())
    if found is None:
        return "0pt" if text.strip() == "0" else None
    value, unit = float(found.group(1)), found.group(2)
    if unit == "px":
        return f"{_number(value * 0.75)}pt"
    if unit == "%":
        return f"{value / 100:g}em"
    if unit == "rem":
        return f"{found.group(1)}*{base_size}" if base_size else f"{found.group(1)}em"
    return text.strip()


def _weight(text: str) -> str | None:
    word = text.strip().lower()
    if word.isdigit() and 1 <= int(word) <= 1000:
        return word
    word = _WEIGHTS.get(word, word)
    return f'"{word}"' if word in _PLAIN_WEIGHTS or word in _WEIGHTS.values() else None


def _families(text: str) -> str:
    names = [f'"{name.strip().strip(chr(34) + chr(39))}"' for name in text.split(",") if name.strip()]
    return "(" + ", ".join(names) + ("," if len(names) == 1 else "") + ")"


def _declarations(style: str) -> list[tuple[str, str]]:
    pairs = []
    for clause in style.split(";"):
        name, colon, value = clause.partition(":")
        if colon and name.strip() and value.strip():
            pairs.append((name.strip().lower(), value.strip()))
    return pairs


def _text_setting(name: str, value: str, base_size: str | None) -> tuple[str, str] | None:
    """The typst text attribute of a `font-size`, `font-weight` or `font-style` declaration (cells and divs alike);
    None for another property or a value typst cannot take."""
    if name == "font-size" and (size := _length(value, base_size)):
        return "typst:text:size", size
    if name == "font-weight" and (weight := _weight(value)):
        return "typst:text:weight", weight
    if name == "font-style":
        return "typst:text:style", f'"{value}"'
    return None


def _cell_attributes(style: str, base_size: str | None) -> dict[str, str]:
    result: dict[str, str] = {}
    aligns: list[str] = []
    colour: _Colour | None = None
    opacity: float | None = None
    for name, value in _declarations(style):
        if name == "background-color":
            fill = _output_colour(_parse_colour(value))
            if fill:
                result["typst:fill"] = fill
        elif name == "color":
            colour = _parse_colour(value)
        elif name == "opacity":
            opacity = _opacity(value)
        elif text := _text_setting(name, value, base_size):
            result.update([text])
        elif name == "vertical-align" and value in _VERTICAL:
            aligns.append(_VERTICAL[value])
        elif name == "text-align" and value in ("start", "end", "center"):
            aligns.append(value)
    if aligns:
        result["typst:align"] = " + ".join(aligns)
    if colour is not None or opacity is not None:
        fill = _output_colour(colour, opacity)
        if fill:
            result["typst:text:fill"] = fill
    return result


def _div_attributes(style: str, base_size: str | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for name, value in _declarations(style):
        if name == "font-family":
            result["typst:text:font"] = _families(value)
        elif text := _text_setting(name, value, base_size):
            result.update([text])
        elif name in ("background-color", "color") and (fill := _output_colour(_parse_colour(value))):
            result["typst:fill" if name == "background-color" else "typst:text:fill"] = fill
    return result


def _with(attribute: list[Any], extra: dict[str, str]) -> list[Any]:
    identifier, classes, pairs = attribute
    known = {key for key, _ in pairs}
    return [identifier, classes, [*pairs, *([key, value] for key, value in extra.items() if key not in known)]]


def _style(attribute: list[Any]) -> str | None:
    return next((value for key, value in attribute[2] if key == "style"), None)


def translate_css(blocks: list[Node], base_size: str | None = None) -> list[Node]:
    """``blocks`` with the CSS of their tables' cells, divs and spans as `typst:` attributes; ``base_size``: the
    brand's base font size (what `rem` is relative to). A cell also takes the rules of the document's
    stylesheets that name it (by id and classes), before its own `style`."""
    rules = stylesheet_rules(blocks)

    def cell(cell_node: list[Any]) -> list[Any]:
        attribute = cell_node[0]
        style = ";".join(filter(None, (declarations_for(rules, attribute), _style(attribute))))
        return cell_node if not style else [_with(attribute, _cell_attributes(style, base_size)), *cell_node[1:]]

    def rows(rows_list: list[Any]) -> list[Any]:
        return [[row[0], [cell(item) for item in row[1]]] for row in rows_list]

    def visit(node: Node):
        if node["t"] == "Table":
            attribute, caption, specs, head, bodies, foot = node["c"]
            style = _style(attribute)
            if style is not None:
                extra = {("typst:text:font" if name == "font-family" else "typst:text:size"):
                         (_families(value) if name == "font-family" else _length(value, base_size))
                         for name, value in _declarations(style) if name in ("font-family", "font-size")}
                attribute = _with(attribute, {key: value for key, value in extra.items() if value})
            head = [head[0], rows(head[1])]
            bodies = [[body[0], body[1], rows(body[2]), rows(body[3])] for body in bodies]
            return {"t": "Table", "c": [attribute, caption, specs, head, bodies, foot]}
        attribute, content = node["c"]
        style = _style(attribute)
        if style is None:
            return None
        if node["t"] == "Div":
            return {"t": "Div", "c": [_with(attribute, _div_attributes(style, base_size)), content]}
        span = {"t": "Span", "c": [_with(attribute, _cell_attributes(style, base_size)), content]}
        fill = next((_output_colour(_parse_colour(value)) for name, value in _declarations(style)
                     if name == "background-color"), None)
        if fill is None:
            return span
        return [RawInline("typst", f"#highlight(fill: {fill})["), span, RawInline("typst", "]")]

    return walk(blocks, visit, {"Table", "Div", "Span"})
