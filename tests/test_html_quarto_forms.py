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


DIAGRAMS = """---
title: Diagrammen
fig-align: right
---

```{mermaid}
%%| fig-align: left
flowchart LR
  a --> b
```

```{mermaid}
%%| fig-cap: Zonder label
%%| echo: true
flowchart LR
  c --> d
```

```{mermaid}
%%| label: fig-stroom
%%| fig-cap: De stroom
flowchart TB
  e --> f
```

Zie @fig-stroom.
"""


def test_a_mermaid_cell_is_quartos_diagram_markup_with_its_alignment_and_caption(tmp_path):
    page, warnings = render_page(tmp_path, DIAGRAMS)
    cells = page.select("main div.cell")
    # a cell's own fig-align, else the document's, as the cell's layout-align
    assert [cell["data-layout-align"] for cell in cells] == ["left", "right", "right"]
    diagrams = page.select("pre.mermaid.mermaid-js")
    assert [diagram.get_text() for diagram in diagrams] == ["flowchart LR\n  a --> b", "flowchart LR\n  c --> d",
                                                            "flowchart TB\n  e --> f"]
    # unlabelled: a bare figure, with its caption when it has one; echo (off by default) shows the code
    assert cells[0].select_one("figure > pre.mermaid-js") is not None and cells[0].find("figcaption") is None
    assert cells[1].select_one("figure > figcaption").get_text(strip=True) == "Zonder label"
    assert cells[1].select_one("pre.default code").get_text() == "flowchart LR\n  c --> d"
    assert cells[0].select("pre.default") == []
    # labelled: a numbered figure float, aligned as the document says, that a cross-reference reaches
    figure = page.select_one("div#fig-stroom.quarto-float.quarto-figure.quarto-figure-right")
    assert figure.select_one("pre.mermaid-js")["data-label"] == "fig-stroom"
    assert figure.find("figcaption").get_text(strip=True) == "Figure\xa01: De stroom"
    assert page.select_one('a.quarto-xref[href="#fig-stroom"]').get_text() == "Figure\xa01"
    assert not [warning for warning in warnings if "mermaid" in warning or "fig-align" in warning]
    scripts = [script["src"] for script in page.select("script[src]")]
    assert any(src.endswith("/mermaid.min.js") for src in scripts) and any(src.endswith("/mermaid-init.js")
                                                                            for src in scripts)
    assert all((tmp_path / src).is_file() for src in scripts if "mermaid" in src), "the scripts ship with the page"


def test_the_document_fig_align_places_every_figure_without_its_own(tmp_path):
    (tmp_path / "punt.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
                                       encoding="utf-8")
    document = """---
title: Uitlijning
fig-align: left
---

![Links](punt.svg){#fig-links}

![Rechts](punt.svg){#fig-rechts fig-align="right"}
"""
    page, warnings = render_page(tmp_path, document)
    assert "quarto-figure-left" in page.select_one("div#fig-links")["class"]
    assert "quarto-figure-right" in page.select_one("div#fig-rechts")["class"]
    assert not [warning for warning in warnings if "fig-align" in warning]


def test_mermaid_diagrams_are_drawn_in_the_browser_without_the_network(tmp_path, browser):
    render_page(tmp_path, DIAGRAMS)
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto((tmp_path / "doc.html").as_uri())
        page.wait_for_selector("#fig-stroom pre.mermaid-js svg", timeout=15000)
        assert page.locator("pre.mermaid-js svg").count() == 3
        assert "e" in page.locator("#fig-stroom pre.mermaid-js svg").text_content()
        left = page.locator("div.cell[data-layout-align='left'] pre.mermaid-js svg").bounding_box()
        right = page.locator("#fig-stroom pre.mermaid-js svg").bounding_box()
        assert left["x"] < right["x"], "a left-aligned diagram starts left of a right-aligned one"
        assert all(url.startswith("file://") for url in requests)
    finally:
        page.close()


def test_a_mermaid_cell_in_the_pdf_shows_its_source_with_a_warning(tmp_path):
    source = tmp_path / "doc.qmd"
    source.write_text(DIAGRAMS.replace("title: Diagrammen", "title: Diagrammen\nkeep-typ: true"), encoding="utf-8")
    result = render(source, RenderOptions(formats=("typst",)))
    typst = (tmp_path / "doc.typ").read_text(encoding="utf-8")
    assert "flowchart TB" in typst and "e --> f" in typst
    warnings = [str(warning) for warning in result.warnings if "mermaid" in str(warning)]
    assert len(warnings) == 3 and "doc.qmd:20" in warnings[2]
    assert "mermaid diagram is drawn by mermaid.js on the HTML page only; the PDF shows its source" in warnings[0]
    result = render(source, RenderOptions(formats=("docx",)))
    assert any("the Word document shows its source as code" in str(warning) for warning in result.warnings)


MARGIN_NOTES = """---
title: Noten in de kantlijn
reference-location: margin
---

Een zin met een noot.^[Eerste noot.] En nog een.^[Tweede noot.]

- Een punt met een noot.^[Derde noot.]
- Een tweede punt.

::: {.callout-note}
In een callout.^[Vierde noot.]
:::

Verder.
"""


