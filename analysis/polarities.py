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

__all__ = [
    "POLARITIES_FILE",
    "Pole",
    "Polarity",
    "PolarityConfigError",
    "PolarityMaps",
    "load_polarities",
    "polarity_frame_text",
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
    """Markdown lines with the higher purpose and deeper fear that frame a polarity map."""
    polarity = (maps or load_polarities()).get(polarity_id)
    return (
        f"**Hoger doel.** {polarity.hoger_doel}\n\n"
        f"**Diepste vrees.** {polarity.diepste_vrees}\n"
    )


_QUADRANTS = (
    ("opbrengsten", "Opbrengsten (+)"),
    ("valkuilen", "Valkuilen bij eenzijdigheid (–)"),
    ("signalen", "Vroege signalen"),
    ("acties", "Actiestappen"),
)


def polarity_map_table(polarity_id: str, maps: PolarityMaps | None = None) -> pd.DataFrame:
    """The polarity map as a two-column table: one row per item, quadrants as row labels.

    One item per cell (rather than a list inside a cell) keeps the table the
    same in HTML and PDF, since neither needs line breaks inside a cell.
    The quadrant name appears on the first row of each block only.
    """
    polarity = (maps or load_polarities()).get(polarity_id)
    rows: list[tuple[str, str, str]] = []
    for field, label in _QUADRANTS:
        left = list(getattr(polarity.left, field))
        right = list(getattr(polarity.right, field))
        depth = max(len(left), len(right))
        left += [""] * (depth - len(left))
        right += [""] * (depth - len(right))
        for i, (a, b) in enumerate(zip(left, right)):
            rows.append((label if i == 0 else "", a, b))
    table = pd.DataFrame(rows, columns=["Kwadrant", polarity.left.naam, polarity.right.naam])
    return table.set_index("Kwadrant")
