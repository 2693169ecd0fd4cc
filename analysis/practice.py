"""What the network does and achieves (chapter 6), from the coded interviews.

Per line of work: which respondents mention it and how they judge it. A
judgement counts when ``waardering.positief`` or ``waardering.negatief`` is
coded on the same segment as the ``werklijn.*`` code; counts are of
respondents, never of segments. Findings go into the prose as quantifier
words, never as percentages of the interviews. Groups below the disclosure
threshold are withheld.

Public surface: ``workline_appreciation``, ``workline_appreciation_figure``,
``workline_experience_table``, ``workline_sentence``,
``workline_group_contrast``, ``awareness_sentence``, ``awareness_figure``,
``awareness_frame``, ``count_phrase``, ``conclusion_appreciation_sentence``,
``conclusion_awareness_sentence``.
"""

from __future__ import annotations

import pandas as pd
from plotnine import (
    aes,
    coord_flip,
    facet_wrap,
    geom_col,
    geom_hline,
    geom_text,
    ggplot,
    guide_legend,
    guides,
    labs,
    position_dodge,
    scale_fill_manual,
    scale_x_discrete,
    scale_y_continuous,
    theme,
)

from analysis import sdc
from analysis.markdown import markdown_text
from analysis.measures import QUANTIFIER_SCALE, TOTAL, WITHHELD_WORD, group_sizes, quantifier
from analysis.schemas import GROUPS
from analysis.theme import FONT_FAMILY, INK, PALETTE, annotation_size

__all__ = [
    "GROUP_NOUNS",
    "WORKLINE_CODES",
    "awareness_figure",
    "awareness_frame",
    "awareness_sentence",
    "conclusion_appreciation_sentence",
    "conclusion_awareness_sentence",
    "count_phrase",
    "workline_appreciation",
    "workline_appreciation_figure",
    "workline_experience_table",
    "workline_group_contrast",
    "workline_sentence",
    "whole_number_breaks",
]

WORKLINE_CODES: tuple[str, ...] = (
    "werklijn.bewustwording",
    "werklijn.voorlichting",
    "werklijn.ondersteuning",
    "werklijn.nazorg",
    "werklijn.voorzorg",
)

#: How the prose names each respondent group (and all respondents together).
GROUP_NOUNS: dict[str, str] = {
    TOTAL: "respondenten",
    "actieve deelnemer": "actieve deelnemers",
    "critical friend": "critical friends",
    "criticaster": "criticasters",
    "onbekend met het netwerk": "ambtsdragers die het netwerk niet kenden",
}

GROUP_AXIS_LABELS: dict[str, str] = {
    "actieve deelnemer": "Actieve deelnemers",
    "critical friend": "Critical friends",
    "criticaster": "Criticasters",
    "onbekend met het netwerk": "Onbekend met\nhet netwerk",
}

# Quantifiers that read as a share of a definite group take "van de": "een minderheid van de criticasters".
_PARTITIVE = {"ongeveer de helft", "een minderheid"}

POSITIVE = "Positief oordeel"
NEGATIVE = "Kritisch oordeel"


def count_phrase(count: int, base: int, noun: str, *, start: bool = False) -> str:
    """Noun phrase with a quantifier word: 'de meeste criticasters', 'een minderheid van de respondenten', 'geen ...'."""
    word = quantifier(count, base)
    phrase = f"{word} van de {noun}" if word in _PARTITIVE else f"{word} {noun}"
    return phrase[:1].upper() + phrase[1:] if start else phrase


def _code_names(ev) -> dict[str, str]:
    return dict(zip(ev.codebook["code"], ev.codebook["name"]))


def _segment_codes(ev) -> pd.DataFrame:
    """One row per segment of the analysis set: its respondent and the set of codes on it (computed once)."""

    def compute() -> pd.DataFrame:
        coded = ev.coded
        codes = coded.groupby("segment")["code"].agg(frozenset)
        respondent = coded.drop_duplicates("segment").set_index("segment")["respondent"]
        return pd.DataFrame({"respondent": respondent, "codes": codes})

    return ev.derived("segment_codes", compute)


def _with_descendants(code: str, codes: frozenset[str]) -> bool:
    return any(c == code or c.startswith(code + ".") for c in codes)


