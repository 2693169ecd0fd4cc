"""typst as Quarto writes it (quarto-cli's typst smoke tests as the model): code highlighting by pandoc's
skylighting unless `idiomatic` or `none`, listings as `quarto-float-lst` figures left-aligned by one show rule,
a listing div, and image paths relative to the kept .typ next to the document."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from report.build import RenderOptions, render
from report.errors import ReportError

CODE = '''```python
def f(x):
    return "tekst"
```
'''


def render_typst(folder: Path, front: str, body: str, name: str = "doc.qmd") -> str:
    source = folder / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(f"---\ntitle: Code\nkeep-typ: true\n{front}---\n\n{body}", encoding="utf-8")
    render(source, RenderOptions(formats=("typst",)))
    assert source.with_suffix(".pdf").is_file()
    return source.with_suffix(".typ").read_text(encoding="utf-8")


def test_code_is_highlighted_by_skylighting_by_default(tmp_path):
    typ = render_typst(tmp_path, "", CODE + "\nInline `x = 1`{.python}.\n")
    assert "#let Skylighting(" in typ and '#Skylighting(([#KeywordTok("def")' in typ
    assert '#NormalTok("x ");' in typ  # inline code too: its functions are defined once in the frame
    assert "```python" not in typ


def test_a_named_style_gives_its_colours(tmp_path):
    typ = render_typst(tmp_path, "syntax-highlighting: tango\n", CODE)
    assert "#let KeywordTok(s) = text(weight: \"bold\",fill: rgb(\"#204a87\"),raw(s))" in typ


def test_highlight_style_is_the_older_name(tmp_path):
    typ = render_typst(tmp_path, "highlight-style: tango\n", CODE)
    assert 'rgb("#204a87")' in typ


@pytest.mark.parametrize(("value", "fence"), [("idiomatic", "```python\n"), ("none", "```\ndef f(x):")])
def test_idiomatic_leaves_highlighting_to_typst_and_none_to_nobody(tmp_path, value, fence):
    typ = render_typst(tmp_path, f"syntax-highlighting: {value}\n", CODE)
    assert fence in typ and "Skylighting" not in typ and "KeywordTok" not in typ


def test_listings_are_quarto_float_lst_figures_aligned_to_the_start(tmp_path):
    body = ("::: {#lst-som}\n\n```python\nprint(1 + 1)\n```\n\nEen som\n\n:::\n\n"
            '```{#lst-tel .python lst-cap="Tellen"}\nfor i in range(3): print(i)\n```\n\nZie @lst-som en @lst-tel.\n')
    typ = render_typst(tmp_path, "", body)
    assert typ.count('#show figure.where(kind: "quarto-float-lst"): set align(start)') == 1
    assert typ.count('kind: "quarto-float-lst", supplement: "Listing"') == 2
    assert "[Een som]" in typ
    assert "#ref(<lst-som>, supplement: [Listing]) en #ref(<lst-tel>, supplement: [Listing])" in typ


def test_no_listing_no_listing_rule(tmp_path):
    assert "quarto-float-lst" not in render_typst(tmp_path, "", "Tekst.\n")


def test_image_paths_are_relative_to_the_kept_typ_beside_its_document(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\n", encoding="utf-8")
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "blok.svg").write_text(svg, encoding="utf-8")
    (tmp_path / "sub" / "img").mkdir(parents=True)
    (tmp_path / "sub" / "img" / "vlak.svg").write_text(svg, encoding="utf-8")
    body = "![Een vlak](img/vlak.svg){#fig-vlak}\n\nEen blok: ![Blok](../images/blok.svg)\n"
    typ = render_typst(tmp_path, "", body, name="sub/doc.qmd")
    assert '#image("img/vlak.svg"' in typ
    assert '#box(image("../images/blok.svg", alt: "Blok"))' in typ


def test_a_conditional_div_keeps_its_identifier_as_a_float(tmp_path):
    body = ("Zie @tbl-soorten.\n\n::: {#tbl-soorten .content-visible unless-format=\"html\"}\n\n| A | B |\n|---|---|\n"
            "| 1 | 2 |\n\n: Soorten\n\n:::\n")
    typ = render_typst(tmp_path, "", body)
    assert "Zie #ref(<tbl-soorten>, supplement: [Table])." in typ
    assert 'supplement: "Table", numbering: n => "1")<tbl-soorten>' in typ


@pytest.mark.parametrize("value", ["idiomatic", "tango"])
def test_numbered_lines_are_numbered_once_in_either_mode(tmp_path, value):
    render_typst(tmp_path, f"syntax-highlighting: {value}\n", '```{.python .numberLines}\nregels = ["een"]\nx = 2\n```\n')


    text = " ".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "doc.pdf").pages)
    assert '1 regels = ["een"]' in text and "2 x = 2" in text


def test_columns_set_the_page_columns_and_the_title_block_spans_them(tmp_path):
    typ = render_typst(tmp_path, "format:\n  typst:\n    columns: 2\n", "Tekst in twee kolommen.\n")
    assert "  columns: 2," in typ
    assert 'place(\n        top,\n        float: true,\n        scope: "parent",' in typ
    pdf = pypdf.PdfReader(tmp_path / "doc.pdf")
    assert "Tekst in twee kolommen." in pdf.pages[0].extract_text()


def test_columns_must_be_a_whole_number_of_at_least_one(tmp_path):
    source = tmp_path / "doc.qmd"
    source.write_text("---\ntitle: Doc\ncolumns: 0\n---\n\nTekst.\n", encoding="utf-8")
    with pytest.raises(ReportError, match="invalid value for 'columns' in front matter: Input should be greater than"):
        render(source, RenderOptions(formats=("typst",)))


def test_a_citation_with_another_in_its_suffix_is_resolved_whole(tmp_path):
    (tmp_path / "refs.bib").write_text("@book{een, author={Jansen, Piet}, title={Een}, year={1951}}\n"
                                       "@book{twee, author={Vries, Anna de}, title={Twee}, year={1952}}\n",
                                       encoding="utf-8")
    typ = render_typst(tmp_path, "bibliography: refs.bib\nciteproc: true\n", "Zie [@een, @twee] en [@twee, p. 4].\n")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "doc.pdf").pages)
    # As pandoc's citeproc renders `[@a, @b]` (the second key parsed into the first one's suffix).
    assert "Zie Vries (1952) en (Vries 1952, 4)." in text and "Jansen, Piet. 1951. Een." in text
    assert "@een" not in typ and "@twee" not in typ


def test_image_alt_text_as_quarto_passes_it_to_typst(tmp_path):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    for name in ("fig", "expl", "inl", "dim", "none"):
        (tmp_path / f"{name}.svg").write_text(svg, encoding="utf-8")
    body = ("![Het onderschrift](fig.svg)\n\n![Zichtbaar](expl.svg){alt=\"Eigen \\\"alt\\\" tekst\"}\n\n"
            "Een ![Klein](inl.svg) icoon en ![Maten](dim.svg){width=96 height=1in} en ![](none.svg).\n")
    typ = render_typst(tmp_path, "", body)
    assert '#image("fig.svg")' in typ  # a figure's caption is not its image's alt text
    assert '#image("expl.svg", alt: "Eigen \\"alt\\" tekst")' in typ
    assert '#box(image("inl.svg", alt: "Klein"))' in typ
    assert '#box(image("dim.svg", alt: "Maten", height: 1in, width: 1in))' in typ
    assert '#box(image("none.svg"))' in typ
