"""The book renders byte for byte as it did: SHA-256 of every HTML page, the PDF and the .docx, in strict mode.

The expected hashes in tests/book_hashes.json were computed once, under this test's own conditions (a copy of the
project outside the checkout, `SOURCE_DATE_EPOCH=0`), from the book at the commit before Quarto's configuration
model replaced the strict whitelist (5863450); this branch renders the same bytes. The test never regenerates
them. When the book's output changes on purpose (its content, the design, the engine's markup), update
tests/book_hashes.json by hand, in a commit that says why the output changed: render a copy made as below with
`SOURCE_DATE_EPOCH=0 report render --output-dir OUT` and record `sha256sum` of every `*.html` under OUT, of
the PDF and of the Word file, keyed by their paths relative to OUT.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from report.build import RenderOptions, render
from report.sources.project import load_project

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = json.loads((Path(__file__).parent / "book_hashes.json").read_text(encoding="utf-8"))
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", ".report-cache", ".report-build", ".pytest_cache", "__pycache__",
                                    "*.egg-info", "_book", "_diff", "release", "figures", "tests", "bench")


def test_the_book_is_in_strict_mode_and_requests_pdf_ua_and_pdf_a():
    project = load_project(ROOT)
    assert project.config.report.strict is True
    assert project.metadata["format"]["typst"]["pdf-standard"] == ["ua-1", "a-2a"]


def test_the_book_renders_byte_identically_to_the_committed_hashes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=NOT_COPIED)
    output = tmp_path / "output"
    result = render(project, RenderOptions(output_dir=output, strict=True))
    assert result.warnings == ()
    files = sorted([*output.rglob("*.html"), *output.glob("*.pdf"), *output.glob("*.docx")])
    actual = {path.relative_to(output).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    assert sorted(actual) == sorted(EXPECTED)
    changed = [name for name in EXPECTED if actual[name] != EXPECTED[name]]
    assert changed == []
