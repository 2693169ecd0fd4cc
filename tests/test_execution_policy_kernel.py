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
