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
from bs4 import BeautifulSoup
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
            "html": (output / "index.html").read_text(encoding="utf-8"),
            "markdown": (output / "summary.md").read_text(encoding="utf-8")}


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
    assert {(c[2], c[3]) for c in expected if c[0] == "number"} == {("4.180", "4.360"), ("340", "342"), ("2023", "2024")}


@pytest.mark.slow
def test_each_chapter_names_the_commits_that_touched_its_source(repo, two_revisions):
    soup = BeautifulSoup(two_revisions["html"], "html.parser")
    hashes = git(repo, "log", "--format=%h", "-4").split()
    steun = soup.find("section", id="page-chapters-02-steun").find("ul", class_="commits")
    assert [li.get_text() for li in steun.find_all("li")] == [f"{hashes[2]} 2024-05-02 Anna: Steun ook voor wethouders"]
    # The facts chapter's source did not change (its package and facts did): no commits to name.
    assert soup.find("section", id="page-chapters-03-feiten").find("ul", class_="commits") is None
    chapter = next(c for c in two_revisions["summary"]["chapters"] if c["page"] == "chapters/02-steun.html")
    assert chapter["commits"] == [{"short": hashes[2], "author": "Anna", "date": "2024-05-02",
                                   "subject": "Steun ook voor wethouders"}]


@pytest.mark.slow
def test_the_summary_is_in_the_books_language(two_revisions):
    soup = BeautifulSoup(two_revisions["html"], "html.parser")
    assert soup.find("html")["lang"] == "nl"
    assert [th.get_text() for th in soup.find("table", class_="summary").find("thead").find_all("th")] == [
        "Hoofdstuk", "Status", "Alinea's", "Verplaatst", "Getallen", "Figuren", "Tabellen"]
    assert "3 hoofdstuk(ken) gewijzigd:" in two_revisions["markdown"]
    assert "- Tabel 3.1: Kerncijfers (gewijzigd)" in two_revisions["markdown"]
    assert "- Figuur 1.1: Meldingen per jaar (gewijzigd)" in two_revisions["markdown"]


@pytest.mark.slow
def test_a_prose_only_diff_of_two_revisions_starts_no_kernel(tmp_path, capsys):
    repo = make_repo(tmp_path)
    second(repo)
    prose_only(repo)
    # The user's checkout rendered once; its cache serves both revisions' worktrees.
    assert main(["render", str(repo), "--to", "html"]) == 0
    capsys.readouterr()
    code = main(["diff", "HEAD~1", "HEAD", "--project", str(repo), "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 0
    assert err.count("chapters/03-feiten.qmd (cached)") == 2 and err.count("chapters/01-meldingen.qmd (cached)") == 2
    assert "cells)" not in err
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["chapters"] == 1 and summary["totals"]["paragraphs"] == 1


FINDER = '''"""As setuptools' __editable___*_finder.py: top-level names mapped to the folder installed from."""
import sys
from importlib.machinery import PathFinder

MAPPING = {"boeklib": %r}


class _EditableFinder:
    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname in MAPPING:
            return PathFinder.find_spec(fullname, [MAPPING[fullname].rpartition("/")[0]])
        return None


def install():
    sys.meta_path.insert(0, _EditableFinder)  # the worst case: ahead of the path finder
'''


@pytest.mark.slow
def test_an_editable_finder_of_the_checkout_does_not_reach_a_revision(repo, tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "__editable___boeklib_finder.py").write_text(FINDER % str(repo / "boeklib"))
    (site / "sitecustomize.py").write_text("import __editable___boeklib_finder as finder\nfinder.install()\n")
    monkeypatch.setenv("PYTHONPATH", str(site))
    assert main(["diff", "HEAD~3", "HEAD", "--project", str(repo), "--output", str(tmp_path / "out"),
                 "--engine", "embedded"]) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert ("2023", "2024") in {(n["old"], n["new"]) for n in summary["numbers"]}
    assert ("340", "342") in {(n["old"], n["new"]) for n in summary["numbers"]}
