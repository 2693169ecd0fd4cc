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
    shown = "its code is shown (echo=true)" if echo else "nothing is shown (echo=true would show its code)"
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
