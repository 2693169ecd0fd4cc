"""The umbrella of chapter 7: the report's central image, drawn from the coded interviews.

The canopy is made of the four lines of work; each panel's angular width
follows the number of respondents who mention that line. Prevention
(voorzorg) is the shaft. The forms of threat are rain drops: a drop's
horizontal distance from the centre is ``2 * R * (1 - coverage)``, where
coverage is the share of respondents' judgements that put the threat within
the network's reach. Coverage 1 lands mid-canopy, coverage 1/2 exactly on the
rim, coverage 0 a full canopy width beside it, on the ground.

Every geom is computed from a DataFrame built here, so changing the data
changes the figure. Public surface: ``threat_coverage``,
``threat_coverage_table``, ``canopy_panels``, ``canopy_polygons``,
``weather_drops``, ``umbrella_figure``, ``umbrella_inside_phrase``,
``umbrella_outside_phrase``, ``canopy_panel_sentence``.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from plotnine import (
    aes,
    annotate,
    coord_fixed,
    geom_path,
    geom_point,
    geom_polygon,
    geom_segment,
    geom_text,
    ggplot,
    guides,
    guide_legend,
    scale_fill_manual,
    scale_shape_manual,
    scale_x_continuous,
    scale_y_continuous,
    theme,
    element_blank,
)

from analysis import sdc
from analysis.markdown import markdown_text
from analysis.measures import coverage_by_threat, respondents_mentioning
from analysis.theme import FONT_FAMILY, INK, MUTED, annotation_size

__all__ = [
    "CANOPY_RADIUS",
    "WORKLINES",
    "canopy_panel_sentence",
    "canopy_panels",
    "canopy_polygons",
    "threat_coverage",
    "threat_coverage_table",
    "umbrella_figure",
    "umbrella_inside_phrase",
    "umbrella_outside_phrase",
    "weather_drops",
]

CANOPY_RADIUS = 1.0
#: The four panels of the canopy, left to right; voorzorg is the shaft.
WORKLINES: tuple[str, ...] = ("werklijn.bewustwording", "werklijn.voorlichting", "werklijn.ondersteuning", "werklijn.nazorg")
SHAFT = "werklijn.voorzorg"
#: A panel never gets less than this share of the half circle, so a line of work nobody mentions stays visible.
MIN_PANEL_SHARE = 0.14
#: Grey fills that differ in lightness by at least 20 points, so the panels stay distinct in greyscale print.
PANEL_GREYS: tuple[str, ...] = ("#3B3B3B", "#7A7A7A", "#A8A8A8", "#D4D4D4")
GROUND = -1.35
DROP_SPACING = 0.4

INSIDE = "binnen bereik"
OUTSIDE = "buiten bereik"


def _code_names(ev) -> dict[str, str]:
    return dict(zip(ev.codebook["code"], ev.codebook["name"]))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def threat_coverage(ev) -> pd.DataFrame:
    """Per form of threat: respondents judging it within and beyond reach, and the coverage share.

    Columns: ``code``, ``name``, ``binnen_bereik``, ``buiten_bereik``,
    ``judgements`` (the sum of both), ``mentioned`` and ``coverage`` (0-1; NaN
    when nobody judged the threat, and when fewer judgements than the
    disclosure threshold back it: a share on a small base is withheld like a
    count, in the figure as in the prose). Sorted from most to least covered.
    """
    table = coverage_by_threat(ev).copy()
    table["name"] = table["code"].map(_code_names(ev))
    inside = table["binnen_bereik"].astype("float")
    outside = table["buiten_bereik"].astype("float")
    table["judgements"] = inside + outside
    judged = [bool(j > 0) and sdc.allowed(int(j), "threat_coverage", code)
              for code, j in zip(table["code"], table["judgements"].fillna(0))]
    table["coverage"] = (inside / table["judgements"]).where(judged)
    table = table.sort_values(["coverage", "judgements"], ascending=[False, False], na_position="last")
    columns = ["code", "name", "binnen_bereik", "buiten_bereik", "judgements", "mentioned", "coverage"]
    return table[columns].reset_index(drop=True)


def _coverage_words(coverage: float, judgements: float) -> str:
    if judgements == 0:
        return "geen oordeel"
    if math.isnan(coverage):
        return "–"  # withheld: too few judgements
    if coverage >= 2 / 3:
        return "vooral binnen bereik"
    if coverage > 1 / 3:
        return "verdeeld"
    return "vooral buiten bereik"


def threat_coverage_table(ev) -> pd.DataFrame:
    """The coverage counts for the reader: one row per form of threat, Dutch headers, verdict in words.

    The counts are of persons, so each passes :func:`analysis.sdc.protect`: a
    count from 1 to the threshold reads '<10'. The columns have no published
    total (a respondent can judge a threat both ways), so nothing else needs withholding.
    """
    coverage = threat_coverage(ev)
    columns = {"mentioned": "Noemt de vorm", "binnen_bereik": "Oordeel binnen bereik",
               "buiten_bereik": "Oordeel buiten bereik"}
    counts = coverage.set_index("name")[list(columns)]
    withheld = counts.isna().any(axis=1)  # a group below the threshold: coverage_by_threat withheld it already
    status = sdc.protect(counts.fillna(0).astype(int), measure="threat_coverage_table")
    table = pd.DataFrame(
        {label: ["–" if withheld[name] else sdc.cell_text(int(counts.at[name, column]), status.at[name, column])
                 for name in counts.index]
         for column, label in columns.items()},
        index=pd.Index(counts.index, name="Vorm van dreiging"),
    )
    table["Per saldo"] = [_coverage_words(c, j) for c, j in zip(coverage["coverage"], coverage["judgements"].fillna(0))]
    return table


def _shares_with_floor(counts: np.ndarray, floor: float) -> np.ndarray:
    """Shares proportional to counts, except that none falls below ``floor``; they still sum to 1.

    Panels at the floor are fixed one by one and the rest is shared out again,
    because raising a small share takes room from the others.
    """
    n = len(counts)
    if counts.sum() <= 0:
        return np.full(n, 1 / n)
    fixed = np.zeros(n, dtype=bool)
    while True:
        free = ~fixed
        room = 1 - floor * fixed.sum()
        weights = counts[free]
        share = np.full(n, floor)
        share[free] = room * weights / weights.sum() if weights.sum() > 0 else room / free.sum()
        below = free & (share < floor)
        if not below.any():
            return share
        fixed |= below


def canopy_panels(ev) -> pd.DataFrame:
    """The four canopy panels: respondents mentioning each line of work and where the panel's hem lies.

    Columns: ``code``, ``label``, ``respondents``, ``share`` (of the hem, at
    least :data:`MIN_PANEL_SHARE`), ``x_start`` and ``x_end`` (the rib tips on
    the hem, from ``-R`` on the left to ``R`` on the right).
    """
    names = _code_names(ev)
    counts = np.array([respondents_mentioning(ev, code) for code in WORKLINES], dtype=float)
    # A panel's width shows its count; a count below the threshold is drawn at the floor and left out of the
    # shares of the others, whose widths would otherwise give it away.
    frame = pd.DataFrame({"respondents": np.nan_to_num(counts).astype(int)}, index=list(WORKLINES))
    shown = sdc.protect(frame, measure="canopy_panels")["respondents"] == sdc.SHOWN
    share = _shares_with_floor(np.where(shown.to_numpy() & ~np.isnan(counts), counts, 0.0), MIN_PANEL_SHARE)
    ends = -CANOPY_RADIUS + 2 * CANOPY_RADIUS * np.cumsum(share)
    starts = np.concatenate([[-CANOPY_RADIUS], ends[:-1]])
    return pd.DataFrame(
        {
            "code": WORKLINES,
            "label": [names.get(c, c.split(".")[-1].title()) for c in WORKLINES],
            "respondents": counts.astype(int),
            "share": share,
            "x_start": starts,
            "x_end": ends,
        }
    )


def _rib(tip_x: float, radius: float, points: int) -> tuple[np.ndarray, np.ndarray]:
    """A rib from the crown (0, R) down to its tip (tip_x, 0): a quarter ellipse, as a dome seen from the side."""
    t = np.linspace(0, math.pi / 2, points)
    return tip_x * np.sin(t), radius * np.cos(t)


def canopy_polygons(panels: pd.DataFrame, radius: float = CANOPY_RADIUS, points: int = 40) -> pd.DataFrame:
    """Polygon outlines of the canopy panels: rib, scalloped hem, rib back to the crown.

    Columns: ``label``, ``order``, ``x``, ``y``. Each panel's hem arches up
    between its two rib tips, as the cloth of an umbrella does.
    """
    frames = []
    for _, panel in panels.iterrows():
        left_x, left_y = _rib(panel["x_start"], radius, points)
        right_x, right_y = _rib(panel["x_end"], radius, points)
        s = np.linspace(0, 1, points)
        width = panel["x_end"] - panel["x_start"]
        hem_x = panel["x_start"] + width * s
        hem_y = 0.12 * width * np.sin(math.pi * s)
        x = np.concatenate([left_x, hem_x, right_x[::-1]])
        y = np.concatenate([left_y, hem_y, right_y[::-1]])
        frames.append(pd.DataFrame({"label": panel["label"], "order": np.arange(len(x)), "x": x, "y": y}))
    return pd.concat(frames, ignore_index=True)


def _wrap(name: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(name, width)) or name


def weather_drops(coverage: pd.DataFrame, radius: float = CANOPY_RADIUS) -> pd.DataFrame:
    """Where each form of threat falls: one drop per threat that respondents judged.

    ``distance = 2 * radius * (1 - coverage)``; drops alternate left and right
    from the best covered outwards. A drop within the rim rests on the canopy;
    one beyond it falls to the ground. Columns: ``code``, ``name``,
    ``coverage``, ``distance``, ``x``, ``y``, ``reach`` (binnen/buiten bereik),
    ``label``, ``label_x``, ``label_y``, ``ha``, ``streak_top``.
    """
    judged = coverage[coverage["coverage"].notna()].reset_index(drop=True)
    rows = []
    for i, threat in judged.iterrows():
        side = -1 if i % 2 == 0 else 1
        distance = 2 * radius * (1 - float(threat["coverage"]))
        rows.append(
            {
                "code": threat["code"],
                "name": threat["name"],
                "coverage": float(threat["coverage"]),
                "distance": distance,
                "x": side * max(distance, 0.14),
                "reach": INSIDE if distance < radius else OUTSIDE,
                "label": _wrap(str(threat["name"])),
                "ha": "left" if side > 0 else "right",
                "side": side,
            }
        )
    drops = pd.DataFrame(rows, columns=["code", "name", "coverage", "distance", "x", "reach", "label", "ha", "side"])
    drops["y"] = np.nan
    # Labels run outwards. Stacking the outermost drop lowest on each side keeps
    # every label clear of the drops further out, which sit below it.
    for (side, reach), group in drops.groupby(["side", "reach"]):
        floor = None
        for index in group.sort_values("distance", ascending=False).index:
            x = drops.at[index, "x"]
            base = math.sqrt(max(radius**2 - x**2, 0)) + 0.1 if reach == INSIDE else GROUND + 0.2
            y = base if floor is None else max(base, floor + DROP_SPACING)
            drops.at[index, "y"] = y
            floor = y
    drops["label_x"] = drops["x"] + drops["side"] * 0.09
    drops["label_y"] = drops["y"]
    drops["streak_top"] = drops["y"] + 0.22
    columns = ["code", "name", "coverage", "distance", "x", "y", "reach", "label", "label_x", "label_y", "ha", "streak_top"]
    return drops[columns]


def _shaft(radius: float = CANOPY_RADIUS) -> tuple[pd.DataFrame, pd.DataFrame]:
    bottom = GROUND + 0.32
    straight = pd.DataFrame({"x": [0.0, 0.0], "y": [radius + 0.06, bottom]})
    # J-shaped handle: a half circle hooking to the left at the bottom of the shaft.
    theta = np.linspace(0, -math.pi, 30)
    hook_r = 0.09
    hook = pd.DataFrame({"x": -hook_r + hook_r * np.cos(theta), "y": bottom + hook_r * np.sin(theta)})
    return straight, hook


def umbrella_figure(ev):
    """The signature figure: canopy of the four lines of work, voorzorg as shaft, threats as weather."""
    panels = canopy_panels(ev)
    return umbrella_plot(panels, threat_coverage(ev), _code_names(ev).get(SHAFT, "Voorzorg"))


LEGEND_LABELS = {INSIDE: "Binnen het bereik (meer dan de helft van de oordelen)", OUTSIDE: "Buiten het bereik"}


def umbrella_plot(panels: pd.DataFrame, coverage: pd.DataFrame, shaft_label: str = "Voorzorg"):
    """Draw the umbrella from a panels table (:func:`canopy_panels`) and a coverage table (:func:`threat_coverage`)."""
    radius = CANOPY_RADIUS
    polygons = canopy_polygons(panels, radius)
    drops = weather_drops(coverage, radius)
    shaft, hook = _shaft(radius)
    fills = dict(zip(panels["label"], PANEL_GREYS))
    reach_lines = pd.DataFrame({"x": [-radius, radius], "y": [0.0, 0.0], "yend": [GROUND, GROUND]})
    extent = 2 * radius + 0.3
    top = max(2.0, float(drops["y"].max()) + 0.3) if len(drops) else 2.0
    text = {"family": FONT_FAMILY}
    present = [reach for reach in (INSIDE, OUTSIDE) if len(drops) and (drops["reach"] == reach).any()]
    plot = (
        ggplot()
        + geom_segment(drops, aes(x="x", xend="x", y="streak_top", yend="y"), linetype="dotted", color=MUTED, size=0.4)
        + geom_segment(reach_lines, aes(x="x", xend="x", y="y", yend="yend"), linetype="dashed", color=MUTED, size=0.5)
        + annotate("segment", x=-extent, xend=extent, y=GROUND, yend=GROUND, color=INK, size=0.6)
        + geom_path(shaft, aes(x="x", y="y"), color=INK, size=1.6)
        + geom_path(hook, aes(x="x", y="y"), color=INK, size=1.6)
        + geom_polygon(polygons, aes(x="x", y="y", group="label", fill="label"), color="white", size=0.8)
        + annotate("label", x=0, y=(GROUND + 0.32) / 2, label=shaft_label, angle=90, size=annotation_size(1.05), color=INK,
                   fill="white", label_size=0, fontstyle="italic", **text)
        + annotate("text", x=-radius, y=GROUND - 0.12, label="rand van het bereik", size=annotation_size(), color=MUTED, **text)
        + annotate("text", x=radius, y=GROUND - 0.12, label="rand van het bereik", size=annotation_size(), color=MUTED, **text)
        + geom_point(drops[drops["reach"] == INSIDE], aes(x="x", y="y", shape="reach"), size=3.2, fill=INK, color=INK)
        + geom_point(drops[drops["reach"] == OUTSIDE], aes(x="x", y="y", shape="reach"), size=3.2, fill="white",
                     color=INK, stroke=0.9)
        + geom_text(drops[drops["ha"] == "left"], aes(x="label_x", y="label_y", label="label"),
                    ha="left", size=annotation_size(), color=INK, lineheight=0.95, **text)
        + geom_text(drops[drops["ha"] == "right"], aes(x="label_x", y="label_y", label="label"),
                    ha="right", size=annotation_size(), color=INK, lineheight=0.95, **text)
        # The panels are named in a legend, left to right as on the canopy: at a legible size the names
        # no longer fit inside the narrow panels.
        + scale_fill_manual(values=fills, breaks=list(panels["label"]))
        + scale_shape_manual(
            values={INSIDE: "o", OUTSIDE: "v"},
            labels=[LEGEND_LABELS[reach] for reach in present],
            breaks=present,
        )
        # One fill per legend key: the legend shows only the kinds of drop the data hold.
        + guides(shape=guide_legend(override_aes={"fill": [INK if reach == INSIDE else "white" for reach in present]},
                                    order=2),
                 fill=guide_legend(nrow=1, order=1))
        + scale_x_continuous(limits=(-extent - 1.1, extent + 1.1), expand=(0, 0))
        + scale_y_continuous(limits=(GROUND - 0.25, top), expand=(0, 0))
        + coord_fixed()
        + theme(
            axis_text=element_blank(),
            axis_title=element_blank(),
            panel_grid_major=element_blank(),
            legend_box="vertical",
            figure_size=(6.5, 4.8),
        )
    )
    return plot


def _join(names: list[str]) -> str:
    if not names:
        return "geen enkele vorm van dreiging"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " en " + names[-1]


def umbrella_inside_phrase(ev) -> str:
    """The threats judged within reach by more than half of the judgements, as Dutch text (Markdown): 'verbale agressie en ...'."""
    coverage = threat_coverage(ev)
    inside = coverage[coverage["coverage"] > 0.5]
    return _join([markdown_text(_lower_first(n)) for n in inside["name"]])


def umbrella_outside_phrase(ev) -> str:
    """The threats judged beyond reach by at least half of the judgements, as Dutch text (Markdown)."""
    coverage = threat_coverage(ev)
    outside = coverage[coverage["coverage"] <= 0.5].sort_values("coverage")
    return _join([markdown_text(_lower_first(n)) for n in outside["name"]])


def canopy_panel_sentence(ev) -> str:
    """Two sentences (Markdown) on the widest and narrowest canopy panel, from the respondents mentioning each line of work."""
    from analysis.practice import count_phrase

    panels = canopy_panels(ev).sort_values("respondents", ascending=False, kind="stable")
    widest, narrowest = panels.iloc[0], panels.iloc[-1]
    base = len(ev.register)
    return (
        f"Het breedste paneel van het doek is {markdown_text(widest['label'].lower())}, genoemd door "
        f"{count_phrase(int(widest['respondents']), base, 'respondenten')}. "
        f"Het smalste is {markdown_text(narrowest['label'].lower())}, genoemd door "
        f"{count_phrase(int(narrowest['respondents']), base, 'respondenten')}."
    )
