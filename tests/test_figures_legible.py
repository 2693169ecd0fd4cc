"""Every figure of the book keeps its text legible where it is shown (analysis.theme.legible_text_size).

Each figure is drawn from the demo data and every piece of text matplotlib would draw is measured: none is
smaller than the theme's smallest size, which reads as 0.8 x body text in the site's column and on the page.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from analysis import load_evaluation  # noqa: E402
from analysis.network import instrument_timeline_figure, protection_profile_figure  # noqa: E402
from analysis.paths import DEMO_DIR  # noqa: E402
from analysis.polarities import polarity_lean_figure  # noqa: E402
from analysis.practice import awareness_figure, workline_appreciation_figure  # noqa: E402
from analysis.theme import (FIGURE_WIDTH, HTML_BODY_PX, HTML_COLUMN_PX, LEGIBLE_RATIO, PDF_BODY_PT,  # noqa: E402
                            PDF_TEXT_WIDTH_IN, SMALLEST_TEXT_PT, apply_theme, legible_text_size)
from analysis.threat import aggression_share_figure, threat_trend_figure, threat_types_figure  # noqa: E402
from analysis.umbrella import umbrella_figure  # noqa: E402

#: Every figure function the chapters call, with the arguments they pass.
FIGURES = {
    "instrument_timeline": lambda ev: instrument_timeline_figure(),
    "protection_profile": protection_profile_figure,
    "polarity_instrumentarium": lambda ev: polarity_lean_figure(ev, "instrumentarium"),
    "polarity_reikwijdte": lambda ev: polarity_lean_figure(ev, "reikwijdte"),
    "polarity_richting": lambda ev: polarity_lean_figure(ev, "richting"),
    "awareness": awareness_figure,
    "workline_appreciation": workline_appreciation_figure,
    "threat_trend": threat_trend_figure,
    "aggression_share": aggression_share_figure,
    "threat_types": threat_types_figure,
    "umbrella": umbrella_figure,
}


@pytest.fixture(scope="module")
def evaluation():
    return load_evaluation(DEMO_DIR)


def test_legible_size_follows_from_the_displayed_width():
    # shown at its own width in the site's column: 0.8 x 17 px = 13.6 px = 10.2 pt, a little more where the
    # column is narrower than the figure
    assert HTML_COLUMN_PX < FIGURE_WIDTH * 96
    expected_html = LEGIBLE_RATIO * HTML_BODY_PX * 0.75 * FIGURE_WIDTH * 96 / HTML_COLUMN_PX
    assert legible_text_size(FIGURE_WIDTH) == pytest.approx(expected_html, abs=0.05)
    # a figure twice as wide is shrunk to half in both outputs: its text must be twice as large
    assert legible_text_size(2 * FIGURE_WIDTH) == pytest.approx(2 * expected_html, abs=0.1)
    # a narrow figure is not enlarged: the PDF's 0.8 x 10.5 pt binds no more than the site's 10.2 pt
    assert legible_text_size(3.0) == pytest.approx(max(LEGIBLE_RATIO * HTML_BODY_PX * 0.75,
                                                       LEGIBLE_RATIO * PDF_BODY_PT), abs=0.05)
    assert PDF_TEXT_WIDTH_IN == pytest.approx(6.30, abs=0.01)
    assert SMALLEST_TEXT_PT == legible_text_size(FIGURE_WIDTH)


@pytest.mark.parametrize("name", FIGURES)
def test_no_text_in_the_figure_is_below_the_legible_size(evaluation, name):
    with matplotlib.rc_context():
        apply_theme()
        figure = FIGURES[name](evaluation).draw()
        try:
            width = figure.get_size_inches()[0]
            small = sorted({(round(text.get_fontsize(), 1), text.get_text()[:30])
                            for text in figure.findobj(Text)
                            if text.get_visible() and text.get_text().strip()
                            and text.get_fontsize() < legible_text_size(width) - 0.05})
        finally:
            matplotlib.pyplot.close(figure)
    assert width == pytest.approx(FIGURE_WIDTH)
    assert not small, f"text below {legible_text_size(width)} pt: {small[:8]}"
