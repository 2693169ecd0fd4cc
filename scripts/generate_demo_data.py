"""Write the synthetic demo data set, byte for byte the same on every run.

Usage::

    python scripts/generate_demo_data.py            # writes data/demo/** and data/datapackage.json
    python scripts/generate_demo_data.py --root DIR # writes DIR/demo/** and DIR/datapackage.json,
                                                    # reading the facts from DIR/facts

Everything is driven by the seed; no clock, no environment. Two random streams
come from it: the structural one decides who is who, which codes each
respondent gets, every judgement, the second coding and the survey; the
wording stream (``Phrasebook``) only decides how things are said. Rewording
the interviews therefore leaves every count in the report unchanged.
The interviews are invented (see ``demo_text.py``). The survey is calibrated on
the published 2022 monitor figures in ``data/facts``: exactly 77% of
burgemeesters, 67% of wethouders and 45% of raadsleden report aggression.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import itertools
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO_ROOT))

import demo_text as T  # noqa: E402

SEED = 20240514
WORDING_SEED = f"{SEED}/wording"
CODERS = ("codeur-1", "codeur-2")

# --- codebook -------------------------------------------------------------------------------

CODEBOOK_HEADER = (
    "# Codeboek van de interviews (demonstratieset).\n"
    "# Elke code heeft een id als pad met punten: een kind begint met het id van zijn ouder.\n"
    "# Dit bestand wordt geschreven door scripts/generate_demo_data.py; wijzig het daar.\n"
)


def load_codebook_tree() -> list[dict]:
    """The codebook tree is kept in scripts/demo_codebook.yml (the design) and copied into the demo set."""
    import yaml

    return yaml.safe_load((HERE / "demo_codebook.yml").read_text(encoding="utf-8"))["codes"]


def codebook_yaml(tree: list[dict]) -> str:
    """Emit the codebook in a fixed layout, independent of the YAML library's defaults."""
    import yaml

    body = yaml.safe_dump({"version": 1, "codes": tree}, allow_unicode=True, sort_keys=False, width=4096)
    return CODEBOOK_HEADER + body


def flatten(tree: list[dict], parent: str = "", level: int = 1) -> list[dict]:
    rows = []
    for node in tree:
        rows.append({"code": node["code"], "parent": parent, "name": node["name"], "description": node["description"], "level": level})
        rows.extend(flatten(node.get("children", []), node["code"], level + 1))
    return rows


# --- respondents ---------------------------------------------------------------------------------

# (group, function, tier) slots, ten per group. Respondent numbers are shuffled over the slots.
SLOTS = (
    [("actieve deelnemer", f, "gemeente") for f in ("burgemeester",) * 3 + ("wethouder",) * 3 + ("griffier", "gemeentesecretaris")]
    + [("actieve deelnemer", "partnerorganisatie", "landelijk")] * 2
    + [("critical friend", f, "gemeente") for f in ("burgemeester",) * 2 + ("wethouder",) * 2 + ("raadslid",) * 2 + ("griffier",)]
    + [("critical friend", "ambtenaar", "provincie"), ("critical friend", "partnerorganisatie", "landelijk"), ("critical friend", "partnerorganisatie", "landelijk")]
    + [("criticaster", f, "gemeente") for f in ("burgemeester",) + ("wethouder",) * 3 + ("raadslid",) * 4 + ("gemeentesecretaris",)]
    + [("criticaster", "ambtenaar", "waterschap")]
    + [("onbekend met het netwerk", f, "gemeente") for f in ("wethouder",) * 4 + ("raadslid",) * 6]
)

