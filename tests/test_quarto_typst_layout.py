"""The PDF (typst) as Quarto lays it out: rules, tabsets, a single article's compact layout (issue 18)."""

from pathlib import Path

import pypdf

from report.build import RenderOptions, render

ARTICLE = """---
title: "Een artikel"
subtitle: "Over weerbaarheid"
author:
  - name: "Ada Lovelace"
    affiliations:
      - name: "Universiteit Utrecht"
  - name: "Alan Turing"
    affiliation: "Universiteit Leiden"
date: "2024-03-01"
abstract: "Dit is de samenvatting."
lang: nl
format:
  typst:
    keep-typ: true
---

## Inleiding

Eerste alinea.

---

Tweede alinea.

## Methode

::: {.panel-tabset}
### Tab A
Inhoud van tab A.

### Tab B
Inhoud van tab B.
:::
"""


def _render_article(tmp_path: Path, text: str = ARTICLE) -> tuple[list[str], str]:
    source = tmp_path / "artikel.qmd"
    source.write_text(text, encoding="utf-8")
    render(source, RenderOptions(formats=("typst",)))
    pages = [page.extract_text() for page in pypdf.PdfReader(tmp_path / "artikel.pdf").pages]
    return pages, (tmp_path / "artikel.typ").read_text(encoding="utf-8")


def test_a_horizontal_rule_is_drawn_between_the_paragraphs(tmp_path):
    pages, typst = _render_article(tmp_path)
    assert "Eerste alinea.\n\n#horizontalrule\n\nTweede alinea." in typst
    text = "".join(pages)
    assert text.index("Eerste alinea.") < text.index("Tweede alinea.")


def test_a_two_section_article_with_its_title_block_fits_on_one_page(tmp_path):
    pages, _typst = _render_article(tmp_path)
    assert len(pages) == 1, "no title page, colophon, contents page or page per section"
    lines = [line.strip() for line in pages[0].splitlines() if line.strip()]
    wanted = ["Een artikel", "Over weerbaarheid", "1 maart 2024", "Samenvatting Dit is de samenvatting.",
              "Inleiding", "Eerste alinea.", "Methode", "Tab A", "Tab B"]
    assert [line for line in lines if line in wanted] == wanted
    text = pages[0]
    for author, place in (("Ada Lovelace", "Universiteit Utrecht"), ("Alan Turing", "Universiteit Leiden")):
        assert author in text and place in text
    assert "Colofon" not in text and "Inhoudsopgave" not in text and "Gemaakt met" not in text


def test_an_article_has_contents_only_when_asked(tmp_path):
    pages, _typst = _render_article(tmp_path, ARTICLE.replace("lang: nl\n", "lang: nl\ntoc: true\n"))
    text = "".join(pages)
    assert "Inhoudsopgave" in text
    assert text.index("Samenvatting") < text.index("Inhoudsopgave") < text.index("Eerste alinea.")


def test_tabs_are_headings_one_level_below_their_section(tmp_path):
    _pages, typst = _render_article(tmp_path)
    # `## Methode` is the article's level 1 (its title block is the H1), so its tabs are level 2.
    assert '#heading(depth: 1, supplement: [Methode])[Methode] <methode>' in typst
    assert '#heading(depth: 2, numbering: none, outlined: false)[#"Tab A"] <tab-a>' in typst
    assert '#heading(depth: 2, numbering: none, outlined: false)[#"Tab B"] <tab-b>' in typst


BOOK = """project:
  type: book
book:
  title: "Boek"
  author: "Auteur"
  output-file: "boek"
  chapters:
    - index.qmd
    - part: "Deel een"
      chapters:
        - hoofdstuk.qmd
lang: nl
format:
  typst:
    keep-typ: true
"""


