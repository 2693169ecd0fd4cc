"""Models of the Quarto configuration the embedded engine implements.

`_quarto.yml`, document front matter and cell options are first checked against Quarto's own option
schema (report/sources/options.py): a known option of the wrong type is an error with file and line, a known
option the engine does not implement is a warning, any other key is metadata (with a "did you mean" warning
when it is close to a known option). They are then parsed into the frozen models below.

**Each field of these models is an option the engine implements.** Marking a Quarto option implemented is
adding its field (snake_case; the key is its kebab-case alias) to the model of its level: FormatOptions
(document and ``format: FORMAT:`` options), _Metadata (document-only metadata), CellOptions (``#|``),
ExecuteOptions (``execute:``), BookConfig (``book:``), ProjectSection (``project:``).
The raw mappings, with every metadata key, stay available as ``project.metadata`` and ``doc.metadata``.
"""

from __future__ import annotations

import datetime
import difflib
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError

from report.sources._yaml import KeyPath
from report.sources.options import normalise_formats as _normalise_format_value, review
from report.errors import ReportError

__all__ = [
    "BookConfig", "CellOptions", "DocumentConfig", "ExecuteOptions", "FormatOptions",
    "PartEntry", "ProjectConfig", "ReportSettings", "WebsiteConfig", "merge_metadata", "parse_model",
]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Strict(BaseModel):
    """The engine's own settings (``report:``): a key it does not know is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=_kebab, populate_by_name=True)


class _Open(BaseModel):
    """Quarto options: other keys are metadata or options reviewed by report.sources.options, not errors here."""

    model_config = ConfigDict(extra="ignore", frozen=True, alias_generator=_kebab, populate_by_name=True)


Authors = Union[str, dict[str, Any], list[Union[str, dict[str, Any]]]]


class ExecuteOptions(_Open):
    echo: bool | Literal["fenced"] | None = None
    eval: bool | None = None
    output: bool | Literal["asis"] | None = None
    warning: bool | None = None
    error: bool | None = None
    include: bool | None = None
    enabled: bool | None = None  # a notebook (.ipynb) runs only with `enabled: true`, as in Quarto
    freeze: bool | Literal["auto"] | None = None  # reuse in project renders (report.execution.policy)
    cache: bool | None = None  # reuse while the code is unchanged (report.execution.policy)


MathMethod = Literal["plain", "webtex", "gladtex", "mathml", "mathjax", "katex"]


class MathMethodOption(_Open):
    """`html-math-method` as a mapping, as Quarto's schema has it: a method, and where the browser loads it from."""

    method: MathMethod
    url: str | None = None


# A name or a mapping, told apart before validating so that an error speaks of the form written only.
HtmlMathMethod = Annotated[Union[Annotated[MathMethod, Tag("Name")], Annotated[MathMethodOption, Tag("Mapping")]],
                           Discriminator(lambda value: "Mapping" if isinstance(value, dict) else "Name")]


