"""PDF output: the whole book as one typst document, compiled to tagged PDF/UA-1 and PDF/A-2a."""

from __future__ import annotations

import json
import shutil
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

from report.document._ast import Node, Plain, RawBlock, RawInline, attr_get, stringify, walk
from report.document.blocks import callout_parts
from report.document.crossref import FLOAT_CLASS, BookDocument
from report.errors import ReportError
from report.document.pandoc import metadata_json, run_pandoc
from report.outputs.typst_targets import float_supplement, heading_typst, part_typst

__all__ = ["PDF_STANDARDS", "compile_pdf", "write_typst", "font_paths"]

RESOURCES = Path(__file__).parent / "resources" / "typst"
PDF_STANDARDS = ["ua-1", "a-2a"]
PARTIALS = ("definitions.typ", "typst-template.typ", "typst-show.typ")
CALLOUT_COLOURS = {"note": ("#0b4f8a", "#e7f0f9"), "tip": ("#1f6b2f", "#e9f5ec"), "warning": ("#8a5300", "#fdf3e1"),
                   "important": ("#a3121b", "#fbe9ea"), "caution": ("#7a3e00", "#fbeee2")}


def _typst_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _image_path(target: str, doc: BookDocument) -> str:
    if "://" in target or target.startswith("/"):
        return target
    return "/" + (PurePosixPath(doc.source.parent.as_posix()) / target).as_posix().lstrip("./")


def _float_typst(node: Node, doc: BookDocument) -> list[Node] | Node | None:
    classes = node["c"][0][1]
    if FLOAT_CLASS not in classes:
        return None
    identifier = node["c"][0][0]
    label = f"<{identifier}>" if identifier else ""
    *content, caption_div = node["c"][1]
    caption = caption_div["c"][1][0]["c"]
    supplement = float_supplement(dict(node["c"][0][2]), caption)
    if f"{FLOAT_CLASS}-tbl" in classes:
        table = content[0]
        # Default alignment would inherit the figure's centring; tables read better left-aligned.
        colspecs = [[{"t": "AlignLeft"} if align["t"] == "AlignDefault" else align, width]
                    for align, width in table["c"][2]]
        captioned = {"t": "Table", "c": [[identifier, table["c"][0][1], table["c"][0][2]],
                                          [None, [Plain(caption)]], colspecs, *table["c"][3:]]}
        if supplement is None:
            return captioned
        # pandoc writes the figure call itself; the supplement reaches it through a scoped set rule.
        return [RawBlock("typst", f"#[#set figure(supplement: {supplement})"), captioned, RawBlock("typst", "]")]
    images: list[Node] = []
    walk(content, images.append, {"Image"})
    layouts: list[str] = []
    walk(content, lambda inner: layouts.append(attr_get(inner["c"][0], "layout-ncol") or "1")
         if inner["t"] == "Div" and "report-layout" in inner["c"][0][1] else None)
    calls = [f"image({_typst_string(_image_path(image['c'][2][0], doc))}, alt: {_typst_string(stringify(image['c'][1]))})"
             for image in images]
    body = calls[0] if len(calls) == 1 else f"grid(columns: {layouts[0] if layouts else 1}, gutter: 1em, {', '.join(calls)})"
    described = f", supplement: {supplement}" if supplement else ""
    return Plain([RawInline("typst", f"#figure({body}, caption: ["), *caption,
                   RawInline("typst", f"]{described}){label}")])


def _callout_typst(node: Node) -> list[Node] | None:
    parts = callout_parts(node)
    if parts is None:
        return None
    kind, title, body = parts
    stroke, fill = CALLOUT_COLOURS[kind]
    return [Plain([RawInline("typst", "#callout(title: ["), *title,
                   RawInline("typst", f'], icon_color: rgb("{stroke}"), background_color: rgb("{fill}"), body: [')]),
            *body, RawBlock("typst", "])")]


def _layout_typst(node: Node) -> list[Node] | None:
    if node["t"] != "Div" or "report-layout" not in node["c"][0][1]:
        return None
    columns = attr_get(node["c"][0], "layout-ncol") or "1"
    blocks: list[Node] = [RawBlock("typst", f"#grid(columns: {columns}, gutter: 1em,")]
    for child in node["c"][1]:
        blocks += [RawBlock("typst", "["), child, RawBlock("typst", "],")]
    return blocks + [RawBlock("typst", ")")]