def workline_appreciation(ev) -> pd.DataFrame:
    """Respondents per line of work and group: mentioning it, judging it positively, judging it critically.

    Columns: ``code``, ``name``, ``group`` (each respondent group and
    ``totaal``), ``base`` (respondents in the group), ``mentioned``,
    ``positive``, ``negative``, ``withheld`` (True when the group is below the
    disclosure threshold; its counts are then ``<NA>``).
    """
    segments = _segment_codes(ev)
    names = _code_names(ev)
    membership = ev.register.set_index("respondent")["group"]
    sizes = group_sizes(ev, "group")
    rows = []
    for code in WORKLINE_CODES:
        on_line = segments[segments["codes"].map(lambda cs: _with_descendants(code, cs))]
        positive = set(on_line.loc[on_line["codes"].map(lambda cs: "waardering.positief" in cs), "respondent"])
        negative = set(on_line.loc[on_line["codes"].map(lambda cs: "waardering.negatief" in cs), "respondent"])
        mentioned = set(on_line["respondent"])
        for group in sizes.index:
            base = int(sizes[group])
            members = set(membership.index) if group == TOTAL else set(membership.index[membership == group])
            visible = sdc.allowed(base, "workline_appreciation", str(group))
            counts = [len(s & members) if visible else pd.NA for s in (mentioned, positive, negative)]
            rows.append((code, names.get(code, code), group, base, *counts, not visible))
    table = pd.DataFrame(
        rows, columns=["code", "name", "group", "base", "mentioned", "positive", "negative", "withheld"]
    )
    for column in ("mentioned", "positive", "negative"):
        table[column] = table[column].astype("Int64")
    return table


def _balance(positive: int, negative: int) -> str:
    if positive == 0 and negative == 0:
        return "geen oordeel"
    if positive >= 2 * negative:
        return "overwegend positief"
    if negative >= 2 * positive:
        return "overwegend kritisch"
    return "gemengd"


def workline_experience_table(ev) -> pd.DataFrame:
    """Lines of work x respondent groups: how many mention the line (in words) and how they judge it.

    Each cell reads 'de meeste; overwegend positief'. Withheld groups show '–'.
    """
    table = workline_appreciation(ev)
    columns = [g for g in (*GROUPS, TOTAL) if g in set(table["group"])]
    out = {}
    for code, part in table.groupby("code", sort=False):
        row = {}
        for _, cell in part.set_index("group").loc[columns].iterrows():
            label = "Alle respondenten" if cell.name == TOTAL else GROUP_AXIS_LABELS[cell.name].replace("\n", " ")
            if cell["withheld"]:
                row[label] = "–"
                continue
            word = quantifier(int(cell["mentioned"]), int(cell["base"]))
            verdict = _balance(int(cell["positive"]), int(cell["negative"]))
            row[label] = word if word == "geen" else f"{word}; {verdict}"
        out[part["name"].iloc[0]] = row
    frame = pd.DataFrame.from_dict(out, orient="index")
    frame.index.name = "Werklijn"
    return frame


def _scale_position(count: int, base: int) -> int:
    """Where a count lands on the scale of quantifier words: 0 for 'geen' up to 6 for 'alle'."""
    return QUANTIFIER_SCALE.index(quantifier(count, base))


def _word_axis(values) -> list[str]:
    return [QUANTIFIER_SCALE[abs(int(round(v)))] if abs(v) < len(QUANTIFIER_SCALE) else "" for v in values]


