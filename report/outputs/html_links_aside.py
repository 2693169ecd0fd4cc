"""`other-links` and `code-links`: lists of links beside the page's table of contents, as Quarto places them.

Each list is `div.quarto-other-links` / `div.quarto-code-links` holding a heading (the language's "Other Links",
"Code Links") and a `ul` of links `{text, href, icon, rel, target}` (icon: a Bootstrap icon name, `link-45deg`
unless given). Quarto's named code links (`repo`, `binder`, `devcontainer`) come from the project's GitHub
remote, which the engine does not read: each is left out with a warning, as Quarto warns outside GitHub.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

__all__ = ["LinkGroup", "PageLink", "margin_link_groups"]


@dataclass(frozen=True)
class PageLink:
    href: str
    text: str
    icon: str = "link-45deg"
    rel: str | None = None
    target: str | None = None
    download: str | None = None  # the file name a download link saves as


@dataclass(frozen=True)
class LinkGroup:
    css_class: str  # quarto-other-links, quarto-code-links
    title: str
    links: tuple[PageLink, ...]


def _links(value: Any, option: str, warn: Callable[[str], None]) -> tuple[PageLink, ...]:
    if value is None or isinstance(value, bool):
        return ()
    links = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, Mapping) and entry.get("href"):
            links.append(PageLink(href=str(entry["href"]), text=str(entry.get("text") or entry["href"]),
                                  icon=str(entry.get("icon") or "link-45deg"),
                                  rel=str(entry["rel"]) if entry.get("rel") else None,
                                  target=str(entry["target"]) if entry.get("target") else None))
        elif isinstance(entry, str):
            warn(f"{option}: '{entry}' needs the project's GitHub repository, which the embedded engine does not "
                 "read; the link is left out")
        else:
            warn(f"{option}: each link needs an href (and text), not {entry!r}; it is left out")
    return tuple(links)


def margin_link_groups(options: Mapping[str, Any], labels: Mapping[str, str],
                       warn: Callable[[str], None]) -> tuple[LinkGroup, ...]:
    """The page's link lists, in Quarto's order (other links, then code links); empty lists are left out."""
    groups = (LinkGroup("quarto-other-links", labels["other-links"],
                        _links(options.get("other-links"), "other-links", warn)),
              LinkGroup("quarto-code-links", labels["code-links"],
                        _links(options.get("code-links"), "code-links", warn)))
    return tuple(group for group in groups if group.links)
