"""brand.yml, as Quarto reads it: a project's or document's house style in one file.

Where it comes from (Quarto's order): ``brand:`` in the document or ``_quarto.yml`` (a path relative to the file
naming it, an inline brand, ``light:``/``dark:`` with either, or ``false`` for none), else ``_brand.yml`` (or
``_brand/_brand.yml``) at the project root.

What it holds, resolved here once for every output (report.outputs.brand_css, report.outputs.brand_typst):

- ``color``: a ``palette`` of named colours and the theme colours (foreground, background, primary, ...); a
  value may name a palette colour or another theme colour, followed to the colour itself.
- ``typography``: ``base``, ``headings``, ``monospace`` (and ``monospace-inline``/``-block``, which inherit from
  it), ``link``: family, weight, size, line-height, colour (a colour may name a brand colour); ``fonts``: a
  family with ``source: file`` ships its files in the project and they reach the PDF through typst's font paths;
  ``google`` and ``bunny`` fonts are never fetched (a warning, and the family falls back to what is installed).
- ``logo``: ``images`` by name and ``small``/``medium``/``large``, each a path, an image name or
  ``{light, dark}``, with alt text.
- ``meta``: names and links, kept as given.

A foreground/background pair below WCAG AA contrast (4.5:1) is a warning naming the brand file and key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

from report.errors import ReportError
from report.sources import diagnostics

__all__ = ["THEME_COLORS", "Brand", "BrandFont", "BrandLogo", "Brands", "check_brand_contrast", "contrast_ratio",
           "css_color_names", "load_brands",
           "parse_color", "warn_contrast"]

_GENERIC_FAMILIES = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy", "math"})
THEME_COLORS = ("foreground", "background", "primary", "secondary", "tertiary", "success", "info", "warning",
                "danger", "light", "dark")
TYPOGRAPHY_ELEMENTS = ("base", "headings", "monospace", "monospace-inline", "monospace-block", "link")
BRAND_FILES = ("_brand.yml", "_brand/_brand.yml")
AA_TEXT = 4.5


@dataclass(frozen=True)
class BrandFont:
    family: str
    source: str  # file, google, bunny, system
    files: tuple[tuple[str, str | int, str], ...] = ()  # (project-relative path, weight, style)


@dataclass(frozen=True)
class BrandLogo:
    path: str  # project-relative (or a URL)
    alt: str | None = None


@dataclass(frozen=True)
class Brand:
    """One mode (light or dark) of a brand, with every reference resolved."""

    source: Path  # the file that defines it (the brand file, or the document or _quarto.yml holding it inline)
    lines: Mapping[tuple, int]  # line of each key path in ``source``
    colors: Mapping[str, str]  # palette and theme colours by name, as CSS colours
    palette: tuple[str, ...]  # which of ``colors`` are palette names
    typography: Mapping[str, Mapping[str, Any]]  # element -> {family, weight, size, line-height, color ...}
    fonts: tuple[BrandFont, ...] = ()
    logos: Mapping[str, BrandLogo] = field(default_factory=dict)  # small, medium, large
    images: Mapping[str, BrandLogo] = field(default_factory=dict)  # logo.images, by name
    meta: Mapping[str, Any] = field(default_factory=dict)
    defaults: Mapping[str, Any] = field(default_factory=dict)  # `defaults:` (quarto: format: typst: logo: ...)

    def line(self, *keys: Any) -> int | None:
        return self.lines.get(keys)

    def color(self, name: str) -> str | None:
        return self.colors.get(name)

    def with_available_families(self, available: frozenset[str]) -> "Brand":
        """This brand with each typography font list narrowed to the families in ``available`` (lower case) and
        CSS's generic families, as Quarto filters a brand's fonts for typst; a list none of whose fonts is
        available stays whole (the first wins where it is installed after all). The families of the brand's
        own ``fonts:`` count as available, as Quarto has them (it downloads google and bunny fonts)."""
        available = available | {font.family.lower() for font in self.fonts}
        def narrowed(family: Any) -> Any:
            names = family if isinstance(family, list) else str(family).split(",")
            names = [str(name).strip().strip("'\"") for name in names if str(name).strip()]
            kept = [name for name in names if name.lower() in available or name.lower() in _GENERIC_FAMILIES]
            return family if not kept or kept == names else ", ".join(kept)

        typography = {element: ({**style, "family": narrowed(style["family"])} if style.get("family") else style)
                      for element, style in self.typography.items()}
        return replace(self, typography=typography)

    def font_files(self) -> list[str]:
        return [path for font in self.fonts for path, _weight, _style in font.files]


@dataclass(frozen=True)
class Brands:
    light: Brand | None
    dark: Brand | None

    def mode(self, name: str) -> Brand | None:
        return self.dark if name == "dark" else self.light


def load_brands(root: Path, value: Any, origin: Path, *, line: int | None = None,
                data_dirs: tuple = ()) -> Brands | None:
    """The brand ``value`` (the ``brand`` option as written in ``origin``, project-relative) names; with no
    value, the project's ``_brand.yml``. None when there is no brand (or ``brand: false``)."""
    if value is False:
        return None
    if value is None:
        found = next((name for name in BRAND_FILES if (root / name).is_file()), None)
        if found is None:
            return None
        return _unified(root, _read_file(root, Path("."), found, origin, line, data_dirs))
    base = origin.parent
    if isinstance(value, str):
        return _unified(root, _read_file(root, base, value, origin, line, data_dirs))
    if not isinstance(value, dict):
        raise ReportError(f"option 'brand' must be a file name, a brand or light:/dark: brands, not {value!r}",
                          path=origin, line=line)
    if set(value) & {"light", "dark"} and not set(value) - {"light", "dark"}:
        modes = {}
        for mode in ("light", "dark"):
            if value.get(mode) is None:
                modes[mode] = None
                continue
            given = value[mode]
            raw = (_read_file(root, base, given, origin, line, data_dirs) if isinstance(given, str)
                   else _Raw(given, origin, {}, base, ("brand", mode)))
            modes[mode] = _resolve(root, raw, mode)
        return Brands(light=modes["light"], dark=modes["dark"])
    return _unified(root, _Raw(value, origin, {}, base, ("brand",)))


