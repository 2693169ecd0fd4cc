"""`report preview`: warm re-renders equal cold ones, start no kernel on prose edits, and see every change."""

import os
import shutil
from pathlib import Path

from report.build import RenderOptions, render
from report.preview import IGNORED_PARTS, snapshot, watch

MINIBOOK = Path(__file__).parent / "fixtures" / "minibook"


def copy_book(tmp_path: Path) -> Path:
    shutil.copytree(MINIBOOK, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("_book", ".report-*"))
    return tmp_path


def test_warm_render_after_a_prose_edit_equals_a_cold_render(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1715644800")
    root = copy_book(tmp_path)
    warm = RenderOptions(persistent=True)
    render(root, warm)
    chapter = root / "chapters" / "inleiding.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nEen nieuwe zin.\n", encoding="utf-8")
    result = render(root, warm)
    assert result.executed == ()
    warm_pdf = (root / "_book" / "proefboek.pdf").read_bytes()
    warm_page = (root / "_book" / "chapters" / "inleiding.html").read_bytes()
    assert b"Een nieuwe zin." in warm_page
    render(root, RenderOptions(use_cache=False))
    assert (root / "_book" / "proefboek.pdf").read_bytes() == warm_pdf
    assert (root / "_book" / "chapters" / "inleiding.html").read_bytes() == warm_page


def test_snapshot_sees_sources_and_data_but_not_outputs(tmp_path):
    root = copy_book(tmp_path)
    (root / "data").mkdir()
    (root / "data" / "cijfers.csv").write_text("a\n1\n", encoding="utf-8")
    (root / "_book").mkdir()
    (root / "_book" / "index.html").write_text("uit", encoding="utf-8")
    ignored = IGNORED_PARTS | {"_book"}
    before = snapshot(root, [], ignored)
    assert root / "chapters" / "inleiding.qmd" in before and root / "data" / "cijfers.csv" in before
    assert root / "_book" / "index.html" not in before
    (root / "_book" / "index.html").write_text("anders", encoding="utf-8")
    assert snapshot(root, [], ignored) == before
    stamp = before[root / "data" / "cijfers.csv"] + 1_000_000_000
    os.utime(root / "data" / "cijfers.csv", ns=(stamp, stamp))
    assert snapshot(root, [], ignored) != before


def test_watch_keeps_going_after_a_failed_render(tmp_path):
    from report.errors import ReportError

    root = copy_book(tmp_path)
    calls = []

    def failing_render():
        calls.append(1)
        raise ReportError("kapot", path="index.qmd", line=1)

    assert watch(root, failing_render, stop_after=1) == 1
    assert calls == [1]
