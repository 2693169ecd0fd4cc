"""The three choice polarities of chapter 9: their maps and where the respondent groups lean.

A polarity map (after Barry Johnson) holds two poles that need each other.
Its content is prose written by the evaluators and lives in
``content/polarities.yml``; this module parses that file into frozen,
strict models (an unknown or missing key stops the build with the file, the
line and the key), renders one map as a table that looks the same in HTML
and PDF, and counts from the coded interviews how the respondent groups lean
between the two poles.

Public surface: ``load_polarities``, ``polarity_map_table``,
``polarity_frame_text``, ``polarity_lean_table``, ``polarity_lean_figure``,
``polarity_both_poles_phrase``, ``PolarityConfigError``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from analysis.markdown import markdown_text

__all__ = [
    "POLARITIES_FILE",
    "Pole",
    "Polarity",
    "PolarityConfigError",
    "PolarityMaps",
    "load_polarities",
    "polarity_both_poles_phrase",
    "polarity_frame_text",
    "polarity_lean_figure",
    "polarity_lean_frame",
    "polarity_lean_sentence",
    "polarity_lean_table",
    "polarity_map_table",
]

#: The polarity maps shipped with the report, found from the package location.
POLARITIES_FILE = Path(__file__).resolve().parent.parent / "content" / "polarities.yml"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Items = Annotated[tuple[Text, ...], Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Pole(_Strict):
    """One pole of a polarity: its upsides, its downsides when overdone, warning signs and action steps."""

    id: Text
    code: Text
    naam: Text
    opbrengsten: Items
    valkuilen: Items
    signalen: Items
    acties: Items

    @field_validator("code")
    @classmethod
    def _is_polarity_code(cls, value: str) -> str:
        if not value.startswith("polariteit."):
            raise ValueError(f"code moet een polariteit-code uit het codeboek zijn (polariteit.*), niet '{value}'")
        return value


class Polarity(_Strict):
    """A pair of poles with the higher purpose both serve and the deeper fear if one is dropped."""

    id: Text
    titel: Text
    vraag: Text
    hoger_doel: Text
    diepste_vrees: Text
    polen: Annotated[tuple[Pole, ...], Field(min_length=2, max_length=2)]

    @property
    def left(self) -> Pole:
        return self.polen[0]

    @property
    def right(self) -> Pole:
        return self.polen[1]


class PolarityMaps(_Strict):
    """All polarity maps of the report, in reading order."""

    polariteiten: Annotated[tuple[Polarity, ...], Field(min_length=1)]

    @field_validator("polariteiten")
    @classmethod
    def _unique_ids(cls, value: tuple[Polarity, ...]) -> tuple[Polarity, ...]:
        ids = [polarity.id for polarity in value]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"id komt meer dan eens voor: {', '.join(duplicates)}")
        return value

    def get(self, polarity_id: str) -> Polarity:
        """Return the polarity with this id; a typo names the ids that exist."""
        for polarity in self.polariteiten:
            if polarity.id == polarity_id:
                return polarity
        known = ", ".join(p.id for p in self.polariteiten)
        raise KeyError(f"onbekende polariteit '{polarity_id}' (bekend: {known})")


class PolarityConfigError(ValueError):
    """The polarity file breaks a rule; the message names the file, the line and the key."""


def _location(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "het bestand"


def _node_at(root: yaml.Node | None, loc: tuple[Any, ...]) -> tuple[yaml.Node | None, yaml.Node | None]:
    """Follow a pydantic error location through the YAML node tree; return (key node, value node)."""
    key_node, node = None, root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
            if match is None:
                return key_node, node
            key_node, node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            key_node, node = None, node.value[part]
        else:
            return key_node, node
    return key_node, node


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation such as Annotated[tuple[Pole, ...], ...]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) + tuple(getattr(annotation, "__origin__", ()) and [annotation.__origin__]):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the mapping that holds the last element of loc."""
    current = model
    for part in loc[:-1]:
        if isinstance(part, str):
            current = _model_in(current.model_fields[part].annotation) or current
    return list(current.model_fields)


def _describe(error: dict[str, Any], root: yaml.Node | None, display: str) -> str:
    loc = tuple(error["loc"])
    key_node, value_node = _node_at(root, loc)
    parent = _location(loc[:-1])
    if error["type"] == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(PolarityMaps, loc))
        return f"{display}:{_line(key_node)}: onbekende sleutel '{loc[-1]}' in {parent} (toegestaan: {allowed})"
    if error["type"] == "missing":
        return f"{display}:{_line(value_node)}: verplichte sleutel '{loc[-1]}' ontbreekt in {parent}"
    return f"{display}:{_line(value_node)}: {_location(loc)}: {_message(error)}"


