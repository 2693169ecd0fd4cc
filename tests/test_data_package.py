"""The demo set: reproducible byte for byte, described by its data package, loadable from anywhere."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import importlib.util
import io
import json
import shutil
from pathlib import Path

import pytest

from analysis import load_evaluation
from analysis.paths import DATA_ENV, DEMO_DIR, FACTS_DIR, REPO_ROOT
from data_helpers import copy_demo

DATA_ROOT = REPO_ROOT / "data"


def _generator():
    spec = importlib.util.spec_from_file_location("generate_demo_data", REPO_ROOT / "scripts" / "generate_demo_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("regenerated")
    (root / "facts").mkdir()
    for path in FACTS_DIR.glob("monitor-*.csv"):
        shutil.copyfile(path, root / "facts" / path.name)
    _generator().generate(root)
    return root


def test_generator_reproduces_the_committed_demo_set_byte_for_byte(regenerated):
    committed, fresh = _files(DEMO_DIR), _files(regenerated / "demo")
    assert sorted(fresh) == sorted(committed)
    differing = [name for name in committed if committed[name] != fresh[name]]
    assert differing == []
    assert (regenerated / "datapackage.json").read_bytes() == (DATA_ROOT / "datapackage.json").read_bytes()


def test_data_package_describes_every_demo_file_as_it_is():
    package = json.loads((DATA_ROOT / "datapackage.json").read_text(encoding="utf-8"))
    described: set[str] = set()
    for resource in package["resources"]:
        paths = resource["path"] if isinstance(resource["path"], list) else [resource["path"]]
        data = b"".join((DATA_ROOT / p).read_bytes() for p in paths)
        assert resource["bytes"] == len(data), resource["name"]
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), resource["name"]
        described.update(paths)
        if resource["format"] == "csv":
            header = next(csv.reader(io.StringIO((DATA_ROOT / paths[0]).read_text(encoding="utf-8"))))
            assert header == [f["name"] for f in resource["schema"]["fields"]], resource["name"]
    demo_files = {f"demo/{name}" for name in _files(DEMO_DIR)}
    assert demo_files <= described
    assert {"facts/monitor-trend.csv", "facts/monitor-2022.csv"} <= described


def test_demo_has_the_promised_shape():
    ev = load_evaluation(DEMO_DIR)
    assert ev.is_demo
    assert list(ev.register["respondent"]) == [f"R{i:02d}" for i in range(1, 41)]
    assert ev.register["group"].value_counts().to_dict() == {
        "actieve deelnemer": 10,
        "critical friend": 10,
        "criticaster": 10,
        "onbekend met het netwerk": 10,
    }
    assert ev.segments["interview"].nunique() == 40
    assert len(ev.double_coded) == 8
    assert sorted(ev.segments["coder"].unique()) == ["codeur-1", "codeur-2"]
    # every respondent unfamiliar with the network says so, and nobody else does
    unknown = set(ev.coded.loc[ev.coded["code"] == "bekendheid.onbekend", "respondent"])
    assert unknown == set(ev.register.loc[ev.register["group"] == "onbekend met het netwerk", "respondent"])


def test_demo_coverage_differs_per_form_of_threat():
    from analysis.measures import coverage_by_threat

    table = coverage_by_threat(load_evaluation(DEMO_DIR)).set_index("code")
    for covered in ("dreiging.verbaal", "dreiging.bedreiging"):
        assert table.loc[covered, "binnen_bereik"] > table.loc[covered, "buiten_bereik"], covered
    for uncovered in ("dreiging.online", "dreiging.ondermijning", "dreiging.binnen", "dreiging.integriteit"):
        assert table.loc[uncovered, "buiten_bereik"] > table.loc[uncovered, "binnen_bereik"], uncovered


def test_trend_table_goes_back_to_2014_with_sources():
    ev = load_evaluation(DEMO_DIR)
    assert ev.trend["year"].min() == 2014
    assert ev.trend["source"].str.len().min() > 0
    shares_2022 = ev.trend[ev.trend["year"] == 2022].set_index("group")["share"].to_dict()
    assert shares_2022 == {"burgemeesters": 0.77, "wethouders": 0.67, "raadsleden": 0.45, "alle decentrale ambtsdragers": 0.49}


def test_data_dir_argument_beats_environment_beats_default(tmp_path, monkeypatch):
    copy = copy_demo(tmp_path / "copy")
    (copy / "DEMO").unlink()
    monkeypatch.setenv(DATA_ENV, str(copy))
    from_env = load_evaluation()
    assert from_env.data_dir == copy.resolve() and not from_env.is_demo
    assert load_evaluation(DEMO_DIR).data_dir == DEMO_DIR
    monkeypatch.delenv(DATA_ENV)
    assert load_evaluation().data_dir == DEMO_DIR


def test_default_does_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv(DATA_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert load_evaluation().data_dir == DEMO_DIR


def test_file_hashes_cover_every_file_read():
    ev = load_evaluation(DEMO_DIR)
    assert ev.file_hashes["register.csv"] == hashlib.sha256((DEMO_DIR / "register.csv").read_bytes()).hexdigest()
    assert "transcripts/INT40.txt" in ev.file_hashes
    assert "data/facts/monitor-trend.csv" in ev.file_hashes
    assert len(ev.file_hashes) == 4 + 40 + 1


def test_evaluation_is_frozen():
    ev = load_evaluation(DEMO_DIR)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ev.register = None
