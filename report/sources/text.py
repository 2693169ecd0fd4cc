"""Every source text the engine reads (documents, includes, embeds, `_quarto.yml`, `_variables.yml`, bibliographies),
read as Quarto reads it: UTF-8, with a leading byte-order mark dropped.

A file in another encoding is one error naming the file and the line and column of its first byte that is not
UTF-8, since Quarto requires UTF-8 text; never a UnicodeDecodeError.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from report.errors import ReportError

__all__ = ["parse_notebook", "read_source"]


def read_source(file: Path, shown: str | Path | None = None) -> str:
    """The text of ``file``; ``shown`` is the path messages name (default ``file`` itself)."""
    data = file.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[:error.start].decode("utf-8")  # everything before the first bad byte is valid UTF-8
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        raise ReportError(f"not UTF-8 (byte 0x{data[error.start]:02x} at column {column}); Quarto requires UTF-8 "
                          "text: save the file as UTF-8", path=shown if shown is not None else file,
                          line=line) from None
    # Universal newlines, as Path.read_text reads them: a file saved with CRLF line ends parses alike.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_notebook(text: str):
    """A notebook's JSON as nbformat reads it (version 4), without nbformat's complaints about its schema.

    nbformat logs "Notebook JSON is invalid" for small departures such as cell ``id``s in a 4.4 notebook, which
    Jupyter itself writes; Quarto renders such notebooks without a word, and so do we. JSON that is not a notebook
    still raises (a ValueError)."""
    import nbformat
    from nbformat import reader

    # nbformat.reads always validates and logs what it finds; reading and converting is the same minus that.
    return nbformat.convert(reader.reads(text), 4)
