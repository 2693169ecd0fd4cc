"""`report check`: every check a release depends on, without writing any output.

1. The configuration and every document parse (strict models, supported syntax).
2. The project's own checks: Python modules listed under ``report: checks:`` in
   `_quarto.yml`, each run as ``python -m MODULE`` with the data folder in its
   environment (data validation and disclosure control live there, since the
   engine knows nothing of the evaluation). A non-zero exit fails the check.
3. The book's cells execute (from the cache where it is fresh), and every
   cross-reference and citation resolves.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from pathlib import Path

from report.errors import ReportError
from report.execution.isolation import merged_pythonpath, project_environment

__all__ = ["add_parser", "run_check", "run_project_checks"]

log = logging.getLogger("report")


def run_project_checks(project) -> None:
    """Run each module of ``report.checks``; raise ReportError with its output when one fails."""
    # The project's own modules come from the project checked (as in its kernels), never an editable install's.
    environment = {**os.environ, **project.data_environment(), **project_environment(project.root)}
    environment["PYTHONPATH"] = merged_pythonpath(str(project.root), os.environ.get("PYTHONPATH"))
    for module in project.config.report.checks:
        log.info("%-8s python -m %s", "check", module)
        done = subprocess.run([sys.executable, "-m", module], cwd=project.root, env=environment,
                              capture_output=True, text=True)
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip()
            raise ReportError(f"check '{module}' failed (exit {done.returncode}):\n{output}", path="_quarto.yml")


def run_check(args: argparse.Namespace) -> int:
    from report.build import RenderOptions, render
    from report.sources.project import find_project_root, load_project

    root = find_project_root(Path(args.path or ".")) or Path(args.path or ".").resolve()
    project = load_project(root, data_dir=args.data)
    run_project_checks(project)
    options = RenderOptions(formats=(), data_dir=args.data)
    render(root, options)
    print("check passed")
    return 0


def add_parser(subparsers) -> None:
    check = subparsers.add_parser("check", help="run every check a release needs, without writing output")
    check.add_argument("path", nargs="?", type=Path, help="the project folder (default: .)")
    check.add_argument("--data", type=Path, help="data folder (overrides the data env variable)")
    check.set_defaults(func=run_check)
