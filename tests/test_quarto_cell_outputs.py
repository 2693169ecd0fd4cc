"""Cell outputs as Quarto's Jupyter engine shows them: rich HTML, its static form in the PDF, ANSI colours,
DataFrame footers, widgets as Quarto's widget-view scripts (their text in the PDF)."""

from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render

OUTPUTS = '''---
title: "Uitvoer"
---

```{python}
from IPython.display import HTML, display
display(HTML("<p class='rijk'>hallo <b>HTML</b></p>"))
```

```{python}
print("\\x1b[31mrood\\x1b[0m gewoon")
display({"text/plain": "\\x1b[1;32mgroen\\x1b[0m en \\x1b[38;5;208moranje\\x1b[0m"}, raw=True)
```

```{python}
display({"application/vnd.jupyter.widget-view+json": {"model_id": "m", "version_major": 2, "version_minor": 0},
         "text/plain": "IntSlider(value=3)"}, raw=True)
```

```{python}
import pandas as pd
pd.set_option("display.max_rows", 4)
pd.DataFrame({"a": range(10)})
```

```{python}
#| error: true
1 / 0
```

```{python}
display({"text/html": "<div id='amd'></div><script>define('m', function (require, exports, module) "
                      "{ module.exports = {v: 'geladen'}; }); require(['m'], function (m) "
                      "{ document.getElementById('amd').textContent = m.v; });</script>"}, raw=True)
```

```{python}
display({"text/latex": "$x^2 + 1$", "text/plain": "x**2 + 1"}, raw=True)
```
'''


@pytest.fixture(scope="module")
def rendered_outputs(render_html_and_pdf) -> tuple[Path, tuple, tuple]:
    return render_html_and_pdf("uitvoer.qmd", OUTPUTS)


def _cells(folder: Path) -> list:
    soup = BeautifulSoup((folder / "uitvoer.html").read_text(encoding="utf-8"), "html.parser")
    return soup.select("main div.cell")


WIDGET = ("uitvoer.qmd:15: cell output application/vnd.jupyter.widget-view+json has no static form (image/png, "
          "image/svg+xml, text/markdown) for the PDF; its text/plain is shown instead")


def test_text_html_output_is_raw_html_in_the_display_div(rendered_outputs):
    folder, _, _ = rendered_outputs
    display = _cells(folder)[0].select_one("div.cell-output.cell-output-display")
    assert display.select_one("p.rijk b").get_text() == "HTML"
    assert "IPython.core.display.HTML" not in display.get_text()


def test_ansi_colours_become_quartos_spans_and_streams_lose_them(rendered_outputs):
    folder, _, _ = rendered_outputs
    cell = _cells(folder)[1]
    assert cell.select_one("pre.cell-output-stdout").get_text() == "rood gewoon"
    coloured = cell.select_one("div.cell-output-display div.ansi-escaped-output pre")
    assert coloured.select_one("span.ansi-green-fg.ansi-bold").get_text() == "groen"
    assert coloured.find("span", style="color:rgb(255,135,0)").get_text() == "oranje"
    assert "\x1b" not in coloured.get_text() and "[0m" not in coloured.get_text()


def test_traceback_is_an_ansi_escaped_output(rendered_outputs):
    folder, _, _ = rendered_outputs
    error = _cells(folder)[4].select_one("div.cell-output-error div.ansi-escaped-output pre")
    assert error.select_one("span.ansi-red-fg").get_text() == "-" * 75
    assert "ZeroDivisionError: division by zero" in error.get_text()


def test_widget_is_a_view_script_in_html_and_its_text_with_a_warning_in_the_pdf(rendered_outputs):
    import json

    folder, html_warnings, pdf_warnings = rendered_outputs
    view = _cells(folder)[2].select_one("div.cell-output-display script[type='application/vnd.jupyter.widget-view+json']")
    assert json.loads(view.get_text())["model_id"] == "m"
    assert "IntSlider(value=3)" not in _cells(folder)[2].select_one("div.cell-output-display").get_text()
    assert WIDGET not in html_warnings and WIDGET in pdf_warnings


def test_truncated_dataframe_keeps_its_shape_footer(rendered_outputs):
    folder, _, _ = rendered_outputs
    cell = _cells(folder)[3]
    assert cell.find("table") is not None
    assert [p.get_text() for p in cell.find_all("p")] == ["10 rows × 1 columns"]
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(folder / "uitvoer.pdf").pages)
    assert "10 rows × 1 columns" in text


def test_html_that_uses_require_gets_an_offline_loader(rendered_outputs):
    folder, _, _ = rendered_outputs
    scripts = [script.get_text() for script in _cells(folder)[5].find_all("script")]
    assert len(scripts) == 2 and "window.define.amd" in scripts[0] and "require(['m']" in scripts[1]
    assert not _cells(folder)[5].find("script", src=True), "nothing is loaded from elsewhere"


def test_latex_output_is_markdown_math(rendered_outputs):
    folder, _, _ = rendered_outputs
    assert _cells(folder)[6].select_one("math annotation").get_text() == "x^2 + 1"


def test_pdf_shows_static_forms_and_names_the_cells_left_as_text(rendered_outputs):
    folder, html_warnings, pdf_warnings = rendered_outputs
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(folder / "uitvoer.pdf").pages)
    assert "<IPython.core.display.HTML object>" in text  # the text/plain of display(HTML(...))
    lines = text.splitlines()
    assert "groen en oranje" in lines and "rood gewoon" in lines  # without their escapes
    assert "ZeroDivisionError: division by zero" in text
    assert "IntSlider(value=3)" in text
    assert "Unable to display output for mime type(s): text/html" in text  # Quarto's note for the AMD output
    assert html_warnings == ()
    assert pdf_warnings == (
        "uitvoer.qmd:5: cell output text/html has no static form (image/png, image/svg+xml, text/markdown) for "
        "the PDF; its text/plain is shown instead",
        WIDGET,
        "uitvoer.qmd:31: cell output text/html has no static form (image/png, image/svg+xml, text/markdown) for "
        "the PDF; the PDF says so in its place, as Quarto's does",
    )


# A 1×1 red PNG.
PIXEL = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


def test_notebook_attachments_are_extracted_for_html_and_pdf(tmp_path):
    import base64
    import json

    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"language": "python", "name": "python3",
                                                                              "display_name": "Python 3"}},
                "cells": [{"cell_type": "raw", "id": "voorwerk", "metadata": {}, "source": "---\ntitle: Bijlage\n---"},
                          {"cell_type": "markdown", "id": "tekst", "metadata": {},
                           "attachments": {"logo.png": {"image/png": PIXEL}},
                           "source": "Het logo:\n\n![Een rood punt](attachment:logo.png)"}]}
    source = tmp_path / "schrift.ipynb"
    source.write_text(json.dumps(notebook), encoding="utf-8")
    html = render(source, RenderOptions(formats=("html",)))
    render(source, RenderOptions(formats=("typst",)))
    soup = BeautifulSoup((tmp_path / "schrift.html").read_text(encoding="utf-8"), "html.parser")
    assert [image["src"] for image in soup.select("main img")] == ["schrift_files/figure-html/tekst-1-logo.png"]
    assert (tmp_path / "schrift_files/figure-html/tekst-1-logo.png").read_bytes() == base64.b64decode(PIXEL)
    assert "Een rood punt" in soup.find("main").get_text()
    reader = pypdf.PdfReader(tmp_path / "schrift.pdf")
    assert any(page.images for page in reader.pages), "the PDF shows the attachment"
    assert html.warnings == ()
