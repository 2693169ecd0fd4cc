"""The typst source and PDF as Quarto writes them: linked images, callout icons, cell figure files, web images in
the mediabag, typst's own citations with locators, conditional content by format, labels before tables and
`output-ext: typ`."""

import re
import struct
import zlib
from pathlib import Path

import pypdf
import pytest

from report.build import RenderOptions, render


def _png(path: Path, grey: int = 0x80) -> bytes:
    """A 2x2 grey PNG of its own (no image library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes([grey] * 3) * 2 for _ in range(2))
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    path.write_bytes(data)
    return data


def _render(folder: Path, text: str, name: str = "doc", to: str = "typst") -> tuple[str, str]:
    """Render ``text`` as ``name``.qmd to typst (or ``to``); the kept .typ source and the PDF's text."""
    source = folder / f"{name}.qmd"
    source.write_text(text, encoding="utf-8")
    render(source, RenderOptions(formats=(to,)))
    pdf = " ".join(page.extract_text() for page in pypdf.PdfReader(folder / f"{name}.pdf").pages)
    return (folder / f"{name}.typ").read_text(encoding="utf-8"), " ".join(pdf.split())


KEEP = "---\ntitle: Vormen\nformat:\n  typst:\n    keep-typ: true\n---\n\n"


def test_a_linked_figure_image_is_boxed_with_its_description_as_alt(tmp_path):
    _png(tmp_path / "beeld.png")
    typst, pdf = _render(tmp_path, KEEP + "[![Het beeld](beeld.png){#fig-beeld}](https://example.org/)\n\n"
                                          "[![De tabel](beeld.png){#tbl-beeld}](https://example.org/t)\n\n"
                                          "Zie @fig-beeld en @tbl-beeld.\n")
    assert '#link("https://example.org/")[#box(image("beeld.png", alt: "Het beeld"))]' in typst
    assert '#link("https://example.org/t")[#box(image("beeld.png", alt: "De tabel"))]' in typst
    assert "Zie Figure 1 en Table 1." in pdf


CALLOUTS = KEEP + """::: {.callout-note icon="false"}
## Zonder icoon
Een notitie.
:::

::: {.callout-warning icon=false}
Een waarschuwing.
:::

::: {.callout-important}
## Met icoon
Belangrijk.
:::

::: {.callout-tip}
Een tip.
:::

::: {.callout-caution}
Voorzichtig.
:::
"""


def test_callout_icons_are_quartos_names_or_none(tmp_path):
    typst, pdf = _render(tmp_path, CALLOUTS)
    icons = re.findall(r"icon_color: \n.*\n, \nicon: \n(.*)\n", typst)
    assert icons == ["none", "none", "fa-exclamation()", "fa-lightbulb()", "fa-fire()"]
    # The engine draws each icon itself (no icon font, no network): shapes, no letters in the text.
    for name in ("fa-info", "fa-exclamation-triangle", "fa-exclamation", "fa-fire", "fa-lightbulb"):
        assert f"#let {name}() = report-glyph(" in typst
    assert "Zonder icoon Een notitie. Warning Een waarschuwing. Met icoon Belangrijk. Tip Een tip." in pdf


def test_a_document_wide_callout_icon_false_removes_every_icon(tmp_path):
    typst, _pdf = _render(tmp_path, CALLOUTS.replace("    keep-typ: true\n", "    keep-typ: true\ncallout-icon: false\n"))
    assert re.findall(r"\nicon: \n(.*)\n", typst) == ["none"] * 5


CONDITIONAL = """---
title: Voorwaarden
format:
  {name}:
    keep-typ: true
---

::: {{.content-visible when-format="pdf"}}
Alleen in Quartos LaTeX-PDF.
:::

::: {{.content-visible when-format="latex"}}
Alleen in LaTeX.
:::

::: {{.content-visible when-format="typst"}}
Alleen in typst.
:::

::: {{.content-hidden when-format="pdf"}}
Verborgen in de LaTeX-PDF.
:::
"""


