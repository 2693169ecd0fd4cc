"""`report preview`: render the book, then re-render whenever a source, data or project file changes.

The process stays warm: libraries are imported once, the execution cache
answers unchanged documents without a kernel, and one typst compiler per
session recompiles the PDF incrementally. A failed render is reported and the
previous output stays in place until the next save.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import time
from pathlib import Path

from report.errors import ReportError

__all__ = ["add_parser", "snapshot", "watch"]

log = logging.getLogger("report")
IGNORED_PARTS = {".git", ".venv", ".report-cache", ".report-build", "__pycache__", "node_modules", "release", "_diff"}
WATCHED_SUFFIXES = {".qmd", ".md", ".yml", ".yaml", ".py", ".bib", ".csl", ".typ", ".csv", ".sav", ".json", ".txt",
                    ".qdpx", ".qdc", ".svg", ".png", ".jpg", ".ipynb"}  # .ipynb: {{< embed >}}


def snapshot(root: Path, extra: list[Path], ignored: set[str]) -> dict[Path, int]:
    """Modification times of every file a render may read (sources, project modules, data)."""
    times: dict[Path, int] = {}
    for folder in [root, *extra]:
        for path in folder.rglob("*"):
            relative = path.relative_to(folder).parts
            if any(part in ignored or part.startswith("._") for part in relative) or path.suffix not in WATCHED_SUFFIXES:
                continue
            try:
                times[path] = path.stat().st_mtime_ns
            except OSError:
                continue
    return times


def watch(root: Path, render_once, interval: float = 0.3, stop_after: int | None = None,
          profile: str | None = None) -> int:
    """Render, then poll for changes and render again; ``stop_after`` renders end the loop (for tests).

    ``profile``: the profiles the renders activate (--profile; None: $QUARTO_PROFILE), whose output folder is left
    unwatched."""
    from report.sources.project import load_project

    project = load_project(root, profile=profile)
    ignored = IGNORED_PARTS | {project.output_dir.name}
    if project.config.report.figure_export:
        ignored.add(Path(project.config.report.figure_export).parts[0])
    extra = [project.data_dir] if project.data_dir and not project.data_dir.is_relative_to(root) else []
    renders = 0
    seen = snapshot(root, extra, ignored)
    while True:
        started = time.perf_counter()
        try:
            render_once()
            log.warning("preview  rendered in %.2f s; watching for changes (Ctrl-C stops)",
                        time.perf_counter() - started)
        except ReportError as error:
            log.error("error: %s", error)
        renders += 1
        if stop_after is not None and renders >= stop_after:
            return renders
        while True:
            time.sleep(interval)
            current = snapshot(root, extra, ignored)
            if current != seen:
                changed = sorted({path for path in current.keys() | seen.keys() if current.get(path) != seen.get(path)})
                log.warning("preview  changed: %s", ", ".join(str(path.relative_to(root)) if path.is_relative_to(root)
                                                              else str(path) for path in changed[:5]))
                seen = current
                break


def run_preview(args: argparse.Namespace) -> int:
    from report.build import RenderOptions, render
    from report.sources.project import find_project_root

    root = find_project_root(Path(args.path or ".")) or Path(args.path or ".").resolve()
    formats = (args.to,) if args.to else ("html", "typst")
    options = RenderOptions(formats=formats, data_dir=args.data, persistent=True, profile=args.profile)
    try:
        watch(root, lambda: render(root, options), profile=args.profile)
    except KeyboardInterrupt:
        print("preview stopped", flush=True)
    finally:
        shutil.rmtree(root / ".report-build" / f"preview-{os.getpid()}", ignore_errors=True)
    return 0


def add_parser(subparsers) -> None:
    from report.cli import add_profile_argument

    preview = subparsers.add_parser("preview", help="render, then re-render on every change (warm, incremental)")
    preview.add_argument("path", nargs="?", type=Path, help="the project folder (default: .)")
    preview.add_argument("--to", choices=["html", "typst", "pdf"], help="only this format")
    preview.add_argument("--data", type=Path, help="data folder (overrides the data env variable)")
    add_profile_argument(preview)
    preview.set_defaults(func=run_preview)
