"""typst page layout and brand as Quarto writes them: landscape sections, an article's title block and contents
in columns, logos, remote images, CSS of HTML tables, and the brand's code colours."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.build import RenderOptions, render


def _render_typ(folder: Path, front: str, body: str, name: str = "doc.qmd") -> str:
    """Render one document to PDF through typst; return its kept .typ."""
    source = folder / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(f"---\nkeep-typ: true\n{front}---\n\n{body}", encoding="utf-8")
    render(source, RenderOptions(formats=("typst",)))
    assert source.with_suffix(".pdf").is_file()
    return source.with_suffix(".typ").read_text(encoding="utf-8")


def test_a_landscape_div_turns_its_pages_and_back(tmp_path):
    typ = _render_typ(tmp_path, "title: Breed\ncolumns: 2\n",
                      "Staand.\n\n::: {.landscape}\n\nLiggend.\n\n:::\n\nWeer staand.\n")
    start, end = typ.index("#set page(flipped: true)"), typ.index("#set page(flipped: false)")
    assert start < typ.index("Liggend.") < end < typ.index("Weer staand.")


def test_an_article_title_block_passes_thanks_and_keywords_and_its_contents_is_an_outline(tmp_path):
    typ = _render_typ(tmp_path, "title: Kolommen\nthanks: Met dank aan de lezers.\nkeywords: [een, twee]\n"
                                "toc: true\ntoc-title: Inhoud\ncolumns: 2\n",
                      "# Eerste\n\nTekst.\n\n# Tweede\n\nMeer tekst.\n")
    assert "thanks: [Met dank aan de lezers.]," in typ
    assert 'keywords: ("een","twee",),' in typ
    assert "#outline(title: toc_title, depth: toc_depth);" in typ
    assert "footnote(thanks, numbering: \"*\")" in typ


SVG_URI = ("data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxMCIgaGVpZ2h0"
           "PSIxMCI+PHJlY3Qgd2lkdGg9IjEwIiBoZWlnaHQ9IjEwIiBmaWxsPSJyZWQiLz48L3N2Zz4=")


def test_a_data_uri_image_is_read_from_the_documents_mediabag(tmp_path):
    typ = _render_typ(tmp_path, "title: Media\n", f"![Een rood vierkant]({SVG_URI})\n")
    assert 'image("doc_files/mediabag/' in typ and ".svg" in typ
    assert "data:image" not in typ


def test_a_placeholder_as_an_image_address_is_an_image_in_the_pdf(tmp_path):
    typ = _render_typ(tmp_path, "title: Media\n", "Een vlak ![Grijs]({{< placeholder 40 20 format=svg >}}){width=96} in de tekst.\n")
    assert 'image("doc_files/mediabag/' in typ and "width: 1in" in typ


def test_an_image_that_cannot_be_fetched_is_its_description_with_a_warning(tmp_path):
    source = tmp_path / "doc.qmd"
    # Port 9 (discard) on this machine refuses the connection: a fetch that fails without any network.
    source.write_text("---\ntitle: Media\nkeep-typ: true\n---\n\nVoor.\n\n![Een logo van het web](http://127.0.0.1:9/logo.png)\n",
                      encoding="utf-8")
    result = render(source, RenderOptions(formats=("typst",)))
    messages = [str(warning) for warning in result.warnings]
    assert any("doc.qmd:8: Could not fetch resource http://127.0.0.1:9/logo.png" in message
               and message.endswith("replacing image with description") for message in messages), messages
    typ = source.with_suffix(".typ").read_text(encoding="utf-8")
    assert "Een logo van het web" in typ and "127.0.0.1" not in typ


LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


@pytest.fixture
def logo_project(tmp_path: Path) -> Path:
    """A project with its logo in images/ and documents in sub/ and sub/deep/."""
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\n", encoding="utf-8")
    return tmp_path


def test_a_logo_path_in_front_matter_is_relative_to_the_document(logo_project):
    typ = _render_typ(logo_project / "sub", "title: Logo\nlogo: ../images/logo.svg\n", "Tekst.\n")
    assert 'image("../images/logo.svg", width: 1.5in)' in typ


def test_a_logo_path_in_quarto_yml_is_relative_to_the_project_and_written_from_the_document(logo_project):
    (logo_project / "_quarto.yml").write_text("project:\n  type: default\nformat:\n  typst:\n    logo: images/logo.svg\n",
                                              encoding="utf-8")
    typ = _render_typ(logo_project / "sub", "title: Logo\n", "Tekst.\n")
    assert 'image("../images/logo.svg", width: 1.5in)' in typ


def test_a_path_in_a_folders_metadata_file_is_relative_to_that_file(logo_project):
    (logo_project / "sub").mkdir()
    (logo_project / "sub" / "_metadata.yml").write_text("logo: ../images/logo.svg\n", encoding="utf-8")
    typ = _render_typ(logo_project / "sub" / "deep", "title: Logo\n", "Tekst.\n")
    assert 'image("../../images/logo.svg", width: 1.5in)' in typ


CODE = "```python\ndef f(x):\n    return x\n```\n"


def test_highlighted_code_blocks_are_full_width_panels_on_the_default_background(tmp_path):
    typ = _render_typ(tmp_path, "title: Code\n", CODE)
    assert 'let bgcolor = rgb("#f1f3f5")' in typ
    assert "block(fill: bgcolor, width: 100%, inset: 8pt, radius: 2pt, blocks)" in typ


def test_the_brands_monospace_block_background_fills_highlighted_code(tmp_path):
    (tmp_path / "_brand.yml").write_text("color:\n  palette:\n    codebg: \"#202030\"\ntypography:\n  monospace-block:\n"
                                         "    background-color: codebg\n", encoding="utf-8")
    typ = _render_typ(tmp_path, "title: Code\nsyntax-highlighting: tango\n", CODE)
    assert 'let bgcolor = rgb("#202030")' in typ and "#Skylighting(" in typ


STYLED_TABLE = ('```{=html}\n<table>\n<tr><td style="color: magenta;">A</td>'
                '<td style="background-color: #00ff00; color: white; opacity: 50%">B</td>'
                '<td style="font-weight: bold; text-align: center; font-size: 12px">C</td></tr>\n</table>\n```\n')


def test_css_of_html_table_cells_becomes_typst_cell_settings(tmp_path):
    typ = _render_typ(tmp_path, "title: Tabel\n", STYLED_TABLE)
    assert "[#set text(fill: rgb(255, 0, 255)); A]" in typ  # a CSS name typst does not know: its rgb
    assert 'table.cell(fill: rgb("#00ff00"))[#set text(fill: rgb("#fff7")); B]' in typ  # white is typst's #fff
    assert 'table.cell(align: center)[#set text(weight: "bold" , size: 9pt); C]' in typ


def test_css_property_processing_none_leaves_the_css_alone(tmp_path):
    typ = _render_typ(tmp_path, "title: Tabel\nformat:\n  typst:\n    css-property-processing: none\n", STYLED_TABLE)
    assert "#set text(fill:" not in typ and "table.cell(fill:" not in typ


def test_css_of_divs_and_spans_and_brand_colour_variables(tmp_path):
    (tmp_path / "_brand.yml").write_text('color:\n  palette:\n    inkt: "#203040"\n', encoding="utf-8")
    body = ('::: {style="background-color: #eeeeee; color: var(--brand-inkt); font-family: Arial"}\nBlok.\n:::\n\n'
            'Een [gemarkeerd]{style="background-color: yellow"} woord.\n')
    typ = _render_typ(tmp_path, "title: Blok\n", body)
    assert '#block(fill: rgb("#eeeeee"))[\n#set text(fill: brand-color.inkt , font: ("Arial",)); Blok.' in typ
    assert "#highlight(fill: yellow)[gemarkeerd]" in typ


def test_stylesheet_rules_naming_cells_by_id_or_class_reach_the_pdf(tmp_path):
    body = ('```{=html}\n<style>\n#tabel-b { background-color: #ffc0cb; color: white; }\n.laag { opacity: 20%; }\n'
            'table td span { color: red; }\n</style>\n<table>\n<tr><td id="tabel-b">B</td>'
            '<td class="laag" style="color: red">C</td></tr>\n</table>\n```\n')
    typ = _render_typ(tmp_path, "title: Tabel\n", body)
    assert 'table.cell(fill: rgb("#ffc0cb"))[#set text(fill: white); B]' in typ
    assert '[#set text(fill: rgb("#ff413633")); C]' in typ  # typst's red at 20 %


def test_a_pandas_styler_colours_its_cells_on_the_site_and_in_the_pdf(tmp_path):
    source = tmp_path / "doc.qmd"
    source.write_text("---\ntitle: Styler\nkeep-typ: true\n---\n\n```{python}\nimport pandas as pd\n"
                      "pd.DataFrame({'a': [1, 2]}).style.map(lambda v: 'background-color: #00008b; color: white'"
                      " if v == 2 else None)\n```\n", encoding="utf-8")
    render(source, RenderOptions(formats=("html", "typst")))
    html = source.with_suffix(".html").read_text(encoding="utf-8")
    assert 'background-color: #00008b; color: white;">2</td>' in html
    typ = source.with_suffix(".typ").read_text(encoding="utf-8")
    assert 'table.cell(fill: rgb("#00008b"))[#set text(fill: white); 2]' in typ


def test_brand_font_lists_keep_only_the_fonts_typst_has(tmp_path):
    (tmp_path / "_brand.yml").write_text(
        'typography:\n  fonts:\n    - family: Merkfont\n      source: google\n  base:\n'
        '    family: "Libertinus Serif, Geen Bestaand Font, serif"\n  headings:\n    family: "Merkfont, Ook Niet"\n'
        '  monospace:\n    family: "Helemaal Niet, Nergens"\n', encoding="utf-8")
    typ = _render_typ(tmp_path, "title: Fonts\n", "# Kop\n\nTekst.\n")
    assert 'font: ("Libertinus Serif", "serif"),' in typ  # unknown dropped, CSS's generic family kept
    assert 'heading-family: ("Merkfont",),' in typ  # the brand's own fonts count as there
    assert 'codefont: ("Helemaal Niet", "Nergens"),' in typ  # none there: the list stays whole
    assert "Geen Bestaand Font" not in typ and "Ook Niet" not in typ


def test_the_title_is_markdown_in_the_headings_style_at_quartos_sizes(tmp_path):
    (tmp_path / "_brand.yml").write_text('typography:\n  base:\n    size: 12pt\n  headings:\n    weight: 600\n'
                                         '    color: "#0b8005"\n  monospace-inline:\n    size: 0.5rem\n'
                                         '  link:\n    background-color: mintcream\n', encoding="utf-8")
    source = tmp_path / "doc.qmd"
    source.write_text("---\ntitle: Titel *nadruk* `#context text.size`{=typst} `#context text.weight`{=typst}\n"
                      "keep-typ: true\n---\n\n## Kop `#context text.size`{=typst}\n\nTekst.\n", encoding="utf-8")
    render(source, RenderOptions(formats=("typst",)))
    typ = source.with_suffix(".typ").read_text(encoding="utf-8")
    assert "title: [Titel #emph[nadruk] #context text.size #context text.weight]," in typ
    assert "#show raw.where(block: false): set text(size: 0.5*12pt, )" in typ  # rem: the brand's base size
    assert "#show link: content => highlight(fill: rgb(245, 255, 250), content)" in typ  # a CSS name as rgb
    import pypdf

    text = pypdf.PdfReader(source.with_suffix(".pdf")).pages[0].extract_text()
    assert "Titel nadruk 18pt semibold" in text  # 1.5em of 12pt, the headings' weight
    assert "Kop 16.8pt" in text  # typst's own 1.4em for the article's top level


def test_pandoc_template_options_reach_the_article(tmp_path):
    typ = _render_typ(tmp_path, 'title: Opties\nlinestretch: 1.5\nlinkcolor: "#0000ff"\ncitecolor: "#00aa00"\n'
                                'mathfont: New Computer Modern Math\ncodefont: DejaVu Sans Mono\n',
                      "Een [link](https://example.org) en $x^2$.\n")
    for passed in ("linestretch: 1.5,", "linkcolor: [\\#0000ff],", "citecolor: [\\#00aa00],",
                   'mathfont: ("New Computer Modern Math",),', 'codefont: ("DejaVu Sans Mono",),'):
        assert passed in typ
    assert "show link: set text(fill: rgb(content-to-string(linkcolor))) if linkcolor != none" in typ


@pytest.fixture
def local_web(tmp_path):
    """A web server on this machine serving a folder with an SVG image: a fetch that needs no network."""
    import functools
    import http.server
    import threading

    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_images_and_logos_from_the_web_are_read_from_the_mediabag(tmp_path, local_web):
    typ = _render_typ(tmp_path / "doc", f"title: Web\nlogo: {local_web}/logo.svg\n",
                      f"Een logo ![Het logo]({local_web}/logo.svg){{width=48}} in de tekst.\n")
    assert 'image("doc_files/mediabag/logo.svg", alt: "Het logo", width: 0.5in)' in typ
    assert 'box(inset: 0.75in, image("doc_files/mediabag/logo.svg", width: 1.5in))' in typ
    assert local_web not in typ
