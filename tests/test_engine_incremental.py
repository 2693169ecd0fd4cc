"""Incremental renders: nothing written when nothing changed, only the pages that changed otherwise, and the
result always byte-identical to a cold render of the same sources."""

import logging
import re
import shutil
from pathlib import Path

import pytest

from report.build import RenderOptions, render
from report.errors import ReportError

PROJECT = """project:
  type: book
  execute-dir: project
lang: nl
book:
  title: "Klein"
  chapters:
    - index.qmd
    - chapters/een.qmd
    - chapters/twee.qmd
    - chapters/drie.qmd
execute:
  echo: false
  cache: true  # results reused while code and inputs are unchanged (without it: executed each render)
format:
  html:
    number-sections: true
  typst: default
"""
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">'
       '<rect width="40" height="20" fill="#{colour}"/></svg>\n')
CHAPTERS = {
    "index.qmd": "# Voorwoord {.unnumbered}\n\nZie @sec-een en @fig-b.\n",
    "chapters/een.qmd": "# Een {#sec-een}\n\nEerste zin.\n\n![Rood vlak](plaatjes/a.svg){#fig-a fig-alt=\"Een rood vlak.\"}\n",
    "chapters/twee.qmd": ("# Twee {#sec-twee}\n\nTwee begint.\n\n"
                          "![Blauw vlak](plaatjes/b.svg){#fig-b fig-alt=\"Een blauw vlak.\"}\n\nZoals @fig-b toont.\n"),
    "chapters/drie.qmd": ("# Drie {#sec-drie}\n\nVergelijk @fig-b met @fig-a.\n\n"
                          "```{python}\nimport pandas as pd\ntabel = pd.read_csv('data/aantallen.csv')\n"
                          "print(int(tabel['aantal'].sum()))\n```\n"),
}
PAGES = ["index.html", "chapters/een.html", "chapters/twee.html", "chapters/drie.html"]


@pytest.fixture(autouse=True)
def fixed_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1715644800")


def make_book(root: Path) -> Path:
    (root / "chapters" / "plaatjes").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "_quarto.yml").write_text(PROJECT, encoding="utf-8")
    for name, text in CHAPTERS.items():
        (root / name).write_text(text, encoding="utf-8")
    for name, colour in (("a", "c00000"), ("b", "0000c0"), ("c", "00c000")):
        (root / "chapters" / "plaatjes" / f"{name}.svg").write_text(SVG.format(colour=colour), encoding="utf-8")
    (root / "data" / "aantallen.csv").write_text("gemeente,aantal\nBreda,3\nGouda,4\n", encoding="utf-8")
    return root


def state(folder: Path) -> dict[str, tuple[int, ...]]:
    """Inode and modification time of every file in the folder, inode of the folder and its subfolders (a
    folder's time changes whenever a file in it is replaced)."""
    return {path.relative_to(folder).as_posix(): (path.stat().st_ino,) if path.is_dir()
            else (path.stat().st_ino, path.stat().st_mtime_ns) for path in [folder, *sorted(folder.rglob("*"))]}


