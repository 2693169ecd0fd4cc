"""Git helpers for commands that render other revisions than the working tree.

Other revisions are checked out as temporary ``git worktree``s, so the
user's working tree, index and branch are never touched, and rendered there
by a child process (the engine is not re-entrant: it starts kernels, swaps
output folders and reads environment variables).
"""

from __future__ import annotations

import collections
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

CACHE_DIR = ".report-cache"


class GitError(RuntimeError):
    """A git command failed, or a path is not in a git repository."""


class RenderError(RuntimeError):
    """Rendering a checkout failed; the message carries the engine's output."""


def git(repo: Path, *args: str, check: bool = True) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError as error:
        raise GitError("git is not installed or not on PATH") from error
    if check and done.returncode != 0:
        raise GitError(f"git {' '.join(args)} failed in {repo}: {done.stderr.strip()}")
    return done.stdout


def repo_root(path: Path) -> Path:
    try:
        return Path(git(path, "rev-parse", "--show-toplevel").strip()).resolve()
    except GitError:
        raise GitError(f"{path}: not inside a git repository") from None


def resolve_commit(repo: Path, revision: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise GitError(f"unknown git revision {revision!r} in {repo}")
    return done.stdout.strip()


def commit_time(repo: Path, commit: str) -> int:
    return int(git(repo, "show", "-s", "--format=%ct", commit).strip())


def dirty_paths(repo: Path, ignore: Sequence[str] = ()) -> list[str]:
    """Paths with uncommitted changes, untracked files included (they can
    change a render as much as edits can); ignored files are not listed."""
    out = git(repo, "status", "--porcelain=v1", "-z", "--untracked-files=all")
    paths = []
    entries = iter(out.split("\0"))
    for entry in entries:
        if not entry:
            continue
        status, path = entry[:2], entry[3:]
        if status[0] in "RC":
            next(entries, None)  # the source path of a rename or copy
        if not any(path == p or path.startswith(p.rstrip("/") + "/") for p in ignore):
            paths.append(path)
    return paths


def tracked_files(checkout: Path) -> list[str]:
    return sorted(p for p in git(checkout, "ls-files", "-z").split("\0") if p)


@contextlib.contextmanager
def worktree(repo: Path, commit: str, *, share_cache_of: Path | None = None) -> Iterator[Path]:
    """A clean, detached checkout of ``commit``, removed afterwards.

    ``share_cache_of`` names a project folder in the user's tree whose
    execution cache the checkout may use (and add to): entries are keyed on
    code, data and versions relative to the project, so whatever did not
    change between revisions is not executed again. Releases and their
    verification leave it out and execute everything afresh.
    """
    parent = Path(tempfile.mkdtemp(prefix="report-worktree-"))
    path = parent / "checkout"
    git(repo, "worktree", "add", "--detach", "--quiet", str(path), commit)
    try:
        if share_cache_of is not None:
            cache = Path(share_cache_of).resolve() / CACHE_DIR
            shared = path / Path(share_cache_of).resolve().relative_to(repo) / CACHE_DIR
            if not cache.exists() and (cache.parent / "_quarto.yml").is_file():
                # The folder any render of the project makes; made now so that what the revisions execute is
                # kept for the next diff and for renders of the checkout itself.
                cache.mkdir()
            if cache.is_dir() and shared.parent.is_dir() and not shared.exists():
                shared.symlink_to(cache, target_is_directory=True)
        yield path
    finally:
        git(repo, "worktree", "remove", "--force", str(path), check=False)
        shutil.rmtree(parent, ignore_errors=True)
        git(repo, "worktree", "prune", check=False)


def engine_command(engine_root: Path | None = None) -> list[str]:
    """The command line that runs ``report`` from ``engine_root``.

    ``None`` means the engine this process runs, so that two revisions of a
    book are rendered by the same engine and differ only by their sources.
    """
    if engine_root is None:
        import report

        engine_root = Path(report.__file__).resolve().parent.parent
    bootstrap = (
        "import sys; sys.path.insert(0, sys.argv.pop(1)); "
        "from report.cli import main; raise SystemExit(main())"
    )
    return [sys.executable, "-c", bootstrap, str(engine_root)]


def run_report(
    checkout: Path,
    args: Sequence[str],
    *,
    engine_root: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    command = [*engine_command(engine_root), *args]
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        command, cwd=checkout, env=environment, capture_output=True, text=True, check=False
    )


def render_checkout(
    checkout: Path,
    output_dir: Path,
    *,
    extra_args: Sequence[str] = (),
    engine_root: Path | None = None,
    env: dict[str, str] | None = None,
    echo: bool = True,
) -> Path:
    """Render the book in ``checkout`` into ``output_dir``; return it.

    The engine's progress is passed on to stderr as it comes (a book can
    take minutes); its last lines are kept for the error message.
    """
    command = [*engine_command(engine_root), "render", "--output-dir", str(output_dir), *extra_args]
    tail: collections.deque[str] = collections.deque(maxlen=60)
    with subprocess.Popen(
        command, cwd=checkout, env={**os.environ, **(env or {})}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=1,
    ) as process:
        for line in process.stdout:
            tail.append(line)
            if echo:
                sys.stderr.write(f"  {line}")
        code = process.wait()
    if code != 0:
        where = "its output is above" if echo else "".join(tail).rstrip()
        raise RenderError(f"rendering {checkout} failed (exit {code}); {where}")
    return output_dir
