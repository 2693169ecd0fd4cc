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
    "report.review", "report.release.create", "report.release.verify", "report.comments",
    "report.scaffold",
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
        for item in args.execute_param:
            command += ["-P", item]
        for flag, value in (("--execute-params", args.execute_params), ("--profile", args.profile),
                            ("--output", args.output)):
            if value is not None:
                command += [flag, str(value)]
        if args.params_matrix:
            raise ReportError("--params-matrix is the embedded engine's own: render with --engine embedded")
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
            from report.sources.diagnostics import Warning as SourceWarning, log_warning

            log_warning(SourceWarning(None, None, "--cell-timeout applies to the embedded engine only"))
        return subprocess.call(command, env=environment)
    from report.build import RenderOptions, render
    from report.sources.diagnostics import count_line

    formats = (args.to,) if args.to else None  # None: the formats the project and document list
    options = RenderOptions(formats=formats, output_dir=args.output_dir, data_dir=args.data,
                            metadata=_metadata(args.metadata), mark=args.mark, draft=args.draft,
                            cell_timeout=args.cell_timeout, output_limit=args.output_limit, jobs=args.jobs,
                            use_cache=not args.no_cache, refresh=args.refresh, execute=args.execute,
                            strict=args.strict, params=_params(args), profile=args.profile,
                            output_file=None if args.output == STDOUT else args.output)
    if args.params_matrix:
        return _render_matrix(args, options)
    if args.output == STDOUT:
        return _render_to_stdout(args, options)
    result = render(args.path, options)
    for output in result.outputs:
        print(f"Output created: {output}")
    print(count_line(result.warnings), file=sys.stderr)
    return 0


STDOUT = "-"  # `--output -`, as Quarto: the document goes to standard output


def _params(args: argparse.Namespace) -> dict:
    """--execute-params FILE, then each -P KEY:VALUE over it (as Quarto merges them)."""
    from report.sources.parameters import parse_parameter, read_parameters_file

    values = read_parameters_file(args.execute_params) if args.execute_params else {}
    values.update(parse_parameter(item) for item in args.execute_param)
    return values


def _single_document(args: argparse.Namespace, flag: str) -> Path:
    if args.path is None or not args.path.is_file():
        raise ReportError(f"{flag} renders one document: name a .qmd, .md or .ipynb file")
    return args.path


def _render_to_stdout(args: argparse.Namespace, options) -> int:
    """The document rendered aside, then its one output file written to standard output."""
    import tempfile
    from dataclasses import replace

    from report.build import render

    source = _single_document(args, "--output -")
    if options.output_dir is not None:
        raise ReportError("--output - writes to standard output; it takes no --output-dir")
    with tempfile.TemporaryDirectory(prefix="report-stdout-") as folder:
        result = render(source, replace(options, output_dir=Path(folder)))
        if len(result.outputs) != 1:
            raise ReportError(f"--output - writes one file, but the document renders {len(result.outputs)} "
                              "formats: choose one with --to")
        sys.stdout.flush()
        sys.stdout.buffer.write(result.outputs[0].read_bytes())
        sys.stdout.buffer.flush()
    return 0


def _render_matrix(args: argparse.Namespace, options) -> int:
    """--params-matrix: the document once per CSV row, each into its own folder, rows in parallel (report.matrix)."""
    from report.matrix import render_matrix
    from report.sources.diagnostics import count_line
    from report.sources.params_matrix import read_params_matrix

    source = _single_document(args, "--params-matrix")
    if options.output_file is not None:
        raise ReportError("--params-matrix names each row's folder itself; it takes no --output")
    rows = read_params_matrix(args.params_matrix)
    outcomes = render_matrix(source, options, rows, args.params_matrix, jobs=args.jobs)
    for outcome in outcomes:
        for output in outcome.outputs:
            print(f"Output created: {output}")
    print(count_line(tuple(warning for outcome in outcomes for warning in outcome.warnings)), file=sys.stderr)
    failed = [outcome for outcome in outcomes if outcome.error is not None]
    for outcome in failed:
        print(f"error: {args.params_matrix.as_posix()}:{outcome.row.line}: row {outcome.row.line} (folder "
              f"'{outcome.row.folder}') did not render; its previous output is kept:\n{outcome.error}", file=sys.stderr)
    if failed:
        print(f"error: {len(failed)} of {len(outcomes)} rows did not render", file=sys.stderr)
    return 1 if failed else 0


def add_profile_argument(parser: argparse.ArgumentParser) -> None:
    """``--profile``, as render, check and preview take it (each passes it to load_project and RenderOptions)."""
    parser.add_argument("--profile", metavar="NAME[,NAME]",
                        help="the project profiles to activate (default: $QUARTO_PROFILE, else profile: default:)")


def add_parser(subparsers) -> None:
    # No abbreviations: `--output` is a flag of its own, never short for `--output-dir` (as in Quarto).
    render = subparsers.add_parser("render", help="render the book, or one document, to HTML and PDF",
                                   allow_abbrev=False)
    render.add_argument("path", nargs="?", type=Path, help="a .qmd file, or the project folder (default: .)")
    render.add_argument("-t", "--to", metavar="FORMAT", help="only this format (html, typst or pdf)")
    render.add_argument("--strict", action="store_true", help="every warning is an error")
    render.add_argument("--engine", choices=["auto", "quarto", "embedded"], default="auto",
                        help="auto uses a quarto on PATH, else the embedded engine")
    render.add_argument("--output-dir", type=Path,
                        help="where the output goes (default: the project's output-dir; a document's own folder)")
    render.add_argument("-o", "--output", metavar="FILE", nargs="?", const=STDOUT,
                        help="a single document's output file name ('-' or nothing: standard output)")
    render.add_argument("-P", "--execute-param", action="append", default=[], metavar="KEY:VALUE",
                        help="a parameter value (YAML), injected after the cell tagged 'parameters'")
    render.add_argument("--execute-params", type=Path, metavar="FILE.yml", help="a YAML file of parameter values")
    render.add_argument("--params-matrix", type=Path, metavar="FILE.csv",
                        help="render the document once per CSV row (one folder per row; column 'output' names it)")
    add_profile_argument(render)
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
                        help="documents executed at once; with --params-matrix, rows rendered at once "
                             "(default: one per core)")
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
                   "comments": "report.comments", "create": "report.scaffold"}


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given ``argv`` naming a known command, only that command's module is imported."""
    parser = argparse.ArgumentParser(prog="report", description=__doc__, allow_abbrev=False)
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors")
    parser.add_argument("-v", "--verbose", action="store_true", help="timings and cell progress")
    subparsers = parser.add_subparsers(dest="command", required=True)
    command = next((item for item in argv or [] if not item.startswith("-")), None)
    chosen = [COMMAND_MODULES[command]] if command in COMMAND_MODULES and COMMAND_MODULES[command] in COMMANDS \
        else COMMANDS
    for name in chosen:
        importlib.import_module(name).add_parser(subparsers)
    parser.set_defaults(command_parsers=subparsers.choices)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # the command's own usage, not the list of every command's
        args.command_parsers[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
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