def contents(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def cold_render(book: Path, elsewhere: Path, options: RenderOptions = RenderOptions()) -> dict[str, bytes]:
    """The same sources rendered from scratch in another folder: no cache, no record, no earlier output."""
    shutil.copytree(book, elsewhere, ignore=shutil.ignore_patterns("_book", ".report-cache", ".report-build"))
    render(elsewhere, options)
    return contents(elsewhere / "_book")


def page_text(path: Path) -> str:
    # cross-references use a no-break space, which a page holds as &nbsp; (as Quarto's pages do)
    return path.read_text(encoding="utf-8").replace("&nbsp;", " ").replace("\u00a0", " ")


def visible_text(path: Path) -> str:
    """The page's text without its tags (a citation's year is a link inside the citation)."""
    return re.sub(r"<[^>]+>", "", page_text(path))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def rendered(tmp_path) -> Path:
    book = make_book(tmp_path / "boek")
    render(book)
    return book


def test_an_unchanged_render_writes_nothing(rendered, caplog):
    before = state(rendered / "_book")
    with caplog.at_level(logging.INFO, logger="report"):
        result = render(rendered)
    assert result.executed == () and result.written == ()
    assert state(rendered / "_book") == before
    stages = [record.getMessage().split()[0] for record in caplog.records]
    assert "check" in stages and "parse" not in stages and "html" not in stages


def test_a_touched_but_unchanged_source_still_writes_nothing(rendered):
    before = state(rendered / "_book")
    source = rendered / "chapters" / "een.qmd"
    source.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    result = render(rendered)
    assert result.written == ()
    assert state(rendered / "_book") == before


def test_a_deleted_output_file_is_written_again(tmp_path):
    book = make_book(tmp_path / "boek")
    render(book, RenderOptions(formats=("html",)))
    (book / "_book" / "chapters" / "twee.html").unlink()
    result = render(book, RenderOptions(formats=("html",)))
    assert result.written == ("chapters/twee.html",)
    assert "Twee begint." in (book / "_book" / "chapters" / "twee.html").read_text(encoding="utf-8")


def test_a_prose_edit_rewrites_one_page(tmp_path):
    book = make_book(tmp_path / "boek")
    render(book)
    before = state(book / "_book")
    edit(book / "chapters" / "een.qmd", "Eerste zin.", "Eerste zin, nu langer.")
    result = render(book)
    assert result.executed == ()
    assert result.written == ("chapters/een.html", "klein.pdf", "search.json", "site_libs/search-index.js")
    after = state(book / "_book")
    unchanged = {name for name in before if before[name] == after.get(name)}
    assert unchanged == set(before) - set(result.written)  # everything else: same inode, same time
    assert "Eerste zin, nu langer." in (book / "_book" / "chapters" / "een.html").read_text(encoding="utf-8")
    assert contents(book / "_book") == cold_render(book, tmp_path / "koud")


def test_an_inserted_figure_rewrites_the_pages_whose_numbers_shifted(tmp_path):
    book = make_book(tmp_path / "boek")
    render(book, RenderOptions(formats=("html",)))
    before = state(book / "_book")
    assert "Figuur 2.1" in page_text(book / "_book" / "chapters" / "drie.html")
    edit(book / "chapters" / "twee.qmd", "Twee begint.\n",
         "Twee begint.\n\n![Groen vlak](plaatjes/c.svg){#fig-c fig-alt=\"Een groen vlak.\"}\n")
    result = render(book, RenderOptions(formats=("html",)))
    # Figure b is now 2.2: its chapter, and the pages that refer to it; chapter one and its figure are untouched.
    assert result.written == ("chapters/drie.html", "chapters/plaatjes/c.svg", "chapters/twee.html", "index.html",
                              "search.json", "site_libs/search-index.js")
    after = state(book / "_book")
    assert after["chapters/een.html"] == before["chapters/een.html"]
    assert after["chapters/plaatjes/a.svg"] == before["chapters/plaatjes/a.svg"]
    drie = page_text(book / "_book" / "chapters" / "drie.html")
    assert "Figuur 2.2" in drie and "Figuur 2.1" not in drie and "Figuur 1.1" in drie
    assert "Figuur 2.2" in page_text(book / "_book" / "index.html")
    assert contents(book / "_book") == cold_render(book, tmp_path / "koud", RenderOptions(formats=("html",)))


def test_code_and_data_edits_give_what_a_cold_render_gives(tmp_path):
    book = make_book(tmp_path / "boek")
    render(book)
    drie = book / "_book" / "chapters" / "drie.html"
    assert '<pre class="cell-output cell-output-stdout"><code>7</code></pre>' in drie.read_text(encoding="utf-8")
    edit(book / "chapters" / "drie.qmd", "print(int(tabel['aantal'].sum()))", "print(int(tabel['aantal'].max()))")
    result = render(book)
    assert result.executed == (Path("chapters/drie.qmd"),)
    assert '<code>4</code></pre>' in drie.read_text(encoding="utf-8")
    assert contents(book / "_book") == cold_render(book, tmp_path / "koud-code")
    (book / "data" / "aantallen.csv").write_text("gemeente,aantal\nBreda,3\nGouda,40\n", encoding="utf-8")
    result = render(book)
    assert result.executed == (Path("chapters/drie.qmd"),)
    assert '<pre class="cell-output cell-output-stdout"><code>40</code></pre>' in drie.read_text(encoding="utf-8")
    assert contents(book / "_book") == cold_render(book, tmp_path / "koud-data")


def test_a_source_saved_while_rendering_is_rendered_next_time(tmp_path, monkeypatch):
    import report.build as build

    book = make_book(tmp_path / "boek")
    options = RenderOptions(formats=("html",))
    render(book, options)
    original_parse = build.parse

    def parse_then_save(context):
        documents = original_parse(context)
        # The author saves while the render is past reading its sources.
        edit(book / "chapters" / "een.qmd", "Eerste zin.", "Eerste zin, tijdens het renderen opgeslagen.")
        return documents

    edit(book / "chapters" / "twee.qmd", "Twee begint.", "Twee begint anders.")
    monkeypatch.setattr(build, "parse", parse_then_save)
    assert render(book, options).written[:2] == ("chapters/twee.html", "search.json")
    monkeypatch.setattr(build, "parse", original_parse)
    result = render(book, options)
    assert "chapters/een.html" in result.written
    assert "tijdens het renderen opgeslagen" in (book / "_book" / "chapters" / "een.html").read_text(encoding="utf-8")


def test_an_edited_included_file_is_rendered(tmp_path):
    book = make_book(tmp_path / "boek")
    (book / "chapters" / "_deel.qmd").write_text("Ingevoegde zin.\n", encoding="utf-8")
    edit(book / "chapters" / "een.qmd", "Eerste zin.\n", "Eerste zin.\n\n{{< include _deel.qmd >}}\n")
    options = RenderOptions(formats=("html",))
    render(book, options)
    een = book / "_book" / "chapters" / "een.html"
    assert "Ingevoegde zin." in een.read_text(encoding="utf-8")
    (book / "chapters" / "_deel.qmd").write_text("Ingevoegde zin, bijgewerkt.\n", encoding="utf-8")
    result = render(book, options)
    assert "chapters/een.html" in result.written
    assert "Ingevoegde zin, bijgewerkt." in een.read_text(encoding="utf-8")


def test_an_included_file_outside_the_project_is_refused_and_the_book_stays(tmp_path):
    # Every file the sources read lies in the project (report.sources.paths; tests/test_engine_paths.py), so
    # the build record never has to watch a file outside it.
    book = make_book(tmp_path / "boek")
    shared = tmp_path / "gedeeld" / "colofon.md"
    shared.parent.mkdir()
    shared.write_text("Gedeelde zin.\n", encoding="utf-8")
    options = RenderOptions(formats=("html",))
    render(book, options)
    een = book / "_book" / "chapters" / "een.html"
    before = een.read_bytes()
    edit(book / "chapters" / "een.qmd", "Eerste zin.\n", "Eerste zin.\n\n{{< include ../../gedeeld/colofon.md >}}\n")
    with pytest.raises(ReportError) as refused:
        render(book, options)
    assert str(refused.value).startswith("chapters/een.qmd:")
    assert "included file '../../gedeeld/colofon.md' resolves outside the project" in str(refused.value)
    assert een.read_bytes() == before


def test_edited_variables_and_a_changed_environment_variable_are_rendered(tmp_path, monkeypatch):
    monkeypatch.delenv("REPORT_TEST_REGIO", raising=False)
    book = make_book(tmp_path / "boek")
    (book / "_variables.yml").write_text("ronde: eerste\n", encoding="utf-8")
    edit(book / "chapters" / "twee.qmd", "Twee begint.",
         "Twee begint in de {{< var ronde >}} ronde, regio {{< env REPORT_TEST_REGIO onbekend >}}.")
    options = RenderOptions(formats=("html",))
    twee = book / "_book" / "chapters" / "twee.html"
    render(book, options)
    assert "Twee begint in de eerste ronde, regio onbekend." in twee.read_text(encoding="utf-8")
    assert render(book, options).written == ()
    (book / "_variables.yml").write_text("ronde: tweede\n", encoding="utf-8")
    assert "chapters/twee.html" in render(book, options).written
    assert "Twee begint in de tweede ronde, regio onbekend." in twee.read_text(encoding="utf-8")
    monkeypatch.setenv("REPORT_TEST_REGIO", "Noord")
    assert "chapters/twee.html" in render(book, options).written
    assert "Twee begint in de tweede ronde, regio Noord." in twee.read_text(encoding="utf-8")
    assert render(book, options).written == ()
    monkeypatch.delenv("REPORT_TEST_REGIO")
    assert "chapters/twee.html" in render(book, options).written
    assert "regio onbekend." in twee.read_text(encoding="utf-8")


def test_a_skipped_render_gives_the_warnings_again(tmp_path, caplog):
    book = make_book(tmp_path / "boek")
    edit(book / "_quarto.yml", "lang: nl\n", "lang: nl\nlnag: en\n")
    options = RenderOptions(formats=("html",))
    first = render(book, options)
    assert [item.message for item in first.warnings] == [
        "unknown option 'lnag' in project configuration is kept as metadata (did you mean 'lang'?)"]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="report"):
        again = render(book, options)
    assert again.written == () and again.executed == ()
    assert "parse" not in [record.getMessage().split()[0] for record in caplog.records]
    assert again.warnings == first.warnings
    assert [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING] == [
        f"WARNING ({first.warnings[0].path.as_posix()}:{first.warnings[0].line}) unknown option 'lnag' in project "
        "configuration is kept as metadata (did you mean 'lang'?)"]