class FormatOptions(_Open):
    """Options under ``format: html:`` or ``format: typst:`` (and shared top-level ones)."""

    number_sections: bool | None = None
    toc: bool | None = None
    toc_depth: int | None = Field(default=None, ge=1, le=6)
    toc_title: str | None = None
    fig_width: float | None = Field(default=None, gt=0)
    fig_height: float | None = Field(default=None, gt=0)
    keep_typ: bool | None = None
    output_ext: str | None = None  # `typ` for typst: the typst source is the output, no PDF (report.render.writing)
    papersize: str | None = None
    columns: int | None = Field(default=None, ge=1)  # the PDF's page columns (typst), as Quarto's typst format
    fontsize: str | None = None
    mainfont: str | None = None  # the PDF's fonts: report.outputs.fonts
    # pandoc's typst template options (the engine's typst-template.typ): fonts, line spacing, link colours
    codefont: str | list[str] | None = None
    mathfont: str | list[str] | None = None
    linestretch: float | None = Field(default=None, gt=0)
    linkcolor: str | None = None
    citecolor: str | None = None
    filecolor: str | None = None
    font_paths: str | list[str] | None = None
    margin: dict[str, str] | None = None
    # the PDF's margin layout: side notes, margin citations, its geometry (report.outputs.margin_layout)
    reference_location: Literal["block", "section", "margin", "document"] | None = None
    citation_location: Literal["document", "margin"] | None = None
    grid: dict[str, str] | None = None
    margin_geometry: dict[str, Any] | None = None
    template_partials: str | list[str] | None = None
    lof: bool | None = None
    lot: bool | None = None
    css: str | list[str] | None = None
    # floats, cross-references and math (issue 10, items 1-3 and 8; read by report.document.xref_options)
    crossref: dict[str, Any] | None = None
    fig_cap_location: Literal["top", "bottom", "margin"] | None = None
    tbl_cap_location: Literal["top", "bottom", "margin"] | None = None
    cap_location: Literal["top", "bottom", "margin"] | None = None
    html_math_method: HtmlMathMethod | None = None  # report.outputs.html_math
    # issue 10 (shortcodes, code, callouts): document and format defaults
    code_fold: bool | Literal["show"] | None = None
    code_summary: str | None = None
    code_line_numbers: bool | str | None = None
    code_overflow: Literal["scroll", "wrap"] | None = None
    code_annotations: bool | Literal["below", "hover", "select", "none"] | None = None
    fig_format: Literal["svg", "png", "retina"] | None = None
    fig_dpi: int | None = Field(default=None, gt=0)
    # figures and diagram cells without an alignment of their own (report.outputs._floats_html, report.document.diagrams)
    fig_align: Literal["default", "left", "right", "center"] | list[Literal["default", "left", "right", "center"]] | None = None
    variant: str | None = None  # pandoc extensions of the HTML writer (`+literate_haskell`; report.render.writers.html)
    mermaid: dict[str, Any] | None = None  # `theme:` of the page's mermaid diagrams (report.outputs.mermaid)
    tbl_colwidths: bool | Literal["auto"] | list[float] | None = None
    callout_appearance: Literal["default", "simple", "minimal"] | None = None
    callout_icon: bool | None = None
    # citations: citeproc, or typst's own bibliography (Quarto's typst default; report.outputs._biblio_typst)
    citeproc: bool | None = None
    suppress_bibliography: bool | None = None
    theorem_appearance: Literal["simple", "fancy", "clouds", "rainbow"] | None = None  # typst (report.outputs._theorems_typst)
    # execution options, also at the top of a level and under `format:` (report.sources.resolved)
    eval: bool | None = None
    echo: bool | Literal["fenced"] | None = None
    output: bool | Literal["asis"] | None = None
    warning: bool | None = None
    error: bool | None = None
    include: bool | None = None
    # a website page's canonical address, Open Graph and Twitter Card (report.outputs.website_meta)
    canonical_url: bool | str | None = None
    open_graph: bool | dict[str, Any] | None = None
    twitter_card: bool | dict[str, Any] | None = None
    pdf_standard: str | list[str] | None = None  # typst's PDF standards (ua-1, a-2a ...), see report.sources.formats
    # the title block (report.sources.title_block)
    date_format: str | None = None
    abstract_title: str | None = None
    # issue 18: code as Quarto shows it in HTML (report.outputs.highlight, report.outputs.html_reading)
    highlight_style: str | dict[str, str] | None = None
    syntax_highlighting: str | dict[str, str] | None = None
    code_copy: bool | Literal["hover"] | None = None
    # issue 20: Word output (report.outputs.docx) and self-contained HTML
    reference_doc: str | None = None
    embed_resources: bool | None = None
    resource_path: list[str] | None = None  # folders, from the document's, where embedded files are also found
    # a single document's "how to cite" appendix (report.outputs.citation_appendix)
    citation: bool | dict[str, Any] | None = None
    appendix_cite_as: bool | str | list[str] | None = None
    html_table_processing: Literal["none"] | None = None  # raw HTML tables (report.document.html_tables)
    css_property_processing: Literal["translate", "none"] | None = None  # CSS in typst (report.outputs.typst_css)
    # issue 21: Lua filters (report.document.lua_filters) and includes (report.outputs.includes)
    filters: list[Any] | None = None
    include_in_header: Any = None
    include_before_body: Any = None
    include_after_body: Any = None
    # issue 21: house style (report.sources.brand, report.outputs.theme)
    brand: Any = None
    logo: Any = None  # the PDF's page logo (report.outputs.brand_typst.typst_logo)
    theme: str | list[str] | dict[str, Any] | None = None
    # HTML structure as Quarto's smoke tests pin it (report.outputs.axe, report.outputs.html)
    axe: bool | dict[str, Any] | None = None
    default_image_extension: str | None = None
    keep_hidden: bool | None = None
    plotly_connected: bool | None = None  # plotly's renderer loads plotly.js from its CDN (report.execution.execute)
    other_links: list[Any] | None = None  # links beside the page's TOC (report.outputs.html_links_aside)
    code_links: bool | list[Any] | None = None
    # translations over the document language's (report.sources.language): Quarto's keys, per-language sub-maps,
    # or a YAML file of them
    language: str | dict[str, Any] | None = None
    # the Markdown reader and its extensions (report.document.reader): commonmark_x, markdown+emoji, markdown-smart
    from_: str | None = Field(default=None, alias="from")
    format_links: bool | list[Any] | None = None  # links to the other outputs (report.outputs.format_links)
    # an embedded notebook's "Source" link and preview page (report.outputs.notebook_links)
    notebook_links: bool | Literal["inline", "global"] | None = None
    notebook_view: bool | dict[str, Any] | list[dict[str, Any]] | None = None


