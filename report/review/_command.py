"""The ``report diff OLD NEW`` command."""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
from pathlib import Path

from report import _git
from report.review._book import BookDiff, BookError, Commit, book_folder, diff_books
from report.review._render import render_redline
from report.review._summary import summary_dict, summary_json, summary_markdown

REDLINE = "index.html"
SUMMARY_JSON = "summary.json"
SUMMARY_MARKDOWN = "summary.md"


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "diff",
        help="redline between two versions of the book",
        description=(
            "Compare two versions of the book and write a self-contained HTML "
            "redline with a JSON summary. OLD and NEW are git revisions "
            "(rendered in temporary worktrees) or rendered _book/ folders."
        ),
    )
    parser.add_argument("old", metavar="OLD", help="git revision or rendered book folder")
    parser.add_argument("new", metavar="NEW", help="git revision or rendered book folder")
    parser.add_argument("--output", "-o", default="_diff", help="folder for the redline (default: _diff)")
    parser.add_argument("--project", default=".", help="project folder (default: .)")
    parser.add_argument("--data", help="data folder for rendering revisions")
    parser.add_argument("--engine", choices=("auto", "quarto", "embedded"), help="render engine for revisions")
    parser.add_argument(
        "--exit-code", action="store_true",
        help="exit with status 1 when the versions differ (as git diff --exit-code)",
    )
    parser.set_defaults(func=run)
    return parser


def write_redline(book: BookDiff, output: Path) -> Path:
    """Write the redline and summaries into ``output``.

    The files are built next to ``output`` and swapped in at the end, so a
    failure never leaves a half-written redline in place of a good one.
    """
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; a redline is for sharing
        summary = summary_dict(book)
        (staging / REDLINE).write_text(render_redline(book), encoding="utf-8")
        (staging / SUMMARY_JSON).write_text(summary_json(book), encoding="utf-8")
        (staging / SUMMARY_MARKDOWN).write_text(summary_markdown(summary), encoding="utf-8")
        if output.exists():
            retired = output.with_name(f".{output.name}-old")
            shutil.rmtree(retired, ignore_errors=True)
            output.rename(retired)
            staging.rename(output)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            staging.rename(output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return output


def _is_book(path: str) -> bool:
    try:
        book_folder(Path(path))
    except BookError:
        return False
    return True


def _render_args(args) -> list[str]:
    extra = ["--to", "html"]  # a redline compares the HTML pages; the PDF is not needed
    if args.data:
        extra += ["--data", str(Path(args.data).resolve())]
    if args.engine:
        extra += ["--engine", args.engine]
    return extra


SOURCE_SUFFIXES = (".qmd", ".md", ".ipynb", ".Rmd")


def chapter_commits(repo: Path, subdir: Path, old_commit: str, new_commit: str,
                    pages: list[str]) -> dict[str, tuple[Commit, ...]]:
    """For each page, the commits between the two revisions that touched its source file.

    A book page is rendered from the source of the same path (``chapters/x.html`` from ``chapters/x.qmd``).
    """
    tracked = set(_git.git(repo, "ls-tree", "-r", "--name-only", new_commit).splitlines())
    commits: dict[str, tuple[Commit, ...]] = {}
    for page in pages:
        stem = (subdir / page).with_suffix("").as_posix().removeprefix("./")
        source = next((stem + suffix for suffix in SOURCE_SUFFIXES if stem + suffix in tracked), None)
        if source is None:
            continue
        log = _git.git(repo, "log", "--format=%h%x00%an%x00%ad%x00%s", "--date=short",
                       f"{old_commit}..{new_commit}", "--", source)
        found = tuple(Commit(*line.split("\0", 3)) for line in log.splitlines() if line.count("\0") == 3)
        if found:
            commits[page] = found
    return commits


def compare(old: str, new: str, *, project: Path, work: Path, render_args: list[str]) -> BookDiff:
    """Diff two versions given as book folders or git revisions."""
    folders = []
    commits: list[str] = []
    rendered: dict[str, Path] = {}  # commit -> book, so OLD == NEW renders once
    for name, version in (("old", old), ("new", new)):
        if _is_book(version):
            folders.append(book_folder(Path(version)))
            continue
        try:
            repo = _git.repo_root(project)
            commit = _git.resolve_commit(repo, version)
        except _git.GitError:
            if Path(version).is_dir():
                raise BookError(f"{version}: a folder, but not a rendered book (no index.html in it or in _book)") from None
            raise
        commits.append(commit)
        if commit not in rendered:
            subdir = project.resolve().relative_to(repo)
            print(f"report diff: rendering {version} ({commit[:10]}) in a temporary worktree", file=sys.stderr)
            with _git.worktree(repo, commit, share_cache_of=project) as checkout:
                rendered[commit] = _git.render_checkout(checkout / subdir, work / name, extra_args=render_args)
        folders.append(rendered[commit])
    book = diff_books(folders[0], folders[1], old_label=old, new_label=new)
    if len(commits) == 2 and book.changed_pages:
        repo = _git.repo_root(project)
        book = dataclasses.replace(book, commits=chapter_commits(
            repo, project.resolve().relative_to(repo), commits[0], commits[1], [p.path for p in book.changed_pages]))
    return book


def run(args) -> int:
    project = Path(args.project)
    try:
        with tempfile.TemporaryDirectory(prefix="report-diff-") as work:
            book = compare(args.old, args.new, project=project, work=Path(work), render_args=_render_args(args))
            output = write_redline(book, Path(args.output))
    except (BookError, _git.GitError, _git.RenderError, ValueError) as error:
        print(f"report diff: {error}", file=sys.stderr)
        return 2
    totals = book.totals
    print(
        f"report diff: {len(book.changed_pages)} chapter(s) changed: {totals.paragraphs} paragraph(s), "
        f"{totals.moved} moved, {totals.numbers} number(s), {totals.figures} figure(s), "
        f"{totals.tables} table(s); redline in {output / REDLINE}"
    )
    return 1 if args.exit_code and book.changed_pages else 0
