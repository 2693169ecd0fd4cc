"""`report create`: Quarto's starter projects, and a new evaluation that renders and passes its own tests at once.

The new projects are rendered and tested as their README says, with this interpreter (the engine it has
installed), in their own folder.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from report.cli import main
from report.errors import ReportError
from report.scaffold import create


def run(folder: Path, *arguments: str) -> subprocess.CompletedProcess:
    """``python ARGUMENTS`` with this interpreter, in ``folder``."""
    return subprocess.run([sys.executable, *arguments], cwd=folder, capture_output=True, text=True)


def page_text(path: Path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return " ".join((soup.find("main") or soup).get_text(" ", strip=True).split())


def test_a_new_evaluation_renders_html_pdf_ua_and_word_and_passes_its_own_tests(tmp_path, capsys):
    assert main(["create", "evaluation", "demo", "--dir", str(tmp_path)]) == 0
    project = tmp_path / "demo"
    assert capsys.readouterr().out.startswith(f"Created evaluation project {project}\n")
    assert 'dependencies = ["evalreport", "matplotlib"]' in (project / "pyproject.toml").read_text(encoding="utf-8")
    assert not (project / "report").exists(), "the engine is a dependency, not a copy"
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert 'python -m pip install -e ".[test]" && report render' in readme and "python -m pytest -q" in readme

    rendered = run(project, "-m", "report", "render")
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stderr.strip().endswith("no warnings")  # in strict mode: every warning would be an error
    approach = page_text(project / "_book" / "chapters" / "01-aanpak.html")
    assert "Deze versie is gerenderd met synthetische demodata." in approach
    assert "Voor deze evaluatie vulden 120 respondenten in 4 regio’s een vragenlijst in." in approach
    results = page_text(project / "_book" / "chapters" / "02-resultaten.html")
    assert "Tabel 2.1: Tevredenheid per regio Regio Respondenten Gemiddelde Noord" in results
    assert "Figuur 2.1: Gemiddelde tevredenheid per regio" in results
    pdf = pypdf.PdfReader(project / "_book" / "demo.pdf")
    assert pdf.pages[0].extract_text().startswith("DEMO: gerenderd met")  # the demo mark on every page
    metadata = pdf.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in metadata
    with zipfile.ZipFile(project / "_book" / "demo.docx") as word:  # the client's copy for comments
        document = word.read("word/document.xml").decode("utf-8")
    assert "Gemiddelde tevredenheid per regio" in document and 'w:name="rs_' in document

    tested = run(project, "-m", "pytest", "-q")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "5 passed" in tested.stdout


def test_the_demo_data_is_written_by_the_generator_the_project_keeps(tmp_path):
    project = create("evaluation", "demo", tmp_path)
    kept = (project / "data" / "demo" / "respondenten.csv").read_bytes()
    again = run(project, "scripts/generate_demo_data.py", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again" / "respondenten.csv").read_bytes() == kept


@pytest.mark.parametrize(("kind", "files", "output"), [
    ("book", [".gitignore", "_quarto.yml", "index.qmd", "intro.qmd", "references.bib", "references.qmd",
              "summary.qmd"], "_book/intro.html"),
    ("website", [".gitignore", "_quarto.yml", "about.qmd", "index.qmd", "styles.css"], "_site/about.html"),
])
def test_quarto_starter_projects_render(tmp_path, kind, files, output):
    assert main(["create", "project", kind, "starter", "--dir", str(tmp_path)]) == 0
    project = tmp_path / "starter"
    assert sorted(path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()) == files
    rendered = run(project, "-m", "report", "render", "--to", "html")
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stderr.strip().endswith("no warnings")
    assert (project / output).is_file()


def test_the_default_project_is_one_document_named_after_it(tmp_path):
    project = create("default", "notities", tmp_path)
    assert sorted(path.name for path in project.iterdir()) == [".gitignore", "_quarto.yml", "notities.qmd"]
    assert (project / "notities.qmd").read_text(encoding="utf-8").startswith('---\ntitle: "notities"\n---\n')
    rendered = run(project, "-m", "report", "render", "notities.qmd", "--to", "html")
    assert rendered.returncode == 0, rendered.stderr
    assert "Quarto enables you to weave together content" in page_text(project / "notities.html")


def test_an_existing_folder_with_content_is_never_written_into(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ReportError) as raised:
        create("evaluation", "demo", tmp_path)
    assert str(raised.value) == f"{tmp_path / 'demo'} already exists and is not empty; nothing was written"
    assert [path.name for path in (tmp_path / "demo").iterdir()] == ["notes.txt"]


def test_a_name_that_cannot_be_a_folder_and_a_distribution_is_refused(tmp_path, capsys):
    assert main(["create", "evaluation", "../elders", "--dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err == ("error: project name '../elders': use letters, digits, '.', '_' and '-', "
                                       "starting with a letter or digit (it names the folder and the Python "
                                       "distribution)\n")
    assert list(tmp_path.iterdir()) == []
