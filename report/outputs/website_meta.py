"""What a website page tells search engines and social sites: `canonical-url`, `open-graph` and `twitter-card`.

As Quarto (its website metadata post-processor), the tags are written from the finished page: a title, a
description (`description`, `abstract` or `subtitle`, else the page's first paragraph), and a preview image
(`image`, else an image of class `preview-image`, an image whose file is named preview/feature/cover/thumbnail,
or the first local image of the page, else the site's `website: image`). A provider is on when the site
(`website: open-graph:`) or the page asks for it, with `true` or with a map of values that win over the found
ones. An image becomes an absolute URL where the site has a `site-url`, and gets its pixel size when it is a
local file the engine can read.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Mapping

from lxml import html as lxml_html

__all__ = ["WEBSITE_ONLY", "SocialSettings", "social_settings", "with_social_meta"]

_NAMED_PREVIEW = re.compile(r".*?(?:preview|feature|cover|thumbnail).*?\.(?:png|gif|jpe?g|webp|svg)$", re.IGNORECASE)
_OPEN_GRAPH_KEYS = ("title", "description", "image", "image-alt", "image-height", "image-width", "locale", "site-name")
_TWITTER_KEYS = ("title", "description", "image", "image-alt", "creator", "site", "card-style")
_DESCRIPTION_LENGTH = 200
#: Options that take effect on a website's pages only (Quarto's website metadata); elsewhere they warn here.
WEBSITE_ONLY = ("canonical-url", "open-graph", "twitter-card")


@dataclass(frozen=True)
class SocialSettings:
    """One page's settings, merged site < page as Quarto merges them."""

    page: str = "index.html"  # the page's address in the site, relative to its root
    site_url: str | None = None
    canonical: bool | str = False  # `canonical-url`: true (from site-url), or the URL itself
    open_graph: Mapping[str, Any] | None = None  # None: off; else the author's own values
    twitter: Mapping[str, Any] | None = None
    site_title: str | None = None
    page_meta: Mapping[str, Any] = field(default_factory=dict)  # title, description, image, image-alt
    site_image: str | None = None
    image_wanted: bool = True  # `image: false` asks for no preview image


def _provider(site_value: Any, page_value: Any) -> Mapping[str, Any] | None:
    if page_value is False or (page_value is None and not site_value):
        return None
    merged: dict[str, Any] = {}
    for value in (site_value, page_value):
        if isinstance(value, Mapping):
            merged.update(value)
    return merged


def social_settings(options: Mapping[str, Any], title: str, site_title: str | None,
                    source: PurePosixPath) -> SocialSettings | None:
    """The settings of the page made from ``source`` (relative to the project root), whose resolved html options
    are ``options`` (project < format < document); None when the page asks for none of the three."""
    website = options.get("website") if isinstance(options.get("website"), Mapping) else {}
    open_graph = _provider(website.get("open-graph"), options.get("open-graph"))
    twitter = _provider(website.get("twitter-card"), options.get("twitter-card"))
    canonical = options.get("canonical-url", False)
    if open_graph is None and twitter is None and not canonical:
        return None
    description = options.get("description") or options.get("abstract") or options.get("subtitle")
    image = options.get("image")
    return SocialSettings(
        page=source.with_suffix(".html").as_posix(), site_url=str(website["site-url"]) if website.get("site-url") else None, canonical=canonical,
        open_graph=open_graph, twitter=twitter,
        site_title=site_title,
        page_meta={"title": options.get("pagetitle") or title,
                   "description": str(description) if description else None,
                   "image": str(image) if image and image is not True else None,
                   "image-alt": options.get("image-alt")},
        site_image=str(website["image"]) if website.get("image") else None, image_wanted=image is not False)


def _canonical_url(site_url: str, page: str) -> str:
    """A page's address under ``site_url``; an index page is named by its folder, as Quarto names it."""
    path = PurePosixPath(page)
    if path.name == "index.html":
        relative = "" if path.parent == PurePosixPath(".") else f"{path.parent.as_posix()}/"
    else:
        relative = path.as_posix()
    return f"{site_url.rstrip('/')}/{relative}"


