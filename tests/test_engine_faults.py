"""Issue 12, items 2 and 3: a dying kernel and a flood of output are errors naming the document and the cell."""

from __future__ import annotations

from pathlib import Path

from report.build import RenderOptions, render
from test_engine_failures import HTML_ONLY, render_error


def test_kernel_that_exits_names_the_cell_and_the_exit_code(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\n```{python}\n#| label: weg\nimport os\nos._exit(3)\n```\n")
    assert render_error(tmp_path) == (
        "hoofdstuk.qmd:3: the kernel died while cell 'weg' was running: it exited with code 3 "
        "(the cell, or a library it called, ended the process, e.g. with os._exit)")


def test_kernel_killed_by_sigkill_names_memory_as_the_likely_cause(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\n```{python}\n#| label: geheugen\nimport os, signal\n"
                        "os.kill(os.getpid(), signal.SIGKILL)\n```\n")
    assert render_error(tmp_path) == (
        "hoofdstuk.qmd:3: the kernel died while cell 'geheugen' was running: it was killed by SIGKILL; the system's "
        "out-of-memory killer sends that signal, so the likely cause is that the cell used more memory than is available")


def test_dead_kernel_keeps_the_previous_book(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\nGoede tekst.\n")
    render(tmp_path, HTML_ONLY)
    page = tmp_path / "_book" / "hoofdstuk.html"
    good = page.read_bytes()
    (tmp_path / "hoofdstuk.qmd").write_text("# H {#sec-hoofdstuk}\n\n```{python}\nimport os\nos._exit(1)\n```\n",
                                            encoding="utf-8")
    assert render_error(tmp_path).startswith("hoofdstuk.qmd:3: the kernel died while cell 'cell 1 (line 3)' was running")
    assert page.read_bytes() == good


def test_cell_printing_50_mb_is_stopped_at_the_default_limit(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\n```{python}\n#| label: vloed\nfor _ in range(500):\n"
                        "    print('x' * 100_000)\n```\n")
    assert render_error(tmp_path) == (
        "hoofdstuk.qmd:3: cell 'vloed' produced more than the output limit of 10.0 MB and was stopped; "
        "print less, or raise report.output-limit in _quarto.yml or --output-limit")


def test_endless_output_is_interrupted_at_the_configured_limit(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\n```{python}\n#| label: eindeloos\nwhile True:\n"
                        "    print('y' * 10_000)\n```\n")
    config = tmp_path / "_quarto.yml"
    config.write_text(config.read_text(encoding="utf-8") + "report:\n  output-limit: 100000\n", encoding="utf-8")
    assert render_error(tmp_path, RenderOptions(formats=("html",), cell_timeout=120)) == (
        "hoofdstuk.qmd:3: cell 'eindeloos' produced more than the output limit of 100 000 bytes and was stopped; "
        "print less, or raise report.output-limit in _quarto.yml or --output-limit")


def test_output_limit_flag_overrides_the_setting(tmp_path, make_book):
    make_book("# H {#sec-hoofdstuk}\n\n```{python}\n#| label: klein\nprint('z' * 5000)\n```\n")
    assert render_error(tmp_path, RenderOptions(formats=("html",), output_limit=1000)) == (
        "hoofdstuk.qmd:3: cell 'klein' produced more than the output limit of 1 000 bytes and was stopped; "
        "print less, or raise report.output-limit in _quarto.yml or --output-limit")
    render(tmp_path, RenderOptions(formats=("html",), output_limit=100_000))
    assert "z" * 5000 in (tmp_path / "_book" / "hoofdstuk.html").read_text(encoding="utf-8")


def test_disk_full_during_the_pdf_stage_names_stage_and_folder(tmp_path, monkeypatch, make_book):
    import errno
    import os

    make_book("# H {#sec-hoofdstuk}\n\nGoede tekst.\n")
    render(tmp_path, HTML_ONLY)
    page = tmp_path / "_book" / "hoofdstuk.html"
    good = page.read_bytes()
    original = Path.write_bytes

    def full_disk(self, data):
        if self.suffix == ".pdf":  # as a write on a full disk fails: ENOSPC, without a file name
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    message = render_error(tmp_path, RenderOptions(formats=("html", "typst")))
    staging = message.split("(folder ")[1].split(")")[0]
    assert message == (f"pdf stage: no space left on the device (folder {staging}); "
                       "free some space and render again; the previous output is kept")
    # The PDF is built in the render's own work folder inside the project, never in the published _book/.
    assert Path(staging).is_relative_to(tmp_path / ".report-build")
    assert not list(Path(staging).rglob("*.pdf")), "no half-written PDF is left where a later render would take it"
    assert page.read_bytes() == good
