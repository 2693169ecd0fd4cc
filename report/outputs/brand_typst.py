"""A brand (report.sources.brand) in typst, in the forms Quarto's typst output uses.

The header of the typst source declares ``brand-color`` (palette and theme colours), ``brand-color-background``
(each colour mixed into the background, for callouts), ``brand-logo`` and ``brand-logo-images`` (always, empty
``(:)`` without a brand, so a template may ask ``brand-color.at("primary", default: ...)``), and sets the page
and text colours, heading, code and link styles the brand gives. The template partials get
``brand.typography.*`` as metadata (``font: $brand.typography.base.family$`` and the rest), as Quarto hands them.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import PurePosixPath
from typing import Any, Mapping

from report.outputs.typst_css import css_colour
from report.sources.brand import Brand, parse_color

__all__ = ["CALLOUT_THEME_COLORS", "anchored_logo_option", "callout_colors", "code_block_background", "logo_option_files", "typst_color",
           "typst_header", "typst_logo", "typst_metadata"]

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
    if re.fullmatch(r"[a-zA-Z]+", text):  # a CSS name: typst's own names stay, others as Quarto writes them
        named = css_colour(text.lower())
        if named is not None:
            return named
    channels = re.fullmatch(r"rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)", text)
    if channels:
        return "rgb(" + ", ".join(channels.groups()) + ")"
    rgb = parse_color(text)
    if rgb is None:  # report.sources.brand lets only colours through
        raise ValueError(f"not a colour: {value!r}")
    return 'rgb("#' + "".join(f"{round(channel * 255):02x}" for channel in rgb) + '")' 


def _family_list(family: Any) -> str:
    names = family if isinstance(family, list) else str(family).split(",")
    names = [str(name).strip().strip("'\"") for name in names if str(name).strip()]
    return "(" + ", ".join(f'"{name}"' for name in names) + ("," if len(names) == 1 else "") + ")"


def _weight(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (int, float)) or str(value).isdigit():
        return int(value)
    return _WEIGHTS.get(str(value).lower().replace("-", ""), str(value))


def _length(value: Any, element: str = "", base_size: Any = None) -> str | None:
    """A CSS length in typst; `rem` is relative to the brand's base size (``base_size``) where it is absolute, as
    Quarto writes it (`0.57*14pt`), else `em`."""
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
        base = _length(base_size) if base_size is not None else None
        return f"{number}*{base}" if base and not base.endswith("em") else f"{number}em"
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
                weight=_quoted(_weight(style.get("weight"))), size=_length(style.get("size"), element, base.get("size")),
                fill=typst_color(style["color"]) if style.get("color") else None) + ")")
        if style.get("background-color"):
            fill = typst_color(style["background-color"])
            lines.append(f"#show {selector}: content => highlight(fill: {fill}, content)" if element.endswith("inline")
                         else f"#show {selector}: set block(fill: {fill})")
        if element.endswith("block") and _leading(style.get("line-height")):
            lines.append(f"#show {selector}: set par(leading: {_leading(style.get('line-height'))})")
    link = _typography(brand, "link")
    if link or "primary" in colors:
        colour = link.get("color") or colors.get("primary")
        lines.append("#show link: set text(" + _arguments(
            weight=_quoted(_weight(link.get("weight"))), fill=typst_color(colour) if colour else None) + ")")
    if link.get("decoration") == "underline":
        lines.append("#show link: content => underline(content)")
    if link.get("background-color"):
        lines.append(f"#show link: content => highlight(fill: {typst_color(link['background-color'])}, content)")
    return "\n".join(lines) + "\n"


def code_block_background(brand: Brand | None) -> str | None:
    """The brand's ``monospace-block`` background as a typst colour, which highlighted code blocks take over the
    style's own background (as Quarto's typst format does); None without one."""
    colour = _typography(brand, "monospace-block").get("background-color") if brand else None
    return typst_color(colour) if colour else None


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


_HORIZONTAL = {"left": "left", "center": "center", "right": "right"}
_VERTICAL = {"top": "top", "middle": "horizon", "bottom": "bottom"}
_SIDES = ("top", "right", "bottom", "left")


def anchored_logo_option(option: Any, origin: PurePosixPath, brand: Brand | None) -> Any:
    """The ``logo`` option with each file it names made project-absolute (`/images/logo.svg`): a path is relative to
    the file that gives it (the document, a `_metadata.yml`, `_quarto.yml`), as in Quarto. Brand logo names and
    web addresses stay as given. ``origin``: that file's folder, relative to the project root."""
    def anchor(value: Any) -> Any:
        if not isinstance(value, str) or "://" in value or value.startswith("/") or (
                brand is not None and (value in brand.logos or value in brand.images)):
            return value
        return "/" + posixpath.normpath((origin / value).as_posix())

    if isinstance(option, dict) and set(option) & {"light", "dark"}:
        return {key: anchored_logo_option(value, origin, brand) for key, value in option.items()}
    if isinstance(option, dict):
        return {**option, "path": anchor(option["path"])} if "path" in option else option
    return anchor(option)


