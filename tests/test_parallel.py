"""Documents executed in parallel give the same book, byte for byte, as documents executed one after another."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from report.build import RenderOptions, render
from report.errors import ReportError
from test_cache import edit, write_book


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def test_parallel_render_equals_sequential_render(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1715644800")
    book = write_book(tmp_path / "book")

    # The book lists no format (Quarto's default is html only): ask for both.
    both = ("html", "typst")
    sequential = render(book, RenderOptions(formats=both, output_dir=tmp_path / "sequential", use_cache=False, jobs=1))
    parallel = render(book, RenderOptions(formats=both, output_dir=tmp_path / "parallel", use_cache=False, jobs=3))

    ran = (Path("alfa.qmd"), Path("beta.qmd"), Path("gamma.qmd"))
    assert sequential.executed == parallel.executed == ran
    one, other = _files(tmp_path / "sequential"), _files(tmp_path / "parallel")
    assert sorted(one) == sorted(other)
    assert {"alfa.html", "beta.html", "gamma.html", "gamma_files/figure-html/fig-gamma-output-1.svg"} <= set(one)
    assert any(name.endswith(".pdf") for name in one)
    different = [name for name in one if one[name] != other[name]]
    assert different == []
    # Numbering follows document order, not the order in which kernels finished.
    alfa = (tmp_path / "parallel" / "alfa.html").read_text(encoding="utf-8")
    assert re.search(r"Figuur(\s|&nbsp;)4\.1", alfa)  # index.qmd is chapter 1, gamma.qmd chapter 4


def test_first_failing_document_in_order_is_reported_and_nothing_published(tmp_path):
    book = write_book(tmp_path / "book")
    edit(book / "alfa.qmd", "total = sum(", "total = undefined_name + sum(")
    edit(book / "gamma.qmd", "axes.plot(values)", "axes.plot(values)\n1 / 0")

    with pytest.raises(ReportError) as raised:
        render(book, RenderOptions(formats=("html",), jobs=2))

    message = str(raised.value)
    assert "alfa.qmd" in message and "NameError" in message
    assert not (book / "_book").exists()
