"""`report render DOC --params-matrix FILE.csv`: one rendering per row, rows rendered side by side in worker
processes (at most --jobs at a time), a failing row reported by its row number while the other rows render."""

from __future__ import annotations

import random
from pathlib import Path

from bs4 import BeautifulSoup

from report.cli import main

# Each cell appends to runs.log, so the test sees how often each cell ran and for which row. The first cell comes
# before the parameters cell (shared by every row); the last reads no parameter but follows them (never shared).
FACTSHEET = """---
title: Factsheet
---

```{python}
with open("runs.log", "a", encoding="utf-8") as log:
    log.write("basis\\n")
basis = int(open("basis.txt", encoding="utf-8").read())
print("basis", basis)
import random
random.seed(basis)
```

```{python}
#| tags: [parameters]
gemeente = "Utrecht"
inwoners = 1000
```

```{python}
with open("runs.log", "a", encoding="utf-8") as log:
    log.write(f"rij {gemeente}\\n")
print(f"{gemeente} telt {inwoners * basis} inwoners")
```

```{python}
with open("runs.log", "a", encoding="utf-8") as log:
    log.write("na\\n")
print(random.random())
```
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _outputs(page: Path) -> list[str]:
    """The text of every cell output on the page."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [block.get_text() for block in soup.select("pre.cell-output")]


def _render(source: Path, matrix: Path, *extra: str) -> int:
    return main(["render", str(source), "--to", "html", "--engine", "embedded", "--params-matrix", str(matrix),
                 *extra])


def _runs(folder: Path) -> list[str]:
    return sorted((folder / "runs.log").read_text(encoding="utf-8").splitlines())


def test_three_rows_give_three_outputs_and_the_cells_before_the_parameters_run_once(tmp_path, capsys):
    source = _write(tmp_path, "blad.qmd", FACTSHEET)
    _write(tmp_path, "basis.txt", "10")
    matrix = _write(tmp_path, "gemeenten.csv", "gemeente,inwoners\nZwolle,5\nDe Bilt,7\nEde,11\n")
    assert _render(source, matrix, "--output-dir", str(tmp_path / "bladen")) == 0
    folders = ["zwolle-5", "de-bilt-7", "ede-11"]
    assert capsys.readouterr().out.splitlines() == [
        f"Output created: {tmp_path / 'bladen' / folder / 'blad.html'}" for folder in folders]
    seeded = str(random.Random(10).random())  # the shared cell's seed holds in every row, as in one kernel
    assert [_outputs(tmp_path / "bladen" / folder / "blad.html") for folder in folders] == [
        ["basis 10", "Zwolle telt 50 inwoners", seeded], ["basis 10", "De Bilt telt 70 inwoners", seeded],
        ["basis 10", "Ede telt 110 inwoners", seeded]]
    # The cell before the parameters cell ran once for all rows; every cell after it ran once per row, also the
    # last, which reads no parameter.
    assert _runs(tmp_path) == ["basis", "na", "na", "na", "rij De Bilt", "rij Ede", "rij Zwolle"]


def test_what_the_shared_cells_read_stays_in_each_rows_cache_entry(tmp_path, capsys):
    source = _write(tmp_path, "blad.qmd", FACTSHEET.replace("---\n", "---\nexecute:\n  cache: true\n", 1))
    _write(tmp_path, "basis.txt", "10")
    matrix = _write(tmp_path, "gemeenten.csv", "gemeente,inwoners\nZwolle,5\nEde,11\n")
    assert _render(source, matrix) == 0
    assert _render(source, matrix) == 0, "unchanged: both rows come from the cache"
    assert _runs(tmp_path) == ["basis", "na", "na", "rij Ede", "rij Zwolle"]
    _write(tmp_path, "basis.txt", "100")
    assert _render(source, matrix) == 0
    assert _runs(tmp_path) == ["basis", "basis", "na", "na", "na", "na", "rij Ede", "rij Ede", "rij Zwolle",
                               "rij Zwolle"]
    assert _outputs(tmp_path / "ede-11" / "blad.html") == ["basis 100", "Ede telt 1100 inwoners",
                                                           str(random.Random(100).random())]


def test_rows_render_at_the_same_time_up_to_jobs(tmp_path, capsys):
    # Each row's cell waits until both rows have reached it: rendered one after the other, the first row would
    # wait in vain and raise. Both arriving proves the two rows ran side by side.
    source = _write(tmp_path, "samen.qmd", """---
title: Samen
---

```{python}
#| tags: [parameters]
naam = "a"
```

```{python}
import pathlib, time
pathlib.Path(f"aangekomen-{naam}").touch()
for _ in range(600):
    if len(list(pathlib.Path(".").glob("aangekomen-*"))) == 2:
        break
    time.sleep(0.1)
else:
    raise RuntimeError("the other row never arrived")
print("samen", naam)
```
""")
    matrix = _write(tmp_path, "namen.csv", "naam\neen\ntwee\n")
    assert _render(source, matrix, "--jobs", "2") == 0
    assert _outputs(tmp_path / "een" / "samen.html") == ["samen een"]
    assert _outputs(tmp_path / "twee" / "samen.html") == ["samen twee"]


def test_a_failing_row_is_named_by_its_row_and_the_other_rows_still_render(tmp_path, capsys):
    source = _write(tmp_path, "blad.qmd", FACTSHEET.replace(
        'print(f"{gemeente}', 'assert inwoners > 0, "geen inwoners"\nprint(f"{gemeente}'))
    _write(tmp_path, "basis.txt", "10")
    matrix = _write(tmp_path, "gemeenten.csv", "output,gemeente,inwoners\nzwolle,Zwolle,5\nleeg,Leeg,0\nede,Ede,11\n")
    (tmp_path / "leeg").mkdir()
    earlier = _write(tmp_path / "leeg", "blad.html", "de vorige versie")
    assert _render(source, matrix, "--jobs", "2") == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [f"Output created: {tmp_path / 'zwolle' / 'blad.html'}",
                                         f"Output created: {tmp_path / 'ede' / 'blad.html'}"]
    errors = captured.err.splitlines()
    assert errors[0] == "no warnings"
    assert errors[1] == (f"error: {matrix.as_posix()}:3: row 3 (folder 'leeg') did not render; its previous output "
                         "is kept:")
    assert errors[2] == "blad.qmd:20: cell 'cell 4 (line 20)' raised AssertionError: geen inwoners"
    assert errors[-1] == "error: 1 of 3 rows did not render"
    assert earlier.read_text(encoding="utf-8") == "de vorige versie"
    assert _outputs(tmp_path / "ede" / "blad.html") == ["basis 10", "Ede telt 110 inwoners",
                                                        str(random.Random(10).random())]


def test_a_malformed_matrix_names_file_and_row_and_nothing_renders(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = _write(tmp_path, "blad.qmd", FACTSHEET)
    _write(tmp_path, "gemeenten.csv", "gemeente,inwoners\nZwolle,5\nDe Bilt\n")
    assert _render(Path("blad.qmd"), Path("gemeenten.csv")) == 1
    assert capsys.readouterr().err.splitlines() == ["error: gemeenten.csv:3: row 3 has 1 values for 2 columns"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["blad.qmd", "gemeenten.csv"]
    assert source.is_file()
