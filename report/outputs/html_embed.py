"""`embed-resources: true`: a single document's page as one self-contained HTML file, as Quarto writes it.

The page's own CSS and scripts are inline already; here every local file the page refers to is taken in:
an image (``<img src>``, a figure's zoom link) becomes a ``data:`` URI, a stylesheet a ``<style>``, a script
an inline ``<script>``. Links to other pages stay links. A file the page names that does not exist is an
error, so an emailed page never lacks a figure in silence.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from report.errors import ReportError

__all__ = ["embed_resources"]

_STYLESHEET = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"[^>]*>')
_SCRIPT = re.compile(r'<script\b([^>]*)\bsrc="([^"]+)"([^>]*)>\s*</script>')
_ATTRIBUTE = re.compile(r'\b(src|href|poster|data)="([^"]+)"')
_PAGES = (".html", ".htm", ".qmd", ".md", ".ipynb")


def _local(value: str) -> str | None:
    """The relative path a URL names, or None for what stays as it is (other pages, anchors, the web)."""
    target = html.unescape(value).split("#", 1)[0].split("?", 1)[0]
    if not target or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith(("/", "//")):
        return None
    return None if target.lower().endswith(_PAGES) else unquote(target)


def embed_resources(page: str, find: Callable[[str], Path | None], source: Path | None = None) -> str:
    """``page`` with each local file it names (``find``: relative path -> file, None when there is none) inline."""

    def read(relative: str) -> Path:
        file = find(relative)
        if file is None or not file.is_file():
            raise ReportError(f"embed-resources: '{relative}' that the page refers to does not exist", path=source)
        return file

    def stylesheet(match: re.Match[str]) -> str:
        relative = _local(match.group(1))
        if relative is None:
            return match.group(0)
        return "<style>" + read(relative).read_text(encoding="utf-8") + "</style>"

    def script(match: re.Match[str]) -> str:
        relative = _local(match.group(2))
        if relative is None:
            return match.group(0)
        code = read(relative).read_text(encoding="utf-8").replace("</script", "<\\/script")
        return f"<script{match.group(1)}{match.group(3)}>{code}</script>"

    def attribute(match: re.Match[str]) -> str:
        relative = _local(match.group(2))
        if relative is None:
            return match.group(0)
        file = read(relative)
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return f'{match.group(1)}="data:{mime};base64,{base64.b64encode(file.read_bytes()).decode("ascii")}"'

    page = _STYLESHEET.sub(stylesheet, page)
    page = _SCRIPT.sub(script, page)
    return _ATTRIBUTE.sub(attribute, page)
