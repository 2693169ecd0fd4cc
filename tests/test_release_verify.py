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


@pytest.fixture(scope="module")
def changes_releases(first_release, tmp_path_factory):
    """Release 1.1 of a second commit, made next to a copy of 1.0: it holds CHANGES against 1.0."""
    root = tmp_path_factory.mktemp("changes")
    repo = make_repo(root)
    data = repo / "data" / "demo" / "meldingen.csv"
    data.write_text(data.read_text().replace("2023,1530", "2023,1710"))
    git(repo, "commit", "-q", "-am", "New figures for 2023", date="2024-06-01T12:00:00Z")
    releases = root / "releases"
    shutil.copytree(first_release, releases / "1.0")
    code = main(["release", "1.1", "--project", str(repo), "--data",
                 str(repo / "data" / "demo"), "--allow-demo", "--release-dir", str(releases)])
    assert code == 0
    return {"repo": repo, "releases": releases}


def tree_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and modification time of every file: what a read-only pass leaves exactly as it was."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit_manifest(release: Path, edit) -> None:
    manifest = json.loads((release / "manifest.json").read_text())
    edit(manifest)
    (release / "manifest.json").write_text(json.dumps(manifest, indent=2))


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
def test_verify_reproduces_an_untouched_release_and_leaves_its_folder_as_it_was(project, first_release, capsys):
    before = tree_state(first_release.parent)
    code = main(["verify", str(first_release), "--project", str(project["repo"])])
    assert capsys.readouterr().out == f"reproduced: {first_release}\n"
    assert code == 0
    assert tree_state(first_release.parent) == before


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
def test_changes_are_summarised_against_the_previous_release(changes_releases):
    releases = changes_releases["releases"]
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


# A crafted manifest cannot make verify (or release) read or write outside the release folder.

@pytest.mark.parametrize("edit, message", [
    (lambda m: m["files"].update(pdf="../../../elsewhere/x.pdf"),
     "key 'files.pdf': '../../../elsewhere/x.pdf' goes up with '..': it must stay inside the release folder"),
    (lambda m: m["files"].update(pdf="/tmp/elsewhere/x.pdf"),
     "key 'files.pdf': '/tmp/elsewhere/x.pdf' is absolute: it must stay inside the release folder"),
    (lambda m: m["files"].update(site="C:\\elsewhere\\x-html.zip"),
     "key 'files.site': 'C:\\\\elsewhere\\\\x-html.zip' is absolute: it must stay inside the release folder"),
    (lambda m: m["files"].update(site="..\\x-html.zip"),
     "key 'files.site': '..\\\\x-html.zip' holds a backslash, a colon or a NUL (Windows path forms): "
     "it must stay inside the release folder"),
    (lambda m: m["files"].update(site="sub/x-html.zip"),
     "key 'files.site': 'sub/x-html.zip' names a folder, not a file: it must stay inside the release folder"),
    (lambda m: m["outputs"].update({"../../x.pdf": "0" * 64}),
     "key 'outputs': '../../x.pdf' goes up with '..': it must stay inside the release folder"),
    (lambda m: m.update(project="/elsewhere/book"),
     "key 'project': '/elsewhere/book' is absolute: it must stay inside the repository"),
    (lambda m: m.update(lock_file="../requirements.lock"),
     "key 'lock_file': '../requirements.lock' goes up with '..': it must stay inside the project"),
    (lambda m: m["data"].update(source="repository", path="data/../../elsewhere"),
     "key 'data.path': 'data/../../elsewhere' goes up with '..': it must stay inside the repository"),
    (lambda m: m.update(version="../1.0"),
     "key 'version': '../1.0' is not a version (letters, digits and . _ + -); file names are made from it"),
])
def test_verify_refuses_a_manifest_path_that_leaves_its_folder_before_touching_anything(
        project, first_release, capsys, tmp_path, edit, message):
    release = tmp_path / "a" / "b" / "1.0"
    shutil.copytree(first_release, release)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.pdf").write_bytes(b"not the engine's")
    edit_manifest(release, edit)
    before = tree_state(tmp_path)
    code = main(["verify", str(release), "--project", str(project["repo"])])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.splitlines() == [f"report verify: {release}/manifest.json: {message}"]
    assert tree_state(tmp_path) == before


def test_verify_refuses_a_release_file_that_is_a_symbolic_link_out_of_the_folder(project, first_release, capsys,
                                                                                 tmp_path):
    release = tmp_path / "1.0"
    shutil.copytree(first_release, release)
    outside = tmp_path / "outside.pdf"
    shutil.move(release / "testboek-1.0.pdf", outside)
    (release / "testboek-1.0.pdf").symlink_to(outside)
    before = tree_state(tmp_path)
    code = main(["verify", str(release), "--project", str(project["repo"])])
    assert code == 2
    assert capsys.readouterr().err.splitlines() == [
        f"report verify: {release}/manifest.json: key 'files.pdf': 'testboek-1.0.pdf' leaves the release folder "
        f"through a symbolic link (to {outside})"]
    assert tree_state(tmp_path) == before


def test_release_refuses_an_earlier_release_whose_manifest_leaves_its_folder(project, first_release, capsys,
                                                                           tmp_path):
    earlier = tmp_path / "0.9"
    shutil.copytree(first_release, earlier)
    edit_manifest(earlier, lambda m: m.update(version="0.9", files={"pdf": "testboek-0.9.pdf",
                                                                     "site": "../../elsewhere-html.zip"}))
    code = main(["release", "1.0", "--project", str(project["repo"]), "--data", str(project["data"]),
                 "--release-dir", str(tmp_path)])
    assert code == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"report release: {earlier}/manifest.json: key 'files.site': '../../elsewhere-html.zip' goes up with '..': "
        "it must stay inside the release folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.9"]


