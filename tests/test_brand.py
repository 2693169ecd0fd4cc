"""brand.yml (report.sources.brand): one house style for the site and the PDF, mapped as Quarto maps it.

Small projects of their own: a `_brand.yml` with a palette, theme colours that name palette colours, typography
and a logo; what reaches the site (CSS custom properties) and the typst source (brand-color and the forms of
Quarto's typst template) is pinned, and so are the warnings. No document runs a kernel.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from report.build import RenderOptions, render
from report.errors import ReportError
from report.outputs.brand_typst import typst_header, typst_logo
from report.sources.brand import load_brands

BRAND = """\
color:
  palette:
    blauw: "#0B4F8A"
    inkt: "#1d1d1f"
    zand: "#f4f6f8"
  foreground: inkt
  background: "#ffffff"
  primary: blauw
  light: zand
typography:
  headings:
    family: DejaVu Sans
    weight: semi-bold
    color: primary
  monospace: DejaVu Sans Mono
logo:
  images:
    beeldmerk:
      path: logo.svg
      alt: Beeldmerk van het team
  medium: beeldmerk
"""
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'
DOCUMENT = """---
title: Huisstijl
lang: nl
format:
  html: default
  typst:
    keep-typ: true
---

Een [link](https://example.org) en `code`.

::: {.callout-note}
Een notitie.
:::

::: {.callout-caution}
Een waarschuwing.
:::
"""


def branded(folder: Path, brand: str = BRAND, document: str = DOCUMENT, **files: str) -> Path:
    (folder / "_brand.yml").write_text(brand, encoding="utf-8")
    (folder / "logo.svg").write_text(LOGO, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    source = folder / "doc.qmd"
    source.write_text(document, encoding="utf-8")
    return source


def rendered(source: Path, fmt: str) -> tuple[str, list[str]]:
    result = render(source, RenderOptions(formats=(fmt,)))
    output = source.with_suffix(".html" if fmt == "html" else ".typ")
    return output.read_text(encoding="utf-8"), [str(warning) for warning in result.warnings]


def test_theme_colours_follow_palette_names_and_other_theme_colours(tmp_path):
    (tmp_path / "_brand.yml").write_text(
        'color:\n  palette:\n    blauw: "#0b4f8a"\n    donker: blauw\n  primary: donker\n  link: primary\n'
        '  info: primary\n', encoding="utf-8")
    brand = load_brands(tmp_path, None, Path("_quarto.yml")).light
    assert dict(brand.colors) == {"blauw": "#0b4f8a", "donker": "#0b4f8a", "primary": "#0b4f8a", "info": "#0b4f8a"}
    assert brand.palette == ("blauw", "donker")


def test_a_colour_that_names_itself_round_is_an_error_naming_file_and_line(tmp_path):
    (tmp_path / "_brand.yml").write_text("color:\n  primary: secondary\n  secondary: primary\n", encoding="utf-8")
    with pytest.raises(ReportError) as raised:
        load_brands(tmp_path, None, Path("_quarto.yml"))
    assert str(raised.value) == ("_brand.yml:2: brand colour 'primary' refers to itself through "
                                 "primary -> secondary -> primary")


def test_brand_false_and_a_project_without_brand_have_none(tmp_path):
    assert load_brands(tmp_path, None, Path("_quarto.yml")) is None
    (tmp_path / "_brand.yml").write_text(BRAND, encoding="utf-8")
    assert load_brands(tmp_path, False, Path("_quarto.yml")) is None


def test_light_and_dark_files_and_a_unified_brand_give_both_modes(tmp_path):
    (tmp_path / "licht.yml").write_text('color:\n  background: "#ffffff"\n', encoding="utf-8")
    (tmp_path / "donker.yml").write_text('color:\n  background: "#101010"\n', encoding="utf-8")
    brands = load_brands(tmp_path, {"light": "licht.yml", "dark": "donker.yml"}, Path("doc.qmd"))
    assert (brands.light.color("background"), brands.dark.color("background")) == ("#ffffff", "#101010")
    unified = load_brands(tmp_path, {"color": {"foreground": {"light": "#111111", "dark": "#eeeeee"}}},
                          Path("doc.qmd"))
    assert (unified.light.color("foreground"), unified.dark.color("foreground")) == ("#111111", "#eeeeee")


def test_the_typst_header_declares_brand_colours_logos_and_settings(tmp_path):
    (tmp_path / "_brand.yml").write_text(BRAND, encoding="utf-8")
    brand = load_brands(tmp_path, None, Path("_quarto.yml")).light
    assert typst_header(brand) == """\
#let brand-color = (
  background: rgb("#ffffff"),
  blauw: rgb("#0b4f8a"),
  foreground: rgb("#1d1d1f"),
  inkt: rgb("#1d1d1f"),
  light: rgb("#f4f6f8"),
  primary: rgb("#0b4f8a"),
  zand: rgb("#f4f6f8")
)
#let brand-color-background = (
  background: color.mix((brand-color.background, 15%), (brand-color.background, 85%)),
  blauw: color.mix((brand-color.blauw, 15%), (brand-color.background, 85%)),
  foreground: color.mix((brand-color.foreground, 15%), (brand-color.background, 85%)),
  inkt: color.mix((brand-color.inkt, 15%), (brand-color.background, 85%)),
  light: color.mix((brand-color.light, 15%), (brand-color.background, 85%)),
  primary: color.mix((brand-color.primary, 15%), (brand-color.background, 85%)),
  zand: color.mix((brand-color.zand, 15%), (brand-color.background, 85%))
)
#set page(fill: brand-color.background)
#set text(fill: brand-color.foreground)
#set table.hline(stroke: (paint: brand-color.foreground))
#set line(stroke: (paint: brand-color.foreground))
#let brand-logo-images = (
  beeldmerk: (
    alt: "Beeldmerk van het team",
    path: "logo.svg"
  )
)
#let brand-logo = (
  medium: (
    alt: "Beeldmerk van het team",
    path: "logo.svg"
  )
)
#show heading: set text(font: ("DejaVu Sans",), weight: "semibold", fill: rgb("#0b4f8a"), )
#show raw.where(block: false): set text()
#show raw.where(block: true): set text()
#show link: set text(fill: rgb("#0b4f8a"), )
"""
    assert typst_header(None) == "#let brand-color = (:)\n#let brand-color-background = (:)\n#let brand-logo = (:)\n"


def test_the_pdf_gets_the_brand_in_quartos_forms(tmp_path):
    typst, warnings = rendered(branded(tmp_path), "typst")
    assert warnings == []
    assert "#set text(fill: brand-color.foreground)" in typst
    # The template partials get brand.typography as Quarto hands it (typst-show.typ).
    assert '  heading-family: ("DejaVu Sans",),\n' in typst and '  heading-weight: "semibold",\n' in typst
    assert '  heading-color: rgb("#0b4f8a"),\n' in typst and '  codefont: ("DejaVu Sans Mono",),\n' in typst
    # A callout takes its theme colour (note: primary); caution has none and keeps its own, on the background.
    assert re.search(r"title: \n\[\nOpmerking\n\]\n, \nbackground_color: \nbrand-color-background\.primary\n, \n"
                     r"icon_color: \nbrand-color\.primary\n", typst)
    assert ('background_color: \ncolor.mix((rgb("#7a3e00"), 15%), (brand-color.background, 85%))\n, \n'
            'icon_color: \nrgb("#7a3e00")') in typst
    assert (tmp_path / "doc.pdf").is_file()


def test_the_site_gets_the_brand_as_css_properties(tmp_path):
    html, warnings = rendered(branded(tmp_path), "html")
    assert warnings == []
    style = re.search(r"<style>(:root \{.*?\n\})\n</style>", html, re.S).group(1)
    assert style == """\
