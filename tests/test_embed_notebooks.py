"""`{{< embed >}}` as Quarto: a cell of a language the embedded engine does not run, and the notebook
preview page that an embedded notebook's "Source" link leads to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render
from report.errors import ReportError
from report.sources.qmd import parse_qmd
from report.sources.shortcodes import ShortcodeContext

R_DOCUMENT = "---\ntitle: Plots\n---\n\nTekst.\n\n```{r}\n#| label: plot\nplot(1:10)\n```\n"


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def _page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _warnings(result) -> list[tuple[str, int | None, str]]:
    return [(str(item.path), item.line, item.message) for item in result.warnings]


# ---------------------------------------------------------------- a cell the embedded engine does not run


@pytest.mark.parametrize("echo", [False, True])
def test_embedding_a_cell_of_another_language_renders_with_a_warning_naming_file_line_and_why(tmp_path, echo):
    option = " echo=true" if echo else ""
    _write(tmp_path, {"plots.qmd": R_DOCUMENT, "main.qmd": f"# Main\n\nVoor.\n\n{{{{< embed plots.qmd#plot{option} >}}}}\n\nNa.\n"})
    result = render(tmp_path / "main.qmd", RenderOptions(formats=("html",)))
    shown = "its code is shown (echo=true)" if echo else "it is left out (echo=true would show its code)"
    assert ("main.qmd", 5, f"embed 'plots.qmd#plot': the cell (plots.qmd:7) is a {{r}} cell, which the embedded "
                           f"engine does not run, so it has no output to embed: {shown}; render with quarto for "
                           "its output") in _warnings(result)
    main = _page(tmp_path / "main.html").find("main")
    code = main.find("code", class_="r")
    if echo:
        assert code is not None and code.get_text() == "plot(1:10)"
    else:
        assert code is None
    assert [p.get_text() for p in main.find_all("p")] == ["Voor.", "Na."]
    # What can be shown of the cell: the link to its document's preview, where its code stands
    link = main.select_one(".quarto-embed-nb-cell > a.quarto-notebook-link")
    assert (link["href"], link.get_text()) == ("plots-preview.html#plot", "Source: Plots")
    assert _page(tmp_path / "plots-preview.html").find("code", class_="r").get_text() == "plot(1:10)"


def test_embedding_a_cell_of_another_language_renders_to_pdf(tmp_path):
    _write(tmp_path, {"plots.qmd": R_DOCUMENT, "main.qmd": "---\nformat: typst\n---\n\n{{< embed plots.qmd#plot >}}\n"})
    render(tmp_path / "main.qmd", RenderOptions(formats=("typst",)))
    assert (tmp_path / "main.pdf").stat().st_size > 0


def test_an_unknown_label_lists_the_labelled_cells_of_every_language(tmp_path):
    _write(tmp_path, {"plots.qmd": R_DOCUMENT + "\n```{python}\n#| label: tabel\n1\n```\n",
                      "main.qmd": "# Main\n\n{{< embed plots.qmd#weg >}}\n"})
    with pytest.raises(ReportError) as caught:
        parse_qmd((tmp_path / "main.qmd").read_text(encoding="utf-8"), Path("main.qmd"), root=tmp_path,
                  context=ShortcodeContext.for_project(tmp_path, {}))
    assert str(caught.value) == ("main.qmd:3: document 'plots.qmd' has no cell labelled 'weg' "
                                 "(labelled cells: tabel, plot)")


# ---------------------------------------------------------------- an embedded notebook's Source link and preview


def _notebook(*cells: dict) -> str:
    return json.dumps({"cells": list(cells), "metadata": {"kernelspec": {"display_name": "Python 3",
                                                                         "language": "python", "name": "python3"}},
                       "nbformat": 4, "nbformat_minor": 5})


def _code(cell_id: str, source: str, printed: str) -> dict:
    return {"cell_type": "code", "execution_count": 1, "id": cell_id, "metadata": {}, "source": source,
            "outputs": [{"name": "stdout", "output_type": "stream", "text": printed}]}


def _markdown(cell_id: str, source: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source}


# The last line of the code is a comment: it is never the notebook's title.
COMMENTED = _notebook(_code("c1", "#| label: groet\nprint('hallo')\n# plt.savefig('uit.svg')", "hallo\n"),
                      _code("c2", "print('tweede')", "tweede\n"))


def _render_embed(folder: Path, front: str = "", notebook: str = COMMENTED, target: str = "analyse.ipynb#groet",
                  name: str = "analyse.ipynb") -> BeautifulSoup:
    _write(folder, {name: notebook,
                    "doc.qmd": f"---\ntitle: Artikel\n{front}---\n\nVoor.\n\n{{{{< embed {target} >}}}}\n"})
    render(folder / "doc.qmd", RenderOptions(formats=("html",)))
    return _page(folder / "doc.html")


def _source_links(page: BeautifulSoup) -> list[tuple[str, str, str | None]]:
    return [(link["href"], link.get_text(), link.get("download"))
            for link in page.select(".quarto-embed-nb-cell > a.quarto-notebook-link")]


def _listed(page: BeautifulSoup) -> list[tuple[str, str, str | None]]:
    return [(link["href"], link.get_text(), link.get("download"))
            for link in page.select("#quarto-margin-sidebar .quarto-alternate-notebooks li a")]


def test_an_embedded_notebook_links_its_preview_page_titled_by_its_file_name(tmp_path):
    page = _render_embed(tmp_path)
    embed = page.select_one("main .quarto-embed-nb-cell")
    assert embed.select_one("pre.cell-output-stdout").get_text() == "hallo"
    assert not any(key.startswith("data-notebook") for key in embed.attrs), "its notebook attributes are taken off"
    assert _source_links(page) == [("analyse-preview.html#c1", "Source: analyse.ipynb", None)]
    assert page.select_one("a.quarto-notebook-link")["id"] == "nblink-1"
    assert page.select_one(".quarto-alternate-notebooks h2").get_text() == "Notebooks"
    assert _listed(page) == [("analyse-preview.html", "analyse.ipynb", None)]

    preview = _page(tmp_path / "analyse-preview.html")
    header = preview.select_one("body > #quarto-embed-header")
    assert header.select_one("a.quarto-back-link")["href"] == "doc.html"
    assert header.select_one("h6").get_text(strip=True) == "analyse.ipynb"
    download = header.select_one("a.quarto-download-embed")
    assert (download["href"], download["download"], download.get_text()) == ("analyse.ipynb", "analyse.ipynb",
                                                                              "Download Notebook")
    assert [pre.get_text() for pre in preview.select("pre.cell-output-stdout")] == ["hallo", "tweede"]


@pytest.mark.parametrize(("cells", "title"), [
    ((_markdown("m1", "```python\n# geen titel\n```\n\n## Verkenning {#verk}\n"),), "Verkenning"),
    ((_markdown("m1", "````\n```\n# nog steeds code\n````\n\nInleiding.\n\nNa de inleiding\n===\n"),),
     "Na de inleiding"),
    (({"cell_type": "raw", "id": "r1", "metadata": {}, "source": "---\ntitle: Mijn analyse\n---\n"},
      _markdown("m1", "# Kop\n")), "Mijn analyse"),
])
def test_the_source_link_shows_the_notebooks_own_title(tmp_path, cells, title):
    notebook = _notebook(*cells, _code("c1", "#| label: groet\nprint('hallo')", "hallo\n"))
    page = _render_embed(tmp_path, notebook=notebook)
    assert _source_links(page) == [("analyse-preview.html#c1", f"Source: {title}", None)]


def test_a_whole_notebook_is_one_embed_with_one_link(tmp_path):
    page = _render_embed(tmp_path, target="analyse.ipynb")
    embeds = page.select("main .quarto-embed-nb-cell")
    assert len(embeds) == 1
    assert [pre.get_text() for pre in embeds[0].select("pre.cell-output-stdout")] == ["hallo", "tweede"]
    assert _source_links(page) == [("analyse-preview.html#c1", "Source: analyse.ipynb", None)]


@pytest.mark.parametrize(("links", "inline", "listed"), [
    ("false", [], []),
    ("inline", [("analyse-preview.html#c1", "Source: analyse.ipynb", None)], []),
    ("global", [], [("analyse-preview.html", "analyse.ipynb", None)]),
])
def test_notebook_links_chooses_the_inline_link_and_the_list(tmp_path, links, inline, listed):
    page = _render_embed(tmp_path, front=f"notebook-links: {links}\n")
    assert (_source_links(page), _listed(page)) == (inline, listed)
    assert (tmp_path / "analyse-preview.html").exists() == bool(inline or listed)


def test_notebook_view_false_links_the_notebook_itself_and_builds_no_preview(tmp_path):
    page = _render_embed(tmp_path, front="notebook-view: false\n")
    assert _source_links(page) == [("analyse.ipynb", "Source: analyse.ipynb", "analyse.ipynb")]
    assert not (tmp_path / "analyse-preview.html").exists()


def test_notebook_view_gives_a_title_and_a_page_of_its_own(tmp_path):
    front = ("notebook-view:\n  - notebook: analyse.ipynb\n    title: De analyse\n"
             "    url: https://example.org/analyse\n")
    page = _render_embed(tmp_path, front=front)
    assert _source_links(page) == [("https://example.org/analyse#c1", "Source: De analyse", None)]
    assert not (tmp_path / "analyse-preview.html").exists()


def test_the_source_link_is_a_page_link_only(tmp_path):
    _write(tmp_path, {"analyse.ipynb": COMMENTED,
                      "doc.qmd": "---\ntitle: Artikel\nkeep-typ: true\n---\n\n{{< embed analyse.ipynb#groet >}}\n"})
    render(tmp_path / "doc.qmd", RenderOptions(formats=("typst",)))
    typst = (tmp_path / "doc.typ").read_text(encoding="utf-8")
    assert "hallo" in typst and "Source:" not in typst and "preview" not in typst


def test_a_book_has_no_notebook_links(tmp_path):
    _write(tmp_path, {"_quarto.yml": "project:\n  type: book\nbook:\n  title: Boek\n  chapters:\n    - index.qmd\n",
                      "analyse.ipynb": COMMENTED,
                      "index.qmd": "# Boek\n\n{{< embed analyse.ipynb#groet >}}\n"})
    render(tmp_path, RenderOptions(formats=("html",)))
    page = _page(tmp_path / "_book" / "index.html")
    assert page.select_one("main .quarto-embed-nb-cell pre.cell-output-stdout").get_text() == "hallo"
    assert page.select("a.quarto-notebook-link") == [] and page.select(".quarto-alternate-notebooks") == []
    assert "data-notebook" not in str(page)


def test_an_embedded_document_links_its_own_preview_with_its_source_to_download(tmp_path):
    _write(tmp_path, {"bron.qmd": "---\ntitle: De bron\n---\n\n```{python}\n#| label: getal\nprint(6 * 7)\n```\n",
                      "doc.qmd": "---\ntitle: Artikel\n---\n\n{{< embed bron.qmd#getal >}}\n"})
    render(tmp_path / "doc.qmd", RenderOptions(formats=("html",)))
    page = _page(tmp_path / "doc.html")
    assert page.select_one(".quarto-embed-nb-cell pre.cell-output-stdout").get_text() == "42"
    assert _source_links(page) == [("bron-preview.html#getal", "Source: De bron", None)]
    download = _page(tmp_path / "bron-preview.html").select_one("#quarto-embed-header a.quarto-download-embed")
    assert (download["href"], download.get_text()) == ("bron.qmd", "Download Source")
