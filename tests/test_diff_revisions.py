"""`report diff` between git revisions renders each revision from its own tree, and reuses the execution cache.

The repository (tests/revision_repo.py) has a project package and a facts file. The user's checkout is put
on the kernels' import path by ``PYTHONPATH``, as an editable install's ``.pth`` file does: a revision must
still import its own package.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from report.cli import main
from revision_repo import git, make_repo, prose_only, second


def changes(summary: dict) -> set[tuple]:
    """The set of changes a summary reports: changed numbers and per-chapter counts."""
    numbers = {("number", n["page"], n["old"], n["new"]) for n in summary["numbers"]}
    chapters = {("chapter", c["page"], c["paragraphs"], c["numbers"], c["figures"], c["tables"])
                for c in summary["chapters"]}
    return numbers | chapters


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("revisions")
    repo = make_repo(root)
    second(repo)
    return repo


@pytest.fixture(autouse=True)
def checkout_on_import_path(repo, monkeypatch):
    monkeypatch.delenv("TESTBOEK_DATA", raising=False)
    monkeypatch.setenv("PYTHONPATH", str(repo))


@pytest.fixture(scope="module")
def two_revisions(repo, tmp_path_factory):
    output = tmp_path_factory.mktemp("redline")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", str(repo))
        patch.delenv("TESTBOEK_DATA", raising=False)
        code = main(["diff", "HEAD~3", "HEAD", "--project", str(repo), "--output", str(output)])
    assert code == 0
    return {"summary": json.loads((output / "summary.json").read_text(encoding="utf-8")),
            "html": (output / "index.html").read_text(encoding="utf-8")}


@pytest.mark.slow
def test_each_revision_imports_its_own_package_and_facts(two_revisions):
    summary, html = two_revisions["summary"], two_revisions["html"]
    feiten = next(c for c in summary["chapters"] if c["page"] == "chapters/03-feiten.html")
    # The module's wording and the facts file changed between the revisions; the checkout has the new ones.
    assert "<del>2023</del>" in html and "<ins>2024</ins>" in html
    assert ("chapters/03-feiten.html", "340", "342") in {(n["page"], n["old"], n["new"]) for n in summary["numbers"]}
    assert feiten["tables"] == 1
    assert "<ins>en eilandbesturen</ins>" in html


@pytest.mark.slow
def test_paths_are_relative_to_the_revisions_own_root(two_revisions):
    html = two_revisions["html"]
    assert "De gegevens komen uit data/demo." in html
    assert "uit demo." not in html


@pytest.mark.slow
def test_revision_folder_and_mixed_diffs_show_the_same_changes(repo, two_revisions, tmp_path):
    old_book, new_book = tmp_path / "old", tmp_path / "new"
    git(repo, "checkout", "-q", "HEAD~3")
    try:
        assert main(["render", str(repo), "--to", "html", "--output-dir", str(old_book)]) == 0
    finally:
        git(repo, "checkout", "-q", "main")
    assert main(["render", str(repo), "--to", "html", "--output-dir", str(new_book)]) == 0
    summaries = {}
    for name, (old, new) in {"revisions": ("HEAD~3", "HEAD"), "mixed": ("HEAD~3", str(new_book)),
                             "folders": (str(old_book), str(new_book))}.items():
        assert main(["diff", old, new, "--project", str(repo), "--output", str(tmp_path / name)]) == 0
        summaries[name] = json.loads((tmp_path / name / "summary.json").read_text(encoding="utf-8"))
    expected = changes(two_revisions["summary"])
    assert changes(summaries["revisions"]) == changes(summaries["mixed"]) == changes(summaries["folders"]) == expected
    # Exactly the edits made: a sentence in Steun, the count (number, figure, table) in Meldingen, and the
    # package and facts (wording, number, table) in Feiten.
    assert {c[1] for c in expected if c[0] == "chapter"} == {
        "chapters/01-meldingen.html", "chapters/02-steun.html", "chapters/03-feiten.html"}
    assert {(c[2], c[3]) for c in expected if c[0] == "number"} == {("4.180", "4.360"), ("340", "342")}
