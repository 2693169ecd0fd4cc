"""Issue 23, item 7: the data are loaded and validated once per render, in a cache the kernels share.

``load_evaluation`` caches only where the engine says so (``$REPORT_CACHE_DIR``); every test here points
that at a temporary folder and loads a temporary copy of the demo set.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import load_evaluation
from analysis._load_cache import CACHE_ENV
from analysis.paths import REPO_ROOT
from data_helpers import copy_demo, replace_in

READ_FROM_CACHE = "read from the cache"
LOAD_AND_REPORT = (
    "import logging, sys\n"
    "logging.basicConfig(level=logging.INFO, format='%(name)s: %(message)s', stream=sys.stdout)\n"
    "from analysis import load_evaluation\n"
    "ev = load_evaluation(sys.argv[1])\n"
    "print('rows', len(ev.survey), 'weight', ev.survey['weight'].iloc[0])\n"
)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "data")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def load_in_new_process(data: Path, cache_dir: Path) -> str:
    env = {**os.environ, CACHE_ENV: str(cache_dir), "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run([sys.executable, "-c", LOAD_AND_REPORT, str(data)], env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout


def entries(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "data").glob("*.pickle"))


def test_second_load_in_another_process_reads_the_cache(data, cache_dir):
    first = load_in_new_process(data, cache_dir)
    assert READ_FROM_CACHE not in first
    assert "all rules passed" in first
    assert len(entries(cache_dir)) == 1
    second = load_in_new_process(data, cache_dir)
    assert READ_FROM_CACHE in second
    assert "load stage" not in second  # nothing read or validated again
    assert second.splitlines()[-1] == first.splitlines()[-1] == "rows 3100 weight 2.071429"


def test_cached_evaluation_equals_a_fresh_load(data, cache_dir, monkeypatch):
    load_evaluation(data)
    cached = load_evaluation(data)
    monkeypatch.delenv(CACHE_ENV)
    fresh = load_evaluation(data)
    for name in ("codebook", "register", "segments", "survey", "trend"):
        assert getattr(cached, name).equals(getattr(fresh, name)), name
    assert dict(cached.transcripts) == dict(fresh.transcripts)
    assert dict(cached.file_hashes) == dict(fresh.file_hashes)
    assert cached.coded.equals(fresh.coded)


def test_changed_data_file_is_loaded_again(data, cache_dir, caplog):
    load_evaluation(data)
    replace_in(data / "survey.csv", "E0001,wethouder,2.071429", "E0001,wethouder,2.5")
    with caplog.at_level(logging.INFO, logger="analysis"):
        evaluation = load_evaluation(data)
    assert evaluation.survey["weight"].iloc[0] == 2.5
    assert "is stale: " + str(data / "survey.csv") + " changed" in caplog.text
    assert READ_FROM_CACHE not in caplog.text
    assert len(entries(cache_dir)) == 1  # the entry was replaced
    assert load_in_new_process(data, cache_dir).splitlines()[-1] == "rows 3100 weight 2.5"


def test_new_file_in_the_data_folder_is_a_new_key(data, cache_dir):
    load_evaluation(data)
    (data / "survey.sav").write_bytes(b"")  # the loader must now refuse two surveys: not served from the cache
    from data_helpers import violations_of

    assert violations_of(data) == ["survey.csv, survey.sav: both survey.csv and survey.sav; keep one [ambiguous source]"]


def test_damaged_entry_is_deleted_and_the_data_loaded_again(data, cache_dir, caplog):
    load_evaluation(data)
    [entry] = entries(cache_dir)
    damaged = bytearray(entry.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    entry.write_bytes(bytes(damaged))
    with caplog.at_level(logging.INFO, logger="analysis"):
        evaluation = load_evaluation(data)
    assert f"data cache entry {entry.name} is damaged (checksum mismatch); deleting it and loading the data again" in caplog.text
    assert len(evaluation.survey) == 3100
    assert READ_FROM_CACHE in load_in_new_process(data, cache_dir)  # stored again, whole


def test_truncated_entry_is_loaded_again(data, cache_dir, caplog):
    load_evaluation(data)
    [entry] = entries(cache_dir)
    entry.write_bytes(entry.read_bytes()[:10])
    with caplog.at_level(logging.INFO, logger="analysis"):
        assert len(load_evaluation(data).survey) == 3100
    assert f"data cache entry {entry.name} is damaged (not a data cache entry)" in caplog.text


def test_concurrent_loads_load_once(data, cache_dir):
    env = {**os.environ, CACHE_ENV: str(cache_dir), "PYTHONPATH": str(REPO_ROOT)}
    runs = [subprocess.Popen([sys.executable, "-c", LOAD_AND_REPORT, str(data)], env=env, stdout=subprocess.PIPE,
                             text=True) for _ in range(2)]
    outputs = [run.communicate()[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert sorted(READ_FROM_CACHE in output for output in outputs) == [False, True]
    assert all(output.splitlines()[-1] == "rows 3100 weight 2.071429" for output in outputs)
    assert len(entries(cache_dir)) == 1
    assert not list((cache_dir / "data").glob(".*.tmp"))


def test_invalid_data_is_not_cached(data, cache_dir):
    from data_helpers import violations_of

    (data / "survey.csv").write_text((data / "survey.csv").read_text(encoding="utf-8").splitlines()[0] + "\n",
                                     encoding="utf-8")
    assert violations_of(data) == ["survey.csv: the survey table holds no rows; the report needs at least one [no rows]"]
    assert entries(cache_dir) == []


def test_without_the_engine_nothing_is_cached(data, tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    load_evaluation(data)
    assert not (tmp_path / "cache").exists()


# --- in a render --------------------------------------------------------------------------------------

PROJECT = ("project:\n  type: book\nbook:\n  title: Klein\n  chapters:\n    - index.qmd\n    - een.qmd\n    - twee.qmd\n"
           "execute:\n  echo: false\n")
CHAPTER = ("# {title}\n\n```{{python}}\nfrom analysis import load_evaluation\nev = load_evaluation()\n```\n\n"
           "Gewicht: `{{python}} float(ev.survey['weight'].iloc[0])`.\n")


@pytest.fixture
def book(tmp_path: Path, data: Path, monkeypatch) -> Path:
    root = tmp_path / "boek"
    root.mkdir()
    (root / "_quarto.yml").write_text(PROJECT, encoding="utf-8")
    (root / "index.qmd").write_text("# Start\n\nTekst.\n", encoding="utf-8")
    for name in ("een", "twee"):
        (root / f"{name}.qmd").write_text(CHAPTER.format(title=name.capitalize()), encoding="utf-8")
    monkeypatch.setenv("REPORT_DATA", str(data))
    monkeypatch.delenv(CACHE_ENV, raising=False)
    return root


def test_render_loads_once_for_all_chapters_and_sees_a_data_edit(book, data, caplog):
    from report.build import RenderOptions, render

    render(book, RenderOptions(formats=("html",)))
    assert len(entries(book / ".report-cache" / "project")) == 1
    for name in ("een", "twee"):
        assert "Gewicht: 2.071429." in (book / "_book" / f"{name}.html").read_text(encoding="utf-8")
    # The cache folder is not a dependency of the chapters, the data file is: editing it runs them again.
    replace_in(data / "survey.csv", "E0001,wethouder,2.071429", "E0001,wethouder,2.5")
    render(book, RenderOptions(formats=("html",)))
    for name in ("een", "twee"):
        assert "Gewicht: 2.5." in (book / "_book" / f"{name}.html").read_text(encoding="utf-8")
    assert len(entries(book / ".report-cache" / "project")) == 1


def test_render_without_cache_keeps_no_data_cache(book):
    from report.build import RenderOptions, render

    render(book, RenderOptions(formats=("html",), use_cache=False))
    assert "Gewicht: 2.071429." in (book / "_book" / "een.html").read_text(encoding="utf-8")
    assert not (book / ".report-cache" / "project").exists()