def _preview_image(tree) -> tuple[str, str | None] | None:
    found = (tree.cssselect("img.preview-image") or tree.cssselect("div.preview-image div.cell-output-display img"))
    if not found:
        found = [img for img in tree.cssselect("img")
                 if (img.get("src") or "").startswith("data:") or _NAMED_PREVIEW.match(img.get("src") or "")]
    if not found:
        found = [img for img in tree.cssselect("#quarto-document-content img")
                 if img.get("src") and not img.get("src").startswith(("http:", "https:"))]
    if not found:
        return None
    return found[0].get("src"), found[0].get("alt")


def _first_paragraph(tree) -> str | None:
    for paragraph in tree.cssselect("main.content > p, main.content > section > p"):
        text = " ".join(paragraph.text_content().split())
        if text:
            return text
    return None


def _shortened(text: str) -> str:
    """At most 200 characters, cut after a sentence or word, as Quarto truncates a description."""
    text = text.strip()
    if len(text) <= _DESCRIPTION_LENGTH:
        return text
    cut = text[:_DESCRIPTION_LENGTH]
    sentence = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if sentence > _DESCRIPTION_LENGTH // 2:
        return cut[:sentence + 1]
    return cut[:cut.rfind(" ")].rstrip(",;:") + "…" if " " in cut else cut


def _image_size(file: Path | None) -> tuple[int, int] | None:
    if file is None or not file.is_file():
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        return None  # an SVG or a file PIL cannot read: no size, as Quarto gives none


def _tag(attribute: str, name: str, value: Any) -> str:
    return f'<meta {attribute}="{html.escape(name)}" content="{html.escape(str(value))}">'


def with_social_meta(page: str, local_file: Callable[[str], Path | None], settings: SocialSettings | None) -> str:
    """``page`` (finished HTML) with the tags in its head; ``local_file`` finds the file a relative image
    address of the page will lead to."""
    if settings is None:
        return page
    page_path = settings.page
    tree = lxml_html.fromstring(page)
    tags: list[str] = []
    if settings.canonical:
        url = settings.canonical if isinstance(settings.canonical, str) else (
            _canonical_url(settings.site_url, page_path) if settings.site_url else None)
        if url:
            tags.append(f'<link rel="canonical" href="{html.escape(url)}">')
    found: dict[str, Any] = {key: value for key, value in settings.page_meta.items() if value}
    if settings.image_wanted and not found.get("image"):
        preview = _preview_image(tree) or ((settings.site_image, None) if settings.site_image else None)
        if preview:
            found["image"], found["image-alt"] = preview[0], preview[1] or found.get("image-alt")
    if not found.get("description"):
        found["description"] = _first_paragraph(tree)
    if found.get("image") and not found.get("image-height"):
        local = "://" not in found["image"] and not found["image"].startswith("data:")
        size = _image_size(local_file(found["image"]) if local else None)
        if size:
            found["image-width"], found["image-height"] = size
    if found.get("image") and settings.site_url and "://" not in found["image"] \
            and not found["image"].startswith("data:"):
        base = PurePosixPath(page_path).parent
        relative = found["image"].lstrip("/") if found["image"].startswith("/") else (base / found["image"]).as_posix()
        found["image"] = settings.site_url.rstrip("/") + "/" + relative.lstrip("./")
    if settings.open_graph is not None:
        values = {**found, **({"site-name": settings.site_title} if settings.site_title else {}),
                  **settings.open_graph}
        for key in _OPEN_GRAPH_KEYS:
            if values.get(key):
                value = _shortened(str(values[key])) if key == "description" else values[key]
                name = "site_name" if key == "site-name" else key.replace("-", ":", 1) if key.startswith("image-") else key
                tags.append(_tag("property", f"og:{name}", value))
    if settings.twitter is not None:
        values = {**{key: found.get(key) for key in ("title", "description", "image", "image-alt")},
                  **settings.twitter}
        values.setdefault("card-style", None)
        if not values.get("card-style"):
            values["card-style"] = "summary_large_image" if values.get("image") else "summary"
        for key in _TWITTER_KEYS:
            if values.get(key):
                value = _shortened(str(values[key])) if key == "description" else values[key]
                name = "card" if key == "card-style" else key.replace("-", ":", 1) if key == "image-alt" else key
                tags.append(_tag("name", f"twitter:{name}", value))
    if not tags:
        return page
    return page.replace("</head>", "\n".join(tags) + "\n</head>", 1)
