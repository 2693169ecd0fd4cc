"""An author's raw HTML table is read into a real table, as Quarto's html-table-processing does.

As Quarto documents it, the table stands in a raw HTML block (```{=html}): bare HTML in Markdown is split up
by pandoc's reader, and Quarto leaves that alone too."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from report.build import RenderOptions, render

TABLE = ("```{=html}\n<table>\n  <caption>Gemeenten</caption>\n  <thead><tr><th>Gemeente</th><th>Meldingen</th></tr></thead>\n"
         "  <tbody>\n    <tr><td>Zwolle</td><td>12</td></tr>\n    <tr><td>Ede</td><td>7</td></tr>\n  </tbody>\n"
         "</table>\n```\n")


def _render(folder: Path, front: str, body: str, formats=("html",)) -> Path:
    source = folder / "doc.qmd"
    source.write_text(f"---\ntitle: Tabellen\n{front}---\n\n{body}", encoding="utf-8")
    render(source, RenderOptions(formats=formats))
    return folder


def _rows(folder: Path) -> list[list[str]]:
    page = BeautifulSoup((folder / "doc.html").read_text(encoding="utf-8"), "html.parser")
    return [row.get("class") or [] for row in page.select("table tbody tr")]


def test_a_raw_html_table_is_a_table_with_striped_rows_and_reaches_the_pdf(tmp_path):
    _render(tmp_path, "keep-typ: true\n", TABLE, formats=("html", "typst"))
    assert _rows(tmp_path) == [["odd"], ["even"]]
    typst = (tmp_path / "doc.typ").read_text(encoding="utf-8")
    assert "#table(" in typst and "[Zwolle]" in typst and "<table" not in typst


def test_a_table_quarto_is_told_to_leave_stays_raw_html(tmp_path):
    _render(tmp_path, "", TABLE.replace("<table>", '<table data-quarto-disable-processing="true">'))
    page = (tmp_path / "doc.html").read_text(encoding="utf-8")
    assert '<table data-quarto-disable-processing="true">' in page
    assert _rows(tmp_path) == [[], []]


def test_html_table_processing_none_leaves_every_table_raw(tmp_path):
    _render(tmp_path, "html-table-processing: none\n", TABLE)
    assert _rows(tmp_path) == [[], []]
    page = BeautifulSoup((tmp_path / "doc.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("table caption").get_text(strip=True) == "Gemeenten"


def test_html_around_the_table_in_the_same_raw_block_stays_raw(tmp_path):
    table = TABLE.removeprefix("```{=html}\n").removesuffix("```\n")
    _render(tmp_path, "", '```{=html}\n<div class="omlijst">\n' + table + '<p class="bron">Bron: monitor</p>\n</div>\n```\n')
    page = BeautifulSoup((tmp_path / "doc.html").read_text(encoding="utf-8"), "html.parser")
    assert [row.get("class") for row in page.select("div.omlijst table tbody tr")] == [["odd"], ["even"]]
    assert page.select_one("div.omlijst p.bron").get_text() == "Bron: monitor"
