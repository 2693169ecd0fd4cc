"""A reviewer's copy saved again by another editor (LibreOffice) still comes back onto the same source lines.

LibreOffice rewrites every part of the .docx: its bookmarks move into the paragraphs, and one around a table's
cells is left without an end. Without LibreOffice (Debian libreoffice-writer-nogui) this test fails where CI is
set and is skipped elsewhere, as the browser tests are.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from report.comments import read_review
from report.comments._patch import unified_diff
from tests.comments_docx import WordCopy, base_docx, make_project

SOFFICE = shutil.which("soffice")
if SOFFICE is None and not os.environ.get("CI"):
    pytest.skip("LibreOffice (soffice) is not installed", allow_module_level=True)


def _resaved(docx: Path, folder: Path) -> Path:
    folder.mkdir()
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder), str(docx)],
                   check=True, capture_output=True, timeout=180)
    return folder / docx.name


def _placed(review) -> list[tuple[str, str, str, str]]:
    return sorted((item.kind, str(item.location), item.body, item.status) for item in review.items)


def test_a_copy_resaved_by_libreoffice_places_every_item_as_before(tmp_path):
    assert SOFFICE, "LibreOffice (soffice) is needed: apt-get install libreoffice-writer-nogui"
    project = make_project(tmp_path / "rapport")
    copy = WordCopy(base_docx(project / "rapport.docx"))
    copy.comment("Zij beschrijft", "eerste", "Welke eerste resultaten?")
    copy.comment("Noord", "Noord", "Zuid ontbreekt.")  # in a cell output: LibreOffice breaks its bookmark
    copy.comment("Slotalinea", "En nog een zin", "Overbodig.")  # the paragraph after that table
    copy.replace("We spraken", "24", "25")
    copy.replace("Het aandeel", "42", "43")
    copy.delete_paragraph_tracked("Aanpak")
    reviewed = copy.save(project / "terug.docx")
    before = read_review(reviewed)
    after = read_review(_resaved(reviewed, project / "libreoffice"), project=project)
    assert _placed(after) == _placed(before)
    assert ("comment", "chapters/01-inleiding.qmd:22", "Overbodig.", "") in _placed(after)
    assert unified_diff(after.files, after.edits) == unified_diff(before.files, before.edits) != ""
