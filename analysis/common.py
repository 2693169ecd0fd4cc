"""The shared set-up of every chapter: ``from analysis.common import *``.

Loads and validates the evaluation once, applies the house theme, and
re-exports the Dutch formatters and every figure and table function the
chapters call, so that each chapter cell calls exactly one named function.
"""

from __future__ import annotations

from analysis import load_evaluation
from analysis.format import fmt_int, fmt_num, fmt_pct, fmt_share
from analysis.theme import apply_theme

apply_theme()

ev = load_evaluation()

DEMO_NOTICE = (
    "::: {.callout-warning title=\"Demonstratiedata\"}\n"
    "Deze pagina is gerenderd met synthetische demonstratiedata. "
    "Alle cijfers, figuren, tabellen en citaten uit interviews en enquête zijn fictief "
    "en zeggen niets over werkelijke personen of over de werkelijke bevindingen van de evaluatie.\n"
    ":::\n"
)


def demo_notice(evaluation=None) -> str:
    """Markdown callout that warns the reader when the data are synthetic; empty for real data."""
    evaluation = ev if evaluation is None else evaluation
    return DEMO_NOTICE if evaluation.is_demo else ""


__all__ = [
    "ev",
    "load_evaluation",
    "demo_notice",
    "fmt_int",
    "fmt_num",
    "fmt_pct",
    "fmt_share",
]
