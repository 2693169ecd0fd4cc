"""Benchmark: how long chapters wait for the data layer.

Prints the import time of the package, the first (cold) load of the demo set,
which includes importing pandera, and the median of later (warm) loads.
Run: .venv/bin/python bench/bench_data_load.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the book's analysis package, from its root
start = time.perf_counter()
from analysis import load_evaluation  # noqa: E402
from analysis.measures import respondents_per_code  # noqa: E402

imported = time.perf_counter()
ev = load_evaluation()
cold = time.perf_counter()
warm = []
for _ in range(5):
    t = time.perf_counter()
    load_evaluation()
    warm.append(time.perf_counter() - t)
t = time.perf_counter()
respondents_per_code(ev)
measure = time.perf_counter() - t

print(f"import analysis            {imported - start:6.3f} s")
print(f"first load (demo, cold)    {cold - imported:6.3f} s")
print(f"later loads (median of 5)  {statistics.median(warm):6.3f} s")
print(f"respondents_per_code       {measure:6.3f} s")
print(f"tables: {len(ev.segments)} segment rows, {len(ev.register)} respondents, {len(ev.survey)} survey rows")
