"""`report check`: every check a release depends on, without writing any output.

1. The configuration and every document parse (strict models, supported syntax).
2. The project's own checks: Python modules listed under ``report: checks:`` in
   `_quarto.yml`, each run as ``python -m MODULE`` with the data folder in its
   environment (data validation and disclosure control live there, since the
   engine knows nothing of the evaluation). A non-zero exit fails the check.
   ``$REPORT_OUTPUT_DIR`` names the folder of the rendered output (the last
   render's, or the site a release is about to package), so a check can audit
   what was published as well as what will be.
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

__all__ = ["OUTPUT_DIR_ENV", "add_parser", "run_check", "run_project_checks"]

OUTPUT_DIR_ENV = "REPORT_OUTPUT_DIR"

log = logging.getLogger("report")


def run_project_checks(project, output_dir: Path | None = None) -> None:
    """Run each module of ``report.checks``; raise ReportError with its output when one fails.

    ``output_dir`` (default: the project's output folder) reaches the checks as ``$REPORT_OUTPUT_DIR``.
    """
    # The project's own modules come from the project checked (as in its kernels), never an editable install's.
    environment = {**os.environ, **project.data_environment(), **project_environment(project.root),
                   OUTPUT_DIR_ENV: str(output_dir or project.output_dir)}
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
    project = load_project(root, data_dir=args.data, profile=args.profile)
    run_project_checks(project)
    options = RenderOptions(formats=(), data_dir=args.data, strict=args.strict, profile=args.profile)
    result = render(root, options)
    from report.sources.diagnostics import count_line

    print(count_line(result.warnings), file=sys.stderr)
    print("check passed")
    return 0


def add_parser(subparsers) -> None:
    from report.cli import add_profile_argument

    check = subparsers.add_parser("check", help="run every check a release needs, without writing output")
    check.add_argument("path", nargs="?", type=Path, help="the project folder (default: .)")
    check.add_argument("--data", type=Path, help="data folder (overrides the data env variable)")
    check.add_argument("--strict", action="store_true", help="every warning is an error")
    add_profile_argument(check)
    check.set_defaults(func=run_check)
