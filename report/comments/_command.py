"""The ``report comments REVIEWED.docx`` command."""

from __future__ import annotations

import argparse
from pathlib import Path

from report._disk import DISK_FULL, disk_full_error, write_atomic_together
from report.comments._patch import unified_diff
from report.comments._review import Review, read_review
from report.comments._write import render_html, render_markdown
from report.errors import ReportError

MARKDOWN = "comments.md"
HTML = "comments.html"
PATCH = "changes.patch"


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "comments", help="a reviewer's Word comments and tracked changes, placed on the source lines",
        description="Read the comments and tracked changes of a .docx written by report render and returned by a "
                    "reviewer; write a review list (comments.md, comments.html) that places each on its source file "
                    "and line, and changes.patch with the tracked changes in plain prose (apply with git apply).")
    parser.add_argument("docx", type=Path, metavar="REVIEWED.docx", help="the reviewed Word document")
    parser.add_argument("--output-dir", type=Path,
                        help="folder for comments.md, comments.html and changes.patch (default: REVIEWED-comments/ "
                             "next to the .docx)")
    parser.add_argument("--project", type=Path,
                        help="the project folder with the sources (default: found from the .docx's folder)")
    parser.set_defaults(func=run)
    return parser


def write_review(review: Review, folder: Path) -> tuple[Path, ...]:
    """Write the three files into ``folder`` together: a failure leaves all three as they were."""
    contents = {folder / MARKDOWN: render_markdown(review), folder / HTML: render_html(review),
                folder / PATCH: unified_diff(review.files, review.edits)}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic_together({path: text.encode("utf-8") for path, text in contents.items()})
    except OSError as error:
        if error.errno in DISK_FULL:
            raise disk_full_error("comments", error, folder, retry="run report comments again") from None
        raise ReportError(f"cannot write the review: {error.strerror or error}", path=error.filename or folder) \
            from None
    return tuple(contents)


def run(args: argparse.Namespace) -> int:
    review = read_review(args.docx, args.project)
    folder = args.output_dir or args.docx.with_name(f"{args.docx.stem}-comments")
    for path in write_review(review, folder):
        print(f"Output created: {path}")
    patched = sum(1 for item in review.changes if item.status == "in changes.patch")
    located = sum(1 for item in review.items if item.location and item.location.by_text)
    print(f"report comments: {len(review.comments)} comment(s), {len(review.changes)} tracked change(s), "
          f"{patched} in {PATCH}" + (f", {located} located by text" if located else ""))
    return 0
