"""`report render FILE.qmd --to html|typst` on an ordinary Quarto document outside any project."""

from pathlib import Path

import pypdf
from bs4 import BeautifulSoup

from report.build import RenderOptions, render

ARTICLE = """---
title: "Een los artikel"
author: "Auteur"
date: "2024-03-01"
lang: nl
number-sections: true
format:
  typst:
    keep-typ: true
---

# Inleiding {#sec-inleiding}

Zie @fig-a en @sec-methode; de waarde is `{python} 6 * 7`.

```{python}
#| label: fig-a
#| fig-cap: "Een figuur"
#| fig-alt: "Een stijgende lijn."
import matplotlib.pyplot as plt
plt.plot([1, 2])
plt.show()
```

# Methode {#sec-methode}

## Detail {#sec-detail}

Tekst over @sec-detail.
"""


def test_single_document_html_and_pdf(tmp_path):
    source = tmp_path / "artikel.qmd"
    source.write_text(ARTICLE, encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    render(source, RenderOptions(formats=("typst",)))
    soup = BeautifulSoup((tmp_path / "artikel.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "nl"
    assert [a.get_text() for a in soup.select("a.quarto-xref")] == ["Figuur\xa01", "Paragraaf\xa02", "Paragraaf\xa02.1"]
    assert soup.find("div", id="fig-a").find("img")["alt"] == "Een stijgende lijn."
    assert (tmp_path / soup.find("div", id="fig-a").find("img")["src"]).is_file()
    assert "de waarde is 42" in soup.get_text()
    assert (tmp_path / "artikel.typ").is_file(), "keep-typ keeps the typst source"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "artikel.pdf").pages)
    assert "Een los artikel" in text and "1 maart 2024" in text
    assert "Figuur\xa01: Een figuur" in text or "Figuur 1: Een figuur" in text
    assert "2.1 Detail" in text


def test_lone_chapter_of_a_book_uses_the_books_numbers(tmp_path):
    import shutil

    minibook = Path(__file__).parent / "fixtures" / "minibook"
    shutil.copytree(minibook, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("_book", ".report-build"))
    render(tmp_path, RenderOptions(formats=("html",)))
    chapter = tmp_path / "chapters" / "analyse.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nEn @fig-nieuw bestaat nog niet.\n", encoding="utf-8")
    render(chapter, RenderOptions(formats=("html",)))
    soup = BeautifulSoup((tmp_path / "chapters" / "analyse.html").read_text(encoding="utf-8"), "html.parser")
    links = {a.get_text(): a["href"] for a in soup.select("a.quarto-xref")}
    assert links["Figuur\xa01.1"] == "../_book/chapters/inleiding.html#fig-lijn"
    assert links["Paragraaf\xa02.1"] == "#sec-plotnine"
    assert soup.find("h1").find(class_="header-section-number").get_text() == "2"
    assert "?@fig-nieuw" in soup.get_text()


def test_keep_typ_and_number_sections_take_effect_at_every_level_quarto_allows(tmp_path):
    """One merge (project < format < document < the document's format) serves every stage: `keep-typ` at the
    document's top level and `number-sections: false` under the document's `format: html:` both count."""
    source = tmp_path / "kort.qmd"
    source.write_text('---\ntitle: "Kort"\nlang: nl\nkeep-typ: true\nnumber-sections: true\n'
                      'format:\n  html:\n    number-sections: false\n  typst: default\n---\n\n'
                      "## Eerste {#sec-eerste}\n\nZie @sec-eerste.\n", encoding="utf-8")
    render(source, RenderOptions(formats=("typst",)))
    assert (tmp_path / "kort.typ").is_file(), "a top-level keep-typ keeps the typst source"
    render(source, RenderOptions(formats=("html",)))
    soup = BeautifulSoup((tmp_path / "kort.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find(id="sec-eerste").find(class_="header-section-number") is None