def _unified(root: Path, raw: "_Raw") -> Brands:
    """One brand for both modes: its light mode, and a dark one where a colour or logo gives ``dark:``."""
    return Brands(light=_resolve(root, raw, "light"), dark=_resolve(root, raw, "dark") if _has_dark(raw) else None)


@dataclass(frozen=True)
class _Raw:
    data: dict[str, Any]
    source: Path
    lines: Mapping[tuple, int]
    base: Path  # folder (project-relative) its relative paths are relative to
    prefix: tuple = ()  # key path of the brand inside ``source`` (an inline brand)


def _read_file(root: Path, base: Path, name: str, origin: Path, line: int | None, data_dirs: tuple) -> _Raw:
    from report.sources._yaml import load_yaml
    from report.sources.paths import inside_project

    relative = inside_project(root, base, name, what="brand file", path=origin, line=line, data_dirs=data_dirs)
    if not (root / relative).is_file():
        raise ReportError(f"brand file '{name}' does not exist", path=origin, line=line)
    data, lines = load_yaml((root / relative).read_text(encoding="utf-8-sig"), relative)
    if not isinstance(data, dict):
        raise ReportError("a brand file must be a mapping (color:, typography:, logo:, meta:)", path=relative)
    return _Raw(data, relative, lines, relative.parent)


def _has_dark(raw: _Raw) -> bool:
    """A unified brand has a dark mode when a colour or logo gives one (``{light: .., dark: ..}``)."""
    def dark(value: Any) -> bool:
        return isinstance(value, dict) and ("dark" in value or any(dark(item) for item in value.values()))

    return dark(raw.data.get("color")) or dark(raw.data.get("logo")) or dark(raw.data.get("typography"))


def _moded(value: Any, mode: str) -> Any:
    """A ``{light: x, dark: y}`` value as ``mode`` sees it (light is the fallback of dark, as in Quarto)."""
    if isinstance(value, dict) and set(value) <= {"light", "dark"} and value:
        return value.get(mode, value.get("light"))
    return value


def _resolve(root: Path, raw: _Raw, mode: str) -> Brand:
    data = raw.data
    lines = {key[len(raw.prefix):]: line for key, line in raw.lines.items() if key[:len(raw.prefix)] == raw.prefix}
    where = lambda *keys: lines.get(keys)  # noqa: E731 - a short lookup used throughout
    colors = _colors(data.get("color") or {}, mode, raw.source, where)
    palette = tuple((data.get("color") or {}).get("palette") or {})
    typography, fonts = _typography(root, data.get("typography") or {}, colors, mode, raw, where)
    logos, images = _logos(data.get("logo") or {}, mode, raw, where)
    return Brand(source=raw.source, lines=lines, colors=colors, palette=palette, typography=typography,
                 fonts=fonts, logos=logos, images=images, meta=dict(data.get("meta") or {}),
                 defaults=dict(data.get("defaults") or {}))


