"""The site's look from a brand (report.sources.brand) and from Quarto's HTML ``theme:``.

The site does not use Bootstrap: its design is a set of CSS custom properties (``:root`` of
resources/site.css: ``--text``, ``--bg``, ``--accent``, ``--font-body`` ...). A brand and a theme set those
properties, nothing else; the site's own rules stay as they are. So a theme changes colours and fonts, never
the layout, the focus ring or the landmarks that keep the site accessible.

- A **brand** maps its colours and typography onto the properties (table ``SITE_PROPERTIES``) and declares
  ``--brand-NAME`` for every palette and theme colour, as Quarto does, for the author's own CSS; its font files
  (``source: file``) get ``@font-face`` rules and are copied with the site.
- A **theme** (``theme: cosmo``, ``theme: custom.scss``, a list of both, or ``light:``/``dark:``) is compiled
  with libsass as Quarto layers it: the ``/*-- scss:uses|functions|defaults|mixins|rules --*/`` sections of
  each ``.scss`` file, the Bootswatch theme's variables, Bootstrap's functions and variables (npm ``bootstrap``
  and ``bootswatch``, installed by scripts/setup.sh; nothing is fetched). The Bootstrap variables Quarto documents
  (``$body-color``, ``$body-bg``, ``$primary``, ``$link-color``, ``$font-family-sans-serif``, ``$headings-color``,
  ``$code-color`` ...) become the site's properties; a variable a theme leaves alone keeps the site's own value
  (the defaults come from site.css). The ``rules`` sections are added as written. Bootswatch's own rules style
  Bootstrap's components, which the site does not have, and are left out.
- A dark theme or brand mode sets the properties under ``prefers-color-scheme: dark``.
- The brand's medium logo (else its small one) heads a book's pages, with its alt text (empty: decorative).

The text colours against the background are checked for WCAG AA (4.5:1): a warning names the file and key.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from report.errors import ReportError
from report.sources import diagnostics
from report.sources.brand import Brand, warn_contrast

__all__ = ["SASS_SOURCES", "SITE_PROPERTIES", "SiteStyle", "site_style"]

RESOURCES = Path(__file__).parent / "resources"
# Bootstrap's and Bootswatch's Sass sources, installed by scripts/setup.sh (scripts/sass/package-lock.json).
SASS_SOURCES = Path(sys.prefix) / "share" / "report" / "node_modules"
LAYERS = ("uses", "functions", "defaults", "mixins", "rules")
LAYER_MARK = re.compile(r"^/\*-- scss:(uses|functions|defaults|mixins|rules) --\*/\s*$", re.M)

# The site's design properties: (property, Bootstrap variable or Sass expression, brand key). The brand key is a colour name or
# ``typography.ELEMENT.KEY``.
SITE_PROPERTIES = (
    ("--text", "$body-color", "foreground"),
    ("--bg", "$body-bg", "background"),
    ("--accent", "$primary", "primary"),
    ("--note", "$primary", "primary"),
    ("--link", "$link-color", "typography.link.color"),
    # Muted text: Bootstrap's secondary is a button colour (often too light for text), so the body colour
    # toned towards the background, as the site's own muted grey is.
    ("--muted", "mix($body-color, $body-bg, 80%)", "secondary"),
    ("--tip", "$success", "success"),
    ("--warning", "$warning", "warning"),
    ("--important", "$danger", "danger"),
    ("--bg-soft", "$light", "light"),
    ("--border", "$border-color", None),
    ("--font-body", "$font-family-sans-serif", "typography.base.family"),
    ("--font-size", None, "typography.base.size"),
    ("--line-height", "$line-height-base", "typography.base.line-height"),
    ("--font-headings", "$headings-font-family", "typography.headings.family"),
    ("--headings-color", "$headings-color", "typography.headings.color"),
    ("--headings-weight", "$headings-font-weight", "typography.headings.weight"),
    ("--font-mono", "$font-family-monospace", "typography.monospace.family"),
    ("--code-color", "$code-color", "typography.monospace-inline.color"),
)
# Bootstrap variables that follow another one unless a theme sets them (so the site's value is no default).
FOLLOWING = {"$link-color", "$code-color"}
# Text set in these properties is read against --bg (AA contrast).
TEXT_PROPERTIES = ("--text", "--link", "--muted")


@dataclass(frozen=True)
class SiteStyle:
    css: str = ""  # added after the site's own style sheet
    files: Mapping[str, Path] = field(default_factory=dict)  # path relative to the style sheet -> file (fonts, logo)
    logo: tuple[str, str] | None = None  # the brand's medium (else small) logo: (path as files has it, alt text)


def site_style(root: Path, light: Brand | None, dark: Brand | None, theme: Any, theme_origin: Path) -> SiteStyle:
    """The CSS a brand and a theme add to the site; its files' paths are relative to the style sheet (site_libs/
    for a book's brand.css, the page's folder for a page's own style)."""
    parts: list[str] = []
    files: dict[str, Path] = {}
    if theme is not None:
        light_theme, dark_theme = _theme_modes(theme)
        if light_theme:
            parts.append(_compile_theme(root, light_theme, theme_origin, dark=False))
        if dark_theme:
            parts.append(_compile_theme(root, dark_theme, theme_origin, dark=True))
    for brand, is_dark in ((light, False), (dark, True)):
        if brand is not None:
            css, fonts = _brand_css(root, brand)
            parts.append(_dark(css + DARK_LOGOS) if is_dark else css)
            files.update(fonts)
    logo = None
    chosen = (light.logos.get("medium") or light.logos.get("small")) if light else None
    if chosen is not None:  # the book's header shows it, as Quarto's navbar and sidebar do
        if "://" in chosen.path:
            logo = (chosen.path, chosen.alt or "")
        elif (root / chosen.path).is_file():
            files[f"brand/{chosen.path}"] = root / chosen.path
            logo = (f"brand/{chosen.path}", chosen.alt or "")
    return SiteStyle("\n".join(part for part in parts if part), files, logo)


