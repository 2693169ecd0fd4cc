"""JavaScript outputs and Jupyter widgets as Quarto's HTML pages load them (quarto-cli's core/jupyter/widgets.ts).

- An output in Jupyter's JavaScript or widget types (bokeh's `application/javascript`, an ipywidgets or ipyleaflet
  `application/vnd.jupyter.widget-view+json`) is a `<script type="MIME">` in the cell's output div, as Quarto
  writes it; the browser runs the JavaScript, the widget manager renders the view.
- Such "JavaScript widgets" assume require.js and jQuery: Quarto links both from their CDN in the page's head
  (jQuery moved in front of the head's other scripts, `data-relocate-top`) and defines the `jquery` module.
  Quarto does so for every output with HTML; here only for HTML that runs a script, since a table or other
  static HTML needs neither (so a page of DataFrames loads nothing from elsewhere).
- An output that only loads a library (plotly's first figure in a kernel: plotly.js inline, or its CDN import)
  leaves the cell and goes into the head, once.
- A Jupyter widget's view needs the html-manager (Quarto's `embed-amd.js` from the CDN, in the head) and the
  notebook's widget state, embedded after the body.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Mapping

__all__ = ["JAVASCRIPT", "WIDGET_STATE", "WIDGET_VIEW", "PageScripts", "is_library_html", "library_text",
           "page_scripts", "script_html"]

JAVASCRIPT = "application/javascript"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
RELOCATE_TOP = "data-relocate-top"

_REQUIRE = ('<script src="https://cdn.jsdelivr.net/npm/requirejs@2.3.6/require.min.js" integrity="sha384-c9c+LnTbwQ3a'
            'ujuU7ULEPVvgLs+Fn6fJUvIGTsuu1ZcCf11fiEubah0ttpca4ntM sha384-6V1/AdqZRWk1KAlWbKBlGhN7VG4iE/yAZcO6NZPMF8od0'
            'vukrvr0tg4qY6NSrItx" crossorigin="anonymous"></script>')
_JQUERY = ('<script src="https://cdn.jsdelivr.net/npm/jquery@3.5.1/dist/jquery.min.js" integrity="sha384-ZvpUoO/+PpLX'
           'R1lu4jmpXWu80pZlYUAfxl5NsBMWOEPSjUn/6Z/hRTt8+pR6L4N2" crossorigin="anonymous" '
           f'{RELOCATE_TOP}="true"></script>')
_JQUERY_MODULE = "<script type=\"application/javascript\">define('jquery', [],function() {return window.jQuery;})</script>"
_HTML_MANAGER = ('<script src="https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@*/dist/embed-amd.js" '
                 'crossorigin="anonymous"></script>')

# plotly's library outputs: before plotly 6 a require.js module, then an ES module import from the CDN, or the
# whole plotly.js inline (recognised by its licence header), as Quarto recognises them.
_LIBRARY_REQUIRE = re.compile(r"^\s*<script type=\"text/javascript\">")
_LIBRARY_DEFINE = re.compile(r"require\.undef\([\"']plotly[\"']\)|define\('plotly'")
_LIBRARY_MODULE = re.compile(r"\s*<script type=\"module\">import .*plotly.*</script>")
_LIBRARY_INLINE = re.compile(r"\* plotly\.js v\d+\.\d+\.\d+\s*\n\s*\* Copyright \d{4}-\d{4}, Plotly, Inc\.\s*\n\s*"
                             r"\* All rights reserved\.\s*\n\s*\* Licensed under the MIT license")
_SCRIPT = re.compile(r"<script\b", re.IGNORECASE)


@dataclass(frozen=True)
class PageScripts:
    """What a document's outputs need in its page besides themselves."""

    javascript: bool = False  # require.js and jQuery
    widgets: bool = False  # the Jupyter widgets' html-manager
    libraries: tuple[str, ...] = ()  # library outputs moved to the head, in order, each once
    widget_state: str | None = None  # the notebook's widget state, as JSON

    def includes(self) -> tuple[tuple[str, str], ...]:
        """(location, HTML) pairs for the page (report.outputs.includes)."""
        head: list[str] = []
        if self.javascript or self.widgets:
            head += [_REQUIRE, _JQUERY, _JQUERY_MODULE]
        head += self.libraries
        if self.widgets:
            head.append(_HTML_MANAGER)
        pairs = [("in-header", "\n".join(head))] if head else []
        if self.widgets and self.widget_state:
            pairs.append(("after-body", _state_script(self.widget_state)))
        return tuple(pairs)


def _state_script(state: str) -> str:
    if "</script>" not in state:
        return f'<script type="{WIDGET_STATE}">\n{state}\n</script>'
    # A state holding "</script>" would end the tag early: the page adds it from an escaped string instead.
    text = json.dumps(state).replace("</", "<\\/")
    return (f"<script>(() => {{ const tag = document.createElement('script'); tag.type = {json.dumps(WIDGET_STATE)};"
            f" tag.textContent = {text}; document.body.appendChild(tag); }})();</script>")


def is_library_html(html: str) -> bool:
    """Whether a text/html output only loads plotly.js (Quarto's isPlotlyLibrary)."""
    return bool((_LIBRARY_REQUIRE.search(html) and _LIBRARY_DEFINE.search(html)) or _LIBRARY_MODULE.search(html)
                or _LIBRARY_INLINE.search(html))


def library_text(html: str) -> str:
    """The library's HTML without its common indentation (so no Markdown reader takes it for code)."""
    lines = html.split("\n")
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] if line.strip() else "" for line in lines)


def script_html(mime: str, payload: Any) -> str:
    """A JavaScript or widget-view output as Quarto writes it: a script tag of its type (JSON with the type in
    `quarto_mimetype`)."""
    if isinstance(payload, Mapping):
        payload = json.dumps({**payload, "quarto_mimetype": mime}, ensure_ascii=False)
    return f'<script type="{mime}">\n{payload}\n</script>'


def page_scripts(outputs: list[Mapping[str, Any]], libraries: tuple[str, ...],
                 widget_state: Mapping[str, Any] | None) -> PageScripts:
    """What the page needs for a document's display outputs (``libraries``: the library outputs taken out)."""
    datas = [output.get("data") or {} for output in outputs
             if output.get("output_type") in {"display_data", "execute_result"}]
    widgets = any(WIDGET_VIEW in data for data in datas)
    javascript = widgets or bool(libraries) or any(
        JAVASCRIPT in data or _SCRIPT.search(str(data.get("text/html", ""))) for data in datas)
    state = json.dumps(widget_state, ensure_ascii=False, sort_keys=True) if widgets and widget_state else None
    return PageScripts(javascript, widgets, libraries, state)
