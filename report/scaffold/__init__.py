"""`report create`: a new project from a template, as `quarto create project TYPE NAME` makes one.

- ``report create project default|book|website NAME``: Quarto's starter projects (a document; a book with a
  bibliography; a website with a navbar), in a new folder NAME.
- ``report create evaluation NAME``: a working evaluation report: a book in HTML and PDF/UA, chapters with the
  set-up cell convention, an ``analysis/`` package (load -> validate -> measures), a synthetic demo data set
  written by its own generator, tests, a CI script, and the ``report`` engine as a dependency, not a copy.

Templates live in ``templates/KIND/``; ``{{name}}`` and ``{{title}}`` in their text, and ``__name__`` in a file
name, become the project's name. A folder that exists and is not empty is never written into.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from report.errors import ReportError

__all__ = ["PROJECT_TYPES", "add_parser", "create"]

TEMPLATES = Path(__file__).parent / "templates"
PROJECT_TYPES = ("default", "book", "website")


def create(kind: str, name: str, parent: Path) -> Path:
    """Write the template ``kind`` (a project type or ``evaluation``) into ``parent/name``; its folder."""
    if kind not in (*PROJECT_TYPES, "evaluation"):
        raise ReportError(f"unknown template '{kind}': choose one of {', '.join((*PROJECT_TYPES, 'evaluation'))}")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        raise ReportError(f"project name '{name}': use letters, digits, '.', '_' and '-', starting with a letter "
                          "or digit (it names the folder and the Python distribution)")
    target = (parent / name).resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ReportError(f"{target} already exists and is not empty; nothing was written")
    source = TEMPLATES / kind
    files = sorted(path for path in source.rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    for path in files:
        relative = Path(str(path.relative_to(source)).replace("__name__", name))
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8").replace("{{name}}", name).replace("{{title}}", name)
        destination.write_text(text, encoding="utf-8")
        destination.chmod(path.stat().st_mode & 0o777)
    generator = target / "scripts" / "generate_demo_data.py"
    if generator.is_file():  # the demo data is the generator's output, so the two never disagree
        process = subprocess.run([sys.executable, str(generator)], cwd=target, capture_output=True, text=True)
        if process.returncode != 0:
            raise ReportError(f"{generator}: writing the demo data failed:\n{process.stderr.strip()}")
    return target


def run_create(args: argparse.Namespace) -> int:
    kind = args.type if args.kind == "project" else "evaluation"
    target = create(kind, args.name, args.dir)
    print(f"Created {kind} project {target}")
    if kind == "evaluation":
        print(f'Next: cd {target} && python -m pip install -e ".[test]" && report render')
    return 0


def add_parser(subparsers) -> None:
    create_parser = subparsers.add_parser("create", help="create a project from a template (as quarto create)")
    kinds = create_parser.add_subparsers(dest="kind", required=True)
    project = kinds.add_parser("project", help="a Quarto starter project: default, book or website")
    project.add_argument("type", choices=PROJECT_TYPES)
    project.add_argument("name", help="the new project's folder")
    evaluation = kinds.add_parser("evaluation", help="a working evaluation report with analysis, data and tests")
    evaluation.add_argument("name", help="the new project's folder")
    for parser in (project, evaluation):
        parser.add_argument("--dir", type=Path, default=Path("."), help="where the folder is made (default: .)")
        parser.set_defaults(func=run_create)
