"""HTML bytes as Quarto's pages hold them (quarto-cli's HTML smoke tests as the model): a no-break space is
written as the entity `&nbsp;`, as an HTML serializer writes it, outside script and style."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from report.build import RenderOptions, render
from report.errors import ReportError

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def render_html(folder: Path, front: str, body: str) -> str:
    source = folder / "doc.qmd"
    source.write_text(f"---\ntitle: Doc\n{front}---\n\n{body}", encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    return (folder / "doc.html").read_text(encoding="utf-8")


def test_cross_reference_text_holds_the_nbsp_entity(tmp_path):
    (tmp_path / "vlak.svg").write_text(SVG, encoding="utf-8")
    page = render_html(tmp_path, "", "![Een vlak](vlak.svg){#fig-vlak}\n\nZie @fig-vlak, a\u00a0b.\n")
    assert "Figure&nbsp;1: Een vlak" in page
    assert '<a href="#fig-vlak" class="quarto-xref">Figure&nbsp;1</a>, a&nbsp;b.' in page
    outside_scripts = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.DOTALL)
    assert "\u00a0" not in outside_scripts


def test_unlinked_references_too(tmp_path):
    (tmp_path / "vlak.svg").write_text(SVG, encoding="utf-8")
    page = render_html(tmp_path, "crossref:\n  ref-hyperlink: false\n",
                       "![Een vlak](vlak.svg){#fig-vlak}\n\nZie @fig-vlak.\n")
    assert "Figure&nbsp;1" in page and 'href="#fig-vlak"' not in page
    assert re.search(r"Zie Figure&nbsp;1\.</p>", page)  # the text alone, as Quarto writes it


def test_a_callout_title_of_ones_own_is_preceded_by_its_kind_for_screen_readers(tmp_path):
    page = render_html(tmp_path, "lang: nl\n", "::: callout-note\n## Let op\n\nTekst.\n:::\n\n::: callout-tip\nTekst.\n:::\n")
    assert ('<div class="callout-title-container flex-fill">\n<span class="screen-reader-only">Opmerking</span>Let op'
            in page)
    assert page.count("screen-reader-only") == 1 + page.count(".screen-reader-only")  # the default title has none


def test_table_rows_carry_quarto_s_odd_and_even_classes(tmp_path):
    page = render_html(tmp_path, "", "| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |\n")
    rows = re.findall(r"<tr( class=\"[^\"]*\")?>", page)
    assert rows == [' class="header"', ' class="odd"', ' class="even"', ' class="odd"']


LIST_TABLE = """::: {#tbl-lijst .list-table aligns="l,r" widths="1,3"}

Een lijsttabel {tbl-colwidths=[20,80]}

* - Naam
  - Aantal

* - Breda
  - 3

:::

Zie @tbl-lijst.
"""


def test_a_list_table_is_a_table_float(tmp_path):
    page = render_html(tmp_path, "", LIST_TABLE)
    soup_table = re.search(r'<div id="tbl-lijst".*?</figure></div>', page, re.DOTALL).group(0)
    assert "Table&nbsp;1: Een lijsttabel\n</figcaption>" in soup_table
    assert re.search(r"<thead>\s*<tr class=\"header\">\s*<th style=\"text-align: left;\">Naam</th>", soup_table)
    assert '<td style="text-align: right;">3</td>' in soup_table
    assert '<col style="width: 20%">' in soup_table  # the caption's tbl-colwidths win over widths
    assert '<a href="#tbl-lijst" class="quarto-xref">Table&nbsp;1</a>' in page


def test_a_list_table_needs_a_bullet_list(tmp_path):
    with pytest.raises(ReportError, match=r"list table 'tbl-x': expected a bullet list, found OrderedList"):
        render_html(tmp_path, "", "::: {#tbl-x .list-table}\n1. een\n2. twee\n:::\n")
