"""How the evaluation was done (chapter 2 and appendix A): respondents, coding reliability, the survey.

Also the shared helpers that turn interview measures into words for the prose
and tables: interview findings are never shown as percentages of the
respondents, only as quantifier words ("de meeste", "enkele"), and quotes come
only from respondents who consented.

Public surface: ``respondent_count``, ``group_size``, ``respondent_group_table``,
``respondent_function_table``, ``respondent_tier_table``, ``coding_reliability_table``,
``pooled_alpha``, ``pooled_alpha_text``, ``alpha_verdict``, ``codes_below``,
``double_coded_count``, ``survey_size``, ``survey_function_table``,
``mention_words_table``, ``mention_phrase``, ``quote_blocks``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from analysis import sdc
from analysis.format import fmt_int, fmt_num, fmt_share
from analysis.markdown import markdown_text
from analysis.measures import TOTAL, group_sizes, mention_word, quotes, reliability, respondents_per_code, quantifier
from analysis.reliability import POOLED, RELIABLE, TENTATIVE
from analysis.survey import survey_response_status
from analysis.schemas import FUNCTIONS, GROUPS, SURVEY_FUNCTIONS, TIERS

__all__ = [
    "GROUP_DESCRIPTIONS",
    "GROUP_LABELS",
    "FUNCTION_NAMES",
    "alpha_verdict",
    "code_name",
    "coded_segment_count",
    "confidence_text",
    "disclosure_threshold",
    "reliable_threshold_text",
    "tentative_threshold_text",
    "coder_count",
    "codes_below_count",
    "codes_below_text",
    "leaf_code_count",
    "pooled_alpha_verdict",
    "codes_below",
    "coding_reliability_table",
    "double_coded_count",
    "group_size",
    "group_size_status",
    "mention_phrase",
    "mention_words_table",
    "pooled_alpha",
    "pooled_alpha_text",
    "quantifier_scale_table",
    "respondents_phrase",
    "quote_blocks",
    "respondent_count",
    "respondent_function_table",
    "respondent_group_table",
    "respondent_tier_table",
    "survey_function_table",
    "survey_response_status",
    "survey_size",
]

GROUP_LABELS: dict[str, str] = {
    "actieve deelnemer": "Actieve deelnemers",
    "critical friend": "Critical friends",
    "criticaster": "Criticasters",
    "onbekend met het netwerk": "Onbekend met het netwerk",
}

GROUP_DESCRIPTIONS: dict[str, str] = {
    "actieve deelnemer": "Werken in of met het netwerk: partners, leden van het ondersteuningsteam, trekkers van instrumenten.",
    "critical friend": "Kennen het netwerk van nabij en bevragen het kritisch, zonder er zelf deel van uit te maken.",
    "criticaster": "Twijfelen aan de aanpak of de reikwijdte van het netwerk, of hebben er slechte ervaringen mee.",
    "onbekend met het netwerk": "Politieke ambtsdragers die het netwerk niet of nauwelijks kenden voor het gesprek.",
}

FUNCTION_NAMES: dict[str, tuple[str, str]] = {
    "burgemeester": ("burgemeester", "burgemeesters"),
    "wethouder": ("wethouder", "wethouders"),
    "raadslid": ("raadslid", "raadsleden"),
    "griffier": ("griffier", "griffiers"),
    "gemeentesecretaris": ("gemeentesecretaris", "gemeentesecretarissen"),
    "ambtenaar": ("ambtenaar", "ambtenaren"),
    "partnerorganisatie": ("medewerker partnerorganisatie", "medewerkers van partnerorganisaties"),
}

TIER_LABELS: dict[str, str] = {
    "gemeente": "Gemeente",
    "provincie": "Provincie",
    "waterschap": "Waterschap",
    "landelijk": "Landelijk",
}

#: Survey intervals are Wilson intervals at this level (z = 1.96 in analysis.survey).
CONFIDENCE = 0.95


def respondent_count(ev) -> str:
    """Number of interviewed respondents, formatted for the prose."""
    return fmt_int(len(ev.register))


def group_size_status(ev) -> pd.DataFrame:
    """Which respondent-group sizes may be published (column ``respondents``: sdc.SHOWN, PRIMARY or SECONDARY).

    The sizes are a margin of every table of respondents by group, and the total
    is in the prose: one pattern, computed here, is used by all of them, so no
    table shows a size another withholds.
    """
    sizes = group_sizes(ev, "group").to_frame()
    return sdc.protect(sizes, measure="group_sizes", total_row=TOTAL, fixed=[(TOTAL, "respondents")])


def group_size(ev, group: str) -> str:
    """Number of respondents in one respondent group, formatted; withheld below the disclosure threshold."""
    sizes = group_sizes(ev, "group")
    if group not in sizes.index:
        raise KeyError(f"unknown respondent group {group!r}; groups: {', '.join(GROUPS)}")
    state = group_size_status(ev).at[group, "respondents"]
    if state == sdc.PRIMARY:
        return f"minder dan {fmt_int(sdc.min_base())}"
    if state == sdc.SECONDARY:
        return "een niet te publiceren aantal"
    return fmt_int(int(sizes[group]))


def respondent_group_table(ev) -> pd.DataFrame:
    """The four respondent groups: what they are and how many were interviewed (index: group)."""
    sizes = group_sizes(ev, "group")
    status = group_size_status(ev)["respondents"]
    rows = []
    for group in GROUPS:
        size = int(sizes.get(group, 0))
        shown = sdc.cell_text(size, status.get(group, sdc.SHOWN), fmt_int)
        rows.append((GROUP_LABELS[group], GROUP_DESCRIPTIONS[group], shown))
    rows.append(("Totaal", "", fmt_int(int(sizes[TOTAL]))))
    return pd.DataFrame(rows, columns=["Respondentgroep", "Omschrijving", "Gesprekken"]).set_index("Respondentgroep")


def _crosstab_table(ev, column: str, categories: Sequence[str], labels: dict[str, str], measure: str) -> pd.DataFrame:
    """Respondent group x ``column`` counts with margins, protected by :func:`analysis.sdc.protect`.

    Cell counts of people are themselves bases in the sense of the disclosure
    rule: a count from 1 to the threshold reads '<10'; a count withheld so that
    none of those can be worked out from the totals reads 'x'. The group totals
    follow :func:`group_size_status`, which every table by group shares.
    """
    register = ev.register
    present = [c for c in categories if c in set(register[column])]
    groups = [g for g in GROUPS if g in set(register["group"])]
    counts = pd.crosstab(register["group"], register[column]).reindex(index=groups, columns=present, fill_value=0)
    counts[TOTAL] = counts.sum(axis=1)
    counts.loc[TOTAL] = counts.sum(axis=0)
    shared = group_size_status(ev)["respondents"]
    margin = [(g, TOTAL) for g in (*groups, TOTAL)]
    status = sdc.protect(counts, measure=measure, total_row=TOTAL, total_column=TOTAL, fixed=margin,
                         withhold=[(g, TOTAL) for g in groups if shared.get(g) != sdc.SHOWN])
    row_labels = {**GROUP_LABELS, TOTAL: "Totaal"}
    column_labels = {**labels, TOTAL: "Totaal"}
    frame = pd.DataFrame(
        {column_labels[c]: [sdc.cell_text(int(counts.at[r, c]), status.at[r, c], fmt_int) for r in counts.index]
         for c in counts.columns},
        index=pd.Index([row_labels[r] for r in counts.index], name="Respondentgroep"),
    )
    return frame


def respondent_function_table(ev) -> pd.DataFrame:
    """Respondent groups x function, with cells below the disclosure threshold withheld."""
    labels = {f: FUNCTION_NAMES[f][1].capitalize() for f in FUNCTIONS}
    return _crosstab_table(ev, "function", FUNCTIONS, labels, "respondent_function_table")


def respondent_tier_table(ev) -> pd.DataFrame:
    """Respondent groups x tier of government, with cells below the disclosure threshold withheld."""
    return _crosstab_table(ev, "tier", TIERS, TIER_LABELS, "respondent_tier_table")


def disclosure_threshold() -> str:
    """The minimum number of persons behind a published count or share, formatted."""
    return fmt_int(sdc.min_base())


def reliable_threshold_text() -> str:
    """Krippendorff's threshold for conclusions, in his notation with a decimal comma: ',800'."""
    return _fmt_alpha(RELIABLE)


