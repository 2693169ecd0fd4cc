"""Paths stay inside (issue 23, items 4, 5, 7 and 8): the sources read only files inside the project and outside
its data folder, and a render writes and deletes only inside its output folder, never through a link. Every
refusal is an error naming file, line and path, with exit status 1 and the previous output kept."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from report.build import RenderOptions, render as render_book
from report.cli import main
from report.errors import ReportError
from report.outputs.publish import MARKER, publish

PROJECT = """project:
  type: book
book:
  title: "Klein"
  chapters:
    - index.qmd
    - chapters/hoofdstuk.qmd
{extra}report:
  data:
    env: PATHS_TEST_DATA
    demo: data/demo
"""
SECRET = b"naam;adres\nJan;Dorpsstraat 1\n"


def make_book(root: Path, chapter: str = "# Hoofdstuk\n\nTekst.\n", extra: str = "") -> Path:
    (root / "chapters").mkdir(parents=True)
    (root / "data" / "demo").mkdir(parents=True)
    (root / "data" / "demo" / "register.csv").write_bytes(SECRET)
    (root / "_quarto.yml").write_text(PROJECT.format(extra=extra), encoding="utf-8")
    (root / "index.qmd").write_text("# Start\n\nBegin.\n", encoding="utf-8")
    (root / "chapters" / "hoofdstuk.qmd").write_text(chapter, encoding="utf-8")
    return root


def outside_file(tmp_path: Path, name: str = "buiten.txt") -> Path:
    """A file of the user's, beside the project: no render may read, write or delete it."""
    file = tmp_path / name
    file.write_bytes(SECRET)
    return file