def _colors(section: Any, mode: str, source: Path, where) -> dict[str, str]:
    if not isinstance(section, dict):
        raise ReportError("brand 'color' must be a mapping", path=source, line=where("color"))
    palette = {str(name): _moded(value, mode) for name, value in (section.get("palette") or {}).items()}
    theme = {name: _moded(section[name], mode) for name in THEME_COLORS if section.get(name) is not None}
    for name in section:
        if name not in THEME_COLORS and name != "palette":
            diagnostics.warn(f"brand colour '{name}' is not a theme colour ({', '.join(THEME_COLORS)}) nor in "
                             "'palette'; it is ignored", path=source, line=where("color", name))

    def follow(name: str, value: Any, seen: tuple[str, ...], key: tuple) -> str:
        if not isinstance(value, str):
            raise ReportError(f"brand colour '{name}' must be a colour or the name of one, not {value!r}",
                              path=source, line=where(*key))
        if value in seen:
            first = ("color", "palette", seen[0]) if seen[0] in palette else ("color", seen[0])
            raise ReportError(f"brand colour '{seen[0]}' refers to itself through {' -> '.join((*seen, value))}",
                              path=source, line=where(*first))
        own_palette = key[1] == "palette"
        if value in palette and not (own_palette and value == name):
            return follow(value, palette[value], (*seen, value), ("color", "palette", value))
        if value in theme and not (not own_palette and value == name):
            return follow(value, theme[value], (*seen, value), ("color", value))
        return value

    resolved = {name: follow(name, value, (name,), ("color", "palette", name)) for name, value in palette.items()}
    resolved.update({name: follow(name, value, (name,), ("color", name)) for name, value in theme.items()})
    for name, value in list(resolved.items()):
        if parse_color(value) is None:
            key = ("color", "palette", name) if name in palette else ("color", name)
            diagnostics.warn(f"brand colour '{name}': \"{value}\" is not a valid CSS color name nor the name of a "
                             "brand colour; it is ignored",
                             path=source, line=where(*key))
            del resolved[name]
    return resolved


def _typography(root: Path, section: Any, colors: Mapping[str, str], mode: str, raw: _Raw,
                where) -> tuple[dict[str, dict[str, Any]], tuple[BrandFont, ...]]:
    if not isinstance(section, dict):
        raise ReportError("brand 'typography' must be a mapping", path=raw.source, line=where("typography"))
    elements: dict[str, dict[str, Any]] = {}
    for element in TYPOGRAPHY_ELEMENTS:
        value = section.get(element)
        if value is None:
            continue
        value = {"family": value} if isinstance(value, str) else dict(value)
        for key in ("color", "background-color"):
            if key in value:
                given = _moded(value[key], mode)
                value[key] = colors.get(given, given)
                if parse_color(value[key]) is None:
                    # Quarto's words ("is not a valid CSS color name"), so a search for its warning finds ours.
                    diagnostics.warn(f"brand 'typography.{element}.{key}': \"{given}\" is not a valid CSS color "
                                     "name nor a colour of the brand; it is ignored", path=raw.source,
                                     line=where("typography", element, key))
                    del value[key]
        elements[element] = value
    # monospace-inline and -block inherit what monospace sets (brand.yml's rule).
    for element in ("monospace-inline", "monospace-block"):
        if "monospace" in elements:
            elements[element] = {**elements["monospace"], **elements.get(element, {})}
    fonts = []
    for index, font in enumerate(section.get("fonts") or []):
        fonts.append(_font(root, font, raw, ("typography", "fonts", index), where))
    return elements, tuple(fonts)


def _font(root: Path, font: Any, raw: _Raw, key: tuple, where) -> BrandFont:
    from report.sources.paths import inside_project

    if not isinstance(font, dict) or not font.get("family"):
        raise ReportError("a brand font needs a 'family'", path=raw.source, line=where(*key))
    family, source = str(font["family"]), str(font.get("source", "system"))
    if source in {"google", "bunny"}:
        diagnostics.warn(f"brand font '{family}' (source: {source}) is not downloaded by the embedded engine; "
                         f"the family is used where it is installed, else the next font of the list: ship its files "
                         f"with 'source: file'", path=raw.source, line=where(*key))
        return BrandFont(family, source)
    if source != "file":
        return BrandFont(family, source)
    files = []
    for index, entry in enumerate(font.get("files") or []):
        entry = {"path": entry} if isinstance(entry, str) else dict(entry)
        line = where(*key, "files", index)
        relative = inside_project(root, raw.base, str(entry.get("path", "")), what="brand font file",
                                  path=raw.source, line=line)
        if not (root / relative).is_file():
            raise ReportError(f"brand font file '{entry.get('path')}' does not exist", path=raw.source, line=line)
        files.append((relative.as_posix(), entry.get("weight", 400), str(entry.get("style", "normal"))))
    return BrandFont(family, source, tuple(files))


