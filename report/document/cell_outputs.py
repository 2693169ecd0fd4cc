"""Rich cell outputs as Quarto's Jupyter engine writes them, for HTML and for the PDF at once.

The assembled Markdown serves every format, so an output that only HTML can show carries its static form
beside it: ``text/html`` goes into a ``{=html}`` raw block in ``div.cell-output-display`` (as Quarto puts it),
followed by a block visible to typst only (report.document.conditional's ``report-only``) that holds the
output's best static form. The typst writer warns, naming the cell, when that form is text or nothing
(`fallback_typst`); images and Markdown are chosen before HTML for every format, so they never need one.

ANSI-coloured text (tracebacks, text/plain) becomes Quarto's ``div.ansi-escaped-output`` in HTML and plain
text elsewhere. HTML that loads its scripts with require.js (plotly's notebook output) gets a small AMD loader
inline, so nothing is fetched from the network; an output that asks require.js for a URL (plotly's
``notebook_connected``) stays empty offline, as it would without a network in Quarto.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from report.document._ast import Node, attr_get
from report.document.ansi import ansi_html, has_ansi, strip_ansi
from report.sources import diagnostics

__all__ = ["FALLBACK", "error_markdown", "fallback_typst", "html_markdown", "text_markdown", "unshown_mimes"]

FALLBACK = "report-text-fallback"
# Output types that carry no content of their own besides what the other types show.
_NOT_CONTENT = frozenset({"text/plain", "text/html", "text/markdown", "image/png", "image/jpeg", "image/svg+xml"})
_AMD_LOADER = """<script>
(function () {
  if (typeof window.define === "function") return;
  var modules = {}, waiting = [];
  function has(name) { return Object.prototype.hasOwnProperty.call(modules, name); }
  function flush() {
    for (var again = true; again;) {
      again = false;
      waiting = waiting.filter(function (job) {
        if (!job.names.every(has)) return true;
        again = true;
        job.callback.apply(null, job.names.map(function (name) { return modules[name]; }));
        return false;
      });
    }
  }
  window.require = window.requirejs = function (names, callback) {
    if (typeof names === "string") return modules[names];
    waiting.push({names: names, callback: callback || function () {}});
    flush();
  };
  window.require.config = function () {};
  window.require.undef = function (name) { delete modules[name]; };
  window.define = function (name, names, factory) {
    if (typeof name !== "string") return;  // an anonymous module has no name to be required by
    if (typeof names === "function") { factory = names; names = null; }
    if (typeof factory !== "function") { modules[name] = factory; flush(); return; }
    if (names === null) {
      var module = {exports: {}};
      var value = factory(window.require, module.exports, module);
      modules[name] = value === undefined ? module.exports : value;
      flush();
    } else {
      window.require(names, function () { modules[name] = factory.apply(null, arguments); flush(); });
    }
  };
  window.define.amd = {};
})();
</script>"""


def _fence(text: str, opening: str) -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}{opening}\n{text.rstrip()}\n{ticks}"


def _div(classes: str, body: str) -> str:
    fence = ":::"
    while f"\n{fence}" in f"\n{body}":
        fence += ":"
    return f"{fence} {{{classes}}}\n{body}\n{fence}"


def _typst_only(body: str) -> str:
    return _div('.report-only data-formats="typst"', body)


def _ansi_block(text: str, classes: str) -> str:
    """Coloured text: Quarto's ansi-escaped-output in HTML, the text without escapes in the PDF."""
    html = _fence(f"<pre>{ansi_html(text.rstrip())}</pre>", "{=html}")
    return _div(classes, _div(".ansi-escaped-output", html) + "\n\n" + _typst_only(_fence(strip_ansi(text), "")))


def text_markdown(text: str, classes: str = ".cell-output .cell-output-display") -> str:
    """A text/plain output: a code block, or coloured text when it holds ANSI escapes."""
    if has_ansi(text):
        return _ansi_block(text, classes)
    return _fence(text, f" {{{classes}}}")


def error_markdown(traceback: list[str]) -> str:
    return text_markdown("\n".join(traceback), ".cell-output .cell-output-error")


def html_markdown(data: Mapping[str, Any], cell_line: int, html: str | None = None, mime: str = "text/html") -> str:
    """An output HTML shows as ``html`` (its text/html unless given; ``mime`` the type it came from): raw HTML in
    div.cell-output-display, and for the PDF its text/plain, else Quarto's note that no type can be shown."""
    html = str(data["text/html"]) if html is None else html
    if ("require(" in html or "define(" in html) and "<script" in html:
        html = _AMD_LOADER + "\n" + html
    plain = data.get("text/plain")
    if plain is not None:
        static = _fence(strip_ansi(str(plain)), "")
    else:  # Quarto's words, in a stderr output as Quarto writes them into a document that cannot show the output
        static = _fence(f"Unable to display output for mime type(s): {', '.join(data)}",
                        " {.cell-output .cell-output-stderr}")
    fallback = _div(f'.{FALLBACK} data-cell-line="{cell_line}" data-mime="{mime}" '
                    f'data-text="{"plain" if plain is not None else "none"}"', static)
    return _div(".cell-output .cell-output-display", _fence(html, "{=html}") + "\n\n" + _typst_only(fallback))


def unshown_mimes(data: Mapping[str, Any]) -> list[str]:
    """The output types of a display that no format shows (widgets, plotly JSON, JavaScript)."""
    return sorted(mime for mime in data if mime not in _NOT_CONTENT and not mime.startswith("application/vnd.report"))


def fallback_typst(node: Node, source: Path) -> list[Node] | None:
    """The typst writer's hook: a static form that is only text (or nothing) is shown with a warning."""
    if node["t"] != "Div" or FALLBACK not in node["c"][0][1]:
        return None
    line = attr_get(node["c"][0], "data-cell-line")
    mime = attr_get(node["c"][0], "data-mime") or "text/html"
    content = node["c"][1]
    shown = ("its text/plain is shown instead" if attr_get(node["c"][0], "data-text") != "none"
             else "the PDF says so in its place, as Quarto's does")
    diagnostics.warn(f"cell output {mime} has no static form (image/png, image/svg+xml, text/markdown) for the "
                     f"PDF; {shown}", path=source, line=int(line) if line and line.isdigit() else None)
    return content