class PartEntry(_Open):
    part: str  # the part's title, or a document whose title it takes and which is the part's own page
    chapters: list[str] = []


class BookConfig(_Open):
    title: str
    subtitle: str | None = None
    author: Authors | None = None
    date: str | datetime.date | None = None
    output_file: str | None = None
    description: str | None = None
    chapters: list[Union[str, PartEntry]]
    appendices: list[str] = []
    downloads: str | list[str] | None = None  # download links on the site: pdf, docx
    cover_image: str | None = None  # shown on the index page, under its first heading (report.outputs.html)
    cover_image_alt: str | None = None
    page_footer: str | dict[str, Any] | None = None  # the footer of every page (report.sources.website)
    navbar: bool | dict[str, Any] | None = None  # a navbar above the book's pages (report.sources.website)


class NavbarConfig(_Open):
    title: str | bool | None = None
    left: list[Any] = []
    right: list[Any] = []
    logo: str | None = None  # shown before the title, with its alt text (report.sources.website)
    logo_alt: str | None = None


class SidebarConfig(_Open):
    title: str | bool | None = None
    contents: Any = None
    logo: str | None = None
    logo_alt: str | None = None


class WebsiteConfig(_Open):
    """``website:`` of a website project: its title, navbar and sidebar (report.sources.website)."""

    title: str | None = None
    navbar: bool | dict[str, Any] | None = None
    sidebar: bool | dict[str, Any] | list[Any] | None = None
    # what pages tell search engines and social sites (report.outputs.website_meta)
    bread_crumbs: bool | None = None  # the sidebar's path to a page, above its title (report.sources.website)
    site_url: str | None = None
    image: str | None = None
    open_graph: bool | dict[str, Any] | None = None
    twitter_card: bool | dict[str, Any] | None = None
    page_footer: str | dict[str, Any] | None = None


class ProjectSection(_Open):
    type: Literal["book", "website", "default"] = "default"
    render: list[str] | None = None  # a website's documents (report.sources.website), else all of them
    output_dir: str | None = None
    execute_dir: Literal["file", "project"] | None = None


class DataSettings(_Strict):
    env: str = "REPORT_DATA"
    demo: str | None = None
    demo_mark: str = "DEMO"


class ReportSettings(_Strict):
    """Settings of the embedded engine itself; Quarto treats them as plain metadata."""

    data: DataSettings | None = None
    cell_timeout: int = Field(default=600, gt=0)
    output_limit: int = Field(default=10_000_000, gt=0)  # bytes of output one cell may produce
    draft_mark: str | None = None  # the mark on every page of a `--draft` render (default: DRAFT)
    figure_export: str | None = None  # folder for SVG + 300-dpi PNG + sidecar of every numbered figure
    checks: list[str] = []  # Python modules run by `report check` (python -m MODULE) before a release
    pdf_server: int = Field(default=0, ge=0)  # minutes a warm typst compile server idles before it ends; 0: none
    strict: bool = False  # every warning is an error, as `--strict` (report.sources.diagnostics)


class _Formats(_Open):
    html: FormatOptions | None = None
    typst: FormatOptions | None = None
    pdf: FormatOptions | None = None  # rendered through typst (report.sources.formats)


