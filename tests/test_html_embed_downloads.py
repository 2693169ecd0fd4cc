"""`embed-resources: true` (one self-contained HTML file) and `book: downloads:` (links to the PDF and .docx)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render
from report.errors import ReportError

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")

DOCUMENT = """---
title: "Per mail"
embed-resources: true
---

Tekst met een plaatje.

![Een plaatje](beeld/vlak.png){fig-alt="Een rood vlak"}

```{python}
#| label: fig-lijn
#| fig-cap: "Een lijn"
#| fig-alt: "Een stijgende lijn"
import matplotlib.pyplot as plt
plt.plot([1, 2])
plt.show()
```

Zie [de bron](https://example.org/bron) en @fig-lijn.
"""


def test_embed_resources_writes_one_self_contained_html_file(tmp_path):
    (tmp_path / "beeld").mkdir()
    (tmp_path / "beeld" / "vlak.png").write_bytes(PNG)
    (tmp_path / "doc.qmd").write_text(DOCUMENT, encoding="utf-8")
    result = render(tmp_path / "doc.qmd", RenderOptions(formats=("html",)))
    assert [path.name for path in result.outputs] == ["doc.html"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [".report-build", ".report-cache", "beeld", "doc.html",
                                                                "doc.qmd"]
    page = BeautifulSoup((tmp_path / "doc.html").read_text(encoding="utf-8"), "html.parser")
    images = page.find_all("img")
    assert [image["alt"] for image in images] == ["Een rood vlak", "Een stijgende lijn"]
    assert images[0]["src"] == "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert images[1]["src"].startswith("data:image/svg+xml;base64,")
    assert not page.find_all("link", rel="stylesheet") and not page.find_all("script", src=True)
    local = [value for tag in page.find_all(True) for key in ("src", "href") if (value := tag.get(key))
             and not re.match(r"^(data:|https?:|#)", value)]
    assert local == []
    assert page.find("a", string="de bron")["href"] == "https://example.org/bron"


def test_embed_resources_names_a_missing_file(tmp_path):
    (tmp_path / "doc.qmd").write_text('---\ntitle: "X"\nembed-resources: true\n---\n\n'
                                      '```{=html}\n<img src="weg.png" alt="weg">\n```\n', encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        render(tmp_path / "doc.qmd", RenderOptions(formats=("html",)))
    assert str(caught.value) == "doc.qmd: embed-resources: 'weg.png' that the page refers to does not exist"
    assert not (tmp_path / "doc.html").exists()


def test_book_downloads_put_links_to_the_pdf_and_docx_on_every_page(tmp_path):
    (tmp_path / "_quarto.yml").write_text(
        'project:\n  type: book\nlang: nl\nbook:\n  title: "Boek"\n  output-file: "het-boek"\n'
        "  downloads: [pdf, docx]\n  chapters:\n    - index.qmd\n    - sub/een.qmd\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Welkom\n\nTekst.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "een.qmd").write_text("# Een\n\nTekst.\n", encoding="utf-8")
    render(tmp_path, RenderOptions(formats=("html",)))
    for page, prefix in (("index.html", ""), ("sub/een.html", "../")):
        soup = BeautifulSoup((tmp_path / "_book" / page).read_text(encoding="utf-8"), "html.parser")
        links = [(link.get_text(), link["href"]) for link in soup.select(".quarto-navigation-tools a")]
        assert links == [("Download PDF", f"{prefix}het-boek.pdf"), ("Download Word", f"{prefix}het-boek.docx")]