def to_typst_blocks(doc: BookDocument, labels: Mapping[str, str]) -> list[Node]:
    # Floats first, while the panel layout inside them is still a Div to read the columns from.
    floats = walk(doc.blocks, lambda node: _float_typst(node, doc), {"Div"})

    chapter_word = None
    if doc.number is not None:
        chapter_word = labels["appendix"] if doc.appendix else labels["chapter"]

    def visit(node: Node):
        if node["t"] == "Header":
            return heading_typst(node, chapter_word, labels["section"])
        if node["t"] == "Div":
            return _callout_typst(node) or _layout_typst(node)
        if node["t"] == "Image":
            attribute, description, (target, _title) = node["c"]
            alt = attr_get(attribute, "fig-alt") or stringify(description)
            if not alt:
                raise ReportError(f"image '{target}' has no alt text (add fig-alt or a description)", path=doc.source,
                                  line=doc.line_of(target))
            return RawInline("typst", f"#box(image({_typst_string(_image_path(target, doc))}, "
                                      f"alt: {_typst_string(alt)}))")
        return None

    return walk(floats, visit, {"Div", "Image", "Header"})


def write_typst(documents: list[BookDocument], build_dir: Path, project_root: Path, metadata: dict[str, Any],
                partials: Mapping[str, Path], pandoc_args: list[str], labels: Mapping[str, str]) -> Path:
    """Write the book's typst source into ``build_dir``; return its path."""
    template_dir = build_dir / "typst-template"
    template_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(RESOURCES / "template.typ", template_dir / "template.typ")
    for name in PARTIALS:
        shutil.copyfile(partials.get(name, RESOURCES / name), template_dir / name)
    blocks: list[Node] = []
    current_part: str | None = None
    in_appendices = False
    parts = 0
    for doc in documents:
        if doc.appendix and not in_appendices:
            in_appendices = True
            blocks.append(RawBlock("typst", part_typst(labels["appendices"], labels["part"], first=parts == 0)))
            parts += 1
        elif not doc.appendix and doc.part and doc.part != current_part:
            blocks.append(RawBlock("typst", part_typst(doc.part, labels["part"], first=parts == 0)))
            parts += 1
        current_part = doc.part
        blocks.extend(to_typst_blocks(doc, labels))
        # A chapter's floats stay in the chapter: those still waiting are placed before the next one starts.
        blocks.append(RawBlock("typst", "#place.flush()"))
    ast = {"pandoc-api-version": [1, 23, 1], "meta": metadata_json(metadata), "blocks": blocks}
    source = run_pandoc(json.dumps(ast), ["--from", "json", "--to", "typst", "--standalone", "--wrap=preserve",
                                          "--template", str(template_dir / "template.typ"), *pandoc_args],
                        what="writing typst", cwd=project_root)
    target = build_dir / "book.typ"
    target.write_text(source, encoding="utf-8")
    return target


def font_paths() -> list[str]:
    """Fonts come from installed wheels only (matplotlib's DejaVu), never from the machine."""
    import importlib.util

    # Located without importing matplotlib, which would cost a quarter of a second per render.
    package = importlib.util.find_spec("matplotlib")
    return [str(Path(next(iter(package.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf")]


# One compiler per (source, root) for the life of the process: typst then recompiles incrementally, which a
# long-running `report preview` turns into a PDF in milliseconds after a prose edit. Its bytes are identical
# to a fresh compile's.
_COMPILERS: dict[tuple[str, str], Any] = {}


def compile_pdf(typ_file: Path, output: Path, project_root: Path, timestamp: int, reuse: bool = False) -> None:
    import typst

    try:
        if reuse:
            key = (str(typ_file), str(project_root))
            if key not in _COMPILERS:
                _COMPILERS[key] = typst.Compiler(str(typ_file), root=str(project_root), font_paths=font_paths(),
                                                 ignore_system_fonts=True)
            pdf = _COMPILERS[key].compile(pdf_standards=PDF_STANDARDS, timestamp=timestamp)
        else:
            pdf = typst.compile(str(typ_file), root=str(project_root), font_paths=font_paths(),
                                ignore_system_fonts=True, pdf_standards=PDF_STANDARDS, timestamp=timestamp)
    except Exception as error:  # typst raises its own error types with the source position in the text
        raise ReportError(f"typst could not build the PDF: {error}", path=typ_file) from None
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(pdf)
