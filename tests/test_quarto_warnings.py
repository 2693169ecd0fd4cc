"""Where Quarto renders and warns, the engine renders what Quarto shows and warns with file and line (issue 18,
item 1); `--strict` (or `report: strict: true`) turns each warning into an error."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render
from report.errors import ReportError


def write_book(folder: Path, chapters: dict[str, str], extra: str = "") -> Path:
    """A tiny book: `_quarto.yml` listing ``chapters`` (name -> text) in order, with HTML and typst formats."""
    listed = "\n".join(f"    - {name}" for name in chapters)
    (folder / "_quarto.yml").write_text(textwrap.dedent("""\
        project:
          type: book
        book:
          title: "Proefboek"
          output-file: proefboek
          chapters:
        {listed}
        lang: en
        {extra}
        """).format(listed=listed, extra=extra), encoding="utf-8")
    for name, text in chapters.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def page(folder: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((folder / "_book" / name).read_text(encoding="utf-8"), "html.parser").find("main")


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages).split())


def messages(result) -> list[str]:
    return [str(warning) for warning in result.warnings]


def strict_error(folder: Path, formats: tuple[str, ...] = ("html",)) -> str:
    with pytest.raises(ReportError) as caught:
        render(folder, RenderOptions(formats=formats, strict=True))
    return str(caught.value)


# ---------------------------------------------------------------- ids: automatic per page, labels per book


REPEATED_HEADINGS = {
    "index.qmd": "# Preface\n\nWelcome.\n",
    "a.qmd": """\
        # Functions

        ## Introduction

        Functions take arguments; see [the start](#introduction).

        ## Summary

        Done.
        """,
    "b.qmd": """\
        # Classes

        ## Introduction

        Classes hold data; see [the start](#introduction) and @sec-end.

        ## Summary {#sec-end}

        Done.
        """,
}


def test_repeated_heading_text_gives_each_page_its_own_ids(tmp_path):
    book = write_book(tmp_path, REPEATED_HEADINGS, "format:\n  html: default\n  typst:\n    keep-typ: true")
    result = render(book, RenderOptions())
    assert messages(result) == []
    first, second = page(book, "a.html"), page(book, "b.html")
    assert [h["id"] for h in first.select("section.level2")] == ["introduction", "summary"]
    assert [h["id"] for h in second.select("section.level2")] == ["introduction", "sec-end"]
    assert second.select_one("a.quarto-xref")["href"] == "#sec-end"
    # A link to a repeated id goes to the page's own heading.
    assert [a["href"] for a in first.find_all("a", string="the start")] == ["#introduction"]
    assert [a["href"] for a in second.find_all("a", string="the start")] == ["#introduction"]
    # In the PDF all chapters are one typst document: the second chapter's repeated id is renamed there.
    typst = (book / "_book" / "proefboek.typ").read_text(encoding="utf-8")
    assert "[2.1 Introduction] <introduction>\n" in typst and "[3.1 Introduction] <introduction-2>\n" in typst
    assert "see #link(<introduction>)[the start]." in typst
    assert "see #link(<introduction-2>)[the start] and" in typst
    assert "Classes hold data; see the start and Section 3.2" in pdf_text(book / "_book" / "proefboek.pdf")


def test_a_repeated_label_warns_with_both_places(tmp_path):
    chapters = {**REPEATED_HEADINGS, "a.qmd": REPEATED_HEADINGS["a.qmd"].replace("## Summary", "## Summary {#sec-end}")}
    book = write_book(tmp_path, chapters)
    result = render(book, RenderOptions(formats=("html",)))
    assert messages(result) == ["b.qmd:7: duplicate label 'sec-end' (also used in a.qmd:7); references go to the first"]
    assert page(book, "b.html").select_one("a.quarto-xref")["href"] == "a.html#sec-end"
    assert strict_error(book) == ("b.qmd:7: duplicate label 'sec-end' (also used in a.qmd:7); references go to the "
                                  "first (strict mode: warnings are errors)")


# ---------------------------------------------------------------- unresolved cross-references and citations


def test_an_unresolved_cross_reference_shows_bold_question_mark_label(tmp_path):
    book = write_book(tmp_path, {"index.qmd": "# Preface\n\nAs @fig-missing shows, and @sec-gone too.\n"},
                      "format:\n  html: default\n  typst: default")
    result = render(book, RenderOptions())
    assert messages(result) == ["index.qmd:3: Unable to resolve crossref @fig-missing",
                                "index.qmd:3: Unable to resolve crossref @sec-gone"]
    paragraph = page(book, "index.html").find("p")
    assert [strong.get_text() for strong in paragraph.find_all("strong")] == ["?@fig-missing", "?@sec-gone"]
    assert "As ?@fig-missing shows, and ?@sec-gone too." in pdf_text(book / "_book" / "proefboek.pdf")
    assert strict_error(book) == ("index.qmd:3: Unable to resolve crossref @fig-missing "
                                  "(strict mode: warnings are errors)")


def test_an_unknown_citation_key_shows_what_citeproc_prints(tmp_path):
    book = write_book(tmp_path, {"index.qmd": "# Preface\n\nAs [@known2020] and [@nowhere2021] say.\n"},
                      "bibliography: refs.bib\nformat:\n  html: default\n  typst:\n    citeproc: true")
    (book / "refs.bib").write_text("@book{known2020, author = {Known, Ann}, title = {Known}, year = {2020}}\n",
                                   encoding="utf-8")
    result = render(book, RenderOptions())
    assert messages(result) == ["index.qmd:3: Citeproc: citation nowhere2021 not found"]
    citations = page(book, "index.html").find("p").find_all("span", class_="citation")
    assert [" ".join(span.get_text().split()) for span in citations] == ["(Known 2020)", "(nowhere2021?)"]
    assert citations[1].find("strong").get_text() == "nowhere2021?"
    assert "As (Known 2020) and (nowhere2021?) say." in pdf_text(book / "_book" / "proefboek.pdf")
    assert strict_error(book) == ("index.qmd:3: Citeproc: citation nowhere2021 not found "
                                  "(strict mode: warnings are errors)")


# ---------------------------------------------------------------- shortcodes


def test_an_unknown_shortcode_is_shown_as_written(tmp_path):
    book = write_book(tmp_path, {"index.qmd": "# Preface\n\nA colour: {{< brand color primary >}}.\n\n"
                                              "And {{< sparkles big >}} here.\n"},
                      "format:\n  html: default\n  typst: default")
    result = render(book, RenderOptions())
    assert messages(result) == [
        "index.qmd:3: brand color primary: the document has no brand (no 'brand:' and no _brand.yml); it is shown "
        "as written",
        "index.qmd:5: Shortcode 'sparkles' not found"]
    paragraphs = [p.get_text() for p in page(book, "index.html").find_all("p")]
    assert paragraphs == ["A colour: {{< brand color primary >}}.", "And {{< sparkles big >}} here."]
    text = pdf_text(book / "_book" / "proefboek.pdf")
    assert "A colour: {{< brand color primary >}}." in text and "And {{< sparkles big >}} here." in text
    assert strict_error(book) == ("index.qmd:3: brand color primary: the document has no brand (no 'brand:' and no "
                                  "_brand.yml); it is shown as written (strict mode: warnings are errors)")


# ---------------------------------------------------------------- several `#` headings in a chapter


def test_a_further_level_one_heading_in_a_chapter_is_numbered_as_quarto_numbers_it(tmp_path):
    book = write_book(tmp_path, {
        "index.qmd": "# Preface\n\nWelcome.\n",
        "a.qmd": "# Functions\n\n## Basics\n\nText.\n\n# Methods\n\n## Detail {#sec-detail}\n\nSee @sec-detail.\n",
        "b.qmd": "# Classes\n\nText.\n"}, "format:\n  html: default\n  typst: default")
    result = render(book, RenderOptions())
    assert messages(result) == []
    chapter = page(book, "a.html")
    assert [" ".join(h.get_text().split()) for h in chapter.select("h1, h2")] == [
        "2 Functions", "2.1 Basics", "3 Methods", "3.1 Detail"]
    assert chapter.select_one("a.quarto-xref").get_text() == "Section\xa03.1"
    assert " ".join(page(book, "b.html").find("h1").get_text().split()) == "3 Classes"
    assert "See Section 3.1." in pdf_text(book / "_book" / "proefboek.pdf")


# ---------------------------------------------------------------- cells: header options, `# |` lines


def test_options_in_a_cell_header_are_dropped_with_a_warning(tmp_path):
    book = write_book(tmp_path, {"index.qmd": "# Preface\n\n```{python, eval=FALSE}\nprint(6 * 7)\n```\n\n"
                                              "```{python echo=false}\nprint('shown')\n```\n"})
    result = render(book, RenderOptions(formats=("html",)))
    assert messages(result) == [
        "index.qmd:3: cell options in the cell header ('{python, eval=FALSE}') are ignored, as Quarto's Jupyter "
        "engine ignores them; write them as '#|' lines",
        "index.qmd:7: cell options in the cell header ('{python echo=false}') are ignored, as Quarto's Jupyter "
        "engine ignores them; write them as '#|' lines"]
    main = page(book, "index.html")
    assert [pre.get_text().strip() for pre in main.select("pre.cell-output")] == ["42", "shown"]
    assert [code.get_text() for code in main.select(".cell-code pre")] == ["print(6 * 7)", "print('shown')"]
    assert strict_error(book).endswith("index.qmd:3: cell options in the cell header ('{python, eval=FALSE}') are "
                                       "ignored, as Quarto's Jupyter engine ignores them; write them as '#|' lines "
                                       "(strict mode: warnings are errors)")


def test_option_lines_written_with_a_space_after_the_hash_are_read(tmp_path):
    book = write_book(tmp_path, {"index.qmd": "# Preface\n\n```{python}\n# | eval: false\nraise SystemExit('ran')\n"
                                              "```\n\n```{python}\n#   |echo: false\nprint('quiet')\n```\n"})
    result = render(book, RenderOptions(formats=("html",)))
    assert messages(result) == []
    main = page(book, "index.html")
    assert [code.get_text() for code in main.select(".cell-code pre")] == ["raise SystemExit('ran')"]
    assert [pre.get_text().strip() for pre in main.select("pre.cell-output")] == ["quiet"]


def test_a_cell_indented_in_a_list_item_runs_and_stays_in_the_item(tmp_path):
    book = write_book(tmp_path, {"index.qmd": textwrap.dedent("""\
        # Preface

        1. First compute:

            ```{python}
            total = 6 * 7
            print(total)
            ```

        2. Then go on.
        """)})
    result = render(book, RenderOptions(formats=("html",)))
    assert messages(result) == []
    items = page(book, "index.html").select("ol > li")
    assert len(items) == 2
    assert items[0].select_one(".cell-code pre").get_text() == "total = 6 * 7\nprint(total)"
    assert items[0].select_one("pre.cell-output").get_text().strip() == "42"
    assert items[1].get_text().strip() == "Then go on."


# ---------------------------------------------------------------- a book part given as a file


def test_a_part_given_as_a_file_titles_the_part_and_is_its_page(tmp_path):
    (tmp_path / "_quarto.yml").write_text(textwrap.dedent("""\
        project:
          type: book
        book:
          title: "Proefboek"
          output-file: proefboek
          chapters:
            - index.qmd
            - part: basics.qmd
              chapters:
                - a.qmd
            - part: extra.qmd
        lang: en
        format:
          html: default
          typst: default
        """), encoding="utf-8")
    for name, text in {"index.qmd": "# Preface\n\nWelcome.\n",
                       "basics.qmd": "---\ntitle: The basics\n---\n\nWhat this part covers.\n",
                       "a.qmd": "# Functions\n\nText.\n",
                       "extra.qmd": "# Extras {#sec-extras}\n\nMore to read.\n"}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = render(tmp_path, RenderOptions())
    assert messages(result) == []
    sidebar = BeautifulSoup((tmp_path / "_book" / "a.html").read_text(encoding="utf-8"), "html.parser")
    assert [part.get_text() for part in sidebar.select("p.sidebar-part")] == ["The basics", "Extras"]
    first_part = sidebar.select("p.sidebar-part")[0].find_next_sibling("ul")
    assert [(a["href"], " ".join(a.get_text().split())) for a in first_part.find_all("a")] == [
        ("basics.html", "The basics"), ("a.html", "2 Functions")]
    part_page = page(tmp_path, "basics.html")
    assert part_page.find("h1").get_text().strip() == "The basics"
    assert "What this part covers." in part_page.get_text()
    assert " ".join(page(tmp_path, "a.html").find("h1").get_text().split()) == "2 Functions"
    text = pdf_text(tmp_path / "_book" / "proefboek.pdf")
    assert "The basics" in text and "What this part covers." in text and "Extras" in text


# ---------------------------------------------------------------- an HTML comment in a chapter


def test_an_html_comment_in_a_chapter_is_kept_out_of_the_page_text_and_the_search_index(tmp_path):
    book = write_book(tmp_path, {"index.qmd": "# Preface\n\n## Start\n\nVisible text.\n\n<!-- a note to the "
                                              "authors -->\n\nMore text.\n"})
    result = render(book, RenderOptions(formats=("html",)))
    assert messages(result) == []
    assert "a note to the authors" not in page(book, "index.html").get_text()
    search = json.loads((book / "_book" / "search.json").read_text(encoding="utf-8"))
    assert [entry["text"] for entry in search if entry["href"] == "index.html#start"] == ["Visible text. More text."]


# ---------------------------------------------------------------- inline code on a line of its own


def test_inline_code_on_a_line_of_its_own_is_no_unclosed_fence(tmp_path):
    book = write_book(tmp_path, {"index.qmd": "# Preface\n\nType this:\n\n```pip install report```\n\n"
                                              "{{< include _done.qmd >}}\n"})
    (book / "_done.qmd").write_text("Done.\n", encoding="utf-8")
    result = render(book, RenderOptions(formats=("html",)))
    assert messages(result) == []
    paragraphs = page(book, "index.html").find_all("p")
    assert [p.get_text() for p in paragraphs] == ["Type this:", "pip install report", "Done."]
    assert paragraphs[1].find("code").get_text() == "pip install report"


# ---------------------------------------------------------------- embedding a whole notebook


def test_embedding_a_whole_notebook_shows_every_cells_outputs_in_order(tmp_path):
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Analysis"),
        nbformat.v4.new_code_cell("print('first')", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="first\n")]),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("#| label: answer\n6 * 7", execution_count=3, outputs=[
            nbformat.v4.new_output("execute_result", data={"text/plain": "42"}, execution_count=3)])])
    nbformat.write(notebook, str(tmp_path / "nb.ipynb"))
    book = write_book(tmp_path, {"index.qmd": "# Preface\n\nBefore.\n\n{{< embed nb.ipynb >}}\n\nAfter.\n"})
    result = render(book, RenderOptions(formats=("html",)))
    assert messages(result) == []
    main = page(book, "index.html")
    assert [pre.get_text().strip() for pre in main.select("pre.cell-output")] == ["first", "42"]
    assert main.select(".cell-code pre") == []  # as for one embedded cell: outputs only, unless echo=true
    assert [p.get_text() for p in main.find_all("p")] == ["Before.", "After."]


def test_a_notebook_that_bends_nbformats_schema_renders_without_its_complaint(tmp_path, capfd, caplog):
    """Jupyter writes cell ids into notebooks that say nbformat 4.4; nbformat then logs "Notebook JSON is
    invalid". Quarto renders such notebooks without a word, as a chapter and as an embed."""
    cells = [{"cell_type": "markdown", "id": "a1", "metadata": {}, "source": ["# Ids\n", "\n", "Text.\n"]},
             {"cell_type": "code", "id": "b2", "metadata": {}, "execution_count": 1, "source": ["6 * 7"],
              "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                           "data": {"text/plain": ["42"]}}]}]
    notebook = {"nbformat": 4, "nbformat_minor": 4, "metadata": {"kernelspec": {"name": "python3",
                "language": "python", "display_name": "Python 3"}}, "cells": cells}
    (tmp_path / "ids.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    book = write_book(tmp_path, {"index.qmd": "# Preface\n\n{{< embed ids.ipynb >}}\n"})
    book_yml = (book / "_quarto.yml").read_text(encoding="utf-8").replace("    - index.qmd\n",
                                                                          "    - index.qmd\n    - ids.ipynb\n")
    (book / "_quarto.yml").write_text(book_yml, encoding="utf-8")
    result = render(book, RenderOptions(formats=("html",)))
    assert messages(result) == []
    captured = capfd.readouterr()
    assert "Notebook JSON is invalid" not in captured.out + captured.err + caplog.text
    assert [pre.get_text().strip() for pre in page(book, "index.html").select("pre.cell-output")] == ["42"]
    assert "42" in page(book, "ids.html").get_text()
