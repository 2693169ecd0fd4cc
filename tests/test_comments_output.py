"""The review list a user reads: comments.md and a self-contained, accessible comments.html, grouped by chapter,
each item with file:line, the quoted text, the comment or change, the author and the date."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from report.cli import main
from tests.comments_docx import SECOND_REVIEWER, WordCopy, base_docx, make_project


@pytest.fixture()
def review_folder(tmp_path: Path, capsys) -> tuple[Path, str]:
    project = make_project(tmp_path / "rapport")
    copy = WordCopy(base_docx(project / "rapport.docx"))
    copy.comment("Slotalinea", "tweede zin", "Kan weg.", replies=[(SECOND_REVIEWER, "Nee, laten staan.")])
    copy.comment("Het netwerk werkt", "snelle", "Waarom <snel>?")
    copy.comment("Zij beschrijft", "opzet", "Welke opzet?")
    copy.drop_bookmarks("Zij beschrijft")
    copy.replace("We spraken", "24", "25")
    copy.save(project / "terug.docx")
    assert main(["comments", str(project / "terug.docx")]) == 0
    return project / "terug-comments", capsys.readouterr().out


def test_the_command_says_what_it_wrote(review_folder):
    folder, out = review_folder
    assert out.splitlines() == [f"Output created: {folder / 'comments.md'}",
                                f"Output created: {folder / 'comments.html'}",
                                f"Output created: {folder / 'changes.patch'}",
                                "report comments: 3 comment(s), 1 tracked change(s), 1 in changes.patch, "
                                "1 located by text"]


def test_the_markdown_list_is_grouped_by_chapter_in_book_order(review_folder):
    folder, _ = review_folder
    assert (folder / "comments.md").read_text(encoding="utf-8") == """\
# Review of terug.docx

3 comment(s), 1 tracked change(s): 1 in changes.patch, 0 listed only; 1 located by text (their bookmarks are gone).

## Tussenevaluatie (`index.qmd`)

- **index.qmd:7**: comment by Jan de Vries (JdV), 2026-11-03 10:15
  > snelle
  Waarom <snel>?

## Inleiding (`chapters/01-inleiding.qmd`)

- **chapters/01-inleiding.qmd:4 (located by text)**: comment by Jan de Vries (JdV), 2026-11-03 10:15
  > opzet
  Welke opzet?

- **chapters/01-inleiding.qmd:8**: replacement by Jan de Vries, 2026-11-03 10:15
  > We spraken met 24 bestuurders in drie regio's.
  replace \u201c24\u201d with \u201c25\u201d
  *in changes.patch*

- **chapters/01-inleiding.qmd:22**: comment by Jan de Vries (JdV), 2026-11-03 10:15
  > tweede zin
  Kan weg.
  - reply by Fatima El Amrani (FEA), 2026-11-04 09:30: Nee, laten staan.
"""


def test_the_html_page_is_self_contained_and_accessible(review_folder):
    folder, _ = review_folder
    page = html.fromstring((folder / "comments.html").read_bytes())
    assert page.get("lang") == "en"
    assert page.xpath("//script | //link | //img | //iframe | //@src | //@href") == []
    assert [h.text_content() for h in page.xpath("//h1 | //h2")] == [
        "Review of terug.docx", "Tussenevaluatie (index.qmd)", "Inleiding (chapters/01-inleiding.qmd)"]
    tables = page.xpath("//table")
    assert [[th.text_content() for th in table.xpath(".//thead//th[@scope='col']")] for table in tables] == \
        [["Place", "Kind", "Quoted text", "Comment or change", "Author", "Date"]] * 2
    rows = [[cell.text_content() for cell in row.xpath("./th | ./td")] for row in tables[1].xpath(".//tbody/tr")]
    assert rows[0] == ["chapters/01-inleiding.qmd:4 (located by text)", "Comment", "opzet", "Welke opzet?",
                       "Jan de Vries (JdV)", "2026-11-03 10:15"]
    assert rows[2] == ["chapters/01-inleiding.qmd:22", "Comment", "tweede zin",
                       "Kan weg.Fatima El Amrani (FEA), 2026-11-04 09:30: Nee, laten staan.", "Jan de Vries (JdV)",
                       "2026-11-03 10:15"]
    in_document_language = page.xpath("//blockquote | //tr[td[1]='Comment']/td[3]/p | //li/span")
    # The document's language, read from its styles; the page around them is English.
    assert {element.get("lang") for element in in_document_language} == {"nl-NL"}
    first = [cell.text_content() for cell in tables[0].xpath(".//tbody/tr[1]/*")]
    assert first[3] == "Waarom <snel>?"  # escaped, shown as typed