# Probability that a respondent of each group raises a topic.
P_THREAT = {
    "actieve deelnemer": {"verbaal": 0.8, "bedreiging": 0.7, "fysiek": 0.3, "online": 0.6, "ondermijning": 0.3, "binnen": 0.2, "integriteit": 0.2, "sociale_onveiligheid": 0.1},
    "critical friend": {"verbaal": 0.7, "bedreiging": 0.6, "fysiek": 0.2, "online": 0.8, "ondermijning": 0.4, "binnen": 0.5, "integriteit": 0.5, "sociale_onveiligheid": 0.5},
    "criticaster": {"verbaal": 0.6, "bedreiging": 0.5, "fysiek": 0.2, "online": 0.9, "ondermijning": 0.3, "binnen": 0.7, "integriteit": 0.4, "sociale_onveiligheid": 0.7},
    "onbekend met het netwerk": {"verbaal": 0.8, "bedreiging": 0.5, "fysiek": 0.2, "online": 0.8, "ondermijning": 0.1, "binnen": 0.3, "integriteit": 0.1, "sociale_onveiligheid": 0.3},
}
# Probability that a mentioned threat is judged within the network's reach.
P_COVERED = {"verbaal": 0.85, "bedreiging": 0.85, "fysiek": 0.9, "online": 0.25, "ondermijning": 0.2, "binnen": 0.1, "integriteit": 0.2, "sociale_onveiligheid": 0.1}
COVERAGE_SHIFT = {"actieve deelnemer": 0.1, "critical friend": 0.0, "criticaster": -0.2, "onbekend met het netwerk": -0.1}
P_JUDGED = {"actieve deelnemer": 0.95, "critical friend": 0.9, "criticaster": 0.9, "onbekend met het netwerk": 0.5}

P_POLARITY = {
    "actieve deelnemer": {"inzoomen": 0.7, "uitzoomen": 0.3, "buiten": 0.7, "binnen": 0.2, "instrumenten": 0.8, "normen": 0.3},
    "critical friend": {"inzoomen": 0.3, "uitzoomen": 0.7, "buiten": 0.4, "binnen": 0.6, "instrumenten": 0.4, "normen": 0.7},
    "criticaster": {"inzoomen": 0.2, "uitzoomen": 0.6, "buiten": 0.3, "binnen": 0.8, "instrumenten": 0.3, "normen": 0.8},
    "onbekend met het netwerk": {"inzoomen": 0.5, "uitzoomen": 0.2, "buiten": 0.7, "binnen": 0.2, "instrumenten": 0.7, "normen": 0.2},
}
WERKLIJN_COUNT = {"actieve deelnemer": (3, 4), "critical friend": (2, 3), "criticaster": (2, 3), "onbekend met het netwerk": (0, 1)}
P_POSITIVE = {"actieve deelnemer": 0.85, "critical friend": 0.55, "criticaster": 0.2, "onbekend met het netwerk": 0.5}
P_CHANGE_INSIDE = {"actieve deelnemer": 0.2, "critical friend": 0.5, "criticaster": 0.7, "onbekend met het netwerk": 0.2}


# Identifying columns of the register: never published, only checked against the quotes (analysis.identity).
# Invented combinations of common first names and surnames, and municipalities; none occurs in a transcript.
FIRST_NAMES = ("Anouk", "Bram", "Carla", "Daan", "Esther", "Floor", "Gert", "Hanneke", "Ivo", "Joost",
               "Karin", "Lieke", "Maarten", "Nienke", "Olaf", "Petra", "Ruud", "Sanne", "Thijs", "Wendy")
SURNAMES = ("de Vries", "Jansen", "Visser", "Smit", "Mulder", "de Boer", "Dekker", "Brouwer", "Vermeulen", "van Dijk")
PLACES = ("Zwolle", "Deventer", "Urk", "Hoorn", "Assen", "Tiel", "Venlo", "Emmen", "Gouda", "Breda",
          "Delft", "Almelo", "Oss", "Weert", "Sneek", "Doetinchem", "Meppel", "Harderwijk")


def add_identities(register: list[dict]) -> None:
    """Give every respondent an invented name and a place, from a stream of their own.

    The stream is separate so that the structure (and every number in the report) does not move.
    """
    rng = random.Random(f"{SEED}/identities")
    names = rng.sample([f"{first} {last}" for first in FIRST_NAMES for last in SURNAMES], len(register))
    for person, name in zip(register, names):
        person["name"] = name
        person["place"] = rng.choice(PLACES)


def build_register(rng: random.Random) -> list[dict]:
    slots = list(SLOTS)
    assert len(slots) == 40, len(slots)
    rng.shuffle(slots)
    register = []
    for number, (group, function, tier) in enumerate(slots, start=1):
        register.append(
            {
                "respondent": f"R{number:02d}",
                "group": group,
                "function": function,
                "tier": tier,
                "consent_quote": "true" if rng.random() < 0.85 else "false",
            }
        )
    return register


# --- wording ---------------------------------------------------------------------------------------

