"""Export every numbered figure as SVG and 300-dpi PNG with a sidecar of caption and alt text.

Communication staff reuse figures without re-rendering the book. The PNG is
rasterised by typst from the same SVG the book uses, so no extra graphics
library is needed and the bytes are deterministic. A figure whose SVG is
unchanged since the last export is not rasterised again.
"""

from __future__ import annotations

import io
import json
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
                        staging: Path) -> tuple[int, dict[str, Path]]:
    """Write the export into ``staging`` (published to ``export_dir`` afterwards); PNGs of unchanged SVGs come
    from the export already in ``export_dir``.

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
                svg = source.read_bytes()
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
                       "chapter": figure["chapter"], "files": files}
            (staging / f"{figure['label']}.json").write_text(json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n",
                                                               encoding="utf-8")
            index.append(sidecar)
        (staging / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except Exception as error:  # PIL and typst raise their own error types; the message names the cause
        raise ReportError(f"exporting figures failed: {error}", path=export_dir) from None
    return len(index), {path.name: path for path in sorted(staging.iterdir()) if path.is_file()}
