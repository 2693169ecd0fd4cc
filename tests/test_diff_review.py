"""The redline as a reviewer works through it: navigation, a changes-only view, table cells, captions with
cross-references, reference lists, names of figures and tables, number excerpts, and a summary in the
book's language that fits in a pull-request comment.

The books are two small rendered folders written by the test, in the markup the engine publishes.
"""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from report.cli import main
from report.review._model import REF_CLOSE, REF_OPEN
from report.review._summary import COMMENT_LIMIT, summary_markdown

LONG_OLD = ("Het netwerk ondersteunt burgemeesters bij bedreiging met een vast aanspreekpunt in elke regio en een "
            "jaarlijkse bijeenkomst")
LONG_NEW = ("Het netwerk ondersteunt burgemeesters en wethouders bij bedreiging met een vast aanspreekpunt in elke "
            "regio en een jaarlijkse bijeenkomst")
SENTENCE = ("Dit is een inleidende zin zonder getallen. In 2023 ontving het netwerk in totaal {n} meldingen van "
            "bestuurders uit alle delen van het land, van de kleinste gemeenten tot de grote steden in de Randstad. "
            "Daarna volgt nog een zin.")


def page(title: str, section: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="nl"><head><title>{title}</title></head><body>'
            f'<main id="quarto-document-content"><header id="title-block-header"><h1 class="title">'
            f'<span id="{section}"><span class="chapter-number">1</span>&nbsp; <span class="chapter-title">{title}'
            f"</span></span></h1></header>{body}</main></body></html>")


def chapter(count: str, cell: str, reference_year: str) -> str:
    return page("Meldingen", "sec-meldingen", f"""
<section id="sec-meldingen-aanpak" class="level2"><h2><span class="header-section-number">1.1</span> Aanpak</h2>
<p>{SENTENCE.format(n=count)}</p>
<p>Zie <a href="#sec-meldingen-aanpak" class="quarto-xref">Paragraaf 1.1</a> voor de aanpak.</p>
</section>
<div id="tbl-rollen" class="quarto-float anchored"><figure class="quarto-float quarto-float-tbl figure">
<figcaption id="tbl-rollen-caption">Tabel 1.1: Rollen, zie <a href="#sec-meldingen-aanpak" class="quarto-xref">Paragraaf 1.1</a></figcaption>
<div aria-describedby="tbl-rollen-caption"><table><thead><tr><th>Rol</th><th>Toelichting</th></tr></thead>
<tbody><tr><td>Burgemeester</td><td>{cell}</td></tr><tr><td>Griffier</td><td>Geen</td></tr></tbody></table></div>
</figure></div>
<div id="refs" class="references csl-bib-body" role="list">
<div id="ref-nwb" class="csl-entry" role="listitem"><div class="csl-left-margin">[1]</div><div class="csl-right-inline">
Netwerk Weerbaar Bestuur. ({reference_year}). <em>Jaarverslag</em>. Den Haag.</div></div>
</div>
""")


def write_book(folder: Path, count: str, cell: str, reference_year: str) -> Path:
    (folder / "chapters").mkdir(parents=True)
    (folder / "index.html").write_text(page("Testboek", "sec-voorwoord", '<p>Voorwoord.</p>'
                                            '<nav><a href="chapters/meldingen.html">Meldingen</a></nav>'))
    (folder / "chapters" / "meldingen.html").write_text(chapter(count, cell, reference_year))
    return folder


def redline(tmp_path: Path) -> tuple[BeautifulSoup, dict, str, str]:
    old = write_book(tmp_path / "old", "4.180", LONG_OLD, "2022")
    new = write_book(tmp_path / "new", "4.360", LONG_NEW, "2023")
    assert main(["diff", str(old), str(new), "--output", str(tmp_path / "out")]) == 0
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    markdown = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser"), summary, markdown, html


def test_changes_can_be_walked_by_keyboard_and_buttons_and_shown_alone(tmp_path):
    soup, _summary, _markdown, html = redline(tmp_path)
    nav = soup.find("nav", class_="changes")
    assert [button.get_text() for button in nav.find_all("button")] == ["Vorige wijziging", "Volgende wijziging"]
    assert nav.find("input", id="changes-only").find_parent("label").get_text(strip=True) == "Alleen wijzigingen"
    script = soup.find("script").string
    for key in ('"j"', '"n"', '"k"', '"p"'):
        assert f"event.key==={key}" in script
    assert '.page .block:not(.same)' in script
    assert "body.changes-only .block.same,body.changes-only details.unchanged{display:none}" in html
    assert "Toetsen: j of n volgende wijziging, k of p vorige wijziging." in soup.find("p", class_="legend").get_text()


