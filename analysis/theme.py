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
    "LEGIBLE_RATIO",
    "SMALLEST_TEXT_PT",
    "GROUP_COLOURS",
    "INK",
    "MUTED",
    "PALETTE",
    "annotation_size",
    "apply_theme",
    "dutch_number_labels",
    "dutch_percent_labels",
    "legible_text_size",
    "smallest_text_px",
    "theme_weerbaar",
]

# DejaVu Sans ships inside matplotlib's own font directory, so no machine
# ever falls back to a different font and shifts the text metrics.
FONT_FAMILY = "DejaVu Sans"
FIGURE_DPI = 300
FIGURE_WIDTH = 6.5  # inches: the text width of an A4 page with 2.5 cm margins
FIGURE_HEIGHT = 4.0

# Where the figures are shown, from the book's design: chart text must read at least LEGIBLE_RATIO times the
# body text at the width the figure is displayed (issue: 5 to 12 px labels next to 17 px text).
LEGIBLE_RATIO = 0.8
HTML_BODY_PX = 17.0  # report's site.css: html { font-size: 17px }
HTML_COLUMN_PX = 36 * HTML_BODY_PX  # the narrowest text column of the wide site layout (70rem less both menus)
PDF_BODY_PT = 10.5  # typst/typst-template.typ: fontsize
PDF_TEXT_WIDTH_IN = (21.0 - 2.6 - 2.4) / 2.54  # A4 less the inside and outside margins of the template
CSS_PX_PER_INCH = 96
POINTS_PER_INCH = 72


def legible_text_size(figure_width: float = FIGURE_WIDTH) -> float:
    """The smallest font size (pt, in the figure) that reads as LEGIBLE_RATIO x body text where it is shown.

    A figure is shown at its own width, or shrunk to the column when the column is narrower: in the site's
    text column (HTML_COLUMN_PX) and on the PDF page (PDF_TEXT_WIDTH_IN). On a phone no chart of this width
    can keep that ratio; the site shows figures full width with a link to the image there instead.
    """
    html_scale = min(1.0, HTML_COLUMN_PX / (figure_width * CSS_PX_PER_INCH))
    html_pt = LEGIBLE_RATIO * HTML_BODY_PX * POINTS_PER_INCH / CSS_PX_PER_INCH / html_scale
    pdf_scale = min(1.0, PDF_TEXT_WIDTH_IN / figure_width)
    pdf_pt = LEGIBLE_RATIO * PDF_BODY_PT / pdf_scale
    return round(max(html_pt, pdf_pt), 1)


SMALLEST_TEXT_PT = legible_text_size()
BASE_SIZE = round(SMALLEST_TEXT_PT / 0.85, 1)  # axis and legend text are 0.85 of the base size


def smallest_text_px() -> float:
    """The smallest text of a house figure in CSS px, when the figure is shown at its own size."""
    return SMALLEST_TEXT_PT * CSS_PX_PER_INCH / POINTS_PER_INCH


def annotation_size(emphasis: float = 1.0) -> float:
    """Font size (pt) for text drawn in a chart (geom_text, annotate): never below the legible size."""
    return round(SMALLEST_TEXT_PT * max(emphasis, 1.0), 1)

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
    """Return the report's plotnine theme: quiet grid, Dutch-ready text, pinned font, size and DPI.

    No text is smaller than SMALLEST_TEXT_PT, the size that stays legible where the figure is shown.
    """
    return theme_minimal(base_size=base_size, base_family=FONT_FAMILY) + theme(
        figure_size=(FIGURE_WIDTH, FIGURE_HEIGHT),
        dpi=FIGURE_DPI,
        text=element_text(family=FONT_FAMILY, color=INK),
        axis_text=element_text(color=MUTED, size=max(base_size * 0.85, SMALLEST_TEXT_PT)),
        axis_title=element_text(color=INK, size=max(base_size * 0.9, SMALLEST_TEXT_PT)),
        axis_ticks=element_blank(),
        panel_grid_major=element_line(color=GRID, size=0.4),
        panel_grid_minor=element_blank(),
        legend_position="bottom",
        legend_title=element_blank(),
        legend_text=element_text(size=max(base_size * 0.85, SMALLEST_TEXT_PT)),
        strip_text=element_text(color=INK, size=max(base_size * 0.9, SMALLEST_TEXT_PT), weight="bold"),
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
            # Labels come from data (codebook names): a '$' in them is a dollar sign, never mathtext to parse.
            "text.parse_math": False,
        }
    )
    theme_set(theme_weerbaar())