def logo_option_files(option: Any) -> list[str]:
    """The files (relative to the project root) an anchored ``logo`` option names, for typst's root."""
    if isinstance(option, dict) and set(option) & {"light", "dark"}:
        return [file for value in option.values() for file in logo_option_files(value)]
    path = option.get("path") if isinstance(option, dict) else option
    return [path[1:]] if isinstance(path, str) and path.startswith("/") else []


def typst_logo(option: Any, brand: Brand | None, mode: str = "light",
               base: PurePosixPath = PurePosixPath("."), fetch: Any = None) -> str | None:
    """The page background that shows the document's logo (Quarto's typst ``logo`` option: a brand logo size or
    image name, a path, or ``{path, location, padding, padding-SIDE, width, alt}``, per mode with light/dark;
    the brand's ``defaults: quarto: format: typst: logo:`` fill in what a mapping leaves out). Without a path,
    the brand's largest logo. None when there is no logo.

    A path of the option (anchored_logo_option) is written relative to ``base``, the folder of the .typ file, as
    Quarto writes it; a brand's logo stays project-absolute, as Quarto's brand filter writes it. A logo on the
    web is read from the document's mediabag: ``fetch`` (report.outputs.mediabag) gives its path relative to
    ``base``, or None (warned) when it cannot be fetched, and then there is no logo."""
    option = _moded_option(option, mode)
    defaults = _moded_option((((brand.defaults.get("quarto") or {}).get("format") or {}).get("typst") or {}).get("logo")
                             if brand else None, mode)
    if isinstance(option, str):
        settings = {"path": option}  # a logo named alone replaces the brand's defaults, as in Quarto
    else:
        settings = {**(defaults if isinstance(defaults, dict) else {}), **(option if isinstance(option, dict) else {})}
    if option is None and brand is None:
        return None
    path, alt = _logo_path(settings.get("path"), brand)
    if path is not None and "://" in path:
        path = fetch(path) if fetch is not None else None
    if path is None:
        return None
    if settings.get("path") is not None and path == str(settings["path"]) and path.startswith("/"):
        path = posixpath.relpath(path[1:], base.as_posix())
    alt = settings.get("alt", alt)
    location = _location(str(settings.get("location", "left-top")))
    width = _length(settings.get("width", "1.5in"))
    image = f'image("{path}", width: {width}' + (f', alt: "{alt}"' if alt else "") + ")"
    return f"#set page(background: align({location}, box(inset: {_inset(settings)}, {image})))"


def _moded_option(value: Any, mode: str) -> Any:
    if isinstance(value, dict) and set(value) & {"light", "dark"}:
        return value.get(mode, value.get("light"))
    return value


def _logo_path(name: Any, brand: Brand | None) -> tuple[str | None, str | None]:
    logos = dict(brand.logos) if brand else {}
    images = dict(brand.images) if brand else {}
    if name is None:
        logo = next((logos[size] for size in ("large", "medium", "small") if size in logos), None)
    else:
        logo = logos.get(str(name)) or images.get(str(name))
        if logo is None:
            return (str(name), None) if "://" in str(name) else ("/" + str(name).lstrip("/"), None)
    if logo is None:
        return None, None
    return (logo.path if "://" in logo.path else "/" + logo.path), logo.alt


def _location(value: str) -> str:
    horizontal, _, vertical = value.partition("-")
    if horizontal in _HORIZONTAL and vertical in _VERTICAL:
        return f"{_HORIZONTAL[horizontal]}+{_VERTICAL[vertical]}"
    return "left+top"


def _inset(settings: Mapping[str, Any]) -> str:
    sides: dict[str, str] = {}
    if settings.get("padding") is not None:
        widths = [_length(width) for width in str(settings["padding"]).split()]
        # CSS's shorthand: one value for all sides, two for y and x, three for top, x, bottom, four clockwise.
        if len(widths) == 3:
            widths = [*widths, widths[1]]
        sides.update(zip(_SIDES, (widths * 4)[:4] if len(widths) in (1, 2) else widths[:4]))
    for side in _SIDES:
        if settings.get(f"padding-{side}") is not None:
            sides[side] = _length(settings[f"padding-{side}"])
    if not sides:
        return "0.75in"
    if len(set(sides.values())) == 1 and len(sides) == 4:
        return sides["top"]
    if len(sides) == 4 and sides["top"] == sides["bottom"] and sides["left"] == sides["right"]:
        return f"(x: {sides['left']}, y: {sides['top']})"
    return "(" + ", ".join(f"{side}: {sides[side]}" for side in sorted(sides)) + ")"
