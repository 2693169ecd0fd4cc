"""HTML output: one page per chapter with Quarto-like markup, a sidebar, and an offline search index."""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from html import escape as html_escape
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

from jinja2 import Environment, PackageLoader, select_autoescape

from report.document._ast import Div, Node, Plain, RawBlock, Span, Str, walk
from report.document import authoring
from report.document.blocks import callout_options, callout_parts
from report.document.columns import MARGIN_CLASSES, taken_margin_notes
from report.document.crossref import BookDocument
from report.document.diagrams import aligned_cells, has_diagrams
from report.outputs._floats_html import floats_html, inlines_html
from report.outputs.html_math import HtmlMath
from report.outputs._links_html import anchor_links, document_links, page_ids, relative_href
from report.outputs.html_reading import add_copy_buttons, add_figure_zoom_links, quarto_code_blocks, wrap_tables
from report.errors import ReportError
from report.outputs.icons import callout_icon
from report.outputs.html_margin_notes import margin_notes
from report.outputs.includes import Includes
from report.outputs.mermaid import mermaid_dependency
from report.outputs.website_meta import SocialSettings, with_social_meta
from report.outputs.citation_appendix import citation_appendix
from report.outputs.theme import SiteStyle
from report.sources.website import SiteNavigation

__all__ = ["HtmlSite", "write_html"]

RESOURCES = Path(__file__).parent / "resources"


@dataclass(frozen=True)
class HtmlSite:
    title: str
    subtitle: str | None
    authors: tuple[Mapping[str, Any], ...]  # Quarto's by-author form (report.sources.title_block)
    date: str | None  # resolved and formatted
    lang: str
    labels: Mapping[str, str]
    mark: str | None
    toc: bool
    sidebar: bool  # a book has one; a single document does not
    article: bool = False  # a single document outside a book: its title block is the page's H1 (Quarto's article)
    abstract: str | None = None  # Markdown
    abstract_title: str | None = None
    code_style: str = ""  # CSS for the syntax colours (report.outputs.highlight)
    code_copy: bool = True  # Quarto's `code-copy`: a copy button on every code block
    stylesheets: tuple[str, ...] = ()  # Quarto's `css`: files linked after the engine's own styles, relative to the root
    website: SiteNavigation | None = None  # a website page's navbar and sidebar (report.sources.website)
    downloads: tuple[tuple[str, str], ...] = ()  # `book: downloads:`: (label, file in the book's folder)
    includes: Includes = Includes()  # the project's include-in-header, -before-body, -after-body (every page)
    style: SiteStyle = SiteStyle()  # what a brand and a theme add (report.outputs.theme)
    social: SocialSettings | None = None  # a website page's canonical URL, Open Graph and Twitter Card
    cover: tuple[str, str, Path] | None = None  # `book: cover-image:` as written, its alt text and its file
    # The page's resolved html options under Quarto's names (toc-location, axe, page-footer, ...): what the page's
    # own markup reads beyond the fields above.
    options: Mapping[str, Any] = field(default_factory=dict)
    # This page's own link lists (other formats, notebooks: report.outputs.notebook_links), before `other-links`
    page_links: tuple[Any, ...] = ()
    page_footer: Any = None  # `page-footer:` of the website or book (report.sources.website.PageFooter)
    math: HtmlMath = HtmlMath()  # `html-math-method` (report.outputs.html_math)


def _callout_html(node: Node) -> list[Node] | None:
    parts = callout_parts(node)
    if parts is None:
        return None
    kind, title, body = parts
    options = callout_options(node)
    body, margin = _callout_margin(body, options)
    return _callout_box(node, kind, title, body, options) + margin


