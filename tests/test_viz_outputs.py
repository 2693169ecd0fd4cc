"""Interactive and table outputs of real plotting and table libraries (plotly, bokeh, ipywidgets, great_tables)
as Quarto renders them: the HTML page loads their JavaScript (require.js, jQuery, the widget manager, plotly's
library in the head), sub-captions make sub-figures of plotly outputs, and the PDF shows what has a static form
(great_tables as a typst table, a widget's text) and Quarto's note where nothing does."""

import json
import re
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render

DOCUMENT = '''---
title: "Grafieken"
format:
  typst:
    keep-typ: true
---

```{python}
#| label: fig-punten
#| fig-cap: "Twee jaren"
#| fig-subcap:
#|   - "Jaar een"
#|   - "Jaar twee"
#| layout-ncol: 2
import plotly.express as px
for jaar in (1, 2):
    px.scatter(x=[1, 2, 3], y=[jaar, 4, 9]).show()
```

```{python}
from bokeh.io import output_notebook
from bokeh.plotting import figure, show
output_notebook(hide_banner=True)
plot = figure(height=200, title="Bokeh")
plot.line([1, 2], [3, 4])
show(plot)
```

```{python}
import ipywidgets
ipywidgets.IntSlider(value=7, description="Aantal")
```

```{python}
#| label: tbl-eilanden
#| tbl-cap: "Eilanden"
from great_tables import GT
from great_tables.data import islands
GT(islands.head(3), rowname_col="name").fmt_integer(columns="size")
```

```{python}
from IPython.display import display
display({"application/vnd.plotly.v1+json": {"data": [], "layout": {}}}, raw=True)
```
'''

REQUIRE = "https://cdn.jsdelivr.net/npm/requirejs@2.3.6/require.min.js"
JQUERY = "https://cdn.jsdelivr.net/npm/jquery@3.5.1/dist/jquery.min.js"
MANAGER = "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@*/dist/embed-amd.js"


@pytest.fixture(scope="module")
def viz_render(render_html_and_pdf) -> tuple[Path, tuple[str, ...], tuple[str, ...]]:
    return render_html_and_pdf("grafieken.qmd", DOCUMENT)


def _page(folder: Path, name: str = "grafieken.html") -> BeautifulSoup:
    return BeautifulSoup((folder / name).read_text(encoding="utf-8"), "html.parser")


def _cells(page: BeautifulSoup) -> list:
    return page.select("main div.cell")


def test_plotly_outputs_with_subcaptions_are_two_subfigures(viz_render):
    folder, html_warnings, _ = viz_render
    page = _page(folder)
    for number, caption in ((1, "(a) Jaar een"), (2, "(b) Jaar twee")):
        subfloat = page.select_one(f"div#fig-punten figure.quarto-float-fig div#fig-punten-{number} "
                                   "figure.quarto-subfloat-fig")
        assert subfloat.select("div.plotly-graph-div") and len(subfloat.select("div.plotly-graph-div")) == 1
        assert subfloat.select_one("figcaption.quarto-subfloat-caption").get_text(" ", strip=True) == caption
    assert len(page.select("figure.quarto-float-fig figure.quarto-subfloat-fig")) == 2
    assert page.select_one("#fig-punten-caption").get_text(" ", strip=True) == "Figure\xa01: Twee jaren"
    assert "?(caption)" not in str(page)
    assert not [warning for warning in html_warnings if "grafieken.qmd:8:" in warning]


def test_plotly_library_output_goes_into_the_head_once(viz_render):
    folder, _, _ = viz_render
    page = _page(folder)
    imports = [script for script in page.find_all("script", type="module") if "cdn.plot.ly" in script.get_text()]
    assert len(imports) == 1 and imports[0].find_parent("head") is not None
    assert not _cells(page)[0].find("script", type="module")


def test_head_loads_jquery_first_then_require_and_the_widget_manager(viz_render):
    folder, _, _ = viz_render
    head = _page(folder).head
    sources = [script.get("src") for script in head.find_all("script")]
    assert sources[0] == JQUERY and REQUIRE in sources and MANAGER in sources
    assert sources.index(REQUIRE) < sources.index(MANAGER)
    assert not head.find("script", attrs={"data-relocate-top": True})
    assert "define('jquery'" in str(head)


def test_bokeh_outputs_are_its_scripts_and_root_div(viz_render):
    folder, _, _ = viz_render
    outputs = _cells(_page(folder))[1].select("div.cell-output-display")
    scripts = [output.find("script", type="application/javascript") for output in outputs]
    assert "Bokeh" in scripts[0].get_text()  # bokeh's loader
    assert outputs[1].find("div", attrs={"data-root-id": True}) is not None
    assert "embed_document" in scripts[2].get_text()


def test_widget_view_and_the_notebook_widget_state(viz_render):
    folder, _, _ = viz_render
    page = _page(folder)
    view = _cells(page)[2].select_one("div.cell-output-display script[type='application/vnd.jupyter.widget-view+json']")
    model = json.loads(view.get_text())["model_id"]
    state_script = page.find("script", type="application/vnd.jupyter.widget-state+json")
    assert state_script.find_parent("head") is None
    state = json.loads(state_script.get_text())["state"]
    assert state[model]["model_name"] == "IntSliderModel"
    assert state[model]["state"]["value"] == 7 and state[model]["state"]["description"] == "Aantal"


