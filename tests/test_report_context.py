"""Tests for the chapter set-up and the figure/table functions of chapters 1-5 and appendix A.

They check behaviour against the data layer and against hand-built inputs:
numbers shown equal what analysis.measures computes, interview findings stay
words, disclosure control holds, the facts table refuses bad rows with the
file, line and rule, and the figures are built from their data.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from plotnine import ggplot

from analysis import load_evaluation
from analysis.format import fmt_share
from analysis.measures import quantifier, reliability, respondents_per_code, survey_shares
from analysis import method, network, theme, threat

REPO = Path(__file__).resolve().parent.parent
INSTRUMENTS = REPO / "data" / "facts" / "nwb-instruments.csv"


@pytest.fixture(scope="module")
def ev():
    return load_evaluation()


# --- theme ---------------------------------------------------------------------------------------


def _contrast_on_white(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_palette_colours_reach_wcag_contrast_for_graphics():
    for colour in theme.PALETTE:
        assert _contrast_on_white(colour) >= 3.0, colour


def test_apply_theme_pins_font_dpi_and_deterministic_svg():
    theme.apply_theme()
    assert matplotlib.rcParams["svg.fonttype"] == "path"
    assert matplotlib.rcParams["svg.hashsalt"] == "netwerk-weerbaar-bestuur"
    assert matplotlib.rcParams["font.family"] == [theme.FONT_FAMILY]
    assert matplotlib.rcParams["savefig.dpi"] == theme.FIGURE_DPI


def test_pinned_font_ships_with_matplotlib():
    from matplotlib import font_manager

    path = font_manager.findfont(theme.FONT_FAMILY, fallback_to_default=False)
    assert Path(path).name.startswith("DejaVuSans")


def test_axis_labels_are_dutch():
    assert theme.dutch_percent_labels([0.0, 0.25, 1.0]) == ["0%", "25%", "100%"]
    assert theme.dutch_number_labels([2.5, 3000.0]) == ["2,5", "3.000"]


def test_same_figure_gives_identical_svg_bytes(tmp_path):
    theme.apply_theme()
    figure = network.instrument_timeline_figure()
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    figure.save(first, verbose=False, metadata={"Date": None})
    figure.save(second, verbose=False, metadata={"Date": None})
    assert first.read_bytes() == second.read_bytes()


# --- the shared set-up ---------------------------------------------------------------------------


def test_common_exports_what_chapters_call_and_names_are_unique():
    import analysis.common as common

    assert len(common.__all__) == len(set(common.__all__))
    for name in ("ev", "demo_notice", "fmt_share", "instrument_timeline_figure", "threat_trend_figure",
                 "respondent_group_table", "protection_profile_figure"):
        assert name in common.__all__
        assert hasattr(common, name)


def test_demo_notice_only_for_demo_data(ev):
    from analysis.common import demo_notice, demo_statement

    assert ev.is_demo
    assert "synthetische" in demo_notice(ev)
    assert demo_notice(ev).startswith("::: {.callout-warning")
    real = dataclasses.replace(ev, is_demo=False)
    assert demo_notice(real) == ""
    assert demo_statement(real) == ""
    assert "{#sec-aanpak-demo}" in demo_statement(ev)


# --- the instruments facts table -----------------------------------------------------------------


def test_committed_instruments_table_is_valid_and_sorted():
    table = network.load_instruments()
    assert list(table["datum"]) == sorted(table["datum"])
    assert table["id"].is_unique
    assert (table["bron"] != "").all()


def _write_variant(tmp_path: Path, edit) -> Path:
    lines = INSTRUMENTS.read_text(encoding="utf-8").splitlines()
    lines = edit(lines)
    path = tmp_path / "instruments.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _replace_field(line: str, column: str, value: str) -> str:
    import csv
    import io

    row = next(csv.reader([line]))
    row[network.INSTRUMENT_COLUMNS.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(row)
    return out.getvalue()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("werklijn", "nazorgg", "regel 3: werklijn 'nazorgg' is onbekend; kies uit bewustwording, voorlichting, ondersteuning, nazorg, voorzorg of laat leeg"),
        ("bron", "onbekend2099", "regel 3: bron 'onbekend2099' staat niet in references.bib"),
        ("datum", "5-4-2018", "regel 3: datum '5-4-2018' is geen datum in de vorm JJJJ-MM-DD"),
        ("kerngetal", "28,5", "regel 3: kerngetal '28,5' is geen getal (gebruik een punt als decimaalteken)"),
        ("precisie", "eeuw", "regel 3: precisie 'eeuw' is niet toegestaan; kies uit dag, maand, seizoen, jaar"),
        ("beschermingssoort", "fysiek", "regel 3: een mijlpaal is geen bescherming; laat beschermingssoort leeg"),
    ],
)
def test_bad_instrument_row_names_file_line_and_rule(tmp_path, column, value, message):
    path = _write_variant(tmp_path, lambda lines: [lines[0], lines[1], _replace_field(lines[2], column, value), *lines[3:]])
    with pytest.raises(network.InstrumentTableError) as error:
        network.load_instruments(path)
    assert str(error.value) == f"{path}: {message}"


def test_duplicate_instrument_id_is_refused(tmp_path):
    path = _write_variant(tmp_path, lambda lines: [*lines, lines[1]])
    with pytest.raises(network.InstrumentTableError, match=r"regel \d+: id 'voorbereiding' komt twee keer voor"):
        network.load_instruments(path)


def test_unknown_column_is_refused(tmp_path):
    path = _write_variant(tmp_path, lambda lines: [lines[0] + ",opmerking", *[line + "," for line in lines[1:]]])
    with pytest.raises(network.InstrumentTableError, match=r"regel 1: .*onbekend: opmerking"):
        network.load_instruments(path)


def test_instrument_facts_are_formatted_in_dutch(tmp_path):
    def edit(lines):
        return [lines[0], _replace_field(lines[2], "kerngetal", "3060.5")]

    table = network.load_instruments(_write_variant(tmp_path, edit))
    assert network.instrument_fact("intentieverklaring", table) == "3.060,5"
    committed = network.load_instruments()
    assert network.instrument_fact("veilig_wonen", committed) == "2.500"
    assert network.instrument_date("woningscans", committed) == "najaar 2018"
    with pytest.raises(ValueError, match="heeft geen kerngetal"):
        network.instrument_fact("website", committed)


def test_source_labels_come_from_the_bibliography(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text("@online{x1,\n  author = {{Centrum voor Criminaliteitspreventie en Veiligheid}},\n  date = {2019-06},\n}\n"
                   "@book{x2,\n  author = {Krippendorff, Klaus},\n  year = {2019},\n}\n", encoding="utf-8")
    assert network.source_label("x1", bib) == "CCV (2019)"
    assert network.source_label("x2", bib) == "Krippendorff (2019)"
    with pytest.raises(KeyError):
        network.source_label("x3", bib)


def test_timeline_is_built_from_the_table(tmp_path):
    full = network.load_instruments()
    fewer = full[full["id"] != "on_tour"].reset_index(drop=True)
    figure = network.instrument_timeline_figure(fewer)
    assert isinstance(figure, ggplot)
    assert [type(layer.geom).__name__ for layer in figure.layers] == ["geom_segment", "geom_point"]
    assert "Weerbaar Bestuur On Tour" not in set(figure.data["naam"].astype(str))
    assert len(figure.data) == len(full) - 1
    ended = network.instrument_timeline_frame(full).set_index(full["id"])
    assert ended.loc["financiele_impuls", "eind"] == pd.Timestamp("2021-12-31")
    assert ended.loc["website", "eind"] == pd.Timestamp(network.REFERENCE_DATE)


def test_protection_matrix_places_each_instrument_in_its_cell():
    table = network.load_instruments()
    matrix = network.protection_matrix_table(table)
    for _, row in table[table["soort"] == "instrument"].iterrows():
        cell = matrix.loc[network.LEVEL_LABELS[row["beschermingsniveau"]], network.KIND_LABELS[row["beschermingssoort"]]]
        assert row["naam"] in cell
    moved = table.copy()
    moved.loc[moved["id"] == "website", "beschermingssoort"] = "juridisch"
    assert "Website weerbaarbestuur.nl" in network.protection_matrix_table(moved).loc["Individueel", "Juridisch"]
    assert network.instruments_per_kind("juridisch", moved) == "1"
    assert network.instruments_per_kind("juridisch", table.assign(beschermingssoort="fysiek")) == "geen"


# --- survey numbers equal the data layer ---------------------------------------------------------


def test_survey_numbers_in_prose_and_tables_equal_the_data_layer(ev):
    shares = survey_shares(ev, "agressie").set_index("group")
    table = threat.aggression_share_table(ev)
    for group, label in (("burgemeester", "Burgemeesters"), ("wethouder", "Wethouders"), ("raadslid", "Raadsleden"), ("totaal", "Alle respondenten")):
        expected = fmt_share(shares.loc[group, "share"])
        assert threat.share_text(ev, group) == expected
        assert table.loc[label, "Aandeel"] == expected
        interval = f"{fmt_share(shares.loc[group, 'ci_low'])}–{fmt_share(shares.loc[group, 'ci_high'])}"
        assert threat.interval_text(ev, group) == interval
        assert table.loc[label, "95%-interval"] == interval
        assert shares.loc[group, "ci_low"] <= shares.loc[group, "share"] <= shares.loc[group, "ci_high"]


def test_share_figure_and_types_figure_carry_the_data_layer_values(ev):
    figure = threat.aggression_share_figure(ev)
    expected = survey_shares(ev, "agressie", total=False).set_index("group")["share"]
    shown = figure.data.set_index("group")["share"]
    pd.testing.assert_series_equal(shown.sort_index(), expected.sort_index(), check_names=False)
    types = threat.threat_types_frame(ev)
    fysiek = survey_shares(ev, "fysiek", total=False).set_index("group")["share"]
    assert types.loc[types["Vorm"] == "Fysiek geweld"].set_index("group")["share"].sort_index().tolist() == fysiek.sort_index().tolist()


def test_trend_figure_follows_the_trend_data(ev):
    changed = ev.trend.copy()
    changed.loc[(changed["year"] == 2022) & (changed["group"] == "burgemeesters"), "share"] = 0.11
    figure = threat.threat_trend_figure(dataclasses.replace(ev, trend=changed))
    row = figure.data[(figure.data["year"] == 2022) & (figure.data["group"] == "burgemeesters")]
    assert row["share"].iloc[0] == pytest.approx(0.11)
    assert threat.trend_share_text(dataclasses.replace(ev, trend=changed), 2022, "burgemeesters") == "11%"
    approximate = ev.trend[ev.trend["approximate"].astype(bool)].iloc[0]
    assert threat.trend_share_text(ev, int(approximate["year"]), approximate["group"]).startswith("ongeveer ")


def test_published_monitor_facts_are_read_from_the_facts_table():
    facts = pd.read_csv(REPO / "data" / "facts" / "monitor-2022.csv").set_index("indicator")
    assert threat.published_share("fysiek") == pytest.approx(facts.loc["fysiek", "share"])
    assert threat.published_share_text("bedreiging").startswith("ongeveer ")
    with pytest.raises(KeyError, match="no indicator 'onbekend'"):
        threat.published_share("onbekend")


# --- interview findings stay words --------------------------------------------------------------


def test_interview_tables_hold_quantifier_words_matching_the_counts(ev):
    codes = list(threat.THREAT_FORM_CODES)
    words = threat.threat_forms_table(ev)
    counts = respondents_per_code(ev, codes)
    base = counts.attrs["base"]
    allowed_words = {"geen", "enkele", "een minderheid", "ongeveer de helft", "de meeste", "vrijwel alle", "alle", "–"}
    assert set(words.to_numpy().ravel()) <= allowed_words
    for code in codes:
        name = method.code_name(ev, code)
        assert words.loc[name, "Criticasters"] == quantifier(int(counts.loc[code, "criticaster"]), base["criticaster"])
        assert words.loc[name, "Alle respondenten"] == quantifier(int(counts.loc[code, "totaal"]), base["totaal"])
    assert not any("%" in cell or re.search(r"\d", cell) for cell in words.to_numpy().ravel())


def test_respondents_phrase_reads_as_dutch(ev):
    phrase = method.respondents_phrase(ev, "dreiging.online", "criticaster")
    word = quantifier(int(respondents_per_code(ev, ["dreiging.online"]).loc["dreiging.online", "criticaster"]), 10)
    expected = f"{word} van de criticasters" if word in ("een minderheid", "ongeveer de helft") else f"{word} criticasters"
    assert phrase == expected
    assert method.respondents_phrase(ev, "dreiging.online", start=True)[0].isupper()
    with pytest.raises(KeyError, match="unknown respondent group 'burgers'"):
        method.respondents_phrase(ev, "dreiging.online", "burgers")


def test_quantifier_scale_table_agrees_with_quantifier(ev):
    scale = method.quantifier_scale_table(ev)
    column = scale.columns[0]
    assert scale.loc["de meeste", column] == "24–35"
    assert scale.loc["alle", column] == "40"
    assert list(scale.index)[0] == "alle" and list(scale.index)[-1] == "geen"


def test_profile_figure_plots_words_not_shares(ev):
    figure = network.protection_profile_figure(ev)
    assert str(figure.mapping["y"]) == "woord"
    frame = network.protection_profile_frame(ev)
    counts = respondents_per_code(ev, ["bescherming.normatief"])
    row = frame[(frame["code"] == "bescherming.normatief") & (frame["group"] == "actieve deelnemer")]
    assert row["woord"].iloc[0] == quantifier(int(counts.loc["bescherming.normatief", "actieve deelnemer"]), 10)


def test_quotes_only_from_consenting_respondents_and_not_repeated(ev):
    text = method.quote_blocks(ev, "dreiging.online", n=3)
    attributions = re.findall(r"\*[^*]+, (R\d+)\*", text)
    assert attributions
    consent = ev.register.set_index("respondent")["consent_quote"]
    assert all(bool(consent[r]) for r in attributions)
    quotes_text = re.findall(r"^> (?!---)(.+)$", text, flags=re.M)
    assert len(quotes_text) == len(set(quotes_text))


# --- reliability and disclosure control -----------------------------------------------------------


def test_reliability_table_reports_the_lowest_alpha_per_family(ev):
    table = method.coding_reliability_table(ev)
    alphas = reliability(ev)
    threat_alphas = alphas[alphas["code"].str.startswith("dreiging.")]["alpha"]
    lowest = method._fmt_alpha(float(threat_alphas.min()))
    assert table.loc["Dreiging", "Laagste alfa"] == lowest
    below = int((alphas[alphas["code"] != "alle codes (gepoold)"]["alpha"] < 0.8).sum())
    assert method.codes_below_count(ev) == str(below)
    assert method.pooled_alpha_text(ev).startswith(",") or method.pooled_alpha_text(ev) == "1,000"


def test_alpha_verdicts_follow_krippendorff():
    assert method.alpha_verdict(0.81) == "voldoende betrouwbaar om conclusies op te baseren"
    assert method.alpha_verdict(0.80) == "voldoende betrouwbaar om conclusies op te baseren"
    assert method.alpha_verdict(0.70) == "alleen voldoende voor voorlopige conclusies"
    assert method.alpha_verdict(0.5) == "onvoldoende betrouwbaar om conclusies op te baseren"
    assert method.reliable_threshold_text() == ",800"
    assert method.tentative_threshold_text() == ",667"


def test_small_cells_of_respondents_are_withheld(ev):
    register = ev.register.copy()
    register["function"] = "wethouder"
    active = register.index[register["group"] == "actieve deelnemer"][:3]
    register.loc[active, "function"] = "burgemeester"  # three burgemeesters, all active participants
    table = method.respondent_function_table(dataclasses.replace(ev, register=register))
    assert table.loc["Actieve deelnemers", "Burgemeesters"] == "<10"
    # 40 - 37 would give the 3 burgemeesters away: the wethouders' total is withheld with them ('x').
    assert table.values.tolist() == [["<10", "<10", "10"], ["0", "10", "10"], ["0", "10", "10"], ["0", "10", "10"],
                                     ["<10", "x", "40"]]
    assert table.loc["Critical friends", "Burgemeesters"] == "0"
    assert not (table == "3").any().any()


def test_group_table_counts_the_register(ev):
    table = method.respondent_group_table(ev)
    counts = ev.register["group"].value_counts()
    assert table.loc["Criticasters", "Gesprekken"] == str(counts["criticaster"])
    assert table.loc["Totaal", "Gesprekken"] == str(len(ev.register))


def test_tables_from_the_setup_are_not_truncated(ev):
    import analysis.common  # noqa: F401 - the chapter set-up sets the display options

    html = method.respondent_group_table(ev)._repr_html_()
    assert method.GROUP_DESCRIPTIONS["onbekend met het netwerk"] in html
    assert "..." not in html
