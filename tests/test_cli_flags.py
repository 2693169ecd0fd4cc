"""`report render` takes its flags as `quarto render` does: -P, --execute-params, --output (and '-'),
--output-dir for one document, --profile; a wrong or unknown flag gets render's own usage."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render
from report.cli import build_parser, main
from report.errors import ReportError

PARAMETRISED = """---
title: Factsheet
---

```{python}
#| tags: [parameters]
gemeente = "Utrecht"
jaar = 2020
```

```{python}
print(f"{gemeente}: {jaar + 1} ({type(jaar).__name__})")
```
"""

PLAIN = "---\ntitle: Kort\n---\n\nAlleen tekst.\n"


def _output_text(page: Path) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return " ".join(block.get_text() for block in soup.select(".cell-output"))


def _render_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["render", *argv, "--engine", "embedded"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _usage_error(capsys, *argv: str) -> list[str]:
    with pytest.raises(SystemExit) as exited:
        main(["render", *argv])
    assert exited.value.code == 2
    return capsys.readouterr().err.strip().splitlines()


def test_an_unknown_flag_gets_the_usage_of_render_not_of_every_command(capsys):
    lines = _usage_error(capsys, "doc.qmd", "--bogus")
    assert lines[0].startswith("usage: report render [-h]")
    assert lines[-1] == "report render: error: unrecognized arguments: --bogus"
    assert not any("{render," in line for line in lines)


def test_a_flag_missing_its_value_gets_the_usage_of_render(capsys):
    lines = _usage_error(capsys, "--execute-params")
    assert lines[0].startswith("usage: report render [-h]")
    assert lines[-1] == "report render: error: argument --execute-params: expected one argument"


def test_flags_are_never_abbreviated_so_output_is_not_output_dir(capsys):
    args = build_parser(["render"]).parse_args(["render", "doc.qmd", "--output", "x.html"])
    assert args.output == "x.html" and args.output_dir is None
    assert _usage_error(capsys, "doc.qmd", "--output-d", "out")[-1] == \
        "report render: error: unrecognized arguments: --output-d out"


def test_output_without_a_file_or_before_another_flag_means_stdout_as_in_quarto():
    parser = build_parser(["render"])
    assert parser.parse_args(["render", "doc.qmd", "--output"]).output == "-"
    assert parser.parse_args(["render", "doc.qmd", "-o", "-"]).output == "-"
    assert parser.parse_args(["render", "doc.qmd", "-o", "-", "--to", "html"]).output == "-"


def test_parameters_from_flags_and_a_file_reach_the_document(tmp_path, capsys):
    source = tmp_path / "factsheet.qmd"
    source.write_text(PARAMETRISED, encoding="utf-8")
    (tmp_path / "params.yml").write_text("gemeente: Deventer\njaar: 2010\n", encoding="utf-8")
    # -P wins over --execute-params, as Quarto merges them; the value is YAML (2024 is a number).
    code, out, _err = _render_cli(capsys, str(source), "--to", "html", "--execute-params",
                                  str(tmp_path / "params.yml"), "-P", "jaar:2024")
    assert code == 0
    assert out == f"Output created: {tmp_path / 'factsheet.html'}\n"
    assert "Deventer: 2025 (int)" in _output_text(tmp_path / "factsheet.html")
    code, _out, _err = _render_cli(capsys, str(source), "--to", "html", "-P", "gemeente=Zwolle",
                                   "--execute-param", "jaar:7")
    assert code == 0, "key=value is accepted as Quarto's parser does"
    assert "Zwolle: 8 (int)" in _output_text(tmp_path / "factsheet.html")


def test_a_quoted_yaml_value_stays_text(tmp_path):
    source = tmp_path / "tekst.qmd"
    source.write_text(PARAMETRISED.replace("jaar + 1", "jaar * 2"), encoding="utf-8")
    render(source, RenderOptions(formats=("html",), params={"jaar": "21"}))
    assert "Utrecht: 2121 (str)" in _output_text(tmp_path / "tekst.html")


def test_execute_params_that_are_not_a_mapping_or_missing_are_errors(tmp_path, capsys):
    source = tmp_path / "kort.qmd"
    source.write_text(PLAIN, encoding="utf-8")
    (tmp_path / "lijst.yml").write_text("- a\n- b\n", encoding="utf-8")
    code, _out, err = _render_cli(capsys, str(source), "--execute-params", str(tmp_path / "lijst.yml"))
    assert code == 1
    assert err.strip() == (f"error: {(tmp_path / 'lijst.yml').as_posix()}:1: --execute-params needs a YAML mapping "
                           "of parameter names to values")
    code, _out, err = _render_cli(capsys, str(source), "--execute-params", str(tmp_path / "geen.yml"))
    assert err.strip() == f"error: --execute-params: the file '{tmp_path / 'geen.yml'}' does not exist"
    code, _out, err = _render_cli(capsys, str(source), "-P", "zonder-waarde")
    assert err.strip() == "error: -P/--execute-param takes KEY:VALUE, got 'zonder-waarde'"


def test_output_names_a_single_documents_file_and_output_dir_its_folder(tmp_path, capsys):
    source = tmp_path / "kort.qmd"
    source.write_text(PLAIN, encoding="utf-8")
    code, out, _err = _render_cli(capsys, str(source), "--to", "html", "--output", "blad.html",
                                  "--output-dir", str(tmp_path / "uit"))
    assert code == 0 and out == f"Output created: {tmp_path / 'uit' / 'blad.html'}\n"
    assert "Alleen tekst." in (tmp_path / "uit" / "blad.html").read_text(encoding="utf-8")
    assert not (tmp_path / "kort.html").exists(), "--output-dir is no longer ignored for a single document"
    code, out, _err = _render_cli(capsys, str(source), "--to", "html", "--output", "zonder-extensie")
    assert out == f"Output created: {tmp_path / 'zonder-extensie.html'}\n", "the format's extension is added"


def test_output_misuse_is_an_error_that_says_what_to_do(tmp_path, capsys):
    source = tmp_path / "kort.qmd"
    source.write_text(PLAIN, encoding="utf-8")
    _code, _out, err = _render_cli(capsys, str(source), "--output", "sub/blad.html")
    assert err.strip() == ("error: --output 'sub/blad.html' names a path: it takes a file name only; use "
                           "--output-dir for the folder (as in Quarto)")
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\n", encoding="utf-8")
    _code, _out, err = _render_cli(capsys, str(tmp_path), "--output", "blad.html")
    assert err.strip() == ("error: --output 'blad.html' names the output file of one document; a project's output "
                           "goes to its output-dir (or --output-dir)")
    with pytest.raises(ReportError) as caught:
        render(source, RenderOptions(formats=("html", "typst"), output_file="blad.html"))
    assert caught.value.message == ("--output 'blad.html' names one file, but the document renders 2 formats "
                                    "(html, typst): choose one with --to")


def test_output_dash_writes_the_document_to_stdout_and_nothing_beside_it(tmp_path, capsys):
    source = tmp_path / "kort.qmd"
    source.write_text(PLAIN, encoding="utf-8")
    code, out, _err = _render_cli(capsys, str(source), "--to", "html", "--output", "-")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>") and "Alleen tekst." in out and "Output created" not in out
    assert sorted(path.name for path in tmp_path.iterdir() if not path.name.startswith(".")) == ["kort.qmd"]
    _code, _out, err = _render_cli(capsys, str(tmp_path), "--output", "-")
    assert err.strip() == "error: --output - renders one document: name a .qmd, .md or .ipynb file"


def test_output_names_the_pdf_too_and_keep_typ_follows_it(tmp_path):
    source = tmp_path / "kort.qmd"
    source.write_text(PLAIN.replace("title: Kort", "title: Kort\nkeep-typ: true"), encoding="utf-8")
    result = render(source, RenderOptions(formats=("typst",), output_file="verslag"))
    assert result.outputs == (tmp_path / "verslag.pdf",)
    assert (tmp_path / "verslag.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "verslag.typ").is_file() and not (tmp_path / "kort.pdf").exists()
