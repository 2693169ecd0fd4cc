"""Default projects as Quarto renders them: `project: type: default`, and a folder without `_quarto.yml`, render
every document of the folder (not `_`/`.` names, not the output folder, not README.md), beside each source or
into `output-dir`."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from report.build import RenderOptions, render
from report.cli import main

HTML = ("html",)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _folder(root: Path) -> Path:
    """Documents Quarto renders, and files it leaves out."""
    _write(root, "een.qmd", "---\ntitle: Een\n---\n\nEerste {{< meta plaats >}}.\n")
    _write(root, "deel/twee.md", "---\ntitle: Twee\n---\n\nTweede.\n")
    _write(root, "deel/_concept.qmd", "# Concept\n")
    _write(root, "_intern/drie.qmd", "# Drie\n")
    _write(root, ".verborgen/vier.qmd", "# Vier\n")
    _write(root, "venv/lib/vijf.md", "# Vijf\n")
    _write(root, "README.md", "# Lees mij\n")
    return root


def _pages(folder: Path) -> list[str]:
    pages = (path.relative_to(folder) for path in folder.rglob("*.html"))
    return sorted(page.as_posix() for page in pages if not page.parts[0].startswith("."))  # not the engine's caches


def test_a_folder_without_quarto_yml_renders_each_document_beside_its_source(tmp_path, capsys):
    root = _folder(tmp_path / "map")
    (root / "een.qmd").write_text("---\ntitle: Een\n---\n\nEerste.\n", encoding="utf-8")
    assert main(["render", str(root), "--to", "html", "--engine", "embedded"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"Output created: {root / 'deel' / 'twee.html'}",
                                                    f"Output created: {root / 'een.html'}"]
    assert _pages(root) == ["deel/twee.html", "een.html"]
    text = BeautifulSoup((root / "deel" / "twee.html").read_text(encoding="utf-8"), "html.parser").get_text()
    assert "Tweede." in text
    assert not (root / "deel" / ".report-cache").exists(), "the folder is the project: one cache at its root"


def test_a_default_project_renders_into_its_output_dir_with_the_projects_metadata(tmp_path):
    root = _folder(tmp_path / "project")
    _write(root, "_quarto.yml", "project:\n  type: default\n  output-dir: uit\nplaats: Zwolle\n")
    result = render(root, RenderOptions(formats=HTML))
    assert result.outputs == (root / "uit" / "deel" / "twee.html", root / "uit" / "een.html")
    assert _pages(root) == ["uit/deel/twee.html", "uit/een.html"]
    assert "Eerste Zwolle." in (root / "uit" / "een.html").read_text(encoding="utf-8")
    render(root, RenderOptions(formats=HTML))
    assert _pages(root) == ["uit/deel/twee.html", "uit/een.html"], "the output folder's pages are no inputs"


def test_output_dir_on_the_command_line_takes_a_default_projects_pages(tmp_path):
    root = _folder(tmp_path / "project")
    _write(root, "_quarto.yml", "project:\n  type: default\nplaats: Ede\n")
    render(root, RenderOptions(formats=HTML, output_dir=tmp_path / "elders"))
    assert _pages(tmp_path / "elders") == ["deel/twee.html", "een.html"]
    assert _pages(root) == []


def test_project_render_lists_the_documents_of_a_default_project(tmp_path):
    root = _folder(tmp_path / "project")
    _write(root, "_quarto.yml", "project:\n  type: default\n  render: [deel/*.md]\n")
    render(root, RenderOptions(formats=HTML))
    assert _pages(root) == ["deel/twee.html"]
