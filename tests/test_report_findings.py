"""Tests for the findings chapters (6-9) and the appendices on codebook and data.

The interview data here are built by hand in each test, so that the expected
counts follow from the construction and not from the code under test:
"R01 names only inzoomen, R02 both poles" must give one left-only and one both.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import re
from pathlib import Path

import pandas as pd
import pytest
from plotnine import ggplot
from pydantic import ValidationError

from analysis import load_evaluation
from analysis.appendix import HASH_DIGITS, codebook_table, data_files_table, software_versions_table, transcript_count
from analysis.load import Evaluation, read_codebook_yaml
from analysis.paths import DEMO_DIR, REPO_ROOT
from analysis.polarities import (
    POLARITIES_FILE,
    PolarityConfigError,
    load_polarities,
    parse_polarities,
    polarity_both_poles_phrase,
    polarity_lean_figure,
    polarity_lean_table,
    polarity_map_table,
)
from analysis.practice import (
    awareness_frame,
    count_phrase,
    workline_appreciation,
    workline_appreciation_figure,
    workline_group_contrast,
    workline_sentence,
)
from analysis.umbrella import (
    CANOPY_RADIUS,
    INSIDE,
    MIN_PANEL_SHARE,
    OUTSIDE,
    canopy_panels,
    threat_coverage,
    umbrella_figure,
    umbrella_inside_phrase,
    umbrella_outside_phrase,
    weather_drops,
)

GROUPS = ("actieve deelnemer", "critical friend", "criticaster", "onbekend met het netwerk")


# --- a hand-built evaluation -------------------------------------------------------


def make_evaluation(segments: list[tuple[str, list[str]]], per_group: int = 10, consent: bool = True) -> Evaluation:
    """Forty respondents (R01-R10 actieve deelnemers, R11-R20 critical friends, ...); one segment per entry."""
    raw, violations = read_codebook_yaml((DEMO_DIR / "codebook.yml").read_bytes(), "codebook.yml")
    assert not violations
    codebook = raw.frame.assign(level=raw.frame["level"].astype(int))
    register = pd.DataFrame(
        [
            (f"R{g * per_group + k + 1:02d}", group, "raadslid", "gemeente", consent)
            for g, group in enumerate(GROUPS)
            for k in range(per_group)
        ],
        columns=["respondent", "group", "function", "tier", "consent_quote"],
    )
    rows = []
    for i, (respondent, codes) in enumerate(segments):
        text = f"Fragment {i} van {respondent}."
        for code in codes:
            rows.append((f"S{i:04d}", respondent, f"I{respondent}", code, "A", 0, len(text), text))
    frame = pd.DataFrame(rows, columns=["segment", "respondent", "interview", "code", "coder", "start", "end", "text"])
    return Evaluation(
        codebook=codebook,
        register=register,
        segments=frame,
        transcripts={},
        survey=pd.DataFrame(),
        survey_labels={},
        trend=pd.DataFrame(),
        is_demo=True,
        data_dir=DEMO_DIR,
        file_hashes={},
    )


# --- polarity maps: content file and strict parsing --------------------------------


def test_shipped_polarity_maps_hold_the_three_choices_with_codebook_poles():
    maps = load_polarities()
    assert [p.id for p in maps.polariteiten] == ["reikwijdte", "richting", "instrumentarium"]
    codes = set(load_evaluation().codebook["code"])
    pole_codes = [pole.code for p in maps.polariteiten for pole in p.polen]
    assert pole_codes == [
        "polariteit.inzoomen", "polariteit.uitzoomen",
        "polariteit.buiten", "polariteit.binnen",
        "polariteit.instrumenten", "polariteit.normen",
    ]
    assert set(pole_codes) <= codes


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_unknown_key_names_file_line_key_and_allowed_keys(tmp_path):
    text = POLARITIES_FILE.read_text(encoding="utf-8").replace("    diepste_vrees:", "    diepste_vrees_:", 1)
    bad = tmp_path / "polarities.yml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(PolarityConfigError) as caught:
        load_polarities(bad)
    first_item = _line_of(text, "- id: reikwijdte")
    typo = _line_of(text, "diepste_vrees_:")
    assert str(caught.value).splitlines() == [
        f"{bad}:{first_item}: verplichte sleutel 'diepste_vrees' ontbreekt in polariteiten[0]",
        f"{bad}:{typo}: onbekende sleutel 'diepste_vrees_' in polariteiten[0] "
        "(toegestaan: id, titel, vraag, hoger_doel, diepste_vrees, polen)",
    ]


def test_unknown_key_inside_a_pole_is_located_in_that_pole():
    text = POLARITIES_FILE.read_text(encoding="utf-8").replace(
        "        code: polariteit.binnen\n", "        code: polariteit.binnen\n        kleur: rood\n", 1
    )
    with pytest.raises(PolarityConfigError) as caught:
        parse_polarities(text, "content/polarities.yml")
    line = _line_of(text, "kleur: rood")
    assert str(caught.value) == (
        f"content/polarities.yml:{line}: onbekende sleutel 'kleur' in polariteiten[1].polen[1] "
        "(toegestaan: id, code, naam, opbrengsten, valkuilen, signalen, acties)"
    )


def test_a_third_pole_and_a_non_polarity_code_are_rejected_with_their_rule():
    text = POLARITIES_FILE.read_text(encoding="utf-8").replace("code: polariteit.normen", "code: dreiging.online", 1)
    with pytest.raises(PolarityConfigError) as caught:
        parse_polarities(text, "p.yml")
    line = _line_of(text, "code: dreiging.online")
    assert str(caught.value) == (
        f"p.yml:{line}: polariteiten[2].polen[1].code: "
        "code moet een polariteit-code uit het codeboek zijn (polariteit.*), niet 'dreiging.online'"
    )
    minimal = """polariteiten:
  - id: a
    titel: t
    vraag: v
    hoger_doel: h
    diepste_vrees: d
    polen: []