# The structural stream once also picked each sentence, from pools of these sizes. Those draws are
# still made and discarded, so that the structure (and every number in the report) stays exactly
# as published while the wording comes from its own stream.
LEGACY_POOL_SIZE = {
    "question": 2, "filler": 6, "bekendheid": 4, "threat": 3, "coverage": 4,
    "verandering": 3, "werklijn": 2, "appraisal": 3, "bescherming": 2, "polariteit": 2,
}


def keep_in_step(rng: random.Random, kind: str) -> None:
    """Consume what ``rng.choice`` over the old pool consumed (``randrange`` draws the same bits)."""
    rng.randrange(LEGACY_POOL_SIZE[kind])


ALTERNATIVES = re.compile(r"\{([^{}]*)\}")


def wordings(template: str) -> list[str]:
    """Every sentence a template with ``{a|b}`` alternatives can stand for."""
    pieces = ALTERNATIVES.split(template)  # literal, options, literal, options, ...
    choices = [piece.split("|") if index % 2 else [piece] for index, piece in enumerate(pieces)]
    return ["".join(combination) for combination in itertools.product(*choices)]


class Phrasebook:
    """Says things in varied words, never the same fragment twice while avoidable.

    Each choice takes the wording least used overall, then the one least used with the same
    code (``context``): a sentence comes back only when its pool is spent, and then preferably
    with another code, so quotes of one code rarely share a sentence. Within one interview a
    respondent never repeats a sentence while the pool has another.
    """

    ATTEMPTS = 25
    P_LEAD = 0.25
    P_FOLLOW_UP = 0.6

    def __init__(self, seed: str) -> None:
        self.rng = random.Random(seed)
        self.used: Counter[tuple[str, str]] = Counter()
        self.said: set[str] = set()
        self.said_in_interview: set[str] = set()

    def new_interview(self) -> None:
        self.said_in_interview = set()

    def _least_used(self, options, context: str) -> str:
        def use(option: str) -> tuple[int, int]:
            return self.used["", option], self.used[context, option]

        options = [o for o in options if o not in self.said_in_interview] or list(options)
        fewest = min(use(o) for o in options)
        chosen = self.rng.choice([o for o in options if use(o) == fewest])
        self.used[context, chosen] += 1
        self.used["", chosen] += 1
        self.said_in_interview.add(chosen)
        return chosen

    def sentence(self, templates: tuple[str, ...], context: str = "") -> str:
        wording = self._least_used(wordings(self._least_used(templates, context)), context)
        if ". " in wording:
            # the second coder's "first sentence only" reading cuts at ". "
            raise ValueError(f"demo_text: a sentence may not contain '. ': {wording!r}")
        return wording

    def fragment(self, pool: dict[str, tuple[str, ...]], context: str, *, lead: bool = False, follow_up: bool = True) -> str:
        """A statement from ``pool["kern"]``, sometimes opened by a spoken lead and followed by a ``vervolg``."""
        for attempt in range(self.ATTEMPTS):
            # a rejected attempt must not count as said, or it would push the next choices aside
            before = self.used.copy(), set(self.said_in_interview)
            text = self._compose(pool, context, lead=lead, follow_up=follow_up)
            if text not in self.said or attempt == self.ATTEMPTS - 1:
                break
            self.used, self.said_in_interview = before
        self.said.add(text)
        return text

    def _compose(self, pool: dict[str, tuple[str, ...]], context: str, *, lead: bool, follow_up: bool) -> str:
        text = self.sentence(pool["kern"], context)
        if lead and self.rng.random() < self.P_LEAD:
            text = self.rng.choice(T.LEADS) + text[0].lower() + text[1:]
        if follow_up and pool.get("vervolg") and self.rng.random() < self.P_FOLLOW_UP:
            text = f"{text} {self.sentence(pool['vervolg'], context)}"
        return text


# --- interviews -----------------------------------------------------------------------------------


