"""The set-up cell of every chapter: ``from analysis.common import *``.

Loads and validates the data once per kernel and exports the formatters and the one function per table,
figure or number that the chapters call.
"""

from __future__ import annotations

from analysis import measures
from analysis.load import load_rows
from analysis.paths import data_dir, is_demo
from analysis.validate import validate

__all__ = ["aantal_regios", "aantal_respondenten", "demo_notice", "figuur_per_regio", "fmt_int", "fmt_num",
           "gemiddelde_tevredenheid", "tabel_per_regio"]

DATA = data_dir()
RESPONDENTS = validate(load_rows(DATA))


def fmt_int(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def fmt_num(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def demo_notice() -> str:
    if not is_demo(DATA):
        return ""
    return "::: {.callout-note}\nDeze versie is gerenderd met synthetische demodata.\n:::\n"


def aantal_respondenten() -> int:
    return len(RESPONDENTS)


def aantal_regios() -> int:
    return len(measures.by_region(RESPONDENTS))


def gemiddelde_tevredenheid() -> float:
    return measures.mean_score(RESPONDENTS)


def tabel_per_regio() -> str:
    lines = ["| Regio | Respondenten | Gemiddelde |", "|:--|--:|--:|"]
    for region, (count, score) in measures.by_region(RESPONDENTS).items():
        lines.append(f"| {region} | {fmt_int(count)} | {fmt_num(score)} |")
    return "\n".join(lines)


def figuur_per_regio() -> None:
    import matplotlib.pyplot as plt

    regions = measures.by_region(RESPONDENTS)
    figure, axes = plt.subplots(figsize=(6, 3.5))
    axes.bar(list(regions), [score for _count, score in regions.values()], color="#1f5f8b")
    axes.set_ylabel("Gemiddelde tevredenheid (1-10)")
    axes.set_ylim(0, 10)
    plt.show()
