"""`include-in-header`, `include-before-body`, `include-after-body` in HTML and typst (issue 21)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from extension_helpers import render_html, render_typst, write_files
from report.build import RenderOptions, render
from report.errors import ReportError

PROJECT = """\
    project:
      type: default
    format:
      html:
        include-in-header:
          - text: |
              <meta name="house" content="project">
        include-after-body: parts/footer.html
      typst:
        include-in-header:
          - text: '#let house = rgb("#154273")'
    """

DOCUMENT = """\
    ---
    title: Includes
    keep-typ: true
    format:
      html:
        include-in-header: [head.html]
        include-before-body:
          - text: '<div class="banner">Banner</div>'
      typst:
        include-before-body:
          - text: '#text(fill: house)[Huisstijl]'
        include-after-body:
          - text: '#text[Einde]'
    ---

    Body text.
    """


def _project(tmp_path):
    return write_files(tmp_path, {"_quarto.yml": PROJECT, "parts/footer.html": '<footer class="house">Footer</footer>\n',
                                  "chapters/head.html": '<link rel="stylesheet" href="house.css">\n',
                                  "chapters/doc.qmd": DOCUMENT}) / "chapters/doc.qmd"


def test_html_gets_every_level_in_its_place(tmp_path):
    document = _project(tmp_path)
    page, warnings = render_html(document)
    assert warnings == []
    head = page.find("head")
    assert head.find("meta", attrs={"name": "house"})["content"] == "project"
    assert head.find("link", href="house.css") is not None
    names = [child.name for child in head.find_all(recursive=False)]
    assert names.index("meta", 2) < names.index("link")  # project first, then the document
    body = [child for child in page.find("body").find_all(recursive=False)]
    assert body[0]["class"] == ["banner"]  # right after <body>
    assert body[-1].name == "footer" and body[-1]["class"] == ["house"]  # right before </body>


def test_typst_gets_the_header_in_the_preamble_and_the_body_texts_around_the_body(tmp_path):
    typ = render_typst(_project(tmp_path))
    preamble, body = typ.split("#show: doc => article(", 1)
    assert '#let house = rgb("#154273")' in preamble
    assert "<meta" not in typ  # the HTML-only includes stay out of the PDF
    assert body.index("#text(fill: house)[Huisstijl]") < body.index("Body text.") < body.index("#text[Einde]")


def test_a_book_puts_the_projects_includes_on_every_page(tmp_path):
    write_files(tmp_path, {"_quarto.yml": """\
        project:
          type: book
        book:
          title: Boek
          chapters: [index.qmd, two.qmd]
        format:
          html:
            include-in-header:
              - text: '<meta name="house" content="book">'
        """, "index.qmd": "# Voorwoord\n\nTekst.\n", "two.qmd": "---\ninclude-before-body:\n  - text: '<p id=\"only-here\">x</p>'\n---\n\n# Twee\n\nTekst.\n"})
    render(tmp_path, RenderOptions(formats=("html",)))
    pages = {name: BeautifulSoup((tmp_path / "_book" / name).read_text(encoding="utf-8"), "html.parser")
             for name in ("index.html", "two.html")}
    assert all(page.find("head").find("meta", attrs={"name": "house"}) for page in pages.values())
    assert pages["two.html"].find("p", id="only-here") is not None
    assert pages["index.html"].find("p", id="only-here") is None


def test_a_missing_include_file_is_an_error_naming_where_it_is_set(tmp_path):
    document = write_files(tmp_path, {"_quarto.yml": "project:\n  type: default\n",
                                      "doc.qmd": "---\ntitle: T\ninclude-in-header: nothing.html\n---\n\nText.\n"}) / "doc.qmd"
    with pytest.raises(ReportError) as caught:
        render_html(document)
    assert str(caught.value) == "doc.qmd: include-in-header: file 'nothing.html' does not exist (looked for nothing.html)"
