"""Citations by typst's own bibliography, Quarto's default for typst (`citeproc: false`).

Unless `citeproc: true`, Quarto's typst output keeps citations as typst's `#cite(<key>)` and ends the document
with Quarto's `biblio.typ`: `#set bibliography(style: "...")` for `csl` (else `bibliographystyle`), then
`#bibliography(("a.bib","b.bib"))` with the paths as written, relative to the .typ. Typst reads those files, so
they are copied under its root beside the .typ (``files``).
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Iterable

from report.document._ast import Node, walk

__all__ = ["TypstBibliography", "has_citations", "typst_bibliography", "unbreakable_locators"]


@dataclass(frozen=True)
class TypstBibliography:
    source: str  # the typst written after the body
    files: dict[str, Path]  # path below typst's root -> the project file to copy there


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _boxed(inlines: list[Node]) -> list[Node]:
    """Each word holding a no-break space (pandoc joins a locator's `p.` and its number so) as typst's unbreakable
    box around the words with plain spaces: the same line, and the PDF's text reads "p. 42" as Quarto's does."""
    result: list[Node] = []
    for node in inlines:
        if node.get("t") != "Str" or "\u00a0" not in node["c"]:
            result.append(node)
            continue
        words: list[Node] = []
        for index, word in enumerate(node["c"].split("\u00a0")):
            words += ([{"t": "Space"}] if index else []) + ([{"t": "Str", "c": word}] if word else [])
        result += [{"t": "RawInline", "c": ["typst", "#box["]}, *words, {"t": "RawInline", "c": ["typst", "]"]}]
    return result


def unbreakable_locators(blocks: list[Node]) -> list[Node]:
    """The citations' prefixes and suffixes (`[@key, p. 42]`) for typst's own `#cite`, their no-break spaces
    kept as unbreakable boxes (_boxed). Not for citeproc, which reads the locator from the suffix's text."""

    def visit(cite: Node):
        citations = [{**citation, "citationPrefix": _boxed(citation.get("citationPrefix", [])),
                      "citationSuffix": _boxed(citation.get("citationSuffix", []))} for citation in cite["c"][0]]
        return {"t": "Cite", "c": [citations, cite["c"][1]]}

    return walk(blocks, visit, {"Cite"})


def has_citations(documents_blocks: Iterable[list[Node]]) -> bool:
    """Whether any citation is left (cross-references are links by now, so these are bibliography keys)."""
    found: list[Node] = []
    for blocks in documents_blocks:
        walk(blocks, found.append, {"Cite"})
        if found:
            return True
    return False


def _written(name: str, file: Path, root: Path, base: PurePosixPath) -> str:
    """The path as the author wrote it where it names the file from the .typ's folder, else that relative path."""
    relative = posixpath.relpath(file.relative_to(root).as_posix(), base.as_posix())
    return name if posixpath.normpath(name) == relative else relative


def typst_bibliography(bibliographies: list[tuple[str, Path]], style: tuple[str, Path | None] | None,
                       suppress: bool, root: Path, base: PurePosixPath) -> TypstBibliography:
    """``bibliographies``: (name as written, file) each; ``style``: the csl (name, file) or a typst style name
    (`bibliographystyle`, no file); ``base``: the .typ's folder below the project root ``root``."""
    lines: list[str] = []
    files: dict[str, Path] = {}

    def place(name: str, file: Path) -> str:
        written = _written(name, file, root, base)
        files[posixpath.normpath((base / written).as_posix())] = file
        return written

    if style is not None:
        name, file = style
        lines.append(f"#set bibliography(style: {_string(place(name, file) if file is not None else name)})")
    if bibliographies:
        if suppress:
            lines.append("#show bibliography: none")
        paths = ",".join(_string(place(name, file)) for name, file in bibliographies)
        lines.append(f"#bibliography(({paths}))")
    return TypstBibliography("\n\n".join(lines) + "\n" if lines else "", files)


def bibliography_for(options: Any, files: list[Path], csl: Path | None, root: Path,
                     base: PurePosixPath) -> TypstBibliography | None:
    """Typst's own bibliography for the resolved ``options`` (report.sources.resolved), None with `citeproc: true`.

    ``files`` and ``csl``: the bibliography files and style those options name, found and checked already."""
    if options.get("citeproc"):
        return None
    names = [str(name) for name, _layer in options.values_by_layer("bibliography")]
    style_names = [str(name) for name, _layer in options.values_by_layer("csl")]
    style = ((style_names[-1], csl) if csl is not None and style_names else
             (str(options.get("bibliographystyle")), None) if options.get("bibliographystyle") else None)
    return typst_bibliography(list(zip(names, files)), style, bool(options.get("suppress-bibliography")), root,
                              base)