"""
    with pytest.raises(PolarityConfigError) as caught:
        parse_polarities(minimal, "p.yml")
    assert str(caught.value) == "p.yml:7: polariteiten[0].polen: te weinig elementen: minimaal 2, gevonden 0"


def test_empty_list_item_and_broken_yaml_are_reported():
    text = POLARITIES_FILE.read_text(encoding="utf-8")
    with pytest.raises(PolarityConfigError, match=r"^p\.yml:1: geen geldige YAML"):
        parse_polarities("polariteiten: [", "p.yml")
    with pytest.raises(PolarityConfigError, match=r"^p\.yml:1: verwacht een mapping met de sleutel 'polariteiten'$"):
        parse_polarities("- a\n", "p.yml")
    blank = text.replace("        acties:\n          - De kern", "        acties:\n          - ''\n          - De kern", 1)
    with pytest.raises(PolarityConfigError, match=r"polariteiten\[0\]\.polen\[0\]\.acties\[0\]: mag niet leeg zijn"):
        parse_polarities(blank, "p.yml")


def test_polarity_models_are_frozen():
    polarity = load_polarities().get("richting")
    with pytest.raises(ValidationError):
        polarity.titel = "anders"
    with pytest.raises(KeyError, match="onbekende polariteit 'richtng'"):
        load_polarities().get("richtng")


def test_polarity_map_table_holds_every_item_once_under_its_quadrant():
    maps = load_polarities()
    polarity = maps.get("instrumentarium")
    table = polarity_map_table("instrumentarium", maps)
    assert list(table.columns) == [polarity.left.naam, polarity.right.naam]
    for pole, column in ((polarity.left, polarity.left.naam), (polarity.right, polarity.right.naam)):
        items = [i for field in ("opbrengsten", "valkuilen", "signalen", "acties") for i in getattr(pole, field)]
        cells = [c for c in table[column] if c]
        assert cells == items
    labels = list(dict.fromkeys(table.index.get_level_values("Kwadrant")))
    assert labels == ["Opbrengsten (+)", "Valkuilen bij eenzijdigheid (–)", "Vroege signalen", "Actiestappen"]
    assert table.loc["Actiestappen"].index.tolist() == list(range(1, len(polarity.left.acties) + 1))
    # pandas writes each quadrant once, spanning its rows: a real row header in HTML and Typst alike.
    assert f'<th rowspan="{len(polarity.left.opbrengsten)}" valign="top">Opbrengsten (+)</th>' in table.to_html()


@pytest.fixture
def small_bases_allowed(monkeypatch):
    """These tests check geometry and words on a handful of respondents: a draft with a threshold of 1 allows it."""
    from analysis import sdc

    monkeypatch.setenv(sdc.DRAFT_ENV, "1")
    sdc.set_min_base(1)
    yield
    sdc.set_min_base(None)


# --- polarity lean, from the coded interviews -----------------------------------------


def _lean_segments() -> list[tuple[str, list[str]]]:
    return [
        ("R01", ["polariteit.inzoomen"]),
        ("R02", ["polariteit.inzoomen"]),
        ("R02", ["polariteit.uitzoomen"]),
        ("R03", ["polariteit.uitzoomen"]),
        ("R11", ["polariteit.uitzoomen"]),
        ("R12", ["polariteit.uitzoomen"]),
        ("R21", ["polariteit.buiten"]),
    ]


def test_lean_table_counts_left_only_both_right_only_per_group():
    table = polarity_lean_table(make_evaluation(_lean_segments()), "reikwijdte").set_index("group")
    assert table.loc["actieve deelnemer", ["left_only", "both", "right_only", "neither"]].tolist() == [1, 1, 1, 7]
    assert table.loc["critical friend", ["left_only", "both", "right_only", "neither"]].tolist() == [0, 0, 2, 8]
    assert table.loc["criticaster", ["left_only", "both", "right_only"]].tolist() == [0, 0, 0]
    assert table.loc["totaal", ["left_only", "both", "right_only", "neither"]].tolist() == [1, 1, 3, 35]


def test_lean_table_withholds_groups_below_the_disclosure_threshold():
    table = polarity_lean_table(make_evaluation(_lean_segments(), per_group=5), "reikwijdte").set_index("group")
    assert table.loc["actieve deelnemer", "withheld"]
    assert pd.isna(table.loc["actieve deelnemer", "left_only"])
    assert not table.loc["totaal", "withheld"]  # 4 x 5 = 20 respondents in total


def test_both_poles_phrase_is_a_quantifier_over_those_who_speak(small_bases_allowed):
    ev = make_evaluation(_lean_segments())
    # One of five speakers names both poles: 20% -> 'een minderheid'.
    assert polarity_both_poles_phrase(ev, "reikwijdte") == "noemt een minderheid"
    assert polarity_both_poles_phrase(ev, "instrumentarium") == "noemt niemand"


def test_both_poles_phrase_on_fewer_speakers_than_the_threshold_is_withheld():
    # Five speakers are a base below the disclosure threshold: the word would give the count away.
    assert polarity_both_poles_phrase(make_evaluation(_lean_segments()), "reikwijdte") == (
        "noemt een niet te publiceren aantal")


def test_lean_figure_is_built_from_the_data_and_follows_it():
    before = polarity_lean_figure(make_evaluation(_lean_segments()), "reikwijdte")
    after = polarity_lean_figure(make_evaluation(_lean_segments() + [("R04", ["polariteit.inzoomen"])]), "reikwijdte")
    assert isinstance(before, ggplot)

    def left_only(plot) -> tuple[int, str]:
        data = plot.data
        row = data[(data["group"] == "actieve deelnemer") & (data["lean"].astype(str) == "alleen inzoomen")]
        return int(row["scale"].iloc[0]), row["word"].iloc[0]

    # The bars run along the words of the prose, never counts of persons: 1 of 10 and 2 of 10.
    assert left_only(before) == (1, "enkele")
    assert left_only(after) == (2, "een minderheid")


# --- the umbrella ----------------------------------------------------------------------


def _coverage_segments() -> list[tuple[str, list[str]]]:
    segments = []
    # verbaal: 4 respondents within reach, none beyond -> coverage 1
    segments += [(f"R0{i}", ["dreiging.verbaal", "dekking.binnen_bereik"]) for i in range(1, 5)]
    # online: 1 within, 3 beyond -> coverage 0.25
    segments += [("R11", ["dreiging.online", "dekking.binnen_bereik"])]
    segments += [(f"R1{i}", ["dreiging.online", "dekking.buiten_bereik"]) for i in range(2, 5)]
    # binnen: mentioned without judgement; a judgement on another segment does not count
    segments += [("R21", ["dreiging.binnen"]), ("R21", ["dekking.buiten_bereik"])]
    # lines of work: ondersteuning by 3 respondents, nazorg by 1
    segments += [(f"R3{i}", ["werklijn.ondersteuning"]) for i in range(1, 4)] + [("R31", ["werklijn.nazorg"])]
    return segments


def test_threat_coverage_counts_judgements_on_the_same_segment_only(small_bases_allowed):
    coverage = threat_coverage(make_evaluation(_coverage_segments())).set_index("code")
    assert coverage.loc["dreiging.verbaal", "coverage"] == 1.0
    assert coverage.loc["dreiging.online", "coverage"] == 0.25
    assert coverage.loc["dreiging.online", "judgements"] == 4
    assert pd.isna(coverage.loc["dreiging.binnen", "coverage"])
    assert coverage.loc["dreiging.binnen", "mentioned"] == 1


def test_drops_fall_at_twice_the_radius_times_the_uncovered_share():
    coverage = pd.DataFrame(
        {
            "code": ["a", "b", "c", "d"],
            "name": ["A", "B", "C", "D"],
            "coverage": [1.0, 0.75, 0.5, 0.0],
        }
    )
    drops = weather_drops(coverage).set_index("code")
    assert drops.loc["b", "distance"] == pytest.approx(0.5 * CANOPY_RADIUS)
    assert drops.loc["c", "distance"] == pytest.approx(CANOPY_RADIUS)
    assert drops.loc["d", "distance"] == pytest.approx(2 * CANOPY_RADIUS)
    assert drops.loc["a", "reach"] == INSIDE and drops.loc["b", "reach"] == INSIDE
    # Exactly half the judgements within reach is not enough to stay dry.
    assert drops.loc["c", "reach"] == OUTSIDE and drops.loc["d", "reach"] == OUTSIDE
    assert abs(drops.loc["d", "x"]) == pytest.approx(2 * CANOPY_RADIUS)
    # Drops on the canopy rest above the cloth; drops outside lie below the hem.
    assert (drops.loc[["a", "b"], "y"] > 0).all()
    assert (drops.loc[["c", "d"], "y"] < 0).all()


def test_canopy_panel_widths_follow_the_respondents_mentioning_each_line(small_bases_allowed):
    panels = canopy_panels(make_evaluation(_coverage_segments())).set_index("code")
    width = panels["x_end"] - panels["x_start"]
    assert width.sum() == pytest.approx(2 * CANOPY_RADIUS)
    assert width["werklijn.ondersteuning"] > width["werklijn.nazorg"] > 0
    # Lines nobody mentions keep the minimum width, so the canopy never loses a panel.
    assert width["werklijn.bewustwording"] == pytest.approx(width["werklijn.voorlichting"])
    assert panels.loc["werklijn.bewustwording", "share"] >= MIN_PANEL_SHARE - 1e-9


def test_umbrella_figure_is_drawn_from_the_data_and_moves_with_it(small_bases_allowed):
    ev = make_evaluation(_coverage_segments())
    plot = umbrella_figure(ev)
    assert isinstance(plot, ggplot)
    geoms = [type(layer.geom).__name__ for layer in plot.layers]
    assert "geom_polygon" in geoms and "geom_point" in geoms
    polygon = next(layer for layer in plot.layers if type(layer.geom).__name__ == "geom_polygon")
    assert set(polygon.geom.data["label"]) == {"Bewustwording", "Voorlichting", "Ondersteuning", "Nazorg"}
    points = pd.concat([layer.geom.data for layer in plot.layers if type(layer.geom).__name__ == "geom_point"])
    assert set(points["code"]) == {"dreiging.verbaal", "dreiging.online"}

    # One more respondent judges online aggression within reach: its drop moves towards the centre.
    moved = umbrella_figure(make_evaluation(_coverage_segments() + [("R15", ["dreiging.online", "dekking.binnen_bereik"])]))
    x_before = abs(points.set_index("code").loc["dreiging.online", "x"])
    after = pd.concat([layer.geom.data for layer in moved.layers if type(layer.geom).__name__ == "geom_point"])
    assert abs(after.set_index("code").loc["dreiging.online", "x"]) < x_before


def test_umbrella_phrases_name_threats_inside_and_outside(small_bases_allowed):
    ev = make_evaluation(_coverage_segments())
    assert umbrella_inside_phrase(ev) == "verbale agressie"
    assert umbrella_outside_phrase(ev) == "online agressie"


# --- what the network does: lines of work and awareness ------------------------------


def test_workline_appreciation_counts_respondents_per_judgement():
    segments = [
        ("R01", ["werklijn.ondersteuning", "waardering.positief"]),
        ("R01", ["werklijn.ondersteuning", "waardering.positief"]),  # same respondent twice: counts once
        ("R02", ["werklijn.ondersteuning", "waardering.negatief"]),
        ("R03", ["werklijn.ondersteuning"]),
        ("R03", ["waardering.negatief"]),  # a judgement on another segment is not about this line
        ("R11", ["werklijn.nazorg", "waardering.positief"]),
    ]
    table = workline_appreciation(make_evaluation(segments)).set_index(["code", "group"])
    row = table.loc[("werklijn.ondersteuning", "actieve deelnemer")]
    assert (row["mentioned"], row["positive"], row["negative"]) == (3, 1, 1)
    assert table.loc[("werklijn.nazorg", "critical friend"), "positive"] == 1
    assert table.loc[("werklijn.ondersteuning", "totaal"), "mentioned"] == 3
    sentence = workline_sentence(make_evaluation(segments), "werklijn.ondersteuning")
    assert sentence.startswith("Enkele respondenten noemen ondersteuning in het gesprek")
    assert not re.search(r"\d", sentence)  # findings in words, never numbers
    figure = workline_appreciation_figure(make_evaluation(segments))
    data = figure.data
    critical = data[(data["code"] == "werklijn.ondersteuning") & (data["group"] == "actieve deelnemer")]
    assert sorted(critical["scale"].tolist()) == [-1, 1]  # 'enkele' of 10, left and right: words, not counts
    assert critical["text"].tolist() == ["enkele", "enkele"]


def test_awareness_and_count_phrases():
    segments = [(f"R3{i}", ["bekendheid.onbekend"]) for i in range(1, 8)] + [("R31", ["bekendheid.bekend"])]
    table = awareness_frame(make_evaluation(segments)).set_index("group")
    assert table.loc["onbekend met het netwerk", "did_not_know"] == 7
    assert table.loc["onbekend met het netwerk", "knew"] == 1
    assert count_phrase(3, 10, "criticasters") == "een minderheid van de criticasters"
    assert count_phrase(7, 10, "criticasters", start=True) == "De meeste criticasters"


# --- appendices -----------------------------------------------------------------------


def test_data_files_table_shows_the_hashes_of_the_files_on_disk():
    ev = load_evaluation()
    table = data_files_table(ev)
    column = f"SHA-256 (eerste {HASH_DIGITS} tekens)"
    register = hashlib.sha256((DEMO_DIR / "register.csv").read_bytes()).hexdigest()
    assert table.loc["data/demo/register.csv", column] == register[:HASH_DIGITS]
    polarities = hashlib.sha256(POLARITIES_FILE.read_bytes()).hexdigest()
    assert table.loc["content/polarities.yml", column] == polarities[:HASH_DIGITS]
    transcripts = sorted((DEMO_DIR / "transcripts").glob("*.txt"))
    assert transcript_count(ev) == str(len(transcripts))
    lines = "".join(
        f"transcripts/{p.name} {hashlib.sha256(p.read_bytes()).hexdigest()}\n" for p in transcripts
    )
    combined = hashlib.sha256(lines.encode()).hexdigest()
    assert table.loc[f"data/demo/transcripts/ ({len(transcripts)} bestanden)", column] == combined[:HASH_DIGITS]


def test_a_changed_data_file_changes_its_hash(tmp_path):
    ev = load_evaluation()
    changed = dataclasses.replace(ev, file_hashes={**ev.file_hashes, "register.csv": "f" * 64})
    column = f"SHA-256 (eerste {HASH_DIGITS} tekens)"
    assert data_files_table(changed).loc["data/demo/register.csv", column] == "f" * HASH_DIGITS


def test_software_versions_come_from_the_installed_packages():
    table = software_versions_table()
    assert table.loc["pandas", "Versie"] == pd.__version__
    assert table.loc["plotnine", "Versie"] == importlib.metadata.version("plotnine")
    assert re.fullmatch(r"\d+\.\d+(\.\d+)*", table.loc["pandoc", "Versie"])
    assert re.fullmatch(r"3\.11\.\d+", table.loc["Python", "Versie"])


def test_codebook_table_lists_every_code_of_the_codebook():
    ev = load_evaluation()
    table = codebook_table(ev)
    assert list(table.index) == list(ev.codebook["code"])
    assert table.loc["polariteit.normen", "Naam"] == "Normen"


# --- the chapters of this area ----------------------------------------------------------

CHAPTERS = ("06-praktijk", "07-paraplu", "08-conclusies", "09-keuzes", "b-codeboek", "c-verantwoording-data")


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_figure_in_the_chapter_has_alt_text_and_is_referenced(name):
    text = (REPO_ROOT / "chapters" / f"{name}.qmd").read_text(encoding="utf-8")
    cells = re.findall(r"```\{python\}\n(.*?)```", text, flags=re.S)
    prose = re.sub(r"```\{python\}\n.*?```", "", text, flags=re.S)
    for cell in cells:
        label = re.search(r"#\| label: (fig-[\w-]+)", cell)
        if label:
            assert re.search(r'#\| fig-alt: ".{40,}"', cell), f"{label.group(1)} has no meaningful fig-alt"
            assert "#| fig-cap:" in cell
            assert f"@{label.group(1)}" in prose, f"{label.group(1)} is never referenced"
    for heading in re.findall(r"^#+ .*$", prose, flags=re.M):
        assert "{#sec-" in heading, f"heading without id: {heading}"


def test_group_contrast_names_the_groups_with_most_judgements_and_ties():
    segments = [(f"R0{i}", ["werklijn.nazorg", "waardering.positief"]) for i in range(1, 5)]
    segments += [("R11", ["werklijn.nazorg", "waardering.negatief"]), ("R21", ["werklijn.nazorg", "waardering.negatief"])]
    segments += [("R31", ["werklijn.nazorg", "waardering.positief"])]  # one of one: a high share, but few people
    sentence = workline_group_contrast(make_evaluation(segments), "werklijn.nazorg")
    assert sentence == (
        "Positieve oordelen komen het vaakst van de actieve deelnemers; "
        "kritiek het vaakst van de critical friends en de criticasters."
    )


@pytest.mark.parametrize("judgement", ["dekking.binnen_bereik", "dekking.buiten_bereik"])
def test_umbrella_figure_draws_when_every_threat_falls_on_one_side(judgement, tmp_path):
    segments = [(f"R0{i}", ["dreiging.verbaal", judgement]) for i in range(1, 5)]
    segments += [(f"R3{i}", ["werklijn.ondersteuning"]) for i in range(1, 4)]
    plot = umbrella_figure(make_evaluation(segments))
    plot.save(tmp_path / "paraplu.png", dpi=50, verbose=False)
    assert (tmp_path / "paraplu.png").stat().st_size > 0