def tentative_threshold_text() -> str:
    """Krippendorff's threshold for tentative conclusions: ',667'."""
    return _fmt_alpha(TENTATIVE)


def confidence_text() -> str:
    """The confidence level of every survey interval in the report: '95%'."""
    return fmt_share(CONFIDENCE)


def code_name(ev, code: str) -> str:
    """The codebook name of a code, e.g. 'dreiging.online' -> 'Online agressie'."""
    match = ev.codebook.loc[ev.codebook["code"] == code, "name"]
    if match.empty:
        raise KeyError(f"not in the codebook: {code}")
    return str(match.iloc[0])


def double_coded_count(ev) -> str:
    """Number of interviews coded independently by two coders, formatted."""
    return fmt_int(len(ev.double_coded))


def pooled_alpha(ev) -> float:
    """Krippendorff's alpha pooled over all codes and double-coded interviews."""
    table = reliability(ev)
    return float(table.loc[table["code"] == POOLED, "alpha"].iloc[0])


def _fmt_alpha(alpha: float) -> str:
    # Krippendorff's convention: three decimals, no leading zero; Dutch decimal comma.
    if alpha != alpha:
        return "n.v.t."
    text = fmt_num(alpha, 3)
    return text.replace("0,", ",", 1) if text.startswith("0,") else text