def plan_interview(rng: random.Random, words: Phrasebook, person: dict) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """Topics in order, each a list of (answer text, codes) pieces; codes empty for filler."""
    group = person["group"]
    topics: list[tuple[str, list[tuple[str, list[str]]]]] = []

    known = "bekendheid.onbekend" if group == "onbekend met het netwerk" else "bekendheid.bekend"
    keep_in_step(rng, "bekendheid")
    topics.append(("bekendheid", [(words.fragment(T.BEKENDHEID[known], known, lead=True), [known])]))

    threat_pieces: list[tuple[str, list[str]]] = []
    for form, p in P_THREAT[group].items():
        if rng.random() >= p:
            continue
        code = f"dreiging.{form}"
        keep_in_step(rng, "threat")
        sentence = words.fragment(T.THREATS[code], code, lead=True)
        codes = [code]
        if rng.random() < P_JUDGED[group]:
            covered = rng.random() < P_COVERED[form] + COVERAGE_SHIFT[group]
            judgement = "dekking.binnen_bereik" if covered else "dekking.buiten_bereik"
            keep_in_step(rng, "coverage")
            sentence = f"{sentence} {words.fragment(T.COVERAGE[judgement], code)}"
            codes.append(judgement)
        threat_pieces.append((sentence, codes))
    if not threat_pieces:
        threat_pieces.append((words.fragment(T.THREATS["dreiging.verbaal"], "dreiging.verbaal", lead=True), ["dreiging.verbaal"]))
    topics.append(("dreiging", threat_pieces))

    change = []
    for code, p in (("verandering.van_buiten", 0.75), ("verandering.van_binnen", P_CHANGE_INSIDE[group])):
        if rng.random() < p:
            keep_in_step(rng, "verandering")
            change.append((words.fragment(T.VERANDERING[code], code, lead=True), [code]))
    if change:
        topics.append(("verandering", change))

    low, high = WERKLIJN_COUNT[group]
    lines = rng.sample(sorted(T.WERKLIJNEN), rng.randint(low, high))
    work = []
    for line in sorted(lines):
        appraisal = "waardering.positief" if rng.random() < P_POSITIVE[group] else "waardering.negatief"
        keep_in_step(rng, "werklijn")
        keep_in_step(rng, "appraisal")
        text = f"{words.fragment(T.WERKLIJNEN[line], line, lead=True)} {words.fragment(T.APPRAISAL[appraisal], line)}"
        work.append((text, [line, appraisal]))
    if work:
        topics.append(("werklijn", work))

    protections = rng.sample(sorted(T.BESCHERMING), rng.randint(1, 3))
    protection_pieces = []
    for code in sorted(protections):
        keep_in_step(rng, "bescherming")
        protection_pieces.append((words.fragment(T.BESCHERMING[code], code, lead=True), [code]))
    topics.append(("bescherming", protection_pieces))

    poles = []
    for pole, p in P_POLARITY[group].items():
        if rng.random() < p:
            keep_in_step(rng, "polariteit")
            code = f"polariteit.{pole}"
            poles.append((words.fragment(T.POLARITEIT[code], code, lead=True), [code]))
    if poles:
        topics.append(("polariteit", poles))
    return topics


def write_transcript(rng: random.Random, words: Phrasebook, person: dict, interview: str, topics) -> tuple[str, list[dict]]:
    """Lay out the transcript and return it with the coded spans (code point offsets)."""
    parts: list[str] = [
        f"Interview {interview}, respondent {person['respondent']} ({person['function']})\n",
        "Synthetisch demonstratie-interview: verzonnen tekst, geen echte persoon.\n",
    ]
    spans: list[dict] = []
    position = sum(len(p) for p in parts)

    def emit(text: str) -> int:
        nonlocal position
        parts.append(text)
        start = position
        position += len(text)
        return start

    for topic, pieces in topics:
        keep_in_step(rng, "question")
        emit(f"\nI: {words.sentence(T.QUESTIONS[topic], topic)}\nR: ")
        if rng.random() < 0.3:
            keep_in_step(rng, "filler")
            emit(words.sentence(T.FILLERS) + " ")
        for index, (text, codes) in enumerate(pieces):
            if index:
                emit(" ")
            start = emit(text)
            spans.append({"start": start, "end": start + len(text), "text": text, "codes": codes})
        emit("\n")
    return "".join(parts), spans