def workline_appreciation_figure(ev):
    """Per line of work and respondent group, how many judge it positively (right) and critically (left), in words.

    The bars run along the scale of quantifier words of the prose, not along
    counts: in groups of about ten, every count is a count of fewer persons
    than the disclosure threshold.
    """
    table = workline_appreciation(ev)
    table = table[(table["group"] != TOTAL) & ~table["withheld"]]

    def scaled(column: str, sign: int) -> list[int]:
        return [sign * _scale_position(int(count), int(base)) for count, base in zip(table[column], table["base"])]

    long = pd.concat(
        [
            table.assign(judgement=POSITIVE, scale=scaled("positive", 1)),
            table.assign(judgement=NEGATIVE, scale=scaled("negative", -1)),
        ]
    )
    long["group_label"] = pd.Categorical(
        long["group"].map(GROUP_AXIS_LABELS),
        categories=[GROUP_AXIS_LABELS[g] for g in reversed(GROUPS)],
    )
    long["line"] = pd.Categorical(long["name"], categories=[n for n in table["name"].drop_duplicates()])
    long["text"] = long["scale"].abs().map(lambda position: QUANTIFIER_SCALE[position])
    long["nudge"] = long["scale"] + long["scale"].map(lambda v: 0.25 if v > 0 else -0.25)
    right, left = long[long["scale"] > 0], long[long["scale"] < 0]
    top = len(QUANTIFIER_SCALE) - 1
    limit = top + 4.5  # room for the word beside the longest bar
    return (
        ggplot(long, aes(x="group_label", y="scale", fill="judgement"))
        + geom_hline(yintercept=0, color=INK, size=0.4)
        + geom_col(width=0.7)
        + geom_text(right, aes(y="nudge", label="text"), ha="left", size=annotation_size(), color=INK, family=FONT_FAMILY)
        + geom_text(left, aes(y="nudge", label="text"), ha="right", size=annotation_size(), color=INK, family=FONT_FAMILY)
        + coord_flip()
        + facet_wrap("line", ncol=1)
        + scale_fill_manual(values={POSITIVE: PALETTE[0], NEGATIVE: PALETTE[1]}, breaks=[NEGATIVE, POSITIVE])
        + scale_y_continuous(limits=(-limit, limit), breaks=[-top, 0, top], labels=_word_axis)
        + scale_x_discrete()
        + labs(x="", y="Respondenten in de groep (kritisch links, positief rechts)")
        + theme(figure_size=(6.5, 8.4))
    )


