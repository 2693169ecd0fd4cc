"""Shared helpers for the data-layer tests: copies of the demo set to break on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import pytest

from analysis import DataValidationError, Evaluation, load_evaluation
from analysis.paths import DEMO_DIR

# Files a loadable data directory needs; the .qdpx example stays out so the CSVs are the source.
DEMO_FILES = ("codebook.yml", "register.csv", "segments.csv", "survey.csv", "DEMO")


def copy_demo(target: Path) -> Path:
    """A loadable copy of the demo set in ``target`` (without the REFI-QDA example)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in DEMO_FILES:
        shutil.copyfile(DEMO_DIR / name, target / name)
    shutil.copytree(DEMO_DIR / "transcripts", target / "transcripts")
    return target


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def violations_of(data_dir: Path) -> list[str]:
    """The violation lines of loading ``data_dir`` (which must fail)."""
    with pytest.raises(DataValidationError) as caught:
        load_evaluation(data_dir)
    return [str(v) for v in caught.value.violations]


CODES = ["dreiging", "dreiging.online", "dreiging.verbaal", "dekking", "dekking.binnen_bereik", "dekking.buiten_bereik"]


def make_evaluation(register: list[tuple], segments: list[tuple], survey: pd.DataFrame | None = None) -> Evaluation:
    codebook = pd.DataFrame(
        {
            "code": CODES,
            "parent": [pd.NA, "dreiging", "dreiging", pd.NA, "dekking", "dekking"],
            "name": CODES,
            "description": CODES,
            "level": [1, 2, 2, 1, 2, 2],
        }
    )
    reg = pd.DataFrame(register, columns=["respondent", "group", "function", "tier", "consent_quote"])
    rows = []
    for segment, respondent, coder, codes, text in segments:
        for code in codes:
            rows.append((segment, respondent, "INT" + respondent[1:], code, coder, 0, len(text), text))
    seg = pd.DataFrame(rows, columns=["segment", "respondent", "interview", "code", "coder", "start", "end", "text"])
    return Evaluation(
        codebook=codebook,
        register=reg,
        segments=seg,
        transcripts=MappingProxyType({}),
        survey=survey if survey is not None else pd.DataFrame(),
        survey_labels=MappingProxyType({}),
        trend=pd.DataFrame(),
        is_demo=False,
        data_dir=Path("."),
        file_hashes=MappingProxyType({}),
    )
