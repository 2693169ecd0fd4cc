"""Embedded notebooks' links on an HTML page, as Quarto writes them (format-html-notebook.ts).

An embed's cells stand in a Div `.quarto-embed-nb-cell` naming the notebook, its title and the first cell's id
(report.document.assemble). On the page that Div keeps its class, loses those attributes, and
- `notebook-links: true` (the default) or `inline`: ends with a link `a.quarto-notebook-link` "Source: TITLE"
  to the notebook's preview page `<stem>-preview.html` (at the cell's id);
- `notebook-links: true` or `global`: the notebooks are listed beside the table of contents
  (`div.quarto-alternate-notebooks`, heading "Notebooks");
- `notebook-links: false`: no link.
`notebook-view: false` links the notebook file itself (a download) instead of a preview page; `notebook-view`
entries `{notebook, title, url}` give a notebook another title, or a page of its own (`url`) that is not built.
A book has no notebook links and no previews, as in Quarto. A website's page is published into its site, where
no preview page is built: there the links download the notebook itself (as with `notebook-view: false`).

The TITLE is the notebook's (report.sources.shortcodes.notebook_title), else its file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Mapping

from report.document._ast import walk
from report.outputs.html_links_aside import LinkGroup, PageLink

__all__ = ["EMBED_CLASS", "NotebookPreview", "notebook_links", "preview_header"]

EMBED_CLASS = "quarto-embed-nb-cell"
_ATTRIBUTES = ("notebook", "notebook-title", "notebook-cellId")

@dataclass(frozen=True)
class NotebookPreview:
    notebook: str  # the notebook (or .qmd), relative to the page's folder
    title: str
    href: str  # where its links point, relative to the page's folder
    download: str | None  # the file name when the link downloads the notebook itself
    page: str | None  # the preview page to build (relative to the page's folder); None: none is built

def _views(value: Any) -> dict[str, Mapping[str, Any]]:
    entries = value if isinstance(value, list) else [value] if isinstance(value, Mapping) else []
    return {str(entry["notebook"]): entry for entry in entries
            if isinstance(entry, Mapping) and entry.get("notebook")}

def _preview(notebook: str, title: str, view: Any, previews_built: bool) -> NotebookPreview:
    descriptor = _views(view).get(notebook, {})
    title = str(descriptor.get("title") or title or PurePosixPath(notebook).name)
    name = PurePosixPath(notebook).name
    if descriptor.get("url"):
        return NotebookPreview(notebook, title, str(descriptor["url"]), None, None)
    if view is False or not previews_built:
        return NotebookPreview(notebook, title, notebook, name, None)
    path = PurePosixPath(notebook)
    page = str(path.with_name(f"{path.stem}-preview.html"))
    return NotebookPreview(notebook, title, page, None, page)

def notebook_links(blocks: list, options: Mapping[str, Any], labels: Mapping[str, str], *, in_book: bool,
                   previews_built: bool) -> tuple[list, tuple[NotebookPreview, ...], tuple[LinkGroup, ...]]:
    """``blocks`` with each embed's Div given its "Source" link; the notebooks' previews (in page order) and the
    list of them beside the table of contents.

    ``previews_built``: whether this render builds preview pages (else a link downloads the notebook itself)."""
    links = options.get("notebook-links", True)
    view = options.get("notebook-view", True)
    inline = links in (True, "inline") and not in_book
    listed = links in (True, "global") and not in_book
    previews: dict[str, NotebookPreview] = {}
    count = 0

    def embed(node: dict) -> dict | None:
        nonlocal count
        identifier, classes, attributes = node["c"][0]
        if EMBED_CLASS not in classes:
            return None
        values = dict(attributes)
        kept = [[key, value] for key, value in attributes if key not in _ATTRIBUTES]
        content = walk(node["c"][1], embed, {"Div"})
        if not values.get("notebook") or not (inline or listed):
            return {"t": "Div", "c": [[identifier, classes, kept], content]}
        notebook = values["notebook"]
        preview = previews.setdefault(notebook, _preview(notebook, values.get("notebook-title", ""), view,
                                                         previews_built))
        if inline:
            count += 1
            content = [*content, {"t": "RawBlock", "c": ["html", _inline_link(preview, values, count, labels)]}]
        return {"t": "Div", "c": [[identifier, classes, kept], content]}

    blocks = walk(blocks, embed, {"Div"})
    groups = ()
    if listed and previews:
        groups = (LinkGroup("quarto-alternate-notebooks", labels["notebooks"], tuple(
            PageLink(href=item.href, text=item.title, icon="journal-code", download=item.download)
            for item in sorted(previews.values(), key=lambda item: item.title))),)
    return blocks, tuple(previews.values()), groups

def _inline_link(preview: NotebookPreview, values: Mapping[str, str], count: int, labels: Mapping[str, str]) -> str:
    from html import escape

    cell = values.get("notebook-cellId", "")
    if preview.download:
        target = f'href="{escape(preview.href)}" download="{escape(preview.download)}"'
    else:
        target = f'href="{escape(preview.href + ("#" + cell if cell else ""))}"'
    return (f'<a class="quarto-notebook-link" id="nblink-{count}" {target}>'
            f'{escape(labels["source-notebook"])}: {escape(preview.title)}</a>')

def preview_header(page: str, preview: NotebookPreview, back: str, labels: Mapping[str, str]) -> str:
    """The preview page ``page`` with Quarto's embed header: back to the article, the notebook's title, and the
    notebook to download."""
    from html import escape

    name = PurePosixPath(preview.notebook).name
    download = labels["notebook-download-source" if name.endswith(".qmd") else "notebook-download"]
    header = ('<div id="quarto-embed-header" class="headroom fixed-top bg-primary">'
              f'<a href="{escape(back)}" class="btn btn-primary quarto-back-link"><i class="bi bi-caret-left"></i> '
              f'{escape(labels["notebook-back"])}</a>'
              f'<h6><i class="bi bi-journal-code"></i> {escape(preview.title)}</h6>'
              f'<a href="{escape(name)}" class="btn btn-primary quarto-download-embed" download="{escape(name)}">'
              f'{escape(download)}</a></div>')
    return re.sub(r"<body[^>]*>", lambda match: match.group(0) + "\n" + header, page, count=1)
