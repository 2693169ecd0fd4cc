"""The execution cache: what re-runs after which edit, and what happens to damaged entries.

Each test works on a copy of one small book that was rendered once (cold) for
the whole module, together with its `.report-cache/`; so the tests also show
that the cache survives a move of the project folder.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from report.execution import _kernels
from report.build import RenderOptions, render
from report.execution.cache import CACHE_DIR

HTML = RenderOptions(formats=("html",))

BOOK = {
    "_quarto.yml": """\
project:
  type: book
  output-dir: _book

lang: nl

book:
  title: "Cacheboek"
  author: "Testteam"
  chapters:
    - index.qmd
    - alfa.qmd
    - beta.qmd
    - gamma.qmd

execute:
  echo: false
  cache: true  # results reused while code and inputs are unchanged (without it: executed each render)
""",
    "index.qmd": """\
# Voorwoord {#sec-voorwoord}

Dit boek heeft alleen proza op deze pagina.
""",
    "alfa.qmd": """\
# Alfa {#sec-alfa}

```{python}
import csv
import os

with open("data/alfa.csv", newline="", encoding="utf-8") as handle:
    rows = list(csv.DictReader(handle))
total = sum(int(row["n"]) for row in rows)
greeting = os.environ.get("CACHEBOEK_GROET", "hallo")
```

Het totaal van alfa is `{python} total`.
De groet is `{python} greeting`.
Zie @fig-gamma voor het verloop.
""",
    "beta.qmd": """\
# Beta {#sec-beta}

```{python}
#| output: asis
from pathlib import Path

import helpers

lines = Path("data/beta.csv").read_text(encoding="utf-8").splitlines()[1:]
print(f"Beta telt {helpers.weigh(len(lines))} regels.")
print(f"Extra gegevens: {'ja' if Path('data/extra.csv').exists() else 'nee'}.")
```
""",
    "gamma.qmd": """\
# Gamma {#sec-gamma}

```{python}
#| label: fig-gamma
#| fig-cap: "Het verloop van alfa"
#| fig-alt: "Een lijn die stijgt"
import csv

import matplotlib.pyplot as plt

with open("data/alfa.csv", newline="", encoding="utf-8") as handle:
    values = [int(row["n"]) for row in csv.DictReader(handle)]
figure, axes = plt.subplots(figsize=(3, 2))
axes.plot(values)
plt.show()
```

Gamma leest dezelfde gegevens als alfa.
""",
    "helpers.py": """\
def weigh(count):
    return count * 10
