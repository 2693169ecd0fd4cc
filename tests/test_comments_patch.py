"""Tracked changes in plain prose become changes.patch, which `git apply` takes in the project; changes in a
computed value, moves and changes whose context is not in the source verbatim are listed, never patched."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from report.comments import read_review, write_review
from tests.comments_docx import CHAPTER, INDEX, SECOND_REVIEWER, WordCopy, base_docx, make_project

CHAPTER_FILE = "chapters/01-inleiding.qmd"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "rapport")


@pytest.fixture()
def reviewed(project: Path) -> Path:
    copy = WordCopy(base_docx(project / "rapport.docx"))
    copy.insert("Het netwerk werkt", "De leden zijn ", "zeer ")
    copy.replace("We spraken", "24", "25")
    copy.replace("We spraken", "in", "uit", who=SECOND_REVIEWER)  # "in" ends source line 8
    copy.delete_paragraph_tracked("Aanpak")
    copy.insert_paragraph_after("Slotalinea", "Een nieuwe alinea [sic].")
    copy.replace("Het aandeel", "42", "43")
    copy.delete("Zij beschrijft", "eerste ")  # *eerste* in the source
    copy.delete("Zie Hoofdstuk", "Hoofdstuk 1 ")  # a cross-reference in the source
    return copy.save(project / "terug.docx")


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True)


def test_the_patch_applies_with_git_apply_and_gives_the_reviewed_prose(project, reviewed, tmp_path):
    write_review(read_review(reviewed), tmp_path / "out")
    checkout = tmp_path / "checkout"
    make_project(checkout)
    assert _git(checkout, "init", "-q").returncode == 0
    check = _git(checkout, "apply", "--check", str(tmp_path / "out" / "changes.patch"))
    assert check.returncode == 0, check.stderr
    assert _git(checkout, "apply", str(tmp_path / "out" / "changes.patch")).returncode == 0
    assert (checkout / "index.qmd").read_text(encoding="utf-8") == INDEX.replace("zijn tevreden", "zijn zeer tevreden")
    expected = (CHAPTER.replace("## Aanpak {#sec-aanpak}\n\n", "")
                .replace("met 24 bestuurders in\n", "met 25 bestuurders uit\n")
                .replace("over de regio's.\n", "over de regio's.\n\nEen nieuwe alinea \\[sic\\].\n"))
    assert (checkout / CHAPTER_FILE).read_text(encoding="utf-8") == expected


def test_each_change_is_placed_and_says_whether_it_is_patched(reviewed):
    changes = {item.body: item for item in read_review(reviewed).changes}
    assert {body: (str(item.location), item.kind, item.status) for body, item in changes.items()} == {
        "insert \u201czeer\u201d": ("index.qmd:7", "insertion", "in changes.patch"),
        "replace \u201c24\u201d with \u201c25\u201d": (f"{CHAPTER_FILE}:8", "replacement", "in changes.patch"),
        "replace \u201cin\u201d with \u201cuit\u201d": (f"{CHAPTER_FILE}:8", "replacement", "in changes.patch"),
        "delete the paragraph \u201cAanpak\u201d": (f"{CHAPTER_FILE}:6", "deletion", "in changes.patch"),
        "insert a new paragraph \u201cEen nieuwe alinea [sic].\u201d": (f"{CHAPTER_FILE}:22", "insertion",
                                                                      "in changes.patch"),
        "replace \u201c42\u201d with \u201c43\u201d": (
            f"{CHAPTER_FILE}:10", "replacement",
            "change requested in a computed value: not patched; change the expression or its data"),
        "delete \u201ceerste\u201d": (
            f"{CHAPTER_FILE}:4", "deletion",
            "listed, not patched: its context \u201cde eerste resultaten.\u201d is not found verbatim in "
            f"{CHAPTER_FILE} lines 3-4 (markup, a cross-reference or a computed value in between?)"),
        "delete \u201cHoofdstuk 1\u201d": (
            f"{CHAPTER_FILE}:15", "deletion",
            "listed, not patched: its context \u201cZie Hoofdstuk 1 voor\u201d is not found verbatim in "
            f"{CHAPTER_FILE} line 15 (markup, a cross-reference or a computed value in between?)"),
    }
    assert changes["replace \u201c42\u201d with \u201c43\u201d"].computed.describe() == \
        f"`{{python}} aandeel` at {CHAPTER_FILE}:10"
    assert changes["replace \u201cin\u201d with \u201cuit\u201d"].author == SECOND_REVIEWER[0]


def test_a_value_typed_onto_a_computed_number_is_a_computed_change(project):
    copy = WordCopy(base_docx(project / "rapport.docx"))
    copy.insert("Het aandeel", "42", ",5")  # Word puts it after the bookmark's end, yet it changes the number
    [change] = read_review(copy.save(project / "terug.docx")).changes
    assert change.status.startswith("change requested in a computed value")
    assert str(change.location) == f"{CHAPTER_FILE}:10"


def test_a_tracked_move_is_listed_with_where_it_went(project):
    copy = WordCopy(base_docx(project / "rapport.docx"))
    copy.move_tracked("Slotalinea", before="Het netwerk werkt")
    review = read_review(copy.save(project / "terug.docx"))
    [move] = review.changes
    assert (move.kind, str(move.location), move.body, move.status) == (
        "move", f"{CHAPTER_FILE}:22", "move to after the paragraph at index.qmd:5",
        "listed, not patched: move the text by hand")
    assert review.edits == ()


def test_without_prose_changes_the_patch_is_empty(project, tmp_path):
    copy = WordCopy(base_docx(project / "rapport.docx"))
    copy.comment("Slotalinea", "tweede", "Welke eerste?")
    written = write_review(read_review(copy.save(project / "terug.docx")), tmp_path / "out")
    assert (tmp_path / "out" / "changes.patch").read_text(encoding="utf-8") == ""
    assert [path.name for path in written] == ["comments.md", "comments.html", "changes.patch"]



def test_a_deleted_list_item_goes_without_joining_the_next_paragraph_to_the_list(project, tmp_path):
    copy = WordCopy(base_docx(project / "rapport.docx"))
    copy.delete_paragraph_tracked("Een enquête")
    review = read_review(copy.save(project / "terug.docx"))
    write_review(review, tmp_path / "out")
    checkout = make_project(tmp_path / "checkout")
    _git(checkout, "init", "-q")
    applied = _git(checkout, "apply", str(tmp_path / "out" / "changes.patch"))
    assert applied.returncode == 0, applied.stderr
    expected = CHAPTER.replace("- Een enquête onder raadsleden\n", "")
    assert (checkout / CHAPTER_FILE).read_text(encoding="utf-8") == expected


def test_a_change_in_a_notebook_is_listed_not_patched(tmp_path):
    notebook = '{"cells": [{"source": ["Een zin in een notebook."]}]}\n'
    project = make_project(tmp_path / "notebook", {"analyse.ipynb": notebook})
    copy = WordCopy(base_docx(project / "analyse.docx", "::: {#rs_0_1}\nEen zin in een notebook.\n:::\n",
                              sources=("analyse.ipynb",)))
    copy.replace("Een zin", "zin", "regel")
    review = read_review(copy.save(project / "terug.docx"))
    [change] = review.changes
    assert (str(change.location), change.status) == (
        "analyse.ipynb:1", "listed, not patched: analyse.ipynb is not a text source (.qmd, .md, .markdown, .Rmd); "
                           "edit it in its own editor")
    assert review.edits == ()


def test_a_cell_emptied_in_a_table_of_the_source_changes_that_cell_not_the_table(tmp_path):
    table = "Intro.\n\n| Regio | Aantal |\n|-------|-------:|\n| Noord | 12 |\n| Zuid | 7 |\n"
    project = make_project(tmp_path / "tabel", {"tabel.qmd": table})
    anchored = f"::: {{#rs_0_1}}\nIntro.\n:::\n\n::: {{#rs_0_3}}\n{table[8:]}:::\n"
    copy = WordCopy(base_docx(project / "tabel.docx", anchored, sources=("tabel.qmd",)))
    copy.delete_paragraph_tracked("Zuid")
    copy.replace("12", "12", "13")
    review = read_review(copy.save(project / "terug.docx"))
    assert sorted((str(item.location), item.body, item.status) for item in review.changes) == [
        ("tabel.qmd:5", "replace \u201c12\u201d with \u201c13\u201d", "in changes.patch"),
        ("tabel.qmd:6", "delete \u201cZuid\u201d", "in changes.patch"),
    ]
    write_review(review, tmp_path / "out")
    _git(project, "init", "-q")
    applied = _git(project, "apply", str(tmp_path / "out" / "changes.patch"))
    assert applied.returncode == 0, applied.stderr
    assert (project / "tabel.qmd").read_text(encoding="utf-8") == table.replace("| 12 |", "| 13 |").replace("Zuid", "")


def test_a_bullet_typed_under_a_list_item_becomes_the_next_item(project, tmp_path):
    copy = WordCopy(base_docx(project / "rapport.docx"))
    copy.insert_paragraph_after("Interviews met", "Een focusgroep")
    review = read_review(copy.save(project / "terug.docx"))
    [change] = review.changes
    assert (str(change.location), change.body, change.status) == (
        f"{CHAPTER_FILE}:12", "insert a new paragraph \u201cEen focusgroep\u201d", "in changes.patch")
    write_review(review, tmp_path / "out")
    checkout = make_project(tmp_path / "checkout")
    _git(checkout, "init", "-q")
    applied = _git(checkout, "apply", str(tmp_path / "out" / "changes.patch"))
    assert applied.returncode == 0, applied.stderr
    expected = CHAPTER.replace("burgemeesters\n", "burgemeesters\n- Een focusgroep\n")
    assert (checkout / CHAPTER_FILE).read_text(encoding="utf-8") == expected
