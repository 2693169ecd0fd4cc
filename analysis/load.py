"""Load stage: find the files of an evaluation, read them, validate them, freeze the result.

:func:`load_evaluation` is the one entry point. It never returns half-checked
data: every file is read, every rule of :mod:`analysis.validate` is applied, and
if anything is wrong a single :class:`~analysis.validate.DataValidationError`
lists all violations.

Files looked up in the data directory (alternatives separated by ``|``):

=============  ===============================================================
codebook       ``codebook.yml`` | ``codebook.qdc`` | the codebook inside the ``.qdpx``
register       ``register.csv`` | the cases and variables inside the ``.qdpx``
segments       ``segments.csv`` with ``transcripts/<interview>.txt`` | one ``*.qdpx``
survey         ``survey.csv`` | ``survey.sav``
trend          ``monitor-trend.csv`` in the data directory, else ``data/facts``
=============  ===============================================================

The register's identifying columns (``name``, ``place``) are read only to check
that no publishable quote holds them (:mod:`analysis.identity`); the
:class:`Evaluation` the chapters get has no such column.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Mapping

import pandas as pd
import yaml

from analysis import _load_cache, consent, paths
from analysis.identity import IDENTIFYING_COLUMNS, check_quotes
from analysis.schemas import CODEBOOK, REGISTER, SEGMENTS, SURVEY, SURVEY_VARIABLES, TREND, BINARY_LABELS, TableSpec
from analysis.validate import (
    DataValidationError,
    RawTable,
    Violation,
    check_codebook,
    check_segments,
    check_survey,
    check_table,
    type_table,
    undecodable,
)

# The analysis's text columns hold Python strings whether or not pyarrow is installed. With pyarrow, pandas 3 keeps
# "string" columns in Arrow arrays, where groupby(...).agg(set) gives lists and some operations have no kernel: the
# evaluation's numbers must not depend on what else the environment holds (a user who installs polars gets pyarrow).
pd.set_option("mode.string_storage", "python")

__all__ = ["Evaluation", "load_evaluation", "read_codebook_yaml", "read_csv_table", "read_survey"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Evaluation:
    """Everything the chapters need, validated. Tables are documented in ``data/datapackage.json``.

    ``segments`` holds every coding, including the second coding of double-coded
    interviews; :attr:`coded` is the analysis set (one coder per interview).
    """

    codebook: pd.DataFrame
    register: pd.DataFrame
    segments: pd.DataFrame
    transcripts: Mapping[str, str]
    survey: pd.DataFrame
    survey_labels: Mapping[str, Mapping[object, str]]
    trend: pd.DataFrame
    is_demo: bool
    data_dir: Path
    file_hashes: Mapping[str, str]
    sources: Mapping[str, str] = field(default_factory=dict)
    #: Codings of the REFI-QDA project that could not be placed in a text, one
    #: :class:`analysis.qdpx.NotImported` per source ("not imported: picture source 'foto.jpg', 3 codings").
    not_imported: tuple = ()
    #: Per interview, the respondents linked to it besides its segments' respondent: every Case that
    #: references the REFI-QDA source (a group interview). See :attr:`participants`.
    linked_respondents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __reduce__(self):
        # for the data cache (analysis._load_cache): a MappingProxyType cannot be pickled, so the mappings
        # travel as dicts and are wrapped again; derived values (cached properties) are computed afresh
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        proxies = tuple(name for name, value in values.items() if isinstance(value, MappingProxyType))
        return _rebuild_evaluation, ({name: dict(value) if name in proxies else value for name, value in values.items()},
                                     proxies)

    def __repr__(self) -> str:
        # the default repr would print every table in full in a notebook
        kind = "demo" if self.is_demo else "real"
        sizes = ", ".join(
            f"{name}={len(table)}"
            for name, table in (("respondents", self.register), ("segment_rows", self.segments), ("survey_rows", self.survey))
            if table is not None
        )
        return f"Evaluation({kind} data from {self.data_dir}, {sizes})"

    @cached_property
    def participants(self) -> Mapping[str, tuple[str, ...]]:
        """Per interview, every respondent it belongs to; a quote needs the consent of them all (:mod:`analysis.consent`)."""
        return MappingProxyType(consent.participants(self.segments, self.linked_respondents))

    @cached_property
    def primary_coder(self) -> pd.Series:
        """The coder whose coding counts for each interview (index: interview).

        That is the coder who coded the most interviews overall (alphabetical on a
        tie); interviews that coder did not code fall to their own most active coder.
        Second codings serve only the reliability check.
        """
        seg = self.segments[["interview", "coder"]].drop_duplicates()
        workload = seg.groupby("coder")["interview"].nunique()
        rank = {coder: (-n, coder) for coder, n in workload.items()}
        chosen = seg.assign(rank=seg["coder"].map(rank)).sort_values(["interview", "rank"])
        return chosen.drop_duplicates("interview").set_index("interview")["coder"]

    @cached_property
    def coded(self) -> pd.DataFrame:
        """Segments of the analysis set: each interview as coded by its primary coder."""
        primary = self.segments["interview"].map(self.primary_coder)
        return self.segments[self.segments["coder"] == primary].reset_index(drop=True)

    @cached_property
    def double_coded(self) -> list[str]:
        """Interviews coded by two or more coders."""
        coders = self.segments.groupby("interview")["coder"].nunique()
        return sorted(coders[coders >= 2].index)

    def derived(self, name: str, compute: Callable[[], object]) -> object:
        """``compute()``, once per evaluation, as the cached properties above: chapters ask for the same table
        derived from the codings many times, which with 50,000 codings takes seconds each. Treat it as read-only."""
        memo = self.__dict__.setdefault("_derived", {})  # as functools.cached_property stores its values
        if name not in memo:
            memo[name] = compute()
        return memo[name]

    def code_and_descendants(self, code: str) -> list[str]:
        """``code`` and every code below it in the codebook."""
        return [c for c in self.codebook["code"] if c == code or c.startswith(code + ".")]


def _rebuild_evaluation(values: dict, proxies: tuple[str, ...]) -> Evaluation:
    return Evaluation(**{name: MappingProxyType(value) if name in proxies else value for name, value in values.items()})


def load_evaluation(data_dir: str | os.PathLike[str] | None = None) -> Evaluation:
    """Load and validate an evaluation's data.

    ``data_dir`` > environment variable ``REPORT_DATA`` > ``<repo>/data/demo``.
    Raises :class:`DataValidationError` listing every violation found.
    """
    root = paths.resolve_data_dir(data_dir)
    if not root.is_dir():
        raise DataValidationError([_not_a_folder(root)], root)

    def load() -> tuple[Evaluation, dict[str, str]]:
        loader = _Loader(root)
        return loader.run(), loader.inputs

    return _load_cache.cached(root, load)


def _not_a_folder(root: Path) -> Violation:
    """``root`` is resolved: a link to nothing names the path that does not exist."""
    if root.exists():
        message = "the data directory is a file, not a folder; point --data or REPORT_DATA at the folder holding the data files"
        return Violation(str(root), None, None, "not a folder", message)
    return Violation(str(root), None, None, "missing directory", "the data directory does not exist")


def _unreadable(path: Path, error: OSError) -> str:
    """Why a data file cannot be read, in the words of what stands at its place."""
    if path.is_symlink() and not path.exists():
        return f"is a symbolic link to '{os.readlink(path)}', which does not exist"
    if isinstance(error, IsADirectoryError) or path.is_dir():
        return "is a folder, not a file"
    if isinstance(error, PermissionError):
        return "cannot be read: permission denied"
    return f"cannot be read: {error.strerror or error}"


class _Loader:
    """The logged sequence of load stages; collects violations across all of them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.violations: list[Violation] = []
        self.hashes: dict[str, str] = {}
        self.inputs: dict[str, str] = {}  # absolute path -> SHA-256 of every file read, for the data cache
        self.sources: dict[str, str] = {}
        self.not_imported: tuple = ()
        self.linked: dict[str, tuple[str, ...]] = {}

    # helpers
    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            try:
                return path.relative_to(paths.REPO_ROOT).as_posix()
            except ValueError:
                return str(path)

    def read_bytes(self, path: Path) -> bytes | None:
        """The file's bytes, or None with a violation saying why it cannot be read."""
        try:
            data = path.read_bytes()
        except OSError as error:
            self.violations.append(Violation(self.display(path), None, None, "unreadable", _unreadable(path, error)))
            return None
        digest = hashlib.sha256(data).hexdigest()
        self.hashes[self.display(path)] = digest
        self.inputs[str(path)] = digest
        return data

    @staticmethod
    def given(path: Path) -> bool:
        """Something stands at ``path``: a file, or what should have been one (a folder, a broken link)."""
        return path.is_file() or path.is_symlink() or path.exists()

    def missing(self, name: str, options: str) -> None:
        self.violations.append(Violation(options, None, None, "missing file", f"no {name} found in {self.root}"))

    def finish_table(self, raw: RawTable) -> pd.DataFrame:
        typed, problems, failed = type_table(raw)
        self.violations.extend(problems)
        self.violations.extend(check_table(raw, typed, failed))
        return typed

    # stages
    def run(self) -> Evaluation:
        qdpx_files = sorted(self.root.glob("*.qdpx"))
        project = None
        if len(qdpx_files) > 1:
            names = ", ".join(p.name for p in qdpx_files)
            self.violations.append(Violation(names, None, None, "ambiguous source", "more than one .qdpx project; keep one"))
        elif qdpx_files:
            from analysis.qdpx import read_qdpx

            log.info("reading REFI-QDA project %s", qdpx_files[0].name)
            # a folder named *.qdpx gets its message from read_qdpx
            readable = qdpx_files[0].is_dir() or self.read_bytes(qdpx_files[0]) is not None
            project = read_qdpx(qdpx_files[0], display=self.display(qdpx_files[0])) if readable else _refused(self.display(qdpx_files[0]))
            self.violations.extend(project.violations)
            self.sources["project"] = self.display(qdpx_files[0])
            self.not_imported = tuple(project.not_imported)
            self.linked = dict(project.participants)
            for item in self.not_imported:
                log.info("%s: %s", self.display(qdpx_files[0]), item)

        log.info("load stage: codebook")
        codebook_raw, codebook = self.stage_codebook(project)
        log.info("load stage: register")
        register_raw, register = self.stage_register(project)
        log.info("load stage: segments and transcripts")
        segments, transcripts = self.stage_segments(project, codebook, register)
        log.info("load stage: survey")
        survey, labels = self.stage_survey()
        log.info("load stage: trend facts")
        trend = self.stage_trend()

        if codebook_raw is not None and codebook is not None:
            self.violations.extend(check_codebook(codebook_raw, codebook))
        if self.violations:
            log.info("validation failed with %d violations", len(self.violations))
            raise DataValidationError(self.violations, self.root)
        log.info("loaded %s: %d files, all rules passed", self.root, len(self.hashes))
        return Evaluation(
            codebook=codebook,
            # names and places stay here: checked against the quotes, never handed to a chapter
            register=register.drop(columns=list(IDENTIFYING_COLUMNS)),
            segments=segments,
            transcripts=MappingProxyType(transcripts),
            survey=survey,
            survey_labels=MappingProxyType(labels),
            trend=trend,
            is_demo=paths.is_demo_dir(self.root),
            data_dir=self.root,
            file_hashes=MappingProxyType(dict(sorted(self.hashes.items()))),
            sources=MappingProxyType(self.sources),
            not_imported=self.not_imported,
            linked_respondents=MappingProxyType(self.linked),
        )

    def stage_codebook(self, project) -> tuple[RawTable | None, pd.DataFrame | None]:
        candidates = [self.root / "codebook.yml", self.root / "codebook.yaml", self.root / "codebook.qdc"]
        present = [p for p in candidates if self.given(p)]
        if len(present) > 1:
            names = ", ".join(p.name for p in present)
            self.violations.append(Violation(names, None, None, "ambiguous source", "more than one codebook; keep one"))
            return None, None
        if present:
            path = present[0]
            self.sources["codebook"] = self.display(path)
            data = self.read_bytes(path)
            if data is None:
                return None, None
            if path.suffix == ".qdc":
                from analysis.qdpx import read_qdc

                raw, problems = read_qdc(path, display=self.display(path), data=data)
            else:
                raw, problems = read_codebook_yaml(data, self.display(path))
        elif project is not None and project.codebook is not None:
            raw, problems = project.codebook, []
        elif project is not None and project.refused:
            return None, None  # the refusal is the message; no second one about what it would have held
        else:
            self.missing("codebook", "codebook.yml")
            return None, None
        self.violations.extend(problems)
        if raw is None:
            return None, None
        return raw, self.finish_table(raw)

    def stage_register(self, project) -> tuple[RawTable | None, pd.DataFrame | None]:
        path = self.root / "register.csv"
        if self.given(path):
            data = self.read_bytes(path)
            raw = None if data is None else read_csv_table(data, self.display(path), REGISTER, self.violations)
            self.sources["register"] = self.display(path)
        elif project is not None and project.register is not None:
            raw = project.register
        elif project is not None and project.refused:
            return None, None
        else:
            self.missing("respondent register", "register.csv")
            return None, None
        if raw is None:
            return None, None
        return raw, self.finish_table(raw)

    def stage_segments(self, project, codebook, register) -> tuple[pd.DataFrame | None, dict[str, str]]:
        path = self.root / "segments.csv"
        transcripts: dict[str, str] = {}
        if self.given(path) and project is not None:
            self.violations.append(
                Violation(f"segments.csv, {project.display}", None, None, "ambiguous source", "both segments.csv and a .qdpx project; keep one")
            )
            return None, transcripts
        if self.given(path):
            data = self.read_bytes(path)
            raw = None if data is None else read_csv_table(data, self.display(path), SEGMENTS, self.violations)
            self.sources["segments"] = self.display(path)
            folder = self.root / "transcripts"
            for text_path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
                data = self.read_bytes(text_path)
                if data is None:
                    continue
                try:
                    transcripts[text_path.stem] = data.decode("utf-8-sig")
                except UnicodeDecodeError as error:
                    place = undecodable(data, error)
                    self.violations.append(Violation(self.display(text_path), place.line, None, "encoding", place.message, unit="line"))
            hint = "expected transcripts/{interview}.txt"
        elif project is not None and project.segments is not None:
            raw = project.segments
            transcripts = dict(project.transcripts)
            hint = "no TextSource with that name in the project"
        elif project is not None and project.refused:
            return None, transcripts
        else:
            self.missing("coded segments", "segments.csv")
            return None, transcripts
        if raw is None:
            return None, transcripts
        typed = self.finish_table(raw)
        codes = codebook["code"].dropna() if codebook is not None else typed["code"].dropna()
        respondents = register["respondent"].dropna() if register is not None else typed["respondent"].dropna()
        self.violations.extend(check_segments(raw, typed, codes, respondents, transcripts, hint))
        if register is not None:
            self.violations.extend(check_quotes(raw, typed, register, consent.participants(typed, self.linked)))
        return typed, transcripts

    def stage_survey(self) -> tuple[pd.DataFrame | None, dict]:
        csv_path, sav_path = self.root / "survey.csv", self.root / "survey.sav"
        if self.given(csv_path) and self.given(sav_path):
            self.violations.append(Violation("survey.csv, survey.sav", None, None, "ambiguous source", "both survey.csv and survey.sav; keep one"))
            return None, {}
        if not self.given(csv_path) and not self.given(sav_path):
            self.missing("survey", "survey.csv")
            return None, {}
        path = csv_path if self.given(csv_path) else sav_path
        self.sources["survey"] = self.display(path)
        data = self.read_bytes(path)
        if data is None:
            return None, {}
        raw, labels, problems = read_survey(path, self.display(path), data)
        self.violations.extend(problems)
        if raw is None:
            return None, {}
        typed = self.finish_table(raw)
        self.violations.extend(check_survey(raw, typed, labels))
        return typed, labels

    def stage_trend(self) -> pd.DataFrame | None:
        path = self.root / "monitor-trend.csv"
        if not self.given(path):
            path = paths.FACTS_DIR / "monitor-trend.csv"
        if not self.given(path):
            self.missing("trend facts table", "monitor-trend.csv")
            return None
        self.sources["trend"] = self.display(path)
        data = self.read_bytes(path)
        raw = None if data is None else read_csv_table(data, self.display(path), TREND, self.violations)
        return None if raw is None else self.finish_table(raw)


