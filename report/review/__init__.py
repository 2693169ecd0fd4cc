"""Redlines between two versions of a rendered book.

Public surface:

- :func:`diff_books` compares two rendered book folders into a
  :class:`BookDiff` (pages -> aligned blocks -> word, number, figure and
  table changes);
- :func:`write_redline` writes the self-contained HTML redline and its
  JSON/Markdown summaries into a folder;
- :func:`add_parser` / :func:`run` are the ``report diff`` command.
"""

from report.review._book import BookDiff, BookError, diff_books
from report.review._command import add_parser, run, write_redline
from report.review._summary import summary_dict

__all__ = ["BookDiff", "BookError", "add_parser", "diff_books", "run", "summary_dict", "write_redline"]
