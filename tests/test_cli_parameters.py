"""Parameters as Quarto and papermill pass them to Jupyter: the cell tagged `parameters` holds the defaults, a cell
tagged `injected-parameters` follows it with the given values; and `--params-matrix`, one rendering per CSV row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render
from report.cli import main
from report.errors import ReportError
from report.sources.parameters import injected_code, parse_parameter
from report.sources.params_matrix import read_params_matrix

FACTSHEET = """---
title: Factsheet
---

```{python}
#| tags: [parameters]
gemeente = "Utrecht"
inwoners = 1000
```

```{python}
print(f"{gemeente} telt {inwoners * 2} inwoners")
```
"""

HTML = ("html",)


def _cells(page: Path) -> list[list[str]]:
    """The text of every code block and output of each cell, in order."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [[block.get_text() for block in cell.select("pre")] for cell in soup.select("div.cell")]


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_given_values_are_injected_in_a_cell_right_after_the_parameters_cell(tmp_path):
    source = _write(tmp_path, "factsheet.qmd", FACTSHEET)
    result = render(source, RenderOptions(formats=HTML, params={"gemeente": "Zwolle", "inwoners": 21}))
    assert result.warnings == ()
    assert _cells(tmp_path / "factsheet.html") == [
        ['gemeente = "Utrecht"\ninwoners = 1000'],
        ['# Injected Parameters\ngemeente = "Zwolle"\ninwoners = 21'],
        ['print(f"{gemeente} telt {inwoners * 2} inwoners")', "Zwolle telt 42 inwoners"]]


def test_values_are_read_as_yaml_and_written_as_python_literals():
    values = dict(parse_parameter(text) for text in (
        "tekst:Zwolle", "getal:3", "kommagetal=0.5", "waar:true", "leeg:", "lijst:[1, a]", "paar:{a: 1}",
        "datum:2024-01-31", "aanhaling:'3'", "zin:zeg \"hoi\""))
    assert injected_code(values) == (
        "# Injected Parameters\n"
        'tekst = "Zwolle"\ngetal = 3\nkommagetal = 0.5\nwaar = True\nleeg = None\nlijst = [1, "a"]\n'
        'paar = {"a": 1}\ndatum = "2024-01-31"\naanhaling = "3"\nzin = "zeg \\"hoi\\""\n')


def test_without_values_the_document_renders_with_its_defaults_and_no_injected_cell(tmp_path):
    source = _write(tmp_path, "factsheet.qmd", FACTSHEET)
    render(source, RenderOptions(formats=HTML))
    cells = _cells(tmp_path / "factsheet.html")
    assert len(cells) == 2 and cells[1][1] == "Utrecht telt 2000 inwoners"


def test_the_injected_cell_is_hidden_where_the_parameters_cell_is(tmp_path):
    source = _write(tmp_path, "verborgen.qmd", FACTSHEET.replace("#| tags: [parameters]",
                                                                 "#| tags: [parameters]\n#| include: false"))
    render(source, RenderOptions(formats=HTML, params={"gemeente": "Ede"}))
    assert _cells(tmp_path / "verborgen.html") == [
        ['print(f"{gemeente} telt {inwoners * 2} inwoners")', "Ede telt 2000 inwoners"]]


def test_a_value_the_document_does_not_declare_is_a_warning_naming_it_and_the_file(tmp_path):
    source = _write(tmp_path, "factsheet.qmd", FACTSHEET)
    result = render(source, RenderOptions(formats=HTML, params={"gemeente": "Ede", "regio": "Oost"}))
    assert [str(warning) for warning in result.warnings] == [
        "factsheet.qmd:5: parameter 'regio' is not declared in the cell tagged 'parameters'; its value is injected "
        "anyway"]
    assert _cells(tmp_path / "factsheet.html")[1] == ['# Injected Parameters\ngemeente = "Ede"\nregio = "Oost"']