def test_pdf_and_latex_do_not_select_a_typst_render(tmp_path):
    typst, pdf = _render(tmp_path, CONDITIONAL.format(name="typst"))
    assert "Alleen in typst. Verborgen in de LaTeX-PDF." in pdf
    assert "LaTeX-PDF." not in typst.replace("Verborgen in de LaTeX-PDF.", "") and "Alleen in LaTeX." not in typst


def test_a_document_rendered_as_pdf_answers_to_pdf_and_latex(tmp_path):
    # The engine renders Quarto's `pdf` through typst; the document asked for the LaTeX PDF's content.
    _typst, pdf = _render(tmp_path, CONDITIONAL.format(name="pdf"), to="pdf")
    assert "Alleen in Quartos LaTeX-PDF. Alleen in LaTeX." in pdf
    assert "Alleen in typst." not in pdf and "Verborgen" not in pdf


def test_tables_are_written_without_a_figure_of_their_own(tmp_path):
    typst, pdf = _render(tmp_path, KEEP + "# Tabel {#sec-tabel}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                                          "| c | d |\n|---|---|\n| 3 | 4 |\n\n: Bijschrift {#tbl-x}\n")
    # The heading's label, then the bare table (Quarto marks every table typst:no-figure).
    assert re.search(r"<sec-tabel>\s*#table\(", typst)
    # A table float is one figure around the table, not a figure inside a figure.
    assert re.search(r"#figure\(\[\s*#table\(\s*columns: 2,[^#]*\[3\], \[4\],\s*\)\s*\], caption:", typst)
    assert "align(center)[#table(" not in typst
    assert "a b 1 2" in pdf and "Table 1: Bijschrift c d 3 4" in pdf


@pytest.fixture
def web_images(tmp_path):
    """A web server on this machine (no network needed) serving a PNG logo and an image at an address without
    an extension, as placeholder services give them."""
    import functools
    import http.server
    import threading

    folder = tmp_path / "web"
    folder.mkdir()
    _png(folder / "quarto.png")
    _png(folder / "400", grey=0x20)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_web_images_and_brand_logos_are_named_in_the_mediabag_as_quarto_names_them(tmp_path, web_images):
    document = tmp_path / "doc"
    document.mkdir()
    typst, _pdf = _render(document, f"---\ntitle: Web\nformat:\n  typst:\n    keep-typ: true\nbrand:\n  logo:\n"
                                    f"    medium: {web_images}/quarto.png\n---\n\n"
                                    f"![Een vierkant]({web_images}/400)\n", name="online")
    assert ('#set page(background: align(left+top, box(inset: 0.75in, '
            'image("online_files/mediabag/quarto.png", width: 1.5in))))') in typst
    assert 'image("online_files/mediabag/400"' in typst
    assert f'image("{web_images}' not in typst  # brand-logo keeps the address as data, as Quarto's
    assert len(pypdf.PdfReader(document / "online.pdf").pages[0].images) == 2  # the logo and the image


CELLS = KEEP + """```{python}
#| label: fig-lijn
#| fig-cap: Een lijn
import matplotlib.pyplot as plt
plt.plot([1, 3, 2])
plt.show()
```

```{python}
#| label: fig-na-tekst
#| fig-cap: Na tekst
print("eerst tekst")
plt.plot([2, 1])
plt.show()
```

Zie @fig-lijn.
"""


def test_cell_figures_are_read_from_figure_typst_under_quartos_jupyter_names(tmp_path):
    typst, pdf = _render(tmp_path, CELLS)
    # Quarto's Jupyter name: the label and the output's place among the cell's outputs (the text is output 1).
    assert re.search(r'#image\("doc_files/figure-typst/fig-lijn-output-1\.svg"', typst)
    assert re.search(r'#image\("doc_files/figure-typst/fig-na-tekst-output-2\.svg"', typst)
    assert "figure-html" not in typst
    assert "Figure 1: Een lijn" in pdf and "Zie Figure 1." in pdf


def test_the_site_names_cell_figures_as_quarto_does_in_figure_html(tmp_path):
    source = tmp_path / "doc.qmd"
    source.write_text(CELLS, encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    page = (tmp_path / "doc.html").read_text(encoding="utf-8")
    assert 'src="doc_files/figure-html/fig-lijn-output-1.svg"' in page
    assert (tmp_path / "doc_files" / "figure-html" / "fig-na-tekst-output-2.svg").is_file()


BIB = "@book{probe2020, author = {Probeson, Anna}, title = {Probing}, year = {2020}, publisher = {Probe Press}}\n"


def test_typst_citations_keep_a_locator_on_one_line_with_a_plain_space(tmp_path):
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    typst, pdf = _render(tmp_path, "---\ntitle: Bronnen\nbibliography: refs.bib\nbibliographystyle: chicago-author-date\n"
                                   "format:\n  typst:\n    keep-typ: true\n---\n\n"
                                   "Met vindplaats [@probe2020, p. 42] en los @probe2020[pp. 100-115].\n")
    assert "@probe2020[#box[p. 42]]" in typst
    assert '#cite(<probe2020>, form: "prose", supplement: [#box[pp. 100-115]])' in typst
    assert "\u00a0" not in pdf and "~" not in typst.split("#let")[-1].split("Met vindplaats")[-1]
    assert "Met vindplaats (Probeson 2020, p. 42) en los Probeson (2020, pp. 100-115)." in pdf


def test_with_citeproc_the_locator_is_citeprocs(tmp_path):
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    typst, pdf = _render(tmp_path, "---\ntitle: Bronnen\nbibliography: refs.bib\nciteproc: true\n"
                                   "format:\n  typst:\n    keep-typ: true\n---\n\nMet vindplaats [@probe2020, p. 42].\n")
    assert "#box[" not in typst.split("Met vindplaats")[-1]
    assert "Met vindplaats (Probeson 2020, 42)." in pdf, pdf


def test_output_ext_typ_writes_the_typst_source_as_the_output_and_no_pdf(tmp_path):
    _png(tmp_path / "olifant.png")
    source = tmp_path / "doc.qmd"
    source.write_text("---\ntitle: Bron\nformat:\n  typst:\n    output-ext: typ\n---\n\n![](olifant.png)\n\n"
                      "::: {#thm-een}\nTekst:\n\n- item 1\n- item 2\n:::\n\n" + CELLS.split("---\n\n", 1)[1],
                      encoding="utf-8")
    result = render(source, RenderOptions(formats=("typst",)))
    assert result.outputs == (tmp_path / "doc.typ",)
    assert not (tmp_path / "doc.pdf").exists()
    typst = (tmp_path / "doc.typ").read_text(encoding="utf-8")
    assert "- item 1\n- item 2" in typst and '#box(image("olifant.png"))' in typst
    # The figures the source names lie beside it, where its relative paths find them.
    assert (tmp_path / "doc_files" / "figure-typst" / "fig-lijn-output-1.svg").read_text().startswith("<?xml")
    assert '"doc_files/figure-typst/fig-lijn-output-1.svg"' in typst


IS_FORMAT = """\
function Str(s)
  if s.text == "WHICH" then
    local names = {}
    for _, name in ipairs({"typst", "pdf", "latex", "html"}) do
      if quarto.doc.is_format(name) then table.insert(names, name) end
    end
    return pandoc.Str("is-" .. table.concat(names, "-"))
  end
end
"""


def test_a_lua_filter_sees_quartos_format_names_typst_or_pdf(tmp_path):
    (tmp_path / "which.lua").write_text(IS_FORMAT, encoding="utf-8")
    text = "---\ntitle: Lua\nfilters: [which.lua]\nformat:\n  {name}:\n    keep-typ: true\n---\n\nWHICH\n"
    _typst, as_typst = _render(tmp_path, text.format(name="typst"))
    assert "is-typst" in as_typst.split()
    _typst, as_pdf = _render(tmp_path, text.format(name="pdf"), to="pdf")
    assert "is-pdf-latex" in as_pdf.split()


def test_a_per_format_shortcode_value_shows_in_a_pdf_render(tmp_path):
    # The engine's own per-writer results (meta values that differ by format) follow the writer, not a name.
    text = "---\ntitle: Meta\nwoord: Site\nformat:\n  pdf:\n    woord: Papier\n    keep-typ: true\n---\n\nHet woord: {{< meta woord >}}.\n"
    _typst, pdf = _render(tmp_path, text, to="pdf")
    assert "Het woord: Papier." in pdf and "Site" not in pdf
