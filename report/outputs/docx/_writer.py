"""The whole book (or one document) as one .docx, through pandoc's docx writer, as Quarto renders `format: docx`."""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

from report.document._ast import Node, Para, stringify, text_inlines, walk
from report.document.crossref import BookDocument
from report.document.pandoc import metadata_json, run_pandoc
from report.errors import ReportError
from report.outputs._typst_ids import unique_chapter_ids
from report.outputs.docx._anchors import AnchorSource, anchored_blocks
from report.outputs.docx._blocks import docx_blocks, for_docx
from report.outputs.docx._images import embedded, rasterised
from report.outputs.docx._package import normalised_docx, with_toc_entries

__all__ = ["DEFAULT_REFERENCE_DOC", "DocxSettings", "write_docx"]

DEFAULT_REFERENCE_DOC = Path(__file__).parent / "resources" / "reference.docx"
# Word's proofing language needs a region ("nl-NL"); a bare language gets its usual one.
_REGIONS = {"nl": "NL", "en": "US", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "pt": "PT", "da": "DK",
            "sv": "SE", "nb": "NO", "fi": "FI", "pl": "PL"}
# The title block and what Word shows of the metadata: every other key would become a document property.
_METADATA_KEYS = ("title", "subtitle", "author", "date", "abstract", "abstract-title", "toc-title")


@dataclass(frozen=True)
class DocxSettings:
    metadata: Mapping[str, Any]  # the title block: title, subtitle, author (names), date, abstract, lang, toc-title
    reference_doc: Path = DEFAULT_REFERENCE_DOC
    toc: bool = False
    toc_depth: int = 3
    fig_dpi: int = 96  # Quarto's default
    epoch: int = 0  # SOURCE_DATE_EPOCH: the documents' and zip entries' time
    citeproc: tuple[str, ...] = ()  # --citeproc and the bibliography and style arguments
    fonts: tuple[str, ...] = ()  # font folders for drawing SVG figures (report.outputs.fonts)
    appendices_title: str = "Appendices"  # the part page that opens the appendices (the language's label)


def word_language(lang: str) -> str:
    language, _, region = lang.replace("_", "-").partition("-")
    return lang if region or language.lower() not in _REGIONS else f"{language}-{_REGIONS[language.lower()]}"


def _book_links(node: Node) -> Node | None:
    """A link to another page of the book (`03-netwerk.html#fig-x`) goes to its bookmark: one document holds all."""
    target = node["c"][2][0]
    if "://" in target or target.startswith(("#", "mailto:")) or "#" not in target:
        return None
    page, _, anchor = target.partition("#")
    if not page.endswith(".html") or not anchor:
        return None
    return {"t": "Link", "c": [node["c"][0], node["c"][1], ["#" + anchor, node["c"][2][1]]]}


def _part_blocks(documents: list[BookDocument], settings: DocxSettings) -> list[list[Node]]:
    """For each document, the part page that opens it (a paragraph in the reference document's 'Part' style)."""
    current: str | None = None
    in_appendices = False
    opening: list[list[Node]] = []
    for doc in documents:
        blocks: list[Node] = []
        title = None
        if doc.appendix and not in_appendices:
            in_appendices = True
            title = settings.appendices_title
        elif not doc.appendix and doc.part and doc.part != current:
            title = doc.part
        current = doc.part
        if title:
            blocks.append({"t": "Div", "c": [["", [], [["custom-style", "Part"]]], [Para(text_inlines(title))]]})
        opening.append(blocks)
    return opening


