"""Theorems, proofs, citations and PDF standards in typst as Quarto writes them (quarto-cli's typst smoke tests
as the model): theorion frames per theorem kind in the look `theorem-appearance` names, `#ref(<thm-x>, ...)`,
proof titles, and the PDF's text of each."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from report.build import RenderOptions, render
from report.errors import ReportError


def render_typst(folder: Path, front: str, body: str, name: str = "stelling.qmd",
                 warnings: list[str] | None = None) -> tuple[str, str]:
    """The kept .typ and the PDF's text of a single document rendered to typst (its warnings into ``warnings``)."""
    source = folder / name
    source.write_text(f"---\ntitle: Stellingen\nkeep-typ: true\n{front}---\n\n{body}", encoding="utf-8")
    result = render(source, RenderOptions(formats=("typst",)))
    if warnings is not None:
        warnings.extend(str(item) for item in result.warnings)
    reader = pypdf.PdfReader(source.with_suffix(".pdf"))
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")
    return source.with_suffix(".typ").read_text(encoding="utf-8"), text


THEOREMS = """::: {#thm-som}
## Som van `a + b`
De som is *commutatief*.
:::

::: {#lem-hulp}
Een hulpstelling zonder naam.

- eerste punt
- tweede punt
:::

::: {#thm-tweede}
Nog een stelling.
:::

Zie @thm-som, @lem-hulp en @thm-tweede.
"""


def test_theorems_are_theorion_frames_with_typst_references(tmp_path):
    typ, text = render_typst(tmp_path, "lang: en\n", THEOREMS)
    assert typ.count('#import "@preview/theorion:0.4.1": make-frame') == 1
    assert "#let simple-theorem-render(" in typ
    # one frame per kind used, each shown once
    assert typ.count('#let (theorem-counter, theorem-box, theorem, show-theorem) = make-frame(') == 1
    assert '#let (lemma-counter, lemma-box, lemma, show-lemma) = make-frame(\n  "lemma",\n' in typ
    assert "show-definition" not in typ
    assert typ.count("#show: show-theorem") == 1
    # the name keeps its inline code as typst content; a theorem without a name has no title argument
    assert re.search(r'#theorem\(title: \[Som van #NormalTok\("a \+ b"\);\]\)\[\nDe som is #emph\[commutatief\]\.\n+'
                     r'\] <thm-som>', typ)
    assert "#lemma()[\nEen hulpstelling zonder naam.\n\n- eerste punt\n- tweede punt\n\n] <lem-hulp>" in typ
    assert "#ref(<thm-som>, supplement: [Theorem])" in typ and "#ref(<lem-hulp>, supplement: [Lemma])" in typ
    # theorion numbers each kind on its own, as the HTML does
    assert "Theorem 1 (Som van a + b)." in text and "Lemma 1." in text and "Theorem 2." in text
    assert "Zie Theorem 1, Lemma 1 en Theorem 2." in text


@pytest.mark.parametrize(("appearance", "expected", "absent"), [
    ("clouds", ["#import cosmos.clouds: render-fn as clouds-render",
                "render: clouds-render.with(fill: red.lighten(85%))",
                "render: clouds-render.with(fill: teal.lighten(85%))"], ["simple-theorem-render", "fancy-box"]),
    ("rainbow", ["#import cosmos.rainbow: render-fn as rainbow-render",
                 "render: rainbow-render.with(fill: red.darken(20%))"], ["simple-theorem-render", "clouds"]),
    ("fancy", ["#import cosmos.fancy: fancy-box", "get-border-color: get-secondary-border-color",
               "#set-primary-border-color(brand-color.at(\"primary\""], ["simple-theorem-render", "rainbow"]),
])
def test_theorem_appearance_chooses_theorions_look(tmp_path, appearance, expected, absent):
    typ, text = render_typst(tmp_path, f"format:\n  typst:\n    theorem-appearance: {appearance}\n", THEOREMS)
    for fragment in expected:
        assert fragment in typ
    for fragment in absent:
        assert fragment not in typ
    assert "Som van a + b" in text


