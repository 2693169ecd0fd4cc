"""Quarto's configuration model: exact messages for type errors, typo warnings and ignored options."""

from pathlib import Path

import pytest

from report.errors import ReportError
from report.sources import diagnostics
from report.sources.project import load_project
from report.sources.qmd import parse_qmd

BOOK = """project:
  type: book
book:
  title: "Boek"
  chapters:
    - index.qmd
format:
  html:
    number-sections: true
"""


def project_error(tmp_path: Path, text: str) -> str:
    (tmp_path / "_quarto.yml").write_text(text, encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Start {#sec-start}\n", encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        load_project(tmp_path)
    return str(caught.value)


def project_warnings(tmp_path: Path, text: str, strict: bool = False) -> list[str]:
    (tmp_path / "_quarto.yml").write_text(text, encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Start {#sec-start}\n", encoding="utf-8")
    with diagnostics.collecting(strict=strict) as collector:
        load_project(tmp_path)
    return [str(item) for item in collector.warnings]


def test_valid_book_loads(tmp_path):
    (tmp_path / "_quarto.yml").write_text(BOOK, encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Start {#sec-start}\n", encoding="utf-8")
    project = load_project(tmp_path)
    assert [entry.path.as_posix() for entry in project.chapters] == ["index.qmd"]
    assert project.output_file == "boek"


def test_typo_in_format_option_is_a_warning_naming_line_and_suggestion(tmp_path):
    assert project_warnings(tmp_path, BOOK.replace("number-sections", "nuber-sections")) == [
        "_quarto.yml:9: unknown option 'format.html.nuber-sections' in project configuration is kept as metadata "
        "(did you mean 'number-sections'?)"]


def test_typo_at_top_level_is_a_warning_and_the_key_stays_metadata(tmp_path):
    assert project_warnings(tmp_path, BOOK + "bibliograpy: refs.bib\n") == [
        "_quarto.yml:10: unknown option 'bibliograpy' in project configuration is kept as metadata "
        "(did you mean 'bibliography'?)"]
    assert load_project(tmp_path).metadata["bibliograpy"] == "refs.bib"


def test_typo_is_an_error_in_strict_mode(tmp_path):
    with pytest.raises(ReportError) as caught:
        project_warnings(tmp_path, BOOK.replace("number-sections", "nuber-sections"), strict=True)
    assert str(caught.value) == ("_quarto.yml:9: unknown option 'format.html.nuber-sections' in project "
                                 "configuration is kept as metadata (did you mean 'number-sections'?) "
                                 "(strict mode: warnings are errors)")


def test_own_metadata_far_from_any_option_is_silent(tmp_path):
    assert project_warnings(tmp_path, BOOK + "opdrachtgever: Ministerie\nproject-code: NWB-2024\n") == []
    assert load_project(tmp_path).metadata["opdrachtgever"] == "Ministerie"


def test_option_quarto_knows_but_the_engine_does_not_is_a_warning(tmp_path):
    text = BOOK + "    toc-location: left\ncode-tools: true\n"
    assert project_warnings(tmp_path, text) == [
        "_quarto.yml:10: option 'format.html.toc-location' is ignored by the embedded engine",
        "_quarto.yml:11: option 'code-tools' is ignored by the embedded engine"]


def test_editor_settings_need_nothing_from_a_renderer(tmp_path):
    assert project_warnings(tmp_path, BOOK + "editor: visual\n") == []


def test_malformed_yaml_names_file_and_line(tmp_path):
    message = project_error(tmp_path, BOOK.replace('  title: "Boek"', '  title: "Boek'))
    assert message.startswith("_quarto.yml:")
    assert "malformed YAML" in message


def test_duplicate_key_is_an_error(tmp_path):
    message = project_error(tmp_path, BOOK + "lang: nl\nlang: en\n")
    assert message == "_quarto.yml:11: duplicate key 'lang'"


def test_missing_chapter_file(tmp_path):
    message = project_error(tmp_path, BOOK.replace("    - index.qmd", "    - index.qmd\n    - chapters/weg.qmd"))
    assert message == "_quarto.yml:3: chapter 'chapters/weg.qmd' does not exist"


def test_wrong_value_type(tmp_path):
    message = project_error(tmp_path, BOOK.replace("number-sections: true", "number-sections: misschien"))
    assert message == ("_quarto.yml:9: invalid value for 'format.html.number-sections' in project configuration: "
                       "misschien given, expected true or false")


def test_unknown_enum_value(tmp_path):
    message = project_error(tmp_path, BOOK + "    toc-location: midden\n")
    assert message == ("_quarto.yml:10: invalid value for 'format.html.toc-location' in project configuration: "
                       "midden given, expected one of body, left, right, left-body, right-body")


def test_a_constraint_of_the_engine_still_applies_to_implemented_options(tmp_path):
    message = project_error(tmp_path, BOOK + "    toc-depth: 0\n")
    assert message.startswith("_quarto.yml:10: invalid value for 'format.html.toc-depth' in project configuration: "
                              "Input should be greater than or equal to 1")


@pytest.mark.parametrize("value", ['"Ada"', '["Ada", "Bob"]',
                                   '\n  - name: Ada\n    affiliations:\n      - name: Universiteit Utrecht'])
def test_every_author_form_quarto_accepts(tmp_path, value):
    assert project_warnings(tmp_path, BOOK + f"author: {value}\n") == []


@pytest.mark.parametrize("value", ["refs.bib", "[a.bib, b.bib]"])
def test_bibliography_as_string_or_list(tmp_path, value):
    assert project_warnings(tmp_path, BOOK + f"bibliography: {value}\n") == []


def test_unknown_cell_option_is_a_warning():
    text = "# T {#sec-t}\n\n```{python}\n#| label: fig-a\n#| fig-cpa: cap\n1\n```\n"
    with diagnostics.collecting() as collector:
        doc = parse_qmd(text, Path("doc.qmd"))
    assert [str(item) for item in collector.warnings] == [
        "doc.qmd:5: unknown option 'fig-cpa' in cell options is kept as metadata (did you mean 'fig-cap'?)"]
    assert doc.cells[0].options.label == "fig-a"


def test_wrong_type_of_cell_option():
    text = "# T {#sec-t}\n\n```{python}\n#| echo: soms\n1\n```\n"
    with pytest.raises(ReportError) as caught:
        parse_qmd(text, Path("doc.qmd"))
    assert str(caught.value) == ("doc.qmd:4: invalid value for 'echo' in cell options: soms given, "
                                 "expected true or false or fenced")


def test_malformed_front_matter_names_line():
    text = "---\ntitle: [unclosed\n---\n\n# T\n"
    with pytest.raises(ReportError) as caught:
        parse_qmd(text, Path("doc.qmd"))
    assert str(caught.value).startswith("doc.qmd:")
    assert "malformed YAML" in str(caught.value)


@pytest.mark.parametrize(("source", "message"), [
    ("# T\n\n```{python}\n1\n",
     "doc.qmd:3: code block opened with ``` is never closed"),
])
def test_unsupported_syntax_is_rejected(source, message):
    with pytest.raises(ReportError) as caught:
        parse_qmd(source, Path("doc.qmd"))
    assert str(caught.value) == message


def test_code_fence_showing_cell_syntax_is_not_executed():
    text = "# T\n\n````markdown\n```{python}\n1/0\n```\n````\n"
    doc = parse_qmd(text, Path("doc.qmd"))
    assert doc.cells == ()


@pytest.mark.parametrize(("source", "message", "shown"), [
    ("# T\n\n```{r}\n#| echo: true\nsummary(cars)\n```\n",
     "doc.qmd:3: cell language '{r}' is not run by the embedded engine, which runs {python} cells; the cell is "
     "shown as code (render with quarto for its output)", "```{.r}\nsummary(cars)\n```"),
    ("# T\n\nHet gemiddelde is `{r} mean(x)` en `{r} sd(x)`.\n",
     "doc.qmd:3: inline code '{r}' is not run by the embedded engine, which runs {python}; it is shown as code "
     "(render with quarto for its value)", "`{r} mean(x)`"),
])
def test_code_in_another_language_is_shown_with_a_warning(source, message, shown):
    with diagnostics.collecting() as collector:
        doc = parse_qmd(source, Path("doc.qmd"))
    assert [str(warning) for warning in collector.warnings] == [message]
    assert doc.cells == ()
    assert shown in "".join(chunk.text for chunk in doc.chunks)
    with pytest.raises(ReportError) as caught, diagnostics.collecting(strict=True):
        parse_qmd(source, Path("doc.qmd"))
    assert str(caught.value) == message + " (strict mode: warnings are errors)"
