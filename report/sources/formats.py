"""Which formats a render writes, and the format options each reads, as Quarto chooses them.

- ``html`` and ``typst`` render as always; ``pdf`` (Quarto's LaTeX PDF) renders through typst into the same
  ``FILE.pdf`` / book PDF, with one warning naming the LaTeX-only options it ignored.
- A full render writes the formats the project and document list (``html`` when none is listed, as Quarto);
  the other formats listed (docx, epub, revealjs ...) are skipped with a warning each.
- ``--to FORMAT`` for a format the engine cannot write is an error.
- ``pdf-standard`` (typst and pdf option) chooses the PDF standards typst checks; a PDF/UA standard makes alt
  text on every figure, a title and a heading tree without skipped levels required (report.document.crossref).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from report.errors import ReportError
from report.sources import diagnostics
from report.sources.format_names import rendered_names, spoken_list, writer_of
from report.sources.options import latex_only, normalise_formats

__all__ = ["format_map", "listed_formats", "pdf_standards", "requests_ua", "resolve_formats", "TYPST_STANDARDS"]

# What the typst wheel accepts (typst 0.14): PDF versions, PDF/A and PDF/UA-1. Quarto's LaTeX-only ones are not.
TYPST_STANDARDS = ("1.4", "1.5", "1.6", "1.7", "2.0", "a-1a", "a-1b", "a-2a", "a-2b", "a-2u", "a-3a", "a-3b",
                   "a-3u", "a-4", "a-4f", "a-4e", "ua-1")


def format_map(metadata: dict[str, Any]) -> dict[str, dict[str, Any]]:
    formats = normalise_formats(metadata.get("format")) if metadata.get("format") is not None else {}
    return {name: (options if isinstance(options, dict) else {}) for name, options in (formats or {}).items()}


def listed_formats(*layers: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for layer in layers:
        for name in format_map(layer or {}):
            if name not in names:
                names.append(name)
    return names


def resolve_formats(requested: tuple[str, ...] | None, listed: list[str], layers: list[tuple[dict[str, Any], Path]],
                    ) -> tuple[str, ...]:
    """The formats to write: ``requested`` (``--to``) or else every listed one the engine renders."""
    renders = spoken_list(rendered_names())
    if requested is not None:
        for name in requested:
            if writer_of(name) is None:
                raise ReportError(f"format '{name}' cannot be rendered by the embedded engine (it renders {renders}; "
                                  "use a quarto binary with --engine quarto)")
        chosen = requested
    else:
        chosen = tuple(name for name in listed if writer_of(name) is not None) or (() if listed else ("html",))
        for name in listed:
            if writer_of(name) is None:
                source = next((path for metadata, path in layers if name in format_map(metadata)), None)
                diagnostics.warn(f"format '{name}' is skipped: the embedded engine renders {renders}", path=source)
        if not chosen:
            raise ReportError(f"none of the listed formats ({', '.join(listed)}) can be rendered by the embedded "
                              f"engine (it renders {renders})", path=layers[0][1] if layers else None)
    if "pdf" in chosen:
        _latex_notice(layers)
    return chosen


def _latex_notice(layers: list[tuple[dict[str, Any], Path]]) -> None:
    ignored: list[str] = []
    first: Path | None = None
    for metadata, path in layers:
        for key in format_map(metadata).get("pdf") or {}:
            if key in latex_only() and key not in ignored:
                ignored.append(key)
                first = first or path
    if ignored:
        diagnostics.warn("format 'pdf' is rendered with typst; LaTeX-only options ignored by the embedded engine: "
                         + ", ".join(ignored), path=first)


def pdf_standards(options: dict[str, Any], source: Path | str | None = None) -> list[str]:
    """The ``pdf-standard`` values typst can check, as Quarto reads them (case ignored, a `pdf`/`PDF/` prefix
    dropped, YAML's 2 read as 2.0); others are warned about in Quarto's words and left out."""
    value = options.get("pdf-standard")
    values = [item for item in ([value] if isinstance(value, (str, int, float)) else (value or []))
              if isinstance(item, (str, int, float)) and not isinstance(item, bool)]
    standards: list[str] = []
    for item in values:
        written = f"{item}.0" if isinstance(item, int) else str(item)
        normalised = re.sub(r"^pdf[/-]?", "", written.lower())
        if normalised in TYPST_STANDARDS:
            standards.append(normalised)
        else:
            diagnostics.warn(f"PDF standard '{written}' is not supported by Typst and will be ignored "
                             f"(typst supports {', '.join(TYPST_STANDARDS)})", path=source)
    return standards


def requests_ua(standards: list[str]) -> bool:
    return any(item.startswith("ua-") for item in standards)
