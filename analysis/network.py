"""The network itself (chapter 3) and the kinds of protection (chapter 5).

The instruments and milestones of the Netwerk Weerbaar Bestuur are facts with
a public source, not survey or interview data: they live in the committed
table ``data/facts/nwb-instruments.csv``, one row per event with its source
as a key in ``references.bib``. This module validates that table strictly,
draws the timeline from it, hands single facts (such as the number of
partners) to the prose, and relates the protection codes of the interviews
to the respondent groups and the lines of work.

Public surface: ``load_instruments``, ``instrument_timeline_figure``,
``instrument_table``, ``instrument_fact``, ``instrument_date``,
``protection_matrix_table``, ``protection_profile_figure``,
``protection_worklines_table``, ``InstrumentTableError``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from functools import cache
from pathlib import Path

import pandas as pd
from plotnine import (
    aes,
    coord_flip,
    facet_grid,
    position_dodge,
    element_blank,
    geom_point,
    geom_segment,
    ggplot,
    guides,
    guide_legend,
    labs,
    scale_color_manual,
    scale_shape_manual,
    scale_x_date,
    scale_x_discrete,
    scale_y_discrete,
    theme,
)

from analysis.format import fmt_int, fmt_num
from analysis.measures import QUANTIFIER_SCALE, quantifier, respondents_per_code
from analysis.method import GROUP_LABELS, code_name, mention_words_table
from analysis.schemas import GROUPS
from analysis.paths import FACTS_DIR, REPO_ROOT
from analysis.theme import GROUP_COLOURS, PALETTE

__all__ = [
    "FACTS_DIR",
    "INSTRUMENTS_FILE",
    "REFERENCE_DATE",
    "InstrumentTableError",
    "instrument_date",
    "instrument_fact",
    "instrument_table",
    "instrument_timeline_figure",
    "load_instruments",
    "protection_by_group_table",
    "protection_instruments_table",
    "protection_matrix_table",
    "protection_profile_figure",
    "protection_profile_frame",
    "protection_phrase_both",
    "instrument_count",
    "instruments_per_kind",
    "source_label",
]

#: Committed, sourced facts about the network, found from the package location.
INSTRUMENTS_FILE = FACTS_DIR / "nwb-instruments.csv"
BIBLIOGRAPHY_FILE = REPO_ROOT / "references.bib"

#: The evaluation's reference date: instruments still running are drawn up to here.
REFERENCE_DATE = dt.date(2024, 5, 14)

INSTRUMENT_COLUMNS = (
    "id",
    "datum",
    "einddatum",
    "precisie",
    "soort",
    "werklijn",
    "beschermingsniveau",
    "beschermingssoort",
    "naam",
    "omschrijving",
    "kerngetal",
    "eenheid",
    "bron",
    "zekerheid",
)
PRECISIONS = ("dag", "maand", "seizoen", "jaar")
KINDS = ("mijlpaal", "instrument")
WORKLINES = ("bewustwording", "voorlichting", "ondersteuning", "nazorg", "voorzorg")
CERTAINTIES = ("V", "U")
#: The two dimensions of protection in chapter 5; the codebook has a code bescherming.<value> for each.
PROTECTION_LEVELS = ("individueel", "organisatorisch", "collectief")
PROTECTION_KINDS = ("fysiek", "psychosociaal", "juridisch", "normatief")

WORKLINE_LABELS = {
    "": "Mijlpaal van het netwerk",
    "bewustwording": "Bewustwording",
    "voorlichting": "Voorlichting",
    "ondersteuning": "Ondersteuning",
    "nazorg": "Nazorg",
    "voorzorg": "Voorzorg",
}
WORKLINE_COLOURS = {
    "Mijlpaal van het netwerk": PALETTE[4],
    "Bewustwording": PALETTE[1],
    "Voorlichting": PALETTE[3],
    "Ondersteuning": PALETTE[0],
    "Nazorg": PALETTE[0],
    "Voorzorg": PALETTE[2],
}
# Long corporate authors get the short name readers know them by.
SOURCE_SHORT_NAMES = {
    "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties": "BZK",
    "Minister van Binnenlandse Zaken en Koninkrijksrelaties": "Kamerstuk 28844, nr. 247",
    "Centrum voor Criminaliteitspreventie en Veiligheid": "CCV",
    "Interprovinciaal Overleg": "IPO",
    "Nederlands Genootschap van Burgemeesters": "NGB",
}
MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)
SEASONS_NL = {12: "winter", 1: "winter", 2: "winter", 3: "voorjaar", 4: "voorjaar", 5: "voorjaar",
              6: "zomer", 7: "zomer", 8: "zomer", 9: "najaar", 10: "najaar", 11: "najaar"}


class InstrumentTableError(ValueError):
    """The instruments table breaks a rule; the message names the file, the line and the rule."""


@cache
def _bibliography_keys(path: Path) -> frozenset[str]:
    text = path.read_text(encoding="utf-8")
    return frozenset(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", text))


def load_instruments(path: Path | None = None, bibliography: Path | None = None) -> pd.DataFrame:
    """Read and validate the instruments table; one row per event, sorted by date.

    Every row needs a known precision, kind and line of work, an ISO date,
    a numeric key figure when one is given, and a source that exists in the
    bibliography. The first broken rule stops the build with the file and line.
    """
    path = INSTRUMENTS_FILE if path is None else Path(path)
    bibliography = BIBLIOGRAPHY_FILE if bibliography is None else Path(bibliography)
    known_sources = _bibliography_keys(bibliography)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        if header != INSTRUMENT_COLUMNS:
            missing = [c for c in INSTRUMENT_COLUMNS if c not in header]
            unknown = [c for c in header if c not in INSTRUMENT_COLUMNS]
            raise InstrumentTableError(
                f"{path}: regel 1: de kolommen moeten precies {', '.join(INSTRUMENT_COLUMNS)} zijn"
                f" (ontbrekend: {', '.join(missing) or 'geen'}; onbekend: {', '.join(unknown) or 'geen'})"
            )
        rows = []
        seen_ids: set[str] = set()
        for line, raw in enumerate(reader, start=2):
            rows.append(_validated_row(raw, path, line, seen_ids, known_sources))
    if not rows:
        raise InstrumentTableError(f"{path}: de tabel bevat geen rijen")
    frame = pd.DataFrame(rows).sort_values(["datum", "id"], kind="stable").reset_index(drop=True)
    return frame


def _validated_row(raw: dict, path: Path, line: int, seen_ids: set[str], known_sources: frozenset[str]) -> dict:
    def fail(rule: str) -> InstrumentTableError:
        return InstrumentTableError(f"{path}: regel {line}: {rule}")

    if None in raw or any(value is None for value in raw.values()):
        raise fail(f"de rij heeft niet precies {len(INSTRUMENT_COLUMNS)} velden")
    row = {key: value.strip() for key, value in raw.items()}
    if not re.fullmatch(r"[a-z0-9_]+", row["id"]):
        raise fail(f"id {row['id']!r} mag alleen kleine letters, cijfers en _ bevatten")
    if row["id"] in seen_ids:
        raise fail(f"id {row['id']!r} komt twee keer voor")
    seen_ids.add(row["id"])
    try:
        row["datum"] = dt.date.fromisoformat(row["datum"])
    except ValueError:
        raise fail(f"datum {row['datum']!r} is geen datum in de vorm JJJJ-MM-DD") from None
    if row["einddatum"]:
        try:
            row["einddatum"] = dt.date.fromisoformat(row["einddatum"])
        except ValueError:
            raise fail(f"einddatum {row['einddatum']!r} is geen datum in de vorm JJJJ-MM-DD") from None
        if row["einddatum"] < row["datum"]:
            raise fail("einddatum ligt voor datum")
    else:
        row["einddatum"] = None
    for column, allowed in (("precisie", PRECISIONS), ("soort", KINDS), ("zekerheid", CERTAINTIES)):
        if row[column] not in allowed:
            raise fail(f"{column} {row[column]!r} is niet toegestaan; kies uit {', '.join(allowed)}")
    if row["werklijn"] and row["werklijn"] not in WORKLINES:
        raise fail(f"werklijn {row['werklijn']!r} is onbekend; kies uit {', '.join(WORKLINES)} of laat leeg")
    if row["soort"] == "instrument" and not row["werklijn"]:
        raise fail("een instrument hoort bij een werklijn; vul werklijn in")
    for column, allowed in (("beschermingsniveau", PROTECTION_LEVELS), ("beschermingssoort", PROTECTION_KINDS)):
        if row[column] and row[column] not in allowed:
            raise fail(f"{column} {row[column]!r} is onbekend; kies uit {', '.join(allowed)} of laat leeg")
        if row["soort"] == "instrument" and not row[column]:
            raise fail(f"een instrument biedt een vorm van bescherming; vul {column} in")
        if row["soort"] == "mijlpaal" and row[column]:
            raise fail(f"een mijlpaal is geen bescherming; laat {column} leeg")
    for column in ("naam", "omschrijving", "bron"):
        if not row[column]:
            raise fail(f"{column} is leeg; elk feit heeft een naam, een omschrijving en een bron")
    if row["bron"] not in known_sources:
        raise fail(f"bron {row['bron']!r} staat niet in references.bib")
    if row["kerngetal"]:
        try:
            row["kerngetal"] = float(row["kerngetal"])
        except ValueError:
            raise fail(f"kerngetal {row['kerngetal']!r} is geen getal (gebruik een punt als decimaalteken)") from None
        if not row["eenheid"]:
            raise fail("een kerngetal heeft een eenheid nodig")
    else:
        row["kerngetal"] = None
    return row


def _instrument_row(instruments: pd.DataFrame, key: str) -> pd.Series:
    match = instruments.loc[instruments["id"] == key]
    if match.empty:
        raise KeyError(f"{INSTRUMENTS_FILE.name}: geen rij met id {key!r}; bekend zijn {', '.join(instruments['id'])}")
    return match.iloc[0]


def instrument_fact(key: str, instruments: pd.DataFrame | None = None) -> str:
    """The key figure of one row for the prose, in Dutch notation: 'partners' -> '28'."""
    row = _instrument_row(load_instruments() if instruments is None else instruments, key)
    if row["kerngetal"] is None or pd.isna(row["kerngetal"]):
        raise ValueError(f"{INSTRUMENTS_FILE.name}: rij {key!r} heeft geen kerngetal")
    value = float(row["kerngetal"])
    return fmt_int(value) if value.is_integer() else fmt_num(value, 1)


def _dutch_date(date: dt.date, precision: str) -> str:
    if precision == "dag":
        return f"{date.day} {MONTHS_NL[date.month - 1]} {date.year}"
    if precision == "maand":
        return f"{MONTHS_NL[date.month - 1]} {date.year}"
    if precision == "seizoen":
        return f"{SEASONS_NL[date.month]} {date.year}"
    return str(date.year)


def instrument_date(key: str, instruments: pd.DataFrame | None = None) -> str:
    """The date of one row as Dutch text at the precision the source allows: '5 april 2018', 'najaar 2018'."""
    row = _instrument_row(load_instruments() if instruments is None else instruments, key)
    return _dutch_date(row["datum"], row["precisie"])


def source_label(key: str, bibliography: Path | None = None) -> str:
    """A short author-year label for a bibliography key, for tables where pandoc citations do not run: 'CCV (2019)'."""
    text = (BIBLIOGRAPHY_FILE if bibliography is None else Path(bibliography)).read_text(encoding="utf-8")
    entry = re.search(r"@\w+\s*\{\s*" + re.escape(key) + r"\s*,(.*?)\n\}", text, flags=re.S)
    if entry is None:
        raise KeyError(f"bron {key!r} staat niet in references.bib")
    body = entry.group(1)
    author = re.search(r"author\s*=\s*\{(.*)\},?\s*$", body, flags=re.M)
    when = re.search(r"^\s*(?:date|year)\s*=\s*\{(\d{4})", body, flags=re.M)
    name = author.group(1).strip("{}") if author else "z.a."
    first = name.split(" and ")[0].strip("{}")
    if "," in first and not first.startswith("{"):
        first = first.split(",")[0]
    return f"{SOURCE_SHORT_NAMES.get(first, first)} ({when.group(1) if when else 'z.j.'})"


def instrument_table(instruments: pd.DataFrame | None = None) -> pd.DataFrame:
    """The timeline as a table for the reader: date, name, line of work, description and source."""
    instruments = load_instruments() if instruments is None else instruments
    table = pd.DataFrame(
        {
            "Wanneer": [_dutch_date(d, p) for d, p in zip(instruments["datum"], instruments["precisie"])],
            "Instrument of mijlpaal": instruments["naam"],
            "Werklijn": [WORKLINE_LABELS[w] if w else "–" for w in instruments["werklijn"]],
            "Omschrijving": instruments["omschrijving"],
            "Bron": [source_label(key) for key in instruments["bron"]],
        }
    )
    return table.set_index("Wanneer")


def instrument_timeline_frame(instruments: pd.DataFrame | None = None) -> pd.DataFrame:
    """The plotting data of the timeline: one row per event, instruments running until they end or the reference date."""
    instruments = load_instruments() if instruments is None else instruments
    frame = pd.DataFrame(
        {
            "naam": instruments["naam"],
            "start": pd.to_datetime(instruments["datum"]),
            "soort": instruments["soort"].map({"mijlpaal": "Mijlpaal", "instrument": "Instrument"}),
            "werklijn": [WORKLINE_LABELS[w] for w in instruments["werklijn"]],
        }
    )
    ends = [end if end is not None else REFERENCE_DATE for end in instruments["einddatum"]]
    frame["eind"] = frame["start"].where(frame["soort"] == "Mijlpaal", pd.to_datetime(pd.Series(ends)))
    # Chronological from top to bottom: the earliest event gets the highest position.
    frame["naam"] = pd.Categorical(frame["naam"], categories=list(frame["naam"])[::-1], ordered=True)
    return frame


def instrument_timeline_figure(instruments: pd.DataFrame | None = None) -> ggplot:
    """Timeline of the network's milestones (diamonds) and instruments (dots with a bar while they run), coloured by line of work."""
    frame = instrument_timeline_frame(instruments)
    running = frame.loc[frame["soort"] == "Instrument"]
    colours = {label: WORKLINE_COLOURS[label] for label in frame["werklijn"].unique()}
    return (
        ggplot(frame, aes(y="naam"))
        + geom_segment(
            running, aes(x="start", xend="eind", y="naam", yend="naam", color="werklijn"), size=2.2, alpha=0.35
        )
        + geom_point(aes(x="start", color="werklijn", shape="soort"), size=3)
        + scale_color_manual(values=colours, name="Werklijn")
        + scale_shape_manual(values={"Mijlpaal": "D", "Instrument": "o"}, name="Soort")
        + scale_x_date(date_breaks="1 year", labels=lambda dates: [str(d.year) for d in dates])
        + scale_y_discrete()
        + labs(x="", y="")
        + guides(color=guide_legend(nrow=3), shape="none")
        + theme(figure_size=(6.5, 4.6), axis_title=element_blank(), panel_grid_major_y=element_blank())
    )


