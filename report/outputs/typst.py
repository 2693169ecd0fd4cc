"""PDF output: the whole book as one typst document, compiled to tagged PDF/UA-1 and PDF/A-2a."""

from __future__ import annotations

import json
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

from report.document._ast import Node, Plain, RawBlock, RawInline, attr_get, stringify, walk
from report.document import authoring, cell_outputs
from report.document.blocks import callout_options, callout_parts
from report.document.diagrams import diagram_static
from report.document.crossref import BookDocument
from report.outputs._typst_ids import unique_chapter_ids
from report.outputs._biblio_typst import TypstBibliography, has_citations, unbreakable_locators
from report.outputs._theorems_typst import theorem_header, theorem_typst
from report.outputs._floats_typst import (LISTING_ALIGNMENT, equation_numbering, floats_typst, has_listing,
                                         image_source, inlines_typst, margin_floats, math_without_alt,
                                         missing_alt_message, typst_figure_path, typst_length)
from report.outputs.margin_layout import margin_layout, with_margin_citations, with_native_margin_citations
from report.errors import ReportError
from report.document.citations import resolve_citations, split_citeproc
from report.document.pandoc import MarkdownMeta, RawMeta, convert_cached, metadata_json
from report.outputs.mediabag import Mediabag
from report.outputs.typst_css import translate_css
from report.outputs.brand_typst import callout_colors, code_block_background, typst_header, typst_logo, typst_metadata
from report.sources import diagnostics
from report.sources.brand import Brand
from report.outputs.typst_errors import TypstDiagnostic, TypstFailure, TypstSourceMap
from report.outputs.typst_targets import heading_typst, part_typst

__all__ = ["PDF_STANDARDS", "compile_pdf", "typst_figure_path", "write_typst"]

RESOURCES = Path(__file__).parent / "resources" / "typst"
PDF_STANDARDS = ["ua-1", "a-2a"]
BODY_PLACEHOLDER = "// report: the chapters go here"
PARTIALS = ("definitions.typ", "typst-template.typ", "typst-show.typ")
MARKDOWN_METADATA = ("title", "subtitle", "abstract", "thanks")
CALLOUT_COLOURS = {"note": ("#0b4f8a", "#e7f0f9"), "tip": ("#1f6b2f", "#e9f5ec"), "warning": ("#8a5300", "#fdf3e1"),
                   "important": ("#a3121b", "#fbe9ea"), "caution": ("#7a3e00", "#fbeee2")}


