"""Code-copy buttons and rich HTML outputs in a real Chromium: the button is reached with the keyboard and copies
the code; an output that loads its script with require.js runs without a network.

Chromium and Playwright as in tests/test_site_browser.py (Debian's Chromium, no download)."""

from __future__ import annotations

import pytest

from report.build import RenderOptions, render

DOCUMENT = '''---
title: Kopiëren
lang: nl
---

```python
def f(x):  # <1>
    return x + 1
```

1. Een functie.
'''


@pytest.fixture(scope="module")
def copy_page(tmp_path_factory, browser):
    folder = tmp_path_factory.mktemp("copy")
    (folder / "kopie.qmd").write_text(DOCUMENT, encoding="utf-8")
    render(folder / "kopie.qmd", RenderOptions(formats=("html",)))
    page = browser.new_page()
    # Record what would reach the clipboard: a headless browser has no clipboard to read back.
    page.add_init_script("""
        window.copied = [];
        const record = (text) => { window.copied.push(text); return Promise.resolve(); };
        if (navigator.clipboard) { navigator.clipboard.writeText = record; }
        const execCommand = document.execCommand.bind(document);
        document.execCommand = (name) => {
          if (name === "copy") { window.copied.push(document.activeElement.value); return true; }
          return execCommand(name);
        };""")
    page.goto((folder / "kopie.html").as_uri())
    yield page
    page.close()


def test_keyboard_reaches_the_copy_button_and_it_copies_the_code(copy_page):
    button = copy_page.locator("button.code-copy-button")
    assert button.get_attribute("aria-label") == "Kopieer naar klembord"
    for _ in range(10):  # Tab from the top of the page until the button has focus
        copy_page.keyboard.press("Tab")
        if copy_page.evaluate("document.activeElement.classList.contains('code-copy-button')"):
            break
    else:
        pytest.fail("the copy button is not reachable with Tab")
    copy_page.keyboard.press("Enter")
    copy_page.wait_for_function("window.copied.length > 0")
    assert copy_page.evaluate("window.copied") == ["def f(x):\n    return x + 1"]  # without annotation numbers
    assert button.get_attribute("aria-label") == "Gekopieerd"


def test_html_output_that_uses_require_runs_offline(copy_page, tmp_path):
    """A stored notebook output in plotly's notebook style (define, then require) runs with the inline loader."""
    import json

    script = ("<div id='amd'></div><script>define('teller', function (require, exports, module) "
              "{ module.exports = {tekst: 'geladen'}; }); require(['teller'], function (teller) "
              "{ document.getElementById('amd').textContent = teller.tekst; });</script>")
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {
        "language": "python", "name": "python3", "display_name": "Python 3"}},
        "cells": [{"cell_type": "code", "id": "plot", "metadata": {}, "execution_count": 1, "source": "toon()",
                   "outputs": [{"output_type": "display_data", "metadata": {},
                                "data": {"text/html": script, "text/plain": "<Figuur>"}}]}]}
    (tmp_path / "amd.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    render(tmp_path / "amd.ipynb", RenderOptions(formats=("html",)))
    copy_page.goto((tmp_path / "amd.html").as_uri())
    assert copy_page.locator("div.cell-output-display #amd").text_content() == "geladen"


def test_plotly_figure_draws_offline_with_plotly_js_inline(browser, tmp_path):
    """`plotly-connected: false`: plotly.js is in the page's head, so the figure draws without a network (the
    require.js and jQuery links Quarto adds fail offline and are not needed)."""
    (tmp_path / "staaf.qmd").write_text('---\ntitle: Staaf\nplotly-connected: false\n---\n\n```{python}\n'
                                        'import plotly.express as px\npx.bar(x=["a", "b"], y=[3, 4]).show()\n```\n',
                                        encoding="utf-8")
    render(tmp_path / "staaf.qmd", RenderOptions(formats=("html",)))
    page = browser.new_page()
    try:
        page.goto((tmp_path / "staaf.html").as_uri())
        page.wait_for_selector("div.plotly-graph-div svg.main-svg g.point", state="attached", timeout=20000)
        assert page.locator("div.plotly-graph-div g.point").count() == 2  # one bar for each value
    finally:
        page.close()
