"""`html-math-method` on the page as Quarto writes it (report.outputs.html_math): the body pandoc writes for each
method, the number of a numbered equation (`\\tag{N}` for MathJax and KaTeX, `\\qquad(N)` otherwise), what the
page's head loads from the reader's side, and the engine's MathML default inside Quarto's `span.math` markup."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render
from report.errors import ReportError
from report.outputs.html_math import KATEX_URL, MATHJAX_URL, POLYFILL_URL, WEBTEX_PNG_URL, WEBTEX_SVG_URL

BODY = "Inline $x^2$.\n\n$$\nE = mc^2\n$$ {#eq-energy alt=\"Energy and mass\"}\n\nSee @eq-energy.\n"


@dataclass(frozen=True)
class MathPage:
    html: str
    soup: BeautifulSoup
    warnings: tuple[str, ...]

    @property
    def head(self) -> str:
        return str(self.soup.head)

    @property
    def equation(self):
        return self.soup.find(id="eq-energy")


def _render_page(folder: Path, front_matter: str, body: str = BODY) -> MathPage:
    source = folder / "doc.qmd"
    source.write_text(f"---\n{front_matter}---\n\n{body}", encoding="utf-8")
    result = render(source, RenderOptions(formats=("html",)))
    html = (folder / "doc.html").read_text(encoding="utf-8")
    return MathPage(html, BeautifulSoup(html, "html.parser"), tuple(str(item) for item in result.warnings))


def _method(value: str) -> str:
    return f"format:\n  html:\n    html-math-method: {value}\n"


def test_default_is_mathml_inside_quartos_math_spans(tmp_path):
    page = _render_page(tmp_path, "title: Default\n")
    display = page.equation.find("span", recursive=False)
    assert display["class"] == ["math", "display"]
    assert display.find("math")["display"] == "block"
    assert display.find("annotation").get_text() == "E = mc^2 \\qquad(1)"
    inline = page.soup.find("main").find("math", display="inline")
    assert inline.parent.name == "span" and inline.parent["class"] == ["math", "inline"]
    assert "<script" not in page.head.replace('<script>document.documentElement', '')
    assert not page.warnings


UNREADABLE = "Text.\n\nBad $\\begin{x}$ here.\n"


def test_formula_mathml_cannot_express_is_tex_with_a_warning_naming_the_line(tmp_path):
    page = _render_page(tmp_path, "title: Default\n", UNREADABLE)
    assert page.warnings == (
        "doc.qmd:7: formula '\\begin{x}' cannot be written as MathML, so the page shows its TeX; Quarto's default, "
        "MathJax, typesets TeX in the reader's browser (html-math-method: mathjax)",)
    assert '<p>Bad <span class="math inline">$\\begin{x}$</span> here.</p>' in page.html  # pandoc's, not nested
    named = _render_page(tmp_path, _method("mathml"), UNREADABLE)
    assert named.warnings == ("doc.qmd:9: formula '\\begin{x}' cannot be written as MathML, so the page shows its "
                              "TeX",)
    assert not _render_page(tmp_path, _method("mathjax"), UNREADABLE).warnings  # the browser's MathJax reads it


def test_numbered_equation_keeps_only_its_label_in_html(tmp_path):
    page = _render_page(tmp_path, _method("mathjax"))
    # the alt text is for the PDF (typst's math.equation), as in Quarto; the page's span has the label only
    assert page.equation.attrs == {"id": "eq-energy"}
    assert page.soup.select_one("a.quarto-xref")["href"] == "#eq-energy"


def test_explicit_mathml_is_pandocs_mathml_without_span(tmp_path):
    page = _render_page(tmp_path, _method("mathml"))
    assert page.equation.find(True, recursive=False).name == "math"
    assert page.soup.find("main").find("math", display="inline").parent.name == "p"
    assert page.equation.find("annotation").get_text() == "E = mc^2 \\qquad(1)"


def test_mathjax_tags_the_equation_and_loads_mathjax_from_the_cdn(tmp_path):
    page = _render_page(tmp_path, _method("mathjax"))
    assert str(page.equation) == ('<span id="eq-energy"><span class="math display">\\[E = mc^2 \\tag{1}\\]</span>'
                                  '</span>')
    assert page.soup.find("main").find("span", class_="inline").get_text() == "\\(x^2\\)"
    scripts = [script.get("src") for script in page.soup.head.find_all("script") if script.get("src")]
    assert scripts == [POLYFILL_URL, MATHJAX_URL]
    assert page.soup.head.find("script", src=MATHJAX_URL).has_attr("defer")
    assert "window.MathJax.typeset([element])" in page.head  # Quarto's window.Quarto.typesetMath
    assert not page.warnings


def test_mathjax_mapping_form_with_a_url(tmp_path):
    url = "https://example.org/mathjax/tex-svg.js?config=a&v=3"
    page = _render_page(tmp_path, f"format:\n  html:\n    html-math-method:\n      method: mathjax\n      url: {url}\n")
    assert [script.get("src") for script in page.soup.head.find_all("script") if script.get("src")] == [
        POLYFILL_URL, url]
    assert 'src="https://example.org/mathjax/tex-svg.js?config=a&amp;v=3"' in page.html  # escaped in the markup
    assert "\\tag{1}" in page.equation.get_text()


def test_katex_by_name_loads_script_and_style_sheet_as_quarto(tmp_path):
    page = _render_page(tmp_path, _method("katex"))
    assert str(page.equation) == '<span id="eq-energy"><span class="math display">E = mc^2 \\tag{1}</span></span>'
    head = page.head
    script = page.soup.head.find("script", src=f"{KATEX_URL}katex.min.js")
    assert not script.has_attr("defer")  # Quarto's post-processor loads it at once, with require.js hidden
    assert page.soup.head.find("link", href=f"{KATEX_URL}katex.min.css")["rel"] == ["stylesheet"]
    hide = head.index("window.define = undefined")
    assert hide < head.index("katex.min.js") < head.index("window.define = window.backupDefine") < head.index(
        "katex.min.css")
    assert "katex.render(tex.data, elements[i]" in head


def test_katex_mapping_form_is_pandocs_own_loading(tmp_path):
    page = _render_page(tmp_path, "format:\n  html:\n    html-math-method:\n      method: katex\n"
                                  "      url: https://example.org/katex/\n")
    script = page.soup.head.find("script", src="https://example.org/katex/katex.min.js")
    assert script.has_attr("defer") and "backupDefine" not in page.head
    assert page.soup.head.find("link", href="https://example.org/katex/katex.min.css")
    assert "\\tag{1}" in page.equation.get_text()


def test_webtex_formulas_are_images_from_codecogs(tmp_path):
    page = _render_page(tmp_path, _method("webtex"))
    image = page.equation.find("img")
    assert image["src"].startswith(WEBTEX_SVG_URL) and image["class"] == ["math", "display"]
    assert image["alt"] == "E = mc^2 \\qquad(1)"
    assert "<script" not in page.head.replace('<script>document.documentElement', '')
    mapping = _render_page(tmp_path, "format:\n  html:\n    html-math-method:\n      method: webtex\n")
    assert mapping.equation.find("img")["src"].startswith(WEBTEX_PNG_URL)


def test_gladtex_and_plain_are_pandocs_markup(tmp_path):
    gladtex = _render_page(tmp_path, _method("gladtex"))
    assert str(gladtex.equation) == '<span id="eq-energy"><eq env="displaymath">E = mc^2 \\qquad(1)</eq></span>'
    plain = _render_page(tmp_path, _method("plain"))
    # pandoc's text rendering of the TeX, \qquad as two em quads
    assert plain.equation.find("span")["class"] == ["math", "display"]
    assert plain.equation.get_text() == "E\u2004=\u2004mc2\u200a\u2001\u2001(1)"


def test_page_without_math_loads_no_math_script(tmp_path):
    page = _render_page(tmp_path, _method("mathjax"), body="No formulas here.\n")
    assert MATHJAX_URL not in page.html and POLYFILL_URL not in page.html


def test_webtex_with_embedded_resources_warns_that_images_stay_on_the_web(tmp_path):
    page = _render_page(tmp_path, "format:\n  html:\n    embed-resources: true\n    html-math-method: webtex\n")
    assert page.warnings == (
        "doc.qmd: html-math-method 'webtex' with embed-resources: the formulas stay images at "
        f"{WEBTEX_SVG_URL}, which the engine does not download; the page shows them only with a network "
        "connection",)
    assert page.equation.find("img")["src"].startswith(WEBTEX_SVG_URL)


def test_unknown_method_in_the_mapping_form_is_an_error_naming_file_and_line(tmp_path):
    with pytest.raises(ReportError) as error:
        _render_page(tmp_path, "format:\n  html:\n    html-math-method:\n      method: tex\n")
    assert "doc.qmd:5" in str(error.value)
    assert ("invalid value for 'format.html.html-math-method.method' in front matter: Input should be 'plain', "
            "'webtex', 'gladtex', 'mathml', 'mathjax' or 'katex'") in str(error.value)
    assert not (tmp_path / "doc.html").exists()


def test_book_equations_carry_the_chapter_prefixed_tag(tmp_path):
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: book\nbook:\n  title: Boek\n  chapters:\n    - index.qmd\n    - twee.qmd\n"
        "format:\n  html:\n    html-math-method: katex\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Voorwoord {.unnumbered}\n\nTekst.\n", encoding="utf-8")
    (tmp_path / "twee.qmd").write_text("# Twee\n\n$$\na = b\n$$ {#eq-ab}\n\nZie @eq-ab.\n", encoding="utf-8")
    render(tmp_path, RenderOptions(formats=("html",)))
    chapter = BeautifulSoup((tmp_path / "_book" / "twee.html").read_text(encoding="utf-8"), "html.parser")
    assert str(chapter.find(id="eq-ab")) == '<span id="eq-ab"><span class="math display">a = b \\tag{1.1}</span></span>'
    assert chapter.head.find("script", src=f"{KATEX_URL}katex.min.js")
    index = (tmp_path / "_book" / "index.html").read_text(encoding="utf-8")
    assert "katex.min.js" not in index  # a page without math loads nothing