def render(capsys, *args: str) -> tuple[int, str]:
    """`report render ARGS` as a user runs it: the exit status and the error line (or '')."""
    capsys.readouterr()
    code = main(["-q", "render", *args])
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]
    return code, errors[0] if errors else ""


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` (links not followed) with a file's bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() if path.is_file() and not path.is_symlink()
            else None for path in sorted(folder.rglob("*"))}


def outside_tree(tmp_path: Path, book: Path) -> dict[str, bytes | None]:
    return {name: content for name, content in tree(tmp_path).items()
            if not (tmp_path / name).is_relative_to(book)}


def marker_files(folder: Path) -> dict[str, str]:
    return json.loads((folder / MARKER).read_text(encoding="utf-8"))["files"]


def test_an_absolute_image_path_never_makes_the_engine_delete_the_file_outside(tmp_path, capsys):
    secret = outside_file(tmp_path)
    book = make_book(tmp_path / "book", f"# Hoofdstuk\n\n![x]({secret})\n")
    # As in Quarto, a path starting with '/' is relative to the project root: there is no such file there.
    assert render(capsys, str(book), "--to", "html") == (0, "")
    assert all(not name.startswith(("/", "..")) for name in marker_files(book / "_book"))
    (book / "chapters" / "hoofdstuk.qmd").write_text("# Hoofdstuk\n\nZonder plaatje.\n", encoding="utf-8")
    assert render(capsys, str(book), "--to", "html") == (0, "")
    assert secret.read_bytes() == SECRET


def test_an_image_climbing_out_of_the_project_is_refused_and_nothing_outside_is_touched(tmp_path, capsys):
    secret = outside_file(tmp_path)
    book = make_book(tmp_path / "book")
    assert render(capsys, str(book)) == (0, "")
    before, outside_before = tree(book / "_book"), outside_tree(tmp_path, book)
    (book / "chapters" / "hoofdstuk.qmd").write_text("# Hoofdstuk\n\n![x](../../buiten.txt)\n", encoding="utf-8")
    for formats in (["--to", "html"], ["--to", "typst"]):
        assert render(capsys, str(book), *formats) == (1, (
            f"error: chapters/hoofdstuk.qmd:3: image '../../buiten.txt' resolves outside the project ({secret}); "
            f"the sources may use only files inside the project folder ({book})"))
    # A path climbing further, to where nothing exists yet: no folder or file appears outside the project.
    (book / "chapters" / "hoofdstuk.qmd").write_text("# Hoofdstuk\n\n![x](../../../../nieuw/map/x.png)\n",
                                                    encoding="utf-8")
    code, message = render(capsys, str(book))
    assert code == 1 and message.startswith("error: chapters/hoofdstuk.qmd:3: image '../../../../nieuw/map/x.png' "
                                            "resolves outside the project (")
    assert tree(book / "_book") == before
    assert outside_tree(tmp_path, book) == outside_before
    assert secret.read_bytes() == SECRET


def test_report_check_refuses_an_image_outside_the_project(tmp_path, capsys):
    secret = outside_file(tmp_path)
    book = make_book(tmp_path / "book", "# Hoofdstuk\n\n![x](../../buiten.txt)\n")
    capsys.readouterr()
    assert main(["-q", "check", str(book)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"error: chapters/hoofdstuk.qmd:3: image '../../buiten.txt' resolves outside the project ({secret}); "
        f"the sources may use only files inside the project folder ({book})")


def test_an_image_in_the_data_folder_is_refused_so_the_register_is_never_published(tmp_path, capsys):
    book = make_book(tmp_path / "book", "# Hoofdstuk\n\nTekst.\n\n![register](../data/demo/register.csv)\n")
    assert render(capsys, str(book), "--to", "html") == (1, (
        f"error: chapters/hoofdstuk.qmd:5: image '../data/demo/register.csv' lies in the data folder "
        f"({book / 'data' / 'demo'}); data are read by the code cells, never included or published as a file"))
    assert not (book / "_book").exists()


def test_an_image_linked_to_a_file_outside_is_refused(tmp_path, capsys):
    secret = outside_file(tmp_path)
    book = make_book(tmp_path / "book", "# Hoofdstuk\n\n![x](plaatje.png)\n")
    (book / "chapters" / "plaatje.png").symlink_to(secret)
    assert render(capsys, str(book), "--to", "html") == (1, (
        f"error: chapters/hoofdstuk.qmd:3: image 'plaatje.png' resolves outside the project through a symbolic "
        f"link ({secret}); the sources may use only files inside the project folder ({book})"))


@pytest.mark.parametrize("shortcode, what", [("include", "included file"), ("embed", "embed")])
def test_an_include_or_embed_from_outside_the_project_is_refused(tmp_path, capsys, shortcode, what):
    (tmp_path / "x.qmd").write_text("```{python}\n#| label: geheim\nprint('geheim')\n```\n", encoding="utf-8")
    target = "../../x.qmd" + ("#geheim" if shortcode == "embed" else "")
    book = make_book(tmp_path / "book", f"# Hoofdstuk\n\nTekst.\n\n{{{{< {shortcode} {target} >}}}}\n")
    assert render(capsys, str(book), "--to", "html") == (1, (
        f"error: chapters/hoofdstuk.qmd:5: {what} '../../x.qmd' resolves outside the project ({tmp_path / 'x.qmd'}); "
        f"the sources may use only files inside the project folder ({book})"))


def test_an_include_of_a_data_file_or_through_a_link_is_refused_in_the_file_that_names_it(tmp_path, capsys):
    secret = outside_file(tmp_path)
    book = make_book(tmp_path / "book", "# Hoofdstuk\n\n{{< include _deel.qmd >}}\n")
    (book / "chapters" / "_deel.qmd").write_text("Deel.\n\n{{< include /data/demo/register.csv >}}\n",
                                                 encoding="utf-8")
    assert render(capsys, str(book), "--to", "html") == (1, (
        f"error: chapters/_deel.qmd:3: included file '/data/demo/register.csv' lies in the data folder "
        f"({book / 'data' / 'demo'}); data are read by the code cells, never included or published as a file"))
    (book / "chapters" / "_deel.qmd").unlink()
    (book / "chapters" / "_deel.qmd").symlink_to(secret)
    assert render(capsys, str(book), "--to", "html") == (1, (
        f"error: chapters/hoofdstuk.qmd:3: included file '_deel.qmd' resolves outside the project through a "
        f"symbolic link ({secret}); the sources may use only files inside the project folder ({book})"))


