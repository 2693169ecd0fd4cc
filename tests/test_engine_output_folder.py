"""Output folders: the engine replaces only what it wrote itself, never the project, its data or .git."""

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from report.build import RenderOptions, render
from report.errors import ReportError
from report.outputs.publish import MARKER, publish, read_marker

PROJECT = """project:
  type: book
{extra}book:
  title: "Klein"
  chapters:
    - index.qmd
    - hoofdstuk.qmd
"""
HTML_ONLY = RenderOptions(formats=("html",))


def make_book(root: Path, extra: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "_quarto.yml").write_text(PROJECT.format(extra=extra), encoding="utf-8")
    (root / "index.qmd").write_text("# Start {#sec-start}\n\nZie @sec-hoofdstuk.\n", encoding="utf-8")
    (root / "hoofdstuk.qmd").write_text("# Hoofdstuk {#sec-hoofdstuk}\n\nTekst.\n", encoding="utf-8")
    return root


def refused(root: Path, options: RenderOptions) -> str:
    with pytest.raises(ReportError) as caught:
        render(root, options)
    return str(caught.value)


def test_a_foreign_folder_is_not_replaced(tmp_path):
    book = make_book(tmp_path / "book")
    foreign = tmp_path / "elders"
    foreign.mkdir()
    (foreign / "notities.txt").write_text("van mij", encoding="utf-8")
    message = refused(book, RenderOptions(formats=("html",), output_dir=foreign))
    assert message == (f"output folder '{foreign}' is not empty and holds no .report-output file, so report did "
                       "not create it; refusing to replace it (empty it or choose another --output-dir)")
    assert (foreign / "notities.txt").read_text(encoding="utf-8") == "van mij"
    assert sorted(path.name for path in foreign.iterdir()) == ["notities.txt"]


def test_the_project_folder_is_never_an_output_folder(tmp_path):
    book = make_book(tmp_path / "book")
    message = refused(book, RenderOptions(formats=("html",), output_dir=book))
    assert message == "output folder '.' is the project folder; choose a folder inside it, such as _book"
    assert (book / "index.qmd").is_file() and (book / "_quarto.yml").is_file()
    assert not (book / "index.html").exists()


def test_a_folder_above_the_project_is_never_an_output_folder(tmp_path):
    book = make_book(tmp_path / "book")
    (tmp_path / "buur.txt").write_text("blijft", encoding="utf-8")
    message = refused(book, RenderOptions(formats=("html",), output_dir=book / ".."))
    assert message == "output folder '..' holds the project folder; choose a folder inside it, such as _book"
    assert (tmp_path / "buur.txt").read_text(encoding="utf-8") == "blijft"
    assert (book / "index.qmd").is_file()


def test_output_dir_dot_in_the_project_file_is_refused(tmp_path):
    book = make_book(tmp_path / "book", extra='  output-dir: "."\n')
    message = refused(book, HTML_ONLY)
    assert message == "output folder '.' is the project folder; choose a folder inside it, such as _book"
    assert (book / "hoofdstuk.qmd").is_file()


