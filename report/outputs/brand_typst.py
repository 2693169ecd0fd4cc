"""A brand (report.sources.brand) in typst, in the forms Quarto's typst output uses.

The header of the typst source declares ``brand-color`` (palette and theme colours), ``brand-color-background``
(each colour mixed into the background, for callouts), ``brand-logo`` and ``brand-logo-images`` (always, empty
``(:)`` without a brand, so a template may ask ``brand-color.at("primary", default: ...)``), and sets the page
and text colours, heading, code and link styles the brand gives. The template partials get
``brand.typography.*`` as metadata (``font: $brand.typography.base.family$`` and the rest), as Quarto hands them.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from report.sources.brand import Brand, parse_color

__all__ = ["CALLOUT_THEME_COLORS", "callout_colors", "typst_color", "typst_header", "typst_metadata"]

# Which theme colour a callout kind takes (Quarto's callout_theme_color_map; caution takes none).
CALLOUT_THEME_COLORS = {"note": "primary", "warning": "warning", "important": "danger", "tip": "success"}
_WEIGHTS = {"thin": "thin", "hairline": "thin", "extralight": "extralight", "ultralight": "extralight",
            "light": "light", "normal": "regular", "regular": "regular", "medium": "medium", "semibold": "semibold",
            "demibold": "semibold", "bold": "bold", "extrabold": "extrabold", "ultrabold": "extrabold",
            "black": "black", "heavy": "black"}


def typst_color(value: str) -> str:
    """A CSS colour as typst writes it: ``rgb("#447099")`` (hex in lower case)."""
    text = str(value).strip()
    if re.fullmatch(r"#[0-9a-fA-F]{3,8}", text):
        return f'rgb("{text.lower()}")'
    rgb = parse_color(text)
    if rgb is not None:
        return 'rgb("#' + "".join(f"{round(channel * 255):02x}" for channel in rgb) + '")'
    return text  # a typst colour name (blue, black ...)


def _family_list(family: Any) -> str:
    names = family if isinstance(family, list) else str(family).split(",")
    names = [str(name).strip().strip("'\"") for name in names if str(name).strip()]
    return "(" + ", ".join(f'"{name}"' for name in names) + ("," if len(names) == 1 else "") + ")"


def _weight(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (int, float)) or str(value).isdigit():
        return int(value)
    return _WEIGHTS.get(str(value).lower(), str(value))


def _length(value: Any, element: str = "") -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    match = re.fullmatch(r"(-?[\d.]+)\s*(px|pt|em|rem|in|cm|mm|%)?", text)
    if not match:
        return text
    number, unit = match.groups()
    if unit == "px":
        return f"{float(number) * 0.75:g}pt"
    if unit == "rem":
        return f"{number}em"
    return f"{number}{unit or 'pt'}"


def _leading(line_height: Any) -> str | None:
    """CSS line-height -> typst leading: an approximation (typst issue 159), as Quarto makes it."""
    if isinstance(line_height, (int, float)) and not isinstance(line_height, bool):
        return f"{line_height - 0.75:g}em"
    return None


def _quoted(value: Any) -> Any:
    return f'"{value}"' if isinstance(value, str) else value


def _dict(entries: Mapping[str, Any], indent: str = "") -> str | None:
    """A typst dictionary, sorted by key, one entry a line (Quarto's layout)."""
    inside = indent + "  "
    lines = []
    for key in sorted(entries):
        value = entries[key]
        if isinstance(value, Mapping):
            value = _dict(value, inside)
        if value is not None:
            lines.append(f"{key}: {value}")
    if not lines:
        return None
    return "(\n" + inside + (",\n" + inside).join(lines) + "\n" + indent + ")"


def _arguments(**entries: Any) -> str:
    return "".join(f"{key.replace('_', '-')}: {value}, " for key, value in entries.items() if value is not None)


def _typography(brand: Brand, element: str) -> dict[str, Any]:
    return dict(brand.typography.get(element) or {})


def typst_header(brand: Brand | None, mode: str = "light") -> str:
    """The declarations and settings the typst source starts with (Quarto's typst-brand-yaml filter)."""
    colors = dict(brand.colors) if brand else {}
    dark = mode == "dark"
    backgrounds = {}
    for name in colors:
        if "background" in colors:
            share = 50 if dark else 15
            backgrounds[name] = (f"color.mix((brand-color.{name}, {share}%), "
                                 f"(brand-color.background, {100 - share}%))")
        else:
            backgrounds[name] = f"brand-color.{name}.lighten(85%)"
    lines = [f"#let brand-color = {_dict({name: typst_color(value) for name, value in colors.items()}) or '(:)'}",
             f"#let brand-color-background = {_dict(backgrounds) or '(:)'}"]
    if "background" in colors:
        lines.append("#set page(fill: brand-color.background)")
    if "foreground" in colors:
        lines += ["#set text(fill: brand-color.foreground)",
                  "#set table.hline(stroke: (paint: brand-color.foreground))",
                  "#set line(stroke: (paint: brand-color.foreground))"]
    if brand and brand.images:
        lines.append("#let brand-logo-images = " + _dict({name: {"path": _quoted(image.path), "alt": _quoted(image.alt)}
                                                           for name, image in brand.images.items()}))
    logos = {size: {"path": _quoted(logo.path), "alt": _quoted(logo.alt)} for size, logo in
             (brand.logos.items() if brand else ())}
    lines.append(f"#let brand-logo = {_dict(logos) or '(:)'}")
    if brand is None:
        return "\n".join(lines) + "\n"
    base = _typography(brand, "base")
    if base:
        lines.append(f"#set text({_arguments(weight=_quoted(_weight(base.get('weight'))))})")
    if _leading(base.get("line-height")):
        lines.append(f"#set par(leading: {_leading(base.get('line-height'))})")
    headings = _typography(brand, "headings")
    if headings:
        lines.append("#show heading: set text(" + _arguments(
            font=_family_list(headings["family"]) if headings.get("family") else None,
            weight=_quoted(_weight(headings.get("weight"))), style=_quoted(headings.get("style")),
            fill=typst_color(headings["color"]) if headings.get("color") else None) + ")")
    if _leading(headings.get("line-height")):
        lines.append(f"#show heading: set par(leading: {_leading(headings.get('line-height'))})")
    for element, selector in (("monospace-inline", "raw.where(block: false)"), ("monospace-block", "raw.where(block: true)")):
        style = _typography(brand, element)
        if style:
            lines.append(f"#show {selector}: set text(" + _arguments(
                weight=_quoted(_weight(style.get("weight"))), size=_length(style.get("size")),
                fill=typst_color(style["color"]) if style.get("color") else None) + ")")
        if style.get("background-color"):
            fill = typst_color(style["background-color"])
            lines.append(f"#show {selector}: content => highlight(fill: {fill}, content)" if element.endswith("inline")
                         else f"#show {selector}: set block(fill: {fill})")
    link = _typography(brand, "link")
    if link or "primary" in colors:
        colour = link.get("color") or colors.get("primary")
        lines.append("#show link: set text(" + _arguments(
            weight=_quoted(_weight(link.get("weight"))), fill=typst_color(colour) if colour else None) + ")")
    if link.get("decoration") == "underline":
        lines.append("#show link: content => underline(content)")
    return "\n".join(lines) + "\n"


def typst_metadata(brand: Brand | None) -> dict[str, Any]:
    """``brand.typography`` for the template partials: typst values (family lists, weights, colours, lengths)."""
    from report.document.pandoc import RawMeta

    if brand is None:
        return {}
    typography: dict[str, Any] = {}
    base = _typography(brand, "base")
    if base:
        typography["base"] = {key: value for key, value in {
            "family": RawMeta("typst", _family_list(base["family"])) if base.get("family") else None,
            "size": _length(base.get("size"), "base")}.items() if value is not None}
    headings = _typography(brand, "headings")
    foreground = brand.color("foreground")
    if headings or base or foreground:
        family = headings.get("family") or base.get("family")
        colour = headings.get("color") or foreground
        weight = _weight(headings.get("weight") or base.get("weight"))
        typography["headings"] = {key: value for key, value in {
            "family": RawMeta("typst", _family_list(family)) if family else None,
            "weight": RawMeta("typst", str(_quoted(weight))) if weight is not None else None,
            "style": headings.get("style") or base.get("style"),
            "color": RawMeta("typst", typst_color(colour)) if colour else None,
            "line-height": _leading(headings.get("line-height") or base.get("line-height"))}.items()
            if value is not None}
    monospace = _typography(brand, "monospace")
    if monospace.get("family"):
        typography["monospace"] = {"family": RawMeta("typst", _family_list(monospace["family"]))}
    return {"typography": typography} if typography else {}


def callout_colors(brand: Brand | None, defaults: Mapping[str, tuple[str, str]],
                   mode: str = "light") -> dict[str, tuple[str, str]]:
    """Per callout kind, the typst expressions of its icon (stroke) and background colours: the brand's theme
    colour where the brand gives one (Quarto's mapping), else the engine's colours mixed into the brand's
    background, else the engine's own."""
    colours = {}
    for kind, (stroke, fill) in defaults.items():
        theme = CALLOUT_THEME_COLORS.get(kind)
        if brand is not None and theme and brand.color(theme):
            colours[kind] = (f"brand-color.{theme}", f"brand-color-background.{theme}")
        elif brand is not None and brand.color("background"):
            share = 50 if mode == "dark" else 15
            colours[kind] = (f'rgb("{stroke}")', f'color.mix((rgb("{stroke}"), {share}%), '
                                                 f'(brand-color.background, {100 - share}%))')
        else:
            colours[kind] = (f'rgb("{stroke}")', f'rgb("{fill}")')
    return colours
