"""The `report` command: render (and the commands registered in COMMANDS), shaped like Quarto's CLI."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from report.errors import ReportError

# Each module exposes add_parser(subparsers); the parser it adds sets `func`.
COMMANDS = [
    "report.cli", "report.check", "report.preview",
    "report.review", "report.release.create", "report.release.verify", "report.scaffold",
]


def _metadata(values: list[str]) -> dict[str, str]:
    metadata = {}
    for value in values:
        key, separator, text = value.partition(":")
        if not separator or not key:
            raise ReportError(f"-M/--metadata takes KEY:VALUE, got '{value}'")
        metadata[key] = text
    return metadata


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got '{text}'")
    return value


def run_render(args: argparse.Namespace) -> int:
    engine = args.engine
    if engine == "auto":
        engine = "quarto" if shutil.which("quarto") else "embedded"
    if engine == "quarto":
        from report._draft import DEFAULT_DRAFT_MARK, DRAFT_ENV

        if not shutil.which("quarto"):
            raise ReportError("--engine quarto: no 'quarto' on PATH")
        command = ["quarto", "render"] + ([str(args.path)] if args.path else [])
        if args.to:
            command += ["--to", args.to]
        if args.output_dir:
            command += ["--output-dir", str(args.output_dir)]
        for item in args.metadata:
            command += ["-M", item]
        if args.execute is not None:
            command.append("--execute" if args.execute else "--no-execute")
        if args.refresh:
            command.append("--cache-refresh")
        if args.mark:
            command += ["-M", f"mark:{args.mark}"]  # the typst partials print it on every page
        environment = {**os.environ, DRAFT_ENV: "1" if args.draft else "0"}
        if args.draft and not args.mark:
            from report.sources.project import find_project_root, load_project

            root = find_project_root(Path(args.path or ".")) or Path(args.path or ".").resolve()
            command += ["-M", f"mark:{load_project(root).config.report.draft_mark or DEFAULT_DRAFT_MARK}"]
        if args.data:
            from report.sources.project import find_project_root, load_project

            root = find_project_root(Path(args.path or ".")) or Path(args.path or ".").resolve()
            environment.update(load_project(root, data_dir=args.data).data_environment())
        if args.cell_timeout:
            logging.getLogger("report").warning("--cell-timeout applies to the embedded engine only")
        return subprocess.call(command, env=environment)
    from report.build import RenderOptions, render

    formats = (args.to,) if args.to else None  # None: the formats the project and document list
    options = RenderOptions(formats=formats, output_dir=args.output_dir, data_dir=args.data,
                            metadata=_metadata(args.metadata), mark=args.mark, draft=args.draft,
                            cell_timeout=args.cell_timeout, output_limit=args.output_limit, jobs=args.jobs,
                            use_cache=not args.no_cache, refresh=args.refresh, execute=args.execute,
                            strict=args.strict)
    result = render(args.path, options)
    for output in result.outputs:
        print(f"Output created: {output}")
    from report.sources.diagnostics import count_line

    print(count_line(result.warnings), file=sys.stderr)
    return 0


def add_parser(subparsers) -> None:
    render = subparsers.add_parser("render", help="render the book, or one document, to HTML and PDF")
    render.add_argument("path", nargs="?", type=Path, help="a .qmd file, or the project folder (default: .)")
    render.add_argument("--to", metavar="FORMAT", help="only this format (html, typst or pdf)")
    render.add_argument("--strict", action="store_true", help="every warning is an error")
    render.add_argument("--engine", choices=["auto", "quarto", "embedded"], default="auto",
                        help="auto uses a quarto on PATH, else the embedded engine")
    render.add_argument("--output-dir", type=Path, help="where the book goes (default: project output-dir)")
    render.add_argument("--data", type=Path, help="data folder for the kernels (overrides the data env variable)")
    render.add_argument("-M", "--metadata", action="append", default=[], metavar="KEY:VALUE",
                        help="set document metadata, as quarto -M")
    render.add_argument("--mark", help="a mark shown on every page (for example DEMO)")
    render.add_argument("--draft", action="store_true",
                        help="a draft: kernels see REPORT_DRAFT=1 and every page carries report.draft-mark")
    render.add_argument("--cell-timeout", type=int, help="seconds a cell may run (default: report.cell-timeout)")
    render.add_argument("--output-limit", type=_positive, metavar="BYTES",
                        help="bytes of output one cell may produce (default: report.output-limit, 10000000)")
    render.add_argument("--jobs", "-j", type=_positive, metavar="N",
                        help="documents executed at once (default: one per core)")
    cache = render.add_mutually_exclusive_group()
    cache.add_argument("--cache-refresh", "--refresh", dest="refresh", action="store_true",
                       help="execute every document again and store the new results in .report-cache/")
    cache.add_argument("--no-cache", action="store_true", help="neither use nor update the execution cache")
    execution = render.add_mutually_exclusive_group()
    execution.add_argument("--execute", dest="execute", action="store_const", const=True,
                           help="execute every document, whatever its freeze or cache says")
    execution.add_argument("--no-execute", dest="execute", action="store_const", const=False,
                           help="execute nothing: stored results only (a warning names cells without any)")
    render.set_defaults(func=run_render)


# The module of each command, so that `report render` imports only what rendering needs (start-up time).
COMMAND_MODULES = {"render": "report.cli", "check": "report.check", "preview": "report.preview",
                   "diff": "report.review", "release": "report.release.create", "verify": "report.release.verify",
                   "create": "report.scaffold"}


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given ``argv`` naming a known command, only that command's module is imported."""
    parser = argparse.ArgumentParser(prog="report", description=__doc__)
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors")
    parser.add_argument("-v", "--verbose", action="store_true", help="timings and cell progress")
    subparsers = parser.add_subparsers(dest="command", required=True)
    command = next((item for item in argv or [] if not item.startswith("-")), None)
    chosen = [COMMAND_MODULES[command]] if command in COMMAND_MODULES and COMMAND_MODULES[command] in COMMANDS \
        else COMMANDS
    for name in chosen:
        importlib.import_module(name).add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    level = logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    logging.basicConfig(level=level, format="[report] %(message)s", stream=sys.stderr)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    try:
        return args.func(args)
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; previous output kept", file=sys.stderr)
        return 130
