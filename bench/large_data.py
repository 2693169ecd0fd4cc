"""Large data sets for the scale benchmark: the demo set grown to a given survey size or number of codings.

    python bench/large_data.py survey OUT --rows 1000000
    python bench/large_data.py qdpx OUT --codings 50000
    python bench/large_data.py measure DATA [--project CHECKOUT] [--to html]

``survey`` writes a copy of the demo set (CSV codebook, register, segments, transcripts) whose
``survey.csv`` holds ``--rows`` responses: the demo responses repeated in order, each with a new id.
``qdpx`` writes a data folder whose interviews come from one REFI-QDA project (``interviews.qdpx``)
holding at least ``--codings`` codings: every demo transcript repeated end to end, each repetition
coded as the demo transcript is. Both pass validation and are not marked as demo data, so the book
renders them as a real evaluation would be rendered; render with ``report render --data OUT``.

``measure`` renders a temporary copy of the project (``--project``: another checkout, for a before/after
in one session) with ``--data DATA``, cold (no caches), and prints the wall time and the peak memory of
the render and every process below it (kernel factory, kernels, pandoc) summed, as bench/render.py
measures it (proportional set size, sampled every 100 ms).
"""

from __future__ import annotations

import argparse
import csv
import math
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.paths import DEMO_DIR  # noqa: E402

__all__ = ["write_large_survey", "write_large_qdpx"]


def _fresh(out: Path) -> Path:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    return out


def write_large_survey(out: Path, rows: int) -> Path:
    """``out`` as the demo set with a survey of ``rows`` responses."""
    _fresh(out)
    for name in ("codebook.yml", "register.csv", "segments.csv"):
        shutil.copyfile(DEMO_DIR / name, out / name)
    shutil.copytree(DEMO_DIR / "transcripts", out / "transcripts")
    with (DEMO_DIR / "survey.csv").open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        header = next(reader)
        demo = [row[1:] for row in reader]
    width = len(str(rows))
    with (out / "survey.csv").open("w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target, lineterminator="\n")
        writer.writerow(header)
        for number in range(rows):
            writer.writerow([f"E{number + 1:0{width}d}", *demo[number % len(demo)]])
    return out


def write_large_qdpx(out: Path, codings: int) -> Path:
    """``out`` with the demo survey and an ``interviews.qdpx`` of at least ``codings`` codings."""
    import pandas as pd

    from analysis.load import read_codebook_yaml
    from analysis.qdpx import write_qdpx

    _fresh(out)
    shutil.copyfile(DEMO_DIR / "survey.csv", out / "survey.csv")
    codebook, problems = read_codebook_yaml((DEMO_DIR / "codebook.yml").read_bytes(), "codebook.yml")
    assert codebook is not None and not problems, problems
    register = pd.read_csv(DEMO_DIR / "register.csv", dtype=str, keep_default_na=False)
    segments = pd.read_csv(DEMO_DIR / "segments.csv", dtype=str, keep_default_na=False)
    transcripts = {path.stem: path.read_text(encoding="utf-8") for path in sorted((DEMO_DIR / "transcripts").glob("*.txt"))}
    copies = max(1, math.ceil(codings / len(segments)))
    grown: dict[str, str] = {}
    rows = []
    for interview, text in transcripts.items():
        grown[interview] = "\n\n".join([text] * copies)
    start, end = segments["start"].astype(int), segments["end"].astype(int)
    lengths = segments["interview"].map(lambda name: len(transcripts[name]) + 2)
    for copy in range(copies):
        part = segments.copy()
        part["segment"] = part["segment"] + f"-{copy:04d}"
        part["start"] = (start + copy * lengths).astype(str)
        part["end"] = (end + copy * lengths).astype(str)
        rows.append(part)
    coded = pd.concat(rows, ignore_index=True)
    (out / "interviews.qdpx").write_bytes(write_qdpx(codebook.frame, register, coded, grown))
    return out


def measure(data: Path, project: Path, to: str) -> tuple[float, int]:
    """Seconds and peak bytes of a cold ``report render --to TO --data DATA`` of a copy of ``project``."""
    import os
    import tempfile

    sys.path.insert(0, str(ROOT / "bench"))
    import render  # bench/render.py: its project copy (no caches, no output) and its measured run

    render.ROOT = project.resolve()  # copy_project copies render.ROOT
    with tempfile.TemporaryDirectory(prefix="large-data-") as workspace:
        book = render.copy_project(Path(workspace) / "book")
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1715644800", "PYTHONPATH": str(book)}
        seconds, peak, _log = render.run(
            [sys.executable, "-m", "report", "render", "--to", to, "--data", str(data.resolve())], book, env)
    return seconds, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("survey", "qdpx", "measure"))
    parser.add_argument("out", type=Path, help="the data folder to write (replaced if it exists), or to render")
    parser.add_argument("--rows", type=int, default=1_000_000, help="survey responses (survey)")
    parser.add_argument("--codings", type=int, default=50_000, help="codings at least (qdpx)")
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout to render (measure)")
    parser.add_argument("--to", default="html", help="the format to render (measure)")
    arguments = parser.parse_args(argv)
    if arguments.kind == "measure":
        seconds, peak = measure(arguments.out, arguments.project, arguments.to)
        print(f"{arguments.out}: {seconds:.1f} s, peak memory {peak / 1e6:.0f} MB")
        return 0
    if arguments.kind == "survey":
        write_large_survey(arguments.out, arguments.rows)
    else:
        write_large_qdpx(arguments.out, arguments.codings)
    print(arguments.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