def test_margin_references_put_each_note_beside_the_block_that_refers_to_it(tmp_path):
    page, warnings = render_page(tmp_path, MARGIN_NOTES)
    main = page.find("main")
    assert main.select(".footnotes") == [] and not [warning for warning in warnings if "reference-location" in warning]
    paragraph = main.select("p")[0]
    containers = main.select("div.no-row-height.column-margin.column-container")
    assert [[note["id"] for note in container.find_all("div", recursive=False)] for container in containers] == [
        ["fn1", "fn2"], ["fn3"], ["fn4"]]
    assert containers[0].find_previous_sibling("p") is paragraph
    assert [link["href"] for link in paragraph.select("a.footnote-ref")] == ["#fn1", "#fn2"]
    assert containers[0].select_one("#fn2").get_text().strip() == "2\xa0Tweede noot."
    assert containers[1].find_previous_sibling().name == "ul", "a list's notes follow the list"
    # a callout's notes follow the callout, as Quarto moves margin content out of it
    assert "callout" in containers[2].find_previous_sibling("div")["class"]
    assert "callout-margin-content" in containers[2].select_one("#fn4")["class"]


def test_margin_notes_stand_in_the_margin_of_the_page(tmp_path, browser):
    render_page(tmp_path, MARGIN_NOTES)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((tmp_path / "doc.html").as_uri())
        text = page.locator("main p").first.bounding_box()
        note = page.locator("#fn1").bounding_box()
        assert note["x"] >= text["x"] + text["width"], "the note stands right of the text, in the margin"
        # as in Quarto, the margin container follows its paragraph: the note starts by the paragraph's end
        assert text["y"] <= note["y"] <= text["y"] + text["height"] + 60, "beside the paragraph that refers to it"
    finally:
        page.close()


def test_a_format_variant_reaches_pandocs_writer_and_the_log_names_it(tmp_path, caplog):
    document = """---
title: Variant
format:
  html:
    variant: +literate_haskell
---

```{.haskell .literate}
unsplit = arr . uncurry
```
"""
    with caplog.at_level("INFO", logger="report"):
        page, warnings = render_page(tmp_path, document)
    assert page.select_one("pre.sourceCode.literatehaskell") is not None
    assert "  to: html+literate_haskell" in [record.getMessage() for record in caplog.records]
    assert not [warning for warning in warnings if "variant" in warning]


def test_a_table_cell_in_a_callout_is_a_table_float_there_that_a_reference_reaches(tmp_path):
    document = """---
title: Tabel in een callout
---

::: callout-tip
```{python}
#| echo: false
#| label: tbl-tabel
#| tbl-cap: "Een tabel"
import pandas as pd
pd.DataFrame({"a": ["tekst", "meer"], "b": [1, 2]})
```
:::

Zie @tbl-tabel.
"""
    page, _warnings = render_page(tmp_path, document)
    table = page.select_one("div.callout.callout-tip #tbl-tabel")
    assert "quarto-float" in table["class"] and table.find("table") is not None
    assert table.find("figcaption").get_text(strip=True) == "Table\xa01: Een tabel"
    assert page.select_one('a.quarto-xref[href="#tbl-tabel"]').get_text() == "Table\xa01"


def test_an_apostrophe_in_code_is_written_as_itself(tmp_path):
    document = """---
title: Apostrof
---

```python
print('hallo')
```
"""
    render_page(tmp_path, document)
    text = (tmp_path / "doc.html").read_text(encoding="utf-8")
    assert "&#39;hallo&#39;" not in text and "'hallo'" in text


def test_echo_fenced_highlights_the_cells_options_and_code_in_its_own_language(tmp_path):
    document = """---
title: Omheind
---

```{python}
#| echo: fenced
#| fig-cap: "Let op: een 'aangehaalde' titel"
x = 1
```

```{mermaid}
%%| echo: fenced
flowchart LR
  a --> b
```
"""
    page, _warnings = render_page(tmp_path, document)
    text = (tmp_path / "doc.html").read_text(encoding="utf-8")
    python, mermaid = page.select("pre.sourceCode.markdown")
    # the options as Quarto's YAML writes them again, highlighted as Python comments
    assert "<span class=\"co\">#| fig-cap: 'Let op: een ''aangehaalde'' titel'</span>" in text
    assert [span.get_text() for span in python.select("span.in")] == ["```{python}", "```"]
    assert python.select_one("span.dv").get_text() == "1"
    lines = [line.get_text() for line in mermaid.select("code > span")]
    assert lines == ["```{mermaid}", "flowchart LR", "  a --> b", "```"], "echo: fenced itself is not shown"


def test_without_mermaid_js_installed_the_page_shows_the_source_and_the_render_warns(tmp_path, monkeypatch):
    import report.outputs.mermaid as mermaid

    monkeypatch.setattr(mermaid, "MERMAID_PACKAGE", tmp_path / "not-installed")
    page, warnings = render_page(tmp_path, DIAGRAMS)
    assert page.select_one("#fig-stroom pre.mermaid-js").get_text() == "flowchart TB\n  e --> f"
    assert not [script for script in page.select("script[src]") if "mermaid" in script["src"]]
    assert warnings == ["doc.qmd: mermaid.js is not installed (scripts/setup.sh installs it with npm), so the page "
                        "shows the source of its mermaid diagrams instead of drawing them"]
