"""Images typst cannot read from where they are: web addresses (`https://...`) and `data:` URIs, written into the
document's mediabag folder `NAME_files/mediabag/` as Quarto's typst filter does, so the PDF shows them.

A file is named as Quarto names it: the last segment of its address (URL-decoded, characters LaTeX or Windows
cannot take replaced by `-`, at most 20 characters before the extension), the extension its media type gives,
and a counter when two differ but share a name. An image that cannot be fetched (no network, a broken address)
keeps the render going as pandoc does: a warning, and the image's description instead of the image.
"""

from __future__ import annotations

import base64
import binascii
import http.client
import posixpath
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from report.document._ast import Node, Str, attr_get, walk
from report.sources import diagnostics

__all__ = ["Mediabag", "mediabag_folder"]

FETCH_SECONDS = 20
_MEDIA_EXTENSIONS = {"image/jpeg": "jpg", "image/gif": "gif", "image/vnd.microsoft.icon": "ico", "image/avif": "avif",
                     "image/bmp": "bmp", "image/png": "png", "image/svg+xml": "svg", "image/tiff": "tif",
                     "image/webp": "webp"}
_UNSAFE = re.compile(r"[ <>()|:&;#?*'\\/]")


def mediabag_folder(source: PurePosixPath) -> PurePosixPath:
    """The mediabag of the document ``source`` (relative to the project root), next to it as Quarto has it."""
    return source.parent / f"{source.stem}_files" / "mediabag"


def _is_remote(target: str) -> bool:
    return target.startswith(("http://", "https://", "data:image/"))


def _file_name(address: str, media_type: str) -> str:
    name = posixpath.basename(urllib.parse.unquote(address)) or "unknown"
    stem, extension = posixpath.splitext(_UNSAFE.sub("-", name))
    stem, extension = stem[:20], extension[:40]
    wanted = _MEDIA_EXTENSIONS.get(media_type)
    return f"{stem}.{wanted}" if wanted else stem + extension


def _decode_data_uri(address: str) -> tuple[bytes, str]:
    header, _, payload = address[len("data:"):].partition(",")
    media_type = header.split(";")[0]
    if header.endswith(";base64"):
        return base64.b64decode(payload, validate=False), media_type
    return urllib.parse.unquote_to_bytes(payload), media_type


def _fetch(address: str) -> tuple[bytes, str]:
    if address.startswith("data:"):
        return _decode_data_uri(address)
    request = urllib.request.Request(address, headers={"User-Agent": "report (Quarto-compatible renderer)"})
    with urllib.request.urlopen(request, timeout=FETCH_SECONDS) as response:  # noqa: S310 (http(s) only)
        return response.read(), response.headers.get_content_type()


@dataclass
class Mediabag:
    """The files fetched for one typst source, written below ``folder`` (a build folder) under their path
    relative to the project root; ``files`` maps that path to the written file, for typst's root."""

    folder: Path
    files: dict[str, Path] = field(default_factory=dict)
    _by_address: dict[tuple[PurePosixPath, str], str | None] = field(default_factory=dict)

    def localize(self, blocks: list[Node], source: PurePosixPath, line_of) -> list[Node]:
        """``blocks`` of document ``source`` with each remote image read from the mediabag, or its description
        where the image cannot be fetched."""

        def visit(node: Node):
            attribute, description, (target, title) = node["c"]
            if not _is_remote(target):
                return None
            stored = self._store(target, source, line_of)
            if stored is None:
                # As pandoc, for a resource it cannot fetch: the image's description in its place.
                shown = description or [Str(attr_get(attribute, "fig-alt") or attr_get(attribute, "alt") or "")]
                return {"t": "Span", "c": [["", ["image", "placeholder"],
                                            [("original-image-src", target), ("original-image-title", title)]],
                                           shown]}
            return {"t": "Image", "c": [attribute, description, [stored, title]]}

        return walk(blocks, visit, {"Image"})

    def fetch(self, address: str, source: PurePosixPath, line_of, base: PurePosixPath) -> str | None:
        """The file of ``address`` in the mediabag of document ``source``, relative to ``base`` (the folder of the
        typst source); None, with a warning, when it cannot be fetched."""
        local = self._store(address, source, line_of, "the page shows no logo")
        return None if local is None else posixpath.relpath((source.parent / local).as_posix(), base.as_posix())

    def _store(self, address: str, source: PurePosixPath, line_of,
               instead: str = "replacing image with description") -> str | None:
        """The path of ``address``'s file relative to the document's folder, or None (warned) if unreachable."""
        key = (source, address)
        if key in self._by_address:
            return self._by_address[key]
        try:
            content, media_type = _fetch(address)
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError, binascii.Error) as problem:
            shown = address if len(address) < 80 else address[:77] + "..."
            reason = getattr(problem, "reason", problem)
            diagnostics.warn(f"Could not fetch resource {shown}: {reason}; {instead}",
                             path=Path(source), line=line_of(address) if not address.startswith("data:") else None)
            self._by_address[key] = None
            return None
        folder = mediabag_folder(source)
        name = _file_name(address, media_type)
        stem, extension = posixpath.splitext(name)
        counter = 1
        while (relative := (folder / name).as_posix()) in self.files and self.files[relative].read_bytes() != content:
            name, counter = f"{stem}{counter}{extension}", counter + 1
        file = self.folder / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(content)
        self.files[relative] = file
        self._by_address[key] = local = (folder / name).relative_to(source.parent).as_posix()
        return local
