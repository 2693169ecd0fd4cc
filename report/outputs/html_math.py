"""`html-math-method`: how a page writes its math, as Quarto has pandoc write it, and what the page loads for it.

The engine's default is MathML (pandoc writes it; the page loads nothing), where Quarto's default is MathJax; each
formula then keeps the markup of Quarto's default around the MathML (`span.math.inline`, `span.math.display`), so
selectors and stylesheets written for Quarto's pages still find it. A formula texmath cannot turn into MathML stays
TeX on the page (pandoc's fallback), with a warning naming its file and line: MathJax would have typeset it. A
method the document or project names is honoured as Quarto honours it:

- `mathjax`: `<span class="math">\\(…\\)</span>` and MathJax 3 from the CDN (or the `url:` given);
- `katex`: `<span class="math">…</span>`, KaTeX's script and style sheet from the CDN (or `url:`), rendered on load;
- `webtex`: each formula an image from codecogs (SVG, or pandoc's PNG for `{method: webtex}` without `url:`);
- `gladtex`: pandoc's `<eq>` elements, for the GladTeX program to convert afterwards (Quarto does not run it);
- `plain`: TeX as text; `mathml`: MathML without the wrapping span.

The rendering machine downloads nothing: the reader's browser fetches the script or images, as for a Quarto page.
With MathJax and KaTeX a numbered equation carries `\\tag{N}`; otherwise `\\qquad(N)` (Quarto's two forms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape
from typing import Any, Callable, Mapping

from report.document._ast import Node, walk

__all__ = ["HtmlMath", "html_math"]

MATHJAX_URL = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml-full.js"  # pandoc's default, Quarto's too
KATEX_URL = "https://cdn.jsdelivr.net/npm/katex@latest/dist/"  # pandoc's default: the file names are appended
WEBTEX_SVG_URL = "https://latex.codecogs.com/svg.latex?"  # Quarto's default for `html-math-method: webtex`
WEBTEX_PNG_URL = "https://latex.codecogs.com/png.latex?"  # pandoc's, for the mapping form without a url
# Quarto's HTML template loads this before MathJax.
POLYFILL_URL = "https://cdnjs.cloudflare.com/polyfill/v3/polyfill.min.js?features=es6"
_DEFAULT_URLS = {"mathjax": MATHJAX_URL, "katex": KATEX_URL, "webtex": WEBTEX_PNG_URL}
_SCRIPTED = {"mathjax", "katex"}
# In pandoc's MathML output: a formula (they do not nest), and one texmath could not read, left as TeX.
_MATHML = re.compile(r'<math display="(inline|block)".*?</math>', re.S)
_TEX_LEFT = re.compile(r'<span class="math (inline|display)">(.*?)</span>', re.S)
_KINDS = {"inline": "inline", "block": "display"}

# KaTeX renders each `span.math` in place once its script has loaded (what pandoc's page does).
_KATEX_RENDER = """<script>document.addEventListener("DOMContentLoaded", function () {
  var elements = document.getElementsByClassName("math");
  for (var i = 0; i < elements.length; i++) {
    var tex = elements[i].firstChild;
    if (elements[i].tagName == "SPAN" && tex && tex.data) {
      katex.render(tex.data, elements[i], {displayMode: elements[i].classList.contains("display"),
                                           throwOnError: false, macros: [], fleqn: false});
    }
  }
});</script>"""
# Quarto's `window.Quarto.typesetMath(element)`: math added to the page later (by a page's own script) is typeset
# by whichever of MathJax or KaTeX the page loaded.
_TYPESET = """<script>
window.Quarto = Object.assign(window.Quarto || {}, {typesetMath: function (element) {
  if (window.MathJax) {
    window.MathJax.typeset([element]);
  } else if (window.katex) {
    var elements = element.getElementsByClassName("math");
    for (var i = 0; i < elements.length; i++) {
      var tex = elements[i].firstChild;
      if (elements[i].tagName == "SPAN" && tex && tex.data) {
        window.katex.render(tex.data, elements[i], {displayMode: elements[i].classList.contains("display"),
                                                     throwOnError: false, macros: [], fleqn: false});
      }
    }
  }
}});
</script>"""
# Around KaTeX's script Quarto hides an AMD loader (require.js, which notebook outputs bring): KaTeX would register
# itself as a module there instead of as `window.katex`.
_HIDE_AMD = "<script>window.backupDefine = window.define; window.define = undefined;</script>"
_RESTORE_AMD = "<script>window.define = window.backupDefine; window.backupDefine = undefined;</script>"


@dataclass(frozen=True)
class HtmlMath:
    """The math method of a page: pandoc's writer option, the equation number's form, what the page's head loads."""

    method: str = "mathml"
    url: str | None = None  # what the reader's browser loads (the script, the KaTeX folder, the image service)
    named: bool = False  # written in the document or project; False: the engine's MathML default
    by_name: bool = True  # named as a string (`katex`), not as `{method: katex}`: Quarto treats them apart

    @property
    def pandoc_arguments(self) -> list[str]:
        if self.method == "plain":
            return []
        if self.method == "webtex":
            return [f"--webtex={self.url}"]
        return [f"--{self.method}"]  # the body is the same whatever the url: the head (below) names it

    def numbered(self, tex: str, number: str) -> str:
        """A numbered display equation's TeX: MathJax and KaTeX show `\\tag`; texmath (MathML and the rest) cannot
        read it, so the number follows the formula."""
        if self.named and self.method in _SCRIPTED:
            return f"{tex.strip()} \\tag{{{number}}}"
        return f"{tex.strip()} \\qquad({number})"

    def finished(self, body: str, warn: Callable[[str, str], None]) -> str:
        """pandoc's HTML body of a page, finished for MathML: each formula texmath cannot read stays TeX, which
        ``warn`` (message, the formula's first line of TeX) reports; under the default, each MathML formula goes
        inside Quarto's `span.math` (see above)."""
        if self.method != "mathml":
            return body
        for match in _TEX_LEFT.finditer(body):
            tex = unescape(match.group(2)).strip("$").strip()
            hint = ("" if self.named else "; Quarto's default, MathJax, typesets TeX in the reader's browser "
                    "(html-math-method: mathjax)")
            warn(f"formula '{tex}' cannot be written as MathML, so the page shows its TeX{hint}",
                 next((line.strip() for line in tex.splitlines() if line.strip()), tex))
        if self.named:
            return body
        return _MATHML.sub(lambda match: f'<span class="math {_KINDS[match.group(1)]}">{match.group(0)}</span>', body)

    def head(self, blocks: list[Node]) -> str:
        """What the head of a page with ``blocks`` loads: nothing without math, or for a method without a script."""
        if self.method not in _SCRIPTED or not _has_math(blocks):
            return ""
        url = escape(self.url or "", quote=True)
        if self.method == "mathjax":
            loads = [f'<script src="{POLYFILL_URL}"></script>',
                     f'<script defer src="{url}" type="text/javascript"></script>']
        else:
            script = f'<script{"" if self.by_name else " defer"} src="{url}katex.min.js"></script>'
            style = f'<link rel="stylesheet" href="{url}katex.min.css">'
            loads = ([_HIDE_AMD, script, _KATEX_RENDER, _RESTORE_AMD, style] if self.by_name
                     else [script, _KATEX_RENDER, style])
        return "\n".join([*loads, _TYPESET])


def _has_math(blocks: list[Node]) -> bool:
    found: list[Node] = []
    walk(blocks, found.append, {"Math"})
    return bool(found)


def html_math(options: Mapping[str, Any], warn: Callable[[str], None]) -> HtmlMath:
    """The page's math method from its resolved html options; ``warn`` names the file that sets it.

    The option's values are checked against Quarto's schema when the file is read (report.sources.config)."""
    value = options.get("html-math-method")
    if value is None:
        return HtmlMath()
    by_name = not isinstance(value, Mapping)
    method = str(value if by_name else value.get("method"))
    url = None if by_name else value.get("url")
    if url is None:
        url = WEBTEX_SVG_URL if method == "webtex" and by_name else _DEFAULT_URLS.get(method)
    math = HtmlMath(method=method, url=None if url is None else str(url), named=True, by_name=by_name)
    if method == "webtex" and options.get("embed-resources"):
        warn(f"html-math-method 'webtex' with embed-resources: the formulas stay images at {math.url}, which the "
             "engine does not download; the page shows them only with a network connection")
    return math
