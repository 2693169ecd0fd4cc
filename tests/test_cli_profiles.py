"""Project profiles (`_quarto-NAME.yml` for --profile and $QUARTO_PROFILE, `profile: default:` and `group:`) and
metadata files (a folder's `_metadata.yml`, `metadata-files:`), merged as Quarto merges them."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render
from report.cli import main
from report.errors import ReportError

HTML = ("html",)
DOCUMENT = "---\ntitle: Blad\n---\n\nVersie [{{< meta versie >}}].\n"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _title(source: Path) -> str:
    page = source.with_suffix(".html").read_text(encoding="utf-8")
    return BeautifulSoup(page, "html.parser").find("h1", class_="title").get_text(strip=True)


def _body(page: Path) -> str:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("main").get_text(" ", strip=True)


@pytest.fixture
def profiled(tmp_path, monkeypatch):
    """A default project whose _quarto.yml sets `versie: basis`, with profiles `pro` and `lite`."""
    monkeypatch.delenv("QUARTO_PROFILE", raising=False)
    _write(tmp_path, "_quarto.yml", "project:\n  type: default\nversie: basis\n")
    _write(tmp_path, "_quarto-pro.yml", "versie: pro\n")
    _write(tmp_path, "_quarto-lite.yml", "versie: lite\n")
    return _write(tmp_path, "blad.qmd", DOCUMENT)


def _version(source: Path, **options) -> str:
    render(source, RenderOptions(formats=HTML, **options))
    return _body(source.with_suffix(".html"))


def test_without_a_profile_the_project_file_alone_counts(profiled):
    assert "Versie [basis]" in _version(profiled)


def test_profile_merges_its_file_over_the_project_file(profiled, capsys):
    assert main(["render", str(profiled), "--to", "html", "--engine", "embedded", "--profile", "pro"]) == 0
    assert "Versie [pro]" in _body(profiled.with_suffix(".html"))


def test_quarto_profile_in_the_environment_activates_it(profiled, monkeypatch):
    monkeypatch.setenv("QUARTO_PROFILE", "lite")
    assert "Versie [lite]" in _version(profiled)
    assert "Versie [pro]" in _version(profiled, profile="pro"), "--profile wins over the environment"


def test_of_several_profiles_the_first_named_takes_precedence_as_in_quarto(profiled):
    assert "Versie [pro]" in _version(profiled, profile="pro,lite")
    assert "Versie [lite]" in _version(profiled, profile="lite, pro")


def test_profile_default_applies_when_none_is_named(profiled):
    _write(profiled.parent, "_quarto.yml", "project:\n  type: default\nversie: basis\nprofile:\n  default: lite\n")
    assert "Versie [lite]" in _version(profiled)
    assert "Versie [pro]" in _version(profiled, profile="pro")


def test_a_group_activates_its_first_profile_unless_one_of_it_is_active(profiled):
    _write(profiled.parent, "_quarto.yml",
           "project:\n  type: default\nversie: basis\nprofile:\n  group:\n    - [lite, pro]\n")
    assert "Versie [lite]" in _version(profiled)
    assert "Versie [pro]" in _version(profiled, profile="pro"), "pro is active: lite is not added"


def test_the_local_file_comes_last(profiled):
    _write(profiled.parent, "_quarto.yml.local", "versie: lokaal\n")
    assert "Versie [lokaal]" in _version(profiled, profile="pro")


def test_kernels_see_the_active_profiles(profiled):
    _write(profiled.parent, "omgeving.qmd",
           "---\ntitle: Omgeving\n---\n\n```{python}\nimport os\nprint(os.environ.get('QUARTO_PROFILE'))\n```\n")
    assert "pro,lite" in _version(profiled.parent / "omgeving.qmd", profile="pro,lite")


def test_a_wrong_value_in_a_profile_file_is_an_error_naming_that_file(profiled):
    _write(profiled.parent, "_quarto-pro.yml", "versie: pro\ntoc: misschien\n")
    with pytest.raises(ReportError) as caught:
        _version(profiled, profile="pro")
    assert caught.value.path == Path("_quarto-pro.yml") and caught.value.line == 2
    assert caught.value.message.startswith("invalid value for 'toc'")


def test_a_book_render_with_another_profile_is_not_skipped_as_unchanged(tmp_path, monkeypatch):
    monkeypatch.delenv("QUARTO_PROFILE", raising=False)
    _write(tmp_path, "_quarto.yml", "project:\n  type: book\nbook:\n  title: Basis\n  chapters: [index.qmd]\n")
    _write(tmp_path, "_quarto-pro.yml", "book:\n  title: Pro\n")
    _write(tmp_path, "index.qmd", "# Start\n\nTekst.\n")
    render(tmp_path, RenderOptions(formats=HTML))
    page = tmp_path / "_book" / "index.html"
    assert BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").title.get_text() == "Start – Basis"
    render(tmp_path, RenderOptions(formats=HTML, profile="pro"))
    assert BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").title.get_text() == "Start – Pro"
    monkeypatch.setenv("QUARTO_PROFILE", "")
    render(tmp_path, RenderOptions(formats=HTML))
    assert BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").title.get_text() == "Start – Basis"


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """A default project with `versie` set by _quarto.yml and by the _metadata.yml of folder `deel`."""
    monkeypatch.delenv("QUARTO_PROFILE", raising=False)
    _write(tmp_path, "_quarto.yml", "project:\n  type: default\nversie: project\n")
    _write(tmp_path, "deel/_metadata.yml", "versie: map\n")
    return tmp_path


def test_a_folders_metadata_applies_to_its_documents_and_those_below(folders):
    assert "Versie [map]" in _version(_write(folders, "deel/blad.qmd", DOCUMENT))
    assert "Versie [map]" in _version(_write(folders, "deel/dieper/blad.qmd", DOCUMENT))
    assert "Versie [project]" in _version(_write(folders, "elders/blad.qmd", DOCUMENT))
    assert "Versie [project]" in _version(_write(folders, "blad.qmd", DOCUMENT))


def test_front_matter_wins_over_the_folders_metadata(folders):
    _write(folders, "deel/dieper/_metadata.yml", "versie: dieper\n")
    assert "Versie [dieper]" in _version(_write(folders, "deel/dieper/blad.qmd", DOCUMENT))
    own = _write(folders, "deel/eigen.qmd", DOCUMENT.replace("title: Blad", "title: Blad\nversie: eigen"))
    assert "Versie [eigen]" in _version(own)


def test_folder_metadata_sets_options_too(folders):
    _write(folders, "deel/_metadata.yml", "versie: map\nexecute:\n  echo: false\n")
    page = _write(folders, "deel/code.qmd", "---\ntitle: Code\n---\n\n```{python}\nprint('uit')\n```\n")
    render(page, RenderOptions(formats=HTML))
    soup = BeautifulSoup(page.with_suffix(".html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select(".cell-output") and not soup.select("div.cell pre.sourceCode"), "echo: false from _metadata.yml"


def test_metadata_files_of_the_project_merge_over_it(folders):
    _write(folders, "_quarto.yml", "project:\n  type: default\nversie: project\nmetadata-files: [meta/a.yml, meta/b.yml]\n")
    _write(folders, "meta/a.yml", "versie: a\n")
    _write(folders, "meta/b.yml", "versie: b\n")
    page = _write(folders, "blad.qmd", DOCUMENT)
    assert "Versie [b]" in _version(page)
    _write(folders, "_quarto.yml", "project:\n  type: default\nversie: project\nmetadata-file: meta/a.yml\n")
    assert "Versie [a]" in _version(page), "metadata-file (one file) as well"


def test_metadata_files_of_a_document_are_relative_to_it_and_merge_over_its_front_matter(folders):
    _write(folders, "elders/extra.yml", "versie: extra\n")
    page = _write(folders, "elders/blad.qmd", DOCUMENT.replace("title: Blad", "title: Blad\nmetadata-files: [extra.yml]"))
    render(page, RenderOptions(formats=HTML))
    assert _title(page) == "Blad"
    _write(folders, "elders/extra.yml", "title: Uit het bestand\n")
    render(page, RenderOptions(formats=HTML))
    assert _title(page) == "Uit het bestand", "the file's title wins over the front matter's, as in Quarto"


def test_a_metadata_file_that_does_not_exist_is_a_warning(folders):
    page = _write(folders, "blad.qmd", DOCUMENT.replace("title: Blad", "title: Blad\nmetadata-files: [weg.yml]"))
    result = render(page, RenderOptions(formats=HTML))
    assert [str(warning) for warning in result.warnings] == [
        "blad.qmd: metadata file 'weg.yml' does not exist; nothing merged from it"]


def test_a_wrong_value_in_a_folders_metadata_is_an_error_naming_it(folders):
    _write(folders, "deel/_metadata.yml", "versie: map\ntoc-depth: diep\n")
    with pytest.raises(ReportError) as caught:
        _version(_write(folders, "deel/blad.qmd", DOCUMENT))
    assert caught.value.path == Path("deel/_metadata.yml") and caught.value.line == 2


def test_a_metadata_file_outside_the_project_is_refused(folders):
    page = _write(folders, "blad.qmd", DOCUMENT.replace("title: Blad", "title: Blad\nmetadata-files: [../buiten.yml]"))
    with pytest.raises(ReportError) as caught:
        _version(page)
    assert caught.value.message.startswith("metadata file '../buiten.yml' resolves outside the project")


@pytest.fixture
def checked_profile(profiled):
    """The profile `streng` adds a project check of its own, which fails; without it the project passes."""
    root = profiled.parent
    _write(root, "_quarto-streng.yml", "report:\n  checks: [profielcheck]\n")
    _write(root, "profielcheck.py", "import sys\nprint('streng profiel: blad onvolledig')\nsys.exit(3)\n")
    return root


def test_check_takes_profile_as_render_does(checked_profile, capsys):
    assert main(["check", str(checked_profile)]) == 0
    assert capsys.readouterr().out.splitlines() == ["check passed"]
    assert main(["check", str(checked_profile), "--profile", "streng"]) == 1
    assert capsys.readouterr().err.splitlines()[-2:] == [
        "error: _quarto.yml: check 'profielcheck' failed (exit 3):", "streng profiel: blad onvolledig"]


def test_check_honours_quarto_profile(checked_profile, capsys, monkeypatch):
    monkeypatch.setenv("QUARTO_PROFILE", "streng")
    assert main(["check", str(checked_profile)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "streng profiel: blad onvolledig"


def _preview_once(monkeypatch):
    """`report preview` as the command line runs it, ending after its first render."""
    import functools

    import report.preview

    monkeypatch.setattr(report.preview, "watch", functools.partial(report.preview.watch, stop_after=1))


def test_preview_takes_profile_as_render_does(profiled, monkeypatch):
    _preview_once(monkeypatch)
    assert main(["preview", str(profiled.parent), "--to", "html", "--profile", "pro"]) == 0
    assert "Versie [pro]" in _body(profiled.with_suffix(".html"))


def test_preview_honours_quarto_profile(profiled, monkeypatch):
    _preview_once(monkeypatch)
    monkeypatch.setenv("QUARTO_PROFILE", "lite")
    assert main(["preview", str(profiled.parent), "--to", "html"]) == 0
    assert "Versie [lite]" in _body(profiled.with_suffix(".html"))
