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
    element_blank,
    element_text,
    geom_point,
    geom_segment,
    ggplot,
    guides,
    guide_legend,
    labs,
    scale_color_manual,
    scale_shape_manual,
    scale_x_date,
    scale_y_discrete,
    theme,
)

from analysis.format import fmt_int, fmt_num
from analysis.paths import FACTS_DIR, REPO_ROOT
from analysis.theme import MUTED, PALETTE

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
        + guides(color=guide_legend(nrow=2), shape="none")
        + theme(figure_size=(6.5, 4.6), axis_title=element_blank(), panel_grid_major_y=element_blank())
    )
