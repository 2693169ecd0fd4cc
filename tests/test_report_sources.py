"""House rules for the book's sources that no render would catch."""

import re
from pathlib import Path

import pytest

from report.sources.project import load_project
from report.sources.qmd import MarkdownChunk, parse_qmd

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [entry.path for entry in load_project(ROOT).chapters]
HEADING = re.compile(r"^(#{1,6})\s+(?P<title>.+?)\s*(\{(?P<attributes>[^}]*)\})?\s*$")


def headings(text: str):
    """(line offset, title, id) of every ATX heading in Markdown outside code blocks."""
    fenced = False
    for offset, line in enumerate(text.splitlines()):
        if re.match(r"^\s*(```|~~~)", line):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if match:
            identifier = re.search(r"#([\w-]+)", match.group("attributes") or "")
            yield offset, match.group("title"), identifier.group(1) if identifier else None


def test_heading_finder_reads_ids_and_skips_code():
    text = "# Titel {#sec-titel}\n\n```python\n# geen kop\n```\n\n## Zonder id\n"
    assert list(headings(text)) == [(0, "Titel", "sec-titel"), (6, "Zonder id", None)]


@pytest.mark.parametrize("source", SOURCES, ids=str)
def test_every_heading_has_a_sec_id(source):
    doc = parse_qmd((ROOT / source).read_text(encoding="utf-8"), source)
    missing = [f"{source}:{chunk.line + offset}: '{title}'"
               for chunk in doc.chunks if isinstance(chunk, MarkdownChunk)
               for offset, title, identifier in headings(chunk.text)
               if not (identifier or "").startswith("sec-")]
    assert not missing, "headings without a {#sec-...} id:\n" + "\n".join(missing)
