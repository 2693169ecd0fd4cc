"""``report verify release/VERSION``: proof that a release can be rebuilt.

Stages: read the manifest (report.release.manifest checks every key and
refuses a path that leaves its folder) -> compare tool and package versions
-> check what the manifest derives from the commit (its inputs, time and lock
file) against the commit, and the data against the recorded hashes -> render
the recorded commit again in a clean worktree, the same way, into a temporary
folder, with CHANGES made again against the earlier release next to it ->
compare every output and site page three ways: manifest, released file,
re-render. The re-render is the witness that tells a file altered after the
release from a manifest edited afterwards; the set of files a release makes
is the re-render's, not the manifest's list. The release folder is only read.
The result is "reproduced", or the exact list of differences, each with its
cause.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import zipfile
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from report import _git
from report._hashing import sha256_file
from report.errors import ReportError
from report.release.create import (
    CHANGES_FILES, ReleaseError, RenderSettings, data_files, environment, file_names, hash_tree, lock_file,
    previous_release, render_and_package, write_changes,
)
from report.release.manifest import (
    KNOWN_FORMATS, MANIFEST, Manifest, UnknownFormatError, read_manifest, release_file,
)

DATA_CHANGED = "data changed"
PACKAGES_DIFFER = "package versions differ"
OUTPUT_DIFFERS = "output differs"
ALTERED = "altered after the release"
MANIFEST_EDITED = "manifest edited"
TAG_MOVED = "tag moved"


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


def _environment_changes(recorded: dict, current: dict) -> list[tuple[str, str | None, str | None]]:
    """(name, recorded, current) for every tool and package whose version differs."""
    changes = [(tool, recorded.get(tool), current.get(tool))
               for tool in ("python", "implementation", "pandoc", "typst", "platform")
               if recorded.get(tool) != current.get(tool)]
    old, new = recorded.get("packages", {}), current.get("packages", {})
    changes += [(name, old.get(name), new.get(name))
                for name in sorted(old.keys() | new.keys()) if old.get(name) != new.get(name)]
    return changes


def _describe_version(name: str, recorded: str | None, current: str | None) -> str:
    return f"{name} {recorded or '(none)'} -> {current or '(none)'}"


def _data_dir(manifest: Manifest, checkout: Path, override: str | None) -> Path | None:
    record = manifest.data
    if override:
        return Path(override).resolve()
    if record.path is None:
        return None
    if record.source == "repository":
        return checkout / record.path
    source = record.source or ""
    if source.startswith("$") and os.environ.get(source[1:]):
        return Path(os.environ[source[1:]]).resolve()
    return Path(record.path)


def _three_way(name: str, recorded: str | None, on_disk: str | None, rebuilt: str | None,
               rerender_cause: str) -> list[Difference]:
    """Name what differs between the manifest, the released file and the re-render, and why.

    The re-render is the witness: a file that no longer matches the manifest while the re-render still
    does was altered; a manifest that matches neither the file nor the re-render, while those two agree,
    was edited; a re-render that differs from a released file that still matches the manifest points at
    the data, the package versions or the engine.
    """
    if on_disk == recorded == rebuilt:
        return []
    if recorded is None:
        if on_disk is None:
            return [Difference(name, "made by the re-render only", rerender_cause)]
        if on_disk == rebuilt:
            return [Difference(name, f"not in {MANIFEST}; the file matches the re-render", MANIFEST_EDITED)]
        return [Difference(name, f"not in {MANIFEST}", ALTERED)]
    if on_disk is None:
        return [Difference(name, f"missing (listed in {MANIFEST})", ALTERED)]
    if on_disk == rebuilt:
        return [Difference(name, f"{MANIFEST} records another SHA-256; the file matches the re-render",
                           MANIFEST_EDITED)]
    if rebuilt == recorded:
        return [Difference(name, f"SHA-256 differs (compared with {MANIFEST})", ALTERED)]
    if on_disk == recorded:
        what = "the re-render does not make it" if rebuilt is None else "the re-render's SHA-256 differs"
        return [Difference(name, what, rerender_cause)]
    what = "the re-render does not make it either" if rebuilt is None else "the re-render's SHA-256 differs as well"
    return [Difference(name, f"SHA-256 differs (compared with {MANIFEST})", ALTERED),
            Difference(name, what, rerender_cause)]


def _release_file_differences(prefix: str, recorded: dict[str, str], on_disk: dict[str, str],
                              rebuilt: dict[str, str], cause_of) -> list[Difference]:
    """The release folder holds exactly the files a release makes, which the re-render made too.

    A file the release makes that is gone from the folder and the manifest alike, or a file listed in
    the manifest that no release makes, is named here; everything else is compared three ways.
    """
    differences = []
    for name in sorted(recorded.keys() | on_disk.keys() | rebuilt.keys()):
        path = f"{prefix}/{name}"
        if name in rebuilt and name not in recorded and name not in on_disk:
            differences.append(Difference(path, f"missing, and not in {MANIFEST}, though a release makes it",
                                          ALTERED))
        elif name not in rebuilt and name in recorded:
            differences.append(Difference(path, f"listed in {MANIFEST}, but a release does not make it",
                                          ALTERED if name in on_disk else MANIFEST_EDITED))
        else:
            differences += _three_way(path, recorded.get(name), on_disk.get(name), rebuilt.get(name),
                                      cause_of(name))
    return differences


def _lock_file_difference(manifest: Manifest, inputs: dict[str, str], commit: str) -> list[Difference]:
    """The lock file the manifest names is the one a release of the commit names."""
    expected = lock_file(inputs, manifest.project)
    recorded = manifest.lock_file
    if recorded == expected:
        return []
    if recorded is not None and f"{manifest.project}/{recorded}".lstrip("/") not in inputs:
        what = f"{recorded} is not in commit {commit[:12]}"
    else:
        what = (f"{recorded or '(none)'} in {MANIFEST}; a release of commit {commit[:12]} names "
                f"{expected or 'no lock file'}")
    return [Difference("lock_file", what, MANIFEST_EDITED)]


def _previous_site_difference(previous: Path) -> list[Difference]:
    """CHANGES is made from the previous release's site zip: it must be the one that release recorded."""
    manifest = read_manifest(previous / MANIFEST)
    site = release_file(previous, previous / MANIFEST, "files.site", manifest.files.site)
    if not site.is_file():
        raise VerifyError(f"{site}: missing; CHANGES of this release is made against it")
    if sha256_file(site) == manifest.outputs.get(manifest.files.site):
        return []
    return [Difference(f"{previous.name}/{manifest.files.site}",
                       f"SHA-256 differs (compared with its {MANIFEST}); CHANGES is made against it", ALTERED)]