:root {
  --brand-blauw: #0B4F8A;
  --brand-inkt: #1d1d1f;
  --brand-zand: #f4f6f8;
  --brand-foreground: #1d1d1f;
  --brand-background: #ffffff;
  --brand-primary: #0B4F8A;
  --brand-light: #f4f6f8;
  --text: #1d1d1f;
  --bg: #ffffff;
  --accent: #0B4F8A;
  --note: #0B4F8A;
  --link: #0B4F8A;
  --bg-soft: #f4f6f8;
  --font-headings: "DejaVu Sans", var(--font-body);
  --headings-color: #0B4F8A;
  --headings-weight: 600;
  --font-mono: "DejaVu Sans Mono", ui-monospace, "DejaVu Sans Mono", monospace;
}"""


def test_a_text_colour_below_aa_is_a_warning_naming_file_key_and_line(tmp_path):
    source = branded(tmp_path, BRAND.replace('blauw: "#0B4F8A"', 'blauw: "#7aa7d6"'))
    _, warnings = rendered(source, "html")
    assert warnings == [
        "_brand.yml:8: brand 'color.primary': #7aa7d6 on #ffffff has a contrast of 2.52:1, below WCAG AA "
        "(4.5:1 for text)",
        "_brand.yml:14: brand 'typography.headings.color': #7aa7d6 on #ffffff has a contrast of 2.52:1, below "
        "WCAG AA (4.5:1 for text)"]


def test_web_fonts_are_never_downloaded(tmp_path):
    brand = BRAND.replace("typography:\n", "typography:\n  fonts:\n    - family: Open Sans\n      source: google\n")
    _, warnings = rendered(branded(tmp_path, brand), "html")
    assert warnings == ["_brand.yml:12: brand font 'Open Sans' (source: google) is not downloaded by the embedded "
                        "engine; the family is used where it is installed, else the next font of the list: ship "
                        "its files with 'source: file'"]


def _font_named(source: Path, target: Path, family: str) -> None:
    """A copy of a font file under another family name: a font only the project ships."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(source))
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = family
        elif record.nameID == 6:
            record.string = family.replace(" ", "") + "-Regular"
    font.save(str(target))


