"""The nature of the threat (chapter 4): published trend, survey shares with intervals, what respondents see.

Survey numbers always come with their Wilson 95% interval from
:func:`analysis.measures.survey_shares`; interview findings come as words.

Public surface: ``threat_trend_figure``, ``trend_share``, ``trend_share_text``,
``aggression_share``, ``share_text``, ``interval_text``, ``aggression_share_table``,
``aggression_share_figure``, ``threat_types_figure``, ``threat_types_table``,
``consequences_table``, ``threat_forms_table``, ``threat_change_table``.
"""

from __future__ import annotations

import pandas as pd
from plotnine import (
    aes,
    coord_flip,
    geom_errorbar,
    geom_errorbarh,
    geom_line,
    geom_point,
    geom_text,
    ggplot,
    guide_legend,
    guides,
    labs,
    position_dodge,
    scale_color_manual,
    scale_x_continuous,
    scale_y_continuous,
    theme,
    element_blank,
)

from analysis import sdc
from analysis.format import fmt_int, fmt_share
from analysis.paths import FACTS_DIR
from analysis.measures import survey_shares
from analysis.method import FUNCTION_NAMES, mention_words_table
from analysis.schemas import SURVEY_FUNCTIONS, SURVEY_VARIABLES
from analysis.theme import FUNCTION_COLOURS, FUNCTION_LABELS, annotation_size, dutch_percent_labels

__all__ = [
    "THREAT_FORM_CODES",
    "MONITOR_2022_FILE",
    "aggression_share",
    "published_share",
    "published_share_text",
    "survey_vs_monitor_table",
    "aggression_share_figure",
    "aggression_share_table",
    "consequences_table",
    "interval_text",
    "share_text",
    "threat_change_table",
    "threat_forms_table",
    "threat_trend_figure",
    "threat_types_figure",
    "threat_types_table",
    "trend_share",
    "trend_share_text",
]

TREND_LABELS = {
    "burgemeesters": "Burgemeesters",
    "wethouders": "Wethouders",
    "raadsleden": "Raadsleden",
    "alle decentrale ambtsdragers": "Alle decentrale ambtsdragers",
}

THREAT_FORM_CODES = (
    "dreiging.verbaal",
    "dreiging.bedreiging",
    "dreiging.fysiek",
    "dreiging.online",
    "dreiging.ondermijning",
    "dreiging.binnen",
    "dreiging.integriteit",
    "dreiging.sociale_onveiligheid",
)

TYPE_VARIABLES = {
    "verbaal": "Verbale agressie",
    "verbaal_online": "Verbale agressie online",
    "bedreiging": "Bedreiging of intimidatie",
    "fysiek": "Fysiek geweld",
}

CONSEQUENCE_VARIABLES = {
    "aangifte": "Deed aangifte van het (ernstigste) incident",
    "gevolgen": "Ondervond negatieve gevolgen",
    "sociale_media_aangepast": "Paste het eigen gebruik van sociale media aan",
    "besluitvorming_beinvloed": "Denkt dat het risico de besluitvorming beïnvloedt",
    "eigen_keuzes_beinvloed": "Zegt dat agressie de eigen keuzes beïnvloedt",
    "overweegt_stoppen": "Overweegt te stoppen",
}

GROUP_ROW_LABELS = {**{f: FUNCTION_NAMES[f][1].capitalize() for f in SURVEY_FUNCTIONS}, "totaal": "Alle respondenten"}


def _trend_group(group: str) -> str:
    if group not in TREND_LABELS:
        raise KeyError(f"unknown trend group {group!r}; groups: {', '.join(TREND_LABELS)}")
    return group


def trend_share(ev, year: int, group: str = "alle decentrale ambtsdragers") -> float:
    """The published share of office holders reporting aggression in one monitor year (0-1)."""
    trend = ev.trend
    match = trend[(trend["year"] == year) & (trend["group"] == _trend_group(group))]
    if match.empty:
        raise KeyError(f"no trend figure for {group!r} in {year}; years: {', '.join(map(str, sorted(trend['year'].unique())))}")
    return float(match["share"].iloc[0])


