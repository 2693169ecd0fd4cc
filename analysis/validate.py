"""Validation of every table, with every violation reported at once.

Validation runs in three passes, each collecting :class:`Violation` records
instead of stopping at the first problem:

1. *typing*: every cell is parsed into its declared type (integer, number,
   boolean, string); unknown and missing columns are reported;
2. *table rules*: a pandera schema built from :mod:`analysis.schemas` checks
   required values, categories, patterns and ranges (lazily, so all failures
   surface), and keys are checked for duplicates;
3. *cross-table rules*: codes against the codebook, respondents against the
   register, offsets against the transcripts, survey answers against their value
   labels and routing.

The collected violations are raised together as one :class:`DataValidationError`.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.schemas import SURVEY_VARIABLES, TableSpec

__all__ = [
    "Violation",
    "DataValidationError",
    "RawTable",
    "type_table",
    "check_table",
    "check_codebook",
    "check_segments",
    "check_survey",
    "undecodable",
    "Undecodable",
]


@dataclass(frozen=True, order=True)
class Violation:
    """One broken rule: where (file, row, column) and what (rule, message).

    ``row`` counts as a spreadsheet does: in a CSV the header is row 1, so the
    first record is row 2. In YAML and XML files ``row`` is the line number; in
    an SPSS file it is the case number.
    """

    file: str
    row: int | None
    column: str | None
    rule: str
    message: str
    unit: str = field(default="row", compare=False)

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", {self.unit} {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message} [{self.rule}]"


class DataValidationError(ValueError):
    """Raised when data fails validation; lists every violation, not just the first."""

    # Its message names file, row, column and rule of every violation: a render shows that message alone,
    # without the traceback through the loader (report.execution.execute).
    report_traceback = False

    def __init__(self, violations: Iterable[Violation], data_dir: object = None) -> None:
        self.violations: tuple[Violation, ...] = tuple(sorted(set(violations), key=_sort_key))
        self.data_dir = data_dir
        count = len(self.violations)
        noun = "violation" if count == 1 else "violations"
        head = f"{count} data {noun}" + (f" in {data_dir}" if data_dir is not None else "") + ":"
        super().__init__("\n".join([head, *(f"  - {v}" for v in self.violations)]))


def _sort_key(v: Violation) -> tuple:
    return (v.file, v.row if v.row is not None else -1, v.column or "", v.rule, v.message)


@dataclass
class RawTable:
    """A table as read from a file: every cell a string, with each record's row number."""

    spec: TableSpec
    file: str
    frame: pd.DataFrame
    rows: list[int]
    unit: str = "row"

    def violation(self, position: int | None, column: str | None, rule: str, message: str) -> Violation:
        row = None if position is None else self.rows[position]
        return Violation(self.file, row, column, rule, message, self.unit)


# --- reading: where a file stops being UTF-8 ---------------------------------------------------

@dataclass(frozen=True)
class Undecodable:
    """The first byte that is not UTF-8: its line, its field (0-based, for CSV) and a message naming the likely encoding."""

    line: int
    field: int
    message: str


def undecodable(data: bytes, error: UnicodeDecodeError, delimiter: str = ",") -> Undecodable:
    """Locate ``error`` in ``data`` and name the encoding the file most likely has."""
    start = error.start
    line_start = data.rfind(b"\n", 0, start) + 1
    line = data.count(b"\n", 0, start) + 1
    # latin-1 maps byte to character one to one, so positions in the line stay byte positions
    prefix = data[line_start:start].decode("latin-1")
    field_index, quoted = 0, False
    for char in prefix:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            field_index += 1
    byte = data[start : start + 1].hex().upper()
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        advice = "save it as UTF-8"
    else:
        advice = "it looks like Windows-1252 (the default of Excel's plain 'CSV' export); save it as UTF-8 (Excel: 'CSV UTF-8')"
    return Undecodable(line, field_index, f"byte 0x{byte} is not valid UTF-8; {advice}")


# --- pass 1: typing ---------------------------------------------------------------------------

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_TRUE = {"true", "1", "ja", "yes"}
_FALSE = {"false", "0", "nee", "no"}


