"""Lua filters (`filters:`) run by pandoc in Quarto's order, with the engine's own `quarto` Lua module (issue 21)."""

from __future__ import annotations

import pytest

from extension_helpers import body_text, render_html, render_typst, write_files
from report.errors import ReportError

# A Div of class "concept" becomes a callout: only a filter that runs before the engine's callouts can do that.
CONCEPT = """\
    function Div(div)
      if div.classes:includes("concept") then
        div.classes = {"callout-note"}
        return div
      end
    end
    function Str(s)
      if s.text == "TERM" then
        return pandoc.Str(quarto.doc.is_format("html") and "term-on-the-site" or "term-on-paper")
      end
    end
    """

LATE = """\
    function Div(div)
      if div.classes:includes("late") then
        div.classes = {"callout-note"}
        return div
      end
    end
    """


def _project(tmp_path, front: str, files: dict[str, str] | None = None):
    return write_files(tmp_path, {"_quarto.yml": "project:\n  type: default\n", **(files or {}),
                                  "doc.qmd": f"---\ntitle: Filters\nkeep-typ: true\n{front}---\n\n"
                                             "::: concept\nA TERM here.\n:::\n\n::: late\nLate.\n:::\n"}) / "doc.qmd"


def test_filters_before_quarto_run_before_the_engine_and_after_it_run_after(tmp_path):
    document = _project(tmp_path, "filters:\n  - concept.lua\n  - quarto\n  - late.lua\n",
                        {"concept.lua": CONCEPT, "late.lua": LATE})
    page, warnings = render_html(document)
    assert warnings == []
    callouts = page.select("div.callout")
    assert len(callouts) == 1 and "A term-on-the-site here." in callouts[0].get_text(" ", strip=True)
    late = page.select("div.callout-note:not(.callout)")
    assert [div.get_text(strip=True) for div in late] == ["Late."]  # the engine's callouts had already run


def test_is_format_answers_for_each_output(tmp_path):
    document = _project(tmp_path, "filters: [concept.lua]\n", {"concept.lua": CONCEPT})
    page, _warnings = render_html(document)
    assert "term-on-the-site" in page.get_text() and "term-on-paper" not in page.get_text()
    typ = body_text(render_typst(document))
    assert "A term-on-paper here." in typ and "term-on-the-site" not in typ


def test_at_places_a_filter_and_an_unknown_point_is_an_error(tmp_path):
    document = _project(tmp_path, "filters:\n  - path: late.lua\n    at: pre-quarto\n", {"late.lua": LATE})
    page, _warnings = render_html(document)
    assert [div.get_text(" ", strip=True) for div in page.select("div.callout")] == ["Note Late."]
    bad = _project(tmp_path, "filters:\n  - path: late.lua\n    at: pre-lunch\n", {"late.lua": LATE})
    with pytest.raises(ReportError) as caught:
        render_html(bad)
    assert str(caught.value) == ("doc.qmd: filter 'late.lua': unknown 'at: pre-lunch' (use pre-ast, post-ast, "
                                 "pre-quarto, post-quarto, pre-render, post-render, pre-finalize, post-finalize)")


def test_project_and_format_filters_run_before_the_documents(tmp_path):
    files = {"_quarto.yml": "project:\n  type: default\nfilters: [first.lua]\nformat:\n  html:\n    filters: [second.lua]\n",
             "first.lua": 'function Str(s) if s.text == "x" then return pandoc.Str("y") end end\n',
             "second.lua": 'function Str(s) if s.text == "y" then return pandoc.Str("z") end end\n',
             "doc.qmd": "---\ntitle: T\nfilters: [third.lua]\n---\n\nx\n",
             "third.lua": 'function Str(s) if s.text == "z" then return pandoc.Str("done") end end\n'}
    page, _warnings = render_html(write_files(tmp_path, files) / "doc.qmd")
    assert page.find("main").find("p").get_text() == "done"