def test_a_chapter_that_links_outside_the_project_is_refused(tmp_path, capsys):
    secret = outside_file(tmp_path, "os-release")
    book = make_book(tmp_path / "book")
    (book / "chapters" / "hoofdstuk.qmd").unlink()
    (book / "chapters" / "hoofdstuk.qmd").symlink_to(secret)
    assert render(capsys, str(book), "--to", "html") == (1, (
        f"error: _quarto.yml:7: chapter 'chapters/hoofdstuk.qmd' resolves outside the project through a symbolic "
        f"link ({secret}); the sources may use only files inside the project folder ({book})"))
    assert not (book / "_book").exists()


def test_variables_linked_from_outside_the_project_are_refused(tmp_path, capsys):
    secret = outside_file(tmp_path, "variabelen.yml")
    book = make_book(tmp_path / "book", "# Hoofdstuk\n\n{{< var naam >}}\n")
    (book / "_variables.yml").symlink_to(secret)
    assert render(capsys, str(book), "--to", "html") == (1, (
        f"error: _variables.yml: variables file '_variables.yml' resolves outside the project through a symbolic "
        f"link ({secret}); the sources may use only files inside the project folder ({book})"))


def test_a_bibliography_outside_the_project_is_refused(tmp_path, capsys):
    (tmp_path / "refs.bib").write_text("@book{a, title={A}, author={B}, year={2020}}\n", encoding="utf-8")
    book = make_book(tmp_path / "book", extra="bibliography: ../refs.bib\n")
    assert render(capsys, str(book), "--to", "html") == (1, (
        f"error: _quarto.yml: bibliography file '../refs.bib' resolves outside the project ({tmp_path / 'refs.bib'}); "
        f"the sources may use only files inside the project folder ({book})"))


def test_a_single_document_may_use_only_files_in_its_own_folder(tmp_path, capsys):
    folder = tmp_path / "los"
    folder.mkdir()
    (folder / "doc.qmd").write_text("---\ntitle: Los\n---\n\n![x](../../../../etc/hosts)\n", encoding="utf-8")
    hosts = os.path.normpath(folder / "../../../../etc/hosts")
    assert render(capsys, str(folder / "doc.qmd"), "--to", "html") == (1, (
        f"error: doc.qmd:5: image '../../../../etc/hosts' resolves outside the project ({hosts}); "
        f"the sources may use only files inside the project folder ({folder})"))
    assert sorted(path.name for path in folder.iterdir() if not path.name.startswith(".report-")) == ["doc.qmd"]


