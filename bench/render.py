"""Render benchmark: how long the whole book (HTML and PDF) takes after the edits authors make.

Not a test: it prints a table of medians over repeated runs. Everything runs on
a temporary copy of the project, so the working tree is never touched.

Scenarios, each a full `report render` (HTML site and PDF) in a fresh process:
- cold: the execution cache and the output cleared;
- no change: nothing edited since the previous render;
- prose edit: one sentence added to one chapter (also with `--to html`, and in a warm `report preview`);
- code edit: one line added to a code cell of one chapter;
- data edit: one data file changed (a blank line added, which the readers skip).

Peak memory is the largest memory of the render process and every process
below it (kernel factory, kernels, pandoc) summed, sampled every 100 ms; as
proportional set size where the system reports it, so pages that forked
kernels share are counted once.

The baseline is `jupyter nbconvert --to notebook --execute` of the same
chapters, converted to notebooks (markdown cells and the cells that are
evaluated), in one nbconvert run, as a plain Jupyter workflow would do it.
It produces no HTML site and no PDF.

With `--chapters N [N ...]` it benchmarks synthetic books of N chapters instead
(bench/synthetic_book.py: Dutch prose, a pandas table read from the chapter's own
data file and a plotnine figure per chapter, cross-references between chapters);
the data edit then changes one chapter's file. The same book is also built in
MyST form with mystmd and Jupyter Book 2 (`myst build --html --execute`,
`jupyter-book build --html --execute`) where they are installed (`--myst`,
`--jupyter-book`, or on PATH), interleaved with our renders, and the ratios
measured in the same run are printed; an absent peer is reported as such.
`--engine CHECKOUT` renders with another checkout of the engine (its `report`
package first on PYTHONPATH), for before/after figures in one session.

Usage: .venv/bin/python bench/render.py [--repeat 3] [--jobs N] [--chapters 6 24 96] [--engine DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from report.sources.project import load_project  # noqa: E402
from report.sources.qmd import CodeCell, MarkdownChunk, parse_qmd  # noqa: E402

SKIPPED = {".git", ".venv", "_book", "_site", ".report-cache", ".report-build", "release", "__pycache__",
           ".pytest_cache", "node_modules"}
EXECUTED = re.compile(r"execute\s+\[\d+/\d+\]\s+(\S+) done in")


@dataclass
class Measurement:
    seconds: list[float] = field(default_factory=list)
    peak_bytes: list[int] = field(default_factory=list)
    executed: list[int] = field(default_factory=list)


def copy_project(target: Path) -> Path:
    def ignore(folder: str, names: list[str]) -> set[str]:
        return {name for name in names if name in SKIPPED or name.endswith((".egg-info", ".pyc"))
                or name.startswith(".") and name.endswith(("staging", "previous"))}

    shutil.copytree(ROOT, target, ignore=ignore)
    return target


class PeakMemory:
    """Largest summed RSS of a process and all its descendants while it runs."""

    def __init__(self, pid: int):
        import psutil

        self.process = psutil.Process(pid)
        self.peak = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        import psutil

        while not self.done.is_set():
            try:
                processes = [self.process, *self.process.children(recursive=True)]
            except psutil.Error:
                break
            total = 0
            for process in processes:
                try:
                    total += _memory(process)
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            self.done.wait(0.1)

    def stop(self) -> int:
        self.done.set()
        self.thread.join()
        return self.peak


def _memory(process) -> int:
    """Proportional set size where the system reports it: forked kernels share the factory's pages, and
    summing their full resident sizes would count those pages once per kernel."""
    try:
        return process.memory_full_info().pss
    except AttributeError:
        return process.memory_info().rss


def run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, str]:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = PeakMemory(process.pid)
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    peak = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{stdout}\n{stderr}")
    return elapsed, peak, stderr


def render(book: Path, env: dict[str, str], jobs: int | None, measurement: Measurement,
           extra: list[str] | None = None) -> None:
    command = [sys.executable, "-m", "report", "render"] + (["--jobs", str(jobs)] if jobs else []) + (extra or [])
    elapsed, peak, log = run(command, book, env)
    measurement.seconds.append(elapsed)
    measurement.peak_bytes.append(peak)
    measurement.executed.append(len(EXECUTED.findall(log)))


# `report preview`'s case: one warm process renders, the author saves a prose edit, the process renders again.
# Only the second render is timed (the process start and the first render happen once per preview session).
WARM_PREVIEW = """
import sys, time
from pathlib import Path
from report.build import RenderOptions, render
book, chapter, sentence = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
options = RenderOptions(persistent=True)
render(book, options)
chapter.write_text(chapter.read_text(encoding="utf-8").rstrip("\\n") + "\\n\\n" + sentence + "\\n", encoding="utf-8")
started = time.perf_counter()
result = render(book, options)
print(f"{time.perf_counter() - started:.6f} {len(result.executed)}")
"""


def warm_preview(book: Path, env: dict[str, str], chapter: Path, sentence: str, measurement: Measurement) -> None:
    process = subprocess.Popen([sys.executable, "-c", WARM_PREVIEW, str(book), str(chapter), sentence], cwd=book,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = PeakMemory(process.pid)
    stdout, stderr = process.communicate()
    peak = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"warm preview failed in {book}:\n{stdout}\n{stderr}")
    seconds, executed = stdout.split()[-2:]
    measurement.seconds.append(float(seconds))
    measurement.peak_bytes.append(peak)
    measurement.executed.append(int(executed))


def first_evaluated_cell_end(text: str) -> int:
    """Offset of the closing fence of the first python cell without `#| eval: false`."""
    for match in re.finditer(r"^```\{python\}[^\n]*\n(.*?)^```[ \t]*$", text, flags=re.S | re.M):
        if not re.search(r"^#\|\s*eval:\s*false", match.group(1), flags=re.M):
            return match.start() + len(match.group(0)) - len(match.group(0).splitlines()[-1])
    raise SystemExit("no evaluated python cell to edit")


def to_notebooks(book: Path) -> list[Path]:
    """The book's chapters with code as Jupyter notebooks, next to their sources (nbconvert runs them there)."""
    import nbformat

    project = load_project(book)
    notebooks = []
    for entry in project.chapters:
        source = book / entry.path
        doc = parse_qmd(source.read_text(encoding="utf-8"), entry.path)
        defaults = {**(project.metadata.get("execute") or {}), **(doc.metadata.get("execute") or {})}
        cells = []
        for chunk in doc.chunks:
            if isinstance(chunk, MarkdownChunk):
                cells.append(nbformat.v4.new_markdown_cell(chunk.text))
            elif isinstance(chunk, CodeCell):
                evaluated = chunk.options.eval if chunk.options.eval is not None else defaults.get("eval", True)
                if evaluated:
                    cells.append(nbformat.v4.new_code_cell(chunk.code))
        if not any(cell.cell_type == "code" for cell in cells):
            continue
        notebook = nbformat.v4.new_notebook(cells=cells)
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path = source.with_suffix(".ipynb")
        nbformat.write(notebook, path)
        notebooks.append(path)
    return notebooks


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass(frozen=True)
class Book:
    root: Path
    label: str  # how the table names it
    documents: int
    prose: Path  # the chapter that gets a sentence
    code: Path  # the chapter whose first evaluated cell gets a line
    data: Path  # the data file that changes
    env: dict[str, str]
    myst: Path | None = None  # the same book in MyST form (synthetic books only)


