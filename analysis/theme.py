"""The house style of every figure in the report.

One plotnine theme, one palette and one set of Dutch axis formatters, so that
all figures look alike in HTML and PDF and render identically on every
machine: the font family ships with matplotlib (no system font lookup), the
resolution is fixed, and SVG output carries no random ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import matplotlib
from plotnine import element_blank, element_line, element_rect, element_text, theme, theme_minimal, theme_set

from analysis.format import fmt_num, fmt_share

__all__ = [
    "FIGURE_DPI",
    "FIGURE_HEIGHT",
    "FIGURE_WIDTH",
    "FONT_FAMILY",
    "FUNCTION_COLOURS",
    "FUNCTION_LABELS",
    "GROUP_COLOURS",
    "INK",
    "MUTED",
    "PALETTE",
    "apply_theme",
    "dutch_number_labels",
    "dutch_percent_labels",
    "theme_weerbaar",
]

# DejaVu Sans ships inside matplotlib's own font directory, so no machine
# ever falls back to a different font and shifts the text metrics.
FONT_FAMILY = "DejaVu Sans"
FIGURE_DPI = 300
FIGURE_WIDTH = 6.5  # inches: the text width of an A4 page with 2.5 cm margins
FIGURE_HEIGHT = 4.0
BASE_SIZE = 10

INK = "#1A1A1A"
MUTED = "#595959"  # 7:1 on white: axis text stays legible
GRID = "#D9D9D9"

# Okabe-Ito hues (distinguishable with every common colour-vision
# deficiency), restricted to those with at least 3:1 contrast on white as
# WCAG 2.1 asks of graphical objects; yellow and sky blue are left out.
PALETTE: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#4D4D4D")

FUNCTION_LABELS: dict[str, str] = {
    "burgemeester": "Burgemeesters",
    "wethouder": "Wethouders",
    "raadslid": "Raadsleden",
    "alle": "Alle decentrale ambtsdragers",
}

FUNCTION_COLOURS: dict[str, str] = {
    "Burgemeesters": PALETTE[0],
    "Wethouders": PALETTE[1],
    "Raadsleden": PALETTE[2],
    "Alle decentrale ambtsdragers": PALETTE[4],
}

GROUP_COLOURS: dict[str, str] = {
    "actieve deelnemer": PALETTE[0],
    "critical friend": PALETTE[2],
    "criticaster": PALETTE[1],
    "onbekend met het netwerk": PALETTE[4],
}


def theme_weerbaar(base_size: float = BASE_SIZE) -> theme:
    """Return the report's plotnine theme: quiet grid, Dutch-ready text, pinned font, size and DPI."""
    return theme_minimal(base_size=base_size, base_family=FONT_FAMILY) + theme(
        figure_size=(FIGURE_WIDTH, FIGURE_HEIGHT),
        dpi=FIGURE_DPI,
        text=element_text(family=FONT_FAMILY, color=INK),
        axis_text=element_text(color=MUTED, size=base_size * 0.85),
        axis_title=element_text(color=INK, size=base_size * 0.9),
        axis_ticks=element_blank(),
        panel_grid_major=element_line(color=GRID, size=0.4),
        panel_grid_minor=element_blank(),
        legend_position="bottom",
        legend_title=element_blank(),
        legend_text=element_text(size=base_size * 0.85),
        strip_text=element_text(color=INK, size=base_size * 0.9, weight="bold"),
        plot_title=element_blank(),  # the caption lives in fig-cap, not in the image
        plot_background=element_rect(fill="white", color="white"),
        panel_background=element_rect(fill="white", color="white"),
    )


def dutch_percent_labels(values: Iterable[float]) -> list[str]:
    """Axis labels for shares on the 0-1 scale, in Dutch notation: 0.25 -> '25%'."""
    return [fmt_share(value) for value in values]


def dutch_number_labels(values: Sequence[float]) -> list[str]:
    """Axis labels for plain numbers with a decimal comma; whole numbers lose their decimals."""
    return [fmt_num(value, 0 if float(value).is_integer() else 1) for value in values]


def apply_theme() -> None:
    """Make the house theme the default and pin the matplotlib settings that make output reproducible."""
    matplotlib.rcParams.update(
        {
            "font.family": FONT_FAMILY,
            "figure.dpi": FIGURE_DPI,
            "savefig.dpi": FIGURE_DPI,
            # Cropped to the drawn content, as Jupyter and Quarto show figures: long labels are never cut off.
            "savefig.bbox": "tight",
            # Text as paths: the SVG looks the same without the font installed
            # and contains no font subset whose bytes could vary.
            "svg.fonttype": "path",
            # Fixed salt: clip-path and glyph ids in SVG are otherwise random per run.
            "svg.hashsalt": "netwerk-weerbaar-bestuur",
            "pdf.fonttype": 42,
            "axes.unicode_minus": True,
        }
    )
    theme_set(theme_weerbaar())