def test_a_changed_text_cell_is_marked_word_by_word_and_wraps(tmp_path):
    soup, _summary, _markdown, html = redline(tmp_path)
    cell = soup.find("table", class_="cells").find("td", class_="changed")
    assert cell.find("ins").get_text().strip() == "en wethouders"
    assert cell.find(class_="num") is None
    assert cell.get_text().startswith("Het netwerk ondersteunt burgemeesters")
    assert "max-width:24rem;overflow-wrap:anywhere" in html


def test_captions_and_references_show_their_rendered_text(tmp_path):
    soup, _summary, _markdown, html = redline(tmp_path)
    assert REF_OPEN not in html and REF_CLOSE not in html
    table = soup.find("table", class_="cells").find_parent("div")
    assert table.find(class_="tag").get_text() == "Tabel 1.1"
    assert "Rollen, zie Paragraaf 1.1" in table.get_text()


def test_a_reference_entry_is_one_block(tmp_path):
    soup, summary, _markdown, _html = redline(tmp_path)
    entries = [block for block in soup.find_all("div", class_="block") if "Jaarverslag" in block.get_text()]
    assert len(entries) == 1
    assert entries[0]["class"] == ["block", "changed"]
    assert entries[0].get_text(" ", strip=True).startswith("[1] Netwerk Weerbaar Bestuur.")
    # Only the year changed in it: a changed number, with the entry as its sentence.
    assert ("2022", "2023", "[1] Netwerk Weerbaar Bestuur. (2023).") in {
        (n["old"], n["new"], n["context"]) for n in summary["numbers"]}


def test_the_summary_names_numbers_by_their_sentence_and_links_every_entry(tmp_path):
    soup, summary, _markdown, _html = redline(tmp_path)
    number = summary["numbers"][0]
    assert (number["old"], number["new"]) == ("4.180", "4.360")
    assert number["context"] == "In 2023 ontving het netwerk in totaal 4.360 meldingen van bestuurders uit alle " \
                                "delen …"
    section = soup.find("section", id="summary")
    anchors = {a["href"][1:] for a in section.find_all("a")}
    assert anchors and all(soup.find(id=anchor) is not None for anchor in anchors)
    assert number["anchor"] in anchors
    [table] = summary["tables"]
    assert table["name"] == "Tabel 1.1: Rollen, zie Paragraaf 1.1"
    listed = section.find("ul", class_="changed-tables").find("a")
    assert listed.get_text() == "Tabel 1.1: Rollen, zie Paragraaf 1.1" and listed["href"] == f"#{table['anchor']}"
    assert section.find("h2").get_text() == "Overzicht"


def test_the_comment_is_dutch_without_the_json(tmp_path):
    _soup, _summary, markdown, _html = redline(tmp_path)
    assert markdown.splitlines()[:3] == [
        f"### Redline `{tmp_path / 'old'}` → `{tmp_path / 'new'}`", "",
        "1 hoofdstuk(ken) gewijzigd: alinea's 0, verplaatst 0, getallen 2, figuren 0, tabellen 1.",
    ]
    assert "| Meldingen | gewijzigd | 0 | 0 | 2 | 0 | 1 |" in markdown
    assert "- Tabel 1.1: Rollen, zie Paragraaf 1.1 (gewijzigd)" in markdown
    assert "{" not in markdown


def test_the_comment_stays_under_githubs_limit(tmp_path):
    _soup, summary, _markdown, _html = redline(tmp_path)
    many = {**summary, "numbers": [{**summary["numbers"][0], "context": "x" * 400}] * 2000,
            "tables": summary["tables"] * 2000}
    markdown = summary_markdown(many)
    assert len(markdown) < COMMENT_LIMIT
    assert "… en nog 1950; zie de redline." in markdown  # max 50 numbers
    assert markdown.rstrip().endswith("zie de redline.")