class _Metadata(FormatOptions):
    """Metadata that may stand at project level, in front matter, or both."""

    title: str | None = None
    subtitle: str | None = None
    author: Authors | None = None
    date: str | datetime.date | None = None
    lang: str | None = None
    abstract: str | None = None
    thanks: str | None = None  # a footnote to an article's title (typst), as Quarto's template sets it
    keywords: str | list[str] | None = None  # the PDF's keywords (typst)
    affiliations: Union[str, dict[str, Any], list[Union[str, dict[str, Any]]], None] = None  # what `ref:` names
    bibliography: str | list[str] | None = None
    csl: str | None = None
    execute: ExecuteOptions | None = None
    format: _Formats | None = None
    jupyter: Union[str, dict[str, Any], None] = None  # a kernel name or {kernelspec: {name: ...}}
    engine: Literal["jupyter"] | None = None
    # Editors' settings (RStudio, VS Code, Positron): nothing for a renderer to do, so nothing left out.
    editor: Any = None
    editor_options: Any = Field(default=None, alias="editor_options")
    zotero: Any = None
    # Colophon of the PDF. license as Quarto reads it: a string ("CC BY"), {text, type, link}, or a list.
    license: Union[str, dict[str, str], list[Union[str, dict[str, str]]], None] = None
    commissioner: str | None = None  # who commissioned the report (opdrachtgever)
    publisher: str | None = None
    contact: str | None = None
    # YAML files merged over the file that names them, as Quarto does (report.sources.metadata_files)
    metadata_file: str | None = None
    metadata_files: list[str] | None = None


class ProfileSettings(_Open):
    """``profile:`` of _quarto.yml: the profiles active when none is named, and groups of exclusive profiles."""

    default: str | list[str] | None = None
    group: list[str] | list[list[str]] | None = None


class ProjectConfig(_Metadata):
    project: ProjectSection = ProjectSection()
    profile: ProfileSettings | None = None  # which profiles are active: report.sources.metadata_files
    book: BookConfig | None = None
    website: WebsiteConfig | None = None
    report: ReportSettings = ReportSettings()


class DocumentConfig(_Metadata):
    pass


class CellOptions(_Open):
    label: str | None = None
    echo: bool | Literal["fenced"] | None = None
    eval: bool | None = None
    output: bool | Literal["asis"] | None = None
    include: bool | None = None
    warning: bool | None = None
    error: bool | None = None
    fig_cap: str | list[str] | None = None
    fig_alt: str | list[str] | None = None
    fig_scap: str | list[str] | None = None  # short caption for the list of figures (Quarto's fig-scap)
    tbl_cap: str | None = None
    tbl_scap: str | None = None  # short caption for the list of tables
    fig_width: float | None = Field(default=None, gt=0)
    fig_height: float | None = Field(default=None, gt=0)
    layout_ncol: int | None = Field(default=None, ge=1)
    # layouts, sub-captions, caption placement and listings (issue 10; read by report.document.assemble)
    layout_nrow: int | None = Field(default=None, ge=1)
    layout: str | list[list[float]] | None = None
    layout_valign: Literal["top", "center", "bottom"] | None = None
    fig_subcap: str | list[str] | bool | None = None
    tbl_subcap: str | list[str] | bool | None = None
    fig_cap_location: Literal["top", "bottom", "margin"] | None = None
    tbl_cap_location: Literal["top", "bottom", "margin"] | None = None
    cap_location: Literal["top", "bottom", "margin"] | None = None
    lst_label: str | None = None
    lst_cap: str | None = None
    # the page column of the cell's outputs (`margin`, `page`, `screen-inset` ...), of its figures, of its tables
    column: str | None = None
    fig_column: str | None = None
    tbl_column: str | None = None
    # issue 10 (code): cell-level options
    code_fold: bool | Literal["show"] | None = None
    code_summary: str | None = None
    code_line_numbers: bool | str | None = None
    code_overflow: Literal["scroll", "wrap"] | None = None
    classes: str | list[str] | None = None
    panel: str | None = None  # `panel: tabset`: the cell div is that panel (its outputs' headings are the tabs)
    tbl_colwidths: bool | Literal["auto"] | list[float] | None = None
    fig_format: Literal["svg", "png", "retina"] | None = None
    fig_dpi: int | None = Field(default=None, gt=0)
    tags: str | list[str] | None = None  # `parameters` marks the defaults cell (report.sources.parameters)