def test_a_document_without_a_parameters_cell_gets_no_values_and_a_warning_per_value(tmp_path):
    source = _write(tmp_path, "los.qmd", "---\ntitle: Los\n---\n\n```{python}\ngemeente = 'Ede'\nprint(gemeente)\n```\n")
    result = render(source, RenderOptions(formats=HTML, params={"gemeente": "Zwolle"}))
    assert [str(warning) for warning in result.warnings] == [
        "los.qmd: parameter 'gemeente' is not declared: the document has no cell tagged 'parameters', so no value "
        "is injected (as in Quarto)"]
    assert _cells(tmp_path / "los.html")[0][1] == "Ede"


def test_front_matter_params_are_metadata_for_jupyter_as_quarto_documents(tmp_path):
    source = _write(tmp_path, "yaml.qmd", "---\ntitle: Yaml\nparams:\n  gemeente: Ede\n---\n\n"
                                          "Standaard {{< meta params.gemeente >}}.\n\n```{python}\nprint(1)\n```\n")
    result = render(source, RenderOptions(formats=HTML, params={"gemeente": "Zwolle"}))
    assert [str(warning) for warning in result.warnings] == [
        "yaml.qmd: parameter 'gemeente' is not declared: the document has no cell tagged 'parameters', so no value "
        "is injected (as in Quarto); front matter 'params:' declares parameters for Knitr and Julia, Jupyter reads "
        "a cell tagged 'parameters'"]
    assert "Standaard Ede." in (tmp_path / "yaml.html").read_text(encoding="utf-8")


def test_a_parameter_name_that_python_cannot_assign_is_an_error(tmp_path):
    source = _write(tmp_path, "factsheet.qmd", FACTSHEET)
    with pytest.raises(ReportError) as caught:
        render(source, RenderOptions(formats=HTML, params={"aantal-inwoners": 3}))
    assert str(caught.value) == "factsheet.qmd: parameter 'aantal-inwoners' is not a Python name, so no cell can assign it"


def test_the_execution_cache_keys_on_the_injected_values(tmp_path):
    # `cache: true` lets the engine reuse results at all (Quarto's default re-executes on every render)
    source = _write(tmp_path, "factsheet.qmd", FACTSHEET.replace("---\n", "---\nexecute:\n  cache: true\n", 1))
    first = render(source, RenderOptions(formats=HTML, params={"inwoners": 1}))
    assert _cells(tmp_path / "factsheet.html")[2][1] == "Utrecht telt 2 inwoners"
    second = render(source, RenderOptions(formats=HTML, params={"inwoners": 2}))
    assert _cells(tmp_path / "factsheet.html")[2][1] == "Utrecht telt 4 inwoners"
    again = render(source, RenderOptions(formats=HTML, params={"inwoners": 1}))
    assert _cells(tmp_path / "factsheet.html")[2][1] == "Utrecht telt 2 inwoners"
    assert first.executed and second.executed, "other values: the document runs"
    assert again.executed == (), "the same values again: the cached results of that render"