# `{{< brand logo >}}` gives a logo per colour scheme (report.sources.brand_shortcode): the dark one shows in dark mode.
DARK_LOGOS = ".light-content { display: none; }\n.dark-content { display: revert; }\n"


def _dark(css: str) -> str:
    return "@media (prefers-color-scheme: dark) {\n" + css + "}\n"


# Brands.

def _brand_value(brand: Brand, key: str) -> Any:
    if not key.startswith("typography."):
        return brand.color(key)
    _, element, name = key.split(".")
    value = (brand.typography.get(element) or {}).get(name)
    if element == "link" and name == "color" and value is None:
        return brand.color("primary")  # links take the primary colour, as in Quarto
    return value


# CSS's numeric weights for brand.yml's names (CSS itself knows only normal and bold).
CSS_WEIGHTS = {"thin": 100, "hairline": 100, "extralight": 200, "ultralight": 200, "light": 300, "normal": 400,
               "regular": 400, "medium": 500, "semibold": 600, "demibold": 600, "bold": 700, "extrabold": 800,
               "ultrabold": 800, "black": 900, "heavy": 900}


def _css_value(prop: str, value: Any) -> str:
    if prop.startswith("--font-") and prop != "--font-size":
        names = value if isinstance(value, list) else str(value).split(",")
        quoted = ", ".join('"' + str(name).strip().strip("'\"") + '"' for name in names if str(name).strip())
        return f"{quoted}, {_site_defaults()[prop]}"  # the site's own fonts stay as the fallback
    if prop.endswith("-weight"):
        return str(CSS_WEIGHTS.get(str(value).lower().replace("-", ""), value))
    return str(value)


def _brand_css(root: Path, brand: Brand) -> tuple[str, dict[str, Path]]:
    declarations = [f"  --brand-{name}: {value};" for name, value in brand.colors.items()]
    for prop, _variable, key in SITE_PROPERTIES:
        value = _brand_value(brand, key) if key else None
        if value is not None:
            declarations.append(f"  {prop}: {_css_value(prop, value)};")
    faces, files = [], {}
    for font in brand.fonts:
        for path, weight, style in font.files:
            files[f"brand/{path}"] = root / path
            faces.append(f'@font-face {{ font-family: "{font.family}"; src: url("brand/{path}"); '
                         f"font-weight: {weight}; font-style: {style}; font-display: swap; }}")
    return "\n".join(faces + [":root {", *declarations, "}"]) + "\n", files


# Themes.

def _theme_modes(theme: Any) -> tuple[list[str], list[str]]:
    if isinstance(theme, dict):
        return _listed(theme.get("light")), _listed(theme.get("dark"))
    return _listed(theme), []


def _listed(value: Any) -> list[str]:
    return [] if value is None else [str(item) for item in (value if isinstance(value, list) else [value])]


