"""Where the user's Lua filters run, as Quarto's entry points: `pre-quarto` (and entries before `quarto`, or every
entry when `quarto` is not listed) before cross-references are resolved; `post-quarto` ... `post-finalize` (and
entries after `quarto`) after them, so a late filter sees an `@ref` as Quarto's resolved Link."""

from __future__ import annotations

import pytest

from extension_helpers import body_text, render_html, render_typst, write_files
from report.build import RenderOptions, render

# Every citation becomes a link to a profile page: a cross-reference still unresolved is a citation too.
PROFILE_LINKS = """\
    function Cite(cite)
      return pandoc.Link(cite.content, "https://example.org/" .. cite.content[1].text:sub(2))
    end
    """

DOCUMENT = "::: {#fig-kaart}\nGeen figuur.\n\nMaar een bijschrift\n:::\n\nZie @fig-kaart.\n\nDank aan @auteur.\n"


def _render(tmp_path, filters: str, files: dict[str, str] | None = None):
    folder = write_files(tmp_path, {"_quarto.yml": "project:\n  type: default\n", "links.lua": PROFILE_LINKS,
                                    **(files or {}),
                                    "doc.qmd": f"---\ntitle: Volgorde\nkeep-typ: true\n{filters}---\n\n{DOCUMENT}"})
    return folder / "doc.qmd"


def _paragraph_links(page) -> list[tuple[str, str, list[str]]]:
    return [(link["href"], link.get_text(), link.get("class", [])) for p in page.find("main").find_all("p")
            for link in p.find_all("a")]


@pytest.mark.parametrize("filters", [
    "filters:\n  - quarto\n  - links.lua\n",
    "filters:\n  - path: links.lua\n    at: post-quarto\n",
    "filters:\n  - path: links.lua\n    at: pre-render\n",
    "filters:\n  - path: links.lua\n    at: post-render\n",
    "filters:\n  - path: links.lua\n    at: post-finalize\n",
])
def test_a_late_filter_sees_the_resolved_cross_reference_and_only_real_citations(tmp_path, filters):
    page, warnings = render_html(_render(tmp_path, filters))
    assert _paragraph_links(page) == [("#fig-kaart", "Figure\xa01", ["quarto-xref"]),
                                      ("https://example.org/auteur", "@auteur", [])]
    assert warnings == []


@pytest.mark.parametrize("filters", [
    "filters: [links.lua]\n",
    "filters:\n  - links.lua\n  - quarto\n",
    "filters:\n  - path: links.lua\n    at: pre-quarto\n",
    "filters:\n  - path: links.lua\n    at: post-ast\n",
])
def test_an_early_filter_sees_the_cross_reference_as_a_citation(tmp_path, filters):
    page, _warnings = render_html(_render(tmp_path, filters))
    assert _paragraph_links(page) == [("https://example.org/fig-kaart", "@fig-kaart", []),
                                      ("https://example.org/auteur", "@auteur", [])]


def test_a_late_filter_answers_for_each_format_and_its_effects_reach_the_page(tmp_path):
    late = """\
        function Link(link)
          if link.classes:includes("quarto-xref") then
            quarto.doc.include_text("after-body", '<p id="late-note">na de verwijzingen</p>')
            return pandoc.Str(quarto.doc.is_format("html") and "OP-DE-SITE" or "OP-PAPIER")
          end
        end
        """
    document = _render(tmp_path, "filters:\n  - quarto\n  - links.lua\n  - late.lua\n", {"late.lua": late})
    page, warnings = render_html(document)
    assert warnings == []
    assert "Zie OP-DE-SITE." in page.find("main").get_text() and "OP-PAPIER" not in page.get_text()
    assert page.find("p", id="late-note").get_text() == "na de verwijzingen"
    typ = body_text(render_typst(document))
    assert "OP-PAPIER" in typ and "OP-DE-SITE" not in typ


def test_a_late_filters_when_format_pdf_content_is_in_a_pdf_render_and_not_in_a_typst_one(tmp_path):
    # Quarto's `pdf` names the PDF only when the render asks for pdf: the late filter's conditional content is
    # decided against the formats the render asked for, as the early filters' content is.
    late = """\
        function Link(link)
          if link.classes:includes("quarto-xref") then
            local only_pdf = pandoc.Attr("", {"content-visible"}, {["when-format"] = "pdf"})
            return pandoc.Span(pandoc.Str("ALLEEN-PDF"), only_pdf)
          end
        end
        """
    document = _render(tmp_path, "filters:\n  - quarto\n  - links.lua\n  - late.lua\n", {"late.lua": late})
    render(document, RenderOptions(formats=("pdf",)))
    assert "ALLEEN-PDF" in body_text(document.with_suffix(".typ").read_text(encoding="utf-8"))
    assert "ALLEEN-PDF" not in body_text(render_typst(document))