def test_a_hand_edited_marker_never_deletes_files_outside_the_folder(tmp_path, capsys):
    secret = outside_file(tmp_path)
    book = make_book(tmp_path / "book")
    assert render(capsys, str(book), "--to", "html") == (0, "")
    linked = tmp_path / "elders"
    linked.mkdir()
    (linked / "pagina.html").write_bytes(SECRET)
    (book / "_book" / "link").symlink_to(linked)
    marker = json.loads((book / "_book" / MARKER).read_text(encoding="utf-8"))
    marker["files"].update({"../../buiten.txt": "html", str(secret): "html", "link/pagina.html": "html"})
    (book / "_book" / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    (book / "chapters" / "hoofdstuk.qmd").write_text("# Hoofdstuk\n\nAndere tekst.\n", encoding="utf-8")
    result = render_book(book, RenderOptions(formats=("html",)))
    assert [str(warning) for warning in result.warnings] == [
        f"{book / '_book' / MARKER}: lists '{name}', which is not a file inside the output folder; ignored (report "
        "deletes only its own files inside the folder)" for name in ("../../buiten.txt", str(secret), "link/pagina.html")]
    assert secret.read_bytes() == SECRET and (linked / "pagina.html").read_bytes() == SECRET
    assert "Andere tekst." in (book / "_book" / "chapters" / "hoofdstuk.html").read_text(encoding="utf-8")
    assert all(not name.startswith(("/", "..", "link/")) for name in marker_files(book / "_book"))


def test_a_subfolder_replaced_by_a_link_is_not_written_through(tmp_path, capsys):
    book = make_book(tmp_path / "book")
    assert render(capsys, str(book), "--to", "html") == (0, "")
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (elsewhere / "hoofdstuk.html").write_bytes(SECRET)
    shutil.rmtree(book / "_book" / "chapters")
    (book / "_book" / "chapters").symlink_to(elsewhere)
    (book / "chapters" / "hoofdstuk.qmd").write_text("# Hoofdstuk\n\nNieuw.\n", encoding="utf-8")
    assert render(capsys, str(book), "--to", "html") == (1, (
        f"error: output folder '{book / '_book'}' holds 'chapters' as a link to {elsewhere}; report does not write "
        "through it (remove the link and render again)"))
    assert tree(elsewhere) == {"hoofdstuk.html": SECRET}


def test_an_output_folder_below_a_file_is_an_error_before_anything_runs(tmp_path, capsys):
    book = make_book(tmp_path / "book")
    (tmp_path / "bestand").write_bytes(SECRET)
    assert render(capsys, str(book), "--to", "html", "--output-dir", str(tmp_path / "bestand" / "site")) == (1, (
        f"error: output folder '{tmp_path / 'bestand' / 'site'}' cannot be created: '{tmp_path / 'bestand'}' is a "
        "file, not a folder"))
    assert (tmp_path / "bestand").read_bytes() == SECRET


def test_a_file_in_the_way_of_the_output_is_an_error_and_the_previous_output_stays(tmp_path, capsys):
    book = make_book(tmp_path / "book")
    assert render(capsys, str(book), "--to", "html") == (0, "")
    shutil.rmtree(book / "_book" / "site_libs")
    (book / "_book" / "site_libs").write_bytes(SECRET)
    before = tree(book / "_book")
    (book / "chapters" / "hoofdstuk.qmd").write_text("# Hoofdstuk\n\nNieuw.\n", encoding="utf-8")
    assert render(capsys, str(book), "--to", "html") == (1, (
        f"error: cannot write the output folder '_book': File exists ({book / '_book' / 'site_libs'}); "
        "the previous output is kept"))
    assert tree(book / "_book") == before


def _make_read_only(folder: Path) -> None:
    """Read-only for everyone: permissions stop an ordinary user; root, whom they do not stop, needs the
    immutable attribute."""
    folder.chmod(0o555)
    if os.geteuid() == 0 and subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        folder.chmod(0o755)
        pytest.skip("running as root on a file system without chattr: the two tests above cover the same path")


def test_a_read_only_output_folder_is_an_error_and_the_previous_output_stays(tmp_path, capsys):
    book = make_book(tmp_path / "book")
    site = tmp_path / "site"
    assert render(capsys, str(book), "--to", "html", "--output-dir", str(site)) == (0, "")
    before = tree(site)
    (book / "chapters" / "hoofdstuk.qmd").write_text("# Hoofdstuk\n\nNieuw.\n", encoding="utf-8")
    _make_read_only(site / "chapters")
    try:
        code, message = render(capsys, str(book), "--to", "html", "--output-dir", str(site))
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(site / "chapters")], check=True)
        (site / "chapters").chmod(0o755)
    assert (code, message) == (1, f"error: cannot write the output folder '{site}': it is read-only "
                                  f"({site / 'chapters' / '.hoofdstuk.html.report-new-' }{os.getpid()}); "
                                  "the previous output is kept")
    assert tree(site) == before


def test_publish_never_writes_a_path_that_leaves_its_folder(tmp_path):
    # The sources are checked first; this is publish's own guard, for any caller.
    root = tmp_path / "project"
    root.mkdir()
    secret = outside_file(tmp_path)
    for name in ("../../buiten.txt", str(secret)):
        with pytest.raises(ReportError) as refused:
            publish(root / "_book", {name: b"overschreven"}, {name: "html"}, root=root)
        assert str(refused.value) == (f"the render would write '{name}' outside the output folder "
                                      f"'{root / '_book'}'; nothing was written")
    assert secret.read_bytes() == SECRET
    assert not (root / "_book").exists()
