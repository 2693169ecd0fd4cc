"""`jupyter: KERNEL`: a document's cells run in the kernel it names, found by Jupyter's kernelspec search.

The kernel installed for these tests (in a JUPYTER_PATH of their own) sets an environment variable of its
own, so the rendered page shows which kernel ran the cell.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from report.build import RenderOptions, render
from report.errors import ReportError

HTML = RenderOptions(formats=("html",))

CELL = """
```{python}
import os
print(f"kernel={os.environ.get('KERNEL_UNDER_TEST', 'engine')}")
```
"""


@pytest.fixture
def other_kernel(tmp_path, monkeypatch) -> str:
    """A kernelspec 'anders' in a JUPYTER_PATH of the test's own: its own interpreter command and environment."""
    spec = tmp_path / "jupyter" / "kernels" / "anders"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Anders", "language": "python", "env": {"KERNEL_UNDER_TEST": "anders"},
    }), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.delenv("KERNEL_UNDER_TEST", raising=False)
    return "anders"


def shown(page: Path) -> list[str]:
    """What the cell printed (the echoed code reads `kernel={...}`, which this leaves out)."""
    return re.findall(r"kernel=([a-z]+)", page.read_text(encoding="utf-8"))


@pytest.mark.parametrize("front_matter", [
    "jupyter: anders",
    "jupyter:\n  kernelspec:\n    name: anders\n    display_name: Anders\n    language: python",
])
def test_the_named_kernel_runs_the_cells(tmp_path, other_kernel, front_matter):
    source = tmp_path / "doc.qmd"
    source.write_text(f"---\ntitle: Kernels\n{front_matter}\n---\n{CELL}", encoding="utf-8")
    render(source, HTML)
    assert shown(tmp_path / "doc.html") == ["anders"]


def test_without_jupyter_the_engine_runs_the_cells_and_the_two_results_are_kept_apart(tmp_path, other_kernel):
    source = tmp_path / "doc.qmd"
    source.write_text(f"---\ntitle: Kernels\nexecute:\n  cache: true\n---\n{CELL}", encoding="utf-8")
    render(source, HTML)
    assert shown(tmp_path / "doc.html") == ["engine"]
    source.write_text(f"---\ntitle: Kernels\njupyter: anders\nexecute:\n  cache: true\n---\n{CELL}", encoding="utf-8")
    assert render(source, HTML).executed == (Path("doc.qmd"),)
    assert shown(tmp_path / "doc.html") == ["anders"]


def test_a_missing_kernel_is_an_error_naming_the_file_and_the_kernels_there_are(tmp_path, other_kernel):
    source = tmp_path / "doc.qmd"
    source.write_text(f"---\ntitle: Kernels\njupyter: julia-1.9\n---\n{CELL}", encoding="utf-8")
    with pytest.raises(ReportError) as raised:
        render(source, HTML)
    assert str(raised.value).startswith("doc.qmd: jupyter kernel 'julia-1.9' not found; available kernels: ")
    assert "anders" in str(raised.value).split("available kernels: ")[1].split(", ")
    assert not (tmp_path / "doc.html").exists()


def _notebook(folder: Path, kernelspec: dict | None, front_matter: str = "") -> Path:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    if kernelspec is not None:
        notebook.metadata["kernelspec"] = kernelspec
    notebook.cells = [nbformat.v4.new_raw_cell(f"---\ntitle: Notebook\n{front_matter}---"),
                      nbformat.v4.new_code_cell(CELL.strip().removeprefix("```{python}").removesuffix("```").strip())]
    source = folder / "nb.ipynb"
    source.write_text(json.dumps(notebook), encoding="utf-8")
    return source


EXECUTED = RenderOptions(formats=("html",), execute=True)


def test_a_notebooks_kernelspec_chooses_its_kernel(tmp_path, other_kernel):
    _notebook(tmp_path, {"name": "anders", "display_name": "Anders", "language": "python"})
    render(tmp_path / "nb.ipynb", EXECUTED)
    assert shown(tmp_path / "nb.html") == ["anders"]


def test_jupyter_in_a_notebooks_front_matter_wins_over_its_kernelspec(tmp_path, other_kernel):
    _notebook(tmp_path, {"name": "anders", "display_name": "Anders", "language": "python"}, "jupyter: python3\n")
    render(tmp_path / "nb.ipynb", EXECUTED)
    assert shown(tmp_path / "nb.html") == ["engine"]


def test_a_notebooks_kernelspec_wins_over_the_projects_jupyter(tmp_path, other_kernel):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\njupyter: anders\n", encoding="utf-8")
    _notebook(tmp_path, {"name": "python3", "display_name": "Python 3", "language": "python"})
    render(tmp_path / "nb.ipynb", EXECUTED)
    assert shown(tmp_path / "nb.html") == ["engine"]


def test_a_notebook_whose_kernelspec_is_not_installed_is_an_error_naming_the_kernelspec(tmp_path, other_kernel):
    _notebook(tmp_path, {"name": "py-elders", "display_name": "Python (elders)", "language": "python"})
    with pytest.raises(ReportError) as raised:
        render(tmp_path / "nb.ipynb", EXECUTED)
    message = str(raised.value)
    assert message.startswith("nb.ipynb: jupyter kernel 'py-elders' (Python (elders)), which the notebook's "
                              "metadata.kernelspec names, not found; available kernels: ")
    assert message.endswith(" (install it, or name another with 'jupyter:' in the notebook's front matter)")
    assert "anders" in message.split("available kernels: ")[1].split(" (install")[0].split(", ")
    assert not (tmp_path / "nb.html").exists()


def test_a_notebook_kept_with_its_stored_outputs_needs_no_kernel(tmp_path, other_kernel):
    _notebook(tmp_path, {"name": "py-elders", "display_name": "Python (elders)", "language": "python"})
    render(tmp_path / "nb.ipynb", HTML)
    assert shown(tmp_path / "nb.html") == []
    assert (tmp_path / "nb.html").is_file()