""",
    "data/alfa.csv": "n\n1\n2\n3\n",
    "data/beta.csv": "x\na\nb\n",
}


def write_book(folder: Path) -> Path:
    for name, text in BOOK.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def page(book: Path, name: str) -> str:
    return (book / "_book" / name).read_text(encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def rendered_once(tmp_path_factory) -> tuple[Path, tuple[Path, ...]]:
    book = write_book(tmp_path_factory.mktemp("template") / "book")
    result = render(book, HTML)
    return book, result.executed


@pytest.fixture
def book(rendered_once, tmp_path) -> Path:
    copy = tmp_path / "moved-book"
    shutil.copytree(rendered_once[0], copy)
    return copy


@pytest.fixture
def kernel_starts(monkeypatch) -> list[int]:
    """Every kernel process the engine starts, counted where it is started."""
    starts: list[int] = []
    original = _kernels.KernelPool._start

    def counted(self):
        starts.append(1)
        return original(self)

    monkeypatch.setattr(_kernels.KernelPool, "_start", counted)
    return starts


def test_first_render_executes_every_document_with_code(rendered_once):
    book, executed = rendered_once
    assert executed == (Path("alfa.qmd"), Path("beta.qmd"), Path("gamma.qmd"))
    assert "Het totaal van alfa is 6." in page(book, "alfa.html")
    assert "Beta telt 20 regels." in page(book, "beta.html")
    assert list((book / CACHE_DIR / "execute").glob("*/*-*.json"))


def test_no_change_and_prose_edit_start_no_kernel(book, kernel_starts):
    assert render(book, HTML).executed == ()
    edit(book / "alfa.qmd", "Zie @fig-gamma voor het verloop.", "Zie @fig-gamma voor het hele verloop.")
    edit(book / "index.qmd", "alleen proza", "uitsluitend proza")

    result = render(book, HTML)

    assert result.executed == ()
    assert kernel_starts == []
    alfa = page(book, "alfa.html")
    assert "voor het hele verloop" in alfa
    assert "Het totaal van alfa is 6." in alfa  # the inline value came from the cache
    assert "uitsluitend proza" in page(book, "index.html")
    assert "<svg" in (book / "_book" / "gamma_files" / "figure-html" / "fig-gamma-output-1.svg").read_text()


def test_caption_edit_does_not_execute(book, kernel_starts):
    edit(book / "gamma.qmd", '#| fig-cap: "Het verloop van alfa"', '#| fig-cap: "Het hele verloop van alfa"')

    assert render(book, HTML).executed == ()
    assert kernel_starts == []
    assert "Het hele verloop van alfa" in page(book, "gamma.html")


def test_code_edit_reexecutes_only_its_document(book, kernel_starts):
    edit(book / "beta.qmd", 'print(f"Beta telt', 'print(f"Beta heeft')

    result = render(book, HTML)

    assert result.executed == (Path("beta.qmd"),)
    assert len(kernel_starts) == 1
    assert "Beta heeft 20 regels." in page(book, "beta.html")
    assert render(book, HTML).executed == ()  # and the new result is cached in turn


def test_data_edit_reexecutes_exactly_its_readers(book):
    (book / "data" / "alfa.csv").write_text("n\n1\n2\n3\n4\n", encoding="utf-8")

    result = render(book, HTML)

    assert result.executed == (Path("alfa.qmd"), Path("gamma.qmd"))
    assert "Het totaal van alfa is 10." in page(book, "alfa.html")

    (book / "data" / "beta.csv").write_text("x\na\nb\nc\n", encoding="utf-8")
    result = render(book, HTML)
    assert result.executed == (Path("beta.qmd"),)
    assert "Beta telt 30 regels." in page(book, "beta.html")


def test_local_module_edit_reexecutes_its_importers(book):
    edit(book / "helpers.py", "count * 10", "count * 100")

    result = render(book, HTML)

    assert result.executed == (Path("beta.qmd"),)
    assert "Beta telt 200 regels." in page(book, "beta.html")


def test_a_file_that_appears_where_a_document_looked_for_it_reexecutes_that_document(book):
    assert "Extra gegevens: nee." in page(book, "beta.html")
    (book / "data" / "extra.csv").write_text("x\n", encoding="utf-8")

    result = render(book, HTML)

    assert result.executed == (Path("beta.qmd"),)
    assert "Extra gegevens: ja." in page(book, "beta.html")


def test_an_environment_variable_a_document_read_reexecutes_only_that_document(book, monkeypatch):
    assert "De groet is hallo." in page(book, "alfa.html")
    monkeypatch.setenv("CACHEBOEK_GROET", "goedemorgen")

    result = render(book, HTML)

    assert result.executed == (Path("alfa.qmd"),)
    assert "De groet is goedemorgen." in page(book, "alfa.html")


def test_a_changed_file_back_to_its_old_content_is_served_from_cache(book):
    data = book / "data" / "beta.csv"
    original = data.read_text(encoding="utf-8")
    data.write_text("x\nz\n", encoding="utf-8")
    assert render(book, HTML).executed == (Path("beta.qmd"),)

    data.write_text(original, encoding="utf-8")

    assert render(book, HTML).executed == ()
    assert "Beta telt 20 regels." in page(book, "beta.html")


@pytest.mark.parametrize("damage", ["flipped byte", "half written", "wrong header"])
def test_damaged_cache_entry_is_ignored_and_replaced(book, caplog, damage):
    entries = list((book / CACHE_DIR / "execute").glob("*/*-*.json"))
    entry = next(path for path in entries if '"document":"beta.qmd"' in path.read_text(encoding="utf-8")
                 .replace(": ", ":"))
    raw = entry.read_bytes()
    if damage == "flipped byte":
        position = raw.index(b"Beta telt 20")
        raw = raw[:position] + b"Beta telt 99" + raw[position + len(b"Beta telt 20"):]
    elif damage == "half written":
        raw = raw[: len(raw) // 2]
    else:
        raw = b"something else\n" + raw.partition(b"\n")[2]
    entry.write_bytes(raw)

    with caplog.at_level(logging.WARNING, logger="report"):
        result = render(book, HTML)

    assert result.executed == (Path("beta.qmd"),)
    assert "Beta telt 20 regels." in page(book, "beta.html")
    assert "Beta telt 99" not in page(book, "beta.html")
    assert any("removing damaged cache entry" in record.getMessage() and entry.name in record.getMessage()
               for record in caplog.records)
    assert render(book, HTML).executed == ()  # a fresh, valid entry took its place


def test_refresh_executes_everything_and_no_cache_writes_nothing(book):
    result = render(book, RenderOptions(formats=("html",), refresh=True))
    assert result.executed == (Path("alfa.qmd"), Path("beta.qmd"), Path("gamma.qmd"))

    shutil.rmtree(book / CACHE_DIR)
    result = render(book, RenderOptions(formats=("html",), use_cache=False, jobs=3))
    assert result.executed == (Path("alfa.qmd"), Path("beta.qmd"), Path("gamma.qmd"))
    assert not (book / CACHE_DIR).exists()