def write_docx(documents: list[BookDocument], sources: list[AnchorSource], files: Mapping[str, Path],
               settings: DocxSettings, build_dir: Path, output: Path) -> None:
    """Write the .docx of ``documents`` to ``output``.

    ``sources``: each document's assembled Markdown, for its source anchors (report.outputs.docx._anchors);
    ``files``: the book's figures and images by their path in the output (report.render.figures)."""
    work = build_dir / "docx"
    work.mkdir(parents=True, exist_ok=True)
    used: dict[str, int] = {}
    chapters: list[list[Node]] = []
    for index, (doc, source, unique) in enumerate(zip(documents, sources,
                                                      unique_chapter_ids(doc.blocks for doc in documents))):
        blocks = anchored_blocks(for_docx(unique), index, source, used)
        if doc.part_page:  # the part's paragraph shows its title; the document's own `#` title would repeat it
            title = next((block for block in blocks if _is_title(block)), None)
            blocks = [block for block in blocks if block is not title]
        chapters.append(blocks)
    pictures = _pictures(documents, chapters, files, settings, work)
    body: list[Node] = []
    for doc, blocks, opening in zip(documents, chapters, _part_blocks(documents, settings)):
        body += opening
        body += docx_blocks(blocks, doc.source, lambda target, folder: pictures.get(_resolved(folder, target)))
    body = walk(body, _book_links, {"Link"})
    if settings.metadata.get("mark"):  # "DEMO: ...", "CONCEPT: ...": as on every page of the site and the PDF
        body = [{"t": "Div", "c": [["", [], [["custom-style", "Mark"]]],
                                   [Para(text_inlines(str(settings.metadata["mark"])))]]}, *body]
    metadata = {key: settings.metadata[key] for key in _METADATA_KEYS if settings.metadata.get(key)}
    metadata["lang"] = word_language(str(settings.metadata.get("lang") or "en"))
    metadata["link-citations"] = True
    metadata["report-sources"] = json.dumps([source.path.as_posix() for source in sources], ensure_ascii=False)
    document = json.dumps({"pandoc-api-version": [1, 23, 1], "meta": metadata_json(metadata), "blocks": body})
    if not settings.reference_doc.is_file():
        raise ReportError(f"reference-doc '{settings.reference_doc}' does not exist")
    staging = work / "book.docx"
    args = ["--from", "json", "--to", "docx", f"--reference-doc={settings.reference_doc}",
            f"--dpi={settings.fig_dpi}", "--wrap=preserve", *settings.citeproc, "-o", str(staging)]
    if settings.toc:
        args += ["--toc", f"--toc-depth={settings.toc_depth}"]
    run_pandoc(document, args, cwd=work, what="writing docx")
    data = staging.read_bytes()
    if settings.toc:
        data = with_toc_entries(data, _contents(body, settings.toc_depth))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(normalised_docx(data, settings.epoch, ("bibliography", "csl")))


def _contents(blocks: list[Node], depth: int) -> list[tuple[int, str, str]]:
    """The table of contents: (level, bookmark, text) of every heading down to ``depth`` and of every part."""
    entries: list[tuple[int, str, str]] = []

    def visit(node: Node):
        if node["t"] == "Header" and node["c"][0] <= depth and node["c"][1][0] \
                and "unlisted" not in node["c"][1][1]:
            entries.append((node["c"][0], node["c"][1][0], " ".join(stringify(node["c"][2]).split())))
        return None

    walk(blocks, visit, {"Header"})
    return entries


def _is_title(block: Node) -> bool:
    while block["t"] == "Div" and len(block["c"][1]) == 1:  # an anchor around it
        block = block["c"][1][0]
    return block["t"] == "Header" and block["c"][0] == 1


def _resolved(folder: PurePosixPath, target: str) -> str:
    return posixpath.normpath((folder / target).as_posix())


def _pictures(documents: list[BookDocument], chapters: list[list[Node]], files: Mapping[str, Path],
              settings: DocxSettings, work: Path) -> dict[str, str]:
    """Each image the book shows, by its path in the output, as the file pandoc embeds (SVG drawn as PNG)."""
    wanted: dict[str, Path] = {}
    for doc, blocks in zip(documents, chapters):
        folder = PurePosixPath(doc.source.parent.as_posix())

        def visit(node: Node, folder=folder):
            target = node["c"][2][0]
            relative = _resolved(folder, target)
            if "://" not in target and relative in files:
                wanted[relative] = files[relative]
            return None

        walk(blocks, visit, {"Image"})
    files_used = sorted(set(wanted.values()))
    drawn = rasterised([file for file in files_used if file.suffix.lower() == ".svg"], work / "figures",
                       settings.fig_dpi, list(settings.fonts))
    drawn.update(embedded([file for file in files_used if file.suffix.lower() != ".svg"], work / "figures"))
    # Relative to the folder pandoc runs in: pandoc writes each picture's file name into the .docx.
    return {relative: drawn[file].relative_to(work).as_posix() for relative, file in wanted.items()}

