"""`language:` (Quarto's translation keys over the document language's), `from:` (the Markdown reader) and
warnings worded as Quarto's log words them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from report.build import RenderOptions, render
from report.errors import ReportError


def render_html(folder: Path, front: str, body: str, files: dict[str, str] | None = None) -> str:
    """The <main> of a single document rendered to HTML (``files``: more files beside it)."""
    for name, text in (files or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    source = folder / "doc.qmd"
    source.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    page = source.with_suffix(".html").read_text(encoding="utf-8")
    return page[page.index("<main"):page.index("</main>")].replace("&nbsp;", " ")


CALLOUTS = "::: {#tip-een .callout-tip}\nTekst.\n:::\n\n::: {.callout-tip}\nMeer tekst.\n:::\n\nZie @tip-een.\n"


# --- language: ----------------------------------------------------------------------------------------------

def test_language_keys_rename_callout_titles_and_a_reference_prefix(tmp_path):
    main = render_html(tmp_path, 'language:\n  callout-tip-title: "Wenk"\n  crossref-tip-prefix: "Notitie"\n',
                       CALLOUTS)
    # the untitled callout shows the kind's title, the numbered one its title and number; a reference its prefix
    assert re.search(r'class="callout-title-container[^"]*">\s*Wenk\s*</div>', main)
    assert "Wenk 1" in main
    assert re.search(r'<a href="#tip-een" class="quarto-xref">Notitie 1</a>', main)


def test_without_language_the_document_language_names_them(tmp_path):
    main = render_html(tmp_path, "lang: nl\n", CALLOUTS)
    assert "Tip 1" in main and "Wenk" not in main and "Notitie" not in main


def test_crossref_titles_of_every_kind_come_from_language_and_crossref_options_win(tmp_path):
    body = ("::: {#thm-a}\nEen stelling.\n:::\n\n$$x = 1$$ {#eq-a}\n\n"
            "![Bijschrift](plaatje.png){#fig-a}\n\nZie @thm-a, @eq-a en @fig-a.\n")
    front = ('lang: nl\nlanguage:\n  crossref-thm-title: "Satz"\n  crossref-eq-prefix: "Formule"\n'
             '  crossref-fig-title: "Afbeelding"\ncrossref:\n  fig-title: "Plaatje"\n')
    main = render_html(tmp_path, front, body, {"plaatje.png": ""})
    assert "Satz 1" in main and "Formule 1" in main
    assert "Plaatje 1" in main and "Afbeelding" not in main  # crossref: fig-title over language:


def test_a_sub_map_for_the_language_applies_from_the_most_general_subtag(tmp_path):
    front = ('lang: fr-CA\nlanguage:\n  callout-tip-title: "Partout"\n  fr:\n    callout-tip-title: "Astuce FR"\n'
             '    crossref-tip-prefix: "Voir"\n  fr-CA:\n    callout-tip-title: "Astuce CA"\n'
             '  de:\n    callout-tip-title: "Hinweis"\n')
    main = render_html(tmp_path, front, CALLOUTS)
    assert "Astuce CA 1" in main and "Voir 1" in main
    assert "Partout" not in main and "Hinweis" not in main and "Astuce FR" not in main


def test_a_language_file_with_its_variations_is_read_beside_the_file_naming_it(tmp_path):
    files = {"vertaling.yml": 'title-block-author-single: "Schrijver"\ncallout-tip-title: "Algemeen"\n',
             "vertaling-nl.yml": 'callout-tip-title: "Wenk"\n',
             "vertaling-de.yml": 'callout-tip-title: "Hinweis"\n'}
    main = render_html(tmp_path, "title: Titel\nauthor: Ada\nlang: nl\nlanguage: vertaling.yml\n", CALLOUTS, files)
    assert "Schrijver" in main and "Wenk 1" in main
    assert "Algemeen" not in main and "Hinweis" not in main


def test_language_at_project_level_and_in_the_front_matter_merge_key_by_key(tmp_path):
    (tmp_path / "_quarto.yml").write_text('project:\n  type: default\nlanguage:\n  callout-tip-title: "Wenk"\n'
                                          '  crossref-tip-prefix: "Notitie"\n', encoding="utf-8")
    main = render_html(tmp_path, 'language:\n  crossref-tip-prefix: "Kijk"\n', CALLOUTS)
    assert "Wenk 1" in main and "Kijk 1" in main and "Notitie" not in main


def test_a_missing_language_file_is_an_error_naming_the_file(tmp_path):
    with pytest.raises(ReportError, match=r"language file 'weg\.yml' does not exist") as error:
        render_html(tmp_path, "language: weg.yml\n", "Tekst.\n")
    assert error.value.path.name == "doc.qmd"


def test_a_language_file_that_is_not_a_mapping_is_an_error_naming_it(tmp_path):
    with pytest.raises(ReportError, match="a language file is a mapping of translations") as error:
        render_html(tmp_path, "language: lijst.yml\n", "Tekst.\n", {"lijst.yml": "- een\n- twee\n"})
    assert error.value.path.name == "lijst.yml"


def test_language_of_another_type_is_an_error(tmp_path):
    with pytest.raises(ReportError, match=r'invalid value for \'language\' in front matter: \["een", "twee"\] given, '
                                          'expected a file path or a mapping'):
        render_html(tmp_path, "language: [een, twee]\n", "Tekst.\n")


# --- from: --------------------------------------------------------------------------------------------------

def test_from_commonmark_x_reads_block_attributes_and_the_cells_still_render(tmp_path):
    body = ("{#citaat}\n> Een blokcitaat.\n\n```{python}\n#| echo: false\nprint('UIT' + 'VOER')\n```\n")
    main = render_html(tmp_path, "from: commonmark_x\n", body)
    assert '<blockquote id="citaat">' in main
    assert "UITVOER" in main


def test_from_extensions_are_added_and_taken_away(tmp_path):
    main = render_html(tmp_path, "from: markdown+emoji-smart\n", 'Blij :smile: en "recht" -- streepje.\n')
    assert "\N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES}" in main
    assert '"recht" -- streepje' in main or "&quot;recht&quot; -- streepje" in main
    default = render_html(tmp_path, "", 'Blij :smile: en "recht" -- streepje.\n')
    assert ":smile:" in default and "\u201crecht\u201d \u2013 streepje" in default


@pytest.mark.parametrize(("value", "message"), [
    ("docx", r"'from: docx' is not a Markdown reader; use one of markdown, "),
    ("markdown+bestaatniet", r"'from: markdown\+bestaatniet': the markdown reader has no extension 'bestaatniet'"),
])
def test_a_reader_that_is_not_markdown_or_an_unknown_extension_is_an_error(tmp_path, value, message):
    with pytest.raises(ReportError, match=message) as error:
        render_html(tmp_path, f"from: {value}\n", "Tekst.\n")
    assert error.value.path.name == "doc.qmd"


# --- warnings as Quarto's log words them ------------------------------------------------------------------------

def report_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "report", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_the_log_words_a_warning_as_quarto_does_and_an_error_as_before(tmp_path):
    (tmp_path / "doc.qmd").write_text("---\nformat: typst\n---\n\n::: {#willekeurig-id .callout-note}\n"
                                      "Tekst.\n:::\n", encoding="utf-8")
    done = report_cli("render", "doc.qmd", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert ("[report] WARNING (doc.qmd:5) Callout ID 'willekeurig-id' has unknown reference type 'willekeurig'. "
            "Rendering as regular callout without cross-reference support.\n") in done.stderr
    assert done.stderr.strip().endswith("1 warning")
    assert (tmp_path / "doc.pdf").is_file()
    (tmp_path / "fout.qmd").write_text("---\ncrossref: 3\n---\n\nTekst.\n", encoding="utf-8")
    failed = report_cli("render", "fout.qmd", cwd=tmp_path)
    assert failed.returncode != 0
    assert failed.stderr.strip().splitlines()[-1].startswith("error: fout.qmd:2: invalid value for 'crossref'")


def test_a_warning_without_a_place_is_worded_warning_colon():
    from report.sources.diagnostics import Warning as SourceWarning

    assert SourceWarning(None, None, "iets").logged == "WARNING: iets"
    assert SourceWarning(Path("a/b.qmd"), None, "iets").logged == "WARNING (a/b.qmd) iets"
    assert SourceWarning(Path("b.qmd"), 4, "iets").logged == "WARNING (b.qmd:4) iets"


# --- crossref keys Quarto's schema accepts ------------------------------------------------------------------------

def test_list_titles_follow_crossref_over_language_in_the_pdf(tmp_path):
    source = tmp_path / "doc.qmd"
    source.write_text("---\nformat: typst\nkeep-typ: true\nlof: true\nlot: true\nlanguage:\n"
                      '  crossref-lof-title: "Afbeeldingen"\n  crossref-lot-title: "Tabellen"\n'
                      'crossref:\n  lot-title: "Overzicht van tabellen"\n---\n\nTekst.\n', encoding="utf-8")
    render(source, RenderOptions(formats=("typst",)))
    typ = source.with_suffix(".typ").read_text(encoding="utf-8")
    assert "lof_title: [Afbeeldingen]" in typ and "lot_title: [Overzicht van tabellen]" in typ


def test_custom_crossref_kinds_quarto_accepts_are_a_warning_not_a_refusal(tmp_path):
    source = tmp_path / "doc.qmd"
    source.write_text("---\ncrossref:\n  custom:\n    - kind: float\n      key: dino\n"
                      "      reference-prefix: Dinosaurus\n---\n\n::: {#dino-a}\nInhoud.\n\nBijschrift\n:::\n",
                      encoding="utf-8")
    result = render(source, RenderOptions(formats=("html",)))
    assert [str(item) for item in result.warnings] == [
        "doc.qmd: crossref option 'custom' is ignored by the embedded engine (custom cross-reference kinds are "
        "not rendered as floats)"]
    assert "Inhoud." in source.with_suffix(".html").read_text(encoding="utf-8")


def test_a_chapter_is_read_with_its_own_from(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nbook:\n  title: Boek\n  chapters:\n"
                                          "    - index.qmd\n    - blij.qmd\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Start\n\nGewoon :smile: gelezen.\n", encoding="utf-8")
    (tmp_path / "blij.qmd").write_text("---\nfrom: markdown+emoji\n---\n\n# Blij\n\nBlij :smile: gelezen.\n",
                                       encoding="utf-8")
    result = render(tmp_path, RenderOptions(formats=("html",)))
    assert result.warnings == ()
    pages = {path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "_book").glob("*.html")}
    assert "Gewoon :smile: gelezen" in pages["index.html"]
    assert ('Blij <span class="emoji" data-emoji="smile">\N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES}</span> '
            "gelezen") in pages["blij.html"]


def test_a_folded_cells_summary_is_the_languages_code_summary(tmp_path):
    body = "```{python}\n#| code-fold: true\nprint(1)\n```\n"
    assert "<summary>Kode</summary>" in render_html(tmp_path, "lang: da\n", body)
    assert "<summary>Bron</summary>" in render_html(tmp_path, 'language:\n  code-summary: "Bron"\n', body)
    assert "<summary>Eigen</summary>" in render_html(tmp_path, 'language:\n  code-summary: "Bron"\n'
                                                     "code-summary: Eigen\n", body)


def test_language_under_one_format_is_not_applied_to_the_others_and_is_a_warning(tmp_path):
    source = tmp_path / "doc.qmd"
    source.write_text("---\nformat:\n  html: default\n  typst:\n    language:\n      callout-tip-title: Wenk\n---\n\n"
                      + CALLOUTS, encoding="utf-8")
    result = render(source, RenderOptions(formats=("html", "typst")))
    assert [str(item) for item in result.warnings] == [
        "doc.qmd: option 'language' under 'format: typst:' in doc.qmd is not applied: the embedded engine runs and "
        "reads a document once for all its formats, with the options of 'html'"]
    assert "Wenk" not in source.with_suffix(".html").read_text(encoding="utf-8")


def test_an_empty_or_nested_value_is_not_a_translation():
    from report.sources.language import labels

    chosen = labels("en", {"callout-tip-title": None, "callout-note-title": ["a"], "crossref-fig-title": 7})
    assert (chosen["tip"], chosen["note"], chosen["fig"]) == ("Tip", "Note", "7")


def test_a_language_file_that_is_not_yaml_is_an_error_naming_file_and_line(tmp_path):
    with pytest.raises(ReportError, match="language file is not valid YAML") as error:
        render_html(tmp_path, "language: kapot.yml\n", "Tekst.\n",
                    {"kapot.yml": 'callout-tip-title: "Wenk"\ncallout-note-title: [open\n'})
    assert (error.value.path.name, error.value.line) == ("kapot.yml", 3)