def whole_number_breaks(limits: tuple[float, float]) -> list[int]:
    """Axis breaks on whole respondents: counts of people have no decimals."""
    top = int(limits[1])
    step = max(1, -(-top // 5))
    return list(range(0, top + 1, step))


def _cell(table: pd.DataFrame, code: str, group: str) -> pd.Series:
    return table[(table["code"] == code) & (table["group"] == group)].iloc[0]


#: Quantifier words as pronouns ("van hen ... de meesten"), with whether the verb is singular.
_PRONOUNS: dict[str, tuple[str, bool]] = {
    "alle": ("allen", False),
    "vrijwel alle": ("vrijwel allen", False),
    "de meeste": ("de meesten", False),
    "ongeveer de helft": ("ongeveer de helft", True),
    "een minderheid": ("een minderheid", True),
    "enkele": ("enkelen", False),
    "geen": ("niemand", True),
    WITHHELD_WORD: (WITHHELD_WORD, True),
}


def _among(count: int, base: int, singular: str, plural: str) -> str:
    """'oordelen de meesten', 'oordeelt niemand': verb and pronoun quantity in agreement, verb first (inversion)."""
    pronoun, is_singular = _PRONOUNS[quantifier(count, base)]
    return f"{singular if is_singular else plural} {pronoun}"


def _verb(count: int, base: int, singular: str, plural: str) -> str:
    """The verb form that agrees with a quantifier subject: 'een minderheid ... noemt', 'de meeste ... noemen'."""
    return singular if _PRONOUNS[quantifier(count, base)][1] else plural


def workline_sentence(ev, code: str) -> str:
    """One sentence on a line of work (Markdown): how many respondents mention it and how those judge it."""
    if code not in WORKLINE_CODES:
        raise KeyError(f"no line of work {code!r}; lines: {', '.join(WORKLINE_CODES)}")
    table = workline_appreciation(ev)
    total = _cell(table, code, TOTAL)
    name = markdown_text(total["name"].lower())
    mentioned, positive, negative = int(total["mentioned"]), int(total["positive"]), int(total["negative"])
    subject = count_phrase(mentioned, int(total["base"]), GROUP_NOUNS[TOTAL], start=True)
    if mentioned == 0:
        return f"Geen van de respondenten noemt {name} in het gesprek."
    verb = _verb(mentioned, int(total["base"]), "noemt", "noemen")
    return (
        f"{subject} {verb} {name} in het gesprek; "
        f"van hen {_among(positive, mentioned, 'is', 'zijn')} er positief over "
        f"en {_among(negative, mentioned, 'is', 'zijn')} kritisch."
    )


def _leading_groups(part: pd.DataFrame, column: str) -> list[str]:
    """The groups with the most respondents in ``column``; ties are all named, in the canonical group order."""
    counts = part.set_index("group")[column].astype(int)
    top = counts.max()
    return [g for g in GROUPS if g in counts.index and counts[g] == top] if top > 0 else []


def _group_list(groups: list[str]) -> str:
    names = [f"de {GROUP_NOUNS[g]}" for g in groups]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def workline_group_contrast(ev, code: str) -> str:
    """One sentence naming the group(s) with the most positive and the most critical respondents on a line of work.

    Counts, not shares, decide: with groups of about ten, one positive
    respondent out of one mention would otherwise outrank six out of eight.
    """
    table = workline_appreciation(ev)
    part = table[(table["code"] == code) & (table["group"] != TOTAL) & ~table["withheld"]]
    if part.empty or int(part["mentioned"].astype(int).sum()) == 0:
        return "Geen van de respondentgroepen spreekt zich over deze werklijn uit."
    positive, critical = _leading_groups(part, "positive"), _leading_groups(part, "negative")
    if not positive and not critical:
        return "Uitgesproken oordelen over deze werklijn geven de respondenten niet."
    if not critical:
        return f"Positieve oordelen komen het vaakst van {_group_list(positive)}; kritiek klinkt in geen van de groepen."
    if not positive:
        return f"Kritiek komt het vaakst van {_group_list(critical)}; positieve oordelen klinken in geen van de groepen."
    return (
        f"Positieve oordelen komen het vaakst van {_group_list(positive)}; "
        f"kritiek het vaakst van {_group_list(critical)}."
    )


def awareness_frame(ev) -> pd.DataFrame:
    """Respondents per group whose interview shows they knew the network, did not know it, or both.

    Columns: ``group``, ``base``, ``knew``, ``did_not_know``, ``withheld``.
    """
    coded = ev.coded[["respondent", "code"]].drop_duplicates()
    knew = set(coded.loc[coded["code"] == "bekendheid.bekend", "respondent"])
    unknown = set(coded.loc[coded["code"] == "bekendheid.onbekend", "respondent"])
    sizes = group_sizes(ev, "group")
    membership = ev.register.set_index("respondent")["group"]
    rows = []
    for group in sizes.index:
        if group == TOTAL:
            continue
        members = set(membership.index[membership == group])
        visible = sdc.allowed(int(sizes[group]), "awareness_frame", str(group))
        rows.append(
            (
                group,
                int(sizes[group]),
                len(knew & members) if visible else pd.NA,
                len(unknown & members) if visible else pd.NA,
                not visible,
            )
        )
    table = pd.DataFrame(rows, columns=["group", "base", "knew", "did_not_know", "withheld"])
    table["knew"] = table["knew"].astype("Int64")
    table["did_not_know"] = table["did_not_know"].astype("Int64")
    return table


def awareness_figure(ev):
    """Bars per respondent group: respondents who knew the network and who did not (from the interviews)."""
    table = awareness_frame(ev)
    table = table[~table["withheld"]].reset_index(drop=True)
    knew_label, unknown_label = "Kende het netwerk of een instrument", "Kende het netwerk niet"
    # Counts of persons: 1 to the threshold draw no bar and read '<10' (the two columns add up to nothing published).
    counts = table.set_index("group")[["knew", "did_not_know"]].astype(int)
    status = sdc.protect(counts, measure="awareness_figure")
    long = pd.concat(
        [
            table.assign(status=knew_label, respondents=table["knew"].astype(int),
                         shown=[status.at[g, "knew"] == sdc.SHOWN for g in table["group"]]),
            table.assign(status=unknown_label, respondents=table["did_not_know"].astype(int),
                         shown=[status.at[g, "did_not_know"] == sdc.SHOWN for g in table["group"]]),
        ]
    )
    long["label"] = [str(n) if shown else sdc.primary_mark() for n, shown in zip(long["respondents"], long["shown"])]
    long["respondents"] = long["respondents"].where(long["shown"], 0)
    long["group_label"] = pd.Categorical(
        long["group"].map(GROUP_AXIS_LABELS), categories=[GROUP_AXIS_LABELS[g] for g in reversed(GROUPS)]
    )
    long["status"] = pd.Categorical(long["status"], categories=[knew_label, unknown_label])
    return (
        ggplot(long, aes(x="group_label", y="respondents", fill="status"))
        + geom_col(position="dodge", width=0.75)
        + geom_text(
            aes(label="label", y="respondents + 0.4"),
            position=position_dodge(width=0.75), size=annotation_size(), color=INK, family=FONT_FAMILY, va="center",
        )
        + coord_flip()
        + scale_fill_manual(values={knew_label: PALETTE[0], unknown_label: PALETTE[4]}, breaks=[knew_label, unknown_label])
        + scale_y_continuous(breaks=whole_number_breaks, labels=lambda values: [str(int(v)) for v in values])
        + labs(x="", y="Aantal respondenten")
        + guides(fill=guide_legend(nrow=2))
        + theme(figure_size=(6.5, 3.6))
    )


def awareness_sentence(ev, group: str = "onbekend met het netwerk") -> str:
    """Sentence on how well a group knew the network before the interview, in quantifier words."""
    table = awareness_frame(ev).set_index("group")
    if group not in table.index:
        raise KeyError(f"unknown respondent group {group!r}; groups: {', '.join(table.index)}")
    row = table.loc[group]
    # "Ambtsdragers die het netwerk niet kenden zeggen dat zij het niet kenden" would be circular.
    noun = "respondenten uit de groep 'onbekend met het netwerk'" if group == "onbekend met het netwerk" else GROUP_NOUNS[group]
    if row["withheld"]:
        return f"Over de {noun} rapporteren we geen aantallen, omdat de groep te klein is."
    base = int(row["base"])
    unknown = count_phrase(int(row["did_not_know"]), base, noun, start=True)
    verb = _verb(int(row["did_not_know"]), base, "zegt", "zeggen")
    first = f"{unknown} {verb} in het gesprek dat zij het netwerk niet kenden of niet wisten waar zij terechtkonden"
    if int(row["knew"]) == 0:
        return f"{first}; geen van hen blijkt een van de instrumenten van het netwerk te kennen."
    knew = _among(int(row["knew"]), base, "kende", "kenden")
    return f"{first}; van hen {knew} wel een van de instrumenten, soms zonder te weten dat het van het netwerk kwam."


def conclusion_appreciation_sentence(ev) -> str:
    """Sentence for the conclusions: how many respondents judge at least one line of work positively, and critically."""
    table = workline_appreciation(ev)
    segments = _segment_codes(ev)
    on_any_line = segments[segments["codes"].map(lambda cs: any(_with_descendants(c, cs) for c in WORKLINE_CODES))]
    judged = set(on_any_line["respondent"])
    positive = set(on_any_line.loc[on_any_line["codes"].map(lambda cs: "waardering.positief" in cs), "respondent"])
    negative = set(on_any_line.loc[on_any_line["codes"].map(lambda cs: "waardering.negatief" in cs), "respondent"])
    base = int(table.loc[table["group"] == TOTAL, "base"].iloc[0])
    if not judged:
        return "Geen van de respondenten spreekt zich uit over de werklijnen van het netwerk."
    return (
        f"{count_phrase(len(positive), base, 'respondenten', start=True)} "
        f"{_verb(len(positive), base, 'spreekt', 'spreken')} zich positief uit over ten minste één werklijn; "
        f"{count_phrase(len(negative), base, 'respondenten')} {_verb(len(negative), base, 'is', 'zijn')} "
        f"over ten minste één werklijn kritisch."
    )


def conclusion_awareness_sentence(ev) -> str:
    """Sentence for the conclusions: across all interviews, how many respondents turned out not to know the network."""
    table = awareness_frame(ev)
    visible = table[~table["withheld"]]
    if visible.empty:
        return "Over de bekendheid van het netwerk rapporteren we geen aantallen, omdat de groepen te klein zijn."
    total_unknown = int(visible["did_not_know"].astype(int).sum())
    total_base = int(visible["base"].sum())
    return (
        f"Over alle gesprekken heen blijkt bij {count_phrase(total_unknown, total_base, 'respondenten')} "
        f"dat zij het netwerk niet kenden of niet wisten waar zij terechtkonden."
    )
