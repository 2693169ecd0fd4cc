"""An unknown or damaged .docx gives one located error line and a non-zero exit, never a traceback, and the
previous review files stay as they were."""

from __future__ import annotations

import errno
import os
import zipfile
from pathlib import Path

import pytest

from report.cli import main
from report.comments import read_review
from tests.comments_docx import WordCopy, base_docx, make_project


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "rapport")


def _rezip(source: Path, target: Path, replace: dict[str, bytes | None]) -> Path:
    """A copy of ``source`` with parts replaced (None: left out)."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name, data in replace.items():
        if data is None:
            parts.pop(name, None)
        else:
            parts[name] = data
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(["comments", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err.strip()


BROKEN_XML = b"<?xml version='1.0'?>\n<w:document xmlns:w='x'>\n<w:body><w:p></w:body></w:document>"


def _custom_without_sources() -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/custom-properties"/>')


@pytest.mark.parametrize(("make", "message"), [
    (lambda good, bad: bad, "{bad}: no such file"),
    (lambda good, bad: bad.write_bytes(b"%PDF-1.7 not a zip") and bad,
     "{bad}: not a Word document (.docx): the file is not a zip archive"),
    (lambda good, bad: _rezip(good, bad, {"word/document.xml": None}),
     "{bad}: not a Word document (.docx): the archive has no word/document.xml"),
    (lambda good, bad: _rezip(good, bad, {"word/document.xml": BROKEN_XML}),
     "{bad}: word/document.xml is not well-formed XML (line 3, column 23: Opening and ending tag mismatch: "
     "p line 3 and body); the file is damaged"),
    (lambda good, bad: _rezip(good, bad, {"docProps/custom.xml": _custom_without_sources()}),
     "{bad}: no 'report-sources' document property (docProps/custom.xml): not a .docx written by report render, "
     "or the property was removed; its comments cannot be traced to the sources"),
    (lambda good, bad: _rezip(good, bad, {"docProps/custom.xml": None}),
     "{bad}: no 'report-sources' document property (docProps/custom.xml): not a .docx written by report render, "
     "or the property was removed; its comments cannot be traced to the sources"),
], ids=["missing", "not-a-zip", "no-document", "broken-xml", "no-property", "no-custom-properties"])
def test_a_damaged_docx_is_a_located_error_and_the_previous_review_stays(project, capsys, make, message):
    good = base_docx(project / "rapport.docx")
    output = project / "review"
    assert _run(capsys, str(good), "--output-dir", str(output))[0] == 0
    before = {path.name: path.read_bytes() for path in output.iterdir()}
    bad = make(good, project / "terug.docx")
    code, error = _run(capsys, str(project / "terug.docx"), "--output-dir", str(output))
    assert (code, error) == (1, "error: " + message.format(bad=(project / "terug.docx").as_posix()))
    assert {path.name: path.read_bytes() for path in output.iterdir()} == before


def test_a_source_the_docx_names_but_the_project_lacks_is_named(project, capsys):
    docx = base_docx(project / "rapport.docx", sources=("index.qmd", "chapters/99-weg.qmd"))
    code, error = _run(capsys, str(docx))
    assert (code, error) == (1, f"error: {docx.as_posix()}: the document names the source 'chapters/99-weg.qmd', "
                                f"which is not in the project {project}; pass the project folder with --project")
    assert not (project / "rapport-comments").exists()


def test_the_docx_can_be_read_from_outside_the_project_with_project(project, tmp_path, capsys):
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    copy = WordCopy(base_docx(project / "rapport.docx"))
    copy.comment("Slotalinea", "tweede", "Welke?")
    docx = copy.save(elsewhere / "terug van BZK.docx")
    code, _ = _run(capsys, str(docx), "--project", str(project))
    assert code == 0
    assert "- **chapters/01-inleiding.qmd:22**: comment by Jan de Vries (JdV), 2026-11-03 10:15" in \
        (elsewhere / "terug van BZK-comments" / "comments.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("outside", ["../geheim.qmd", "/etc/passwd", "chapters/../../geheim.qmd"])
def test_a_source_path_outside_the_project_is_refused(project, capsys, outside):
    docx = base_docx(project / "rapport.docx", sources=("index.qmd", outside))
    code, error = _run(capsys, str(docx))
    assert (code, error) == (1, f"error: {docx.as_posix()}: the 'report-sources' document property names '{outside}', "
                                "a path outside the project; only project-relative paths are read")


def test_a_full_disk_while_writing_leaves_all_three_files_as_they_were(project, capsys, monkeypatch):
    good = base_docx(project / "rapport.docx")
    output = project / "review"
    assert _run(capsys, str(good), "--output-dir", str(output))[0] == 0
    before = {path.name: path.read_bytes() for path in output.iterdir()}
    copy = WordCopy(good)
    copy.comment("Slotalinea", "tweede", "Welke?")
    reviewed = copy.save(project / "terug.docx")
    opened = []
    real_fdopen = os.fdopen

    def filling_up(descriptor, mode):
        opened.append(mode)
        if len(opened) == 2:  # the second of the three files finds the disk full
            os.close(descriptor)
            raise OSError(errno.ENOSPC, "No space left on device", str(output / "comments.html"))
        return real_fdopen(descriptor, mode)

    monkeypatch.setattr(os, "fdopen", filling_up)
    code, error = _run(capsys, str(reviewed), "--output-dir", str(output))
    monkeypatch.undo()
    assert (code, error) == (1, f"error: comments stage: no space left on the device writing {output}/comments.html "
                                f"(folder {output}); free some space and run report comments again; the previous output is kept")
    assert {path.name: path.read_bytes() for path in output.iterdir()} == before  # no temporary file left either


def test_report_sources_with_the_quotes_pandoc_curls_in_markdown_metadata_is_read(project):
    good = base_docx(project / "rapport.docx")
    with zipfile.ZipFile(good) as archive:
        custom = archive.read("docProps/custom.xml").decode("utf-8")
    curled = custom.replace("&quot;index.qmd&quot;", "\u201cindex.qmd\u201d")
    assert curled != custom
    docx = _rezip(good, project / "terug.docx", {"docProps/custom.xml": curled.encode("utf-8")})
    assert [source.path for source in read_review(docx).files] == ["index.qmd", "chapters/01-inleiding.qmd"]
