"""Unit tests of the redline, one component at a time, on hand-written page
pairs in tests/fixtures/diff (old/ and new/ are two renders of a small book)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from report.review import diff_books, summary_dict, write_redline
from report.review._align import diff_pages
from report.review._extract import read_page
from report.review._model import Figure, Table, TextBlock
from report.review._prose import diff_prose
from report.review._tables import diff_tables

FIXTURES = Path(__file__).parent / "fixtures" / "diff"


def page_diff(name: str):
    rel = f"chapters/{name}.html"
    return diff_pages(read_page(FIXTURES / "old", rel), read_page(FIXTURES / "new", rel))


def changed(entries):
    return [e for e in entries if e.kind != "same"]


def test_extraction_reads_main_content_only_and_normalises_numbering():
    page = read_page(FIXTURES / "new", "chapters/xrefs.html")
    texts = [b.display() for b in page.blocks if isinstance(b, TextBlock)]
    assert page.title == "Verwijzingen"
    assert page.section_id == "sec-verwijzingen"
    assert "Zoeken in 2023" not in texts and "Gebouwd op 2024-01-01" not in texts
    assert texts[1] == "Nieuwe inleiding"  # section number "6.1" dropped
    figure = next(b for b in page.blocks if isinstance(b, Figure) and b.label == "fig-b")
    assert figure.caption == "Groei van meldingen"  # "Figuur 6.2:" dropped
    paragraph = next(b for b in page.blocks if isinstance(b, TextBlock) and b.norm.startswith("Zoals"))
    assert "6.2" not in paragraph.norm
    assert paragraph.display().startswith("Zoals Figuur 6.2 laat zien")


def test_prose_is_marked_word_by_word():
    entries = changed(page_diff("prose").entries)
    assert [e.kind for e in entries] == ["changed", "changed"]
    first = [(s.kind, s.old or s.new) for s in entries[0].prose.segments if s.kind != "same"]
    second = [(s.kind, s.old or s.new) for s in entries[1].prose.segments if s.kind != "same"]
    assert first == [("ins", "veel te ")]
    assert second == [("del", "wethouders"), ("ins", "raadsleden")]
    assert page_diff("prose").counts.paragraphs == 2


def test_word_diff_never_splits_a_word():
    diff = diff_prose("De gemeente Utrecht meldt.", "De gemeenteraad Utrecht meldt.")
    assert [(s.kind, s.old or s.new) for s in diff.segments if s.kind != "same"] == [
        ("del", "gemeente"), ("ins", "gemeenteraad"),
    ]


def test_changed_numbers_are_paired_old_to_new_in_an_unchanged_sentence():
    result = page_diff("numbers")
    assert [(n.old, n.new) for n in result.numbers] == [("3.060", "3.112"), ("25,6%", "27,1%")]
    assert result.counts.numbers == 2
    assert result.counts.paragraphs == 0  # the words around them did not change
    entry = changed(result.entries)[0]
    assert not entry.prose.prose_changed
    assert [s.kind for s in entry.prose.segments] == ["same", "num", "same", "num", "same"]


def test_numbers_inside_an_edited_sentence_are_still_paired():
    diff = diff_prose("Bijna 40% van de raadsleden werd bedreigd.", "Ruim 42,5% van alle raadsleden werd bedreigd.")
    assert [(n.old, n.new) for n in diff.numbers] == [("40%", "42,5%")]
    assert diff.prose_changed


def test_a_moved_paragraph_is_shown_as_moved_not_deleted_and_inserted():
    result = page_diff("moved")
    kinds = [e.kind for e in changed(result.entries)]
    assert kinds == ["moved-away", "moved"]
    away, moved = changed(result.entries)
    assert away.anchor == moved.anchor
    assert moved.new.norm.startswith("Het steunpunt registreert")
    assert result.counts.moved == 1 and result.counts.paragraphs == 0


def test_a_moved_and_edited_paragraph_is_moved_with_its_redline():
    long = "Het steunpunt registreert elke melding en koppelt die binnen een werkdag terug aan de bestuurder."
    old = (TextBlock("p", long), TextBlock("p", "Tweede alinea blijft."), TextBlock("p", "Derde alinea blijft."))
    new = (TextBlock("p", "Tweede alinea blijft."), TextBlock("p", "Derde alinea blijft."),
           TextBlock("p", long.replace("een werkdag", "twee werkdagen")))
    from report.review._align import _align

    entries = changed(_align(old, new))
    assert [e.kind for e in entries] == ["moved-away", "moved"]
    assert [(s.kind, s.old or s.new) for s in entries[1].prose.segments if s.kind != "same"] == [
        ("del", "een werkdag"), ("ins", "twee werkdagen"),
    ]


def test_a_changed_figure_is_reported_and_an_unchanged_one_is_not():
    result = page_diff("figures")
    entries = {e.new.label: e for e in result.entries if isinstance(e.new, Figure)}
    assert entries["fig-trend"].kind == "changed"
    # Only the SVG's creation date and random element ids differ.
    assert entries["fig-stable"].kind == "same"
    old_svg = (FIXTURES / "old/chapters/figures_files/figure-html/fig-stable-output-1.svg").read_bytes()
    new_svg = (FIXTURES / "new/chapters/figures_files/figure-html/fig-stable-output-1.svg").read_bytes()
    assert old_svg != new_svg
    assert result.counts.figures == 1


def test_tables_are_diffed_cell_by_cell():
    result = page_diff("tables")
    entry = changed(result.entries)[0]
    rows = [(r.kind, [(c.kind, c.old, c.new) for c in r.cells]) for r in entry.table.rows]
    assert rows[0][0] == "header"
    assert ("changed", [("same", "Burgemeester", "Burgemeester"), ("same", "120", "120"),
                        ("changed", "25,6%", "27,1%")]) in rows
    assert ("added", [("added", "", "Griffier"), ("added", "", "5"), ("added", "", "1,0%")]) in rows
    assert ("removed", [("removed", "Raadslid", ""), ("removed", "50", ""), ("removed", "5,0%", "")]) in rows
    assert ("same", [("same", "Wethouder", "Wethouder"), ("same", "300", "300"), ("same", "30,0%", "30,0%")]) in rows
    assert entry.table.changed_cells == 7
    assert result.counts.tables == 1


def test_a_table_with_an_added_column_marks_the_column():
    old = Table("tbl-x", "", (("Rol", "Aantal"), ("A", "1")))
    new = Table("tbl-x", "", (("Rol", "Aantal", "Aandeel"), ("A", "1", "50%")))
    kinds = [[c.kind for c in row.cells] for row in diff_tables(old, new).rows]
    assert kinds == [["same", "same", "added"], ["same", "same", "added"]]


def test_crossreferences_that_only_shifted_are_not_changes():
    result = page_diff("xrefs")
    kinds = [(e.kind, e.block_type) for e in changed(result.entries)]
    # The inserted section (heading, paragraph, figure) is all that changed.
    assert kinds == [("added", "text"), ("added", "text"), ("added", "figure")]
    assert result.numbers == ()
    assert result.counts.paragraphs == 2 and result.counts.figures == 1


def test_book_summary_counts_every_changed_chapter(tmp_path):
    book = diff_books(FIXTURES / "old", FIXTURES / "new", "v1", "v2")
    summary = summary_dict(book)
    assert summary["totals"] == {
        "chapters": 6, "paragraphs": 4, "moved": 1, "numbers": 2, "figures": 2, "tables": 1,
    }
    # In the order of the book's navigation, not of the file names.
    assert [c["page"] for c in summary["chapters"]] == [
        "chapters/prose.html", "chapters/numbers.html", "chapters/moved.html",
        "chapters/figures.html", "chapters/tables.html", "chapters/xrefs.html",
    ]
    assert "index.html" not in {c["page"] for c in summary["chapters"]}


def test_redline_is_self_contained_and_deterministic(tmp_path):
    book = diff_books(FIXTURES / "old", FIXTURES / "new", "v1", "v2")
    first = write_redline(book, tmp_path / "a")
    second = write_redline(diff_books(FIXTURES / "old", FIXTURES / "new", "v1", "v2"), tmp_path / "b")
    html = (first / "index.html").read_text(encoding="utf-8")
    assert (first / "index.html").read_bytes() == (second / "index.html").read_bytes()
    assert 'src="data:image/svg+xml;base64,' in html
    assert "figures_files" not in html  # no links to files outside the redline
    # Self-contained: its one script (change navigation) is inline; nothing is loaded from elsewhere.
    assert "<script src" not in html and "http" not in html.replace("http://www.w3.org", "")
    assert '<span class="num"><del>25,6%</del> → <ins>27,1%</ins></span>' in html
    assert "<ins>veel te </ins>" in html and "<del>wethouders</del><ins>raadsleden</ins>" in html
    assert html.count('class="figures"') == 2  # fig-trend side by side, fig-a added; fig-stable not repeated
    summary = json.loads((first / "summary.json").read_text(encoding="utf-8"))
    assert summary["old"] == "v1" and summary["new"] == "v2"
    assert "| Getallen | gewijzigd | 0 | 0 | 2 | 0 | 0 |" in (first / "summary.md").read_text(encoding="utf-8")


def test_rewriting_a_redline_replaces_the_old_one_whole(tmp_path):
    book = diff_books(FIXTURES / "old", FIXTURES / "new", "v1", "v2")
    output = tmp_path / "_diff"
    write_redline(book, output)
    (output / "stale.txt").write_text("from an earlier run")
    write_redline(diff_books(FIXTURES / "old", FIXTURES / "old", "v1", "v1"), output)
    assert sorted(p.name for p in output.iterdir()) == ["index.html", "summary.json", "summary.md"]
    assert json.loads((output / "summary.json").read_text())["changed"] is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_diff"]


def test_a_folder_that_is_not_a_book_is_refused_by_name(tmp_path):
    from report.review import BookError

    with pytest.raises(BookError, match=r"not a rendered book \(no index.html in it or in .*_book\)"):
        diff_books(tmp_path, FIXTURES / "new")


def write_book(folder: Path, pages: dict[str, str]) -> Path:
    for rel, body in {"index.html": "<p>Start.</p>", **pages}.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'<html lang="nl"><body><main id="quarto-document-content">{body}</main></body></html>',
                        encoding="utf-8")
    return folder


def test_a_paragraph_moved_to_another_chapter_is_shown_as_moved(tmp_path):
    travelling = "<p>Deze alinea over de rol van de griffier verhuist in de nieuwe versie naar het volgende hoofdstuk.</p>"
    old = write_book(tmp_path / "old", {
        "chapters/a.html": f"<h1>A</h1><p>Eerste alinea van A.</p>{travelling}",
        "chapters/b.html": "<h1>B</h1><p>Eerste alinea van B.</p>",
    })
    new = write_book(tmp_path / "new", {
        "chapters/a.html": "<h1>A</h1><p>Eerste alinea van A.</p>",
        "chapters/b.html": f"<h1>B</h1><p>Eerste alinea van B.</p>{travelling}",
    })
    book = diff_books(old, new)
    pages = {p.path: p for p in book.changed_pages}
    away = [e for e in pages["chapters/a.html"].entries if e.kind != "same"]
    arrived = [e for e in pages["chapters/b.html"].entries if e.kind != "same"]
    assert [(e.kind, e.other_page) for e in away] == [("moved-away", "chapters/b.html")]
    assert [(e.kind, e.other_page) for e in arrived] == [("moved", "chapters/a.html")]
    assert book.totals.paragraphs == 0 and book.totals.moved == 1
    html = (write_redline(book, tmp_path / "out") / "index.html").read_text(encoding="utf-8")
    assert f'href="#page-chapters-b-{arrived[0].anchor}"' in html
    assert f'id="page-chapters-b-{arrived[0].anchor}"' in html


def test_long_unchanged_stretches_fold_away_around_a_change(tmp_path):
    same = "".join(f"<p>Ongewijzigde alinea nummer {i}.</p>" for i in range(10))
    old = write_book(tmp_path / "old", {"chapters/a.html": f"<h1>A</h1>{same}<p>Oude slotzin.</p>"})
    new = write_book(tmp_path / "new", {"chapters/a.html": f"<h1>A</h1>{same}<p>Nieuwe slotzin.</p>"})
    html = (write_redline(diff_books(old, new), tmp_path / "out") / "index.html").read_text(encoding="utf-8")
    # 11 unchanged blocks (heading + 10 paragraphs): 2 shown, 7 folded, 2 shown before the change.
    assert html.count('<details class="unchanged"><summary>7 ongewijzigde blokken</summary>') == 1
    folded = html.split('<details class="unchanged">')[1].split("</details>")[0]
    assert "alinea nummer 0." not in folded and "alinea nummer 1." in folded and "alinea nummer 7." in folded
    assert "alinea nummer 8." not in folded
    assert "<del>Oude</del><ins>Nieuwe</ins> slotzin." in html


def test_the_redline_folder_is_readable_by_others(tmp_path):
    output = write_redline(diff_books(FIXTURES / "old", FIXTURES / "new"), tmp_path / "_diff")
    assert output.stat().st_mode & 0o755 == 0o755


def test_pages_follow_the_books_navigation_order(tmp_path):
    from report.review._extract import list_pages

    book = write_book(tmp_path / "book", {"chapters/a-bijlage.html": "<p>Bijlage.</p>",
                                          "chapters/10-slot.html": "<p>Slot.</p>",
                                          "chapters/9-midden.html": "<p>Midden.</p>",
                                          "chapters/los.html": "<p>Niet gelinkt.</p>"})
    (book / "index.html").write_text(
        '<html><body><nav><a href="chapters/9-midden.html">9</a><a href="./chapters/10-slot.html#sec-x">10</a>'
        '<a href="chapters/a-bijlage.html">A</a><a href="https://example.org/x.html">x</a></nav>'
        '<main id="quarto-document-content"><p>Start.</p></main></body></html>', encoding="utf-8")
    assert list_pages(book) == [
        "index.html", "chapters/9-midden.html", "chapters/10-slot.html", "chapters/a-bijlage.html", "chapters/los.html",
    ]


def test_summary_lists_changed_figures_and_tables_by_label():
    summary = summary_dict(diff_books(FIXTURES / "old", FIXTURES / "new"))
    assert [(f["page"], f["label"], f["change"]) for f in summary["figures"]] == [
        ("chapters/figures.html", "fig-trend", "changed"),
        ("chapters/xrefs.html", "fig-a", "added"),
    ]
    assert [(t["label"], t["change"], t["cells"]) for t in summary["tables"]] == [("tbl-rollen", "changed", 7)]


@pytest.mark.parametrize("name", ["prose", "numbers", "tables"])
def test_redline_markup_of_one_component_matches_its_snapshot(name):
    """The HTML of the changed blocks of one fixture page, against a committed,
    reviewed snapshot (tests/fixtures/diff/snapshots); the page around it is
    not part of the snapshot."""
    from report.review._render import LABELS, _entry

    entries = [e for e in page_diff(name).entries if e.kind != "same"]
    fragment = "\n".join(_entry(e, "page-x", LABELS["nl"]) for e in entries) + "\n"
    assert fragment == (FIXTURES / "snapshots" / f"{name}.html").read_text(encoding="utf-8")


def test_footnote_numbers_that_only_shifted_are_not_changes(tmp_path):
    def chapter(notes: list[str], body: str) -> str:
        items = "".join(f'<li id="fn{i}"><p>{n}<a href="#fnref{i}" class="footnote-back" role="doc-backlink">↩︎</a></p></li>'
                        for i, n in enumerate(notes, 1))
        return f'{body}<section id="footnotes" class="footnotes" role="doc-endnotes"><ol>{items}</ol></section>'

    def ref(i: int) -> str:
        return f'<a href="#fn{i}" class="footnote-ref" id="fnref{i}" role="doc-noteref"><sup>{i}</sup></a>'

    old = write_book(tmp_path / "old", {"chapters/a.html": chapter(
        ["Bron: monitor 2022."], f"<p>Eerste alinea.</p><p>De dreiging groeit.{ref(1)}</p>")})
    new = write_book(tmp_path / "new", {"chapters/a.html": chapter(
        ["Nieuwe noot.", "Bron: monitor 2022."],
        f"<p>Eerste alinea.{ref(1)}</p><p>De dreiging groeit.{ref(2)}</p>")})
    page = diff_books(old, new).changed_pages[0]
    changes = [(e.kind, e.new.display() if e.new else e.old.display()) for e in page.entries if e.kind != "same"]
    assert changes == [("changed", "Eerste alinea.1"), ("added", "Nieuwe noot.")]
    assert page.numbers == ()


def test_numeric_citations_that_only_shifted_are_not_changes(tmp_path):
    def cite(key: str, number: int) -> str:
        return f'<a href="#ref-{key}" role="doc-biblioref">[{number}]</a>'

    old = write_book(tmp_path / "old", {"chapters/a.html": f"<p>Zo blijkt uit de monitor {cite('monitor', 1)}.</p>"})
    new = write_book(tmp_path / "new", {"chapters/a.html":
                                        f"<p>Een nieuwe bron {cite('caop', 1)}.</p><p>Zo blijkt uit de monitor {cite('monitor', 2)}.</p>"})
    page = diff_books(old, new).changed_pages[0]
    assert [(e.kind, e.new.display()) for e in page.entries if e.kind != "same"] == [("added", "Een nieuwe bron [1].")]
    assert page.numbers == ()