BIBLIOGRAPHY = """@book{jansen-a,
  author = {Jansen, Anna},
  title = {Weerbaar bestuur},
  year = {2020},
  publisher = {Boom}
}
@book{jansen-b,
  author = {Jansen, Anna},
  title = {Dreiging en gezag},
  year = {2020},
  publisher = {Boom}
}
"""


def test_citations_are_resolved_for_the_whole_book_and_a_prose_edit_converts_one_page(tmp_path):
    """Two works of one author and year are told apart (2020a, 2020b, in title order) although each page cites
    only one: citeproc sees the whole book's citations. A prose edit that changes no citation rewrites only its own page."""
    book = make_book(tmp_path / "boek")
    (book / "bronnen.bib").write_text(BIBLIOGRAPHY, encoding="utf-8")
    edit(book / "_quarto.yml", "lang: nl\n", "lang: nl\nbibliography: bronnen.bib\n")
    edit(book / "_quarto.yml", "    - chapters/drie.qmd\n", "    - chapters/drie.qmd\n    - bronnen.qmd\n")
    (book / "bronnen.qmd").write_text("# Bronnen {.unnumbered}\n\n::: {#refs}\n:::\n", encoding="utf-8")
    edit(book / "chapters" / "een.qmd", "Eerste zin.", "Eerste zin [@jansen-a].")
    edit(book / "chapters" / "twee.qmd", "Twee begint.", "Twee begint.[^1]\n\n[^1]: Zie @jansen-b.")
    options = RenderOptions(formats=("html",))
    render(book, options)
    een, twee, bronnen = (visible_text(book / "_book" / name) for name in ("chapters/een.html", "chapters/twee.html",
                                                                             "bronnen.html"))
    assert "Jansen 2020b" in een and "2020a" not in een
    assert "Jansen (2020a)" in twee  # in a footnote, as text
    assert bronnen.index("2020a") < bronnen.index("Dreiging en gezag") < bronnen.index("2020b") \
        < bronnen.index("Weerbaar bestuur")
    edit(book / "chapters" / "twee.qmd", "Twee begint.", "Twee begint opnieuw.")
    result = render(book, options)
    assert result.written == ("chapters/twee.html", "search.json", "site_libs/search-index.js")
    assert "Jansen (2020a)" in visible_text(book / "_book" / "chapters" / "twee.html")
    assert contents(book / "_book") == cold_render(book, tmp_path / "koud", options)