def _refused(display: str):
    """A project that could not be read at all; the reason is already a violation."""
    from analysis.qdpx import QdaProject

    return QdaProject(display, refused=True)


def read_csv_table(data: bytes, display: str, spec: TableSpec, violations: list[Violation]) -> RawTable | None:
    """Read a UTF-8 CSV with every cell as text; a file that is not CSV becomes a violation.

    The likely cause is named: the row and column of the first byte that is not
    UTF-8 and the encoding it looks like, or the delimiter when the header reads
    as one column holding semicolons or tabs.
    """
    import csv
    import io

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        place = undecodable(data, error)
        header = next(csv.reader([data.split(b"\n", 1)[0].decode("latin-1")]), [])
        column = header[place.field].strip() if place.field < len(header) else None
        violations.append(Violation(display, place.line, column, "encoding", place.message))
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        violations.append(Violation(display, None, None, "csv", f"cannot be read as CSV: {str(error).strip()}"))
        return None
    if len(frame.columns) == 1 and frame.columns[0] not in spec.columns:
        header = str(frame.columns[0])
        for delimiter, name in ((";", "semicolons"), ("\t", "tabs")):
            if delimiter in header:
                shown = header if len(header) <= 60 else header[:59] + "…"
                violations.append(
                    Violation(
                        display, 1, None, "delimiter",
                        f"the header is one column '{shown}': the file is separated by {name} ('{delimiter}' ), not commas; "
                        "save it as comma-separated CSV (Excel: 'CSV UTF-8 (comma delimited)')".replace("' )", "')"),
                    )
                )
                return None
    return RawTable(spec, display, frame, list(range(2, len(frame) + 2)))


