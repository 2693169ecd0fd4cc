"""Quarto's `brand` shortcode (its bundled brand extension): a brand's colour or logo in the text.

    {{< brand color primary >}}        the colour's CSS value (light mode; `dark` as a third argument)
    {{< brand logo small >}}           the logo: the light one and, where the brand has one, the dark one, as
                                       images classed `light-content` / `dark-content` (the site shows the one
                                       of the reader's colour scheme); `light` or `dark` shows that one only

The brand is the one the document's `brand:` names, else the project's (`brand:` in _quarto.yml, else
`_brand.yml`), read by report.sources.brand. The result is Markdown, expanded where the shortcode stands. A
shortcode that names nothing the brand has is a warning, and is shown as written, as other shortcodes are.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Mapping

from report.sources.brand import Brand, BrandLogo, Brands, load_brands

__all__ = ["expand_brand"]

MODES = ("light", "dark")


def expand_brand(arguments: list[str], root: Path, project_metadata: Mapping[str, Any],
                 document_metadata: Mapping[str, Any], document: Path, warn: Callable[[str], None]) -> str | None:
    """The shortcode's Markdown; None (after ``warn``) where it names nothing the brand has."""
    if len(arguments) < 2 or arguments[0] not in ("color", "logo"):
        warn("brand takes 'color NAME' or 'logo NAME' (and optionally light or dark); it is shown as written")
        return None
    kind, name, *rest = arguments
    mode = rest[0] if rest else None
    if mode is not None and mode not in MODES:
        warn(f"brand {kind} {name}: the mode is light or dark, not '{mode}'; it is shown as written")
        return None
    brands = _brands(root, project_metadata, document_metadata, document)
    if brands is None:
        warn(f"brand {kind} {name}: the document has no brand (no 'brand:' and no _brand.yml); it is shown as "
             "written")
        return None
    if kind == "color":
        brand = brands.mode(mode or "light")
        value = brand.color(name) if brand is not None else None
        if value is None:
            warn(f"brand color '{name}' is not in the brand's colours; it is shown as written")
        return value
    logos = {each: _logo(brands.mode(each), name) for each in ((mode,) if mode else MODES)}
    if not any(logos.values()):
        warn(f"brand logo '{name}' is not in the brand (small, medium, large or one of logo.images); it is shown "
             "as written")
        return None
    # One mode asked for: that image; else each mode's, classed for the colour scheme that shows it.
    images = "".join(_image(logo, document, None if mode else f"{each}-content")
                     for each, logo in logos.items() if logo is not None)
    return f"[{images}]{{.brand-logo}}"  # a span: a lone image would become a figure


def _brands(root: Path, project: Mapping[str, Any], document: Mapping[str, Any], path: Path) -> Brands | None:
    if "brand" in document:
        return load_brands(root, document["brand"], path)
    return load_brands(root, project.get("brand"), Path("_quarto.yml"))


def _logo(brand: Brand | None, name: str) -> BrandLogo | None:
    if brand is None:
        return None
    return brand.logos.get(name) or brand.images.get(name)


def _image(logo: BrandLogo, document: Path, scheme_class: str | None) -> str:
    """A Markdown image of ``logo`` (project-relative) as the page at ``document`` links it, as Quarto: `./x.png`."""
    if "://" in logo.path:
        target = logo.path
    else:
        target = os.path.relpath(logo.path, document.parent.as_posix() or ".").replace(os.sep, "/")
        target = target if target.startswith("../") else f"./{target}"
    alt = (logo.alt or "").replace("]", "\\]")
    classes = " ".join(f".{name}" for name in (scheme_class, "img-fluid") if name)
    return f"![{alt}](<{target}>){{{classes}}}"