def _message(error: dict[str, Any]) -> str:
    """A Dutch rule for the common pydantic error types; pydantic's own text otherwise."""
    ctx = error.get("ctx", {})
    match error["type"]:
        case "too_short":
            return f"te weinig elementen: minimaal {ctx.get('min_length')}, gevonden {ctx.get('actual_length')}"
        case "too_long":
            return f"te veel elementen: maximaal {ctx.get('max_length')}, gevonden {ctx.get('actual_length')}"
        case "string_type":
            return "moet tekst zijn"
        case "string_too_short":
            return "mag niet leeg zijn"
        case "tuple_type" | "list_type":
            return "moet een lijst zijn"
        case "model_type" | "dict_type":
            return "moet een mapping met sleutels zijn"
    return str(error["msg"]).removeprefix("Value error, ")


def _root_causes(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop errors that only echo a deeper one (a tuple too short because its item failed)."""
    locs = [tuple(e["loc"]) for e in errors]
    return [
        e for e, loc in zip(errors, locs)
        if not (e["type"] == "too_short" and any(len(o) > len(loc) and o[: len(loc)] == loc for o in locs))
    ]


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(POLARITIES_FILE.parent.parent))
    except ValueError:
        return str(path)


def parse_polarities(text: str, display: str) -> PolarityMaps:
    """Parse polarity-map YAML text; ``display`` names the file in error messages."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise PolarityConfigError(f"{display}:{line}: geen geldige YAML ({getattr(error, 'problem', error)})") from None
    if not isinstance(data, dict):
        raise PolarityConfigError(f"{display}:1: verwacht een mapping met de sleutel 'polariteiten'")
    try:
        return PolarityMaps.model_validate(data)
    except ValidationError as error:
        lines = [_describe(e, root, display) for e in _root_causes(error.errors())]
        raise PolarityConfigError("\n".join(lines)) from None


def load_polarities(path: Path | str | None = None) -> PolarityMaps:
    """Load and validate the polarity maps (default: ``content/polarities.yml`` of this repository)."""
    path = POLARITIES_FILE if path is None else Path(path)
    return _load_cached(path.resolve(), path.stat().st_mtime_ns)


@cache
def _load_cached(path: Path, _mtime: int) -> PolarityMaps:
    return parse_polarities(path.read_text(encoding="utf-8"), _display_path(path))


def polarity_frame_text(polarity_id: str, maps: PolarityMaps | None = None) -> str:
    """Markdown lines with the higher purpose and deeper fear that frame a polarity map (their prose as text)."""
    polarity = (maps or load_polarities()).get(polarity_id)
    return (
        f"**Hoger doel.** {markdown_text(polarity.hoger_doel)}\n\n"
        f"**Diepste vrees.** {markdown_text(polarity.diepste_vrees)}\n"
    )


_QUADRANTS = (
    ("opbrengsten", "Opbrengsten (+)"),
    ("valkuilen", "Valkuilen bij eenzijdigheid (–)"),
    ("signalen", "Vroege signalen"),
    ("acties", "Actiestappen"),
)


def polarity_map_table(polarity_id: str, maps: PolarityMaps | None = None) -> pd.DataFrame:
    """The polarity map as a two-column table: one row per item, grouped by quadrant.

    One item per cell (rather than a list inside a cell) keeps the table the
    same in HTML and PDF, since neither needs line breaks inside a cell. The
    index is (quadrant, item number): pandas writes the quadrant once as a
    header cell spanning its rows, which pandoc carries into HTML and Typst
    alike, so every row keeps a real row header for screen readers.
    """
    polarity = (maps or load_polarities()).get(polarity_id)
    rows: list[tuple[str, int, str, str]] = []
    for field, label in _QUADRANTS:
        left = list(getattr(polarity.left, field))
        right = list(getattr(polarity.right, field))
        depth = max(len(left), len(right))
        left += [""] * (depth - len(left))
        right += [""] * (depth - len(right))
        for number, (a, b) in enumerate(zip(left, right), start=1):
            rows.append((label, number, a, b))
    table = pd.DataFrame(rows, columns=["Kwadrant", "Nr.", polarity.left.naam, polarity.right.naam])
    return table.set_index(["Kwadrant", "Nr."])


# --- Where the respondent groups lean (from the coded interviews) -----------------

LEAN_ONLY_LEFT = "alleen {left}"
LEAN_BOTH = "beide polen"
LEAN_ONLY_RIGHT = "alleen {right}"

#: Fills for the three lean categories, far apart in lightness (dark blue, light grey, orange),
#: so that the three stay distinct in greyscale print as well.
LEAN_FILLS = ("#004C7A", "#BDBDBD", "#D55E00")


def _pole_short(pole: Pole, ev) -> str:
    names = dict(zip(ev.codebook["code"], ev.codebook["name"]))
    return names.get(pole.code, pole.naam).lower()


def polarity_lean_table(ev, polarity_id: str, maps: PolarityMaps | None = None) -> pd.DataFrame:
    """Per respondent group: respondents naming only the left pole, both poles, only the right pole, or neither.

    Columns: ``group``, ``base``, ``left_only``, ``both``, ``right_only``,
    ``neither``, ``withheld``. A respondent counts at a pole when at least one
    segment of the interview carries the pole's code. Groups below the
    disclosure threshold are withheld (counts ``<NA>``).
    """
    from analysis import sdc
    from analysis.measures import TOTAL, group_sizes

    polarity = (maps or load_polarities()).get(polarity_id)
    known = set(ev.codebook["code"])
    for pole in polarity.polen:
        if pole.code not in known:
            raise KeyError(f"{_display_path(POLARITIES_FILE)}: pool '{pole.id}' verwijst naar code '{pole.code}', die niet in het codeboek staat")
    coded = ev.coded[["respondent", "code"]].drop_duplicates()
    left = set(coded.loc[coded["code"] == polarity.left.code, "respondent"])
    right = set(coded.loc[coded["code"] == polarity.right.code, "respondent"])
    sizes = group_sizes(ev, "group")
    membership = ev.register.set_index("respondent")["group"]
    rows = []
    for group in sizes.index:
        members = set(membership.index) if group == TOTAL else set(membership.index[membership == group])
        visible = sdc.allowed(int(sizes[group]), f"polarity_lean_table({polarity_id})", str(group))
        counts = (
            len((left - right) & members),
            len(left & right & members),
            len((right - left) & members),
            len(members - left - right),
        )
        rows.append((group, int(sizes[group]), *(counts if visible else (pd.NA,) * 4), not visible))
    table = pd.DataFrame(rows, columns=["group", "base", "left_only", "both", "right_only", "neither", "withheld"])
    for column in ("left_only", "both", "right_only", "neither"):
        table[column] = table[column].astype("Int64")
    return table


def polarity_lean_frame(ev, polarity_id: str, maps: PolarityMaps | None = None) -> pd.DataFrame:
    """Plotting data for :func:`polarity_lean_figure`: one row per group and lean category, in pole order.

    ``scale`` is the position of the respondents in that category on the scale
    of quantifier words (0 'geen' to 6 'alle', of the group), ``word`` the word:
    a count in groups of about ten is a count of fewer persons than the
    disclosure threshold, so the figure shows what the prose says instead.
    """
    from analysis.measures import QUANTIFIER_SCALE, TOTAL, quantifier
    from analysis.practice import GROUP_AXIS_LABELS
    from analysis.schemas import GROUPS

    polarity = (maps or load_polarities()).get(polarity_id)
    table = polarity_lean_table(ev, polarity_id, maps)
    table = table[(table["group"] != TOTAL) & ~table["withheld"]]
    categories = [
        LEAN_ONLY_LEFT.format(left=_pole_short(polarity.left, ev)),
        LEAN_BOTH,
        LEAN_ONLY_RIGHT.format(right=_pole_short(polarity.right, ev)),
    ]
    frames = []
    for column, category in zip(("left_only", "both", "right_only"), categories):
        words = [quantifier(int(count), int(base)) for count, base in zip(table[column], table["base"])]
        frames.append(
            pd.DataFrame(
                {
                    "group": table["group"],
                    "group_label": table["group"].map(GROUP_AXIS_LABELS),
                    "lean": category,
                    "word": words,
                    "scale": [QUANTIFIER_SCALE.index(word) for word in words],
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    frame["group_label"] = pd.Categorical(
        frame["group_label"], categories=[GROUP_AXIS_LABELS[g] for g in reversed(GROUPS) if g in set(table["group"])]
    )
    # Dodging runs bottom-up in the flipped chart: the left pole ends up on top of each group.
    frame["lean"] = pd.Categorical(frame["lean"], categories=list(reversed(categories)))
    frame.attrs["categories"] = categories
    return frame


def polarity_lean_figure(ev, polarity_id: str, maps: PolarityMaps | None = None):
    """Bars per respondent group: how many name only the left pole, both, only the right pole, in quantifier words."""
    from plotnine import (
        aes, coord_flip, geom_col, geom_text, ggplot, guide_legend, guides, labs, position_dodge, scale_fill_manual,
        scale_y_continuous, theme,
    )

    from analysis.measures import QUANTIFIER_SCALE
    from analysis.theme import FONT_FAMILY, INK, annotation_size

    frame = polarity_lean_frame(ev, polarity_id, maps)
    categories = frame.attrs["categories"]
    dodge = position_dodge(width=0.8)
    top = len(QUANTIFIER_SCALE) - 1
    frame = frame.assign(nudge=frame["scale"] + 0.2)
    return (
        ggplot(frame, aes(x="group_label", y="scale", fill="lean"))
        + geom_col(width=0.8, position=dodge)
        + geom_text(aes(y="nudge", label="word"), position=dodge, ha="left", size=annotation_size(), color=INK,
                    family=FONT_FAMILY)
        + coord_flip()
        + scale_fill_manual(values=dict(zip(categories, LEAN_FILLS)), breaks=categories)
        + scale_y_continuous(limits=(0, top + 3.5), breaks=[0, top],
                             labels=lambda values: [QUANTIFIER_SCALE[int(round(v))] if v <= top else "" for v in values])
        + guides(fill=guide_legend(nrow=1 if sum(len(c) for c in categories) < 60 else 3))
        + labs(x="", y="Respondenten in de groep")
        + theme(figure_size=(6.5, 4.2))
    )


def polarity_lean_sentence(ev, polarity_id: str, maps: PolarityMaps | None = None) -> str:
    """One or two sentences (Markdown) on how each respondent group leans, in quantifier words."""
    from analysis.measures import TOTAL
    from analysis.practice import GROUP_NOUNS

    polarity = (maps or load_polarities()).get(polarity_id)
    table = polarity_lean_table(ev, polarity_id, maps)
    table = table[(table["group"] != TOTAL) & ~table["withheld"]]
    left, right = markdown_text(_pole_short(polarity.left, ev)), markdown_text(_pole_short(polarity.right, ev))
    parts = []
    for _, row in table.iterrows():
        a = int(row["left_only"]) + int(row["both"])
        b = int(row["right_only"]) + int(row["both"])
        noun = GROUP_NOUNS[row["group"]]
        if a == 0 and b == 0:
            parts.append(f"de {noun} spreken zich er niet over uit")
        elif a > 1.5 * b:
            parts.append(f"de {noun} leunen naar {left}")
        elif b > 1.5 * a:
            parts.append(f"de {noun} leunen naar {right}")
        else:
            parts.append(f"de {noun} noemen beide ongeveer even vaak")
    if not parts:
        return "Over deze keuze rapporteren we per groep geen aantallen, omdat de groepen te klein zijn."
    text = "; ".join(parts[:-1]) + (" en " if len(parts) > 1 else "") + parts[-1]
    return text[0].upper() + text[1:] + "."


def polarity_both_poles_phrase(ev, polarity_id: str, maps: PolarityMaps | None = None) -> str:
    """Verb and quantifier for those naming both poles, among those naming at least one: 'noemt een minderheid'.

    Written to follow "Van de respondenten die zich hierover uitspreken, ..." and
    to be followed by "beide polen".
    """
    from analysis.measures import TOTAL, WITHHELD_WORD, quantifier

    table = polarity_lean_table(ev, polarity_id, maps).set_index("group")
    total = table.loc[TOTAL]
    if total["withheld"]:
        return "noemt een niet te publiceren aantal"
    speaking = int(total["left_only"]) + int(total["both"]) + int(total["right_only"])
    if speaking == 0:
        return "noemt niemand"
    return {
        "geen": "noemt niemand",
        "alle": "noemt iedereen",
        "vrijwel alle": "noemen vrijwel allen",
        "de meeste": "noemen de meesten",
        "ongeveer de helft": "noemt ongeveer de helft",
        "een minderheid": "noemt een minderheid",
        "enkele": "noemen enkelen",
        WITHHELD_WORD: "noemt een niet te publiceren aantal",
    }[quantifier(int(total["both"]), speaking)]
