"""`format-links`: a page's links to the document's other outputs of the same render, as Quarto lists them
(format-html-links.ts) beside the table of contents, in `div.quarto-alternate-formats` ("Other Formats").

As in Quarto, the list is there only when the render writes more than one format (`report render doc.qmd` with
html and pdf listed; not `--to html`), and never links an HTML output. `format-links: false` leaves it out; a
list chooses: a format's name links that output (in the list's order), `{format, text, icon}` gives it another
text or icon, `{text, href, icon}` is a link of its own. Without a format's name in the list, every other output
is linked after the list's own links. A name the engine cannot render (`jats`) is a warning: its link is left out.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from report.outputs.html_links_aside import LinkGroup, PageLink
from report.sources.format_names import rendered_names, spoken_list, writer_of

__all__ = ["format_links"]

# Quarto's display names and Bootstrap icons of the formats the engine writes (identifier display-name).
_TITLES = {"pdf": "PDF", "typst": "Typst", "docx": "MS Word"}
_ICONS = {"pdf": "file-pdf", "typst": "file-pdf", "docx": "file-word"}
_ICONS_BY_EXTENSION = {".pdf": "file-pdf", ".docx": "file-word", ".ipynb": "journal-code", ".md": "file-code",
                       ".xml": "filetype-xml"}


def _icon_for(href: str) -> str:
    return next((icon for extension, icon in _ICONS_BY_EXTENSION.items() if href.lower().endswith(extension)),
                "file")


def format_links(formats: tuple[str, ...], output_name: Callable[[str], str], option: Any,
                 labels: Mapping[str, str], warn: Callable[[str], None]) -> tuple[LinkGroup, ...]:
    """The page's "Other Formats" list: ``formats`` are those this render writes (as named: `pdf`, `typst`),
    ``output_name(format)`` the file each is written to, beside the page."""
    if option is False or len(formats) < 2:
        return ()
    others = [fmt for fmt in formats if writer_of(fmt) != "html"]

    def link(fmt: str, text: Any = None, icon: Any = None) -> PageLink:
        return PageLink(href=output_name(fmt), text=str(text or _TITLES.get(fmt, fmt)),
                        icon=str(icon or _ICONS.get(fmt, "file")))

    entries = [] if option is None or option is True else option if isinstance(option, list) else [option]
    links: list[PageLink] = []
    for entry in entries:
        named = entry if isinstance(entry, str) else entry.get("format") if isinstance(entry, Mapping) else None
        if named is not None:
            if writer_of(str(named)) is None:
                warn(f"format-links: format '{named}' is not rendered by the embedded engine (it renders "
                     f"{spoken_list(rendered_names())}); its link is left out")
            elif named in others:  # a format not written by this render has no link, as in Quarto
                links.append(link(str(named), *((entry.get("text"), entry.get("icon"))
                                                if isinstance(entry, Mapping) else ())))
        elif isinstance(entry, Mapping) and entry.get("href") and entry.get("text"):
            links.append(PageLink(href=str(entry["href"]), text=str(entry["text"]),
                                  icon=str(entry.get("icon") or _icon_for(str(entry["href"])))))
        else:
            warn(f"format-links: each entry is a format's name, {{format, text}} or {{text, href}}, not {entry!r}; "
                 "it is left out")
    if not any(isinstance(entry, str) for entry in entries):
        links.extend(link(fmt) for fmt in others)
    return (LinkGroup("quarto-alternate-formats", labels["other-formats"], tuple(links)),) if links else ()