def _logos(section: Any, mode: str, raw: _Raw, where) -> tuple[dict[str, BrandLogo], dict[str, BrandLogo]]:
    if isinstance(section, str):
        section = {"medium": section}
    images: dict[str, BrandLogo] = {}
    for name, entry in (section.get("images") or {}).items():
        images[str(name)] = _logo(entry, raw)
    logos = {}
    for size in ("small", "medium", "large"):
        entry = _moded(section.get(size), mode)
        if entry is None:
            continue
        if isinstance(entry, str) and entry in images:
            logos[size] = images[entry]
        elif isinstance(entry, dict) and entry.get("path") in images:
            logos[size] = BrandLogo(images[entry["path"]].path, entry.get("alt") or images[entry["path"]].alt)
        else:
            logos[size] = _logo(entry, raw)
    return logos, images


def _logo(entry: Any, raw: _Raw) -> BrandLogo:
    entry = {"path": entry} if isinstance(entry, str) else dict(entry or {})
    path = str(entry.get("path", ""))
    if "://" not in path and not path.startswith("/"):
        path = (PurePosixPath(raw.base.as_posix()) / path).as_posix().removeprefix("./")
    return BrandLogo(path.lstrip("/") if "://" not in path else path, entry.get("alt"))


# Colours and contrast (WCAG 2.1).

def css_color_names() -> dict[str, str]:
    """CSS's named colours, lower-case name -> `#rrggbb`."""
    return _css_names()


@lru_cache(maxsize=1)
def _css_names() -> dict[str, str]:
    """CSS's named colours (mintcream, rebeccapurple ...), from matplotlib's table, imported only when needed."""
    from matplotlib.colors import CSS4_COLORS

    return {name.lower(): value.lower() for name, value in CSS4_COLORS.items()}


def parse_color(value: str) -> tuple[float, float, float] | None:
    """``#rgb``, ``#rrggbb`` (alpha ignored), ``rgb(r, g, b)`` or a CSS colour name as 0..1 channels; else None."""
    text = str(value).strip().lower()
    if re.fullmatch(r"[a-z]+", text):
        text = _css_names().get(text, "")
    if text.startswith("#") and len(text) in (4, 5, 7, 9):
        digits = text[1:]
        if len(digits) in (3, 4):
            digits = "".join(digit * 2 for digit in digits[:3])
        try:
            return tuple(int(digits[index:index + 2], 16) / 255 for index in (0, 2, 4))  # type: ignore[return-value]
        except ValueError:
            return None
    if text.startswith("rgb"):
        parts = text[text.find("(") + 1:text.rfind(")")].replace(",", " ").replace("/", " ").split()
        try:
            return tuple(float(part) / 255 for part in parts[:3])  # type: ignore[return-value]
        except ValueError:
            return None
    return None


def contrast_ratio(first: str, second: str) -> float | None:
    def luminance(rgb: tuple[float, float, float]) -> float:
        linear = [channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4 for channel in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    a, b = parse_color(first), parse_color(second)
    if a is None or b is None:
        return None
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def warn_contrast(text: str, background: str, *, what: str, path: Path | str, line: int | None) -> None:
    """A warning when ``text`` on ``background`` is below WCAG AA for body text (4.5:1)."""
    ratio = contrast_ratio(text, background)
    if ratio is not None and ratio < AA_TEXT:
        diagnostics.warn(f"{what}: {text} on {background} has a contrast of {ratio:.2f}:1, below WCAG AA (4.5:1 "
                         "for text)", path=path, line=line)


def check_brand_contrast(brand: Brand) -> None:
    """Text colours of the brand against its background (white when it names none): foreground, primary (the
    link colour), the headings' and links' own colours."""
    background = brand.color("background") or "#ffffff"
    pairs = [(("color", "foreground"), brand.color("foreground")), (("color", "primary"), brand.color("primary"))]
    for element in ("headings", "link"):
        pairs.append((("typography", element, "color"), brand.typography.get(element, {}).get("color")))
    for key, colour in pairs:
        if colour:
            warn_contrast(colour, background, what=f"brand '{'.'.join(map(str, key))}'", path=brand.source,
                          line=brand.line(*key))
