"""A folder `quarto render` wrote for the same sources is the previous output: replaced, its other files kept."""

from pathlib import Path

import pytest

from report.build import RenderOptions, render
from report.errors import ReportError
from report.outputs.publish import read_marker

HTML_ONLY = RenderOptions(formats=("html",))
QUARTO_PAGE = ('<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n'
               '<meta name="generator" content="quarto-1.6.40">\n<title>{}</title></head><body></body></html>\n')


@pytest.fixture
def book(tmp_path, small_book) -> Path:
    return small_book(tmp_path / "book", "# Hoofdstuk {#sec-hoofdstuk}\n\nTekst van nu.\n")


def quarto_folder(folder: Path, *, site_libs: bool = True, search: bool = True) -> Path:
    """What `quarto render` leaves: pages, site_libs/quarto-html, search.json, a figure folder; plus a CNAME."""
    folder.mkdir(parents=True)
    for name in ("index.html", "hoofdstuk.html", "oud-hoofdstuk.html"):
        (folder / name).write_text(QUARTO_PAGE.format(name), encoding="utf-8")
    if site_libs:
        (folder / "site_libs" / "quarto-html").mkdir(parents=True)
        (folder / "site_libs" / "quarto-html" / "quarto.js").write_text("// quarto", encoding="utf-8")
    if search:
        (folder / "search.json").write_text('[{"objectID": "index.html", "href": "index.html"}]', encoding="utf-8")
    (folder / "hoofdstuk_files" / "figure-html").mkdir(parents=True)
    (folder / "hoofdstuk_files" / "figure-html" / "fig-1.png").write_bytes(b"png")
    (folder / "CNAME").write_text("rapport.example.org\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("markers", [{"site_libs": True, "search": False}, {"site_libs": False, "search": True}])
def test_quarto_output_is_replaced_and_other_files_stay(book, markers):
    output = quarto_folder(book / "_book", **markers)
    render(book, HTML_ONLY)
    assert "Tekst van nu." in (output / "hoofdstuk.html").read_text(encoding="utf-8")
    assert 'content="quarto-' not in (output / "index.html").read_text(encoding="utf-8")
    assert not (output / "oud-hoofdstuk.html").exists()  # Quarto's page of a chapter that is gone
    assert not (output / "hoofdstuk_files").exists()
    assert not (output / "site_libs" / "quarto-html").exists()
    assert (output / "search.json").read_text(encoding="utf-8").startswith("[\n {")  # the engine's own index
    assert (output / "CNAME").read_text(encoding="utf-8") == "rapport.example.org\n"
    assert "CNAME" not in read_marker(output)
    assert read_marker(output)["hoofdstuk.html"] == "html"


def test_a_folder_with_html_but_without_quartos_markers_is_refused(book):
    output = book / "_book"
    output.mkdir()
    (output / "index.html").write_text(QUARTO_PAGE.format("mijn eigen"), encoding="utf-8")  # no search.json, no site_libs
    with pytest.raises(ReportError) as caught:
        render(book, HTML_ONLY)
    assert str(caught.value) == ("output folder '_book' is not empty and holds no .report-output file, so report did "
                                 "not create it; refusing to replace it (empty it or choose another --output-dir)")
    assert (output / "index.html").read_text(encoding="utf-8") == QUARTO_PAGE.format("mijn eigen")


def test_a_users_page_beside_quartos_output_stays(book):
    output = quarto_folder(book / "_book")
    (output / "eigen.html").write_text("<html><body>van mij</body></html>\n", encoding="utf-8")
    render(book, HTML_ONLY)
    assert (output / "eigen.html").read_text(encoding="utf-8") == "<html><body>van mij</body></html>\n"
    assert "eigen.html" not in read_marker(output)
