"""`report check` runs the project's checks and resolves the book, and writes nothing."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT = """project:
  type: book
book:
  title: "Klein"
  chapters:
    - index.qmd
report:
  checks:
    - eigen_controle
"""


def report(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "report", *args], cwd=cwd, capture_output=True, text=True, env=env)


def make(root: Path, chapter: str, check: str) -> None:
    (root / "_quarto.yml").write_text(PROJECT, encoding="utf-8")
    (root / "index.qmd").write_text(chapter, encoding="utf-8")
    (root / "eigen_controle.py").write_text(check, encoding="utf-8")


def test_passing_check_writes_no_output(tmp_path):
    make(tmp_path, "# Start {#sec-start}\n\nZie @sec-start.\n", "print('in orde')\n")
    done = report("check", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "check passed"
    assert "python -m eigen_controle" in done.stderr
    assert not (tmp_path / "_book").exists()


def test_failing_project_check_names_module_and_output(tmp_path):
    make(tmp_path, "# Start {#sec-start}\n", "import sys\nprint('groep te klein', file=sys.stderr)\nsys.exit(3)\n")
    done = report("check", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().endswith("error: _quarto.yml: check 'eigen_controle' failed (exit 3):\ngroep te klein")


def test_unresolved_reference_is_a_warning_of_the_check_and_fails_it_when_strict(tmp_path):
    make(tmp_path, "# Start {#sec-start}\n\nZie @tbl-weg.\n", "pass\n")
    done = report("check", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "WARNING (index.qmd:3) Unable to resolve crossref @tbl-weg\n" in done.stderr
    assert done.stderr.strip().endswith("1 warning")
    strict = report("check", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert strict.stderr.strip().endswith("error: index.qmd:3: Unable to resolve crossref @tbl-weg (strict mode: "
                                          "warnings are errors)")


def test_evaluation_check_refuses_a_lowered_disclosure_threshold():
    import os

    env = {**os.environ, "REPORT_SDC_MIN_BASE": "5"}
    done = subprocess.run([sys.executable, "-m", "analysis.check"], cwd=REPO, capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert done.stderr.strip() == ("disclosure control: the minimum base is 5 (from $REPORT_SDC_MIN_BASE), below the "
                                   "policy minimum of 10; counts on smaller bases would be published")


def test_evaluation_check_reports_invalid_data(tmp_path):
    import os
    import shutil

    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "demo", data)
    register = data / "register.csv"
    lines = register.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[1], "criticus", 1)
    register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "REPORT_DATA": str(data)}
    done = subprocess.run([sys.executable, "-m", "analysis.check"], cwd=REPO, capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert done.stderr.startswith("data validation failed:")
    assert "register.csv, row 2, column 'group': 'criticus' is not an allowed value" in done.stderr


def test_render_hands_over_to_a_quarto_on_path(tmp_path):
    import os

    fake = tmp_path / "bin" / "quarto"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\necho "quarto $@ data=$REPORT_DATA"\n', encoding="utf-8")
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"}
    done = report("render", "--to", "html", "--data", "data/demo", "--mark", "DEMO", "-M", "version:1.0",
                  cwd=REPO, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (f"quarto render --to html -M version:1.0 -M mark:DEMO "
                                   f"data={REPO / 'data' / 'demo'}")
    (tmp_path / "los.qmd").write_text("# Los {#sec-los}\n\nTekst.\n", encoding="utf-8")
    embedded = report("render", "--engine", "embedded", "--to", "html", "los.qmd", cwd=tmp_path, env=env)
    assert embedded.returncode == 0, embedded.stderr
    assert embedded.stdout.strip() == f"Output created: {tmp_path / 'los.html'}"