def test_great_tables_is_an_html_table_in_the_table_float(viz_render):
    folder, _, _ = viz_render
    table = _page(folder).select_one("div#tbl-eilanden table")
    cells = [cell.get_text(strip=True) for cell in table.find_all(["td", "th"])]
    assert "Africa" in cells and "11,506" in cells


def test_pdf_shows_static_forms_and_quartos_note_for_the_rest(viz_render):
    folder, _, pdf_warnings = viz_render
    typst = (folder / "grafieken.typ").read_text(encoding="utf-8")
    assert re.search(r"\[Africa\], \[11,506\]", typst)  # great_tables as a typst table
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(folder / "grafieken.pdf").pages)
    assert "IntSlider(value=7, description='Aantal')" in text
    assert "Unable to display output for mime type(s): text/html" in text  # each plotly figure
    assert "Unable to display output for mime type(s): application/javascript" in text  # bokeh's scripts
    assert "grafieken.qmd:29: cell output application/vnd.jupyter.widget-view+json has no static form (image/png, " \
           "image/svg+xml, text/markdown) for the PDF; its text/plain is shown instead" in pdf_warnings
    assert any(warning.startswith("grafieken.qmd:8: cell output text/html has no static form")
               and warning.endswith("the PDF says so in its place, as Quarto's does") for warning in pdf_warnings)


def test_plotly_connected_false_puts_plotly_js_in_the_head_once(tmp_path):
    source = tmp_path / "inline.qmd"
    source.write_text('---\ntitle: Inline\nplotly-connected: false\n---\n\n```{python}\nimport plotly.express as px\n'
                      'px.bar(x=[1, 2], y=[3, 4]).show()\npx.bar(x=[1, 2], y=[4, 3]).show()\n```\n', encoding="utf-8")
    result = render(source, RenderOptions(formats=("html",)))
    assert [str(warning) for warning in result.warnings] == []  # an option the engine follows, not one it ignores
    page = _page(tmp_path, "inline.html")
    inline = [script for script in page.find_all("script") if "Licensed under the MIT license" in script.get_text()
              and "plotly.js v" in script.get_text()]
    assert len(inline) == 1 and inline[0].find_parent("head") is not None
    assert len(page.select("main div.plotly-graph-div")) == 2
    assert not page.find("script", src=re.compile("cdn.plot.ly"))


def test_static_html_tables_load_no_javascript(tmp_path):
    """Quarto links require.js and jQuery for any HTML output; a DataFrame needs neither, so none is linked."""
    source = tmp_path / "tabel.qmd"
    source.write_text('---\ntitle: Tabel\n---\n\n```{python}\nimport pandas as pd\npd.DataFrame({"a": [1, 2]})\n```\n',
                      encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    page = _page(tmp_path, "tabel.html")
    assert page.select_one("main table") is not None
    assert not page.find("script", src=True)


def test_a_notebooks_stored_widget_state_comes_with_its_stored_view(tmp_path):
    view = {"model_id": "schuif", "version_major": 2, "version_minor": 0}
    state = {"state": {"schuif": {"model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls",
                                  "model_module_version": "2.0.0", "state": {"value": 5}}},
             "version_major": 2, "version_minor": 0}
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {
        "kernelspec": {"language": "python", "name": "python3", "display_name": "Python 3"},
        "widgets": {"application/vnd.jupyter.widget-state+json": state}},
        "cells": [{"cell_type": "code", "id": "schuif", "metadata": {}, "execution_count": 1, "source": "schuif",
                   "outputs": [{"output_type": "execute_result", "metadata": {}, "execution_count": 1,
                                "data": {"application/vnd.jupyter.widget-view+json": view,
                                         "text/plain": "IntSlider(value=5)"}}]}]}
    (tmp_path / "schuif.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    render(tmp_path / "schuif.ipynb", RenderOptions(formats=("html",)))
    page = _page(tmp_path, "schuif.html")
    shown = page.select_one("div.cell-output-display script[type='application/vnd.jupyter.widget-view+json']")
    assert json.loads(shown.get_text())["model_id"] == "schuif"
    embedded = json.loads(page.find("script", type="application/vnd.jupyter.widget-state+json").get_text())
    assert embedded["state"]["schuif"]["state"] == {"value": 5}
    assert page.head.find("script", src=MANAGER) is not None


def test_output_of_no_type_quarto_can_show_is_quartos_note_with_a_warning(viz_render):
    folder, html_warnings, _ = viz_render
    note = _cells(_page(folder))[4].select_one("div.cell-output-display pre, pre.cell-output-display")
    assert note.get_text(strip=True) == "Unable to display output for mime type(s): application/vnd.plotly.v1+json"
    line = DOCUMENT.splitlines().index("from IPython.display import display")
    assert html_warnings == (f"grafieken.qmd:{line}: cell output application/vnd.plotly.v1+json has no static or HTML "
                             "form; Quarto's note 'Unable to display output' stands in its place",)