def test_a_notebook_cell_tagged_in_its_metadata_is_the_parameters_cell(tmp_path):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    notebook.cells = [
        nbformat.v4.new_raw_cell("---\ntitle: Notebook\nexecute:\n  enabled: true\n---"),
        nbformat.v4.new_code_cell("jaar = 2020", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(jaar + 1)"),
    ]
    source = tmp_path / "notebook.ipynb"
    source.write_text(json.dumps(notebook), encoding="utf-8")
    render(source, RenderOptions(formats=HTML, params={"jaar": 2030}))
    assert _cells(tmp_path / "notebook.html") == [
        ["jaar = 2020"], ["# Injected Parameters\njaar = 2030"], ["print(jaar + 1)", "2031"]]


MATRIX = "output,gemeente,inwoners\nzwolle,Zwolle,5\nde bilt,De Bilt,7\n"


def test_params_matrix_renders_one_output_per_row_into_its_own_folder(tmp_path, capsys):
    source = _write(tmp_path, "factsheet.qmd", FACTSHEET)
    _write(tmp_path, "gemeenten.csv", MATRIX)
    code = main(["render", str(source), "--to", "html", "--engine", "embedded",
                 "--params-matrix", str(tmp_path / "gemeenten.csv"), "--output-dir", str(tmp_path / "bladen")])
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Output created: {tmp_path / 'bladen' / 'zwolle' / 'factsheet.html'}",
        f"Output created: {tmp_path / 'bladen' / 'de-bilt' / 'factsheet.html'}"]
    assert _cells(tmp_path / "bladen" / "zwolle" / "factsheet.html")[2][1] == "Zwolle telt 10 inwoners"
    assert _cells(tmp_path / "bladen" / "de-bilt" / "factsheet.html")[2][1] == "De Bilt telt 14 inwoners"
    assert not (tmp_path / "factsheet.html").exists()


def test_params_matrix_rows_without_an_output_column_are_named_from_their_values(tmp_path):
    matrix = _write(tmp_path, "m.csv", "gemeente,jaar,aandeel,land,actief,leeg\n"
                                       "'s-Hertogenbosch,2024,0.5,NO,true,\nZwolle,2025,-1e3,nl,False,x\n")
    rows = read_params_matrix(matrix)
    assert [(row.folder, row.params, row.line) for row in rows] == [
        ("s-hertogenbosch-2024-0-5-no-true", {"gemeente": "'s-Hertogenbosch", "jaar": 2024, "aandeel": 0.5,
                                              "land": "NO", "actief": True, "leeg": None}, 2),
        ("zwolle-2025-1e3-nl-false-x", {"gemeente": "Zwolle", "jaar": 2025, "aandeel": -1000.0, "land": "nl",
                                        "actief": False, "leeg": "x"}, 3)]


@pytest.mark.parametrize(("text", "message"), [
    ("", "m.csv:1: the file is empty: the first row must name the parameters"),
    ("gemeente,aantal inwoners\nEde,3\n", "m.csv:1: column 2 ('aantal inwoners') is not a parameter name: a parameter "
                                          "is a Python name (letters, digits and _, not starting with a digit)"),
    ("gemeente,gemeente\nEde,Ede\n", "m.csv:1: column 'gemeente' appears twice in the header"),
    ("output\nede\n", "m.csv:1: the header names no parameter"),
    ("gemeente\n", "m.csv:1: the file has a header but no rows"),
    ("gemeente,jaar\nEde,2024\nZwolle\n", "m.csv:3: row 3 has 1 values for 2 columns"),
    ("output,gemeente\nede,Ede\nEDE,Ede2\n", "m.csv:3: row 3 renders into folder 'ede', as row 2 does; give each row "
                                              "its own 'output'"),
    ("output,gemeente\n--,Ede\n", "m.csv:2: row 2 gives no folder name ('--'): fill in its 'output' column with "
                                  "letters or digits"),
])
def test_a_bad_params_matrix_is_an_error_naming_file_and_row(tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "m.csv", text)
    with pytest.raises(ReportError) as caught:
        read_params_matrix(Path("m.csv"))
    assert str(caught.value) == message


def test_params_matrix_needs_a_document_and_an_existing_file(tmp_path, capsys):
    source = _write(tmp_path, "factsheet.qmd", FACTSHEET)
    assert main(["render", str(tmp_path), "--engine", "embedded", "--params-matrix", "m.csv"]) == 1
    assert capsys.readouterr().err.strip() == \
        "error: --params-matrix renders one document: name a .qmd, .md or .ipynb file"
    assert main(["render", str(source), "--engine", "embedded", "--params-matrix", str(tmp_path / "geen.csv")]) == 1
    assert capsys.readouterr().err.strip() == f"error: --params-matrix: the file '{tmp_path / 'geen.csv'}' does not exist"
