"""The Markdown reader of a document: `from:` as Quarto hands it to pandoc (a reader and its extensions:
``commonmark_x``, ``markdown+emoji``, ``markdown-smart``), with the extensions the engine's own Markdown needs.

The engine writes a document's cells and their outputs as fenced divs holding raw blocks and spans
(report.document.assemble); as Quarto puts its required extensions before the user's, those go first where the
reader has them, and the user's own come after (and so win). Without `from:` the reader is pandoc's Markdown
with every extension Quarto's syntax uses (READER).
"""

from __future__ import annotations

import functools
import re
import subprocess
from pathlib import Path
from typing import Any

from report.document.pandoc import READER, pandoc_path
from report.errors import ReportError

__all__ = ["MARKDOWN_READERS", "reader_format"]

# pandoc's readers of Markdown text; `from:` naming any other (docx, html) is not a Markdown document.
MARKDOWN_READERS = ("markdown", "markdown_strict", "markdown_phpextra", "markdown_mmd", "commonmark",
                    "commonmark_x", "gfm")
# The extensions the engine's own Markdown needs: cells and their outputs are fenced divs, raw blocks and spans.
_REQUIRED = ("fenced_divs", "bracketed_spans", "raw_attribute")
_FORMAT = re.compile(r"(?P<base>[a-z_]+)(?P<extensions>(?:[+-][a-z_]+)*)")
_EXTENSION = re.compile(r"([+-])([a-z_]+)")


@functools.cache
def _extensions(base: str) -> frozenset[str]:
    """The extensions pandoc's ``base`` reader knows."""
    try:
        listed = subprocess.run([pandoc_path(), f"--list-extensions={base}"], capture_output=True, text=True,
                                check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise ReportError(f"could not ask pandoc for the extensions of '{base}': {error}") from None
    return frozenset(line[1:] for line in listed.split() if line[:1] in "+-")


def reader_format(value: Any, path: Path | str | None = None) -> str:
    """The pandoc reader for a document whose `from:` is ``value`` (None: not set), with the engine's required
    extensions; an error naming ``path`` for a reader that is not Markdown or an extension it does not have."""
    if value is None:
        return READER
    text = str(value).strip()
    match = _FORMAT.fullmatch(text)
    if match is None or match["base"] not in MARKDOWN_READERS:
        raise ReportError(f"'from: {text}' is not a Markdown reader; use one of {', '.join(MARKDOWN_READERS)}, "
                          "with +extension or -extension", path=path)
    base, chosen = match["base"], _EXTENSION.findall(match["extensions"])
    known = _extensions(base)
    for _sign, name in chosen:
        if name not in known:
            raise ReportError(f"'from: {text}': the {base} reader has no extension '{name}' "
                              f"(pandoc --list-extensions={base})", path=path)
    required = "".join(f"+{name}" for name in _REQUIRED if name in known)
    return base + required + "".join(sign + name for sign, name in chosen)