def _callout_margin(body: list[Node], options: Mapping[str, str]) -> tuple[list[Node], list[Node]]:
    """The callout's body without its margin notes (`.column-margin`, `.aside` divs), and those notes in a margin
    container after the callout, as Quarto moves them (`callout-margin-content`); a collapsible callout's notes
    carry its `callout-collapse collapse` (`show` while open), and tabsets.js shows them with the callout."""
    body, found = taken_margin_notes(body)
    # a margin container already (footnotes in the margin, report.outputs.html_margin_notes): its notes
    found = [note for div in found for note in (div["c"][1] if "column-container" in div["c"][0][1] else [div])]
    if not found:
        return body, []
    marks = ["callout-margin-content", *(["callout-margin-content-simple"] if options["appearance"] == "simple" else [])]
    if options["collapse"] in {"true", "false"}:
        marks += ["callout-collapse", "collapse", *(["show"] if options["collapse"] == "false" else [])]
    notes = [{"t": "Div", "c": [[div["c"][0][0], [name for name in div["c"][0][1] if name not in MARGIN_CLASSES]
                                                 + marks, div["c"][0][2]], div["c"][1]]} for div in found]
    return body, [Div(notes, classes=["no-row-height", "column-margin", "column-container"])]


def _callout_box(node: Node, kind: str, title: list[Node], body: list[Node], options: Mapping[str, str]) -> list[Node]:
    icon = options["icon"] == "true"
    shown = options["appearance"] == "default" or options["titled"] == "true"  # Quarto: simple callouts may be untitled
    classes = (f"callout callout-style-{options['appearance']} callout-{kind}" + ("" if icon else " no-icon")
               + (" callout-titled" if shown else ""))
    icon_html = (f'<i class="callout-icon" aria-hidden="true">{callout_icon(kind)}</i>' if icon else "")
    # its id on the callout, as Quarto's: what a cross-reference (`@nte-x`) links to
    identity = f' id="{html_escape(node["c"][0][0], quote=True)}"' if node["c"][0][0] else ""
    if options["titled"] == "true" and options["name"]:
        # As Quarto: a title of the author's own is preceded by the kind's name, for screen readers only.
        title = [Span([Str(options["name"])], classes=["screen-reader-only"]), *title]
    if not shown:
        return [RawBlock("html", f'<div{identity} class="{classes}"><div class="callout-body d-flex">'
                                 f'<div class="callout-icon-container">{icon_html}</div>'
                                 '<div class="callout-body-container">'),
                *body, RawBlock("html", "</div></div></div>")]
    if options["collapse"] in {"true", "false"}:
        opened = "" if options["collapse"] == "true" else " open"
        return [RawBlock("html", f'<div{identity} class="{classes}"><details class="callout-collapse"{opened}>'
                                 '<summary class="callout-header d-flex align-content-center">'
                                 f'<span class="callout-icon-container">{icon_html}</span>'
                                 '<span class="callout-title-container flex-fill">'),
                Plain(title),
                RawBlock("html", '</span></summary><div class="callout-body-container callout-body">'),
                *body, RawBlock("html", "</div></details></div>")]
    return [RawBlock("html", f'<div{identity} class="{classes}">'
                             '<div class="callout-header d-flex align-content-center"><div class="callout-icon-container">'
                             f'{icon_html}</div>'
                             '<div class="callout-title-container flex-fill">'),
            Plain(title),
            RawBlock("html", '</div></div><div class="callout-body-container callout-body">'),
            *body, RawBlock("html", "</div></div>")]


def _rows_classed(rows: list, odd: str) -> list:
    """Rows with Quarto's classes: `odd` (or ``odd``'s stand-in) and `even`, counted from 1."""
    return [[[row[0][0], [*row[0][1], odd if number % 2 else "even"], row[0][2]], row[1]]
            for number, row in enumerate(rows, start=1)]


def _striped(node: Node) -> Node:
    """A table whose rows carry `odd`/`even` (`header`/`even` in its head), as Quarto adds them back after pandoc
    3.2.1 dropped them: styles and scripts select striped rows by them."""
    attribute, caption, colspecs, head, bodies, foot = node["c"]
    head = [head[0], _rows_classed(head[1], "header")]
    bodies = [[body[0], body[1], body[2], _rows_classed(body[3], "odd")] for body in bodies]
    foot = [foot[0], _rows_classed(foot[1], "odd")]
    return {"t": "Table", "c": [attribute, caption, colspecs, head, bodies, foot]}


