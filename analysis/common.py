"""The shared set-up of every chapter: ``from analysis.common import *``.

Loads and validates the evaluation once, applies the house theme, and
re-exports the Dutch formatters and every figure and table function the
chapters call, so that each chapter cell calls exactly one named function.
"""

from __future__ import annotations

import pandas as pd

from analysis import appendix, load_evaluation, sdc, method, network, polarities, practice, threat, umbrella
from analysis.appendix import *  # noqa: F403
from analysis.format import fmt_int, fmt_num, fmt_pct, fmt_share
from analysis.markdown import markdown_code
from analysis.paths import REPO_ROOT
from analysis.measures import mention_word, quantifier, quotes
from analysis.method import *  # noqa: F403 - the chapters' public surface, listed in __all__ below
from analysis.network import *  # noqa: F403
from analysis.polarities import *  # noqa: F403
from analysis.practice import *  # noqa: F403
from analysis.theme import apply_theme
from analysis.threat import *  # noqa: F403
from analysis.umbrella import *  # noqa: F403

apply_theme()
# Tables are rendered from the DataFrame's HTML; pandas would otherwise cut
# cells after 50 characters and end them with "...".
pd.set_option("display.max_colwidth", None)
pd.set_option("display.max_rows", None)
pd.set_option("display.max_columns", None)

ev = load_evaluation()
# Before any chapter prints a count: a threshold below the policy minimum stops the render, unless it is a draft.
sdc.min_base()

DEMO_NOTICE = (
    "::: {.callout-warning title=\"Demonstratiedata\"}\n"
    "Deze pagina is gerenderd met synthetische demonstratiedata. "
    "Alle cijfers, figuren, tabellen en citaten uit interviews en enquête zijn fictief "
    "en zeggen niets over werkelijke personen of over de werkelijke bevindingen van de evaluatie.\n"
    ":::\n"
)


DEMO_STATEMENT = (
    "## Gerenderd met demonstratiedata {{#sec-aanpak-demo}}\n\n"
    "Deze versie van het rapport is opgemaakt met synthetische demonstratiedata uit {data_dir}.\n"
    "De respondenten, de gesprekken, de citaten, de codering en de enquête zijn door een programma gegenereerd "
    "om de werking van het rapport te tonen.\n"
    "Zij lijken op de echte gegevens in vorm en omvang, maar niet in inhoud: geen enkel getal, geen enkele uitspraak "
    "en geen enkel citaat in deze versie zegt iets over werkelijke personen of over de werkelijke bevindingen.\n"
    "Alleen de feiten met een bronvermelding, zoals de gepubliceerde cijfers van de Monitor Integriteit en Veiligheid "
    "en de gegevens over de instrumenten van het netwerk, zijn echt.\n"
    "Wordt het rapport met de echte data opgemaakt, dan verdwijnt deze paragraaf vanzelf.\n"
)


def demo_statement(evaluation=None) -> str:
    """A full paragraph for the methods chapter explaining that the data are synthetic; empty for real data."""
    evaluation = ev if evaluation is None else evaluation
    if not evaluation.is_demo:
        return ""
    try:
        shown = evaluation.data_dir.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:  # a demo set outside the repository: its folder name is enough
        shown = evaluation.data_dir.name
    return DEMO_STATEMENT.format(data_dir=markdown_code(shown))


def demo_notice(evaluation=None) -> str:
    """Markdown callout that warns the reader when the data are synthetic; empty for real data."""
    evaluation = ev if evaluation is None else evaluation
    return DEMO_NOTICE if evaluation.is_demo else ""


__all__ = [
    "ev",
    "load_evaluation",
    "demo_notice",
    "demo_statement",
    "fmt_int",
    "fmt_num",
    "fmt_pct",
    "fmt_share",
    "mention_word",
    "quantifier",
    "quotes",
    *method.__all__,
    *network.__all__,
    *polarities.__all__,
    *threat.__all__,
    *practice.__all__,
    *umbrella.__all__,
    *appendix.__all__,
]

_duplicates = sorted({name for name in __all__ if __all__.count(name) > 1})
if _duplicates:  # two area modules exporting one name would silently shadow each other
    raise ImportError(f"analysis.common: exported by more than one module: {', '.join(_duplicates)}")
