"""A website project (`project: type: website`): its pages, and the navbar and sidebar of `website:`.

As Quarto: a whole-site render renders the documents `project: render:` lists, else every document in the
project folder, leaving out files and folders whose name starts with `_` or `.` (and the output folder); the navbar (`website: navbar: title/left/right`) and
the sidebar (`website: sidebar: title/contents`, or a list of sidebars: the one listing the page) link the
pages by their output names. Options of `website:` the engine does not implement are warned about by
report.sources.options.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from report.sources import diagnostics
from report.sources.paths import inside_project
from report.sources.project import DOCUMENT_SUFFIXES, Project, document_title, project_inputs
from report.sources.shortcodes import ShortcodeContext, expand_values

__all__ = ["FooterPart", "Logo", "NavLink", "PageFooter", "SiteNavigation", "page_footer", "site_documents",
           "site_files", "site_navigation"]


@dataclass(frozen=True)
class NavLink:
    text: str
    href: str | None  # relative to the page that shows it; None for a section heading
    current: bool = False
    children: tuple["NavLink", ...] = ()
    target: str | None = None  # the entry's `target` (`_blank`) and `rel` (`external`), written on the link
    rel: str | None = None
    icon: str | None = None  # a Bootstrap icon name, shown before the text (or alone, named by aria_label)
    aria_label: str | None = None


@dataclass(frozen=True)
class SiteNavigation:
    """The navigation one page of a website shows, its links relative to that page."""

    title: str  # the navbar's title
    site_title: str  # `website: title`, which pages' titles and Open Graph name
    home: str  # the link of the site's title: its index page
    left: tuple[NavLink, ...]
    right: tuple[NavLink, ...]
    sidebar_title: str | None
    sidebar: tuple[NavLink, ...]
    breadcrumbs: tuple[NavLink, ...] = ()  # the sidebar's sections down to this page (`bread-crumbs`), or none
    navbar_logo: "Logo | None" = None
    sidebar_logo: "Logo | None" = None


@dataclass(frozen=True)
class Logo:
    """`logo` and `logo-alt` of the navbar or the sidebar; ``src`` is relative to the page, or a URL."""

    src: str
    alt: str


def _logo(links: "_Links", settings: dict[str, Any]) -> Logo | None:
    logo = settings.get("logo")
    if not isinstance(logo, str) or not logo:
        return None
    alt = settings.get("logo-alt")
    return Logo(logo if _external(logo) else links.href(logo), str(alt) if isinstance(alt, str) else "")


def site_files(project: Project) -> dict[str, Path]:
    """The files the site's navigation shows (local logos), by their path in the project, to publish with it."""
    website = project.config.website
    if not project.is_website or website is None:
        return {}
    found = {}
    for settings in [website.navbar, *_as_list(website.sidebar)]:
        logo = settings.get("logo") if isinstance(settings, dict) else None
        if isinstance(logo, str) and logo and not _external(logo):
            # Never a file outside the project or in a data folder (the same rule as every other named file).
            relative = inside_project(project.root, Path("."), logo.lstrip("/"), what="logo", path="_quarto.yml",
                                      data_dirs=project.data_folders).as_posix()
            if not (project.root / relative).is_file():
                # Quarto renders the page with the logo's image missing; so does the engine, saying so.
                diagnostics.warn(f"logo '{logo}' does not exist; the page shows no image there", path="_quarto.yml")
                continue
            found[relative] = project.root / relative
    return found


def _trail(links: tuple[NavLink, ...]) -> tuple[NavLink, ...]:
    """The sidebar entries from the top down to the current page, or () when the page is not in the sidebar."""
    for link in links:
        if link.current and not link.children:
            return (link,)
        below = _trail(link.children)
        if below:
            return (link, *below)
    return ()


def site_documents(project: Project) -> tuple[Path, ...]:
    """Every document of the site, relative to the project root, in a stable order (Quarto's project inputs)."""
    return project_inputs(project)


def _output_name(source: str) -> str:
    path = PurePosixPath(source.lstrip("/"))
    return path.with_suffix(".html").as_posix() if path.suffix in DOCUMENT_SUFFIXES else path.as_posix()


def _external(href: str) -> bool:
    return "://" in href or href.startswith(("mailto:", "#"))