def _cell_image(node: Node) -> list[Node] | None:
    """An image a cell displayed without a caption, in Quarto's markup: a cell-output-display div around a
    `figure.figure` whose image is `img-fluid figure-img` (the width and height its output's metadata gave)."""
    inlines = node["c"]
    if len(inlines) != 1 or inlines[0]["t"] != "Image":
        return None
    (identifier, classes, attributes), description, target = inlines[0]["c"]
    if not any(key == "data-cell-line" for key, _value in attributes):
        return None
    kept = [[key, value] for key, value in attributes if key != "data-cell-line"]
    image = {"t": "Image", "c": [[identifier, [*classes, "img-fluid", "figure-img"], kept], description, target]}
    return [Div([Div([RawBlock("html", '<figure class="figure">'), {"t": "Para", "c": [image]},
                      RawBlock("html", "</figure>")])], classes=["cell-output", "cell-output-display"])]


def with_default_extension(blocks: list[Node], extension: str) -> list[Node]:
    """Images whose file name has no extension get ``extension`` (Quarto's `default-image-extension`, png for
    HTML), as pandoc's reader adds it; a data URI and a URL that names no file (`https://example.com/`) keep
    theirs, as Quarto strips what pandoc would add there."""
    def visit(node: Node):
        attribute, description, (target, title) = node["c"]
        path, suffix = re.match(r"([^?#]*)(.*)", target, re.DOTALL).groups()  # the file, then ?query#fragment
        name = path.rsplit("/", 1)[-1]
        if not extension or target.startswith("data:") or not name or "." in name:
            return None
        return {"t": "Image", "c": [attribute, description, [f"{path}.{extension}{suffix}", title]]}

    return walk(blocks, visit, {"Image"})


def to_html_blocks(blocks: list[Node], math: HtmlMath, fig_align: str | None = None) -> list[Node]:
    """``fig_align``: the document's `fig-align`, for figures and diagram cells that set none of their own."""
    def visit(node: Node):
        if node["t"] == "Table":
            return _striped(node)
        if node["t"] == "Para":
            return _cell_image(node)
        if node["t"] != "Div":
            return None
        return floats_html(node, fig_align) or _callout_html(node) or authoring.html_block(node)

    blocks = aligned_cells(blocks, fig_align)
    blocks = walk(walk(authoring.for_format(blocks, "html"), lambda node: inlines_html(node, math), {"Span", "Link"}),
                  visit, {"Div", "Table", "Para"})
    return walk(blocks, _image_options, {"Image"})  # after the floats, which read their images' fig-align


def _image_options(node: Node) -> Node | None:
    """An image outside a figure, as Quarto writes it: `fig-align` becomes `quarto-figure quarto-figure-ALIGN`
    classes and `fig-alt` its alt text."""
    (identifier, classes, attributes), description, target = node["c"]
    options = dict(attributes)
    if "fig-align" not in options and "fig-alt" not in options:
        return None
    align = options.pop("fig-align", None)
    if align is not None:
        classes = [*classes, "quarto-figure", f"quarto-figure-{align}"]
    if "fig-alt" in options:
        options["alt"] = options.pop("fig-alt")
    return {"t": "Image", "c": [[identifier, classes, list(map(list, options.items()))], description, target]}


def _search_entries(page: str, body: str, title: str) -> list[dict[str, str]]:
    from lxml import html as lxml_html

    tree = lxml_html.fragment_fromstring(body, create_parent="div")
    entries = []
    for section in tree.iter("section"):
        heading = next((child for child in section if child.tag in {"h1", "h2", "h3", "h4"}), None)
        if heading is None:
            continue
        # Elements only: a comment or processing instruction (`<!-- -->` in a chapter) holds no text to find.
        own_text = " ".join(" ".join(child.itertext()) for child in section
                            if isinstance(child.tag, str) and child.tag not in {"section", "h1", "h2", "h3", "h4"})
        entries.append({"href": f"{page}#{section.get('id')}", "title": re.sub(r"\s+", " ", " ".join(heading.itertext())).strip(),
                        "chapter": title, "text": re.sub(r"\s+", " ", own_text).strip()})
    return entries