def pooled_alpha_text(ev) -> str:
    """The pooled alpha in Krippendorff's notation with a decimal comma: ',842'."""
    return _fmt_alpha(pooled_alpha(ev))


def alpha_verdict(alpha: float) -> str:
    """What an alpha permits, in words, against Krippendorff's thresholds of .800 and .667."""
    if alpha != alpha:
        return "niet te bepalen, omdat de codeurs geen variatie lieten zien"
    if alpha >= RELIABLE:
        return "voldoende betrouwbaar om conclusies op te baseren"
    if alpha >= TENTATIVE:
        return "alleen voldoende voor voorlopige conclusies"
    return "onvoldoende betrouwbaar om conclusies op te baseren"


def pooled_alpha_verdict(ev) -> str:
    """What the pooled alpha permits, in words (see :func:`alpha_verdict`)."""
    return alpha_verdict(pooled_alpha(ev))


def coder_count(ev) -> str:
    """Number of coders who coded interviews, formatted."""
    return fmt_int(ev.segments["coder"].nunique())


def coded_segment_count(ev) -> str:
    """Number of coded fragments in the analysis set (one coder per interview), formatted."""
    return fmt_int(ev.coded["segment"].nunique())


def leaf_code_count(ev) -> str:
    """Number of codes without sub-codes, the codes coders actually assign, formatted."""
    codes = list(ev.codebook["code"])
    return fmt_int(sum(1 for c in codes if not any(o.startswith(c + ".") for o in codes)))


def codes_below(ev, threshold: float = RELIABLE) -> list[str]:
    """Codebook names of the codes whose alpha falls below ``threshold`` (pooled row excluded)."""
    table = reliability(ev)
    table = table[(table["code"] != POOLED) & (table["alpha"] < threshold)]
    return [code_name(ev, code) for code in table["code"]]


def codes_below_text(ev, threshold: float = RELIABLE) -> str:
    """The codes below a threshold as a Dutch enumeration (Markdown), or 'geen enkele code'."""
    names = [markdown_text(name.lower()) for name in codes_below(ev, threshold)]
    if not names:
        return "geen enkele code"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " en " + names[-1]


def codes_below_count(ev, threshold: float = RELIABLE) -> str:
    """How many codes fall below a threshold, formatted."""
    return fmt_int(len(codes_below(ev, threshold)))


def coding_reliability_table(ev) -> pd.DataFrame:
    """Per main code family: number of codes, lowest and highest alpha, codes below .800 and .667 (index: family).

    The pooled alpha over all codes is reported in the prose via :func:`pooled_alpha_text`.
    """
    table = reliability(ev)
    table = table[table["code"] != POOLED]
    parents = ev.codebook.set_index("code")["name"]
    rows = []
    for family, part in table.groupby(table["code"].str.split(".").str[0], sort=False):
        valid = part["alpha"].dropna()
        rows.append(
            (
                parents.get(family, family),
                fmt_int(len(part)),
                _fmt_alpha(float(valid.min())) if len(valid) else "n.v.t.",
                _fmt_alpha(float(valid.max())) if len(valid) else "n.v.t.",
                fmt_int(int((valid < RELIABLE).sum())),
                fmt_int(int((valid < TENTATIVE).sum())),
            )
        )
    frame = pd.DataFrame(
        rows,
        columns=["Codegroep", "Codes", "Laagste alfa", "Hoogste alfa", "Codes onder ,800", "Codes onder ,667"],
    )
    return frame.set_index("Codegroep")


def survey_size(ev) -> str:
    """Number of survey respondents, formatted."""
    return fmt_int(len(ev.survey))


def survey_function_table(ev) -> pd.DataFrame:
    """Survey respondents per function: answers received and the weighted share in the population (index: function).

    A withheld count withholds its shares too: the share in the response times the total is the count.
    """
    survey = ev.survey
    weights = survey["weight"].astype(float)
    status = survey_response_status(ev)
    rows = []
    for function in SURVEY_FUNCTIONS:
        mask = survey["function"] == function
        state = status[function]
        if state != sdc.SHOWN:
            rows.append((FUNCTION_NAMES[function][1].capitalize(), sdc.cell_text(int(mask.sum()), state), "–", "–"))
            continue
        rows.append(
            (
                FUNCTION_NAMES[function][1].capitalize(),
                fmt_int(int(mask.sum())),
                fmt_share(float(mask.mean()), 1),
                fmt_share(float(weights[mask].sum() / weights.sum()), 1),
            )
        )
    rows.append(("Totaal", fmt_int(len(survey)), fmt_share(1.0), fmt_share(1.0)))
    return pd.DataFrame(
        rows, columns=["Functie", "Respondenten", "Aandeel in de respons", "Aandeel na weging"]
    ).set_index("Functie")