def test_a_font_shipped_with_the_brand_reaches_the_pdf_embedded_and_the_site(tmp_path):
    from report.outputs.fonts import engine_font_paths

    (tmp_path / "fonts").mkdir()
    _font_named(Path(engine_font_paths()[0]) / "DejaVuSans.ttf", tmp_path / "fonts" / "Huisletter.ttf", "Huisletter")
    brand = BRAND.replace("typography:\n", "typography:\n  fonts:\n    - family: Huisletter\n      source: file\n"
                                           "      files: [fonts/Huisletter.ttf]\n  base: Huisletter\n")
    source = branded(tmp_path, brand)
    typst, warnings = rendered(source, "typst")
    assert warnings == [] and '  font: ("Huisletter",),\n' in typst
    fonts = {str(font["/BaseFont"]) for page in PdfReader(str(tmp_path / "doc.pdf")).pages
             for font in page["/Resources"]["/Font"].values()}
    assert any(name.endswith("Huisletter-Regular") for name in fonts), fonts
    html, _ = rendered(source, "html")
    assert ('@font-face { font-family: "Huisletter"; src: url("brand/fonts/Huisletter.ttf"); font-weight: 400; '
            'font-style: normal; font-display: swap; }') in html
    assert (tmp_path / "brand" / "fonts" / "Huisletter.ttf").read_bytes() == (tmp_path / "fonts" / "Huisletter.ttf").read_bytes()


def test_quartos_typst_logo_from_the_brand():
    from report.sources.brand import Brand, BrandLogo

    brand = Brand(source=Path("_brand.yml"), lines={}, colors={}, palette=(), typography={},
                  logos={"large": BrandLogo("beeld/logo.png", "Beeldmerk")})
    assert typst_logo(None, brand) == ('#set page(background: align(left+top, box(inset: 0.75in, '
                                       'image("/beeld/logo.png", width: 1.5in, alt: "Beeldmerk"))))')
    assert typst_logo({"location": "right-bottom", "padding": "8px 16px", "width": "200px"}, brand) == (
        '#set page(background: align(right+bottom, box(inset: (x: 12pt, y: 6pt), '
        'image("/beeld/logo.png", width: 150pt, alt: "Beeldmerk"))))')
    assert typst_logo(None, None) is None


def test_a_books_pages_are_headed_by_the_brands_logo_and_share_one_style_sheet(tmp_path):
    branded(tmp_path, document="# Inleiding\n\nTekst.\n")
    (tmp_path / "doc.qmd").rename(tmp_path / "index.qmd")
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nlang: nl\nbook:\n  title: Boek\n  chapters:\n"
                                          "    - index.qmd\nformat: html\n", encoding="utf-8")
    render(tmp_path, RenderOptions(formats=("html",)))
    page = (tmp_path / "_book" / "index.html").read_text(encoding="utf-8")
    assert '<img class="book-logo" src="site_libs/brand/logo.svg" alt="Beeldmerk van het team">' in page
    assert '<link rel="stylesheet" href="site_libs/brand.css">' in page
    assert (tmp_path / "_book" / "site_libs" / "brand" / "logo.svg").read_text(encoding="utf-8") == LOGO
    assert "--accent: #0B4F8A;" in (tmp_path / "_book" / "site_libs" / "brand.css").read_text(encoding="utf-8")
