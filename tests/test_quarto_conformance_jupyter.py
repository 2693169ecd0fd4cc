"""Jupyter documents as Quarto renders them (quarto-cli's jupyter smoke tests as the model): a document without
`title:` takes the heading its first Markdown opens with as its title (Quarto's fixupFrontMatter)."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from report.build import RenderOptions, render
from report.sources.notebook_title import with_notebook_title
from report.sources.qmd import parse_qmd


def test_the_first_markdown_heading_becomes_the_title(tmp_path):
    source = tmp_path / "doc.qmd"
    source.write_text("---\nlang: en\n---\n\n```{python}\n1 + 1\n```\n\n## Een titel {#sec-titel}\n\nTekst.\n\n"
                      "### Een kop\n", encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    soup = BeautifulSoup((tmp_path / "doc.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("h1.title").get_text(strip=True) == "Een titel"
    assert [h.get_text(strip=True) for h in soup.select("main h2, main h3")] == ["Een kop"]


def _title(text: str) -> str | None:
    return with_notebook_title(parse_qmd(text, Path("doc.qmd"))).metadata.get("title")


def test_only_a_heading_with_nothing_before_it_in_its_cell():
    cell = "```{python}\n1\n```\n\n"
    assert _title(f"{cell}Een alinea.\n\n### Geen titel\n") is None
    assert _title(f"{cell}Titel\n=====\n\nTekst.\n") == "Titel"
    assert _title(f"# Voor de cel\n\n{cell}") == "Voor de cel"
    assert _title("---\ntitle: Gegeven\n---\n\n# Kop\n\n" + cell) == "Gegeven"
    assert _title("# Geen code, geen Jupyter\n") is None


def test_an_uncaptioned_cell_image_is_a_figure_with_the_size_its_output_gives(tmp_path):
    source = tmp_path / "doc.qmd"
    source.write_text("---\ntitle: Plaatje\n---\n\n```{python}\nfrom IPython.display import Image, display\n"
                      "import base64\npng = base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42m"
                      "NkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==')\ndisplay(Image(png, width=30, height=20))\n```\n",
                      encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    soup = BeautifulSoup((tmp_path / "doc.html").read_text(encoding="utf-8"), "html.parser")
    image = soup.select_one("div.cell-output.cell-output-display > div > figure.figure img.img-fluid.figure-img")
    assert image is not None and (image["width"], image["height"]) == ("30", "20")
    assert not image.has_attr("data-cell-line")
    assert image.find_parent("p").find_next_sibling("p")["class"] == ["figure-zoom"]  # no paragraph in a paragraph