def write_html(documents: list[BookDocument], site: HtmlSite, output_dir: Path, pandoc_args: list[str],
               metadata: dict[str, Any], copy_files: dict[str, Path]) -> list[Path]:
    """Render every document to ``output_dir``; return the pages written.

    ``copy_files`` maps output-relative paths (figures, images) to the files to copy there.
    """
    from report.outputs.html_pages import page_bodies, search_entries

    # Each page converted on its own (cached), pages with citations together (report.outputs.html_pages).
    pages = {doc.source.as_posix(): doc.page for doc in documents}
    extension = str(site.options.get("default-image-extension", "png") or "")
    # `reference-location: margin`: each note beside its reference (report.outputs.html_margin_notes)
    notes = margin_notes if site.options.get("reference-location") == "margin" else (lambda blocks: blocks)
    fig_align = _fig_align(site.options)
    bodies = page_bodies([to_html_blocks(_with_cover(notes(document_links(with_default_extension(doc.blocks, extension),
                                                                    PurePosixPath(doc.source.as_posix()), doc.page,
                                                                    pages, standalone=not site.sidebar)),
                                                     doc, site), site.math, fig_align)
                          for doc in documents], metadata, pandoc_args, finish=authoring.finish_html)
    if site.cover and any(doc.source.stem == "index" for doc in documents):
        copy_files = {site.cover[0]: site.cover[2], **copy_files}
    ids = {index: page_ids(bodies.get(index, "")) for index in range(len(documents))}
    owner: dict[str, str] = {}
    for index, doc in enumerate(documents):
        for identifier in ids[index]:
            owner.setdefault(identifier, doc.page)

    environment = Environment(loader=PackageLoader("report.outputs", "resources"), autoescape=select_autoescape(["html"]),
                              keep_trailing_newline=True)
    template = environment.get_template("page.html")
    abstract = None
    if site.article and site.abstract:
        from report.document.pandoc import convert_cached

        abstract = convert_cached(site.abstract, ["--from", "markdown", "--to", "html5", "--wrap=none"],
                                  what="writing the abstract", suffix=".html")
    navigation = _navigation(documents, site)
    # A single document's `citation:` appendix (a book has none, as in Quarto).
    appendix = None if site.sidebar else citation_appendix(metadata, site.labels)
    footer_text = _footer_text(site)
    from report.outputs.html_links_aside import margin_link_groups
    from report.sources import diagnostics

    link_groups = (*site.page_links,
                   *margin_link_groups(site.options, site.labels,
                                       lambda message: diagnostics.warn(message, path=documents[0].source)))
    search: list[dict[str, str]] = []
    written: list[Path] = []
    for index, doc in enumerate(documents):
        body = site.math.finished(bodies.get(index, ""), lambda message, tex, doc=doc: diagnostics.warn(
            message, path=doc.source, line=doc.line_of(tex)))
        body = anchor_links(doc.page, body, ids[index], owner)
        root = relative_href(doc.page, "x")[:-1]
        includes = _page_includes(doc, site, output_dir)
        page = template.render(includes=includes, page_title=_page_title(doc, site), appendix=appendix,
                               math_head=site.math.head(doc.blocks),
                               link_groups=link_groups, footer_text=footer_text,
            site=site, labels=site.labels, doc=doc, root=root, abstract=abstract,
            body=_reading_aids(body, site), navigation=navigation,
            current=doc.page, previous=documents[index - 1] if index > 0 else None,
            next=documents[index + 1] if index + 1 < len(documents) else None,
            page_toc=[(level, identifier, title, number) for level, identifier, title, number in doc.sections
                      if level in (2, 3) and identifier],
            rel=lambda target, page=doc.page: relative_href(page, target))
        page = _relocate_top(page)
        target = output_dir / doc.page
        page = with_social_meta(page, lambda src, page=doc.page: _published_file(src, page, output_dir,
                                                                                          copy_files), site.social)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_serialized(page), encoding="utf-8")
        written.append(target)
        search.extend(search_entries(doc.page, body, doc.title, _search_entries))
    if site.sidebar:
        libs = output_dir / "site_libs"
        libs.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(RESOURCES / "site.css", libs / "report.css")
        shutil.copyfile(RESOURCES / "search.js", libs / "search.js")
        shutil.copyfile(RESOURCES / "navigation.js", libs / "navigation.js")
        shutil.copyfile(RESOURCES / "tabsets.js", libs / "tabsets.js")  # tabsets and kbd (report.document.tabsets)
        shutil.copyfile(RESOURCES / "code-copy.js", libs / "code-copy.js")
        (libs / "highlight.css").write_text(site.code_style, encoding="utf-8")
        if site.style.css:
            (libs / "brand.css").write_text(site.style.css, encoding="utf-8")
        (output_dir / "search.json").write_text(json.dumps(search, ensure_ascii=False, indent=1), encoding="utf-8")
        # file:// pages cannot fetch() JSON, so the index also ships as a script.
        (libs / "search-index.js").write_text("window.REPORT_SEARCH = " + json.dumps(search, ensure_ascii=False)
                                              + ";\n", encoding="utf-8")
    # The brand's fonts, beside the style sheet that names them: site_libs/, or the page for an inline style.
    style_folder = output_dir / "site_libs" if site.sidebar else output_dir / PurePosixPath(documents[0].page).parent
    copy_files = {**{(style_folder / relative).relative_to(output_dir).as_posix(): source
                     for relative, source in site.style.files.items()}, **copy_files}
    for relative, source in copy_files.items():
        destination = output_dir / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    return written


