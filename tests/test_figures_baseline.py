"""Baseline images of the house figures, compared pixel by pixel in the way plotnine tests its own figures.

Each figure is built from the demo data and saved as PNG with the font, its
hinting, the DPI and the size pinned; the PNG is compared with the committed
image in ``tests/baseline_images/`` by ``matplotlib.testing.compare``. A
missing or different baseline fails the test, and a failure leaves the new
image and a diff image in pytest's temporary folder to look at. Baselines are
never written by the tests: regenerate them deliberately with
``scripts/update_figure_baselines.py`` and review the new PNGs in the commit.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.testing import set_font_settings_for_testing  # noqa: E402
from matplotlib.testing.compare import compare_images  # noqa: E402
from matplotlib.testing.exceptions import ImageComparisonFailure  # noqa: E402

from analysis import load_evaluation  # noqa: E402
from analysis.paths import DEMO_DIR  # noqa: E402
from analysis.polarities import load_polarities, polarity_lean_figure  # noqa: E402
from analysis.theme import apply_theme  # noqa: E402
from analysis.threat import threat_trend_figure  # noqa: E402
from analysis.umbrella import umbrella_figure  # noqa: E402

BASELINE_DIR = Path(__file__).resolve().parent / "baseline_images"
#: Lower than the 300 dpi of the exports: small baselines, and text still has enough pixels to show a change.
BASELINE_DPI = 100
#: Root-mean-square difference of the greyscale pixel values (0-255) that still counts as equal; absorbs
#: anti-aliasing noise between FreeType builds, far below a moved label or a changed bar.
TOLERANCE = 2
LEAN_POLARITY = "reikwijdte"

#: The figures under test: baseline file stem -> the chapter's call that builds it.
FIGURES: dict[str, Callable] = {
    "umbrella": umbrella_figure,
    "threat_trend": threat_trend_figure,
    f"polarity_lean_{LEAN_POLARITY}": lambda ev: polarity_lean_figure(ev, LEAN_POLARITY),
}


def pin_rendering() -> None:
    """The house theme plus matplotlib's test font settings (DejaVu Sans, no hinting), so text renders alike everywhere."""
    apply_theme()
    set_font_settings_for_testing()


def demo_evaluation():
    """The demo data, whatever REPORT_DATA says: baselines are drawn from data/demo only."""
    return load_evaluation(DEMO_DIR)


def render_png(name: str, evaluation, path: Path) -> Path:
    """Build figure ``name`` from ``evaluation`` and save it as PNG at the pinned DPI and the figure's own size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # rc_context: the pinned settings must not leak into other tests of the session.
    with matplotlib.rc_context():
        pin_rendering()
        FIGURES[name](evaluation).save(path, dpi=BASELINE_DPI, verbose=False)
    return path


def baseline_path(name: str) -> Path:
    return BASELINE_DIR / f"{name}.png"


def _difference(expected: Path, actual: Path) -> str | None:
    """None when the images match within the tolerance, else the reason (size or pixel difference)."""
    try:
        return compare_images(str(expected), str(actual), tol=TOLERANCE)
    except ImageComparisonFailure as error:  # raised when the sizes differ
        return str(error)


@pytest.fixture(scope="module")
def evaluation():
    return demo_evaluation()


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_matches_its_baseline(name, evaluation, tmp_path):
    baseline = baseline_path(name)
    if not baseline.is_file():
        pytest.fail(f"no baseline image {baseline.relative_to(BASELINE_DIR.parent.parent)}; "
                    f"create it with: python scripts/update_figure_baselines.py {name}")
    actual = render_png(name, evaluation, tmp_path / f"{name}.png")
    difference = _difference(baseline, actual)
    assert difference is None, (f"{name} differs from its baseline (tol={TOLERANCE}): {difference}\n"
                                "If the change is intended, run python scripts/update_figure_baselines.py "
                                f"{name} and review the new image.")


def _umbrella_reach_swapped(ev):
    """Every judgement 'within reach' becomes 'beyond reach' and the other way round: the drops change sides."""
    segments = ev.segments.copy()
    segments["code"] = segments["code"].replace({"dekking.binnen_bereik": "dekking.buiten_bereik",
                                                 "dekking.buiten_bereik": "dekking.binnen_bereik"})
    return replace(ev, segments=segments)


def _trend_shifted(ev):
    """The last monitor's shares five points higher."""
    trend = ev.trend.copy()
    last = trend["year"] == trend["year"].max()
    trend.loc[last, "share"] = trend.loc[last, "share"] + 0.05
    return replace(ev, trend=trend)


def _lean_without_left_pole(ev):
    """Nobody names the left pole of the polarity any more."""
    left = load_polarities().get(LEAN_POLARITY).left.code
    return replace(ev, segments=ev.segments[ev.segments["code"] != left].reset_index(drop=True))


CHANGED_DATA = {
    "umbrella": _umbrella_reach_swapped,
    "threat_trend": _trend_shifted,
    f"polarity_lean_{LEAN_POLARITY}": _lean_without_left_pole,
}


def test_every_figure_has_a_data_change():
    assert set(CHANGED_DATA) == set(FIGURES)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_from_changed_data_does_not_match_the_baseline(name, evaluation, tmp_path):
    """The figures are drawn from their data, and the comparison is sharp enough to see it."""
    baseline = baseline_path(name)
    if not baseline.is_file():
        pytest.fail(f"no baseline image for {name}")
    actual = render_png(name, CHANGED_DATA[name](evaluation), tmp_path / f"{name}-changed.png")
    assert _difference(baseline, actual) is not None
