"""`report release` and `report verify` of a book that lists `format: docx`: the .docx is a file of the release,
with its hash in the manifest, and a re-render reproduces it byte for byte."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from report.cli import main

TINYBOOK = Path(__file__).parent / "fixtures" / "diff" / "tinybook"


def _git(repo: Path, *args: str) -> None:
    date = "2024-05-01T12:00:00Z"
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                   env={"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
                        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
                        "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
                        "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(repo)})


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("docx-release")
    repo = root / "book"
    shutil.copytree(TINYBOOK, repo)
    config = repo / "_quarto.yml"
    config.write_text(config.read_text().replace("format:\n", "format:\n  docx:\n    toc: true\n", 1))
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "A book with Word output")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.delenv("TESTBOEK_DATA", raising=False)
        code = main(["release", "1.0", "--project", str(repo), "--data", str(repo / "data" / "demo"),
                     "--allow-demo", "--release-dir", str(root / "releases")])
    assert code == 0
    return {"repo": repo, "release": root / "releases" / "1.0"}


@pytest.mark.slow
def test_the_release_holds_the_docx_and_its_hash(released):
    release = released["release"]
    assert sorted(path.name for path in release.iterdir()) == [
        "manifest.json", "testboek-1.0-DEMO-html.zip", "testboek-1.0-DEMO.docx", "testboek-1.0-DEMO.pdf"]
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["files"] == {"pdf": "testboek-1.0-DEMO.pdf", "site": "testboek-1.0-DEMO-html.zip",
                                 "docx": "testboek-1.0-DEMO.docx"}
    content = (release / "testboek-1.0-DEMO.docx").read_bytes()
    assert manifest["outputs"]["testboek-1.0-DEMO.docx"] == hashlib.sha256(content).hexdigest()
    word = docx.Document(str(release / "testboek-1.0-DEMO.docx"))
    assert word.paragraphs[0].text == "Testboek"


@pytest.mark.slow
def test_verify_reproduces_the_docx_and_names_an_altered_one(released, capsys):
    release = released["release"]
    code = main(["verify", str(release), "--project", str(released["repo"])])
    assert capsys.readouterr().out == f"reproduced: {release}\n"
    assert code == 0
    altered = release.parent / "altered"
    shutil.copytree(release, altered)
    target = altered / "testboek-1.0-DEMO.docx"
    target.write_bytes(target.read_bytes() + b"\0")
    code = main(["verify", str(altered), "--project", str(released["repo"])])
    output = capsys.readouterr().out
    assert code != 0
    assert "altered/testboek-1.0-DEMO.docx: SHA-256 differs (compared with manifest.json)" in output
