"""A reviewer's Word copy back to the source: ``report comments REVIEWED.docx``.

Public surface:

- :func:`read_review` reads a .docx written by ``report render --to docx`` and returned with comments and tracked
  changes, and places each on its source file and line (by the ``rs_``/``rc_`` bookmarks of ANCHORS.md, by text
  only where a bookmark is gone) into a :class:`Review`;
- :func:`write_review` writes its review list (``comments.md``, ``comments.html``) and ``changes.patch``;
- :func:`add_parser` / :func:`run` are the ``report comments`` command.
"""

from report.comments._command import add_parser, run, write_review
from report.comments._model import Computed, Item, Location
from report.comments._review import Chapter, Review, read_review

__all__ = ["Chapter", "Computed", "Item", "Location", "Review", "add_parser", "read_review", "run", "write_review"]
