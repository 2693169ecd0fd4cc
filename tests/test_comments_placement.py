"""`report comments` places every comment of a reviewer's copy on its source file and line, by the bookmarks the
engine writes, also after the reviewer moved a paragraph and deleted a heading; by text only where they are gone."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.comments import read_review
from tests.comments_docx import REVIEWER, SECOND_REVIEWER, WordCopy, base_docx, make_project

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

CHAPTER = "chapters/01-inleiding.qmd"

# (paragraph, quoted text, comment) -> where it must land
COMMENTS = [
    ("Het netwerk werkt", "snelle", "Waarom snel?", "index.qmd:7"),
    ("Zij beschrijft", "eerste", "Welke eerste resultaten?", f"{CHAPTER}:4"),  # *eerste* in the source
    ("We spraken", "bestuurders in drie", "Hoeveel per regio?", f"{CHAPTER}:8"),  # spans two source lines
    ("drie regio", "regio\u2019s. Het aandeel", "Welke regio's?", f"{CHAPTER}:9"),  # pandoc curled the quote
    ("Een enquête", "enquête", "Wat was de respons?", f"{CHAPTER}:13"),
    ("Slotalinea", "En nog een zin", "Overbodig.", f"{CHAPTER}:22"),
    ("Inleiding", "Inleiding", "Titel te kort.", f"{CHAPTER}:1"),
]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "rapport")


def _commented(project: Path, word_saved: bool = True) -> WordCopy:
    copy = WordCopy(base_docx(project / "rapport.docx"), word_saved)
    for paragraph, quote, text, _ in COMMENTS:
        copy.comment(paragraph, quote, text)
    return copy


def _placed(docx: Path) -> dict[str, tuple[str, bool]]:
    return {item.body: (str(item.location), item.location.by_text) for item in read_review(docx).comments}


def test_every_comment_lands_on_its_source_line(project):
    placed = _placed(_commented(project).save(project / "terug.docx"))
    assert placed == {text: (where, False) for _, _, text, where in COMMENTS}


def test_bookmarks_as_pandoc_writes_them_between_paragraphs_place_the_same(project):
    copy = _commented(project, word_saved=False)  # the bookmarks stay between the paragraphs
    assert copy.body.find(W + "bookmarkStart") is not None
    placed = _placed(copy.save(project / "terug.docx"))
    assert placed == {text: (where, False) for _, _, text, where in COMMENTS}


def test_a_moved_paragraph_and_a_deleted_heading_keep_every_comment_on_its_line(project):
    copy = _commented(project)
    copy.move_paragraph("Slotalinea", before="Het netwerk werkt")  # the last paragraph moved to the front
    copy.move_paragraph("Een enquête", before="De evaluatie kijkt")  # a list item moved into another section
    copy.remove_paragraph("Aanpak")  # a heading deleted, tracking off
    placed = _placed(copy.save(project / "terug.docx"))
    assert placed == {text: (where, False) for _, _, text, where in COMMENTS}


def test_a_comment_on_a_computed_value_lands_on_its_expression(project):
    copy = WordCopy(base_docx(project / "rapport.docx"))
    copy.comment("Het aandeel", "42", "Klopt dit getal?")
    copy.comment("Noord", "Noord", "Zuid ontbreekt.")
    items = {item.body: item for item in read_review(copy.save(project / "terug.docx")).comments}
    assert str(items["Klopt dit getal?"].location) == f"{CHAPTER}:10"
    assert items["Klopt dit getal?"].computed.describe() == f"`{{python}} aandeel` at {CHAPTER}:10"
    assert str(items["Zuid ontbreekt."].location) == f"{CHAPTER}:17"
    assert items["Zuid ontbreekt."].computed.describe() == f"the output of code cell 'tbl-regio' at {CHAPTER}:17"


def test_where_a_bookmark_is_gone_the_comment_is_located_by_text(project):
    copy = _commented(project)
    copy.drop_bookmarks("Zij beschrijft")
    review = read_review(copy.save(project / "terug.docx"))
    placed = {item.body: (str(item.location), item.location.by_text) for item in review.comments}
    assert placed["Welke eerste resultaten?"] == (f"{CHAPTER}:4", True)
    assert [text for text, (_, by_text) in placed.items() if by_text] == ["Welke eerste resultaten?"]


def test_author_date_initials_quote_and_replies_are_read(project):
    copy = WordCopy(base_docx(project / "rapport.docx"))
    copy.comment("Het netwerk werkt", "tevreden", "Bron?", replies=[(SECOND_REVIEWER, "Zie bijlage B.")], done=True)
    [item] = read_review(copy.save(project / "terug.docx")).comments
    assert (item.author, item.initials, item.date, item.quote) == (REVIEWER[0], REVIEWER[1], REVIEWER[2], "tevreden")
    assert item.done
    assert [(reply.author, reply.initials, reply.date, reply.text) for reply in item.replies] == [
        (SECOND_REVIEWER[0], SECOND_REVIEWER[1], SECOND_REVIEWER[2], "Zie bijlage B.")]


def test_a_comment_starting_between_paragraphs_lands_on_the_next_one(project):
    copy = WordCopy(base_docx(project / "rapport.docx"))
    identifier = copy.comment("Een enquête", "Een enquête", "Welke enquête?")
    start = next(node for node in copy.body.iter(W + "commentRangeStart") if node.get(W + "id") == identifier)
    copy.paragraph("Een enquête").addprevious(start)  # as Word writes a comment over a whole table or list
    [item] = read_review(copy.save(project / "terug.docx")).comments
    assert (str(item.location), item.quote) == (f"{CHAPTER}:13", "Een enquête")


def test_a_comment_and_a_change_in_the_bibliography_name_the_entry(project):
    copy = WordCopy(base_docx(project / "rapport.docx"))
    copy.comment("CAOP (2018)", "Weerbaar Bestuur", "Titel klopt niet.")
    copy.replace("CAOP (2018)", "Den Haag", "Utrecht")
    review = read_review(copy.save(project / "terug.docx"))
    [comment], [change] = review.comments, review.changes
    assert (comment.location, comment.generated) == (None, "the bibliography entry 'caop2018'")
    assert (change.location, change.status) == (
        None, "listed, not patched: it is in the bibliography, generated from the bibliography file; correct the "
              "entry there")
    [chapter] = review.chapters()
    assert (chapter.source, chapter.title, chapter.items) == (None, "Not found in the sources", (comment, change))