def _parse_cell(kind: str, text: str) -> tuple[object, str | None]:
    """Parse one non-empty cell; return (value, error message or None)."""
    if kind == "string":
        return text, None
    if kind == "integer":
        stripped = text.strip()
        whole = re.match(r"^([+-]?)0*(\d+?)(\.0+)?$", stripped)  # SPSS and spreadsheets write whole numbers as 1.0
        if whole is None:
            return None, f"'{_clip(text, 30)}' is not a whole number"
        digits = whole.group(2)
        # compare as text first: int() refuses strings of more than 4300 digits
        if len(digits) > 19 or not INT64_MIN <= int(whole.group(1) + digits) <= INT64_MAX:
            size = f" ({len(digits)} digits)" if len(digits) > 30 else ""
            return None, f"'{_clip(stripped, 30)}'{size} is out of range for a whole number ({INT64_MIN} to {INT64_MAX})"
        return int(whole.group(1) + digits), None
    if kind == "number":
        stripped = text.strip()
        try:
            value = float(stripped)
        except ValueError:
            hint = " (use a decimal point, not a comma)" if re.match(r"^[+-]?\d+,\d+$", stripped) else ""
            return None, f"'{_clip(text, 30)}' is not a number{hint}"
        if not math.isfinite(value):
            return None, f"'{_clip(text, 30)}' is not a finite number (infinity and NaN are refused)"
        return value, None
    if kind == "boolean":
        lowered = text.strip().lower()
        if lowered in _TRUE:
            return True, None
        if lowered in _FALSE:
            return False, None
        return None, f"'{text}' is not a boolean (use true or false)"
    raise ValueError(f"unknown field type {kind!r}")


_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


def type_table(raw: RawTable) -> tuple[pd.DataFrame, list[Violation], set[tuple[int, str]]]:
    """Parse every cell into its declared type.

    Returns the typed frame (columns in spec order, unparseable cells missing), the
    violations, and the cells that failed so later passes do not report them twice.
    """
    spec, frame = raw.spec, raw.frame
    violations: list[Violation] = []
    failed: set[tuple[int, str]] = set()
    expected = spec.columns
    for column in frame.columns:
        if column not in expected:
            hint = _did_you_mean(column, expected)
            violations.append(
                raw.violation(None, column, "unknown column", f"column '{column}' is not part of the {spec.name} table{hint}")
            )
    typed: dict[str, pd.Series] = {}
    for f in spec.fields:
        if f.name not in frame.columns and f.identifying:  # optional by design: a register need not hold names
            typed[f.name] = pd.Series([pd.NA] * len(frame), dtype=_DTYPES[f.type])
            continue
        if f.name not in frame.columns:
            violations.append(
                raw.violation(None, f.name, "missing column", f"required column '{f.name}' is missing")
            )
            typed[f.name] = pd.Series([pd.NA] * len(frame), dtype=_DTYPES[f.type])
            failed.update((position, f.name) for position in range(len(frame)))  # one message, not one per row
            continue
        values, bad = _parse_column(f.type, frame[f.name])
        for position in bad:
            _value, error = _parse_cell(f.type, str(frame[f.name].iloc[position]))
            violations.append(raw.violation(position, f.name, "type", error or "cannot be parsed"))
            failed.add((position, f.name))
        typed[f.name] = values
    return pd.DataFrame(typed), violations, failed


def _parse_column(kind: str, column: pd.Series) -> tuple[pd.Series, list[int]]:
    """Parsing of one text column; returns typed values and the positions that failed.

    Each distinct value is parsed once (a survey column of a million cells holds a handful) and the
    results spread over the cells; empty and missing cells get factorize's code -1, which picks the
    missing value appended last.
    """
    column = column.reset_index(drop=True)
    codes, uniques = pd.factorize(column)
    stripped = ["" if value is None or value is pd.NA else str(value).strip() for value in uniques]
    blank = [text == "" for text in stripped]
    if kind == "string":
        return column.astype("string").mask(np.array(blank + [True])[codes], pd.NA), []
    if kind in ("integer", "boolean"):
        parsed = [(None, None) if empty else _parse_cell(kind, text) for text, empty in zip(stripped, blank)]
        values = [value for value, _error in parsed]
        failed = [error is not None for _value, error in parsed]
    elif kind == "number":
        numbers = pd.to_numeric(pd.Series(stripped, dtype="string").mask(pd.Series(blank, dtype=bool)), errors="coerce")
        numbers = numbers.astype("Float64")
        numbers = numbers.mask(numbers.isin([math.inf, -math.inf]).fillna(False).astype(bool), pd.NA)
        values = list(numbers)
        failed = [not empty and value is pd.NA for value, empty in zip(values, blank)]
    else:
        raise ValueError(f"unknown field type {kind!r}")
    typed = pd.Series(pd.array(values + [pd.NA], dtype=_DTYPES[kind])[codes])
    return typed, [int(position) for position in np.flatnonzero(np.array(failed + [False])[codes])]


