"""Small projects for the tests of Lua filters, extensions, built-in shortcodes and includes (issue 21)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bs4 import BeautifulSoup

from report.build import RenderOptions, render


def write_files(folder: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (path -> text, dedented) under ``folder``; a `_quarto.yml` makes it a project."""
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def render_html(document: Path) -> tuple[BeautifulSoup, list[str]]:
    """The rendered page of ``document`` and the render's warnings."""
    result = render(document, RenderOptions(formats=("html",)))
    html = document.with_suffix(".html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser"), [str(warning) for warning in result.warnings]


def render_typst(document: Path) -> str:
    """The typst source of ``document``'s PDF (the document sets `keep-typ: true`)."""
    render(document, RenderOptions(formats=("typst",)))
    return document.with_suffix(".typ").read_text(encoding="utf-8")


def body_text(typ: str) -> str:
    """The typst after the template's preamble: the document's own content."""
    return typ.split("#show: doc => article(", 1)[-1]