def _fig_align(options: Mapping[str, Any]) -> str | None:
    """The document's `fig-align` (the first of a list, as Quarto reads one for a single figure)."""
    value = options.get("fig-align")
    value = value[0] if isinstance(value, list) and value else value
    return value if isinstance(value, str) else None


def _with_cover(blocks: list[Node], doc: BookDocument, site: HtmlSite) -> list[Node]:
    """The book's index page shows `cover-image` under its first heading, as Quarto places it (with the book's
    title as its tooltip, `cover-image-alt` as its alt text)."""
    if site.cover is None or doc.source.stem != "index" or doc.source.parent != Path("."):
        return blocks
    path, alt, _file = site.cover
    image = {"t": "Image", "c": [["", ["quarto-cover-image", "img-fluid"], [["alt", alt]]], [], [path, site.title]]}
    position = 1 if blocks and blocks[0]["t"] == "Header" else 0
    return [*blocks[:position], {"t": "Para", "c": [image]}, *blocks[position:]]


def _footer_text(site: HtmlSite) -> dict[str, str]:
    """The page footer's Markdown texts as HTML, by side."""
    if site.page_footer is None:
        return {}
    from report.document.pandoc import convert_cached

    return {side: convert_cached(getattr(site.page_footer, side).text, ["--from", "markdown", "--to", "html5",
                                                                          "--wrap=none"],
                                 what="writing the page footer", suffix=".html")
            for side in ("left", "center", "right") if getattr(site.page_footer, side).text}


def _page_includes(doc: BookDocument, site: HtmlSite, output_dir: Path) -> Includes:
    """The page's includes: the project's, then the document's own and what its Lua code added, with the HTML
    dependencies Lua code asked for (their files copied beside the site as Quarto does: `site_libs/quarto-contrib/`
    in a book, `NAME_files/libs/quarto-contrib/` beside a single document)."""
    from report.outputs.axe import axe_dependency
    from report.sources import diagnostics

    effects = doc.effects
    axe = axe_dependency(site.options.get("axe"), lambda message: diagnostics.warn(message, path=doc.source))
    diagrams = mermaid_dependency(site.options.get("mermaid"), lambda message: diagnostics.warn(
        message, path=doc.source)) if has_diagrams(doc.blocks) else None
    if effects is None and axe is None and diagrams is None:
        return site.includes
    folder = "site_libs" if site.sidebar else f"{Path(doc.page).stem}_files/libs"
    tags: list[str] = []
    for dependency in [*(effects.dependencies if effects else ()), *([axe] if axe else []),
                       *([diagrams] if diagrams else [])]:
        name = dependency["name"] + (f"-{dependency['version']}" if dependency.get("version") else "")
        for kind in ("stylesheets", "scripts"):
            for file in dependency[kind]:
                relative = f"{folder}/quarto-contrib/{name}/{Path(file).name}"
                target = output_dir / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    shutil.copyfile(file, target)
                except OSError as error:
                    raise ReportError(f"HTML dependency '{dependency['name']}': cannot copy {file}: "
                                      f"{error.strerror}", path=doc.source) from None
                href = html_escape(relative_href(doc.page, relative), quote=True)
                tags.append(f'<link href="{href}" rel="stylesheet">' if kind == "stylesheets"
                            else f'<script src="{href}"></script>')
        if dependency.get("head"):
            tags.append(str(dependency["head"]))
    return site.includes.plus(Includes(tuple(tags))).plus(Includes.of(effects.includes if effects else ()))


