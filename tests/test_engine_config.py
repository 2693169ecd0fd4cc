"""Strict configuration: every bad _quarto.yml, front matter or cell option gets its own exact message."""

from pathlib import Path

import pytest

from report.errors import ReportError
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


def test_valid_book_loads(tmp_path):
    (tmp_path / "_quarto.yml").write_text(BOOK, encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Start {#sec-start}\n", encoding="utf-8")
    project = load_project(tmp_path)
    assert [entry.path.as_posix() for entry in project.chapters] == ["index.qmd"]
    assert project.output_file == "boek"


def test_typo_in_format_option_names_line_and_suggests(tmp_path):
    message = project_error(tmp_path, BOOK.replace("number-sections", "nuber-sections"))
    assert message.startswith("_quarto.yml:9: unknown key 'format.html.nuber-sections' in project configuration "
                              "(did you mean 'number-sections'?); the embedded engine supports: number-sections,")


def test_unknown_top_level_key(tmp_path):
    message = project_error(tmp_path, BOOK + "bibliografie: refs.bib\n")
    assert message.startswith("_quarto.yml:10: unknown key 'bibliografie' in project configuration "
                              "(did you mean 'bibliography'?)")


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
    assert message.startswith("_quarto.yml:9: invalid value for 'format.html.number-sections' in project "
                              "configuration: Input should be a valid boolean")


def test_unknown_cell_option():
    text = "# T {#sec-t}\n\n```{python}\n#| label: fig-a\n#| fig-cpa: cap\n1\n```\n"
    with pytest.raises(ReportError) as caught:
        parse_qmd(text, Path("doc.qmd"))
    assert str(caught.value).startswith("doc.qmd:5: unknown key 'fig-cpa' in cell options (did you mean 'fig-cap'?)")


def test_malformed_front_matter_names_line():
    text = "---\ntitle: [unclosed\n---\n\n# T\n"
    with pytest.raises(ReportError) as caught:
        parse_qmd(text, Path("doc.qmd"))
    assert str(caught.value).startswith("doc.qmd:")
    assert "malformed YAML" in str(caught.value)


@pytest.mark.parametrize(("source", "message"), [
    ("# T\n\n```{r}\n1\n```\n",
     "doc.qmd:3: unsupported cell language '{r}': the embedded engine runs only {python} cells"),
    ("# T\n\nText {{< lipsum 2 >}} here.\n",
     "doc.qmd:3: unknown shortcode 'lipsum' (known: include, meta, var, env, pagebreak, kbd, embed; write "
     "{{{< lipsum >}}} for the literal text)"),
    ("# T\n\n```{python echo=false}\n1\n```\n",
     "doc.qmd:3: cell options go in '#|' lines, not in the cell header ('{python echo=false}')"),
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
