"""Each failure stops the render with a message naming file and line, and keeps the previous output."""

from pathlib import Path

import pytest

from report.build import RenderOptions, render
from report.errors import ReportError

HTML_ONLY = RenderOptions(formats=("html",))
STRICT = RenderOptions(formats=("html",), strict=True)  # where Quarto warns, strict makes it an error
PDF_UA = "format:\n  typst:\n    pdf-standard: ua-1\n"  # alt text and the heading tree are required only with it


def render_error(root: Path, options: RenderOptions = HTML_ONLY) -> str:
    with pytest.raises(ReportError) as caught:
        render(root, options)
    return str(caught.value)


def test_raising_cell_names_file_label_and_traceback(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\n```{python}\n#| label: deling\nx = 1\n1 / 0\n```\n")
    message = render_error(tmp_path)
    assert message.startswith("hoofdstuk.qmd:3: cell 'deling' raised ZeroDivisionError: division by zero\n")
    assert "----> 2 1 / 0" in message  # the traceback, without terminal colour codes
    assert "\x1b[" not in message


def test_error_about_input_is_shown_by_its_message_alone(tmp_path, make_book):
    # The convention for a project's data errors: a class with report_traceback = False names file, row and
    # rule in its message; the traceback through the project's code would only hide it.
    make_book("# H {#sec-hoofdstuk}\n\n```{python}\n#| label: laden\n"
              "class DataError(ValueError):\n    report_traceback = False\n\n"
              "def load():\n    raise DataError('survey.csv: holds no responses [empty]')\n\nload()\n```\n")
    assert render_error(tmp_path) == ("hoofdstuk.qmd:3: cell 'laden' raised DataError: "
                                      "survey.csv: holds no responses [empty]")


def test_error_shown_in_the_page_by_its_message_alone(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\n```{python}\n#| error: true\n"
              "class DataError(ValueError):\n    report_traceback = False\n\n"
              "raise DataError('survey.csv: holds no responses [empty]')\n```\n")
    render(tmp_path, HTML_ONLY)
    page = (tmp_path / "_book" / "hoofdstuk.html").read_text(encoding="utf-8")
    assert "DataError: survey.csv: holds no responses [empty]" in page
    assert "Traceback" not in page and "----&gt;" not in page


def test_unlabelled_cell_is_named_by_its_line(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\nTekst.\n\n```{python}\nraise ValueError('kapot')\n```\n")
    assert render_error(tmp_path).startswith("hoofdstuk.qmd:5: cell 'cell 1 (line 5)' raised ValueError: kapot\n")


def test_hanging_cell_is_stopped_by_the_timeout(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\n```{python}\n#| label: traag\nimport time\ntime.sleep(60)\n```\n")
    message = render_error(tmp_path, RenderOptions(formats=("html",), cell_timeout=2))
    assert message == ("hoofdstuk.qmd:3: cell 'traag' did not finish within 2 s "
                       "(raise report.cell-timeout in _quarto.yml or --cell-timeout)")


def test_failing_inline_expression_names_its_line(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\nEerste regel.\nWaarde `{python} onbekend + 1`.\n")
    assert render_error(tmp_path) == ("hoofdstuk.qmd:4: inline expression `{python} onbekend + 1` raised "
                                      "NameError: name 'onbekend' is not defined")


def test_unresolved_reference_names_the_label_when_strict(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\nZie @fig-bestaat-niet.\n")
    assert render_error(tmp_path, STRICT) == ("hoofdstuk.qmd:3: Unable to resolve crossref @fig-bestaat-niet "
                                              "(strict mode: warnings are errors)")


def test_figure_without_alt_text_is_refused_where_pdf_ua_is_requested(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\n```{python}\n#| label: fig-kaal\n#| fig-cap: Kaal\n"
              "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n```\n", PDF_UA)
    assert render_error(tmp_path) == ("hoofdstuk.qmd:3: figure 'fig-kaal': missing alt text, which PDF/UA-1 "
                                      "requires (add fig-alt)")


def test_duplicate_label_across_chapters_when_strict(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\n## Nog eens {#sec-start}\n")
    assert render_error(tmp_path, STRICT) == ("hoofdstuk.qmd:3: duplicate label 'sec-start' (also used in index.qmd:1); "
                                              "references go to the first (strict mode: warnings are errors)")


def test_unimplemented_div_class_renders_as_a_plain_block_with_a_warning_and_is_an_error_when_strict(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\n::: {.panel-sidebar}\nZijbalk\n:::\n\n::: {.panel-sidebar}\nNog een\n:::\n")
    message = ("hoofdstuk.qmd:3: Quarto div class '.panel-sidebar' is not implemented by the embedded engine; the div "
               "renders as a plain block")
    result = render(tmp_path, RenderOptions(formats=("html", "typst")))
    assert [str(warning) for warning in result.warnings] == [message]  # once per class and document
    page = (tmp_path / "_book" / "hoofdstuk.html").read_text(encoding="utf-8")
    assert '<div class="panel-sidebar">\n<p>Zijbalk</p>' in page
    again = render(tmp_path, RenderOptions(formats=("html", "typst")))  # unchanged: skipped, the warning again
    assert [str(warning) for warning in again.warnings] == [message]
    (tmp_path / "index.qmd").write_text("# Start {#sec-start}\n\nZie @sec-hoofdstuk, nu anders.\n", encoding="utf-8")
    edited = render(tmp_path, RenderOptions(formats=("html", "typst")))  # the chapter's read comes from the cache
    assert [str(warning) for warning in edited.warnings] == [message]
    assert render_error(tmp_path, RenderOptions(formats=("html",), strict=True)) == \
        message + " (strict mode: warnings are errors)"


def test_failed_render_keeps_the_previous_book(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\nGoede tekst.\n")
    render(tmp_path, HTML_ONLY)
    page = tmp_path / "_book" / "hoofdstuk.html"
    good = page.read_bytes()
    (tmp_path / "hoofdstuk.qmd").write_text("# H {#sec-hoofdstuk}\n\n```{python}\n1 / 0\n```\n", encoding="utf-8")
    render_error(tmp_path)
    assert page.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("._book")) == []


def test_skipped_heading_level_is_refused_where_pdf_ua_is_requested(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\n#### Te diep {#sec-diep}\n", PDF_UA)
    assert render_error(tmp_path) == ("hoofdstuk.qmd:3: heading 'Te diep' jumps from level 1 to level 4: heading "
                                      "levels may not be skipped (WCAG 1.3.1, PDF/UA-1)")


def test_unknown_citation_key_is_an_error_when_strict(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\nVolgens [@nergens2020] is het zo.\n", "bibliography: refs.bib\n")
    (tmp_path / "refs.bib").write_text("@book{iets2020, title = {Iets}, year = {2020}}\n", encoding="utf-8")
    assert render_error(tmp_path, STRICT) == ("hoofdstuk.qmd:3: Citeproc: citation nergens2020 not found "
                                              "(strict mode: warnings are errors)")