def test_a_pdf_without_a_reference_page_ends_with_the_reference_list_and_matches_a_cold_render(tmp_path):
    """Chapters are converted to typst one by one; citeproc's reference list, which it appends to a book without
    `#refs`, still closes the PDF, and an edit gives the bytes of a cold render."""
    import pypdf

    book = make_book(tmp_path / "boek")
    (book / "bronnen.bib").write_text(BIBLIOGRAPHY, encoding="utf-8")
    edit(book / "_quarto.yml", "lang: nl\n", "lang: nl\nbibliography: bronnen.bib\n")
    edit(book / "_quarto.yml", "lang: nl\n", "lang: nl\nciteproc: true\n")
    edit(book / "chapters" / "een.qmd", "Eerste zin.", "Eerste zin [@jansen-a; @jansen-b].")
    options = RenderOptions(formats=("typst",))
    render(book, options)
    pdf = book / "_book" / "klein.pdf"
    pages = [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(pdf).pages]
    assert "Jansen 2020b, 2020a" in " ".join(pages) or "Jansen 2020a, 2020b" in " ".join(pages)
    assert "Dreiging en gezag" in pages[-1] and "Weerbaar bestuur" in pages[-1]
    edit(book / "chapters" / "drie.qmd", "Vergelijk", "Vergelijk nu")
    assert render(book, options).written == ("klein.pdf",)
    assert contents(book / "_book") == cold_render(book, tmp_path / "koud", options)