def trend_share_text(ev, year: int, group: str = "alle decentrale ambtsdragers") -> str:
    """A trend share for the prose: '29%', or 'ongeveer 33%' when the source gives an approximation."""
    trend = ev.trend
    match = trend[(trend["year"] == year) & (trend["group"] == _trend_group(group))]
    text = fmt_share(trend_share(ev, year, group))
    approximate = "approximate" in trend.columns and bool(match["approximate"].iloc[0])
    return f"ongeveer {text}" if approximate else text


def threat_trend_figure(ev) -> ggplot:
    """Lines of the published share reporting aggression per monitor year and group; approximate values hollow."""
    trend = ev.trend.copy()
    trend["Groep"] = pd.Categorical(trend["group"].map(TREND_LABELS), categories=list(TREND_LABELS.values()), ordered=True)
    approximate = trend["approximate"].astype(bool) if "approximate" in trend.columns else pd.Series(False, index=trend.index)
    trend["Benadering"] = approximate.map({True: "benaderd cijfer", False: "gepubliceerd cijfer"})
    years = sorted(trend["year"].unique())
    colours = {label: FUNCTION_COLOURS[label] for label in trend["Groep"].cat.categories}
    return (
        ggplot(trend, aes("year", "share", color="Groep", group="Groep"))
        + geom_line(size=1)
        + geom_point(trend[~approximate], size=2.6)
        + geom_point(trend[approximate], size=2.6, fill="white", stroke=1.2)
        + scale_color_manual(values=colours)
        + scale_x_continuous(breaks=years, labels=[str(y) for y in years])
        + scale_y_continuous(labels=dutch_percent_labels, limits=(0, 1), breaks=[0, 0.2, 0.4, 0.6, 0.8, 1.0])
        + labs(x="Jaar van de monitor", y="Aandeel dat agressie meemaakte")
        + guides(color=guide_legend(nrow=2))
    )


def _shares(ev, variable: str) -> pd.DataFrame:
    return survey_shares(ev, variable).set_index("group")


def aggression_share(ev, function: str = "totaal", variable: str = "agressie") -> float:
    """Weighted survey share (0-1) answering yes on a variable, for one function or 'totaal'."""
    table = _shares(ev, variable)
    if function not in table.index:
        raise KeyError(f"no survey group {function!r}; groups: {', '.join(table.index)}")
    return float(table.loc[function, "share"])


def share_text(ev, function: str = "totaal", variable: str = "agressie") -> str:
    """A survey share for the prose: '77%'; withheld groups read 'niet te publiceren'."""
    table = _shares(ev, variable)
    if table.loc[function, "status"] == sdc.SECONDARY:
        return "niet te publiceren (dan viel een kleinere groep terug te rekenen)"
    if bool(table.loc[function, "suppressed"]):
        return "niet te publiceren (te weinig respondenten)"
    return fmt_share(float(table.loc[function, "share"]))


def interval_text(ev, function: str = "totaal", variable: str = "agressie") -> str:
    """The Wilson 95% interval of a survey share for the prose: '73%-80%' (en dash)."""
    table = _shares(ev, variable)
    if bool(table.loc[function, "suppressed"]):
        return "niet te publiceren"
    return f"{fmt_share(float(table.loc[function, 'ci_low']))}–{fmt_share(float(table.loc[function, 'ci_high']))}"


def _share_row(table: pd.DataFrame, group: str) -> tuple[str, str, str]:
    """Respondents, share and interval of one group as the tables show them; a withheld group shows neither."""
    row = table.loc[group]
    respondents = sdc.cell_text(int(row["n"]), row["status"], fmt_int)
    if bool(row["suppressed"]):
        return (respondents, "–", "–")
    return (
        respondents,
        fmt_share(float(row["share"])),
        f"{fmt_share(float(row['ci_low']))}–{fmt_share(float(row['ci_high']))}",
    )