def _listed(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def _typst_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# The icon Quarto gives each callout kind in typst (its Font Awesome names).
CALLOUT_TYPST_ICONS = {"note": "fa-info", "warning": "fa-exclamation-triangle", "important": "fa-exclamation",
                       "caution": "fa-fire", "tip": "fa-lightbulb"}


def _callout_typst(node: Node, colours: Mapping[str, tuple[str, str]]) -> list[Node] | None:
    """Quarto's callout call, laid out as Quarto writes it (one argument a line), colours as typst expressions."""
    parts = callout_parts(node)
    if parts is None:
        return None
    kind, title, body = parts
    stroke, fill = colours[kind]
    number = attr_get(node["c"][0], "data-number")
    # A callout that is a cross-reference target is a figure, as Quarto writes it: numbered (its number is the
    # engine's, shown in its title already), so that #ref(<nte-x>) finds it.
    opening, closing = ("#figure([\n#block[\n", f"\n]\n], kind: \"quarto-callout-{kind.capitalize()}\", "
                        f"supplement: {_typst_string(attr_get(node['c'][0], 'data-kind-title') or '')}, "
                        f"numbering: n => {_typst_string(number)})<{node['c'][0][0]}>") if number else ("", "")
    # Quarto's Font Awesome icon of the kind, drawn by the engine's own definitions.typ; none for `icon=false`.
    icon = f"{CALLOUT_TYPST_ICONS[kind]}()" if callout_options(node)["icon"] == "true" else "none"
    return [RawBlock("typst", f"{opening}#callout(\nbody: \n["), *body,
            Plain([RawInline("typst", "]\n, \ntitle: \n[\n"), *title,
                   RawInline("typst", f"\n]\n, \nbackground_color: \n{fill}\n, \nicon_color: \n{stroke}\n, "
                                      f"\nicon: \n{icon}\n, \n){closing}")])]


# Quarto's cross-reference categories: a callout whose id starts with another prefix is no reference target.
CROSSREF_CATEGORIES = frozenset({"fig", "tbl", "lst", "nte", "wrn", "cau", "tip", "imp", "prf", "rem", "sol"})


def _warn_unknown_callout_reference(node: Node, doc: BookDocument) -> None:
    """Quarto's warning for a callout whose id names no cross-reference category (`#random-id`)."""
    identifier = node["c"][0][0]
    if not identifier or callout_parts(node) is None:
        return
    prefix = re.match(r"([A-Za-z]+)-", identifier)
    kind = prefix.group(1).lower() if prefix else "none"
    if kind not in CROSSREF_CATEGORIES:
        diagnostics.warn(f"Callout ID '{identifier}' has unknown reference type '{kind}'. Rendering as regular "
                         "callout without cross-reference support.", path=doc.source, line=doc.line_of("#" + identifier))


def to_typst_blocks(doc: BookDocument, labels: Mapping[str, str], require_alt: bool = True,
                    heading_shift: int = 0, callout_colours: Mapping[str, tuple[str, str]] | None = None,
                    base: PurePosixPath = PurePosixPath(".")) -> list[Node]:
    """The document's blocks in typst form; ``base`` is the folder of the .typ file, below the project root."""
    colours = callout_colours or callout_colors(None, CALLOUT_COLOURS)
    # Floats and panels first (their images fill their cells), then what remains of the page.
    blocks = authoring.for_format(doc.blocks, "typst")
    if require_alt and (math := math_without_alt(blocks)) is not None:
        tex = " ".join(math["c"][1].split())
        raise ReportError(f"equation '{tex}': missing alt text, which PDF/UA-1 requires (typst has none for math; "
                          "give a numbered display equation one with {#eq-label alt=\"...\"})",
                          path=doc.source, line=doc.line_of(math["c"][1].strip().splitlines()[0] if math["c"][1].strip() else "$"))
    blocks = walk(walk(blocks, inlines_typst, {"Span", "Link"}), margin_floats, {"Div"})
    floats = floats_typst(blocks, doc, require_alt, base)

    chapter_word = None
    if doc.number is not None:
        chapter_word = labels["appendix"] if doc.appendix else labels["chapter"]

    def visit(node: Node):
        if node["t"] in {"Span", "CodeBlock"}:
            return authoring.typst_block(node)
        if node["t"] == "Header":
            if heading_shift:  # an article's `##` sections are its top level (report.document.article)
                level, attribute, inlines = node["c"]
                node = {"t": "Header", "c": [max(1, level + heading_shift), attribute, inlines]}
            return heading_typst(node, chapter_word, labels["section"])
        if node["t"] == "Div":
            fallback = cell_outputs.fallback_typst(node, doc.source) or diagram_static(node, doc.source, "the PDF")
            if fallback is not None:
                return fallback
            _warn_unknown_callout_reference(node, doc)
            return (theorem_typst(node) or _callout_typst(node, colours)
                    or authoring.typst_block(node, heading_shift))
        if node["t"] == "Image":
            attribute, description, (target, _title) = node["c"]
            alt = attr_get(attribute, "fig-alt") or attr_get(attribute, "alt") or stringify(description)
            if not alt and require_alt:
                raise ReportError(missing_alt_message(target), path=doc.source, line=doc.line_of(target))
            image = image_source(target, PurePosixPath(doc.source.as_posix()), base)
            # As Quarto's typst filter: alt text (none when there is none), then the height and width.
            arguments = [image] + ([f"alt: {_typst_string(alt)}"] if alt else [])
            arguments += [f"{name}: {typst_length(attr_get(attribute, name))}" for name in ("height", "width")
                          if attr_get(attribute, name)]
            return RawInline("typst", f"#box(image({', '.join(arguments)}))")
        if node["t"] == "Table":
            # As Quarto (quarto-cli#10438): pandoc writes the table itself, not wrapped in a figure of its own;
            # a table float is the engine's figure, an uncaptioned table is no float at all.
            identifier, classes, attributes = node["c"][0]
            return {"t": "Table", "c": [[identifier, [*classes, "typst:no-figure"], attributes], *node["c"][1:]]}
        return None

    return walk(floats, visit, {"Div", "Image", "Span", "CodeBlock", "Header", "Table"})


def write_typst(documents: list[BookDocument], build_dir: Path, project_root: Path, metadata: dict[str, Any],
                partials: Mapping[str, Path], pandoc_args: list[str], labels: Mapping[str, str], *,
                require_alt: bool = True, heading_shift: int = 0, brand: Brand | None = None,
                brand_mode: str = "light", logo_option: Any = None, includes: Any = None,
                base: PurePosixPath = PurePosixPath("."), theorem_appearance: str = "simple",
                bibliography: TypstBibliography | None = None,
                options: Mapping[str, Any] | None = None, translate_css_properties: bool = True) -> TypstSourceMap:
    """Write the book's typst source into ``build_dir``; return its path and where each chapter lies in it.

    ``brand``: the brand (report.sources.brand) for ``brand_mode``, declared in the source's header and handed to
    the partials as ``brand.typography`` (report.outputs.brand_typst); ``brand-color`` is declared without one too.
    ``logo_option``: the typst ``logo`` option, a page background with the logo, its paths project-absolute
    (report.outputs.brand_typst.anchored_logo_option).
    ``base``: the folder below the project root the .typ belongs in (a single document's own, as Quarto keeps
    it next to the document), which its image paths are relative to.
    ``theorem_appearance``: the look of theorems (report.outputs._theorems_typst).
    ``bibliography``: typst's own bibliography after the body (report.outputs._biblio_typst), when citations are
    left to typst rather than resolved by citeproc.
    ``options``: the typst format's options, which ask for the margin layout (report.outputs.margin_layout).
    ``translate_css_properties``: CSS `style` attributes become typst (`css-property-processing`,
    report.outputs.typst_css)."""
    shutil.rmtree(build_dir / "mediabag", ignore_errors=True)
    mediabag = Mediabag(build_dir / "mediabag")  # images from the web and data: URIs, as files typst reads
    first = documents[0]
    logo = typst_logo(logo_option, brand, brand_mode, base, fetch=lambda address: mediabag.fetch(
        address, PurePosixPath(first.source.as_posix()), first.line_of, base))
    # The title block's texts are Markdown, as Quarto reads them.
    metadata = {**metadata, **{key: MarkdownMeta(metadata[key]) for key in MARKDOWN_METADATA
                               if isinstance(metadata.get(key), str)}}
    theorems = theorem_header((doc.blocks for doc in documents), theorem_appearance)
    equations = equation_numbering(doc.blocks for doc in documents)
    metadata = {**metadata, "header-includes": [RawMeta("typst", typst_header(brand, brand_mode)),
                                                *([RawMeta("typst", logo)] if logo else []),
                                                *([RawMeta("typst", equations)] if equations else []),
                                                *([RawMeta("typst", theorems)] if theorems else []),
                                                *_listed(metadata.get("header-includes"))]}
    if brand is not None:
        metadata["brand"] = {**(metadata.get("brand") if isinstance(metadata.get("brand"), dict) else {}),
                             **typst_metadata(brand)}
    callout_colours = callout_colors(brand, CALLOUT_COLOURS, brand_mode)
    template_dir = build_dir / "typst-template"
    template_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(RESOURCES / "template.typ", template_dir / "template.typ")
    for name in PARTIALS:
        shutil.copyfile(partials.get(name, RESOURCES / name), template_dir / name)
    chapters: list[list[Node]] = []  # each chapter's blocks, with the part page that opens it
    current_part: str | None = None
    in_appendices = False
    parts = 0
    # One typst document: ids repeated across chapters (each page's own on the site) are made unique here.
    for doc, unique in zip(documents, unique_chapter_ids(doc.blocks for doc in documents)):
        doc = replace(doc, blocks=mediabag.localize(unique, PurePosixPath(doc.source.as_posix()), doc.line_of))
        if translate_css_properties:
            doc = replace(doc, blocks=translate_css(doc.blocks, brand.typography.get("base", {}).get("size")
                                                    if brand is not None else None))
        blocks: list[Node] = []
        if doc.appendix and not in_appendices:
            in_appendices = True
            blocks.append(RawBlock("typst", part_typst(labels["appendices"], labels["part"], first=parts == 0)))
            parts += 1
        elif not doc.appendix and doc.part and doc.part != current_part:
            blocks.append(RawBlock("typst", part_typst(doc.part, labels["part"], first=parts == 0)))
            parts += 1
        current_part = doc.part
        if doc.part_page:  # the part page above shows its title; the document's own `#` title would repeat it
            title = next((block for block in doc.blocks if block["t"] == "Header" and block["c"][0] == 1), None)
            doc = replace(doc, blocks=[block for block in doc.blocks if block is not title])
        typst_blocks = to_typst_blocks(doc, labels, require_alt, heading_shift, callout_colours, base)
        blocks.extend(unbreakable_locators(typst_blocks) if bibliography is not None else typst_blocks)
        # A chapter's floats stay in the chapter: those still waiting are placed before the next one starts.
        blocks.append(RawBlock("typst", "#place.flush()"))
        chapters.append(blocks)
    if any(has_listing(doc.blocks) for doc in documents):
        chapters[0].insert(0, RawBlock("typst", LISTING_ALIGNMENT))
    margin = margin_layout([doc.blocks for doc in documents], options or {})
    if margin is not None:
        metadata = margin.metadata(metadata)
        if margin.header:
            metadata["header-includes"] = [*metadata["header-includes"], RawMeta("typst", margin.header)]
    meta = metadata_json(metadata)
    if includes is not None:  # raw typst in the template's places (report.outputs.includes)
        for variable, texts in (("header-includes", includes.in_header), ("include-before", includes.before_body),
                                ("include-after", includes.after_body)):
            if texts:  # after what the brand declares in the header (its colours, fonts, logo)
                existing = meta.get(variable)
                earlier = [] if existing is None else existing["c"] if existing["t"] == "MetaList" else [existing]
                meta[variable] = {"t": "MetaList", "c": [*earlier, *({"t": "MetaBlocks", "c": [RawBlock("typst", text)]}
                                                                      for text in texts)]}
    citeproc, own = split_citeproc(pandoc_args)
    # Citations resolved by citeproc are written as their text, not as typst's own `@key` citations.
    writer = ["--from", "json", "--to", "typst-citations" if citeproc else "typst", "--wrap=preserve", *own]
    if citeproc and margin is not None and margin.margin_citations:
        # each citation's references in full beside it: citeproc renders the list they are taken from
        listed = {key: value for key, value in meta.items() if key != "suppress-bibliography"}
        chapters = with_margin_citations(*resolve_citations(chapters, listed, citeproc))
    elif margin is not None and margin.margin_citations:
        chapters = with_native_margin_citations(chapters)
    elif citeproc:
        chapters, appended = resolve_citations(chapters, meta, citeproc)
        if appended is not None:  # no `#refs` in the book: the reference list closes it, as citeproc places it
            chapters[-1] = [*chapters[-1], appended]

    def convert(blocks: list[Node]) -> str:
        document = json.dumps({"pandoc-api-version": [1, 23, 1], "meta": meta, "blocks": blocks})
        return convert_cached(document, writer, what="writing typst", suffix=".typ")

    # Each chapter converted on its own and cached: an edit converts one chapter. The template is filled
    # around a placeholder, which the chapters then replace, one blank line apart (each ends with
    # `#place.flush()`, so the break between them holds no text).
    with ThreadPoolExecutor(max_workers=max(1, min(len(chapters), os.cpu_count() or 1)),
                            thread_name_prefix="report-typst") as pool:
        bodies = list(pool.map(convert, chapters))
    themes = [Path(arg.split("=", 1)[1]) for arg in own if arg.startswith("--syntax-highlighting=")
              and arg.endswith(".theme")]
    templates = [template_dir / name for name in ("template.typ", *PARTIALS)] + themes
    frame = convert_cached(json.dumps({"pandoc-api-version": [1, 23, 1], "meta": meta,
                                       "blocks": [RawBlock("typst", BODY_PLACEHOLDER)]}),
                           [*writer, *_highlighting_macros(writer, template_dir, themes, code_block_background(brand)),
                            "--standalone",
                            "--template", str(template_dir / "template.typ")],
                           what="writing typst", inputs=templates, suffix=".typ")
    if frame.count(BODY_PLACEHOLDER) != 1:
        raise ReportError("the typst template must hold $body$ exactly once", path=template_dir / "template.typ")
    body = "\n".join(bodies)
    if bibliography is not None and has_citations(chapters):  # as Quarto's biblio.typ: only with citations
        body += "\n" + bibliography.source
    source = frame.replace(BODY_PLACEHOLDER + "\n", body)
    target = build_dir / "book.typ"
    target.write_text(source, encoding="utf-8")
    return TypstSourceMap.of(target, frame[:frame.index(BODY_PLACEHOLDER)].count("\n") + 1, bodies, documents,
                             mediabag.files)


def _highlighting_macros(writer: list[str], template_dir: Path, themes: list[Path], background: str | None) -> list[str]:
    """pandoc's skylighting functions (`#let Skylighting`, `#let KeywordTok`, ...) for the frame, which holds no
    code of its own: pandoc writes them only into a document with highlighted code, so they are taken from a
    small one and given to the frame as its `highlighting-definitions` variable. None with typst's own highlighting.

    As Quarto's typst format fixes pandoc's code block: full width, inset and rounded, filled with ``background``
    (the brand's monospace-block background) instead of the style's own where the brand gives one."""
    if not any(arg.startswith("--syntax-highlighting=") and arg != "--syntax-highlighting=none" for arg in writer):
        return []
    template = template_dir / "highlighting.typ"
    template.write_text("$highlighting-definitions$\n", encoding="utf-8")
    sample = json.dumps({"pandoc-api-version": [1, 23, 1], "meta": {},
                         "blocks": [{"t": "CodeBlock", "c": [["", ["python"], []], "pass"]}]})
    macros = convert_cached(sample, [*writer, "--standalone", "--template", str(template)],
                            what="writing typst", inputs=[template, *themes], suffix=".typ")
    macros = macros.replace("block(fill: bgcolor, blocks)",
                            "block(fill: bgcolor, width: 100%, inset: 8pt, radius: 2pt, blocks)")
    if background is not None:
        macros = re.sub(r"let bgcolor = (none|rgb\([^)]*\))", lambda _: f"let bgcolor = {background}", macros, count=1)
    return ["--variable", f"highlighting-definitions={macros.strip()}"]


# One compiler per (source, root, fonts) for the life of the process: typst then recompiles incrementally, which a
# long-running `report preview` turns into a PDF in milliseconds after a prose edit. Its bytes are identical
# to a fresh compile's.
_COMPILERS: dict[tuple[str, str, tuple[str, ...]], Any] = {}


def compile_pdf(typ_file: Path, output: Path, project_root: Path, timestamp: int, reuse: bool = False,
                standards: list[str] | None = None, server_idle: float = 0, fonts: list[str] | None = None,
                sources: TypstSourceMap | None = None) -> None:
    """``standards``: the ``pdf-standard`` values typst checks (None: PDF/UA-1 and PDF/A-2a).

    ``fonts``: the font files and folders typst may use (report.outputs.fonts; None: the engine's own).
    ``sources``: where the chapters lie in ``typ_file``, so that a typst error names the chapter and line.

    ``server_idle`` > 0: compile in the warm compile server (report.outputs.typst_server), started if need be,
    which ends after that many idle seconds."""
    import typst

    from report.outputs._typst_packages import PACKAGE_PATH
    from report.outputs.fonts import engine_font_paths

    standards = PDF_STANDARDS if standards is None else standards
    fonts = engine_font_paths() if fonts is None else fonts
    if server_idle and not reuse:
        from report.outputs.typst_server import compile_remotely

        try:
            if compile_remotely(typ_file, output, project_root, timestamp, standards, fonts, server_idle):
                return
        except TypstFailure as failure:
            raise _explained(failure.diagnostic, sources, typ_file) from None
    try:
        if reuse:
            key = (str(typ_file), str(project_root), tuple(fonts))
            if key not in _COMPILERS:
                _COMPILERS[key] = typst.Compiler(str(typ_file), root=str(project_root), font_paths=fonts,
                                                 ignore_system_fonts=True, package_path=PACKAGE_PATH)
            pdf = _COMPILERS[key].compile(pdf_standards=standards, timestamp=timestamp)
        else:
            pdf = typst.compile(str(typ_file), root=str(project_root), font_paths=fonts, package_path=PACKAGE_PATH,
                                ignore_system_fonts=True, pdf_standards=standards, timestamp=timestamp)
    except Exception as error:  # typst raises its own error types with the source position in the text
        raise _explained(TypstDiagnostic.from_exception(error), sources, typ_file) from None
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(pdf)


def _explained(diagnostic: TypstDiagnostic, sources: TypstSourceMap | None, typ_file: Path) -> ReportError:
    if sources is None:
        return ReportError(f"typst could not build the PDF: {diagnostic.message}", path=typ_file)
    return sources.error(diagnostic)