def test_an_unknown_theorem_appearance_is_refused_with_its_place(tmp_path):
    with pytest.raises(ReportError, match="theorem-appearance"):
        render_typst(tmp_path, "format:\n  typst:\n    theorem-appearance: glitter\n", THEOREMS)


def test_theorems_in_dutch_take_the_dutch_titles(tmp_path):
    typ, text = render_typst(tmp_path, "lang: nl\n", THEOREMS)
    assert 'text(weight: "bold")[Stelling]' in typ and "#ref(<thm-som>, supplement: [Stelling])" in typ
    assert "Stelling 1 (Som van a + b)." in text and "Zie Stelling 1, Lemma 1 en Stelling 2." in text


def test_a_document_without_theorems_imports_no_theorion(tmp_path):
    typ, _text = render_typst(tmp_path, "", "Alleen tekst.\n")
    assert "theorion" not in typ


def test_proofs_remarks_and_solutions_get_their_italic_title(tmp_path):
    body = ("::: {.proof}\nDit volgt direct.\n:::\n\n::: {.remark name=\"Kanttekening\"}\nLet op.\n:::\n\n"
            "::: {.solution}\n- een lijst eerst\n:::\n")
    typ, text = render_typst(tmp_path, "lang: en\n", body)
    assert "#emph[Proof]. Dit volgt direct." in typ
    assert "#emph[Remark] (Kanttekening). Let op." in typ
    assert "#emph[Solution]. \n\n- een lijst eerst" in typ or "#emph[Solution].\n\n- een lijst eerst" in typ
    assert "Proof. Dit volgt direct." in text and "Remark (Kanttekening). Let op." in text


