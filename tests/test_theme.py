"""Quarto's HTML `theme:` (report.outputs.theme): Bootswatch names and layered .scss files, compiled by libsass,
their Bootstrap variables mapped onto the site's own design properties. Small documents of their own; one
themed page is checked with axe in Chromium (module `test_site_browser`'s browser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from report.build import RenderOptions, render
from report.errors import ReportError

CUSTOM = """\
/*-- scss:functions --*/
@function huis-tint($colour) { @return mix($colour, white, 90%); }

/*-- scss:defaults --*/
$huisblauw: #0a3d6b;
$primary: $huisblauw !default;
$body-color: #202024 !default;
$font-family-sans-serif: "Atkinson Hyperlegible", sans-serif !default;
$headings-color: huis-tint($huisblauw) !default;

/*-- scss:rules --*/
.callout { border-radius: 0; }
"""
DOCUMENT = """---
title: Thema
lang: nl
{front}---

## Een kop

Een [link](https://example.org), `code` en een tabel.

| a | b |
|---|---|
| 1 | 2 |

::: {{.callout-tip}}
Een tip.
:::
"""


def themed(folder: Path, front: str, **files: str) -> tuple[str, list[str]]:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    source = folder / "doc.qmd"
    source.write_text(DOCUMENT.format(front=front), encoding="utf-8")
    result = render(source, RenderOptions(formats=("html",)))
    return (folder / "doc.html").read_text(encoding="utf-8"), [str(warning) for warning in result.warnings]


def properties(html: str) -> dict[str, str]:
    """The design properties the theme's style block sets."""
    block = re.search(r"<style>(:root \{.*?\})", html, re.S).group(1)
    return dict(re.findall(r"(--[\w-]+): ([^;]+);", block))


def test_a_custom_scss_theme_sets_the_sites_properties_and_adds_its_rules(tmp_path):
    html, warnings = themed(tmp_path, "theme: huis.scss\n", **{"huis.scss": CUSTOM})
    assert warnings == []
    assert properties(html) == {
        "--text": "#202024", "--bg": "#ffffff", "--accent": "#0a3d6b", "--note": "#0a3d6b", "--link": "#0a3d6b",
        "--muted": "#4d4d50", "--tip": "#1f6b2f", "--warning": "#8a5300", "--important": "#a3121b",
        "--bg-soft": "#f4f6f8", "--border": "#d0d4da", "--font-body": '"Atkinson Hyperlegible", sans-serif',
        "--line-height": "1.6", "--headings-color": "#23507a", "--headings-weight": "700",
        "--font-mono": 'ui-monospace, "DejaVu Sans Mono", monospace', "--code-color": "#202024"}
    assert re.search(r"\.callout \{\s*border-radius: 0;\s*\}", html)
    assert "option 'theme'" not in " ".join(warnings)


def test_a_bootswatch_theme_below_aa_warns_naming_the_variable(tmp_path):
    html, warnings = themed(tmp_path, "theme: cosmo\n")
    assert properties(html)["--accent"] == "#2780e3"
    assert warnings == ["doc.qmd: theme cosmo: $link-color: #2780e3 on #ffffff has a contrast of 3.97:1, below "
                        "WCAG AA (4.5:1 for text)"]


def test_later_themes_win_and_dark_sets_the_properties_for_a_dark_scheme(tmp_path):
    overrides = "/*-- scss:defaults --*/\n$primary: #5a1e6e;\n"
    html, warnings = themed(tmp_path, "theme:\n  light: [huis.scss, paars.scss]\n  dark: darkly\n",
                            **{"huis.scss": CUSTOM, "paars.scss": overrides})
    assert properties(html)["--accent"] == "#5a1e6e"
    dark = re.search(r"@media \(prefers-color-scheme: dark\) \{\s*:root \{(.*?)\}", html, re.S).group(1)
    assert "--bg: #222;" in dark and "--text: #fff;" in dark
    assert warnings == []


def test_a_theme_file_without_layers_and_an_unknown_name_are_errors(tmp_path):
    (tmp_path / "plat.scss").write_text("$primary: red;\n", encoding="utf-8")
    with pytest.raises(ReportError) as raised:
        themed(tmp_path, "theme: plat.scss\n")
    assert str(raised.value) == ("plat.scss: a theme file needs at least one of the layer comments "
                                 "/*-- scss:defaults --*/, /*-- scss:rules --*/, /*-- scss:functions --*/, "
                                 "/*-- scss:mixins --*/, /*-- scss:uses --*/ (Quarto's layers)")
    with pytest.raises(ReportError, match=r"^doc.qmd: theme 'kosmo' is neither a .scss file nor a Bootswatch "
                                          r"theme \(brite, cerulean, cosmo,"):
        themed(tmp_path, "theme: kosmo\n")


def test_a_sass_error_names_the_theme(tmp_path):
    with pytest.raises(ReportError, match=r"^doc.qmd: theme kapot.scss could not be compiled: "):
        themed(tmp_path, "theme: kapot.scss\n", **{"kapot.scss": "/*-- scss:rules --*/\n.a { color: $nergens; }\n"})


def test_a_themed_page_has_no_serious_axe_violations(tmp_path, browser):
    from axe_playwright_python.sync_playwright import Axe

    themed(tmp_path, "theme: huis.scss\n", **{"huis.scss": CUSTOM})
    page = browser.new_page()
    try:
        page.goto((tmp_path / "doc.html").as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("getComputedStyle(document.querySelector('main a')).color") == "rgb(10, 61, 107)"
        violations = Axe().run(page).response["violations"]
    finally:
        page.close()
    assert [violation["id"] for violation in violations if violation["impact"] in ("serious", "critical")] == []
