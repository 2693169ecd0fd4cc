"""The opt-in typst compile server: a one-off render compiles the PDF warm, with the bytes of a cold compile."""

import logging
import shutil

import pytest
from pypdf import PdfReader

from report.build import render
from report.outputs.typst_server import socket_path, stop_server

PDF_SERVER = "format: [html, typst]\nreport:\n  pdf-server: 1\n"


@pytest.fixture
def server():
    stop_server()  # none of an earlier run
    yield
    assert stop_server(), "the server that the render started was no longer running"
    assert not socket_path().exists()


def test_renders_compile_in_the_server_and_match_a_cold_compile(tmp_path, monkeypatch, caplog, server, small_book):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1715644800")
    book = small_book(tmp_path / "boek", "# Hoofdstuk {#sec-hoofdstuk}\n\nEerste versie.\n", PDF_SERVER)
    with caplog.at_level(logging.INFO, logger="report"):
        render(book)
        (book / "hoofdstuk.qmd").write_text("# Hoofdstuk {#sec-hoofdstuk}\n\nTweede versie.\n", encoding="utf-8")
        render(book)
    served = [record.getMessage() for record in caplog.records if "compiled by the typst compile server" in
              record.getMessage()]
    assert len(served) == 2
    warm = (book / "_book" / "klein.pdf").read_bytes()
    assert "Tweede versie." in "".join(page.extract_text() for page in PdfReader(book / "_book" / "klein.pdf").pages)

    cold = tmp_path / "koud"
    shutil.copytree(book, cold, ignore=shutil.ignore_patterns("_book", ".report-cache", ".report-build"))
    small_book(cold, "# Hoofdstuk {#sec-hoofdstuk}\n\nTweede versie.\n", "format: [html, typst]\n")
    render(cold)
    assert (cold / "_book" / "klein.pdf").read_bytes() == warm
