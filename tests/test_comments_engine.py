"""End to end: a book rendered to .docx by the engine, commented and edited in it as a reviewer does, comes back
onto the source lines with `report comments`, and its prose patch applies with `git apply`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from report.build import RenderOptions, render
from report.cli import main
from tests.comments_docx import WordCopy, make_project

CHAPTER_FILE = "chapters/01-inleiding.qmd"
BOOK = {
    "_quarto.yml": "project:\n  type: book\nbook:\n  title: \"Tussenevaluatie\"\n  chapters:\n    - index.qmd\n"
                   f"    - {CHAPTER_FILE}\nlang: nl\nformat: docx\n",
    "index.qmd": "# Samenvatting {.unnumbered}\n\nHet netwerk werkt. De leden zijn tevreden over de \"snelle\" hulp.\n",
    CHAPTER_FILE: """\
# Inleiding {#sec-inleiding}

```{python}
aandeel = 42
```

De evaluatie kijkt naar het netwerk van bestuurders.
Zij beschrijft de opzet en de *eerste* resultaten.

## Aanpak

We spraken met 24 bestuurders in
drie regio's. Het aandeel dat zich bedreigd voelde
was `{python} aandeel` procent.

Zie @sec-inleiding voor de opzet.

Slotalinea met een tweede zin. En nog een zin over de regio's.
""",
}

COMMENTS = [  # (paragraph, quote, comment, where it must land)
    ("Het netwerk werkt", "snelle", "Waarom snel?", "index.qmd:3"),
    ("Zij beschrijft", "eerste", "Welke eerste resultaten?", f"{CHAPTER_FILE}:8"),
    ("drie regio", "regio\u2019s", "Welke regio's?", f"{CHAPTER_FILE}:13"),
    ("Het aandeel", "42", "Klopt dit getal?", f"{CHAPTER_FILE}:14"),
    ("Slotalinea", "En nog een zin", "Overbodig.", f"{CHAPTER_FILE}:18"),
    ("Inleiding", "Inleiding", "Titel te kort.", f"{CHAPTER_FILE}:1"),  # a numbered heading
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("book")
    make_project(project, BOOK)
    render(project, RenderOptions(formats=("docx",)))
    return project


@pytest.fixture()
def project(rendered: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "book"
    shutil.copytree(rendered, copy, ignore=shutil.ignore_patterns(".report-*"))
    return copy


def test_a_reviewed_book_docx_comes_back_onto_the_source_lines(project, capsys):
    copy = WordCopy(project / "_book" / "tussenevaluatie.docx")
    for paragraph, quote, text, _ in COMMENTS:
        copy.comment(paragraph, quote, text)
    copy.move_paragraph("Slotalinea", before="De evaluatie kijkt")
    copy.remove_paragraph("Aanpak")
    copy.replace("We spraken", "24", "25")
    copy.delete_paragraph_tracked("Zij beschrijft")  # partly *eerste*: the whole block goes
    copy.replace("Het aandeel", "42", "43")
    docx = copy.save(project / "_book" / "terug.docx")
    assert main(["comments", str(docx)]) == 0
    capsys.readouterr()
    markdown = (project / "_book" / "terug-comments" / "comments.md").read_text(encoding="utf-8")
    for _, _, text, where in COMMENTS:
        assert f"- **{where}**: comment by Jan de Vries (JdV), 2026-11-03 10:15" in markdown
        assert markdown.index(f"- **{where}**") < markdown.index(text)
    assert "located by text" not in markdown
    assert f"*on a computed value: `{{python}} aandeel` at {CHAPTER_FILE}:14*\n" \
           "  *change requested in a computed value: not patched; change the expression or its data*" in markdown
    assert subprocess.run(["git", "init", "-q"], cwd=project).returncode == 0
    applied = subprocess.run(["git", "apply", str(project / "_book" / "terug-comments" / "changes.patch")],
                             cwd=project, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert (project / CHAPTER_FILE).read_text(encoding="utf-8") == (
        BOOK[CHAPTER_FILE].replace("De evaluatie kijkt naar het netwerk van bestuurders.\n"
                                   "Zij beschrijft de opzet en de *eerste* resultaten.\n\n", "")
        .replace("met 24 bestuurders", "met 25 bestuurders"))
