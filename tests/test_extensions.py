"""Quarto extensions in `_extensions/` as `quarto add` lays them out: Lua shortcodes and filters (issue 21)."""

from __future__ import annotations

import pytest

from extension_helpers import body_text, render_html, render_typst, write_files
from report.build import RenderOptions, render
from report.errors import ReportError

MANIFEST = """\
    title: Hello
    author: Acme
    version: 1.0.0
    contributes:
      shortcodes:
        - hello.lua
      filters:
        - stamp.lua
    """

SHORTCODES = """\
    return {
      ["hello"] = function(args, kwargs, meta, raw_args)
        local who = pandoc.utils.stringify(args[1])
        local mood = pandoc.utils.stringify(kwargs["mood"])  -- a missing kwarg is empty, as in Quarto
        local title = pandoc.utils.stringify(meta["title"])
        local greeting = quarto.doc.is_format("html") and "Hello " or "Hallo "
        return pandoc.Span(pandoc.Str(greeting .. who .. "/" .. mood .. "/" .. title .. "/" .. #raw_args),
                           pandoc.Attr("", {"greeting"}))
      end,
      ["banner"] = function()
        return pandoc.Blocks{pandoc.Div(pandoc.Para{pandoc.Str("Banner")}, pandoc.Attr("", {"banner"}))}
      end,
      ["count"] = function(args)
        return tostring(#args)
      end
    }
    """

STAMP = """\
    function Header(h)
      h.content:insert(pandoc.Str("*"))
      return h
    end
    """


def _project(tmp_path, layout: str, document: str) -> object:
    folder = f"_extensions/{layout}"
    return write_files(tmp_path, {
        "_quarto.yml": "project:\n  type: default\n", f"{folder}/_extension.yml": MANIFEST,
        f"{folder}/hello.lua": SHORTCODES, f"{folder}/stamp.lua": STAMP, "chapters/doc.qmd": document}) / "chapters/doc.qmd"


DOCUMENT = """\
    ---
    title: Ext
    keep-typ: true
    ---

    Say {{< hello Ann mood=glad >}} and {{< count a b c >}}.

    {{< banner >}}
    """


@pytest.mark.parametrize("layout", ["acme/hello", "hello"])
def test_an_extension_shortcode_gets_args_kwargs_meta_and_raw_args(tmp_path, layout):
    document = _project(tmp_path, layout, DOCUMENT)
    page, warnings = render_html(document)
    assert warnings == []
    main = page.find("main")
    assert main.find("span", class_="greeting").get_text() == "Hello Ann/glad/Ext/1"
    assert main.find("p").get_text() == "Say Hello Ann/glad/Ext/1 and 3."
    assert main.find("div", class_="banner").get_text(strip=True) == "Banner"
    typ = body_text(render_typst(document))
    assert "Say Hallo Ann/glad/Ext/1 and 3." in typ and "Hello Ann" not in typ


def test_an_extension_filter_runs_where_filters_names_the_extension(tmp_path):
    document = _project(tmp_path, "acme/hello", "---\ntitle: Ext\nfilters: [hello]\n---\n\n# Kop\n\nText.\n")
    page, warnings = render_html(document)
    assert warnings == []
    assert page.find("main").find_all("h1")[-1].get_text() == "Kop*"


def test_a_shortcode_no_extension_defines_still_warns_and_shows_as_written(tmp_path):
    document = _project(tmp_path, "acme/hello", "---\ntitle: Ext\n---\n\nA {{< sparkle >}} here.\n")
    page, warnings = render_html(document)
    assert warnings == ["chapters/doc.qmd:5: Shortcode 'sparkle' not found"]
    assert page.find("main").find("p").get_text() == "A {{< sparkle >}} here."


