"""typst page layout and brand as Quarto writes them: landscape sections, an article's title block and contents
in columns, logos, remote images, CSS of HTML tables, and the brand's code colours."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.build import RenderOptions, render


def _render_typ(folder: Path, front: str, body: str, name: str = "doc.qmd") -> str:
    """Render one document to PDF through typst; return its kept .typ."""
    source = folder / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(f"---\nkeep-typ: true\n{front}---\n\n{body}", encoding="utf-8")
    render(source, RenderOptions(formats=("typst",)))
    assert source.with_suffix(".pdf").is_file()
    return source.with_suffix(".typ").read_text(encoding="utf-8")


def test_a_landscape_div_turns_its_pages_and_back(tmp_path):
    typ = _render_typ(tmp_path, "title: Breed\ncolumns: 2\n",
                      "Staand.\n\n::: {.landscape}\n\nLiggend.\n\n:::\n\nWeer staand.\n")
    start, end = typ.index("#set page(flipped: true)"), typ.index("#set page(flipped: false)")
    assert start < typ.index("Liggend.") < end < typ.index("Weer staand.")


def test_an_article_title_block_passes_thanks_and_keywords_and_its_contents_is_an_outline(tmp_path):
    typ = _render_typ(tmp_path, "title: Kolommen\nthanks: Met dank aan de lezers.\nkeywords: [een, twee]\n"
                                "toc: true\ntoc-title: Inhoud\ncolumns: 2\n",
                      "# Eerste\n\nTekst.\n\n# Tweede\n\nMeer tekst.\n")
    assert "thanks: [Met dank aan de lezers.]," in typ
    assert 'keywords: ("een","twee",),' in typ
    assert "#outline(title: toc_title, depth: toc_depth);" in typ
    assert "footnote(thanks, numbering: \"*\")" in typ
