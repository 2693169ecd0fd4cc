"""The compact Quarto option schema, its type checks, the typo distance and the warning collector."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from report.errors import ReportError
from report.sources import config, diagnostics
from report.sources.formats import pdf_standards, resolve_formats
from report.sources.option_status import status_table
from report.sources.options import closest, describe, known_options, latex_only, matches, model_keys, normalise_formats

SCOPES = ("document", "cell", "execute", "project", "book", "project-file")


@pytest.mark.parametrize("scope", SCOPES)
def test_every_schema_entry_is_in_the_schema_language_the_checker_reads(scope):
    for name, schema in known_options(scope).items():
        assert describe(schema), name
        matches(schema, "text")  # raises on a form the checker does not know
        matches(schema, ["a", 1])


def test_every_implemented_option_of_the_models_is_a_quarto_option():
    """A model field that Quarto does not know would be an engine-only key in Quarto's namespace."""
    engine_only = {"editor_options"}  # Quarto spells it with an underscore; the alias keeps it
    for model, scope in ((config.FormatOptions, "document"), (config.CellOptions, "cell"),
                         (config.ExecuteOptions, "execute"), (config.ProjectSection, "project"),
                         (config.BookConfig, "book")):
        assert model_keys(model) - set(known_options(scope)) - engine_only == set(), model.__name__


def test_latex_only_options_are_document_options():
    assert latex_only() <= set(known_options("document"))
    assert {"documentclass", "keep-tex", "pdf-engine"} <= latex_only()


@pytest.mark.parametrize(("schema", "value", "expected"), [
    ("boolean", True, True), ("boolean", "yes", False), ("boolean", None, True),
    ("number", 3, True), ("number", 2.5, True), ("number", True, False), ("number", "3", False),
    ("date", datetime.date(2024, 5, 14), True),
    ({"enum": ["a-2a", "ua-1", "1.7"]}, "ua-1", True), ({"enum": ["a-2a", "ua-1", "1.7"]}, 1.7, True),
    ({"enum": ["a-2a", "ua-1"]}, "ua-3", False), ({"enum": [True]}, True, True), ({"enum": [True]}, 1, False),
    ({"maybeArrayOf": "string"}, "refs.bib", True), ({"maybeArrayOf": "string"}, ["a.bib", "b.bib"], True),
    ({"maybeArrayOf": "string"}, [1], False), ({"arrayOf": "number"}, [1, 2], True),
    ({"anyOf": ["boolean", {"enum": ["fenced"]}]}, "fenced", True),
    ({"anyOf": ["boolean", {"enum": ["fenced"]}]}, "sometimes", False),
])
def test_matches(schema, value, expected):
    assert matches(schema, value) is expected


def test_describe_says_what_is_expected():
    assert describe(known_options("document")["toc"]) == "true or false"
    assert describe(known_options("document")["bibliography"]) == "a file path, or a list of them"
    assert describe(known_options("cell")["echo"]) == "true or false or fenced"
    assert describe(known_options("document")["toc-location"]) == "one of body, left, right, left-body, right-body"


@pytest.mark.parametrize(("key", "suggestion"), [
    ("nuber-sections", "number-sections"), ("number-sectoins", "number-sections"), ("tittle", "title"),
    ("tco", "toc"), ("opdrachtgever", None), ("kenmerk", None), ("tocs", "toc"), ("xyz", None)])
def test_closest_is_one_or_two_edits_away(key, suggestion):
    assert closest(key, set(known_options("document"))) == suggestion


@pytest.mark.parametrize(("value", "expected"), [
    ("html", {"html": {}}), (["html", "typst"], {"html": {}, "typst": {}}),
    ({"html": "default", "pdf": None}, {"html": {}, "pdf": {}}),
    ({"html": {"toc": True}}, {"html": {"toc": True}})])
def test_every_form_of_format(value, expected):
    assert normalise_formats(value) == expected


def test_the_status_table_covers_every_known_option_once_per_level():
    rows = status_table()
    assert ("document", "toc", "implemented") in rows
    assert ("document", "theme", "implemented") in rows
    assert ("document", "smooth-scroll", "accepted and ignored with a warning") in rows
    assert ("document", "documentclass", "LaTeX only: ignored with a warning (one notice for format: pdf)") in rows
    assert len({(scope, name) for scope, name, _ in rows}) == len(rows)


def test_collector_counts_and_deduplicates():
    with diagnostics.collecting() as collector:
        diagnostics.warn("one", path="a.qmd", line=1)
        diagnostics.warn("one", path="a.qmd", line=1)
        diagnostics.warn("two", path="a.qmd", line=2)
    assert [str(item) for item in collector.warnings] == ["a.qmd:1: one", "a.qmd:2: two"]
    assert diagnostics.count_line(collector.warnings) == "2 warnings"
    assert diagnostics.count_line(collector.warnings[:1]) == "1 warning"
    assert diagnostics.count_line([]) == "no warnings"


def test_strict_switched_on_late_raises_the_first_warning_already_collected():
    with diagnostics.collecting() as collector:
        diagnostics.warn("early", path=Path("_quarto.yml"), line=3)
        with pytest.raises(ReportError) as caught:
            collector.make_strict()
    assert str(caught.value) == "_quarto.yml:3: early (strict mode: warnings are errors)"


def test_pdf_standards_typst_cannot_check_are_warned_about_and_left_out():
    with diagnostics.collecting() as collector:
        assert pdf_standards({"pdf-standard": ["ua-2", "a-2b"]}, "doc.qmd") == ["a-2b"]
        assert pdf_standards({"pdf-standard": 1.7}) == ["1.7"]
    assert [str(item).split(" (typst")[0] for item in collector.warnings] == [
        "doc.qmd: PDF standard 'ua-2' is not supported by Typst and will be ignored"]


def test_a_project_listing_only_formats_the_engine_cannot_write_is_an_error():
    with pytest.raises(ReportError) as caught:
        resolve_formats(None, ["odt"], [({"format": {"odt": {}}}, Path("_quarto.yml"))])
    assert str(caught.value) == ("_quarto.yml: none of the listed formats (odt) can be rendered by the embedded "
                                 "engine (it renders html, typst, pdf and docx)")
