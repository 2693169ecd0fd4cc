"""Figures for Word: SVG drawn as PNG at ``fig-dpi``, as Quarto's docx output carries raster figures.

typst draws them (the wheel the PDF is made with, so no further rasteriser is needed), all in one compile:
each SVG on a page of its own size. A PNG's name is the digest of its SVG and resolution, so unchanged
figures keep their names and bytes from render to render.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import zlib
from pathlib import Path

from report.errors import ReportError

__all__ = ["embedded", "rasterised"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _with_resolution(png: bytes, dpi: int) -> bytes:
    """``png`` with a pHYs chunk saying ``dpi``, so that Word (and pandoc, which sizes the picture) show it at the
    size it was drawn for; typst writes none."""
    if not png.startswith(PNG_SIGNATURE) or b"pHYs" in png[:64]:
        return png
    per_metre = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    header_end = len(PNG_SIGNATURE) + 8 + 13 + 4  # IHDR: length, type, 13 bytes of data, CRC
    return png[:header_end] + chunk + png[header_end:]


def embedded(files: list[Path], folder: Path) -> dict[Path, Path]:
    """Each of ``files`` (PNG, JPEG ...) copied into ``folder`` under the digest of its bytes: pandoc records a
    picture's file name in the .docx, which must not depend on where the project lies."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = {}
    for file in files:
        copy = folder / f"image-{hashlib.sha256(file.read_bytes()).hexdigest()[:20]}{file.suffix.lower()}"
        if not copy.is_file():
            shutil.copyfile(file, copy)
        copies[file] = copy
    return copies


def rasterised(svgs: list[Path], folder: Path, dpi: int, fonts: list[str]) -> dict[Path, Path]:
    """Each of ``svgs`` as a PNG in ``folder`` at ``dpi`` pixels per inch; drawn only where not drawn before."""
    import typst

    folder.mkdir(parents=True, exist_ok=True)
    wanted: dict[Path, Path] = {}
    for svg in svgs:
        digest = hashlib.sha256(svg.read_bytes() + f"\0{dpi}".encode()).hexdigest()[:20]
        wanted[svg] = folder / f"figure-{digest}.png"
    missing = sorted({svg for svg, png in wanted.items() if not png.is_file()})
    if not missing:
        return wanted
    pages = "\n#pagebreak()\n".join(f"#image({json.dumps(str(svg.resolve()))})" for svg in missing)
    source = folder / "figures.typ"
    source.write_text("#set page(width: auto, height: auto, margin: 0pt, fill: white)\n" + pages + "\n",
                      encoding="utf-8")
    try:
        images = typst.compile(str(source), root="/", format="png", ppi=dpi, font_paths=fonts,
                               ignore_system_fonts=True)
    except Exception as error:  # typst raises its own error types, with the message in the text
        raise ReportError(f"a figure could not be drawn as PNG for Word: {error}",
                          path=missing[0] if len(missing) == 1 else None) from None
    images = images if isinstance(images, list) else [images]
    for svg, image in zip(missing, images):
        temporary = wanted[svg].with_suffix(".partial")
        temporary.write_bytes(_with_resolution(image, dpi))
        temporary.replace(wanted[svg])
    return wanted