def _zip_pages(archive: Path) -> dict[str, str]:
    """SHA-256 of every file inside a released site zip."""
    try:
        with zipfile.ZipFile(archive) as opened:
            return {info.filename: hashlib.sha256(opened.read(info)).hexdigest()
                    for info in opened.infolist() if not info.is_dir()}
    except (OSError, zipfile.BadZipFile):
        return {}


def verify(release_dir: Path, *, project_dir: Path, data: str | None = None) -> list[Difference]:
    release_dir = Path(release_dir)
    manifest_path = release_dir / MANIFEST
    if not manifest_path.is_file():
        raise VerifyError(f"{release_dir}: no {MANIFEST}; not a release folder")
    prefix = release_dir.name
    try:
        manifest = read_manifest(manifest_path)
    except UnknownFormatError as error:  # nothing else in it can be read: the rest is unknown
        known = " and ".join(str(number) for number in KNOWN_FORMATS)
        return [Difference(f"{prefix}/{MANIFEST}", f"format {error.found} is unknown; this engine knows "
                                                    f"formats {known}", MANIFEST_EDITED)]
    for key, name in (("files.pdf", manifest.files.pdf), ("files.site", manifest.files.site),
                      *((("files.docx", manifest.files.docx),) if manifest.files.docx else ()),
                      *(("outputs", name) for name in manifest.outputs)):
        release_file(release_dir, manifest_path, key, name)
    differences: list[Difference] = []

    log("files", f"release {manifest.version} of commit {manifest.commit[:12]}")
    on_disk = hash_tree(release_dir)
    on_disk.pop(MANIFEST, None)

    repo = _git.repo_root(Path(project_dir))
    try:
        commit = _git.resolve_commit(repo, manifest.commit)
    except _git.GitError:
        raise VerifyError(f"commit {manifest.commit} of release {manifest.version} is not in {repo}") from None
    if manifest.tag:
        try:
            tagged = _git.resolve_commit(repo, f"refs/tags/{manifest.tag}")
        except _git.GitError:
            tagged = None
        if tagged != commit:
            where = f"points at {tagged[:12]}" if tagged else "is not in the repository"
            differences.append(Difference(f"tag {manifest.tag}", f"{where}, not at the release's commit "
                                                                  f"{commit[:12]}", TAG_MOVED))

    env_changes = _environment_changes(manifest.environment.model_dump(), environment())
    for name, recorded, current in env_changes:
        differences.append(Difference(f"environment: {name}", f"{recorded or '(none)'} in {MANIFEST}, "
                                                              f"{current or '(none)'} here", PACKAGES_DIFFER))
    if env_changes:
        log("environment", f"{len(env_changes)} version(s) differ from the release: "
            + "; ".join(_describe_version(*change) for change in env_changes[:5]))

    # A release renders with SOURCE_DATE_EPOCH = the commit's time; another value was written by hand.
    epoch = _git.commit_time(repo, commit)
    if manifest.source_date_epoch != epoch:
        differences.append(Difference("source_date_epoch", f"{manifest.source_date_epoch} in {MANIFEST}, but "
                                                           f"commit {commit[:12]} was made at {epoch}",
                                      MANIFEST_EDITED))
    # CHANGES compares with the newest earlier release next to this one, as when the release was made.
    previous = previous_release(release_dir.parent, manifest.version, epoch)
    if previous is None and any(name in manifest.outputs for name in CHANGES_FILES):
        raise VerifyError(f"release {manifest.version} holds CHANGES against an earlier release, but "
                          f"{release_dir.parent} holds no earlier release to make it again; verify it next to "
                          "the releases it was made with")
    previous_intact = True
    if previous is not None:
        previous_differences = _previous_site_difference(previous)
        previous_intact = not previous_differences
        differences += previous_differences

    with tempfile.TemporaryDirectory(prefix="report-verify-") as work_text, \
            _git.worktree(repo, commit) as checkout:
        work = Path(work_text)
        # The inputs are the commit's own files: git keeps them, so a mismatch is an edit of the manifest.
        inputs = {path: sha256_file(checkout / path) for path in _git.tracked_files(checkout)
                  if (checkout / path).is_file()}
        for name, what in _compare_hashes(manifest.inputs, inputs):
            what = {"missing": f"listed in {MANIFEST} but not in commit {commit[:12]}",
                    "not in the manifest": f"in commit {commit[:12]} but not in {MANIFEST}"}.get(
                what, f"{MANIFEST} records another SHA-256 than commit {commit[:12]} holds")
            differences.append(Difference(name, what, MANIFEST_EDITED))
        differences += _lock_file_difference(manifest, inputs, commit)

        data_dir = _data_dir(manifest, checkout, data)
        record = manifest.data
        log("data", f"{data_dir}" if data_dir else "no data folder")
        data_changes = _compare_hashes(record.files, data_files(data_dir))
        in_commit = record.source == "repository" and not data
        data_prefix = record.path or "data"
        for name, what in data_changes:
            # Data in the repository come from the commit, which cannot change: the manifest was edited.
            differences.append(Difference(f"{data_prefix}/{name}", what, MANIFEST_EDITED if in_commit else DATA_CHANGED))

        settings = RenderSettings(
            version=manifest.version, commit=commit, source_date_epoch=epoch,
            project_subdir=manifest.project, data_dir=data_dir, mark=manifest.render.mark, tag=manifest.tag,
            recorded_metadata=manifest.render.metadata,
        )
        stem = manifest.files.pdf.removesuffix(".pdf").removesuffix("-DEMO").removesuffix(f"-{manifest.version}")
        rebuilt = work / "rebuilt"
        rebuilt.mkdir()
        log("render", f"commit {commit[:12]} with SOURCE_DATE_EPOCH={settings.source_date_epoch}")
        try:
            site = render_and_package(checkout, settings, stem, manifest.demo, rebuilt, work)
        except ReleaseError as error:  # a PDF name no render of the commit makes: the manifest was edited
            raise ReportError(f"key 'files.pdf': {error}", path=manifest_path) from None
        if previous is not None:
            log("changes", f"redline against release {previous.name}")
            site_name = file_names(stem, manifest.version, manifest.demo)["site"]
            write_changes(previous, rebuilt, manifest.version, rebuilt / site_name, work)
        rebuilt_hashes = hash_tree(rebuilt)

    real_data_changes = data_changes and not in_commit
    cause = DATA_CHANGED if real_data_changes else PACKAGES_DIFFER if env_changes else OUTPUT_DIFFERS
    if env_changes and not real_data_changes:
        cause += " (" + "; ".join(_describe_version(*c) for c in env_changes[:5]) + (
            " ..." if len(env_changes) > 5 else "") + ")"
    # CHANGES is a function of two site zips: when both are as released, a different CHANGES was altered.
    site_reproduced = rebuilt_hashes.get(manifest.files.site) == manifest.outputs.get(manifest.files.site)
    changes_cause = ALTERED if site_reproduced and previous_intact else cause
    differences += _release_file_differences(
        prefix, manifest.outputs, on_disk, rebuilt_hashes,
        lambda name: changes_cause if name in CHANGES_FILES else cause)
    site_zip = release_dir / manifest.files.site
    released_pages = _zip_pages(site_zip) if site_zip.is_file() else {}
    for page in sorted(manifest.site.keys() | site.keys()):
        if page not in released_pages and page in manifest.site and not site_zip.is_file():
            continue  # the zip itself is missing: named above
        differences += _three_way(f"{prefix}/{manifest.files.site}:{page}", manifest.site.get(page),
                                  released_pages.get(page), site.get(page), cause)
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
    except (VerifyError, ReportError, _git.GitError, _git.RenderError, OSError) as error:
        print(f"report verify: {error}", file=sys.stderr)
        return 2
    if not differences:
        print(f"reproduced: {args.release}")
        return 0
    print(f"not reproduced: {args.release} ({len(differences)} difference(s))")
    for difference in differences:
        print(f"  {difference}")
    return 1