def test_the_quarto_module_gives_dependencies_includes_paths_metadata_and_variables(tmp_path):
    filter_text = """\
        function Pandoc(doc)
          quarto.doc.add_html_dependency({name = "stamp", version = "1.0", scripts = {"js/stamp.js"},
                                          stylesheets = {"stamp.css"}})
          quarto.doc.include_text("after-body", '<p id="late-note">from Lua</p>')
          local shown = pandoc.path.filename(quarto.utils.resolve_path("stamp.css"))
          doc.blocks:insert(pandoc.Para(quarto.utils.string_to_inlines("*" .. shown .. "*")))
          doc.blocks:insert(pandoc.Para{pandoc.Str(pandoc.utils.stringify(quarto.metadata.get("client.name")))})
          doc.blocks:insert(pandoc.Para{pandoc.Str(pandoc.utils.stringify(quarto.variables.get("version")))})
          quarto.log.output("only in the log")
          return doc
        end
        """
    files = {"_quarto.yml": "project:\n  type: default\n", "_variables.yml": "version: 2.5\n",
             "filters/stamp.lua": filter_text, "filters/js/stamp.js": "window.stamped = true;\n",
             "filters/stamp.css": ".x { color: red; }\n",
             "doc.qmd": "---\ntitle: T\nclient:\n  name: Netwerk\nfilters: [filters/stamp.lua]\n---\n\nText.\n"}
    document = write_files(tmp_path, files) / "doc.qmd"
    page, warnings = render_html(document)
    assert warnings == []
    head = page.find("head")
    assert head.find("script", src="doc_files/libs/quarto-contrib/stamp-1.0/stamp.js") is not None
    assert head.find("link", href="doc_files/libs/quarto-contrib/stamp-1.0/stamp.css") is not None
    assert (tmp_path / "doc_files/libs/quarto-contrib/stamp-1.0/stamp.js").read_text() == "window.stamped = true;\n"
    assert [p.decode_contents() for p in page.find("main").find_all("p")][-3:] == ["<em>stamp.css</em>", "Netwerk", "2.5"]
    assert page.find("body").find_all("p", recursive=False)[-1]["id"] == "late-note"


def test_an_unsupported_quarto_call_warns_naming_the_function_and_the_filter(tmp_path):
    document = _project(tmp_path, "filters: [odd.lua]\n", {
        "odd.lua": 'function Pandoc(doc)\n  quarto.doc.add_format_resource("x.css")\n  quarto.log.warning("check me")\n'
                   '  return doc\nend\n'})
    page, warnings = render_html(document)
    assert warnings == [
        "odd.lua: Lua API 'quarto.doc.add_format_resource' is not provided by the embedded engine; the call "
        "returned nil (rendering doc.qmd)",
        "odd.lua: check me (rendering doc.qmd)"]
    assert "Late." in page.find("main").get_text()  # the render went on


def test_a_filter_error_names_the_filter_file_line_and_pandocs_message(tmp_path):
    document = _project(tmp_path, "filters: [broken.lua]\n", {"broken.lua": "function Str(s)\n  return nil + 1\nend\n"})
    with pytest.raises(ReportError) as caught:
        render_html(document)
    assert str(caught.value) == ("broken.lua:2: Lua filter failed while rendering doc.qmd: attempt to perform "
                                 "arithmetic on a nil value")
    missing = _project(tmp_path, "filters: [nowhere.lua]\n")
    with pytest.raises(ReportError) as caught:
        render_html(missing)
    assert str(caught.value) == "doc.qmd: filter 'nowhere.lua' does not exist (looked for nowhere.lua)"


def test_editing_a_filter_renders_again_what_it_touches(tmp_path):
    document = _project(tmp_path, "filters: [concept.lua]\n", {"concept.lua": CONCEPT})
    page, _warnings = render_html(document)
    assert "term-on-the-site" in page.get_text()
    (tmp_path / "concept.lua").write_text(CONCEPT.replace("term-on-the-site", "edited-term"), encoding="utf-8")
    page, _warnings = render_html(document)
    assert "edited-term" in page.get_text() and "term-on-the-site" not in page.get_text()


def test_a_filter_that_is_not_lua_is_skipped_with_a_warning(tmp_path):
    document = _project(tmp_path, "filters: [pandoc-fignos]\n")
    _page, warnings = render_html(document)
    assert warnings == ["doc.qmd: filter 'pandoc-fignos' is not a Lua filter; the embedded engine runs only .lua "
                        "filters (and extensions' filters), so it is skipped"]


def test_quarto_callout_builds_a_callout_the_engine_renders(tmp_path):
    document = _project(tmp_path, "filters: [note.lua]\n", {"note.lua": """\
        function Pandoc(doc)
          doc.blocks:insert(quarto.Callout({type = "warning", title = "Let op",
                                            content = {pandoc.Para{pandoc.Str("Lees dit.")}}}))
          return doc
        end
        """})
    page, warnings = render_html(document)
    assert warnings == []
    callout = page.select_one("div.callout.callout-warning")
    header = callout.select_one(".callout-header")
    assert header.select_one(".screen-reader-only").extract().get_text() == "Warning"  # the kind, for screen readers
    assert header.get_text(strip=True) == "Let op"
    assert callout.select_one(".callout-body").get_text(strip=True) == "Lees dit."