SIBLING_SWAP = {
    "dekking.binnen_bereik": "dekking.buiten_bereik",
    "dekking.buiten_bereik": "dekking.binnen_bereik",
    "waardering.positief": "waardering.negatief",
    "waardering.negatief": "waardering.positief",
    "polariteit.inzoomen": "polariteit.uitzoomen",
    "polariteit.uitzoomen": "polariteit.inzoomen",
    "polariteit.instrumenten": "polariteit.normen",
    "polariteit.normen": "polariteit.instrumenten",
    "dreiging.binnen": "dreiging.sociale_onveiligheid",
    "dreiging.sociale_onveiligheid": "dreiging.binnen",
    "bescherming.individueel": "bescherming.collectief",
    "bescherming.collectief": "bescherming.organisatorisch",
    "bescherming.organisatorisch": "bescherming.collectief",
    "bescherming.normatief": "bescherming.collectief",
}


def second_coding(rng: random.Random, spans: list[dict], transcript: str) -> list[dict]:
    """A second coder's reading: mostly the same, with dropped, swapped and narrower codings."""
    recoded = []
    for span in spans:
        codes = []
        for code in span["codes"]:
            roll = rng.random()
            if roll < 0.08:
                continue  # overlooked
            if roll < 0.16 and code in SIBLING_SWAP:
                code = SIBLING_SWAP[code]
            codes.append(code)
        if not codes:
            continue
        start, end = span["start"], span["end"]
        if rng.random() < 0.25:
            # selects only the first sentence of the fragment
            cut = transcript.find(". ", start, end)
            if cut != -1:
                end = cut + 1
        recoded.append({"start": start, "end": end, "text": transcript[start:end], "codes": list(dict.fromkeys(codes))})
    return recoded


# --- survey ------------------------------------------------------------------------------------------

SURVEY_N = {"burgemeester": 200, "wethouder": 700, "raadslid": 2200}
# Assumed population sizes in 2022, illustrative round numbers: weights scale each function to it.
POPULATION = {"burgemeester": 344, "wethouder": 1450, "raadslid": 8900}
TREND_GROUP = {"burgemeester": "burgemeesters", "wethouder": "wethouders", "raadslid": "raadsleden"}
VARIABLES = (
    "agressie", "verbaal", "verbaal_online", "bedreiging", "fysiek", "aangifte", "gevolgen",
    "sociale_media_aangepast", "besluitvorming_beinvloed", "eigen_keuzes_beinvloed", "overweegt_stoppen",
)


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def exact_count(share: float, n: int, label: str) -> int:
    count = round(share * n)
    if abs(count - share * n) > 1e-9:
        raise SystemExit(f"cannot calibrate {label}: {share} x {n} is not a whole number")
    return count


def pick(rng: random.Random, pool: list[int], k: int) -> set[int]:
    k = max(0, min(k, len(pool)))
    return set(rng.sample(pool, k))


def build_survey(rng: random.Random, facts_dir: Path) -> list[dict]:
    trend = {(r["year"], r["group"]): float(r["share"]) for r in read_csv(facts_dir / "monitor-trend.csv")}
    targets = {r["indicator"]: float(r["share"]) for r in read_csv(facts_dir / "monitor-2022.csv")}
    aggression = {f: trend[("2022", TREND_GROUP[f])] for f in SURVEY_N}
    overall = sum(POPULATION[f] * aggression[f] for f in SURVEY_N) / sum(POPULATION.values())
    rows: list[dict] = []
    for function, n in SURVEY_N.items():
        people = [dict.fromkeys(VARIABLES, 0) for _ in range(n)]
        everyone = list(range(n))
        victims = sorted(pick(rng, everyone, exact_count(aggression[function], n, f"agressie {function}")))
        others = [i for i in everyone if i not in set(victims)]
        for i in victims:
            people[i]["agressie"] = 1
        # Types of aggression only among victims, scaled so the weighted total meets the published share.
        verbal = pick(rng, victims, round(targets["verbaal"] / overall * len(victims)))
        for i in verbal:
            people[i]["verbaal"] = 1
        for i in pick(rng, sorted(verbal), round(targets["verbaal_online"] * len(verbal))):
            people[i]["verbaal_online"] = 1
        without_type = [i for i in victims if i not in verbal]
        threat_target = round(targets["bedreiging"] / overall * len(victims))
        threatened = set(without_type) | pick(rng, sorted(verbal), threat_target - len(without_type))
        for i in threatened:
            people[i]["bedreiging"] = 1
        for i in pick(rng, victims, round(targets["fysiek"] / overall * len(victims))):
            people[i]["fysiek"] = 1
        # Follow-up questions asked only of victims.
        for name in ("aangifte", "gevolgen"):
            chosen = pick(rng, victims, round(targets[name] * len(victims)))
            for i in victims:
                people[i][name] = 1 if i in chosen else 0
            for i in others:
                people[i][name] = None
        # Impact, asked of everyone; more common where aggression is more common, mostly among victims.
        for name in ("sociale_media_aangepast", "besluitvorming_beinvloed", "eigen_keuzes_beinvloed", "overweegt_stoppen"):
            total = round(targets[name] * n * aggression[function] / overall)
            among_victims = min(len(victims), round(0.8 * total))
            chosen = pick(rng, victims, among_victims) | pick(rng, others, total - among_victims)
            for i in chosen:
                people[i][name] = 1
        weight = f"{POPULATION[function] / n:.6f}"
        for person in people:
            rows.append({"function": function, "weight": weight, **person})
    rng.shuffle(rows)
    return [{"id": f"E{number:04d}", **row} for number, row in enumerate(rows, start=1)]


