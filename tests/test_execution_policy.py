"""Execution as Quarto defines it: executed on every render by default; `freeze` (project renders), `cache`,
`--execute`, `--no-execute` and `--cache-refresh` decide when stored results are shown instead.

The book's one chapter prints the clock, which no file records: only a policy the author chose may show it stale.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from report.build import RenderOptions, render
from report.cli import main

HTML = RenderOptions(formats=("html",))

PROJECT = """\
project:
  type: book
  output-dir: _book

book:
  title: "Klokboek"
  chapters:
    - index.qmd
    - klok.qmd

execute:
  echo: false
{policy}"""

CLOCK = """\
# Klok

Voor de cel.

```{python}
import time
print(f"tijd={time.time_ns()}")
```
"""


def clock_book(root: Path, policy: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "_quarto.yml").write_text(PROJECT.format(policy=policy), encoding="utf-8")
    (root / "index.qmd").write_text("# Voorwoord\n\nAlleen proza.\n", encoding="utf-8")
    (root / "klok.qmd").write_text(CLOCK, encoding="utf-8")
    return root


def clock(root: Path, page: str = "_book/klok.html") -> str | None:
    """The time the chapter's cell printed, as the rendered page shows it (None: no output)."""
    found = re.search(r"tijd=(\d+)", (root / page).read_text(encoding="utf-8"))
    return found.group(1) if found else None


def test_by_default_a_document_executes_on_every_render(tmp_path):
    book = clock_book(tmp_path / "boek")
    first = render(book, HTML)
    shown = clock(book)
    second = render(book, HTML)
    assert first.executed == second.executed == (Path("klok.qmd"),)
    assert clock(book) is not None and clock(book) != shown


def test_freeze_true_reuses_in_project_renders_but_a_single_document_render_executes(tmp_path):
    book = clock_book(tmp_path / "boek", "  freeze: true\n")
    render(book, HTML)
    frozen = clock(book)
    again = render(book, HTML)
    assert again.executed == () and clock(book) == frozen
    single = render(book / "klok.qmd", HTML)
    assert single.executed == (Path("klok.qmd"),) and clock(book, "klok.html") != frozen


def test_freeze_true_still_executes_code_that_has_no_stored_results(tmp_path):
    book = clock_book(tmp_path / "boek", "  freeze: true\n")
    render(book, HTML)
    frozen = clock(book)
    chapter = book / "klok.qmd"
    chapter.write_text(CLOCK.replace('print(f"tijd=', 'print(f"nu tijd='), encoding="utf-8")
    edited = render(book, HTML)
    assert edited.executed == (Path("klok.qmd"),) and clock(book) != frozen
    assert "nu tijd=" in (book / "_book" / "klok.html").read_text(encoding="utf-8")


def test_freeze_auto_reuses_until_the_code_or_what_it_read_changes(tmp_path):
    book = clock_book(tmp_path / "boek", "  freeze: auto\n")
    chapter = book / "klok.qmd"
    chapter.write_text(CLOCK.replace("import time\n", "import time\nopen('drempel.txt').read()\n"), encoding="utf-8")
    (book / "drempel.txt").write_text("5\n", encoding="utf-8")
    render(book, HTML)
    stored = clock(book)
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("Voor de cel.", "Proza, herschreven."),
                       encoding="utf-8")
    assert render(book, HTML).executed == () and clock(book) == stored
    (book / "drempel.txt").write_text("6\n", encoding="utf-8")
    assert render(book, HTML).executed == (Path("klok.qmd"),) and clock(book) != stored


def test_cache_true_reuses_also_in_a_single_document_render_until_cache_refresh(tmp_path):
    book = clock_book(tmp_path / "boek")
    chapter = book / "klok.qmd"
    chapter.write_text("---\nexecute:\n  cache: true\n---\n\n" + CLOCK, encoding="utf-8")
    render(chapter, HTML)
    stored = clock(book, "klok.html")
    assert render(chapter, HTML).executed == () and clock(book, "klok.html") == stored
    refreshed = render(chapter, RenderOptions(formats=("html",), refresh=True))
    assert refreshed.executed == (Path("klok.qmd"),) and clock(book, "klok.html") != stored


def test_execute_overrides_freeze(tmp_path):
    book = clock_book(tmp_path / "boek", "  freeze: true\n")
    render(book, HTML)
    frozen = clock(book)
    forced = render(book, RenderOptions(formats=("html",), execute=True))
    assert forced.executed == (Path("klok.qmd"),) and clock(book) != frozen


def test_no_execute_shows_stored_results_and_names_the_cells_without_any(tmp_path, caplog):
    book = clock_book(tmp_path / "boek")
    (book / "later.qmd").write_text("# Later\n\n```{python}\nprint('nooit')\n```\n\nWaarde `{python} 6 * 7`.\n",
                                    encoding="utf-8")
    render(book, HTML)
    stored = clock(book)
    (book / "_quarto.yml").write_text(PROJECT.format(policy="").replace("    - klok.qmd\n",
                                                                         "    - klok.qmd\n    - later.qmd\n"),
                                      encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="report"):
        result = render(book, RenderOptions(formats=("html",), execute=False))
    assert result.executed == () and clock(book) == stored
    assert [(str(item.path), item.line, item.message) for item in result.warnings] == [
        ("later.qmd", 3, "--no-execute: no stored results for this document; cells at line(s) 3 are shown "
                         "without output")]
    page = (book / "_book" / "later.html").read_text(encoding="utf-8")
    assert "nooit" not in page and "6 * 7" in page


def test_the_flags_reach_the_render_as_quarto_spells_them(tmp_path, capsys):
    book = clock_book(tmp_path / "boek", "  freeze: true\n")
    assert main(["render", str(book), "--to", "html"]) == 0
    frozen = clock(book)
    assert main(["render", str(book), "--to", "html", "--no-execute"]) == 0 and clock(book) == frozen
    assert main(["render", str(book), "--to", "html", "--execute"]) == 0 and clock(book) != frozen
    executed = clock(book)
    assert main(["render", str(book), "--to", "html", "--cache-refresh"]) == 0 and clock(book) != executed
    with pytest.raises(SystemExit):
        main(["render", str(book), "--execute", "--no-execute"])
    assert "argument --no-execute: not allowed with argument --execute" in capsys.readouterr().err


def test_execute_runs_a_notebook_that_otherwise_keeps_its_stored_outputs(tmp_path):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Schrift"), nbformat.v4.new_code_cell(
        "print('nu berekend')", outputs=[nbformat.v4.new_output("stream", name="stdout", text="opgeslagen\n")])]
    source = tmp_path / "schrift.ipynb"
    source.write_text(nbformat.writes(notebook), encoding="utf-8")
    assert render(source, HTML).executed == ()
    assert "opgeslagen" in (tmp_path / "schrift.html").read_text(encoding="utf-8")
    assert render(source, RenderOptions(formats=("html",), execute=True)).executed == (Path("schrift.ipynb"),)
    page = (tmp_path / "schrift.html").read_text(encoding="utf-8")
    assert "<code>nu berekend</code>" in page and "opgeslagen" not in page
