"""Regenerate the baseline images of tests/test_figures_baseline.py, on purpose.

The tests never write baselines: a figure that changed fails until someone
runs this script and commits the new PNGs after looking at them.

    .venv/bin/python scripts/update_figure_baselines.py            # every figure
    .venv/bin/python scripts/update_figure_baselines.py umbrella   # one figure

The figures are rendered exactly as the tests render them (same module, same
pinned font, DPI and size). The script prints, per figure, whether the new
image is new, unchanged (within the tests' tolerance) or changed.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_MODULE = ROOT / "tests" / "test_figures_baseline.py"


def _load_test_module():
    sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location("test_figures_baseline", TEST_MODULE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    baselines = _load_test_module()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"figures to regenerate (default: all): {', '.join(sorted(baselines.FIGURES))}")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(baselines.FIGURES))
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(unknown)}; known: {', '.join(sorted(baselines.FIGURES))}")
    evaluation = baselines.demo_evaluation()
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.names or sorted(baselines.FIGURES):
            target = baselines.baseline_path(name)
            fresh = baselines.render_png(name, evaluation, Path(scratch) / f"{name}.png")
            if not target.is_file():
                status = "new"
            elif baselines._difference(target, fresh) is None:
                print(f"{target.relative_to(ROOT)}: unchanged")
                continue
            else:
                status = "changed"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fresh, target)
            print(f"{target.relative_to(ROOT)}: {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