def test_release_refuses_an_output_file_that_is_not_a_plain_name(tmp_path, capsys):
    repo = make_repo(tmp_path)
    config = repo / "_quarto.yml"
    config.write_text(config.read_text().replace('output-file: "testboek"', 'output-file: "../../testboek"'))
    git(repo, "commit", "-q", "-am", "Output elsewhere")
    code = main(["release", "1.0", "--allow-demo", "--project", str(repo)])
    assert code == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        "report release: refusing to release: the book's output-file '../../testboek' goes up with '..'; "
        "the release's files are named after it and stay inside the release folder")
    assert not (repo / "release").exists()


# Every edit verify must not call "reproduced".

def test_verify_names_an_unknown_manifest_format(project, first_release, capsys, tmp_path):
    release = tmp_path / "1.0"
    shutil.copytree(first_release, release)
    edit_manifest(release, lambda m: m.update(format=999))
    code = main(["verify", str(release), "--project", str(project["repo"])])
    assert code == 1
    assert capsys.readouterr().out.splitlines() == [
        f"not reproduced: {release} (1 difference(s))",
        "  1.0/manifest.json: format 999 is unknown; this engine knows formats 1 and 2 [manifest edited]",
    ]


@pytest.mark.slow
def test_verify_names_an_edited_release_time_and_a_lock_file_the_commit_lacks(project, first_release, capsys,
                                                                               tmp_path):
    release = tmp_path / "1.0"
    shutil.copytree(first_release, release)
    epoch = json.loads((release / "manifest.json").read_text())["source_date_epoch"]
    edit_manifest(release, lambda m: m.update(source_date_epoch=epoch + 86400, lock_file="uv.lock"))
    code = main(["verify", str(release), "--project", str(project["repo"])])
    commit = project["commit"][:12]
    assert capsys.readouterr().out.splitlines() == [
        f"not reproduced: {release} (2 difference(s))",
        f"  source_date_epoch: {epoch + 86400} in manifest.json, but commit {commit} was made at {epoch} "
        "[manifest edited]",
        f"  lock_file: uv.lock is not in commit {commit} [manifest edited]",
    ]
    assert code == 1


@pytest.mark.slow
def test_verify_makes_changes_again_and_reproduces_an_untouched_later_release(changes_releases, capsys):
    release = changes_releases["releases"] / "1.1"
    code = main(["verify", str(release), "--project", str(changes_releases["repo"])])
    assert capsys.readouterr().out == f"reproduced: {release}\n"
    assert code == 0


@pytest.mark.slow
def test_verify_names_changes_replaced_together_with_their_hashes(changes_releases, capsys, tmp_path):
    releases = tmp_path / "releases"
    shutil.copytree(changes_releases["releases"], releases)
    release = releases / "1.1"
    (release / "CHANGES").write_text("Changes from 1.0 to 1.1\n\nNo changes in the rendered book.\n")
    (release / "CHANGES.html").write_text("<p>Geen wijzigingen.</p>\n")
    edit_manifest(release, lambda m: m["outputs"].update(
        {name: sha256((release / name).read_bytes()) for name in ("CHANGES", "CHANGES.html")}))
    code = main(["verify", str(release), "--project", str(changes_releases["repo"])])
    assert capsys.readouterr().out.splitlines() == [
        f"not reproduced: {release} (2 difference(s))",
        "  1.1/CHANGES: the re-render's SHA-256 differs [altered after the release]",
        "  1.1/CHANGES.html: the re-render's SHA-256 differs [altered after the release]",
    ]
    assert code == 1


@pytest.mark.slow
def test_verify_names_changes_deleted_together_with_their_entries(changes_releases, capsys, tmp_path):
    releases = tmp_path / "releases"
    shutil.copytree(changes_releases["releases"], releases)
    release = releases / "1.1"
    for name in ("CHANGES", "CHANGES.html"):
        (release / name).unlink()
    edit_manifest(release, lambda m: [m["outputs"].pop(name) for name in ("CHANGES", "CHANGES.html")])
    code = main(["verify", str(release), "--project", str(changes_releases["repo"])])
    assert capsys.readouterr().out.splitlines() == [
        f"not reproduced: {release} (2 difference(s))",
        "  1.1/CHANGES: missing, and not in manifest.json, though a release makes it [altered after the release]",
        "  1.1/CHANGES.html: missing, and not in manifest.json, though a release makes it "
        "[altered after the release]",
    ]
    assert code == 1


def test_verify_refuses_changes_without_the_earlier_release_next_to_it(changes_releases, capsys, tmp_path):
    release = tmp_path / "1.1"
    shutil.copytree(changes_releases["releases"] / "1.1", release)
    code = main(["verify", str(release), "--project", str(changes_releases["repo"])])
    assert code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"report verify: release 1.1 holds CHANGES against an earlier release, but {tmp_path} holds no earlier "
        "release to make it again; verify it next to the releases it was made with")


@pytest.mark.slow
def test_verify_names_the_key_when_no_render_makes_the_recorded_pdf(project, first_release, capsys, tmp_path):
    release = tmp_path / "1.0"
    shutil.copytree(first_release, release)
    for name in ("testboek-1.0.pdf", "testboek-1.0-html.zip"):
        (release / name).rename(release / name.replace("testboek", "anders"))
    edit_manifest(release, lambda m: m.update(files={"pdf": "anders-1.0.pdf", "site": "anders-1.0-html.zip"}))
    code = main(["verify", str(release), "--project", str(project["repo"])])
    assert code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"report verify: {release}/manifest.json: key 'files.pdf': the render produced no PDF: anders.pdf is "
        "missing from the book folder")