def test_an_error_in_an_extension_shortcode_names_its_file_and_line(tmp_path):
    document = _project(tmp_path, "acme/hello", "---\ntitle: Ext\n---\n\nA {{< hello >}} here.\n")
    (tmp_path / "_extensions/acme/hello/hello.lua").write_text(
        'return {\n  ["hello"] = function(args)\n    error("no name given")\n  end\n}\n', encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        render_html(document)
    assert str(caught.value) == ("_extensions/acme/hello/hello.lua:3: Lua shortcode failed while rendering "
                                 "chapters/doc.qmd: no name given")


def test_an_extension_listing_a_missing_file_is_an_error(tmp_path):
    document = _project(tmp_path, "acme/hello", DOCUMENT)
    (tmp_path / "_extensions/acme/hello/hello.lua").unlink()
    with pytest.raises(ReportError) as caught:
        render_html(document)
    assert str(caught.value) == ("_extensions/acme/hello/_extension.yml: extension 'acme/hello' lists shortcode "
                                 "'hello.lua', which does not exist")


def test_an_extension_typst_format_brings_its_template_partials_and_options(tmp_path):
    write_files(tmp_path, {
        "_quarto.yml": "project:\n  type: default\n",
        "_extensions/acme/house/_extension.yml": "title: House\ncontributes:\n  formats:\n    typst:\n"
                                                 "      template-partials: [typst-show.typ]\n      keep-typ: true\n",
        "chapters/doc.qmd": "---\ntitle: House\nformat:\n  house-typst:\n    toc: false\n---\n\nText.\n"})
    from report.outputs.typst import RESOURCES

    partial = (RESOURCES / "typst-show.typ").read_text(encoding="utf-8")
    (tmp_path / "_extensions/acme/house/typst-show.typ").write_text("// house partial\n" + partial, encoding="utf-8")
    render(tmp_path / "chapters/doc.qmd", RenderOptions())
    assert (tmp_path / "chapters/doc.pdf").is_file() and not (tmp_path / "chapters/doc.html").exists()
    typ = (tmp_path / "chapters/doc.typ").read_text(encoding="utf-8")  # keep-typ came from the extension
    assert "// house partial\n" in typ


def test_a_block_shortcode_whose_result_differs_per_format_keeps_its_blocks_in_each(tmp_path):
    document = _project(tmp_path, "acme/hello", "---\ntitle: Ext\nkeep-typ: true\n---\n\n{{< note >}}\n")
    (tmp_path / "_extensions/acme/hello/hello.lua").write_text(
        'return {\n  ["note"] = function()\n    local word = quarto.doc.is_format("html") and "Site" or "Paper"\n'
        '    return pandoc.Div(pandoc.Para{pandoc.Str(word)}, pandoc.Attr("", {"note"}))\n  end\n}\n',
        encoding="utf-8")
    page, _warnings = render_html(document)
    assert [div.get_text(strip=True) for div in page.find("main").select("div.note")] == ["Site"]
    typ = body_text(render_typst(document))
    assert "Paper" in typ and "Site" not in typ


def test_a_shortcode_that_returns_pandoc_null_in_one_format_shows_nothing_there(tmp_path):
    # Extensions written for pandoc 2 (fontawesome among them) return pandoc.Null() for formats they do not
    # serve; pandoc 3 dropped that constructor and Quarto defines it again as "nothing".
    document = _project(tmp_path, "acme/hello", "---\ntitle: Ext\nkeep-typ: true\n---\n\nIcon {{< icon >}} here.\n")
    (tmp_path / "_extensions/acme/hello/hello.lua").write_text(
        'return {\n  ["icon"] = function()\n    if quarto.doc.is_format("html:js") then\n'
        '      return pandoc.RawInline("html", "<i class=\\"fa-star\\"></i>")\n    end\n'
        '    return pandoc.Null()\n  end\n}\n', encoding="utf-8")
    page, warnings = render_html(document)
    assert warnings == []
    assert page.find("main").find("i", class_="fa-star") is not None
    typ = body_text(render_typst(document))
    assert "Icon  here." in typ or "Icon here." in typ
    assert "fa-star" not in typ