def real_book(workspace: Path, args: argparse.Namespace) -> Book:
    book = copy_project(workspace / "book")
    project = load_project(book)
    settings = project.config.report.data
    env = _base_env(book)
    if settings is not None and project.data_dir is not None:
        env[settings.env] = str(project.data_dir)
    return Book(book, "this book", len(project.chapters), book / args.prose_chapter, book / args.code_chapter,
                book / args.data_file, env)


def synthetic_book(workspace: Path, chapters: int) -> Book:
    from synthetic_book import chapter_name, write_book, write_myst_book

    root = workspace / f"synthetic-{chapters}"
    files = write_book(root, chapters)
    env = {**_base_env(root), "BENCH_DATA": str(root / "data")}
    middle = files[len(files) // 2]
    myst = workspace / f"synthetic-{chapters}-myst"
    write_myst_book(myst, chapters, root / "data")
    return Book(root, f"synthetic, {chapters} chapters", len(files), middle, middle,
                root / "data" / f"{chapter_name(len(files) // 2)}.csv", env, myst)


def _base_env(book: Path) -> dict[str, str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1715644800", "PYTHONPATH": str(book),
           "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "")}
    if ENGINE is not None:  # --engine: another checkout of the engine, for before/after figures in one session
        env["PYTHONPATH"] = os.pathsep.join([str(ENGINE), str(book)])
    return {key: value for key, value in env.items() if value != ""}


ENGINE: Path | None = None

PEERS = ("mystmd", "Jupyter Book 2")
PEER_FAILURES: dict[str, str] = {}  # peer -> why its build failed (offline, both fetch their site theme)


def find_peers(args: argparse.Namespace) -> dict[str, list[str] | None]:
    """The peers' commands, or None where a peer is not installed."""
    myst = args.myst or shutil.which("myst") or next(
        (str(path) for path in [ROOT / "node_modules" / ".bin" / "myst", Path.home() / "node_modules" / ".bin" / "myst"]
         if path.is_file()), None)
    jupyter_book = args.jupyter_book or shutil.which("jupyter-book")
    return {"mystmd": [myst] if myst else None, "Jupyter Book 2": [jupyter_book] if jupyter_book else None}


class PeerFailed(Exception):
    """A peer's build failed; the message is the line of its output that says why."""


def peer_build(command: list[str], book: Path, env: dict[str, str], measurement: Measurement) -> None:
    """An HTML build with execution (mystmd and Jupyter Book 2 take the same arguments)."""
    # As root the Jupyter server these tools start refuses to run unless allowed to. The tool's own folder
    # comes first on PATH, so that a separate environment's Jupyter server is the one started.
    env = {**env, "JUPYTER_CONFIG_DIR": str(book / ".jupyter"),
           "PATH": os.pathsep.join([str(Path(command[0]).parent), env.get("PATH", "")])}
    (book / ".jupyter").mkdir(exist_ok=True)
    (book / ".jupyter" / "jupyter_server_config.json").write_text('{"ServerApp": {"allow_root": true}}')
    try:
        elapsed, peak, _log = run([*command, "build", "--html", "--execute"], book, env)
    except SystemExit as failure:
        lines = [line.strip() for line in str(failure).splitlines() if line.strip()]
        reason = next((line for line in lines if "failed" in line.lower() and " build " not in line),
                      lines[-1] if lines else "no output")
        raise PeerFailed(reason) from None
    measurement.seconds.append(elapsed)
    measurement.peak_bytes.append(peak)


SCENARIOS = ("cold", "no change", "prose edit", "prose edit, --to html", "prose edit, warm preview",
             "prose edit, pdf-server (opt-in)", "code edit", "data edit")


class _Skip(Exception):
    pass


def with_pdf_server(config: str) -> str:
    """The project file with `report: pdf-server: 5` (the opt-in warm typst compile server)."""
    if "\nreport:\n" in config:
        return config.replace("\nreport:\n", "\nreport:\n  pdf-server: 5\n", 1)
    return config.rstrip("\n") + "\nreport:\n  pdf-server: 5\n"


def stop_pdf_server(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-c", "from report.outputs.typst_server import stop_server; stop_server()"],
                   env=env, check=False, capture_output=True)  # the engine before it had no server


def bench_book(book: Book, args: argparse.Namespace, peers: dict[str, list[str] | None],
               workspace: Path) -> dict[str, Measurement]:
    scenarios = {name: Measurement() for name in SCENARIOS}
    peer_scenarios = {f"{peer}: {kind}": Measurement() for peer, command in peers.items() if command
                      for kind in ("cold", "prose edit")}
    prose_text, code_text, data_bytes = book.prose.read_text(), book.code.read_text(), book.data.read_bytes()
    baseline = Measurement()
    notebooks = [] if args.no_baseline else to_notebooks(book.root)
    jupyter = Path(sys.executable).with_name("jupyter")
    for attempt in range(1, args.repeat + 1):
        print(f"{book.label}: run {attempt}/{args.repeat} ...", file=sys.stderr, flush=True)
        shutil.rmtree(book.root / ".report-cache", ignore_errors=True)
        shutil.rmtree(book.root / ".report-build", ignore_errors=True)
        shutil.rmtree(book.root / "_book", ignore_errors=True)
        shutil.rmtree(book.root / "figures", ignore_errors=True)
        render(book.root, book.env, args.jobs, scenarios["cold"])
        if notebooks:
            # Right after the cold render, so that both see the same load on a shared machine.
            output = workspace / "nbconvert"
            shutil.rmtree(output, ignore_errors=True)
            elapsed, peak, _log = run([str(jupyter), "nbconvert", "--to", "notebook", "--execute",
                                       "--ExecutePreprocessor.timeout=600", "--output-dir", str(output),
                                       *[str(path) for path in notebooks]], book.root, book.env)
            baseline.seconds.append(elapsed)
            baseline.peak_bytes.append(peak)
            baseline.executed.append(len(notebooks))
        for peer, command in peers.items():
            if command and book.myst is not None and peer not in PEER_FAILURES:
                shutil.rmtree(book.myst / "_build", ignore_errors=True)
                chapter = book.myst / book.prose.relative_to(book.root).with_suffix(".md")
                original = chapter.read_text()
                try:
                    peer_build(command, book.myst, book.env, peer_scenarios[f"{peer}: cold"])
                    chapter.write_text(original.rstrip("\n") + f"\n\nDeze zin is toegevoegd voor meting {attempt}.\n")
                    peer_build(command, book.myst, book.env, peer_scenarios[f"{peer}: prose edit"])
                except PeerFailed as failure:
                    print(f"{peer}: build failed, not measured further: {failure}", file=sys.stderr)
                    PEER_FAILURES[peer] = str(failure)
                finally:
                    chapter.write_text(original)
        render(book.root, book.env, args.jobs, scenarios["no change"])
        book.prose.write_text(prose_text.rstrip("\n") + f"\n\nDeze zin is toegevoegd voor meting {attempt}.\n")
        render(book.root, book.env, args.jobs, scenarios["prose edit"])
        book.prose.write_text(prose_text.rstrip("\n") + f"\n\nDeze zin is toegevoegd voor HTML-meting {attempt}.\n")
        render(book.root, book.env, args.jobs, scenarios["prose edit, --to html"], ["--to", "html"])
        warm_preview(book.root, book.env, book.prose, f"Deze zin is toegevoegd in een preview, meting {attempt}.",
                     scenarios["prose edit, warm preview"])
        # The opt-in compile server: a first render starts it (untimed), then a prose edit is rendered.
        config_file = book.root / "_quarto.yml"
        config = config_file.read_text()
        config_file.write_text(with_pdf_server(config))
        try:
            try:
                render(book.root, book.env, args.jobs, Measurement())
            except SystemExit:
                print("pdf-server: this engine does not know it; scenario skipped", file=sys.stderr)
                raise _Skip() from None
            book.prose.write_text(prose_text.rstrip("\n") + f"\n\nDeze zin is toegevoegd voor server-meting {attempt}.\n")
            render(book.root, book.env, args.jobs, scenarios["prose edit, pdf-server (opt-in)"])
        except _Skip:
            pass
        finally:
            config_file.write_text(config)
            stop_pdf_server(book.env)
        code_now = book.code.read_text()
        end = first_evaluated_cell_end(code_now)
        book.code.write_text(code_now[:end] + f"# meting {attempt}\n" + code_now[end:])
        render(book.root, book.env, args.jobs, scenarios["code edit"])
        book.data.write_bytes(data_bytes + b"\n" * attempt)
        render(book.root, book.env, args.jobs, scenarios["data edit"])
        book.prose.write_text(prose_text)
        book.code.write_text(code_text)
        book.data.write_bytes(data_bytes)
    if baseline.seconds:
        scenarios["baseline: nbconvert --execute (no site, no PDF)"] = baseline
    scenarios.update(peer_scenarios)
    return scenarios


def report_table(book: Book, scenarios: dict[str, Measurement], args: argparse.Namespace,
                 peers: dict[str, list[str] | None]) -> None:
    print(f"\n{book.label} ({book.documents} documents), HTML site and PDF; medians of {args.repeat} run(s); "
          f"{os.cpu_count()} cores; jobs {args.jobs or 'one per core'}"
          + (f"; engine {ENGINE}" if ENGINE else "") + ".\n")
    print("| scenario | median (s) | min-max (s) | documents executed | peak memory (MB) |")
    print("|---|---:|---:|---:|---:|")
    for name, measured in scenarios.items():
        if not measured.seconds:
            continue
        executed = f"{median(measured.executed):.0f}" if measured.executed else "-"
        print(f"| {name} | {median(measured.seconds):.2f} | {min(measured.seconds):.2f}-{max(measured.seconds):.2f} "
              f"| {executed} | {max(measured.peak_bytes) / 2**20:.0f} |")
    cold = median(scenarios["cold"].seconds)
    baseline = scenarios.get("baseline: nbconvert --execute (no site, no PDF)")
    if baseline is not None:
        print(f"\ncold render / nbconvert baseline: {cold / median(baseline.seconds):.2f}x (same run)")
    for peer, command in peers.items():
        if command is None:
            print(f"{peer}: not installed, not measured")
        elif peer in PEER_FAILURES:
            print(f"{peer}: installed, but its build failed, so not measured: {PEER_FAILURES[peer]}")
        elif book.myst is None:
            print(f"{peer}: measured on synthetic books only (--chapters)")
        else:
            for kind, ours in (("cold", "cold"), ("prose edit", "prose edit")):
                if not scenarios[f"{peer}: {kind}"].seconds:
                    continue
                theirs = median(scenarios[f"{peer}: {kind}"].seconds)
                print(f"{kind}: {peer} {theirs:.2f} s, report {median(scenarios[ours].seconds):.2f} s: "
                      f"{peer} takes {theirs / median(scenarios[ours].seconds):.1f}x as long (same run)")


def main() -> int:
    global ENGINE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario (default 3)")
    parser.add_argument("--jobs", type=int, help="passed to report render --jobs (default: one per core)")
    parser.add_argument("--chapters", type=int, nargs="+", metavar="N",
                        help="benchmark synthetic books of N chapters (e.g. 6 24 96) instead of this book")
    parser.add_argument("--prose-chapter", default="chapters/03-netwerk.qmd")
    parser.add_argument("--code-chapter", default="chapters/03-netwerk.qmd")
    parser.add_argument("--data-file", default="data/facts/monitor-trend.csv",
                        help="a data file some chapters read; a blank line is added to it")
    parser.add_argument("--no-baseline", action="store_true", help="skip the nbconvert baseline")
    parser.add_argument("--no-peers", action="store_true", help="skip mystmd and Jupyter Book 2")
    parser.add_argument("--myst", help="the mystmd command (default: myst on PATH or in node_modules)")
    parser.add_argument("--jupyter-book", help="the jupyter-book command of a separate environment")
    parser.add_argument("--engine", type=Path, help="render with the engine in this checkout (before/after)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy and print where it is")
    args = parser.parse_args()
    ENGINE = args.engine.resolve() if args.engine else None
    peers = {peer: None for peer in PEERS} if args.no_peers else find_peers(args)

    workspace = Path(tempfile.mkdtemp(prefix="report-bench-"))
    results = {}
    try:
        books = [synthetic_book(workspace, count) for count in args.chapters] if args.chapters else [
            real_book(workspace, args)]
        for book in books:
            scenarios = bench_book(book, args, peers, workspace)
            report_table(book, scenarios, args, peers)
            results[book.label] = {name: vars(measured) for name, measured in scenarios.items()}
    finally:
        if args.keep:
            print(f"kept {workspace}", file=sys.stderr)
        else:
            shutil.rmtree(workspace, ignore_errors=True)
    if args.no_peers:
        print("mystmd and Jupyter Book 2: skipped (--no-peers)")
    print(json.dumps(results), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