_RELOCATED = re.compile(r'<script\b[^>]*\sdata-relocate-top="true"[^>]*>\s*</script>\n?')


def _relocate_top(page: str) -> str:
    """Scripts marked `data-relocate-top` (jQuery for the outputs' JavaScript, report.document.cell_widgets) go in
    front of the head's first script, where Quarto moves them, so every other script can use them."""
    head_end = page.find("</head>")
    moved = [match for match in _RELOCATED.finditer(page, 0, head_end)]
    if not moved:
        return page
    for match in reversed(moved):
        page = page[:match.start()] + page[match.end():]
    tags = "".join(match.group(0).replace(' data-relocate-top="true"', "").rstrip("\n") + "\n" for match in moved)
    head_end = page.find("</head>")
    first = page.find("<script", 0, head_end)
    first = first if first >= 0 else head_end
    return page[:first] + tags + page[first:]


_RAW_TEXT = re.compile(r"(<(script|style)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)


_VOID_ELEMENT = re.compile(r"<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b([^<>]*?)\s*/>",
                           re.IGNORECASE)


def _serialized(page: str) -> str:
    """The page as an HTML serializer writes it, as Quarto's pages are: a no-break space is the entity ``&nbsp;``
    (so ``Figure&nbsp;1`` in the file), an apostrophe in text is itself (not pandoc's ``&#39;``) and a void
    element has no closing slash (``<img src="x.png" alt="">``),
    except in script and style, whose text is written as it is."""
    parts = _RAW_TEXT.split(page)
    # split() yields text, then (element, tag name) per match: rewrite the text only.
    return "".join(_TEXT_NODE.sub(_apostrophes, _VOID_ELEMENT.sub(r"<\1\2>", part.replace("\u00a0", "&nbsp;")))
                   if index % 3 == 0 else part for index, part in enumerate(parts) if index % 3 != 2)


_TEXT_NODE = re.compile(r">[^<]+<")


def _apostrophes(match: re.Match) -> str:
    """An apostrophe in text as itself: pandoc writes code's as ``&#39;``, an HTML serializer (Quarto's) does not."""
    return match.group(0).replace("&#39;", "'")


def _published_file(src: str, page: str, output_dir: Path, copy_files: Mapping[str, Path]) -> Path | None:
    """The file a page's relative address ``src`` leads to once the site is written: one the writer copies
    there (``copy_files``), or one already in the output folder."""
    relative = posixpath.normpath((PurePosixPath(page).parent / src.lstrip("/")).as_posix()) if not src.startswith("/") \
        else posixpath.normpath(src.lstrip("/"))
    return copy_files.get(relative) or (output_dir / relative if (output_dir / relative).is_file() else None)


def _page_title(doc: BookDocument, site: HtmlSite) -> str:
    """The window title, as Quarto writes it: a book's chapter with the book, a website's page with the site, a
    lone document's own title."""
    if site.website is not None:
        own = doc.title or site.title
        return " – ".join(part for part in (own, site.website.site_title) if part) if own != site.website.site_title \
            else own
    if site.article or not doc.title:
        return site.title
    return f"{doc.title} – {site.title}"


def _reading_aids(body: str, site: HtmlSite) -> str:
    body = quarto_code_blocks(add_figure_zoom_links(wrap_tables(body, site.labels), site.labels))
    return add_copy_buttons(body, site.labels) if site.code_copy else body


def _navigation(documents: list[BookDocument], site: HtmlSite) -> list[dict[str, Any]]:
    """Sidebar entries: parts and the appendix heading group their chapters."""
    groups: list[dict[str, Any]] = []
    for doc in documents:
        heading = site.labels["appendices"] if doc.appendix else doc.part
        if not groups or groups[-1]["heading"] != heading:
            groups.append({"heading": heading, "items": []})
        groups[-1]["items"].append(doc)
    return groups
