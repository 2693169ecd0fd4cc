"""Export every numbered figure as SVG and 300-dpi PNG with a sidecar of caption and alt text.

Communication staff reuse figures without re-rendering the book. The PNG is
rasterised by typst from the same SVG the book uses, so no extra graphics
library is needed and the bytes are deterministic. A figure whose SVG is
unchanged since the last export is not rasterised again.

A draft's export carries the draft mark as the book's pages do: a band under
each SVG (and so in its PNG) and a ``mark`` in every sidecar and the index, so
a figure taken out of a draft cannot pass for a published one.
"""

from __future__ import annotations

import html
import io
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from report.document._ast import stringify, walk
from report._hashing import sha256_bytes
from report.document.crossref import FLOAT_CLASS, BookDocument
from report.errors import ReportError
from report.sources.paths import project_relative

__all__ = ["build_figure_export", "PNG_PPI"]

PNG_PPI = 300


def _figures(documents: list[BookDocument]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for doc in documents:
        def visit(node, doc=doc):
            if node["t"] != "Div" or f"{FLOAT_CLASS}-fig" not in node["c"][0][1] or not node["c"][0][0]:
                return None
            *content, caption_div = node["c"][1]
            images: list[dict] = []
            walk(content, images.append, {"Image"})
            found.append({"label": node["c"][0][0], "caption": stringify(caption_div["c"][1]),
                          "alt": [stringify(image["c"][1]) for image in images],
                          "images": [project_relative(doc.source.parent, image["c"][2][0]) for image in images],
                          "chapter": doc.source.as_posix()})
            return None

        walk(doc.blocks, visit, {"Div"})
    return found


_SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.S)
_VIEW_BOX = re.compile(rb'viewBox="\s*([-\d.eE+]+)[\s,]+([-\d.eE+]+)[\s,]+([-\d.eE+]+)[\s,]+([-\d.eE+]+)\s*"')
_UNIT = re.compile(rb'\bwidth="[-\d.eE+]+([a-z%]*)"')


def _marked(svg: bytes, mark: str, source: Path) -> bytes:
    """The figure with ``mark`` in a band under it: the original SVG nested whole, the band added below."""
    root = _SVG_ROOT.search(svg)
    box = _VIEW_BOX.search(root.group(0)) if root else None
    if box is None:
        raise ReportError(f"cannot put the draft mark on {source.name}: its <svg> element has no viewBox", path=source)
    width, height = float(box.group(3)), float(box.group(4))
    unit_match = _UNIT.search(root.group(0))
    unit = unit_match.group(1).decode() if unit_match else ""
    band = max(14.0, height * 0.07)
    total = height + band
    inner = svg[root.start():]
    text = html.escape(mark, quote=True)
    return (f'<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width:g}{unit}" height="{total:g}{unit}" viewBox="0 0 {width:g} {total:g}">\n'
            f'<title>{text}</title>\n'
            f'<svg x="0" y="0" width="{width:g}" height="{height:g}" viewBox="{box.group(1).decode()} '
            f'{box.group(2).decode()} {width:g} {height:g}">'.encode()
            + _SVG_ROOT.sub(b"", inner, count=1)
            + (f'\n<rect x="0" y="{height:g}" width="{width:g}" height="{band:g}" fill="#B00020"/>\n'
               f'<text x="{width / 2:g}" y="{height + band * 0.7:g}" text-anchor="middle" '
               f'font-family="sans-serif" font-size="{band * 0.6:g}" font-weight="bold" fill="#FFFFFF">{text}</text>\n'
               f'</svg>\n').encode())


def _rasterise(svg: bytes, ppi: int) -> bytes:
    import typst

    with tempfile.TemporaryDirectory(prefix="report-png-") as folder:
        (Path(folder) / "figure.svg").write_bytes(svg)
        main = Path(folder) / "main.typ"
        main.write_text('#set page(width: auto, height: auto, margin: 0pt, fill: white)\n#image("figure.svg")\n',
                        encoding="utf-8")
        png = typst.compile(str(main), root=folder, format="png", ppi=ppi, ignore_system_fonts=True)
    # Record the resolution in the file (pHYs), so layout programs place it at its true size.
    from PIL import Image

    buffer = io.BytesIO()
    Image.open(io.BytesIO(png)).save(buffer, format="PNG", dpi=(ppi, ppi))
    return buffer.getvalue()


def build_figure_export(documents: list[BookDocument], figure_files: dict[str, Path], export_dir: Path,
                        staging: Path, mark: str | None = None) -> tuple[int, dict[str, Path]]:
    """Write the export into ``staging`` (published to ``export_dir`` afterwards); PNGs of unchanged SVGs come
    from the export already in ``export_dir``. ``mark`` (a draft's mark) goes on every file.

    Returns the number of figures and the files written (relative path -> file).
    """
    previous: dict[str, dict[str, Any]] = {}
    if (export_dir / "index.json").is_file():
        try:
            previous = {item["label"]: item for item in json.loads((export_dir / "index.json").read_text("utf-8"))}
        except (OSError, ValueError, KeyError, TypeError):
            previous = {}  # an unreadable earlier index only costs rasterising again
    staging.mkdir(parents=True, exist_ok=True)
    index: list[dict[str, Any]] = []
    try:
        for figure in _figures(documents):
            files = []
            for number, image in enumerate(figure["images"], start=1):
                source = figure_files.get(image)
                if source is None or source.suffix != ".svg":
                    continue  # only computed vector figures are exported
                stem = figure["label"] if len(figure["images"]) == 1 else f"{figure['label']}-{number}"
                svg = source.read_bytes() if mark is None else _marked(source.read_bytes(), mark, source)
                digest = sha256_bytes(svg)
                old = next((item for item in previous.get(figure["label"], {}).get("files", [])
                            if item["svg"] == f"{stem}.svg" and item["svg_sha256"] == digest), None)
                old_png = export_dir / f"{stem}.png"
                png = old_png.read_bytes() if old and old_png.is_file() else _rasterise(svg, PNG_PPI)
                (staging / f"{stem}.svg").write_bytes(svg)
                (staging / f"{stem}.png").write_bytes(png)
                files.append({"svg": f"{stem}.svg", "png": f"{stem}.png", "png_ppi": PNG_PPI,
                              "svg_sha256": digest, "png_sha256": sha256_bytes(png)})
            if not files:
                continue
            sidecar = {"label": figure["label"], "caption": figure["caption"], "alt": figure["alt"],
                       "chapter": figure["chapter"], "files": files, **({"mark": mark} if mark else {})}
            (staging / f"{figure['label']}.json").write_text(json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n",
                                                               encoding="utf-8")
            index.append(sidecar)
        (staging / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except Exception as error:  # PIL and typst raise their own error types; the message names the cause
        raise ReportError(f"exporting figures failed: {error}", path=export_dir) from None
    return len(index), {path.name: path for path in sorted(staging.iterdir()) if path.is_file()}