def _compile_theme(root: Path, names: list[str], origin: Path, *, dark: bool) -> str:
    try:
        import sass
    except ImportError:
        raise ReportError("option 'theme' needs the libsass package (pip install libsass, which scripts/setup.sh "
                          "installs)", path=origin) from None
    if not (SASS_SOURCES / "bootstrap" / "scss" / "_variables.scss").is_file():
        raise ReportError(f"option 'theme' needs Bootstrap's Sass sources in {SASS_SOURCES}, which scripts/setup.sh "
                          "installs with npm (scripts/sass/package-lock.json)", path=origin)
    layers: dict[str, list[str]] = {layer: [] for layer in LAYERS}
    bootswatch = []
    for name in names:
        if name == "brand":
            continue  # the brand is applied after the theme in any case
        if name.endswith((".scss", ".css")):
            for layer, text in _layers(root, origin, name).items():
                layers[layer].append(text)
        elif (SASS_SOURCES / "bootswatch" / "dist" / name / "_variables.scss").is_file():
            bootswatch.append(f'@import "bootswatch/dist/{name}/variables";')
        elif name != "default":
            themes = sorted(path.name for path in (SASS_SOURCES / "bootswatch" / "dist").iterdir() if path.is_dir())
            raise ReportError(f"theme '{name}' is neither a .scss file nor a Bootswatch theme ({', '.join(themes)}, "
                              "default)", path=origin)
    # Quarto's order: later files' defaults come first, so that theirs win over the earlier ones' !default.
    source = "\n".join([
        *layers["uses"], '@import "bootstrap/scss/functions";', *layers["functions"],
        *reversed(layers["defaults"]), *reversed(bootswatch), _site_sass_defaults(),
        '@import "bootstrap/scss/variables";', '@import "bootstrap/scss/mixins";', *layers["mixins"],
        _mapping(), *layers["rules"]])
    try:
        css = sass.compile(string=source, include_paths=[str(SASS_SOURCES), str(root / origin.parent)],
                           output_style="expanded")
    except sass.CompileError as error:
        raise ReportError(f"theme {', '.join(names)} could not be compiled: {_sass_message(error)}",
                          path=origin) from None
    _check_theme_contrast(css, [name for name in names if name != "brand"], origin)
    return _dark(css) if dark else css


def _sass_message(error: Exception) -> str:
    return " ".join(str(error).split("\n")[0:2]).replace("Error: ", "").strip()


def _layers(root: Path, origin: Path, name: str) -> dict[str, str]:
    from report.sources.paths import inside_project

    relative = inside_project(root, origin.parent, name, what="theme file", path=origin)
    if not (root / relative).is_file():
        # Quarto warns ("Theme file not found") and compiles the theme without this layer.
        diagnostics.warn(f"theme file '{name}' does not exist; the theme is compiled without it", path=origin)
        return {}
    text = (root / relative).read_text(encoding="utf-8-sig")
    if name.endswith(".css"):
        return {"rules": text}
    marks = list(LAYER_MARK.finditer(text))
    if not marks:
        raise ReportError("a theme file needs at least one of the layer comments /*-- scss:defaults --*/, "
                          "/*-- scss:rules --*/, /*-- scss:functions --*/, /*-- scss:mixins --*/, "
                          "/*-- scss:uses --*/ (Quarto's layers)", path=relative)
    layers: dict[str, str] = {}
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        layers[mark.group(1)] = layers.get(mark.group(1), "") + text[mark.end():end]
    return layers


def _site_defaults() -> dict[str, str]:
    """The site's own design properties (site.css ``:root``), the values a theme does not change."""
    text = (RESOURCES / "site.css").read_text(encoding="utf-8")
    block = re.search(r":root\s*\{(.*?)\}", text, re.S).group(1)  # type: ignore[union-attr]
    return {name.strip(): value.strip() for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", block)}


def _site_sass_defaults() -> str:
    """The site's values as Bootstrap defaults, behind the theme's own (``!default``)."""
    defaults = _site_defaults()
    lines, seen = [], set()
    for prop, variable, _key in SITE_PROPERTIES:
        if (variable and variable.startswith("$") and variable not in seen | FOLLOWING and prop in defaults
                and "var(" not in defaults[prop]):
            seen.add(variable)
            lines.append(f"{variable}: {defaults[prop]} !default;")
    # Links follow the primary colour, and inline code has the text colour, unless a theme says otherwise.
    return "\n".join([*lines, "$link-color: $primary !default;", "$code-color: $body-color !default;"])


def _mapping() -> str:
    lines, seen = [], set()
    for prop, variable, _key in SITE_PROPERTIES:
        if variable and prop not in seen:
            seen.add(prop)
            if variable.startswith("$"):
                lines.append(f"  @if {variable} != null and {variable} != inherit {{ {prop}: #{{inspect({variable})}}; }}")
            else:
                lines.append(f"  {prop}: #{{inspect({variable})}};")
    return ":root {\n" + "\n".join(lines) + "\n}"


def _check_theme_contrast(css: str, names: list[str], origin: Path) -> None:
    block = re.search(r":root\s*\{(.*?)\}", css, re.S)
    values = dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", block.group(1))) if block else {}
    background = values.get("--bg", "#fff")
    variables = {prop: variable for prop, variable, _key in SITE_PROPERTIES}
    for prop in TEXT_PROPERTIES:
        if prop in values:
            warn_contrast(values[prop].strip(), background.strip(),
                          what=f"theme {', '.join(names)}: {variables[prop]}", path=origin, line=None)
