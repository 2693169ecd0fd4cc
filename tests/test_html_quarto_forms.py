"""HTML forms Quarto gives to content in particular places: margin notes inside tabsets and callouts, footnotes
in the margin, mermaid diagrams, figures cropped for retina screens. Small documents of their own, each
rendered to a single HTML page; the browser tests use the shared Chromium (tests/conftest.py)."""

from __future__ import annotations

import struct
from pathlib import Path

from bs4 import BeautifulSoup

from report.build import RenderOptions, render


def render_page(folder: Path, text: str, name: str = "doc.qmd") -> tuple[BeautifulSoup, list[str]]:
    """Render one document to HTML: its parsed page and the warnings."""
    source = folder / name
    source.write_text(text, encoding="utf-8")
    result = render(source, RenderOptions(formats=("html",)))
    page = source.with_suffix(".html").read_text(encoding="utf-8")
    return BeautifulSoup(page, "html.parser"), [str(warning) for warning in result.warnings]


MARGIN_IN_TABS = """---
title: Tabbladen met kantlijn
---

::: {.panel-tabset}

### Eerste

Tekst een.

::: {.column-margin}
Noot bij een
:::

### Tweede

::: {.column-margin}
Noot bij twee
:::

::: {.aside}
Tweede noot bij twee
:::

:::

::: {.callout-note collapse=true}

## Ingeklapt

Tekst in de callout.

::: {.column-margin}
Noot bij de callout
:::

:::
"""


def test_margin_notes_of_tabs_stand_before_the_tabset_marked_with_their_tab(tmp_path):
    page, _warnings = render_page(tmp_path, MARGIN_IN_TABS)
    tabset = page.select_one("div.panel-tabset")
    container = tabset.find_previous_sibling("div")
    assert "tabset-margin-container" in container["class"]
    notes = container.select(".tabset-margin-content")
    assert [note.get_text(strip=True) for note in notes] == ["Noot bij een", "Noot bij twee", "Tweede noot bij twee"]
    first_tab, second_tab = [link["id"] for link in tabset.select("a.nav-link")]
    assert f"{first_tab}-margin-content" in notes[0]["class"] and "collapse" not in notes[0]["class"]
    assert all(f"{second_tab}-margin-content" in note["class"] and "collapse" in note["class"] for note in notes[1:])
    assert tabset.select(".column-margin, .aside") == [], "no margin note is left inside a pane"


def test_margin_notes_of_a_collapsed_callout_follow_it_in_a_margin_container(tmp_path):
    page, _warnings = render_page(tmp_path, MARGIN_IN_TABS)
    callout = page.select_one("div.callout")
    container = callout.find_next_sibling("div")
    assert {"column-margin", "column-container"} <= set(container["class"])
    note = container.select_one(".callout-collapse")
    assert note.get_text(strip=True) == "Noot bij de callout"
    assert {"callout-margin-content", "collapse"} <= set(note["class"]) and "show" not in note["class"]
    assert callout.select(".column-margin") == []


def test_margin_notes_follow_the_shown_tab_and_the_opened_callout_in_a_browser(tmp_path, browser):
    render_page(tmp_path, MARGIN_IN_TABS)
    page = browser.new_page()
    try:
        page.goto((tmp_path / "doc.html").as_uri())
        def shown(text: str) -> bool:
            return page.get_by_text(text, exact=True).is_visible()

        assert shown("Noot bij een") and not shown("Noot bij twee") and not shown("Noot bij de callout")
        page.get_by_role("tab", name="Tweede").click()
        assert not shown("Noot bij een") and shown("Noot bij twee") and shown("Tweede noot bij twee")
        page.locator("details.callout-collapse > summary").click()
        assert shown("Noot bij de callout")
    finally:
        page.close()


def _png_size(path: Path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


def test_a_retina_figure_is_cropped_tight_and_shown_at_half_its_pixels(tmp_path):
    document = """---
title: Retina
fig-format: retina
fig-dpi: 100
fig-width: 6
fig-height: 4
---

```{python}
import matplotlib.pyplot as plt
plt.plot([1, 2, 3])
plt.title("Een lijn")
```
"""
    page, _warnings = render_page(tmp_path, document)
    image = page.select_one("img.figure-img")
    width, height = _png_size(tmp_path / image["src"])
    # 6 x 4 inch at twice 100 dpi is 1200 x 800 pixels before the tight crop takes the empty edge off
    assert width < 1200 and height < 800
    assert (image["width"], image["height"]) == (str(width // 2), str(height // 2))