LEVEL_LABELS = {"individueel": "Individueel", "organisatorisch": "Organisatorisch", "collectief": "Collectief"}
KIND_LABELS = {"fysiek": "Fysiek", "psychosociaal": "Psychosociaal", "juridisch": "Juridisch", "normatief": "Normatief"}


def protection_by_group_table(ev) -> pd.DataFrame:
    """The seven protection codes x respondent groups, in quantifier words."""
    codes = [f"bescherming.{c}" for c in (*PROTECTION_LEVELS, *PROTECTION_KINDS)]
    return mention_words_table(ev, codes, row_label="Vorm van bescherming")


def _respondents_with(ev, code: str) -> set[str]:
    coded = ev.coded
    mask = (coded["code"] == code) | coded["code"].str.startswith(code + ".")
    return set(coded.loc[mask, "respondent"])


def protection_matrix_table(instruments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Level x kind of protection, each cell naming the network's instruments that offer it ('–' for none)."""
    instruments = load_instruments() if instruments is None else instruments
    table = {}
    for level in PROTECTION_LEVELS:
        row = {}
        for kind in PROTECTION_KINDS:
            names = instruments.loc[
                (instruments["beschermingsniveau"] == level) & (instruments["beschermingssoort"] == kind), "naam"
            ]
            row[KIND_LABELS[kind]] = "; ".join(names) if len(names) else "–"
        table[LEVEL_LABELS[level]] = row
    frame = pd.DataFrame.from_dict(table, orient="index")
    frame.index.name = "Niveau"
    return frame


def protection_profile_frame(ev) -> pd.DataFrame:
    """Per protection code and respondent group: the share of the group naming it and its quantifier word (plotting data)."""
    codes = [f"bescherming.{c}" for c in (*PROTECTION_LEVELS, *PROTECTION_KINDS)]
    counts = respondents_per_code(ev, codes, by="group")
    base = counts.attrs["base"]
    rows = []
    for code in codes:
        for group in GROUPS:
            value = counts.loc[code, group] if group in counts.columns else pd.NA
            if pd.isna(value):
                continue  # withheld under disclosure control
            rows.append(
                {
                    "code": code,
                    "Bescherming": code_name(ev, code),
                    "Dimensie": "Niveau" if code.split(".")[1] in PROTECTION_LEVELS else "Soort",
                    "group": group,
                    "Groep": GROUP_LABELS[group],
                    "aandeel": int(value) / base[group],
                    "woord": quantifier(int(value), base[group]),
                }
            )
    frame = pd.DataFrame(rows)
    frame["Bescherming"] = pd.Categorical(frame["Bescherming"], categories=[code_name(ev, c) for c in codes][::-1], ordered=True)
    frame["Groep"] = pd.Categorical(frame["Groep"], categories=[GROUP_LABELS[g] for g in GROUPS], ordered=True)
    frame["Dimensie"] = pd.Categorical(frame["Dimensie"], categories=["Niveau", "Soort"], ordered=True)
    return frame


def protection_profile_figure(ev) -> ggplot:
    """Dot chart of how widely each respondent group names each kind of protection; the axis reads in quantifier words, not percentages."""
    frame = protection_profile_frame(ev)
    # The value axis is the ordered scale of quantifier words itself, so the
    # figure shows exactly what the prose says and no spurious precision.
    frame["woord"] = pd.Categorical(frame["woord"], categories=list(QUANTIFIER_SCALE), ordered=True)
    colours = {GROUP_LABELS[g]: GROUP_COLOURS[g] for g in GROUPS}
    dodge = position_dodge(width=0.7)
    return (
        ggplot(frame, aes(x="Bescherming", y="woord", color="Groep", shape="Groep", group="Groep"))
        + geom_point(size=2.6, position=dodge)
        + facet_grid("Dimensie ~ .", scales="free_y", space="free_y")
        + scale_color_manual(values=colours)
        + scale_shape_manual(values=dict(zip(colours, ("o", "s", "^", "D"))))
        + scale_y_discrete(drop=False, labels=lambda words: [w.replace(" ", "\n") for w in words])
        + scale_x_discrete(labels=lambda names: [n.replace(" ", "\n", 1) for n in names])
        + coord_flip()
        + labs(x="", y="")
        + guides(color=guide_legend(nrow=2), shape=guide_legend(nrow=2))
        + theme(figure_size=(6.5, 4.6), axis_title=element_blank(), legend_title=element_blank())
    )


def protection_instruments_table(instruments: pd.DataFrame | None = None) -> pd.DataFrame:
    """The network's instruments by level and kind of protection they offer (index: instrument)."""
    instruments = load_instruments() if instruments is None else instruments
    rows = instruments[instruments["soort"] == "instrument"]
    table = pd.DataFrame(
        {
            "Instrument": rows["naam"],
            "Werklijn": [WORKLINE_LABELS[w] for w in rows["werklijn"]],
            "Niveau": [LEVEL_LABELS[v] for v in rows["beschermingsniveau"]],
            "Soort bescherming": [KIND_LABELS[v] for v in rows["beschermingssoort"]],
        }
    )
    return table.set_index("Instrument")


def protection_phrase_both(ev, level: str, kind: str) -> str:
    """Quantifier word for the respondents naming both a level and a kind of protection: 'enkele'."""
    if level not in PROTECTION_LEVELS or kind not in PROTECTION_KINDS:
        raise KeyError(f"level must be one of {', '.join(PROTECTION_LEVELS)} and kind one of {', '.join(PROTECTION_KINDS)}")
    both = _respondents_with(ev, f"bescherming.{level}") & _respondents_with(ev, f"bescherming.{kind}")
    return quantifier(len(both), len(ev.register))


def instruments_per_kind(kind: str, instruments: pd.DataFrame | None = None) -> str:
    """How many of the network's instruments offer a kind (or level) of protection, formatted; 'geen' for none."""
    instruments = load_instruments() if instruments is None else instruments
    if kind not in (*PROTECTION_LEVELS, *PROTECTION_KINDS):
        raise KeyError(f"unknown kind of protection {kind!r}")
    column = "beschermingsniveau" if kind in PROTECTION_LEVELS else "beschermingssoort"
    count = int((instruments[column] == kind).sum())
    return "geen" if count == 0 else fmt_int(count)


def instrument_count(instruments: pd.DataFrame | None = None) -> str:
    """Number of instruments (not milestones) in the facts table, formatted."""
    instruments = load_instruments() if instruments is None else instruments
    return fmt_int(int((instruments["soort"] == "instrument").sum()))