def test_git_and_the_data_folder_are_refused(tmp_path):
    book = make_book(tmp_path / "book")
    (book / ".git").mkdir()
    (book / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    message = refused(book, RenderOptions(formats=("html",), output_dir=book / ".git" / "site"))
    assert message == "output folder '.git/site' is inside .git"
    data = book / "data"
    data.mkdir()
    (data / "tabel.csv").write_text("a\n1\n", encoding="utf-8")
    message = refused(book, RenderOptions(formats=("html",), output_dir=data, data_dir=data))
    assert message == f"output folder 'data' is inside the data folder '{data}'"
    (book / "uit" / "data").mkdir(parents=True)
    message = refused(book, RenderOptions(formats=("html",), output_dir=book / "uit", data_dir=book / "uit" / "data"))
    assert message == f"output folder 'uit' holds the data folder '{book / 'uit' / 'data'}'"
    assert (book / ".git" / "HEAD").is_file() and (data / "tabel.csv").is_file()


def test_files_the_engine_did_not_write_survive_a_render(tmp_path):
    book = make_book(tmp_path / "book")
    render(book, HTML_ONLY)
    output = book / "_book"
    (output / "CNAME").write_text("rapport.example.org\n", encoding="utf-8")
    (output / "eigen").mkdir()
    (output / "eigen" / "logo.txt").write_text("logo", encoding="utf-8")
    (book / "hoofdstuk.qmd").write_text("# Hoofdstuk {#sec-hoofdstuk}\n\nAndere tekst.\n", encoding="utf-8")
    render(book, HTML_ONLY)
    assert (output / "CNAME").read_text(encoding="utf-8") == "rapport.example.org\n"
    assert (output / "eigen" / "logo.txt").read_text(encoding="utf-8") == "logo"
    assert "Andere tekst." in (output / "hoofdstuk.html").read_text(encoding="utf-8")
    assert "CNAME" not in read_marker(output)


def test_a_partial_render_keeps_the_other_formats_files(tmp_path):
    book = make_book(tmp_path / "book")
    render(book, RenderOptions(formats=("html", "typst")))
    pdf = book / "_book" / "klein.pdf"
    before = pdf.stat()
    (book / "hoofdstuk.qmd").write_text("# Hoofdstuk {#sec-hoofdstuk}\n\nNieuwe tekst.\n", encoding="utf-8")
    render(book, HTML_ONLY)
    assert pdf.is_file() and pdf.stat().st_ino == before.st_ino
    assert read_marker(book / "_book")["klein.pdf"] == "typst"
    assert "Nieuwe tekst." in (book / "_book" / "hoofdstuk.html").read_text(encoding="utf-8")


def test_a_removed_chapter_page_goes_but_only_that(tmp_path):
    book = make_book(tmp_path / "book")
    render(book, HTML_ONLY)
    (book / "_quarto.yml").write_text(PROJECT.format(extra="").replace("    - hoofdstuk.qmd\n", ""), encoding="utf-8")
    (book / "index.qmd").write_text("# Start {#sec-start}\n\nAlleen dit.\n", encoding="utf-8")
    render(book, HTML_ONLY)
    assert not (book / "_book" / "hoofdstuk.html").exists()
    assert (book / "_book" / "index.html").is_file()
    assert "hoofdstuk.html" not in read_marker(book / "_book")


def test_published_files_get_the_permissions_of_the_umask(tmp_path):
    book = make_book(tmp_path / "book")
    previous = os.umask(0o027)
    try:
        render(book, HTML_ONLY)
    finally:
        os.umask(previous)
    output = book / "_book"
    assert output.stat().st_mode & 0o777 == 0o750
    assert (output / "site_libs").stat().st_mode & 0o777 == 0o750
    assert (output / "index.html").stat().st_mode & 0o777 == 0o640


def _publish_many(target: str, root: str, worker: int, rounds: int) -> list[str]:
    failures = []
    for round_number in range(rounds):
        files = {"index.html": f"worker {worker} round {round_number}".encode(),
                 f"pagina-{worker}.html": b"x" * (worker + 1)}
        try:
            publish(Path(target), files, dict.fromkeys(files, "html"), root=Path(root))
        except Exception as error:  # the test reports every failure of any kind
            failures.append(f"{type(error).__name__}: {error}")
    return failures


def test_concurrent_publishes_into_one_folder_all_succeed(tmp_path):
    target = tmp_path / "_book"
    (tmp_path / "_book").mkdir()
    (target / "eigen.txt").write_text("blijft", encoding="utf-8")
    (target / MARKER).write_text(json.dumps({"files": {}}), encoding="utf-8")
    with multiprocessing.get_context("fork").Pool(6) as pool:
        results = pool.starmap(_publish_many, [(str(target), str(tmp_path), worker, 25) for worker in range(6)])
    assert [failure for failures in results for failure in failures] == []
    assert (target / "eigen.txt").read_text(encoding="utf-8") == "blijft"
    listed = read_marker(target)
    # The last publish wins whole: its two files, nothing of the others, and no staging folders left behind.
    assert sorted(listed) == sorted(["index.html", next(name for name in listed if name.startswith("pagina-"))])
    worker = int(next(name for name in listed if name.startswith("pagina-"))[len("pagina-"):-len(".html")])
    assert (target / "index.html").read_text().startswith(f"worker {worker} round ")
    assert sorted(path.name for path in target.iterdir()) == sorted([MARKER, "eigen.txt", *listed])
    assert [path.name for path in tmp_path.iterdir() if "staging" in path.name or "previous" in path.name] == []
