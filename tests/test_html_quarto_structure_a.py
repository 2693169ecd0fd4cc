"""HTML structure as Quarto writes it, for behaviour Quarto's smoke tests pin down: interactive code annotations,
theme files that are missing, table classes, figures, tabsets, appendix and more. Small documents of their own,
rendered to a single HTML page each."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from report.build import RenderOptions, render


def render_page(folder: Path, text: str, name: str = "doc.qmd", **files: str) -> tuple[BeautifulSoup, str, list[str]]:
    """Render one document to HTML: its parsed page, its text and the warnings."""
    for relative, content in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(content, encoding="utf-8")
    source = folder / name
    source.write_text(text, encoding="utf-8")
    result = render(source, RenderOptions(formats=("html",)))
    page = source.with_suffix(".html").read_text(encoding="utf-8")
    return BeautifulSoup(page, "html.parser"), page, [str(warning) for warning in result.warnings]


ANNOTATED = """---
title: Annotaties
code-annotations: {mode}
---

```typescript
const total = 6 * 7;  // <1>
console.log(total);
```

1. Reken het totaal uit.

```c
int main() {{
  return 0;  /* <1> */
}}
```

1. Een C-blokcommentaar als markering.
"""


def test_select_annotations_are_buttons_that_open_on_click(tmp_path):
    page, text, _warnings = render_page(tmp_path, ANNOTATED.format(mode="select"))
    buttons = page.select("button.code-annotation-anchor[data-target-annotation='1']")
    assert [button["data-target-cell"] for button in buttons] == ["annotated-cell-1", "annotated-cell-2"]
    # The button stands at the start of its line, and the marker is gone from the code.
    assert buttons[0].find_next_sibling("span")["id"] == "annotated-cell-1-1"
    assert "<1>" not in page.find("pre").get_text() and "<1>" not in page.select("pre")[1].get_text()
    lists = page.select("dl.code-annotation-container-grid.code-annotation-container-hidden")
    assert len(lists) == 2 and "Reken het totaal uit." in lists[0].get_text()
    assert "trigger: 'click'" in text and text.count("code-annotation-tip") >= 1


def test_hover_annotations_open_on_hover_and_below_keeps_numbers_after_the_line(tmp_path):
    page, text, _warnings = render_page(tmp_path, ANNOTATED.format(mode="hover"))
    assert page.select("button.code-annotation-anchor[data-target-annotation='1']")
    assert "trigger: 'click'" not in text and "trigger: 'mouseenter focus'" in text
    page, text, _warnings = render_page(tmp_path, ANNOTATED.format(mode="below"))
    assert not page.select("button.code-annotation-anchor") and "trigger:" not in text
    assert [span.get_text() for span in page.select("span.code-annotation-anchor")] == ["1", "1"]
    assert not page.select("dl.code-annotation-container-hidden")


def test_a_missing_theme_file_is_a_warning_and_the_page_renders(tmp_path):
    document = "---\ntitle: Thema\nformat:\n  html:\n    theme: [ontbreekt.scss, cosmo]\n---\n\nTekst.\n"
    page, text, warnings = render_page(tmp_path, document)
    assert page.find("p").get_text() == "Tekst."
    assert warnings[0] == "doc.qmd: theme file 'ontbreekt.scss' does not exist; the theme is compiled without it"
    assert "#2780e3" in text, "cosmo's colours are compiled all the same"


TABLES = """---
title: Tabellen
{front}---

| a | b |
|---|---|
| 1 | 2 |