class _Links:
    def __init__(self, project: Project, page: PurePosixPath):
        self.project = project
        self.page = page  # the page's output path, relative to the output folder

    def href(self, target: str) -> str:
        from report.outputs._links_html import relative_href

        return target if _external(target) else relative_href(self.page.as_posix(), _output_name(target))

    def title(self, source: str) -> str:
        file = self.project.root / source.lstrip("/")
        return document_title(file) if file.suffix in DOCUMENT_SUFFIXES and file.is_file() else source

    def link(self, entry: Any) -> list[NavLink]:
        """One navbar or sidebar entry: a document, {href, text}, or {section, contents}; a glob gives several."""
        if isinstance(entry, str):
            if entry == "auto" or any(mark in entry for mark in "*?["):
                pattern = "**/*" if entry == "auto" else entry
                inputs = set(project_inputs(self.project))  # a glob lists documents, never _ or . files
                matches = sorted(str(PurePosixPath(Path(match).relative_to(self.project.root)))
                                 for match in glob.glob(str(self.project.root / pattern), recursive=True))
                return [self.document(match) for match in matches if Path(match) in inputs]
            return [self.document(entry)]
        if not isinstance(entry, dict):
            return []
        text = entry.get("text") or entry.get("title")
        opening = {key: str(entry[key]) for key in ("target", "rel") if isinstance(entry.get(key), str)}
        if "section" in entry or "contents" in entry:
            children = tuple(item for child in _as_list(entry.get("contents")) for item in self.link(child))
            section = entry.get("section")
            href = section if isinstance(section, str) and PurePosixPath(section).suffix in DOCUMENT_SUFFIXES else None
            href = href or (entry.get("href") if isinstance(entry.get("href"), str) else None)
            heading = text or (self.title(href) if href else str(section or ""))
            return [NavLink(heading, self.href(href) if href else None, self.is_current(href), children, **opening)]
        href = entry.get("href") or entry.get("file")
        icon = str(entry["icon"]) if entry.get("icon") else None
        label = str(entry["aria-label"]) if entry.get("aria-label") else None
        if not isinstance(href, str):
            return [NavLink(str(text), None, icon=icon, aria_label=label)] if text else []
        # An icon alone is the link's whole content, as in Quarto (its name, or aria-label, names it).
        shown = str(text) if text else ("" if icon else self.title(href))
        return [NavLink(shown, self.href(href), self.is_current(href), icon=icon, aria_label=label or (
            None if shown else icon), **opening)]

    def document(self, source: str) -> NavLink:
        return NavLink(self.title(source), self.href(source), self.is_current(source))

    def is_current(self, source: str | None) -> bool:
        return source is not None and not _external(source) and _output_name(source) == self.page.as_posix()

    def has(self, links: list[NavLink]) -> bool:
        return any(link.current or self.has(list(link.children)) for link in links)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def site_navigation(project: Project, page: Path) -> SiteNavigation | None:
    """The navbar and sidebar of the website page made from ``page`` (relative to the project root)."""
    book = project.config.book
    if project.is_book and book is not None and isinstance(book.navbar, dict):
        # A book's navbar (Quarto reads `book:` as `website:`): above its pages; the book keeps its own sidebar.
        links = _Links(project, PurePosixPath(_output_name(page.as_posix())))
        title = book.navbar.get("title") if isinstance(book.navbar.get("title"), str) else book.title
        return SiteNavigation(title=title, site_title=str(book.title or title or ""), home=links.href("index.html"),
                              left=tuple(item for entry in _as_list(book.navbar.get("left")) for item in links.link(entry)),
                              right=tuple(item for entry in _as_list(book.navbar.get("right"))
                                          for item in links.link(entry)),
                              sidebar_title=None, sidebar=())
    website = project.config.website
    if not project.is_website or website is None:
        return None
    links = _Links(project, PurePosixPath(_output_name(page.as_posix())))
    navbar = website.navbar if isinstance(website.navbar, dict) else {}
    left = [item for entry in _as_list(navbar.get("left")) for item in links.link(entry)]
    right = [item for entry in _as_list(navbar.get("right")) for item in links.link(entry)]
    sidebars = [item for item in _as_list(website.sidebar) if isinstance(item, dict)]
    chosen: list[NavLink] = []
    sidebar_title = None
    for sidebar in sidebars:
        contents = [item for entry in _as_list(sidebar.get("contents")) for item in links.link(entry)]
        if not chosen or (links.has(contents) and not links.has(chosen)):
            chosen = contents
            sidebar_title = sidebar.get("title") if isinstance(sidebar.get("title"), str) else None
    values = ShortcodeContext.for_project(project.root, project.metadata)
    site_title = expand_values(website.title or project.root.name, values, Path("_quarto.yml"))
    title = (expand_values(navbar["title"], values, Path("_quarto.yml")) if isinstance(navbar.get("title"), str)
             else site_title)
    trail = _trail(tuple(chosen)) if website.bread_crumbs is not False else ()
    return SiteNavigation(title=title, site_title=site_title, home=links.href("index.html"), left=tuple(left),
                          right=tuple(right), sidebar_title=sidebar_title, sidebar=tuple(chosen),
                          breadcrumbs=trail if len(trail) > 1 else (), navbar_logo=_logo(links, navbar),
                          sidebar_logo=next((_logo(links, item) for item in sidebars if _logo(links, item)), None))


@dataclass(frozen=True)
class FooterPart:
    """One third of the page footer: Markdown text, or links (hrefs relative to the output folder)."""

    text: str | None = None
    links: tuple[NavLink, ...] = ()


@dataclass(frozen=True)
class PageFooter:
    """`page-footer:` of `website:` (or of `book:`, which Quarto reads as the same): left, center, right."""

    left: FooterPart = FooterPart()
    center: FooterPart = FooterPart()
    right: FooterPart = FooterPart()


def page_footer(project: Project) -> PageFooter | None:
    """The project's page footer; a plain string is its center text, as in Quarto."""
    config = project.config.website if project.is_website else project.config.book
    value = getattr(config, "page_footer", None) if config is not None else None
    if not value:
        return None
    if not isinstance(value, dict):
        return PageFooter(center=FooterPart(text=str(value)))
    links = _Links(project, PurePosixPath("index.html"))  # hrefs from the output folder; each page makes them its own

    def part(entry: Any) -> FooterPart:
        if entry is None:
            return FooterPart()
        if isinstance(entry, list):
            return FooterPart(links=tuple(item for element in entry for item in links.link(element)))
        return FooterPart(text=str(entry))

    return PageFooter(part(value.get("left")), part(value.get("center")), part(value.get("right")))