def aggression_share_table(ev, variable: str = "agressie") -> pd.DataFrame:
    """Share with Wilson 95% interval per function and in total (index: function)."""
    table = _shares(ev, variable)
    rows = [(GROUP_ROW_LABELS[g], *_share_row(table, g)) for g in table.index]
    return pd.DataFrame(rows, columns=["Functie", "Respondenten", "Aandeel", "95%-interval"]).set_index("Functie")


def aggression_share_figure(ev, variable: str = "agressie") -> ggplot:
    """Dot-and-whisker chart of the share per function with its Wilson 95% interval."""
    table = survey_shares(ev, variable, total=False)
    table = table[~table["suppressed"]].copy()
    table["Functie"] = pd.Categorical(
        table["group"].map(lambda g: FUNCTION_LABELS[g]),
        categories=[FUNCTION_LABELS[f] for f in reversed(SURVEY_FUNCTIONS)],
        ordered=True,
    )
    table["label"] = table["share"].map(fmt_share)
    colours = {FUNCTION_LABELS[f]: FUNCTION_COLOURS[FUNCTION_LABELS[f]] for f in SURVEY_FUNCTIONS}
    return (
        ggplot(table, aes(y="Functie", x="share", color="Functie"))
        + geom_errorbarh(aes(xmin="ci_low", xmax="ci_high"), height=0.2, size=0.9)
        + geom_point(size=3.2)
        + geom_text(aes(label="label"), nudge_y=0.3, size=annotation_size(), color="#1A1A1A")
        + scale_color_manual(values=colours, guide=None)
        + scale_x_continuous(labels=dutch_percent_labels, limits=(0, 1), breaks=[0, 0.2, 0.4, 0.6, 0.8, 1.0])
        + labs(x="Aandeel dat agressie meemaakte (met 95%-interval)", y="")
        + theme(figure_size=(6.5, 2.8), axis_title_y=element_blank(), legend_position="none")
    )


def threat_types_frame(ev) -> pd.DataFrame:
    """Long table of the share per form of aggression and function, with intervals (plotting data)."""
    frames = []
    for variable, label in TYPE_VARIABLES.items():
        part = survey_shares(ev, variable, total=False)
        part = part[~part["suppressed"]].assign(Vorm=label)
        frames.append(part)
    frame = pd.concat(frames, ignore_index=True)
    frame["Vorm"] = pd.Categorical(frame["Vorm"], categories=list(TYPE_VARIABLES.values())[::-1], ordered=True)
    frame["Functie"] = pd.Categorical(
        frame["group"].map(lambda g: FUNCTION_LABELS[g]), categories=[FUNCTION_LABELS[f] for f in SURVEY_FUNCTIONS], ordered=True
    )
    return frame


def threat_types_figure(ev) -> ggplot:
    """Share per form of aggression and function, dots with Wilson 95% intervals, dodged per function."""
    frame = threat_types_frame(ev)
    # Dodging works along x, so the chart is drawn vertically and flipped.
    frame["Functie"] = frame["Functie"].cat.reorder_categories(list(frame["Functie"].cat.categories)[::-1], ordered=True)
    dodge = position_dodge(width=0.6)
    colours = {FUNCTION_LABELS[f]: FUNCTION_COLOURS[FUNCTION_LABELS[f]] for f in SURVEY_FUNCTIONS}
    return (
        ggplot(frame, aes(x="Vorm", y="share", color="Functie", group="Functie"))
        + geom_errorbar(aes(ymin="ci_low", ymax="ci_high"), width=0.0, size=0.9, position=dodge)
        + geom_point(size=2.4, position=dodge)
        + scale_color_manual(values=colours, breaks=[FUNCTION_LABELS[f] for f in SURVEY_FUNCTIONS])
        + scale_y_continuous(labels=dutch_percent_labels, limits=(0, 1), breaks=[0, 0.2, 0.4, 0.6, 0.8, 1.0])
        + coord_flip()
        + labs(y="Aandeel (met 95%-interval)", x="")
        + theme(figure_size=(6.5, 3.8), axis_title_y=element_blank())
    )


