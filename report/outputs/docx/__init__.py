"""Word output (`format: docx`): the engine's numbered document through pandoc's docx writer.

Everything Word-specific lives here: how callouts, tabsets, floats, code, figures and page breaks look in
Word (_blocks), the source anchors `report comments` reads back (_anchors), figures drawn as PNG (_images),
and the reproducible zip (_package). The default styles are resources/reference.docx, made by
scripts/make_docx_reference.py.
"""

from report.outputs.docx._anchors import AnchorSource
from report.outputs.docx._writer import DEFAULT_REFERENCE_DOC, DocxSettings, word_language, write_docx

__all__ = ["AnchorSource", "DEFAULT_REFERENCE_DOC", "DocxSettings", "word_language", "write_docx"]