: Gestreept {{#tbl-opties .eigen .striped .hover .sm}}

| c | d |
|---|---|
| 3 | 4 |

: Zonder label
"""


def test_bootstrap_table_options_get_their_prefix_and_captions_on_top_mark_the_table(tmp_path):
    page, _text, _warnings = render_page(tmp_path, TABLES.format(front=""))
    tables = page.find_all("table")
    assert tables[0]["class"] == ["eigen", "table-striped", "table-hover", "table-sm", "small", "caption-top"]
    assert tables[1]["class"] == ["caption-top"] and tables[1].find("caption").get_text() == "Zonder label"


def test_captions_below_the_table_leave_it_without_caption_top(tmp_path):
    page, _text, _warnings = render_page(tmp_path, TABLES.format(front="tbl-cap-location: bottom\n"))
    assert [table.get("class") for table in page.find_all("table")] == [
        ["eigen", "table-striped", "table-hover", "table-sm", "small"], None]


def test_meta_and_var_count_list_items_from_one_as_quarto(tmp_path):
    document = """---
title: Meta
reeks: [eerste waarde, tweede waarde]
diep:
  sleutel: gevonden
---

{{< meta reeks.1 >}} en {{< meta reeks.2 >}}; {{< meta diep.sleutel >}}; {{< var lijst.1 >}}
"""
    page, _text, warnings = render_page(tmp_path, document, **{"_variables.yml": "lijst: [een, twee]\n"})
    assert page.find("main").find("p").get_text() == "eerste waarde en tweede waarde; gevonden; een"
    assert warnings == []


def test_the_tab_whose_heading_is_active_opens_first_and_panes_are_named_by_place(tmp_path):
    document = """---
title: Tabs
---

::: {.panel-tabset}

### Eerste

Een.

### Tweede {.active}

Twee.

:::
"""
    page, _text, _warnings = render_page(tmp_path, document)
    panes = page.select("div.tab-pane")
    assert [pane["id"] for pane in panes] == ["tabset-1-1", "tabset-1-2"]
    assert [pane.has_attr("hidden") for pane in panes] == [True, False] and "active" in panes[1]["class"]
    assert page.select_one("a.nav-link.active")["aria-controls"] == "tabset-1-2"


def test_a_brand_colour_that_is_no_colour_warns_in_quartos_words(tmp_path):
    document = "---\ntitle: Merk\nbrand:\n  typography:\n    monospace:\n      color: foreground\n---\n\n`code`\n"
    _page, _text, warnings = render_page(tmp_path, document)
    assert warnings == ["doc.qmd: brand 'typography.monospace.color': \"foreground\" is not a valid CSS color name "
                        "nor a colour of the brand; it is ignored"]


def test_a_table_output_is_a_display_output_that_keeps_its_styler_rules(tmp_path):
    document = """---
title: Stijl
---

```{python}
import pandas as pd
frame = pd.DataFrame({"tekst": ["a", "b"], "getal": [1, 2]})
frame.style.set_properties(subset=["getal"], **{"text-align": "right"})
```

```{python}
frame
```
"""
    page, _text, _warnings = render_page(tmp_path, document)
    styled, plain = page.select("div.cell-output.cell-output-display")
    assert "text-align: right" in styled.find("style").get_text() and styled.find("table") is not None
    assert plain.find("style") is None, "pandas' own notebook style gives way to the site's table design"
    assert [cell.get_text() for cell in plain.find("tbody").find_all("td")] == ["a", "1", "b", "2"]


def _png(folder: Path, name: str = "beeld.png") -> None:
    """A small PNG of its own (matplotlib), for documents that show an image file."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(2, 1))
    figure.savefig(folder / name)
    plt.close(figure)


def test_fig_align_places_figures_and_images_and_fig_alt_is_the_alt_text(tmp_path):
    _png(tmp_path)
    document = """---
title: Uitlijning
---

![](beeld.png){fig-alt="Een leeg vlak." fig-align="right"}

![Met bijschrift](beeld.png){fig-alt="Een leeg vlak." fig-align="left"}

![Genummerd](beeld.png){#fig-vlak fig-alt="Een leeg vlak." fig-align="right"}

![Standaard](beeld.png){fig-alt="Een leeg vlak."}
"""
    page, _text, _warnings = render_page(tmp_path, document)
    plain = page.find("main").find("p").find("img")
    assert plain["class"] == ["quarto-figure", "quarto-figure-right"] and plain["alt"] == "Een leeg vlak."
    assert not plain.has_attr("data-fig-alt") and not plain.has_attr("data-fig-align")
    floats = page.select("div.quarto-float")
    assert [[name for name in div["class"] if name.startswith("quarto-figure-")] for div in floats] == [
        ["quarto-figure-left"], ["quarto-figure-right"], ["quarto-figure-center"]]
    assert not any(img.has_attr("data-fig-align") for img in page.find_all("img"))


def test_a_linked_image_with_a_caption_is_a_figure(tmp_path):
    _png(tmp_path)
    page, _text, _warnings = render_page(tmp_path, "---\ntitle: Link\n---\n\n[![Een bijschrift](beeld.png)](https://example.org)\n")
    figure = page.select_one("div.quarto-figure figure.figure")
    assert figure.find("a")["href"] == "https://example.org" and figure.find("a").find("img") is not None
    assert figure.find("figcaption").get_text(strip=True) == "Een bijschrift"


def test_images_in_a_layout_keep_their_width_and_lose_their_height(tmp_path):
    _png(tmp_path)
    document = """---
title: Raster
---

::: {layout-ncol="2"}

![](beeld.png){width=300 height=300}

![](beeld.png)

:::
"""
    page, _text, _warnings = render_page(tmp_path, document)
    images = page.select("div.quarto-layout-cell img")
    assert images[0]["width"] == "300" and not any(image.has_attr("height") for image in images)


def test_lipsum_shows_quartos_placeholder_paragraphs(tmp_path):
    page, _text, _warnings = render_page(tmp_path, "---\ntitle: Vultekst\n---\n\n{{< lipsum 2 >}}\n\n{{< lipsum 18-18 >}}\n")
    paragraphs = [p.get_text() for p in page.find("main").find_all("p", recursive=False)]
    assert paragraphs[0].startswith("Lorem ipsum dolor sit amet, consectetur adipiscing elit. Duis sagittis")
    assert paragraphs[1].startswith("Nunc ac dignissim magna. Vestibulum vitae egestas elit.")
    assert paragraphs[2] == paragraphs[1], "past the last paragraph the text starts again at the second, as Quarto"


def test_echo_fenced_shows_the_cell_with_its_fence_and_options(tmp_path):
    document = """---
title: Omheind
---

```{python}
#| echo: fenced
#| label: getal
#| output: true
print(6 * 7)
```
"""
    page, _text, _warnings = render_page(tmp_path, document)
    code = page.select_one("div.cell div.cell-code pre.markdown")  # Quarto's: cell-code on the sourceCode div
    assert code.get_text().split("\n") == ["```{python}", "#| label: getal", "#| output: true", "print(6 * 7)", "```"]
    assert page.select_one("div.cell pre.cell-output-stdout").get_text().strip() == "42"


def test_embedded_resources_are_also_found_in_the_resource_path(tmp_path):
    (tmp_path / "beelden").mkdir()
    _png(tmp_path / "beelden")
    document = ("---\ntitle: Ingebed\nembed-resources: true\nresource-path: [beelden]\n---\n\n"
                "![Een vlak](beeld.png){fig-alt=\"Een leeg vlak.\"}\n")
    page, _text, warnings = render_page(tmp_path, document)
    assert page.find("img")["src"].startswith("data:image/png;base64,")
    assert warnings == [] and not (tmp_path / "doc_files").exists()


def test_data_qmd_spans_in_an_html_table_are_read_as_markdown_with_their_shortcodes(tmp_path):
    document = """---
title: Tabel
number-sections: true
---

```{=html}
<table>
  <caption><span data-qmd="Zie [Sectie -@sec-methode]."></span></caption>
  <tr><th><span data-qmd="_Kop_"></span></th><th>Gewoon</th></tr>
  <tr><td><span data-qmd="{{< video https://www.youtube.com/embed/wo9vZccmqwc >}}"></span></td>
      <td><span data-qmd-base64="KipWZXR0ZSoq"></span></td></tr>
</table>
```

## Methode {#sec-methode}
"""
    page, _text, warnings = render_page(tmp_path, document)
    table = page.find("table")
    assert table.find("caption").get_text() == "Zie Sectie\u00a01."
    assert table.find("caption").find("a")["href"] == "#sec-methode"
    assert table.find("th").find("em").get_text() == "Kop"
    assert table.find("iframe")["src"] == "https://www.youtube.com/embed/wo9vZccmqwc"
    assert table.find("strong").get_text() == "Vette"
    assert not table.select("[data-qmd], [data-qmd-base64]") and warnings == []


def test_a_books_cover_image_stands_under_the_index_pages_first_heading(tmp_path):
    _png(tmp_path, "omslag.png")
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: book\nbook:\n  title: Boek\n  cover-image: omslag.png\n"
        "  cover-image-alt: Het omslag van het boek.\n  chapters:\n    - index.qmd\n    - hoofdstuk.qmd\n",
        encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Voorwoord {.unnumbered}\n\nWelkom.\n", encoding="utf-8")
    (tmp_path / "hoofdstuk.qmd").write_text("# Hoofdstuk\n\nTekst.\n", encoding="utf-8")
    render(tmp_path, RenderOptions(formats=("html",)))
    index = BeautifulSoup((tmp_path / "_book" / "index.html").read_text(encoding="utf-8"), "html.parser")
    cover = index.select_one("section#voorwoord > h1 + p > img.quarto-cover-image")
    assert cover["src"] == "omslag.png" and cover["alt"] == "Het omslag van het boek." and cover["title"] == "Boek"
    assert (tmp_path / "_book" / "omslag.png").read_bytes() == (tmp_path / "omslag.png").read_bytes()
    chapter = (tmp_path / "_book" / "hoofdstuk.html").read_text(encoding="utf-8")
    assert "quarto-cover-image" not in chapter


CITED = """---
title: Een rapport
author: Anna Jansen
date: 2024-03-01
lang: nl
citation:
  type: report
  publisher: Het Bureau
  doi: 10.1234/abcd
{extra}---

Tekst.
"""


def test_citation_adds_an_appendix_that_says_how_to_cite_the_document(tmp_path):
    page, _text, warnings = render_page(tmp_path, CITED.format(extra=""))
    appendix = page.select_one("main > #quarto-appendix > section#quarto-citation")
    assert appendix.find("h2").get_text() == "Citaat"
    bibtex = appendix.select_one("pre.quarto-appendix-bibtex").get_text()
    assert bibtex.startswith("@report{jansen2024,") and "doi = {10.1234/abcd}" in bibtex
    cite_as = appendix.select_one("div.csl-entry.quarto-appendix-citeas").get_text(" ", strip=True)
    assert "Jansen, Anna" in cite_as and "2024" in cite_as and "Het Bureau" in cite_as
    assert [label.get_text() for label in appendix.select(".quarto-appendix-secondary-label")] == [
        "BibTeX citaat:", "Citeer dit werk als:"]
    assert warnings == []


def test_appendix_cite_as_keeps_one_form_and_no_citation_means_no_appendix(tmp_path):
    page, _text, _warnings = render_page(tmp_path, CITED.format(extra="appendix-cite-as: display\n"))
    assert page.select_one(".quarto-appendix-citeas") is not None and page.select_one(".quarto-appendix-bibtex") is None
    page, _text, _warnings = render_page(tmp_path, "---\ntitle: Zonder\n---\n\nTekst.\n")
    assert page.select_one("#quarto-appendix") is None


def test_a_display_output_is_no_block_of_its_own_in_the_pdf(tmp_path):
    source = tmp_path / "doc.qmd"
    source.write_text("---\ntitle: Tabel\nkeep-typ: true\n---\n\n```{python}\nimport pandas as pd\n"
                      "pd.DataFrame({'a': [1, 2]})\n```\n", encoding="utf-8")
    render(source, RenderOptions(formats=("typst",)))
    typst = (tmp_path / "doc.typ").read_text(encoding="utf-8")
    body = typst[typst.index("pd.DataFrame"):]
    assert "table(" in body and "#block[" not in body


def test_a_cell_that_is_not_run_takes_its_code_display_options_from_its_own_comment_lines(tmp_path):
    document = """---
title: Diagram
---

```{sql}
--| code-fold: true
--| code-summary: "Toon de \\"bron\\""
--| fig-align: left
SELECT naam
  FROM tabel
```
"""
    page, _text, warnings = render_page(tmp_path, document)
    fold = page.select_one("div.cell[data-layout-align='left'] > details.code-fold")
    assert fold.find("summary").get_text() == 'Toon de "bron"'
    assert fold.find("pre", class_="sql").get_text().strip() == "SELECT naam\n  FROM tabel"
    assert "--|" not in page.find("main").get_text()
    assert any("cell language '{sql}' is not run" in warning for warning in warnings)


def test_a_cell_with_panel_tabset_makes_its_markdown_headings_tabs(tmp_path):
    document = """---
title: Tabs uit een cel
---

```{python}
#| panel: tabset
#| output: asis
#| echo: false
for naam in ["een", "twee"]:
    print(f"## Kop {naam}\\n\\nInhoud {naam}\\n")
```
"""
    page, _text, _warnings = render_page(tmp_path, document)
    tabset = page.select_one("div.panel-tabset")
    assert [tab.get_text(strip=True) for tab in tabset.select("a.nav-link")] == ["Kop een", "Kop twee"]
    assert [pane.get_text(strip=True) for pane in tabset.select("div.tab-pane")] == ["Inhoud een", "Inhoud twee"]