def _variable_table(ev, variables: dict[str, str], row_label: str) -> pd.DataFrame:
    rows = {}
    for variable, label in variables.items():
        table = _shares(ev, variable)
        row = {}
        for group in table.index:
            _n, share, interval = _share_row(table, group)
            row[GROUP_ROW_LABELS[group]] = share if share == "–" else f"{share} ({interval})"
        rows[label] = row
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = row_label
    return frame


def threat_types_table(ev) -> pd.DataFrame:
    """Share per form of aggression, per function and in total, each with its 95% interval in brackets."""
    return _variable_table(ev, TYPE_VARIABLES, "Vorm van agressie")


def consequences_table(ev) -> pd.DataFrame:
    """Reporting, consequences and effects on the office, per function and in total, with 95% intervals.

    Reporting and consequences were asked only of those who experienced aggression.
    """
    return _variable_table(ev, CONSEQUENCE_VARIABLES, "Reactie of gevolg")


def threat_forms_table(ev) -> pd.DataFrame:
    """Forms of threat x respondent group, in quantifier words from the coded interviews."""
    return mention_words_table(ev, THREAT_FORM_CODES, row_label="Vorm van dreiging")


def threat_change_table(ev) -> pd.DataFrame:
    """Change from outside and from within local politics x respondent group, in quantifier words."""
    return mention_words_table(ev, ("verandering.van_buiten", "verandering.van_binnen"), row_label="Verandering")


def survey_question(variable: str) -> str:
    """The survey question behind a variable, from the schema, for footnotes and captions."""
    for spec in SURVEY_VARIABLES:
        if spec.name == variable:
            return spec.question
    raise KeyError(f"unknown survey variable {variable!r}")


#: Published indicators of the 2022 monitor, one row per indicator with its source.
MONITOR_2022_FILE = FACTS_DIR / "monitor-2022.csv"


def _monitor_2022() -> pd.DataFrame:
    table = pd.read_csv(MONITOR_2022_FILE, dtype={"indicator": str, "base": str, "source": str})
    missing = {"indicator", "share", "base", "approximate", "source"} - set(table.columns)
    if missing:
        raise ValueError(f"{MONITOR_2022_FILE}: missing columns {', '.join(sorted(missing))}")
    return table.set_index("indicator")


def published_share(indicator: str) -> float:
    """A published 2022 monitor share (0-1) from the facts table, e.g. 'fysiek' -> 0.03."""
    table = _monitor_2022()
    if indicator not in table.index:
        raise KeyError(f"{MONITOR_2022_FILE.name}: no indicator {indicator!r}; known: {', '.join(table.index)}")
    return float(table.loc[indicator, "share"])


def published_share_text(indicator: str) -> str:
    """A published 2022 monitor share for the prose: '45%', or 'ongeveer 25%' when the source rounds."""
    table = _monitor_2022()
    text = fmt_share(published_share(indicator))
    approximate = str(table.loc[indicator, "approximate"]).strip().lower() == "true"
    return f"ongeveer {text}" if approximate else text


def survey_vs_monitor_table(ev) -> pd.DataFrame:
    """The survey's total share next to the published 2022 monitor figure, per indicator (index: indicator)."""
    table = _monitor_2022()
    labels = {**TYPE_VARIABLES, **CONSEQUENCE_VARIABLES}
    rows = []
    for indicator in table.index:
        if indicator not in labels:
            continue
        shares = _shares(ev, indicator)
        _n, share, interval = _share_row(shares, "totaal")
        rows.append((labels[indicator], share if share == "–" else f"{share} ({interval})", published_share_text(indicator), table.loc[indicator, "base"]))
    return pd.DataFrame(
        rows, columns=["Indicator", "Deze enquête (95%-interval)", "Monitor 2022 (gepubliceerd)", "Basis in de monitor"]
    ).set_index("Indicator")