_CODE_KEYS = ("code", "name", "description", "children")
_TOP_KEYS = ("version", "codes")


def read_codebook_yaml(data: bytes, display: str) -> tuple[RawTable | None, list[Violation]]:
    """Parse our YAML codebook strictly: unknown keys are errors, each with its line."""
    violations: list[Violation] = []

    def problem(node, rule: str, message: str, column: str | None = None) -> None:
        violations.append(Violation(display, node.start_mark.line + 1, column, rule, message, unit="line"))

    try:
        root = yaml.compose(data.decode("utf-8-sig"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        reason = getattr(error, "problem", None) or str(error)
        violations.append(Violation(display, None if line is None else line + 1, None, "yaml", f"cannot be read as YAML: {reason}", unit="line"))
        return None, violations
    if not isinstance(root, yaml.MappingNode):
        violations.append(Violation(display, 1, None, "structure", "the codebook must be a mapping with a 'codes' list", unit="line"))
        return None, violations
    records: list[dict[str, str]] = []
    rows: list[int] = []
    codes_node = None
    for key, value in root.value:
        if key.value not in _TOP_KEYS:
            problem(key, "unknown key", f"key '{key.value}' is not allowed here; allowed: {', '.join(_TOP_KEYS)}")
        elif key.value == "codes":
            codes_node = value
        elif key.value == "version" and getattr(value, "value", None) != "1":
            problem(value, "version", f"codebook version '{getattr(value, 'value', '')}' is not supported; use version: 1")
    if codes_node is None:
        violations.append(Violation(display, 1, None, "structure", "the codebook has no 'codes' list", unit="line"))
        return None, violations

    def walk(seq, parent: str, level: int) -> None:
        if not isinstance(seq, yaml.SequenceNode):
            problem(seq, "structure", "expected a list of codes")
            return
        for item in seq.value:
            if not isinstance(item, yaml.MappingNode):
                problem(item, "structure", "expected a code with keys code, name, description")
                continue
            record = {"code": "", "parent": parent, "name": "", "description": "", "level": str(level)}
            children = None
            seen: set[str] = set()
            for key, value in item.value:
                if key.value in seen:
                    problem(key, "duplicate key", f"key '{key.value}' appears twice in one code")
                    continue
                seen.add(key.value)
                if key.value not in _CODE_KEYS:
                    from analysis.validate import _did_you_mean

                    hint = _did_you_mean(key.value, _CODE_KEYS)
                    problem(key, "unknown key", f"key '{key.value}' is not allowed in a code{hint}; allowed: {', '.join(_CODE_KEYS)}")
                elif key.value == "children":
                    children = value
                elif isinstance(value, yaml.ScalarNode):
                    record[key.value] = "" if value.tag.endswith(":null") else value.value
                else:
                    problem(value, "structure", f"'{key.value}' must be text", column=key.value)
            records.append(record)
            rows.append(item.start_mark.line + 1)
            if children is not None:
                walk(children, record["code"], level + 1)

    walk(codes_node, "", 1)
    frame = pd.DataFrame(records, columns=CODEBOOK.columns)
    return RawTable(CODEBOOK, display, frame, rows, unit="line"), violations


def read_survey(path: Path, display: str, data: bytes | None = None) -> tuple[RawTable | None, dict, list[Violation]]:
    """Read survey microdata from CSV (labels from the data dictionary) or SPSS (labels from the file).

    ``data``: the CSV's bytes when the caller has read them already.
    """
    violations: list[Violation] = []
    binary = [v.name for v in SURVEY_VARIABLES]
    if path.suffix.lower() == ".csv":
        raw = read_csv_table(path.read_bytes() if data is None else data, display, SURVEY, violations)
        return raw, {name: dict(BINARY_LABELS) for name in binary}, violations
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=False)
    except Exception as error:  # pyreadstat raises its own ReadstatError and plain exceptions alike
        violations.append(Violation(display, None, None, "spss", f"cannot be read as an SPSS .sav file: {error}"))
        return None, {}, violations
    labels: dict[str, dict] = {}
    for column, mapping in meta.variable_value_labels.items():
        labels[column] = {(int(k) if isinstance(k, float) and k.is_integer() else k): v for k, v in mapping.items()}
    for name in binary:
        if name in labels and set(labels[name]) != set(BINARY_LABELS):
            shown = ", ".join(f"{k}={v}" for k, v in labels[name].items())
            violations.append(
                Violation(display, None, name, "value labels", f"labels are {shown}; expected 0=nee, 1=ja")
            )
    text = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        series = frame[column]
        mapping = labels.get(column)
        if column == "function" and mapping and pd.api.types.is_numeric_dtype(series):
            # a coded function becomes its label; codes without a label stay visible as numbers
            series = series.map(lambda v: "" if pd.isna(v) else mapping.get(int(v) if float(v).is_integer() else v, _number_text(v)))
        text[column] = series.map(_number_text) if pd.api.types.is_numeric_dtype(series) else series.fillna("").astype(str)
    raw = RawTable(SURVEY, display, text.reset_index(drop=True), list(range(1, len(text) + 1)), unit="case")
    survey_labels = {name: labels.get(name, dict(BINARY_LABELS)) for name in binary}
    return raw, survey_labels, violations


def _number_text(value) -> str:
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
