"""Render benchmark: how long the whole book (HTML and PDF) takes after the edits authors make.

Not a test: it prints a table of medians over repeated runs. Everything runs on
a temporary copy of the project, so the working tree is never touched.

Scenarios, each a full `report render` (HTML site and PDF) in a fresh process:
- cold: the execution cache and the output cleared;
- no change: nothing edited since the previous render;
- prose edit: one sentence added to one chapter;
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

Usage: .venv/bin/python bench/render.py [--repeat 3] [--jobs N]
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


def render(book: Path, env: dict[str, str], jobs: int | None, measurement: Measurement) -> None:
    command = [sys.executable, "-m", "report", "render"] + (["--jobs", str(jobs)] if jobs else [])
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario (default 3)")
    parser.add_argument("--jobs", type=int, help="passed to report render --jobs (default: one per core)")
    parser.add_argument("--prose-chapter", default="chapters/03-netwerk.qmd")
    parser.add_argument("--code-chapter", default="chapters/03-netwerk.qmd")
    parser.add_argument("--data-file", default="data/facts/monitor-trend.csv",
                        help="a data file some chapters read; a blank line is added to it")
    parser.add_argument("--no-baseline", action="store_true", help="skip the nbconvert baseline")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy and print where it is")
    args = parser.parse_args()

    workspace = Path(tempfile.mkdtemp(prefix="report-bench-"))
    book = copy_project(workspace / "book")
    project = load_project(book)
    settings = project.config.report.data
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1715644800", "PYTHONPATH": str(book),
           "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "")}
    if settings is not None and project.data_dir is not None:
        env[settings.env] = str(project.data_dir)
    env = {key: value for key, value in env.items() if value != ""}

    scenarios = {name: Measurement() for name in ("cold", "no change", "prose edit", "prose edit, warm preview",
                                                  "code edit", "data edit")}
    prose = book / args.prose_chapter
    code = book / args.code_chapter
    data = book / args.data_file
    prose_text, code_text, data_bytes = prose.read_text(), code.read_text(), data.read_bytes()
    baseline = Measurement()
    notebooks = [] if args.no_baseline else to_notebooks(book)
    jupyter = Path(sys.executable).with_name("jupyter")
    try:
        for attempt in range(1, args.repeat + 1):
            print(f"run {attempt}/{args.repeat} ...", file=sys.stderr, flush=True)
            shutil.rmtree(book / ".report-cache", ignore_errors=True)
            shutil.rmtree(book / "_book", ignore_errors=True)
            render(book, env, args.jobs, scenarios["cold"])
            if notebooks:
                # Right after the cold render, so that both see the same load on a shared machine.
                output = workspace / "nbconvert"
                shutil.rmtree(output, ignore_errors=True)
                elapsed, peak, _log = run([str(jupyter), "nbconvert", "--to", "notebook", "--execute",
                                           "--ExecutePreprocessor.timeout=600", "--output-dir", str(output),
                                           *[str(path) for path in notebooks]], book, env)
                baseline.seconds.append(elapsed)
                baseline.peak_bytes.append(peak)
                baseline.executed.append(len(notebooks))
            render(book, env, args.jobs, scenarios["no change"])
            prose.write_text(prose_text.rstrip("\n") + f"\n\nDeze zin is toegevoegd voor meting {attempt}.\n")
            render(book, env, args.jobs, scenarios["prose edit"])
            warm_preview(book, env, prose, f"Deze zin is toegevoegd in een preview, meting {attempt}.",
                         scenarios["prose edit, warm preview"])
            code_now = code.read_text()
            end = first_evaluated_cell_end(code_now)
            code.write_text(code_now[:end] + f"# meting {attempt}\n" + code_now[end:])
            render(book, env, args.jobs, scenarios["code edit"])
            data.write_bytes(data_bytes + b"\n" * attempt)
            render(book, env, args.jobs, scenarios["data edit"])
            prose.write_text(prose_text)
            code.write_text(code_text)
            data.write_bytes(data_bytes)
    finally:
        if args.keep:
            print(f"kept {workspace}", file=sys.stderr)
        else:
            shutil.rmtree(workspace, ignore_errors=True)

    documents = len(project.chapters)
    print(f"\nWhole book ({documents} documents), HTML site and PDF; medians of {args.repeat} run(s); "
          f"{os.cpu_count()} cores; jobs {args.jobs or 'one per core'}.\n")
    print("| scenario | median (s) | min-max (s) | documents executed | peak memory (MB) |")
    print("|---|---:|---:|---:|---:|")
    rows = list(scenarios.items()) + ([("baseline: nbconvert --execute (no site, no PDF)", baseline)]
                                      if baseline.seconds else [])
    for name, measured in rows:
        print(f"| {name} | {median(measured.seconds):.2f} | {min(measured.seconds):.2f}-{max(measured.seconds):.2f} "
              f"| {median(measured.executed):.0f} | {max(measured.peak_bytes) / 2**20:.0f} |")
    if baseline.seconds:
        ratio = median(scenarios["cold"].seconds) / median(baseline.seconds)
        print(f"\ncold render / nbconvert baseline: {ratio:.2f}x")
    print(json.dumps({"scenarios": {name: vars(measured) for name, measured in rows}}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