def test_proof_titles_in_html_and_in_dutch(tmp_path):
    source = tmp_path / "bewijs.qmd"
    source.write_text("---\ntitle: Bewijs\nlang: nl\n---\n\n::: {.proof}\nDit volgt direct.\n:::\n", encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    html = source.with_suffix(".html").read_text(encoding="utf-8")
    assert re.search(r'<span class="proof-title"><em>Bewijs</em>\. </span>Dit volgt direct\.', html)


def test_pdf_standards_are_read_as_quarto_reads_them_and_others_warned_in_its_words():
    from report.sources import diagnostics
    from report.sources.formats import pdf_standards

    with diagnostics.collecting() as collector:
        assert pdf_standards({"pdf-standard": ["PDF/A-2b", "pdfua-1", 2, "x-4"]}, "doc.qmd") == ["a-2b", "ua-1", "2.0"]
    assert [str(item).split(" (typst")[0] for item in collector.warnings] == [
        "doc.qmd: PDF standard 'x-4' is not supported by Typst and will be ignored"]


def test_a_callout_id_without_a_reference_category_is_warned_about_in_typst(tmp_path):
    body = "::: {#willekeurig-id .callout-note}\n## Let op\nTekst.\n:::\n\n::: {#nte-goed .callout-tip}\nTip.\n:::\n"
    warnings: list[str] = []
    typ, text = render_typst(tmp_path, "", body, warnings=warnings)
    assert warnings == [
        "stelling.qmd:6: Callout ID 'willekeurig-id' has unknown reference type 'willekeurig'. Rendering as regular "
        "callout without cross-reference support."]
    assert re.search(r"#callout\(\s*body:", typ) and "Let op" in text


BIB_A = "@book{jansen1951, author = {Jansen, Piet}, title = {Over meten}, year = {1951}, publisher = {Boom}}\n"
BIB_B = "@book{vries1960, author = {Vries, Anna de}, title = {Over tellen}, year = {1960}, publisher = {Boom}}\n"


def test_typst_cites_with_its_own_bibliography_by_default_as_quarto(tmp_path):
    (tmp_path / "bronnen").mkdir()
    (tmp_path / "bronnen" / "a.bib").write_text(BIB_A, encoding="utf-8")
    (tmp_path / "b.bib").write_text(BIB_B, encoding="utf-8")
    front = "bibliography:\n  - ./bronnen/a.bib\n  - b.bib\nbibliographystyle: chicago-author-date\n"
    typ, text = render_typst(tmp_path, front, "Zie @jansen1951 en [@vries1960, p. 4].\n")
    assert '#cite(<jansen1951>, form: "prose")' in typ and "@vries1960[#box[p. 4]]" in typ
    assert typ.rstrip().endswith('#set bibliography(style: "chicago-author-date")\n\n'
                                 '#bibliography(("./bronnen/a.bib","b.bib"))')
    assert "<refs>" not in typ and "ref-jansen1951" not in typ
    # typst itself resolved both files: the citations and its own reference list in the PDF
    assert "Zie Jansen (1951) en (Vries 1960, p. 4)." in text  # typst's own rendering (title case its own)
    assert "Bibliography\nJansen, Piet. 1951. Over Meten. Boom.\nVries, Anna de. 1960. Over Tellen. Boom." in text


def test_a_csl_file_is_typsts_bibliography_style(tmp_path):
    (tmp_path / "a.bib").write_text(BIB_A, encoding="utf-8")
    csl = Path(__file__).parent / "fixtures" / "minibook" / "minimal.csl"
    (tmp_path / "stijl.csl").write_bytes(csl.read_bytes())
    typ, text = render_typst(tmp_path, "bibliography: a.bib\ncsl: stijl.csl\n", "Zie @jansen1951.\n")
    assert '#set bibliography(style: "stijl.csl")' in typ and '#bibliography(("a.bib"))' in typ
    assert "Jansen" in text


def test_without_citations_no_bibliography_and_citeproc_true_keeps_citeproc(tmp_path):
    (tmp_path / "a.bib").write_text(BIB_A, encoding="utf-8")
    typ, _text = render_typst(tmp_path, "bibliography: a.bib\n", "Geen citaten.\n")
    assert "#bibliography(" not in typ
    typ, text = render_typst(tmp_path, "bibliography: a.bib\nciteproc: true\n", "Zie @jansen1951.\n")
    assert "#cite(" not in typ and "#bibliography(" not in typ and "Jansen (1951)" in text


EQUATIONS = """Inline $x^2$.

$$
E = mc^2
$$ {#eq-energie}

$$ F = ma $$ {#eq-kracht alt='Newton\\'s "tweede" wet'}

$$ a = b $$ {#eq-ruimte alt = "a is b"}

Zie @eq-energie, @eq-kracht en @eq-ruimte.
"""


def test_numbered_equations_are_quartos_math_equation_with_the_alt_text_given(tmp_path):
    typ, text = render_typst(tmp_path, "", EQUATIONS)
    assert '#let equation-numbering = "(1)"' in typ
    assert "#math.equation(block: true, numbering: equation-numbering, [ $ E = m c^2 $ ])<eq-energie>" in typ
    assert ('#math.equation(block: true, numbering: equation-numbering, alt: "Newton\'s \\"tweede\\" wet", '
            '[ $ F = m a $ ])<eq-kracht>') in typ
    assert 'alt: "a is b", [ $ a = b $ ])<eq-ruimte>' in typ
    assert "Inline $x^2$." in typ  # other math is pandoc's own, without alt text
    assert re.search(r"𝐹 = 𝑚𝑎\s*\(2\)", text) and "Zie Vergelijking 2" not in text
    assert "(1), (2) en (3)" not in text and "Equation 1, Equation 2 en Equation 3" in text.replace("\n", " ")


def test_math_without_alt_text_is_an_error_where_pdf_ua_is_requested(tmp_path):
    body = "$$ F = ma $$ {#eq-kracht alt=\"Newtons wet\"}\n\nDe energie $E = mc^2$ telt.\n"
    with pytest.raises(ReportError) as caught:
        render_typst(tmp_path, "pdf-standard: ua-1\n", body)
    assert str(caught.value) == ("stelling.qmd:9: equation 'E = mc^2': missing alt text, which PDF/UA-1 requires "
                                 "(typst has none for math; give a numbered display equation one with "
                                 "{#eq-label alt=\"...\"})")
    assert not (tmp_path / "stelling.pdf").exists()
    typ, text = render_typst(tmp_path, "pdf-standard: ua-1\n", "$$ F = ma $$ {#eq-kracht alt=\"Newtons wet\"}\n")
    assert 'alt: "Newtons wet"' in typ and "𝐹 = 𝑚𝑎" in text


def test_a_placeholder_as_an_images_address_is_its_data_uri_and_typst_shows_it(tmp_path):
    body = ("::: {#fig-grijs}\n![]({{< placeholder 30 20 >}}){fig-alt=\"Een grijs vlak.\"}\n\nEen grijs vlak\n:::\n\n"
            "Zie @fig-grijs.\n")
    typ, text = render_typst(tmp_path, "", body)
    # as Quarto: the data: URI becomes a file in the document's mediabag, which typst reads
    assert re.search(r'#image\("stelling_files/mediabag/[\w-]+\.png", alt: "Een grijs vlak\."\)', typ)
    assert "Figure 1: Een grijs vlak" in text and "Zie Figure 1." in text
    source = tmp_path / "grijs.qmd"
    source.write_text("---\ntitle: Grijs\n---\n\n![Grijs]({{< placeholder 30 20 >}})\n", encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    assert re.search(r'<img src="data:image/png;base64,[^"]+"', source.with_suffix(".html").read_text(encoding="utf-8"))


CALLOUTS = """::: {#nte-let-op .callout-note}
## Let op
Een opmerking.
:::

::: {#wrn-zonder .callout-warning}
Geen eigen titel.
:::

Zie @nte-let-op en @wrn-zonder.
"""


def test_callouts_labelled_as_references_are_numbered_figures_in_typst(tmp_path):
    typ, text = render_typst(tmp_path, "lang: nl\n", CALLOUTS)
    assert re.search(r'#figure\(\[\n#block\[\n#callout\(\nbody: \n\[\nEen opmerking\.', typ)
    assert ('], kind: "quarto-callout-Note", supplement: "Opmerking", numbering: n => "1")<nte-let-op>' in typ)
    assert "#ref(<nte-let-op>, supplement: [Opmerking])" in typ and "#ref(<wrn-zonder>, supplement: [Waarschuwing])" in typ
    assert "Opmerking 1: Let op" in text and "Waarschuwing 1\n" in text
    assert "Zie Opmerking 1 en Waarschuwing 1." in text


def test_callouts_labelled_as_references_carry_their_id_and_number_in_html(tmp_path):
    source = tmp_path / "opmerking.qmd"
    source.write_text(f"---\ntitle: Opmerking\nlang: nl\n---\n\n{CALLOUTS}", encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    html = source.with_suffix(".html").read_text(encoding="utf-8")
    assert re.search(r'<div id="nte-let-op" class="callout callout-style-default callout-note callout-titled">', html)
    assert "Opmerking&nbsp;1: Let op" in html or "Opmerking\xa01: Let op" in html
    assert re.search(r'<a href="#nte-let-op" class="quarto-xref">Opmerking(&nbsp;|\xa0)1</a>', html)
    assert re.search(r'<a href="#wrn-zonder" class="quarto-xref">Waarschuwing(&nbsp;|\xa0)1</a>', html)


def test_an_algorithm_is_a_theorem_kind_of_its_own(tmp_path):
    typ, text = render_typst(tmp_path, "format:\n  typst:\n    theorem-appearance: clouds\n",
                             "::: {#alg-sorteer}\n## Sorteren\nVergelijk en wissel.\n:::\n\nZie @alg-sorteer.\n")
    assert "#let (algorithm-counter, algorithm-box, algorithm, show-algorithm) = make-frame(" in typ
    assert "render: clouds-render.with(fill: maroon.lighten(85%))" in typ
    assert "#algorithm(title: [Sorteren])[" in typ and "#ref(<alg-sorteer>, supplement: [Algorithm])" in typ
    assert "Zie Algorithm 1." in text
