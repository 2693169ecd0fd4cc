"""Test set-up shared across files: one Chromium for every test that looks at a page in a real browser, and the
small book "Klein" that the engine's failure, output-folder, check and draft tests render.

Chromium comes from the Debian package (``scripts/setup.sh`` installs it); Playwright never downloads a
browser. Without Chromium the browser tests fail where ``CI`` is set and are skipped elsewhere."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium_executable() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def browser_unavailable(reason: str):
    message = f"{reason}; run `bash scripts/setup.sh` to install Chromium and the test dependencies"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium, started once per test process."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("playwright is not installed")
    executable = chromium_executable()
    if executable is None:
        browser_unavailable("no Chromium found at " + " or ".join(CHROMIUM_CANDIDATES))
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable)
        yield launched
        launched.close()



SMALL_BOOK = 'project:\n  type: book\nbook:\n  title: "Klein"\n  chapters:\n    - index.qmd\n    - hoofdstuk.qmd\n'


@pytest.fixture
def small_book():
    """Writes the two-chapter book "Klein" into a folder and returns the folder: `_quarto.yml` (the book, then
    `settings`, YAML at the top level), `index.qmd` (a start page that refers to `@sec-hoofdstuk`) and
    `hoofdstuk.qmd` holding `chapter`. Each test module keeps its own chapter and settings."""

    def write(root: Path, chapter: str, settings: str = "") -> Path:
        root.mkdir(parents=True, exist_ok=True)
        (root / "_quarto.yml").write_text(SMALL_BOOK + settings, encoding="utf-8")
        (root / "index.qmd").write_text("# Start {#sec-start}\n\nZie @sec-hoofdstuk.\n", encoding="utf-8")
        (root / "hoofdstuk.qmd").write_text(chapter, encoding="utf-8")
        return root

    return write


@pytest.fixture
def make_book(tmp_path, small_book):
    """The small book in `tmp_path`, its cells shown without their code, for tests of how a render fails:
    ``make_book(chapter, settings="")``."""
    return lambda chapter, settings="": small_book(tmp_path, chapter, "execute:\n  echo: false\n" + settings)


@pytest.fixture(scope="session")
def render_html_and_pdf(tmp_path_factory):
    """Writes a document into a folder of its own and renders it to HTML and to the PDF:
    ``render_html_and_pdf(name, text)`` gives the folder and each render's warnings as text."""
    from report.build import RenderOptions, render

    def render_both(name: str, text: str) -> tuple[Path, tuple[str, ...], tuple[str, ...]]:
        folder = tmp_path_factory.mktemp(Path(name).stem)
        source = folder / name
        source.write_text(text, encoding="utf-8")
        html = render(source, RenderOptions(formats=("html",)))
        pdf = render(source, RenderOptions(formats=("typst",)))
        return folder, tuple(str(item) for item in html.warnings), tuple(str(item) for item in pdf.warnings)

    return render_both