def quantifier_scale_table(ev) -> pd.DataFrame:
    """Which quantifier word stands for which number of respondents, for the whole set and for one group of typical size.

    Derived by applying :func:`analysis.measures.quantifier` to every possible
    count, so the table cannot drift from the words used in the chapters.
    """
    total = len(ev.register)
    group_base = int(group_sizes(ev, "group").drop(TOTAL).median())

    def ranges(base: int) -> dict[str, str]:
        spans: dict[str, list[int]] = {}
        for count in range(base + 1):
            spans.setdefault(quantifier(count, base, min_base=1), []).append(count)  # a scale, not a finding
        return {word: fmt_int(c[0]) if len(c) == 1 else f"{fmt_int(c[0])}–{fmt_int(c[-1])}" for word, c in spans.items()}

    whole, group = ranges(total), ranges(group_base)
    words = list(dict.fromkeys([*whole, *group]))[::-1]
    frame = pd.DataFrame(
        {
            f"Van alle {fmt_int(total)} respondenten": [whole.get(w, "–") for w in words],
            f"Binnen een groep van {fmt_int(group_base)}": [group.get(w, "–") for w in words],
        },
        index=pd.Index(words, name="Woord in de tekst"),
    )
    return frame


def mention_phrase(ev, code: str, group: str | None = None) -> str:
    """Quantifier word for the respondents (in a group) mentioning a code: 'de meeste', 'enkele', ..."""
    return mention_word(ev, code, group)


GROUP_NOUNS: dict[str | None, str] = {
    None: "respondenten",
    "actieve deelnemer": "actieve deelnemers",
    "critical friend": "critical friends",
    "criticaster": "criticasters",
    "onbekend met het netwerk": "ambtsdragers die het netwerk niet kenden",
}

# Words that read as a share of a definite group need "van de": "een minderheid van de criticasters".
_PARTITIVE = {"ongeveer de helft", "een minderheid"}


def respondents_phrase(ev, code: str, group: str | None = None, *, start: bool = False) -> str:
    """Noun phrase for the respondents (in a group) mentioning a code: 'de meeste critical friends', 'een minderheid van de respondenten'.

    ``start=True`` capitalises the phrase for the start of a sentence.
    """
    if group is not None and group not in GROUP_NOUNS:
        raise KeyError(f"unknown respondent group {group!r}; groups: {', '.join(GROUPS)}")
    word = mention_word(ev, code, group)
    noun = GROUP_NOUNS[group]
    phrase = f"{word} van de {noun}" if word in _PARTITIVE else f"{word} {noun}"
    return phrase[0].upper() + phrase[1:] if start else phrase


def mention_words_table(ev, codes: Sequence[str], row_label: str = "Code") -> pd.DataFrame:
    """Codes x respondent groups, each cell the quantifier word for that group; withheld groups show '–'.

    Interview findings are shown in words, never as percentages of the
    respondents: the groups were chosen on purpose, not sampled.
    """
    counts = respondents_per_code(ev, codes, by="group")
    base = counts.attrs["base"]
    columns = [g for g in GROUPS if g in counts.columns] + [TOTAL]
    rows = {}
    for code in codes:
        row = {}
        for group in columns:
            value = counts.loc[code, group]
            label = "Alle respondenten" if group == TOTAL else GROUP_LABELS[group]
            row[label] = "–" if pd.isna(value) else quantifier(int(value), base[group])
        rows[code_name(ev, code)] = row
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = row_label
    return frame


# A blank line (only blanks on it) between two paragraphs of one quote.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


def quote_blocks(ev, code: str, n: int = 2, group: str | None = None) -> str:
    """Consented quotes for a code as Markdown blockquotes with attribution, for an ``output: asis`` cell.

    The quote and its attribution are text (analysis.markdown): a quote of several paragraphs stays one
    blockquote, and nothing a respondent said becomes markup.
    """
    # Ask for more than needed: different respondents can voice the same sentence, and a repeated quote adds nothing.
    chosen = quotes(ev, code, n=n * 3, group=group)
    chosen = chosen.drop_duplicates("quote").head(n)
    if chosen.empty:
        return "*Voor deze code zijn geen citeerbare fragmenten beschikbaar.*\n"
    blocks = []
    for quote, attribution in zip(chosen["quote"], chosen["attribution"]):
        paragraphs = [markdown_text(part) for part in _PARAGRAPH_BREAK.split(quote) if part.strip()]
        body = "\n>\n".join(f"> {paragraph}" for paragraph in paragraphs)
        blocks.append(f"{body}\n>\n> --- *{markdown_text(attribution)}*\n")
    return "\n".join(blocks)
