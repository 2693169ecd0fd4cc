"""`report release` and `report verify` on a small book in a repository the
tests make themselves (git init, fixed commit dates)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest

from report.cli import main

TINYBOOK = Path(__file__).parent / "fixtures" / "diff" / "tinybook"
DEMO_MARK = "DEMO: synthetische testdata"


def git(repo: Path, *args: str, date: str = "2024-05-01T12:00:00Z") -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
        env={"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
             "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
             "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
             "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(repo)},
    ).stdout


def make_repo(root: Path) -> Path:
    repo = root / "book"
    shutil.copytree(TINYBOOK, repo)
    (repo / "requirements.lock").write_text("pandas==2.2.3\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "First draft")
    return repo




def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("release")
    repo = make_repo(root)
    real_data = root / "echte-data"
    shutil.copytree(repo / "data" / "demo", real_data)
    return {"root": root, "repo": repo, "data": real_data, "commit": git(repo, "rev-parse", "HEAD").strip()}


@pytest.fixture(scope="module")
def first_release(project):
    releases = project["root"] / "releases-a"
    code = main(["release", "1.0", "--project", str(project["repo"]),
                                         "--data", str(project["data"]), "--release-dir", str(releases)])
    assert code == 0
    return releases / "1.0"


@pytest.fixture(autouse=True)
def no_data_variable(monkeypatch):
    monkeypatch.delenv("TESTBOEK_DATA", raising=False)


@pytest.mark.slow
def test_release_holds_pdf_site_zip_and_manifest(project, first_release):
    assert sorted(p.name for p in first_release.iterdir()) == [
        "manifest.json", "testboek-1.0-html.zip", "testboek-1.0.pdf",
    ]
    assert first_release.stat().st_mode & 0o755 == 0o755
    manifest = json.loads((first_release / "manifest.json").read_text())
    assert manifest["version"] == "1.0"
    assert manifest["commit"] == project["commit"]
    assert manifest["source_date_epoch"] == int(git(project["repo"], "show", "-s", "--format=%ct", "HEAD"))
    assert manifest["demo"] is False
    assert manifest["lock_file"] == "requirements.lock"
    repo = project["repo"]
    for name in ("requirements.lock", "_quarto.yml", "chapters/01-meldingen.qmd", "data/demo/meldingen.csv"):
        assert manifest["inputs"][name] == sha256((repo / name).read_bytes())
    assert manifest["data"]["files"] == {"meldingen.csv": sha256((project["data"] / "meldingen.csv").read_bytes())}
    for name in ("testboek-1.0.pdf", "testboek-1.0-html.zip"):
        assert manifest["outputs"][name] == sha256((first_release / name).read_bytes())
    environment = manifest["environment"]
    assert environment["python"].startswith("3.")
    assert environment["pandoc"] and environment["typst"]
    assert environment["packages"]["pandas"] and environment["packages"]["pypdf"]


@pytest.mark.slow
def test_release_site_zip_is_deterministic(first_release):
    with zipfile.ZipFile(first_release / "testboek-1.0-html.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert "index.html" in names and "chapters/01-meldingen.html" in names
        assert not any(name.endswith(".pdf") for name in names)
        assert {info.date_time for info in archive.infolist()} == {(2024, 5, 1, 12, 0, 0)}


@pytest.mark.slow
def test_release_pdf_claims_pdfa_and_pdfua_and_prints_version_and_commit(project, first_release):
    reader = pypdf.PdfReader(first_release / "testboek-1.0.pdf")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    claims = dict(re.findall(r"<(pdfu?a?id:\w+)>([^<]*)<", xmp))
    assert claims == {"pdfaid:part": "2", "pdfaid:conformance": "A", "pdfuaid:part": "1"}
    # What PDF/UA-1 and PDF/A-2a need beyond the claim: a tagged structure, a language,
    # the title shown in the window, and an output intent.
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert "/StructTreeRoot" in catalog
    assert str(catalog["/Lang"]) == "nl"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == pypdf.generic.BooleanObject(True)
    assert catalog["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "1.0" in text
    assert project["commit"] in re.sub(r"\s+", "", text)
    assert DEMO_MARK not in text


@pytest.mark.slow
def test_two_releases_of_the_same_commit_are_byte_identical(project, first_release):
    releases = project["root"] / "releases-b"
    code = main(["release", "1.0", "--project", str(project["repo"]),
                                         "--data", str(project["data"]), "--release-dir", str(releases)])
    assert code == 0
    assert tree_bytes(releases / "1.0") == tree_bytes(first_release)


@pytest.mark.slow
def test_verify_reproduces_an_untouched_release(project, first_release, capsys):
    code = main(["verify", str(first_release), "--project", str(project["repo"])])
    assert capsys.readouterr().out == f"reproduced: {first_release}\n"
    assert code == 0


@pytest.mark.slow
def test_verify_fails_on_an_altered_pdf_and_names_it(project, first_release, capsys):
    altered = project["root"] / "altered-pdf" / "1.0"
    shutil.copytree(first_release, altered)
    pdf = altered / "testboek-1.0.pdf"
    pdf.write_bytes(pdf.read_bytes().replace(b"Testboek", b"Testbaak", 1))
    code = main(["verify", str(altered), "--project", str(project["repo"])])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines() == [
        f"not reproduced: {altered} (1 difference(s))",
        "  1.0/testboek-1.0.pdf: SHA-256 differs (compared with manifest.json) [altered after the release]",
    ]


@pytest.mark.slow
def test_verify_fails_on_altered_data_and_names_the_file(project, first_release, capsys, tmp_path):
    data = tmp_path / "changed-data"
    shutil.copytree(project["data"], data)
    (data / "meldingen.csv").write_text("jaar,aantal\n2021,1200\n2022,1450\n2023,1999\n")
    code = main(["verify", str(first_release), "--project", str(project["repo"]),
                                        "--data", str(data)])
    out = capsys.readouterr().out
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"not reproduced: {first_release}")
    assert f"  {project['data']}/meldingen.csv: SHA-256 differs [data changed]" in lines
    assert any(line.startswith("  1.0/testboek-1.0.pdf: the re-render's SHA-256 differs [data changed]") for line in lines)


def test_release_is_refused_on_a_dirty_worktree(project, capsys):
    chapter = project["repo"] / "chapters" / "02-steun.qmd"
    original = chapter.read_text()
    chapter.write_text(original + "\nEen zin die nog niet is vastgelegd.\n")
    try:
        code = main(["release", "9.9", "--project", str(project["repo"]),
                                             "--data", str(project["data"])])
    finally:
        chapter.write_text(original)
    assert code == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        "report release: refusing to release from a dirty worktree (1 uncommitted path(s): "
        "chapters/02-steun.qmd); commit or remove the changes first"
    )
    assert not (project["repo"] / "release" / "9.9").exists()


def test_release_is_refused_on_demo_data_without_the_flag(project, capsys):
    code = main(["release", "9.9", "--project", str(project["repo"])])
    assert code == 1
    err = capsys.readouterr().err
    # An untagged commit is only a warning.
    assert (f"report release [refuse] warning: commit {project['commit'][:12]} has no tag; tag it "
            f"(git tag v9.9 {project['commit'][:12]}) so that the release can be found in the history") in err
    assert err.splitlines()[-1] == (
        f"report release: refusing to release on demo data ({project['repo'].resolve()}/data/demo); "
        "point the data source at the real data (--data or the project's data variable), "
        "or pass --allow-demo for a release marked as demo"
    )
    assert not (project["repo"] / "release").exists()


def test_release_refuses_an_existing_version_and_a_bad_one(project, capsys, tmp_path):
    (tmp_path / "2.0").mkdir()
    code = main(["release", "2.0", "--project", str(project["repo"]),
                                         "--data", str(project["data"]), "--release-dir", str(tmp_path)])
    assert code == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"report release: {tmp_path}/2.0 already exists; a release is never overwritten, choose a new version"
    )
    code = main(["release", "../x", "--project", str(project["repo"])])
    assert code == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        "report release: invalid version '../x': use letters, digits and . _ + - (for example 1.0 or 2024-05)"
    )


@pytest.mark.slow
def test_demo_release_with_the_flag_is_marked_on_every_page_and_in_file_names(project, capsys):
    releases = project["root"] / "releases-demo"
    code = main(["release", "0.1", "--allow-demo", "--project", str(project["repo"]),
                                         "--release-dir", str(releases)])
    assert code == 0
    folder = releases / "0.1"
    assert sorted(p.name for p in folder.iterdir()) == [
        "manifest.json", "testboek-0.1-DEMO-html.zip", "testboek-0.1-DEMO.pdf",
    ]
    reader = pypdf.PdfReader(folder / "testboek-0.1-DEMO.pdf")
    assert all(DEMO_MARK in page.extract_text() for page in reader.pages)
    with zipfile.ZipFile(folder / "testboek-0.1-DEMO-html.zip") as archive:
        pages = [n for n in archive.namelist() if n.endswith(".html")]
        assert pages and all(DEMO_MARK in archive.read(n).decode("utf-8") for n in pages)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["demo"] is True and manifest["data"]["source"] == "repository"
    assert manifest["data"]["path"] == "data/demo"


@pytest.mark.slow
def test_release_is_refused_when_a_check_fails(tmp_path, capsys):
    repo = make_repo(tmp_path)
    steun = repo / "chapters" / "02-steun.qmd"
    steun.write_text(steun.read_text() + "\nZie @fig-bestaat-niet.\n")
    git(repo, "commit", "-q", "-am", "Broken reference")
    code = main(["release", "1.0", "--allow-demo", "--project", str(repo)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Unable to resolve crossref @fig-bestaat-niet (strict mode: warnings are errors)" in err
    assert not (repo / "release" / "1.0").exists()
    assert list((repo / "release").iterdir()) == []  # no half-built release left behind


@pytest.mark.slow
def test_changes_are_summarised_against_the_previous_release(project, first_release, tmp_path):
    repo = make_repo(tmp_path)
    data = repo / "data" / "demo" / "meldingen.csv"
    data.write_text(data.read_text().replace("2023,1530", "2023,1710"))
    git(repo, "commit", "-q", "-am", "New figures for 2023", date="2024-06-01T12:00:00Z")
    releases = tmp_path / "releases"
    shutil.copytree(first_release, releases / "1.0")
    code = main(["release", "1.1", "--project", str(repo), "--data",
                                         str(repo / "data" / "demo"), "--allow-demo", "--release-dir", str(releases)])
    assert code == 0
    changes = (releases / "1.1" / "CHANGES").read_text()
    assert changes.startswith("Changes from 1.0 to 1.1\n")
    assert "- 4.180 -> 4.360: In totaal kwamen er 4.360 meldingen binnen." in changes
    redline = (releases / "1.1" / "CHANGES.html").read_text()
    assert '<span class="num"><del>1530</del> → <ins>1710</ins></span>' in redline
    manifest = json.loads((releases / "1.1" / "manifest.json").read_text())
    assert set(manifest["outputs"]) == {"CHANGES", "CHANGES.html", "testboek-1.1-DEMO.pdf", "testboek-1.1-DEMO-html.zip"}


@pytest.mark.slow
def test_verify_names_every_edit_of_the_manifest(project, first_release, capsys, tmp_path):
    release = tmp_path / "1.0"
    shutil.copytree(first_release, release)
    manifest = json.loads((release / "manifest.json").read_text())
    installed = manifest["environment"]["packages"]["pandas"]
    manifest["environment"]["packages"]["pandas"] = "0.0.1"
    manifest["outputs"]["testboek-1.0.pdf"] = "0" * 64  # the PDF itself is intact
    manifest["inputs"]["chapters/01-meldingen.qmd"] = "1" * 64
    manifest["site"]["chapters/02-steun.html"] = "2" * 64
    manifest["tag"] = "v1.0"  # no such tag
    (release / "manifest.json").write_text(json.dumps(manifest))
    code = main(["verify", str(release), "--project", str(project["repo"])])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    commit = project["commit"][:12]
    assert lines == [
        f"not reproduced: {release} (5 difference(s))",
        f"  tag v1.0: is not in the repository, not at the release's commit {commit} [tag moved]",
        f"  environment: pandas: 0.0.1 in manifest.json, {installed} here [package versions differ]",
        f"  chapters/01-meldingen.qmd: manifest.json records another SHA-256 than commit {commit} holds "
        "[manifest edited]",
        "  1.0/testboek-1.0.pdf: manifest.json records another SHA-256; the file matches the re-render "
        "[manifest edited]",
        "  1.0/testboek-1.0-html.zip:chapters/02-steun.html: manifest.json records another SHA-256; "
        "the file matches the re-render [manifest edited]",
    ]


@pytest.mark.slow
def test_verify_blames_a_changed_site_page_on_the_zip(project, first_release, capsys, tmp_path):
    release = tmp_path / "1.0"
    shutil.copytree(first_release, release)
    archive = release / "testboek-1.0-html.zip"
    with zipfile.ZipFile(archive) as opened:
        files = {info.filename: opened.read(info) for info in opened.infolist()}
    files["chapters/02-steun.html"] = files["chapters/02-steun.html"].replace(b"burgemeesters", b"wethouders")
    with zipfile.ZipFile(archive, "w") as opened:
        for name, data in files.items():
            opened.writestr(name, data)
    code = main(["verify", str(release), "--project", str(project["repo"])])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines == [
        f"not reproduced: {release} (2 difference(s))",
        "  1.0/testboek-1.0-html.zip: SHA-256 differs (compared with manifest.json) [altered after the release]",
        "  1.0/testboek-1.0-html.zip:chapters/02-steun.html: SHA-256 differs (compared with manifest.json) "
        "[altered after the release]",
    ]


@pytest.mark.parametrize("edit, message", [
    (lambda text: text.replace('"outputs"', '"uitvoer"'), "key 'outputs' is missing"),
    (lambda text: text.replace('"demo": false', '"demo": "nee"'), "key 'demo': Input should be a valid boolean"),
    (lambda text: text.replace('"commit": "', '"commit": "x', 1),
     "key 'commit': String should match pattern '^[0-9a-f]{40}$'"),
])
def test_a_malformed_manifest_names_the_file_and_the_key(tmp_path, capsys, edit, message):
    release = tmp_path / "1.0"
    release.mkdir()
    manifest = {"format": 2, "version": "1.0", "commit": "a" * 40, "tag": None, "source_date_epoch": 1, "demo": False,
                "project": "", "files": {"pdf": "b.pdf", "site": "b-html.zip"},
                "render": {"metadata": {"version": "1.0"}, "mark": None},
                "data": {"source": None, "path": None, "files": {}}, "inputs": {}, "outputs": {}, "site": {},
                "environment": {"packages": {}}}
    (release / "manifest.json").write_text(edit(json.dumps(manifest, indent=2)))
    code = main(["verify", str(release), "--project", str(tmp_path)])
    assert code == 2
    assert capsys.readouterr().err.strip() == f"report verify: {release}/manifest.json: {message}"


def test_a_manifest_that_is_not_json_names_the_line(tmp_path, capsys):
    release = tmp_path / "1.0"
    release.mkdir()
    (release / "manifest.json").write_text('{\n  "format": 2,\n  "version" "1.0"\n}\n')
    code = main(["verify", str(release), "--project", str(tmp_path)])
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        f"report verify: {release}/manifest.json:3: not valid JSON: Expecting ':' delimiter (column 13)")


def test_release_refuses_a_version_that_contradicts_the_commits_tag(project, capsys):
    git(project["repo"], "tag", "v1.0")
    try:
        code = main(["release", "2.0", "--project", str(project["repo"]), "--data", str(project["data"])])
    finally:
        git(project["repo"], "tag", "-d", "v1.0")
    assert code == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"report release: refusing to release 2.0: commit {project['commit'][:12]} is tagged v1.0; "
        "release it under that version, or tag the commit v2.0")
    assert not (project["repo"] / "release").exists()


@pytest.mark.slow
def test_an_old_release_verifies_from_a_newer_checkout_and_its_colophon_states_the_release(tmp_path, capsys,
                                                                                            monkeypatch):
    from revision_repo import git as repo_git, make_repo as make_revision_repo, second

    repo = make_revision_repo(tmp_path)
    repo_git(repo, "tag", "v1.0")
    # The checkout is on the kernels' import path, as an editable install puts it.
    monkeypatch.setenv("PYTHONPATH", str(repo))
    releases = tmp_path / "releases"
    code = main(["release", "1.0", "--allow-demo", "--project", str(repo), "--release-dir", str(releases)])
    assert code == 0
    manifest = json.loads((releases / "1.0" / "manifest.json").read_text())
    assert manifest["tag"] == "v1.0"
    assert manifest["render"]["metadata"] == {"version": "1.0", "commit": manifest["commit"], "tag": "v1.0",
                                              "release-date": "2024-05-01"}
    pages = pypdf.PdfReader(releases / "1.0" / "testboek-1.0-DEMO.pdf").pages
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))
    # The colophon: label and value side by side, and the demo's statement that its data are synthetic.
    for stated in ("Versie 1.0", "Tag v1.0", "Datum van uitgave 1 mei 2024",
                   "Alle data in deze uitgave zijn synthetisch"):
        assert stated in text, stated
    second(repo)  # the package, the facts and the data move on
    capsys.readouterr()
    code = main(["verify", str(releases / "1.0"), "--project", str(repo)])
    assert capsys.readouterr().out == f"reproduced: {releases / '1.0'}\n"
    assert code == 0
