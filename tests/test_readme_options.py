"""The README's lists of implemented and ignored Quarto options match the engine (schema and config models)."""

from __future__ import annotations

from pathlib import Path

from report.sources.option_status import status_markdown

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- options:start (scripts/update_readme_options.py) -->", "<!-- options:end -->"


def test_readme_lists_every_option_with_its_current_status():
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text
    block = text.split(START, 1)[1].split(END, 1)[0]
    assert block == "\n" + status_markdown(), "run scripts/update_readme_options.py after implementing an option"


def test_the_lists_name_options_the_engine_implements_and_ignores():
    markdown = status_markdown()
    implemented, ignored = markdown.split("Options Quarto knows that the embedded engine accepts and ignores")
    assert "`layout-ncol`" in implemented and "`code-fold`" in implemented and "`pdf-standard`" in implemented
    assert "`code-tools`" in ignored and "`code-tools`" not in implemented
    assert "`documentclass`" in ignored.split("LaTeX-only options")[1]
