"""``report verify release/VERSION``: proof that a release can be rebuilt.

Stages: read the manifest -> check the release files against it -> check
the data against the recorded hashes -> compare tool and package versions
-> render the recorded commit again in a clean worktree, the same way ->
compare every output hash. The result is "reproduced", or the exact list of
differing files, each with a hint about the cause.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from report import _git
from report.release.create import (
    MANIFEST, RenderSettings, data_files, environment, hash_tree, render_and_package,
)

DATA_CHANGED = "data changed"
PACKAGES_DIFFER = "package versions differ"
OUTPUT_DIFFERS = "output differs"
ALTERED = "altered after the release"


class VerifyError(RuntimeError):
    """The release cannot be verified at all (no manifest, unknown commit)."""


@dataclass(frozen=True)
class Difference:
    path: str  # the file, as named in the release or the data folder
    what: str
    cause: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what} [{self.cause}]"


def log(stage: str, message: str) -> None:
    print(f"report verify [{stage}] {message}", file=sys.stderr, flush=True)


def _compare_hashes(expected: dict[str, str], actual: dict[str, str]) -> list[tuple[str, str]]:
    changes = []
    for name in sorted(expected.keys() | actual.keys()):
        if name not in actual:
            changes.append((name, "missing"))
        elif name not in expected:
            changes.append((name, "not in the manifest"))
        elif expected[name] != actual[name]:
            changes.append((name, "SHA-256 differs"))
    return changes


def _environment_changes(recorded: dict, current: dict) -> list[str]:
    changes = [
        f"{tool} {recorded.get(tool)} -> {current.get(tool)}"
        for tool in ("python", "pandoc", "typst", "platform")
        if recorded.get(tool) != current.get(tool)
    ]
    old, new = recorded.get("packages", {}), current.get("packages", {})
    changes += [f"{name} {old.get(name, '(none)')} -> {new.get(name, '(none)')}"
                for name in sorted(old.keys() | new.keys()) if old.get(name) != new.get(name)]
    return changes


def _data_dir(manifest: dict, checkout: Path, override: str | None) -> Path | None:
    record = manifest.get("data") or {}
    if override:
        return Path(override).resolve()
    if record.get("path") is None:
        return None
    if record.get("source") == "repository":
        return checkout / record["path"]
    source = record.get("source") or ""
    if source.startswith("$") and os.environ.get(source[1:]):
        return Path(os.environ[source[1:]]).resolve()
    return Path(record["path"])


def verify(release_dir: Path, *, project_dir: Path, data: str | None = None) -> list[Difference]:
    release_dir = Path(release_dir)
    manifest_path = release_dir / MANIFEST
    if not manifest_path.is_file():
        raise VerifyError(f"{release_dir}: no {MANIFEST}; not a release folder")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    differences: list[Difference] = []

    log("files", f"release {manifest['version']} of commit {manifest['commit'][:12]}")
    on_disk = hash_tree(release_dir)
    on_disk.pop(MANIFEST, None)
    for name, what in _compare_hashes(manifest["outputs"], on_disk):
        differences.append(Difference(f"{release_dir.name}/{name}", f"{what} (compared with {MANIFEST})", ALTERED))

    repo = _git.repo_root(Path(project_dir))
    try:
        commit = _git.resolve_commit(repo, manifest["commit"])
    except _git.GitError:
        raise VerifyError(f"commit {manifest['commit']} of release {manifest['version']} is not in {repo}") from None

    env_changes = _environment_changes(manifest.get("environment", {}), environment())
    if env_changes:
        log("environment", f"{len(env_changes)} version(s) differ from the release: " + "; ".join(env_changes[:5]))

    with tempfile.TemporaryDirectory(prefix="report-verify-") as work_text, \
            _git.worktree(repo, commit) as checkout:
        work = Path(work_text)
        data_dir = _data_dir(manifest, checkout, data)
        record = manifest.get("data") or {}
        log("data", f"{data_dir}" if data_dir else "no data folder")
        data_changes = _compare_hashes(record.get("files", {}), data_files(data_dir))
        data_prefix = record.get("path") or "data"
        for name, what in data_changes:
            differences.append(Difference(f"{data_prefix}/{name}", what, DATA_CHANGED))

        settings = RenderSettings(
            version=manifest["version"], commit=commit, source_date_epoch=manifest["source_date_epoch"],
            project_subdir=manifest.get("project", ""), data_dir=data_dir,
            mark=manifest["render"].get("mark"),
        )
        stem = manifest["files"]["pdf"].removesuffix(".pdf").removesuffix("-DEMO").removesuffix(f"-{manifest['version']}")
        rebuilt = work / "rebuilt"
        rebuilt.mkdir()
        log("render", f"commit {commit[:12]} with SOURCE_DATE_EPOCH={settings.source_date_epoch}")
        site = render_and_package(checkout, settings, stem, manifest["demo"], rebuilt, work)
        rebuilt_hashes = hash_tree(rebuilt)

    cause = DATA_CHANGED if data_changes else PACKAGES_DIFFER if env_changes else OUTPUT_DIFFERS
    if env_changes and not data_changes:
        cause += " (" + "; ".join(env_changes[:5]) + (" ..." if len(env_changes) > 5 else "") + ")"
    expected = {name: sha for name, sha in manifest["outputs"].items() if name in rebuilt_hashes}
    for name, what in _compare_hashes(expected, rebuilt_hashes):
        detail = f"the re-render's {what}"
        if name == manifest["files"]["site"]:
            pages = [page for page, _ in _compare_hashes(manifest.get("site", {}), site)]
            if pages:
                detail += " in " + ", ".join(pages[:10]) + (" ..." if len(pages) > 10 else "")
        differences.append(Difference(f"{release_dir.name}/{name}", detail, cause))
    return differences


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "verify",
        help="re-render a release and check that it is reproduced byte for byte",
        description=(
            "Re-render the commit recorded in RELEASE/manifest.json in a clean worktree, with the "
            "recorded data, and compare every hash. Prints 'reproduced', or each differing file with "
            "a hint about the cause; exits non-zero on any difference."
        ),
    )
    parser.add_argument("release", metavar="RELEASE", help="a release folder, e.g. release/1.0")
    parser.add_argument("--project", default=".", help="project folder (default: .)")
    parser.add_argument("--data", help="data folder to check and render with (default: as recorded)")
    parser.set_defaults(func=run)
    return parser


def run(args) -> int:
    try:
        differences = verify(Path(args.release), project_dir=Path(args.project), data=args.data)
    except (VerifyError, _git.GitError, _git.RenderError, OSError, KeyError, ValueError) as error:
        print(f"report verify: {error}", file=sys.stderr)
        return 2
    if not differences:
        print(f"reproduced: {args.release}")
        return 0
    print(f"not reproduced: {args.release} ({len(differences)} difference(s))")
    for difference in differences:
        print(f"  {difference}")
    return 1
