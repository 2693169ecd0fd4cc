"""Issue 12, item 7: a disclosure threshold below the policy minimum stops a render unless it is a draft;
a draft carries the project's draft mark on every page and cannot be released."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from analysis import sdc
from report.build import RenderOptions, render
from report.cli import main
from report.errors import ReportError
from report.sources.project import load_project
from analysis.paths import REPO_ROOT

DRAFT_MARK = "CONCEPT: niet voor publicatie"
SETTINGS = f"""execute:
  echo: false
report:
  draft-mark: "{DRAFT_MARK}"
"""
CHAPTER = """# Hoofdstuk {#sec-hoofdstuk}

```{python}
#| label: setup
#| include: false
from analysis.common import *
```

De drempel is `{python} disclosure_threshold()` personen.
"""


@pytest.fixture
def book(tmp_path: Path, small_book) -> Path:
    return small_book(tmp_path, CHAPTER, SETTINGS)


def test_low_threshold_is_an_error_in_render(book, monkeypatch):
    monkeypatch.setenv(sdc.ENV, "1")
    monkeypatch.setenv(sdc.DRAFT_ENV, "1")  # inherited from the shell: does not make the render a draft
    with pytest.raises(ReportError) as caught:
        render(book, RenderOptions(formats=("html",), use_cache=False))
    first_line = str(caught.value).splitlines()[0]
    assert first_line == (
        "hoofdstuk.qmd:3: cell 'setup' raised DisclosurePolicyError: disclosure control: the minimum base 1 "
        "(from $REPORT_SDC_MIN_BASE=1) is below the policy minimum of 10; counts on smaller bases would be published. "
        "Remove it, or render a draft (report render --draft), which is marked on every page and cannot be released")
    assert not (book / "_book").exists()


def test_draft_render_allows_it_and_marks_every_page(book, monkeypatch):
    monkeypatch.setenv(sdc.ENV, "1")
    render(book, RenderOptions(formats=("html", "typst"), draft=True, use_cache=False))
    for name in ("index.html", "hoofdstuk.html"):
        soup = BeautifulSoup((book / "_book" / name).read_text(encoding="utf-8"), "html.parser")
        assert soup.select_one(".report-mark").get_text(strip=True) == DRAFT_MARK
    assert "De drempel is 1 personen." in (book / "_book" / "hoofdstuk.html").read_text(encoding="utf-8")
    pdf = pypdf.PdfReader(io.BytesIO(next((book / "_book").glob("*.pdf")).read_bytes()))
    assert len(pdf.pages) > 1
    for number, page in enumerate(pdf.pages, start=1):
        assert DRAFT_MARK in page.extract_text().replace("\n", " "), f"page {number} lacks the draft mark"


def test_policy_threshold_renders_without_a_mark(book, monkeypatch):
    monkeypatch.delenv(sdc.ENV, raising=False)
    render(book, RenderOptions(formats=("html",), use_cache=False))
    page = (book / "_book" / "hoofdstuk.html").read_text(encoding="utf-8")
    assert "De drempel is 10 personen." in page and DRAFT_MARK not in page


def test_set_min_base_below_the_policy_is_refused_outside_a_draft(monkeypatch):
    monkeypatch.delenv(sdc.DRAFT_ENV, raising=False)
    sdc.set_min_base(3)
    try:
        with pytest.raises(sdc.DisclosurePolicyError, match=r"the minimum base 3 \(from set_min_base\(3\)\) is below"):
            sdc.min_base()
        monkeypatch.setenv(sdc.DRAFT_ENV, "1")
        assert sdc.min_base() == 3
    finally:
        sdc.set_min_base(None)


def test_the_project_config_names_the_dutch_draft_mark():
    assert load_project(REPO_ROOT).config.report.draft_mark == DRAFT_MARK


def test_a_draft_cannot_be_released(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(sdc.DRAFT_ENV, "1")
    assert main(["release", "1.0", "--project", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        "report release: refusing to release a draft (REPORT_DRAFT=1 is set): a draft carries its draft mark and its "
        "project may allow what a publication may not; unset REPORT_DRAFT and release again")
    assert not (tmp_path / "release").exists()


FIGURE_CHAPTER = CHAPTER + """
```{python}
#| label: fig-lijn
#| fig-cap: "Een lijn"
#| fig-alt: "Lijndiagram dat stijgt."
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(4, 3))
ax.plot([1, 2, 3])
plt.show()
```
"""


def _png_text_band(path: Path) -> tuple[int, int, int]:
    """The colour of the PNG's bottom-left corner, where the mark's band lies."""
    from PIL import Image

    with Image.open(path) as png:
        return png.convert("RGB").getpixel((2, png.size[1] - 2))


def test_a_drafts_figure_export_carries_the_draft_mark(book, small_book, monkeypatch):
    import json

    monkeypatch.setenv(sdc.ENV, "1")
    small_book(book, FIGURE_CHAPTER, SETTINGS + "  figure-export: figures\n")
    render(book, RenderOptions(formats=("html",), draft=True, use_cache=False))
    exported = book / "figures"
    svg = (exported / "fig-lijn.svg").read_text(encoding="utf-8")
    assert f"<title>{DRAFT_MARK}</title>" in svg
    assert f'fill="#FFFFFF">{DRAFT_MARK}</text>' in svg
    page_svg = (book / "_book/hoofdstuk_files/figure-html/fig-lijn-output-1.svg").read_text(encoding="utf-8")
    assert DRAFT_MARK not in page_svg  # the page shows its own mark; the export carries it in the file
    assert json.loads((exported / "fig-lijn.json").read_text(encoding="utf-8"))["mark"] == DRAFT_MARK
    assert [item["mark"] for item in json.loads((exported / "index.json").read_text(encoding="utf-8"))] == [DRAFT_MARK]
    assert _png_text_band(exported / "fig-lijn.png") == (0xB0, 0x00, 0x20)  # the band is rasterised with it

    # The next render that is no draft replaces the marked files with unmarked ones.
    monkeypatch.delenv(sdc.ENV)
    render(book, RenderOptions(formats=("html",), use_cache=False))
    assert DRAFT_MARK not in (exported / "fig-lijn.svg").read_text(encoding="utf-8")
    assert "mark" not in json.loads((exported / "fig-lijn.json").read_text(encoding="utf-8"))
    assert _png_text_band(exported / "fig-lijn.png") != (0xB0, 0x00, 0x20)