def _did_you_mean(value: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


# --- pass 2: table rules (pandera) -------------------------------------------------------------

def _pandera_schema(spec: TableSpec):
    import pandera.pandas as pa  # imported here: pandera is slow to import and only needed to validate

    columns = {}
    kinds: dict[str, list[str]] = {}
    for f in spec.fields:
        checks, kinds[f.name] = [], []
        if f.categories is not None:
            checks.append(pa.Check.isin(list(f.categories)))
            kinds[f.name].append("category")
        if f.pattern is not None:
            # the whole value: re.match with a '$' would accept "R03\n"
            checks.append(pa.Check.str_matches(rf"(?:{f.pattern})\Z"))
            kinds[f.name].append("pattern")
        if f.minimum is not None:
            checks.append(pa.Check.ge(f.minimum))
            kinds[f.name].append("minimum")
        if f.maximum is not None:
            checks.append(pa.Check.le(f.maximum))
            kinds[f.name].append("maximum")
        columns[f.name] = pa.Column(nullable=not f.required, checks=checks)
    # pandera names failures by check position; ``kinds`` maps that position back to our rule
    return pa.DataFrameSchema(columns, strict=False), kinds


_SCHEMA_CACHE: dict[str, object] = {}


def check_table(raw: RawTable, typed: pd.DataFrame, failed: set[tuple[int, str]]) -> list[Violation]:
    """Check required values, categories, patterns, ranges and key uniqueness."""
    from pandera.errors import SchemaErrors

    spec = raw.spec
    if typed.empty and len(typed.columns):  # a file that is only a header: every chapter would divide by zero
        return [Violation(raw.file, None, None, "no rows", f"the {spec.name} table holds no rows; the report needs at least one",
                          raw.unit)]
    cached = _SCHEMA_CACHE.get(spec.name)
    if cached is None:
        cached = _SCHEMA_CACHE[spec.name] = _pandera_schema(spec)
    schema, kinds = cached
    violations: list[Violation] = []
    try:
        schema.validate(typed, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        for case in cases.itertuples(index=False):
            column = case.column if isinstance(case.column, str) else None
            position = None if case.index is None or pd.isna(case.index) else int(case.index)
            if position is not None and column is not None and (position, column) in failed:
                continue
            check = str(case.check)
            number = case.check_number
            if column in kinds and number is not None and not pd.isna(number) and check != "not_nullable":
                check = kinds[column][int(number)]
            violations.append(_translate(raw, spec, column, position, check, case.failure_case))
    violations.extend(_duplicate_keys(raw, typed))
    return violations


def _translate(raw: RawTable, spec: TableSpec, column: str | None, position: int | None, check: str, value) -> Violation:
    f = spec.field(column) if column in spec.columns else None
    if check == "not_nullable":
        return raw.violation(position, column, "required", "value is missing")
    if check == "category" and f is not None:
        allowed = ", ".join(f.categories or ())
        hint = _did_you_mean(str(value), f.categories or ())
        return raw.violation(position, column, "category", f"'{value}' is not an allowed value{hint}; allowed: {allowed}")
    if check == "pattern" and f is not None:
        shown = repr(str(value))[1:-1]  # a newline or tab in the value shows as an escape
        return raw.violation(position, column, "pattern", f"'{shown}' does not match the pattern {f.pattern} (the whole value must match)")
    if check == "minimum" and f is not None:
        return raw.violation(position, column, "range", f"{_plain(value)} is below the minimum {_plain(f.minimum)}")
    if check == "maximum" and f is not None:
        return raw.violation(position, column, "range", f"{_plain(value)} is above the maximum {_plain(f.maximum)}")
    return raw.violation(position, column, check, f"check '{check}' failed for '{value}'")


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _duplicate_keys(raw: RawTable, typed: pd.DataFrame) -> list[Violation]:
    key = list(raw.spec.primary_key)
    if not key or typed.empty:
        return []
    keyed = typed[key]
    complete = keyed.notna().all(axis=1).to_numpy()
    duplicated = keyed.duplicated(keep="first").to_numpy() & complete
    if not duplicated.any():
        return []
    first_row: dict[tuple, int] = {}
    violations = []
    for position, values in enumerate(keyed.itertuples(index=False, name=None)):
        if not complete[position]:
            continue
        if duplicated[position]:
            shown = ", ".join(f"{k}='{v}'" for k, v in zip(key, values))
            violations.append(
                raw.violation(
                    position,
                    ", ".join(key),
                    "unique key",
                    f"duplicate key {shown}; first seen in {raw.unit} {first_row[values]}",
                )
            )
        else:
            first_row.setdefault(values, raw.rows[position])
    return violations


# --- pass 3: cross-table rules -------------------------------------------------------------------

def check_codebook(raw: RawTable, codebook: pd.DataFrame) -> list[Violation]:
    """Parents exist, every child id extends its parent's id, and every code an id implies above it exists."""
    violations = []
    codes = set(codebook["code"].dropna())
    for position, (code, parent) in enumerate(zip(codebook["code"], codebook["parent"])):
        if pd.isna(code):
            continue
        parts = str(code).split(".")
        for depth in range(1, len(parts)):
            ancestor = ".".join(parts[:depth])
            if ancestor not in codes:
                violations.append(
                    raw.violation(position, "code", "referential integrity", f"code '{code}' lies under '{ancestor}', which is not a code in the codebook")
                )
        if pd.isna(parent):
            continue
        if parent not in codes:
            violations.append(
                raw.violation(position, "parent", "referential integrity", f"parent '{parent}' is not a code in the codebook")
            )
        elif not str(code).startswith(f"{parent}."):
            violations.append(
                raw.violation(position, "code", "hierarchy", f"code '{code}' does not start with its parent's id '{parent}.'")
            )
    return violations


def check_segments(
    raw: RawTable,
    segments: pd.DataFrame,
    codes: Iterable[str],
    respondents: Iterable[str],
    transcripts: Mapping[str, str],
    transcript_hint: str,
) -> list[Violation]:
    """Codes in the codebook, respondents in the register, offsets inside the transcripts."""
    violations: list[Violation] = []
    code_set, respondent_set = set(codes), set(respondents)
    code_list = sorted(code_set)
    segment_first: dict[str, tuple[int, tuple]] = {}
    interview_respondent: dict[str, tuple[int, str]] = {}
    columns = ["segment", "respondent", "interview", "code", "coder", "start", "end", "text"]
    for position, row in enumerate(segments[columns].itertuples(index=False, name=None)):
        segment, respondent, interview, code, coder, start, end, text = (None if pd.isna(v) else v for v in row)
        if code is not None and code not in code_set:
            hint = _did_you_mean(code, code_list)
            violations.append(raw.violation(position, "code", "referential integrity", f"code '{code}' is not in the codebook{hint}"))
        if respondent is not None and respondent not in respondent_set:
            violations.append(
                raw.violation(position, "respondent", "referential integrity", f"respondent '{respondent}' is not in the register")
            )
        if interview is not None and respondent is not None:
            seen = interview_respondent.setdefault(interview, (raw.rows[position], respondent))
            if seen[1] != respondent:
                violations.append(
                    raw.violation(
                        position,
                        "respondent",
                        "interview consistency",
                        f"interview '{interview}' belongs to respondent '{seen[1]}' ({raw.unit} {seen[0]}), not '{respondent}'",
                    )
                )
        if segment is not None:
            shape = (respondent, interview, coder, start, end, text)
            first = segment_first.setdefault(segment, (raw.rows[position], shape))
            if first[1] != shape:
                differing = [n for n, a, b in zip(columns[1:3] + columns[4:], first[1], shape) if a != b]
                violations.append(
                    raw.violation(
                        position,
                        differing[0],
                        "segment consistency",
                        f"segment '{segment}' differs from its first row ({raw.unit} {first[0]}) in {', '.join(differing)}",
                    )
                )
        if start is None or end is None:
            continue
        if end <= start:
            violations.append(raw.violation(position, "end", "offsets", f"end {end} is not after start {start}"))
            continue
        if interview is None:
            continue
        source = transcripts.get(interview)
        if source is None:
            violations.append(
                raw.violation(
                    position, "interview", "referential integrity", f"no transcript for interview '{interview}' ({transcript_hint.format(interview=interview)})"
                )
            )
            continue
        if end > len(source):
            violations.append(
                raw.violation(position, "end", "offsets", f"end {end} lies beyond the transcript of '{interview}' ({len(source)} code points)")
            )
        elif text is not None and source[start:end] != text:
            violations.append(
                raw.violation(
                    position,
                    "text",
                    "offsets",
                    f"text does not match transcript '{interview}' at {start}-{end}, which reads '{_clip(source[start:end])}'",
                )
            )
    return violations


def _check_weights(raw: RawTable, survey: pd.DataFrame) -> list[Violation]:
    """A weighted share divides by the weights of its group: a group whose weights are all 0 has none."""
    if "weight" not in survey.columns or "function" not in survey.columns:
        return []
    weights = survey["weight"]
    if weights.notna().all() and (weights == 0).all():
        return [Violation(raw.file, None, "weight", "weights",
                          f"every weight is 0 ({len(survey)} responses); weighted shares need positive weights", raw.unit)]
    violations = []
    for function, group in weights.groupby(survey["function"], sort=True):
        if group.notna().all() and (group == 0).all():
            violations.append(raw.violation(
                int(group.index[0]), "weight", "weights",
                f"all {len(group)} responses of function '{function}' have weight 0, so its weighted share is undefined; "
                "weight the group by its size in the population"))
    return violations


def _clip(text: str, width: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def check_survey(raw: RawTable, survey: pd.DataFrame, value_labels: Mapping[str, Mapping[object, str]] | None) -> list[Violation]:
    """Responses weighted, answers inside their value labels, routing respected, types implying aggression."""
    violations: list[Violation] = []
    if survey.empty:  # check_table reports it
        return violations
    violations.extend(_check_weights(raw, survey))
    if value_labels:
        for column, labels in value_labels.items():
            if column not in survey.columns or not labels:
                continue
            shown = ", ".join(f"{_plain(k)}={v}" for k, v in labels.items())
            allowed = [k for k in labels if isinstance(k, (int, float))]
            values = survey[column]
            outside = values.notna() & ~values.isin(allowed)
            for position in outside[outside.fillna(False)].index:
                violations.append(
                    raw.violation(int(position), column, "value labels", f"value {_plain(values.iloc[position])} has no value label (labels: {shown})")
                )
    names = {v.name for v in SURVEY_VARIABLES}
    if not names <= set(survey.columns):
        return violations
    for variable in SURVEY_VARIABLES:
        if variable.asked_of is None:
            continue
        gate = survey[variable.asked_of]
        answer = survey[variable.name]
        extra = (gate == 0).fillna(False) & answer.notna()
        for position in extra[extra].index:
            violations.append(
                raw.violation(int(position), variable.name, "routing", f"answered although {variable.asked_of} is 0 (asked only if {variable.asked_of} is 1)")
            )
        lacking = (gate == 1).fillna(False) & answer.isna()
        for position in lacking[lacking].index:
            violations.append(raw.violation(int(position), variable.name, "routing", f"missing although {variable.asked_of} is 1"))
    implications = (("verbaal", "agressie"), ("bedreiging", "agressie"), ("fysiek", "agressie"), ("verbaal_online", "verbaal"))
    for specific, general in implications:
        clash = (survey[specific] == 1) & (survey[general] == 0)
        for position in clash[clash.fillna(False)].index:
            violations.append(raw.violation(int(position), specific, "consistency", f"{specific} is 1 but {general} is 0"))
    return violations