def _known_keys(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """Follow a pydantic error location down the model tree, for key suggestions."""
    current: Any = model
    for part in loc:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return None
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        current = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _is_union_tag(part: Any) -> bool:
    """Pydantic inserts the tried member type into error locations of unions; keys never look like that."""
    return isinstance(part, str) and (part[:1].isupper() or "[" in part or part in {"str", "bool", "int", "float"}
                                      or part.startswith("function-"))


def normalise_formats(data: Any) -> Any:
    """``format: html``, ``format: [html, typst]``, ``format: {html: default}``: each as a mapping of options."""
    if isinstance(data, dict) and "format" in data:
        data = dict(data)
        data["format"] = _normalise_format_value(data["format"])
    return data


_SCOPES = {"ProjectConfig": "project-file", "DocumentConfig": "document", "CellOptions": "cell"}


def _review_models() -> dict[str, type[BaseModel]]:
    """The model of each level the schema review descends into (report.sources.options.review)."""
    return {"document": DocumentConfig, "execute": ExecuteOptions, "project": ProjectSection, "book": BookConfig,
            "website": WebsiteConfig, "website-navbar": NavbarConfig, "website-sidebar": SidebarConfig}


def check_options(data: dict[str, Any], *, scope: str, source: Path, lines: dict[KeyPath, int], what: str) -> None:
    """Check one file's mapping against Quarto's schema for ``scope`` (``project-file`` or ``document``) before it
    is merged with others: its type errors name that file and line, its unimplemented options are warned about."""
    model = {"project-file": ProjectConfig, "document": DocumentConfig}[scope]
    problems = review(data, scope=scope, model=model, models=_review_models(), source=source, lines=lines,
                      what=what)
    if problems:
        _raise(problems, what, source)


def parse_model(model: type[_Strict], data: Any, *, source: Path, lines: dict[KeyPath, int],
                what: str, key_prefix: KeyPath = (), reviewed: Any = None):
    """Validate ``data`` against Quarto's schema and ``model``; raise one ReportError listing every problem.

    Options that are not implemented, and keys close to a known option, are warnings (report.sources.diagnostics).
    ``reviewed``: the part of ``data`` written in ``source`` when ``data`` merges several files whose other parts
    were checked on their own (check_options); by default all of ``data``.
    """
    scope = _SCOPES.get(model.__name__)
    problems: list[tuple[int | None, str]] = []
    reviewed = data if reviewed is None else reviewed
    if scope is not None and isinstance(reviewed, dict):
        problems = review(reviewed, scope=scope, model=model, models=_review_models(), source=source, lines=lines,
                          what=what, key_prefix=key_prefix)
    if problems:
        _raise(problems, what, source)
    try:
        return model.model_validate(normalise_formats(data) if data is not None else {})
    except ValidationError as error:
        for item in error.errors():
            loc = tuple(part for part in item["loc"] if not _is_union_tag(part))
            key_path = key_prefix + loc
            line = None
            for depth in range(len(key_path), -1, -1):
                if key_path[:depth] in lines:
                    line = lines[key_path[:depth]]
                    break
            dotted = ".".join(str(part) for part in loc) or "(top level)"
            if item["type"] == "extra_forbidden":
                parent = _model_at(model, loc[:-1])
                known = _known_keys(parent) if parent else []
                close = difflib.get_close_matches(str(loc[-1]), known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                message = f"unknown key '{dotted}' in {what}{hint}; the embedded engine supports: {', '.join(known)}"
            else:
                message = f"invalid value for '{dotted}' in {what}: {item['msg']}"
            problems.append((line, message))
        _raise(problems, what, source)


def _raise(problems: list[tuple[int | None, str]], what: str, source: Path):
    first_line = problems[0][0]
    if len(problems) == 1:
        raise ReportError(problems[0][1], path=source, line=first_line) from None
    listing = "\n".join(f"  line {line}: {message}" for line, message in problems)
    raise ReportError(f"{len(problems)} problems in {what}:\n{listing}", path=source, line=first_line) from None


def merge_metadata(*layers: dict[str, Any]) -> dict[str, Any]:
    """Merge metadata as Quarto does (report.sources.resolved.merge_options): later layers win, mappings merge
    key by key, lists are joined."""
    from report.sources.resolved import merge_options

    return merge_options(*layers)