# --- writing -----------------------------------------------------------------------------------------


def csv_text(columns: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in columns})
    return buffer.getvalue()


def write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.exists() and path.read_bytes() == data:
        return
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)  # atomic: readers see the old file or the new one, never half of one


def generate(root: Path) -> list[Path]:
    """Write ``root/demo/**`` and ``root/datapackage.json``; return the files written."""
    from analysis.datapackage import build_datapackage
    from analysis.qdpx import write_qdpx

    rng = random.Random(SEED)
    words = Phrasebook(WORDING_SEED)
    demo = root / "demo"
    tree = load_codebook_tree()
    codebook_rows = flatten(tree)
    register = build_register(rng)

    transcripts: dict[str, str] = {}
    segments: list[dict] = []
    double = set()
    by_group: dict[str, list[str]] = {}
    for person in register:
        by_group.setdefault(person["group"], []).append(person["respondent"])
    for group in sorted(by_group):
        double.update(rng.sample(by_group[group], 2))

    counter = 0
    for person in register:
        interview = "INT" + person["respondent"][1:]
        words.new_interview()
        topics = plan_interview(rng, words, person)
        transcript, spans = write_transcript(rng, words, person, interview, topics)
        transcripts[interview] = transcript
        codings = [(CODERS[0], spans)]
        if person["respondent"] in double:
            codings.append((CODERS[1], second_coding(rng, spans, transcript)))
        for coder, coded in codings:
            for span in coded:
                counter += 1
                for code in span["codes"]:
                    segments.append(
                        {
                            "segment": f"S{counter:04d}",
                            "respondent": person["respondent"],
                            "interview": interview,
                            "code": code,
                            "coder": coder,
                            "start": span["start"],
                            "end": span["end"],
                            "text": span["text"],
                        }
                    )
    survey = build_survey(rng, root / "facts")
    add_identities(register)

    files = {
        demo / "DEMO": (
            "Synthetische demonstratiedata.\n"
            "Alle respondenten, interviews en enquêteantwoorden in deze map zijn verzonnen door\n"
            "scripts/generate_demo_data.py. Ze verwijzen niet naar echte personen.\n"
        ),
        demo / "codebook.yml": codebook_yaml(tree),
        demo / "register.csv": csv_text(["respondent", "group", "function", "tier", "consent_quote", "name", "place"], register),
        demo / "segments.csv": csv_text(["segment", "respondent", "interview", "code", "coder", "start", "end", "text"], segments),
        demo / "survey.csv": csv_text(["id", "function", "weight", *VARIABLES], survey),
    }
    for interview, text in transcripts.items():
        files[demo / "transcripts" / f"{interview}.txt"] = text
    qdpx_path = demo / "refi-qda" / "nwb-demo.qdpx"
    files[qdpx_path] = write_qdpx(codebook_rows, register, segments, transcripts)
    # everything is built before anything is written: a failure leaves the old set intact
    for path, content in files.items():
        write(path, content)
    package = build_datapackage(root)
    write(root / "datapackage.json", json.dumps(package, ensure_ascii=False, indent=2) + "\n")
    return sorted([*files, root / "datapackage.json"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO_ROOT / "data", help="data root holding facts/; demo/ is written below it")
    args = parser.parse_args(argv)
    written = generate(args.root.resolve())
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in written)).hexdigest()[:12]
    print(f"wrote {len(written)} files under {args.root} (digest {digest})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
