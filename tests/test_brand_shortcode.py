"""Quarto's `brand` shortcode: a brand's colour or logo in the text (report.sources.brand_shortcode)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from report.build import RenderOptions, render
from report.errors import ReportError

HTML = ("html",)


def _png(path: Path, colour: tuple[int, int, int]) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())


def _document(folder: Path, brand: str, body: str) -> Path:
    _png(folder / "zon.png", (250, 200, 0))
    _png(folder / "maan.png", (20, 20, 80))
    source = folder / "doc.qmd"
    source.write_text(f"---\ntitle: Merk\n{brand}---\n\n{body}\n", encoding="utf-8")
    return source


BOTH = ("brand:\n  light:\n    color:\n      primary: '#1f4e79'\n    logo:\n      images:\n        zon:\n"
        "          path: zon.png\n          alt: De zon\n      small: zon\n"
        "  dark:\n    color:\n      primary: '#9cc3e6'\n      background: '#101418'\n      foreground: '#f0f0f0'\n    logo:\n      small: maan.png\n")


def test_a_brand_colour_is_its_css_value_in_light_mode_unless_dark_is_named(tmp_path):
    source = _document(tmp_path, BOTH, "Licht {{< brand color primary >}}, donker {{< brand color primary dark >}}.")
    render(source, RenderOptions(formats=HTML))
    assert "Licht #1f4e79, donker #9cc3e6." in (tmp_path / "doc.html").read_text(encoding="utf-8")


def test_a_logo_gives_each_modes_image_classed_for_its_colour_scheme(tmp_path):
    source = _document(tmp_path, BOTH, "{{< brand logo small >}}")
    render(source, RenderOptions(formats=HTML))
    page = (tmp_path / "doc.html").read_text(encoding="utf-8")
    assert ('<span class="brand-logo"><img src="./zon.png" class="light-content img-fluid" alt="De zon">'
            '<img src="./maan.png" class="dark-content img-fluid"></span>') in page
    assert "<figure" not in page  # a logo in the text, not a figure


def test_a_named_mode_gives_that_image_alone(tmp_path):
    source = _document(tmp_path, BOTH, "{{< brand logo small dark >}}")
    render(source, RenderOptions(formats=HTML))
    page = (tmp_path / "doc.html").read_text(encoding="utf-8")
    assert '<span class="brand-logo"><img src="./maan.png" class="img-fluid"></span>' in page
    assert "zon.png" not in page


def test_the_projects_brand_file_is_read_when_the_document_names_none(tmp_path):
    (tmp_path / "_brand.yml").write_text("color:\n  palette:\n    blauw: '#0b3d91'\n  primary: blauw\n",
                                         encoding="utf-8")
    source = _document(tmp_path, "", "Kleur {{< brand color primary >}}.")
    render(source, RenderOptions(formats=HTML))
    assert "Kleur #0b3d91." in (tmp_path / "doc.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("brand", "body", "message"), [
    ("", "{{< brand color primary >}}",
     "brand color primary: the document has no brand (no 'brand:' and no _brand.yml); it is shown as written"),
    (BOTH, "{{< brand color accent >}}", "brand color 'accent' is not in the brand's colours; it is shown as written"),
    (BOTH, "{{< brand logo large >}}",
     "brand logo 'large' is not in the brand (small, medium, large or one of logo.images); it is shown as written"),
    (BOTH, "{{< brand logo small dusk >}}",
     "brand logo small: the mode is light or dark, not 'dusk'; it is shown as written"),
])
def test_a_brand_shortcode_that_names_nothing_is_a_located_warning_and_shown_as_written(tmp_path, brand, body,
                                                                                       message):
    source = _document(tmp_path, brand, body)
    result = render(source, RenderOptions(formats=HTML))
    line = source.read_text(encoding="utf-8").splitlines().index(body) + 1
    assert [(str(item.path), item.line, item.message) for item in result.warnings] == [("doc.qmd", line, message)]
    assert body.replace("<", "&lt;").replace(">", "&gt;") in (tmp_path / "doc.html").read_text(encoding="utf-8")
    with pytest.raises(ReportError) as caught:  # strict: the warning is an error
        render(source, RenderOptions(formats=HTML, strict=True))
    assert str(caught.value) == f"doc.qmd:{line}: {message} (strict mode: warnings are errors)"