def test_tabs_in_a_book_part_stay_on_the_page_of_their_chapter(tmp_path):
    (tmp_path / "_quarto.yml").write_text(BOOK, encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Voorwoord\n\nWoord vooraf.\n", encoding="utf-8")
    (tmp_path / "hoofdstuk.qmd").write_text(
        "# Hoofdstuk\n\nTekst.\n\n::: {.panel-tabset}\n## Tab A\nInhoud van tab A.\n\n## Tab B\n"
        "Inhoud van tab B.\n:::\n", encoding="utf-8")
    render(tmp_path, RenderOptions(formats=("typst",)))
    pages = [page.extract_text() for page in pypdf.PdfReader(tmp_path / "_book" / "boek.pdf").pages]
    chapter = next(index for index, text in enumerate(pages) if "Inhoud van tab A." in text)
    for text in ("Hoofdstuk", "Tab A", "Inhoud van tab A.", "Tab B", "Inhoud van tab B."):
        assert text in pages[chapter], f"{text!r} is not on the chapter's page"


# ---------------------------------------------------------------- fonts: mainfont, font-paths, CJK fallback

CJK = """---
title: "Test"
format:
  typst:
    keep-typ: true
---

## Intro

Plain text.

中文文本，日本語のテキスト。
"""


def _fonts(pdf: Path) -> set[str]:
    reader = pypdf.PdfReader(pdf)
    return {str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
            for page in reader.pages for font in page["/Resources"]["/Font"].values()}


def _render_warnings(source: Path) -> list[str]:
    return [str(item) for item in render(source, RenderOptions(formats=("typst",))).warnings]


def test_cjk_text_gets_the_noto_cjk_fallback(tmp_path):
    source = tmp_path / "doc.qmd"
    source.write_text(CJK, encoding="utf-8")
    assert _render_warnings(source) == []
    assert "中文文本，日本語のテキスト。" in pypdf.PdfReader(tmp_path / "doc.pdf").pages[0].extract_text()
    fonts = _fonts(tmp_path / "doc.pdf")
    assert "NotoSansCJKjp-Regular-Identity-H" in fonts
    assert not any("LastResort" in font for font in fonts), "no character is left to the last-resort font"


def test_cjk_text_without_a_font_for_it_is_a_warning_naming_the_line(tmp_path, monkeypatch):
    from report.outputs import fonts

    monkeypatch.setattr(fonts, "SYSTEM_CJK_FONTS", (tmp_path / "no-fonts", "NotoSansCJK-*.ttc"))
    source = tmp_path / "doc.qmd"
    source.write_text(CJK, encoding="utf-8")
    assert _render_warnings(source) == [
        "doc.qmd:12: the text has Chinese, Japanese or Korean characters ('中') that no font of the PDF covers, "
        f"so the PDF shows them as empty boxes: install Debian's fonts-noto-cjk ({tmp_path / 'no-fonts'}) or add "
        "a font that covers them to 'font-paths'"]


def test_mainfont_from_font_paths_sets_the_text(tmp_path, monkeypatch):
    import shutil

    from report.outputs import fonts

    monkeypatch.setattr(fonts, "SYSTEM_CJK_FONTS", (tmp_path / "no-fonts", "NotoSansCJK-*.ttc"))
    (tmp_path / "fonts").mkdir()
    shutil.copyfile("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                    tmp_path / "fonts" / "NotoSansCJK-Regular.ttc")
    source = tmp_path / "doc.qmd"
    source.write_text(CJK.replace("format:", 'mainfont: "Noto Sans CJK SC"\nfont-paths: [fonts]\nformat:'),
                      encoding="utf-8")
    assert _render_warnings(source) == []
    assert '  font: ("Noto Sans CJK SC",),' in (tmp_path / "doc.typ").read_text(encoding="utf-8")
    assert "Plain text." in pypdf.PdfReader(tmp_path / "doc.pdf").pages[0].extract_text()
    assert _fonts(tmp_path / "doc.pdf") >= {"NotoSansCJKsc-Regular-Identity-H"}


def test_an_unknown_mainfont_is_a_warning(tmp_path):
    source = tmp_path / "doc.qmd"
    source.write_text(CJK.replace("format:", 'mainfont: "Nowhere Sans"\nformat:'), encoding="utf-8")
    assert _render_warnings(source) == [
        "doc.qmd: mainfont 'Nowhere Sans' is not among the PDF's fonts (typst's own, DejaVu Sans and "
        "'font-paths'), so typst sets the text in its default font: add the font's file or folder to 'font-paths'"]


def test_a_missing_font_path_is_an_error(tmp_path):
    import pytest

    from report.errors import ReportError

    source = tmp_path / "doc.qmd"
    source.write_text(CJK.replace("format:", "font-paths: missing-fonts\nformat:"), encoding="utf-8")
    with pytest.raises(ReportError, match="font path 'missing-fonts' does not exist"):
        render(source, RenderOptions(formats=("typst",)))


# ---------------------------------------------------------------- typst errors name the chapter and line

CHAPTER_TWO = """# Tweede hoofdstuk

Eerste alinea van het tweede hoofdstuk.

## Een paragraaf

Tekst met *nadruk* en een [link](https://example.org).

- een
- lijst
- van drie

```{=typst}
#let waarden = (1, 2
```

Meer tekst.
"""


def test_a_typst_error_names_the_chapter_and_line_it_came_from(tmp_path):
    import pytest

    from report.errors import ReportError

    (tmp_path / "_quarto.yml").write_text(BOOK.replace("        - hoofdstuk.qmd\n",
                                                       "        - hoofdstuk.qmd\n        - tweede.qmd\n"),
                                          encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Voorwoord\n\nWoord vooraf.\n", encoding="utf-8")
    (tmp_path / "hoofdstuk.qmd").write_text("# Hoofdstuk\n\nTekst.\n", encoding="utf-8")
    (tmp_path / "tweede.qmd").write_text(CHAPTER_TWO, encoding="utf-8")
    with pytest.raises(ReportError) as failure:
        render(tmp_path, RenderOptions(formats=("typst",)))
    assert str(failure.value) == ("tweede.qmd:14: typst could not build the PDF: unclosed delimiter, in the typst "
                                  "`#let waarden = (1, 2`; change the typst on this line")


def test_a_typst_error_in_an_inline_raw_span_names_its_line(tmp_path):
    import pytest

    from report.errors import ReportError

    source = tmp_path / "doc.qmd"
    source.write_text('---\ntitle: "Test"\n---\n\n## Intro\n\nPlain text.\n\nA line with `#foo(1)`{=typst} '
                      'inline.\n\nMore.\n', encoding="utf-8")
    with pytest.raises(ReportError) as failure:
        render(source, RenderOptions(formats=("typst",)))
    assert str(failure.value) == ("doc.qmd:9: typst could not build the PDF: unknown variable: foo, in the typst "
                                  "`A line with #foo(1) inline.`; change the typst on this line")
