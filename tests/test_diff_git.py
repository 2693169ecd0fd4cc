"""Integration: `report diff` between two git revisions of a small book.

The test builds its own repository (git init, two commits) from the tiny
book in tests/fixtures/diff/tinybook: the second commit edits a sentence,
changes the data behind a number, a figure and a table, and inserts a new
figure above the referenced one, so that a cross-reference in the next
chapter shifts from "Figuur 1.1" to "Figuur 1.2" without being a change.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from report.cli import main

TINYBOOK = Path(__file__).parent / "fixtures" / "diff" / "tinybook"
NEW_FIGURE = '''
Eerst de verdeling over regio's, in @fig-regio.

```{python}
#| label: fig-regio
#| fig-cap: "Meldingen per regio"
#| fig-alt: "Staafdiagram van het aantal meldingen per regio"
fig, ax = plt.subplots(figsize=(4, 3))
_ = ax.bar(["Noord", "Zuid"], [3, 5])
```

'''


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
        env={"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
             "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
             "GIT_AUTHOR_DATE": "2024-05-01T12:00:00Z", "GIT_COMMITTER_DATE": "2024-05-01T12:00:00Z",
             "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(repo)},
    ).stdout


def make_book_repo(root: Path) -> Path:
    """A repository with the tiny book committed once."""
    repo = root / "book"
    shutil.copytree(TINYBOOK, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "First draft")
    return repo


def edit_book(repo: Path) -> None:
    """The second draft: prose, data (number, figure, table) and an inserted figure."""
    steun = repo / "chapters" / "02-steun.qmd"
    steun.write_text(steun.read_text().replace(
        "steun aan burgemeesters.", "steun aan burgemeesters en wethouders."))
    data = repo / "data" / "demo" / "meldingen.csv"
    data.write_text(data.read_text().replace("2023,1530", "2023,1710"))
    meldingen = repo / "chapters" / "01-meldingen.qmd"
    text = meldingen.read_text()
    meldingen.write_text(text.replace("Het verloop per jaar staat in", NEW_FIGURE + "Het verloop per jaar staat in"))




@pytest.fixture(scope="module")
def redline(tmp_path_factory):
    root = tmp_path_factory.mktemp("diffgit")
    repo = make_book_repo(root)
    edit_book(repo)
    git(repo, "commit", "-q", "-am", "Second draft")
    status_before = git(repo, "status", "--porcelain")
    output = root / "redline"
    code = main(["diff", "HEAD~1", "HEAD", "--project", str(repo), "--output", str(output)])
    return {
        "code": code, "repo": repo, "output": output, "status_before": status_before,
        "summary": json.loads((output / "summary.json").read_text(encoding="utf-8")),
        "html": (output / "index.html").read_text(encoding="utf-8"),
    }


def chapter(summary: dict, page: str) -> dict:
    return next(c for c in summary["chapters"] if c["page"] == page)


@pytest.mark.slow
def test_redline_between_revisions_marks_each_change(redline):
    summary = redline["summary"]
    assert redline["code"] == 0
    assert summary["old"] == "HEAD~1" and summary["new"] == "HEAD"
    meldingen = chapter(summary, "chapters/01-meldingen.html")
    steun = chapter(summary, "chapters/02-steun.html")
    # The number in the prose: 4.180 -> 4.360 meldingen.
    assert [(n["old"], n["new"]) for n in summary["numbers"]] == [("4.180", "4.360")]
    assert meldingen["numbers"] == 1
    # The bar chart changed and a figure was added above it.
    assert meldingen["figures"] == 2
    assert meldingen["tables"] == 1
    assert steun["paragraphs"] == 1 and steun["numbers"] == 0
    html = redline["html"]
    assert "<ins>en wethouders</ins>" in html or "<ins> en wethouders</ins>" in html
    assert '<span class="num"><del>4.180</del> → <ins>4.360</ins></span>' in html
    assert '<span class="num"><del>1530</del> → <ins>1710</ins></span>' in html  # the table cell
    assert html.count("data:image/svg+xml;base64,") == 3  # before + after, and the new figure


@pytest.mark.slow
def test_a_crossreference_that_only_shifted_is_not_flagged(redline):
    html = redline["html"]
    # Chapter 2 refers to the bar chart, now Figuur 1.2 instead of 1.1.
    assert "Figuur 1.2" in html
    assert "<del>1.1</del>" not in html and "<del>Figuur 1.1</del>" not in html
    assert all(n["old"] != "1.1" for n in redline["summary"]["numbers"])


@pytest.mark.slow
def test_diff_leaves_the_working_tree_alone(redline):
    repo = redline["repo"]
    assert git(repo, "status", "--porcelain") == redline["status_before"] == ""
    assert git(repo, "worktree", "list").count("\n") == 1
    assert not (repo / "_book").exists()


def test_rendered_book_folders_can_be_compared_directly(tmp_path, capsys):
    fixtures = Path(__file__).parent / "fixtures" / "diff"
    code = main(["diff", str(fixtures / "old"), str(fixtures / "new"),
                                      "--output", str(tmp_path / "out"), "--exit-code"])
    assert code == 1  # --exit-code: the versions differ
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["totals"]["chapters"] == 6
    assert "report diff: 6 chapter(s) changed: 4 paragraph(s), 1 moved, 2 number(s), 2 figure(s), 1 table(s)" \
        in capsys.readouterr().out


def test_an_unknown_revision_is_named(tmp_path, capsys):
    repo = make_book_repo(tmp_path)
    code = main(["diff", "no-such-tag", "HEAD", "--project", str(repo),
                                      "--output", str(tmp_path / "out")])
    assert code == 2
    assert f"report diff: unknown git revision 'no-such-tag' in {repo.resolve()}" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_revisions_reuse_the_projects_execution_cache(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("TESTBOEK_DATA", raising=False)
    repo = make_book_repo(tmp_path)
    assert main(["render", str(repo), "--to", "html"]) == 0
    assert (repo / ".report-cache").is_dir()
    steun = repo / "chapters" / "02-steun.qmd"
    steun.write_text(steun.read_text().replace("Nazorg volgt op elke melding.", "Nazorg volgt op iedere melding."))
    git(repo, "commit", "-q", "-am", "Prose only")
    capsys.readouterr()
    code = main(["diff", "HEAD~1", "HEAD", "--project", str(repo), "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 0
    # Neither revision ran a kernel: the code and data did not change.
    assert err.count("chapters/01-meldingen.qmd (cached)") == 2
    assert "cells)" not in err
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["totals"]["paragraphs"] == 1
    assert git(repo, "status", "--porcelain") == ""


def test_a_folder_that_is_not_a_book_is_named(tmp_path, capsys):
    (tmp_path / "leeg").mkdir()
    fixtures = Path(__file__).parent / "fixtures" / "diff"
    code = main(["diff", str(tmp_path / "leeg"), str(fixtures / "new"), "--project", str(tmp_path),
                 "--output", str(tmp_path / "out")])
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        f"report diff: {tmp_path / 'leeg'}: a folder, but not a rendered book (no index.html in it or in _book)"
    )
