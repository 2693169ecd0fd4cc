"""`format-links`: a document rendered to several formats links its other outputs beside the page's table of
contents, as Quarto does; a render of one format (`--to html`) links none."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render


def _render(folder: Path, front: str, formats: tuple[str, ...] | None = None) -> tuple[BeautifulSoup, list[str]]:
    (folder / "doc.qmd").write_text(f"---\ntitle: Formaten\n{front}---\n\n## Deel\n\nTekst.\n", encoding="utf-8")
    result = render(folder / "doc.qmd", RenderOptions(formats=formats))
    page = BeautifulSoup((folder / "doc.html").read_text(encoding="utf-8"), "html.parser")
    return page, [str(item) for item in result.warnings]


def _links(page: BeautifulSoup) -> list[tuple[str, str, str]]:
    return [(link["href"], link.get_text(), " ".join(link.find("i")["class"]))
            for link in page.select("#quarto-margin-sidebar .quarto-alternate-formats li a")]


FORMATS = "format:\n  html: default\n  pdf: default\n  docx: default\n"


def test_every_other_output_of_the_render_is_linked_in_order(tmp_path):
    page, warnings = _render(tmp_path, FORMATS)
    assert warnings == []
    assert page.select_one(".quarto-alternate-formats h2").get_text() == "Other Formats"
    assert _links(page) == [("doc.pdf", "PDF", "bi bi-file-pdf"), ("doc.docx", "MS Word", "bi bi-file-word")]
    assert (tmp_path / "doc.pdf").is_file() and (tmp_path / "doc.docx").is_file()


@pytest.mark.parametrize(("option", "links"), [
    ("false", []),
    ("[docx]", [("doc.docx", "MS Word", "bi bi-file-word")]),
    ("\n  - format: docx\n    text: Word-versie\n  - text: Data\n    href: data.xml\n",
     [("doc.docx", "Word-versie", "bi bi-file-word"), ("data.xml", "Data", "bi bi-filetype-xml"),
      ("doc.docx", "MS Word", "bi bi-file-word")]),
])
def test_format_links_chooses_and_adds_links(tmp_path, option, links):
    page, _warnings = _render(tmp_path, "format:\n  html: default\n  docx: default\n"
                                        f"format-links: {option}\n")
    assert _links(page) == links


def test_a_render_of_one_format_links_no_other(tmp_path):
    page, _warnings = _render(tmp_path, FORMATS, formats=("html",))
    assert page.select(".quarto-alternate-formats") == []


def test_a_format_the_engine_does_not_render_is_a_warning_not_a_silent_gap(tmp_path):
    page, warnings = _render(tmp_path, "format:\n  html: default\n  docx: default\n  jats: default\n"
                                       "format-links: [jats, docx]\n")
    assert warnings == [
        "doc.qmd: format 'jats' is skipped: the embedded engine renders html, typst, pdf and docx",
        "doc.qmd: format-links: format 'jats' is not rendered by the embedded engine (it renders html, typst, pdf "
        "and docx); its link is left out"]
    assert _links(page) == [("doc.docx", "MS Word", "bi bi-file-word")]


def test_a_link_names_the_file_the_format_writes_under_its_output_ext(tmp_path):
    page, warnings = _render(tmp_path, "format:\n  html: default\n  typst:\n    output-ext: typ\n")
    assert warnings == []
    assert [href for href, _text, _icon in _links(page)] == ["doc.typ"]
    assert (tmp_path / "doc.typ").is_file() and not (tmp_path / "doc.pdf").exists()
