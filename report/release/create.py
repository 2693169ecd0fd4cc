"""``report release VERSION``: a reproducible, verifiable release of the book.

Stages, each logged: refuse (dirty worktree, bad version, a version the
commit's tag contradicts, demo data; an untagged commit is a warning) ->
checkout (a clean worktree of HEAD) -> check -> render (version, commit,
tag and release date in the colophon, SOURCE_DATE_EPOCH = commit time) -> package (PDF and a
deterministic zip of the site) -> changes (redline against the previous
release) -> manifest. The release folder is assembled aside and moved into
place only when every stage succeeded.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from report import _git
from report._draft import DRAFT_ENV
from report._hashing import sha256_file
from report.errors import ReportError
from report.release.manifest import (
    MANIFEST, MANIFEST_FORMAT, VERSION_PATTERN, path_problem, read_manifest, release_file,
)

LOCK_FILES = ("requirements.lock", "uv.lock", "poetry.lock", "pylock.toml")
CHANGES_FILES = ("CHANGES", "CHANGES.html")  # made only when an earlier release exists
ZIP_EPOCH_MINIMUM = 315532800  # 1980-01-01, the earliest time a zip entry can hold


class ReleaseError(RuntimeError):
    """A release that must not be made; the message says why and what to do."""


@dataclass(frozen=True)
class RenderSettings:
    """Everything a render depends on besides the sources: recorded in the
    manifest so that ``report verify`` can render again the same way."""

    version: str
    commit: str
    source_date_epoch: int
    project_subdir: str  # the project's folder inside the repository, "" for the root
    data_dir: Path | None
    mark: str | None
    tag: str | None = None
    recorded_metadata: dict[str, str] | None = None  # a release's own, when it is rendered again

    @property
    def metadata(self) -> dict[str, str]:
        """What the colophon states: version, commit, tag and release date (the commit's time)."""
        if self.recorded_metadata is not None:
            return dict(self.recorded_metadata)
        metadata = {"version": self.version, "commit": self.commit}
        if self.tag:
            metadata["tag"] = self.tag
        metadata["release-date"] = release_date(self.source_date_epoch)
        return metadata

    def render_args(self) -> list[str]:
        args = [argument for key, value in self.metadata.items() for argument in ("-M", f"{key}:{value}")]
        if self.data_dir is not None:
            args += ["--data", str(self.data_dir)]
        if self.mark:
            args += ["--mark", self.mark]
        return args


def release_date(epoch: int) -> str:
    """The ISO date of a commit time, in UTC, so that it does not depend on where the release is made."""
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).date().isoformat()


def commit_tag(repo: Path, commit: str, version: str) -> str | None:
    """The tag of ``commit`` that names ``version`` (``1.0`` or ``v1.0``); None when the commit has no tag.

    A commit tagged for another version is refused: the release would contradict the repository.
    """
    tags = [tag for tag in _git.git(repo, "tag", "--points-at", commit).split() if tag]
    if not tags:
        return None
    matching = [tag for tag in tags if tag in (version, f"v{version}")]
    if matching:
        return matching[0]
    raise ReleaseError(
        f"refusing to release {version}: commit {commit[:12]} is tagged {', '.join(tags)}; "
        f"release it under that version, or tag the commit v{version}"
    )


def log(stage: str, message: str) -> None:
    print(f"report release [{stage}] {message}", file=sys.stderr, flush=True)


def hash_tree(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folder``, by '/'-separated relative path."""
    return {
        path.relative_to(folder).as_posix(): sha256_file(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def write_deterministic_zip(source: Path, target: Path, epoch: int) -> None:
    """Zip ``source`` with sorted entries, one fixed timestamp and fixed
    permissions, so the same files always give the same bytes."""
    stamp = time.gmtime(max(epoch, ZIP_EPOCH_MINIMUM))[:6]
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(source.rglob("*"), key=lambda p: p.relative_to(source).as_posix()):
            if not path.is_file():
                continue
            info = zipfile.ZipInfo(path.relative_to(source).as_posix(), date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, path.read_bytes(), compresslevel=9)


def environment() -> dict:
    """Versions of everything that can change the bytes of a render."""
    from report.document.pandoc import pandoc_version

    try:
        typst_version = importlib.metadata.version("typst")
    except importlib.metadata.PackageNotFoundError:
        typst_version = None
    packages = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            packages[re.sub(r"[-_.]+", "-", name).lower()] = dist.version
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": f"{sys.platform}-{platform.machine()}",
        "pandoc": pandoc_version(),
        "typst": typst_version,
        "packages": dict(sorted(packages.items())),
    }


def file_names(stem: str, version: str, demo: bool) -> dict[str, str]:
    base = f"{stem}-{version}" + ("-DEMO" if demo else "")
    return {"pdf": f"{base}.pdf", "site": f"{base}-html.zip", "docx": f"{base}.docx"}


def lock_file(inputs: dict[str, str], project_subdir: str) -> str | None:
    """The project's lock file among the commit's files, as the manifest records it."""
    return next((name for name in LOCK_FILES if f"{project_subdir}/{name}".lstrip("/") in inputs), None)


def render_and_package(
    checkout: Path, settings: RenderSettings, stem: str, demo: bool, target: Path, work: Path,
    engine_root: Path | None = None,
) -> dict[str, str]:
    """Render the checkout and put the PDF, the .docx (when the book lists docx) and site zip into ``target``.

    Returns the SHA-256 of each file of the rendered site, for the manifest.
    """
    project_dir = checkout / settings.project_subdir
    book = work / "book"
    _git.render_checkout(
        project_dir, book, extra_args=settings.render_args(),
        engine_root=engine_root if engine_root is not None else checkout,
        env={"SOURCE_DATE_EPOCH": str(settings.source_date_epoch)},
    )
    pdf = book / f"{stem}.pdf"
    if not pdf.is_file():
        raise ReleaseError(f"the render produced no PDF: {stem}.pdf is missing from the book folder")
    names = file_names(stem, settings.version, demo)
    shutil.copyfile(pdf, target / names["pdf"])
    pdf.unlink()
    docx = book / f"{stem}.docx"
    if docx.is_file():  # a file of the release of its own, as the PDF: the site zip holds the pages
        shutil.copyfile(docx, target / names["docx"])
        docx.unlink()
    write_deterministic_zip(book, target / names["site"], settings.source_date_epoch)
    return hash_tree(book)


def data_files(data_dir: Path | None) -> dict[str, str]:
    return hash_tree(data_dir) if data_dir is not None and data_dir.is_dir() else {}


def previous_release(release_root: Path, version: str, epoch: int) -> Path | None:
    """The newest earlier release in ``release_root`` (by commit time): the one CHANGES compares with."""
    candidates = []
    for folder in release_root.iterdir() if release_root.is_dir() else ():
        manifest_path = folder / MANIFEST
        if folder.name == version or not manifest_path.is_file():
            continue
        manifest = read_manifest(manifest_path)
        if manifest.version != version and manifest.source_date_epoch <= epoch:
            candidates.append((manifest.source_date_epoch, manifest.version, folder))
    return max(candidates)[2] if candidates else None


def write_changes(previous: Path, target: Path, version: str, site_zip: Path, work: Path) -> None:
    """CHANGES (text) and CHANGES.html (the redline) against ``previous``."""
    from report.review import diff_books
    from report.review._render import render_redline
    from report.review._summary import summary_dict

    manifest = read_manifest(previous / MANIFEST)
    old_zip = release_file(previous, previous / MANIFEST, "files.site", manifest.files.site)
    folders = []
    for name, archive in (("previous", old_zip), ("current", site_zip)):
        folder = work / f"changes-{name}"
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(folder)
        folders.append(folder)
    book = diff_books(folders[0], folders[1], old_label=manifest.version, new_label=version)
    (target / "CHANGES.html").write_text(render_redline(book), encoding="utf-8")
    (target / "CHANGES").write_text(changes_text(summary_dict(book)), encoding="utf-8")


def changes_text(summary: dict) -> str:
    totals = summary["totals"]
    lines = [f"Changes from {summary['old']} to {summary['new']}", ""]
    if not summary["changed"]:
        return "\n".join(lines + ["No changes in the rendered book.", ""])
    lines.append(
        f"{totals['chapters']} chapter(s) changed: {totals['paragraphs']} paragraph(s), "
        f"{totals['moved']} moved, {totals['numbers']} number(s), {totals['figures']} figure(s), "
        f"{totals['tables']} table(s). The redline is in CHANGES.html."
    )
    lines.append("")
    for chapter in summary["chapters"]:
        lines.append(
            f"- {chapter['title'] or chapter['page']} ({chapter['status']}): "
            f"{chapter['paragraphs']} paragraph(s), {chapter['moved']} moved, {chapter['numbers']} number(s), "
            f"{chapter['figures']} figure(s), {chapter['tables']} table(s)"
        )
    if summary["numbers"]:
        lines += ["", "Changed numbers:"]
        lines += [f"- {n['old']} -> {n['new']}: {n['context']}" for n in summary["numbers"]]
    return "\n".join(lines) + "\n"


def run_check(checkout: Path, settings: RenderSettings, data_variable: str | None) -> None:
    """Run ``report check --strict`` in the checkout; a failing check refuses the release.

    Strict, because a release is what the commissioner receives: what a render only warns about (an unresolved
    reference, an unknown shortcode or citation, an ignored option) must not be published. The data folder reaches the check through the project's data variable,
    which every command of the engine honours.
    """
    env = {data_variable: str(settings.data_dir)} if data_variable and settings.data_dir else {}
    done = _git.run_report(checkout / settings.project_subdir, ["check", "--strict"], engine_root=checkout, env=env)
    if done.returncode == 2 and "invalid choice: 'check'" in done.stderr:
        log("check", "this engine has no 'report check'; the render's own checks apply")
        return
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()[-4000:]
        raise ReleaseError(f"refusing to release: 'report check' failed:\n{output}")


def check_rendered(checkout: Path, settings: RenderSettings, book: Path) -> None:
    """Run the project's checks again over the site about to be packaged; a finding refuses the release.

    ``report check`` ran before the render, in a checkout without output: only
    here can a check audit what the release will publish.
    """
    from report.check import run_project_checks
    from report.sources.project import load_project

    try:
        run_project_checks(load_project(checkout / settings.project_subdir, data_dir=settings.data_dir),
                           output_dir=book)
    except ReportError as error:
        raise ReleaseError(f"refusing to release: the rendered book fails a check:\n{error}") from None


def release(
    version: str, *, project_dir: Path, release_root: Path | None = None,
    data: str | None = None, allow_demo: bool = False,
) -> Path:
    from report.sources.project import load_project

    if not VERSION_PATTERN.fullmatch(version):
        raise ReleaseError(
            f"invalid version {version!r}: use letters, digits and . _ + - (for example 1.0 or 2024-05)"
        )
    if os.environ.get(DRAFT_ENV) == "1":
        raise ReleaseError(
            f"refusing to release a draft ({DRAFT_ENV}=1 is set): a draft carries its draft mark and its project may "
            f"allow what a publication may not; unset {DRAFT_ENV} and release again"
        )
    project_dir = Path(project_dir).resolve()
    repo = _git.repo_root(project_dir)
    release_root = Path(release_root) if release_root else project_dir / "release"
    release_root = release_root.resolve()
    target = release_root / version
    if target.exists():
        raise ReleaseError(f"{target} already exists; a release is never overwritten, choose a new version")

    log("refuse", "checking the worktree and the data source")
    ignored = [release_root.relative_to(repo).as_posix()] if release_root.is_relative_to(repo) else []
    dirty = _git.dirty_paths(repo, ignore=ignored)
    if dirty:
        listed = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise ReleaseError(
            f"refusing to release from a dirty worktree ({len(dirty)} uncommitted path(s): {listed}); "
            "commit or remove the changes first"
        )
    commit = _git.resolve_commit(repo, "HEAD")
    tag = commit_tag(repo, commit, version)
    if tag is None:
        log("refuse", f"warning: commit {commit[:12]} has no tag; tag it (git tag v{version} {commit[:12]}) "
                      "so that the release can be found in the history")
    project = load_project(project_dir, data_dir=data)
    if project.is_demo and not allow_demo:
        raise ReleaseError(
            f"refusing to release on demo data ({project.data_dir}); point the data source at the real "
            "data (--data or the project's data variable), or pass --allow-demo for a release marked as demo"
        )
    problem = path_problem(project.output_file, plain_name=True)
    if problem:
        raise ReleaseError(f"refusing to release: the book's output-file {project.output_file!r} {problem}; "
                           "the release's files are named after it and stay inside the release folder")
    epoch = _git.commit_time(repo, commit)
    previous = previous_release(release_root, version, epoch)  # its manifest is checked before any render
    subdir = project_dir.relative_to(repo).as_posix()
    subdir = "" if subdir == "." else subdir
    in_repository = project.data_dir is not None and project.data_dir.is_relative_to(repo)
    settings = RenderSettings(
        version=version, commit=commit, source_date_epoch=epoch, project_subdir=subdir,
        data_dir=project.data_dir, mark=project.demo_mark if project.is_demo else None, tag=tag,
    )

    release_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=release_root))
    try:
        with tempfile.TemporaryDirectory(prefix="report-release-") as work_text, \
                _git.worktree(repo, commit) as checkout:
            work = Path(work_text)
            if in_repository and (checkout / project.data_dir.relative_to(repo)).is_dir():
                # Committed data: render from the checkout's copy, so the release depends on committed files only.
                settings = RenderSettings(**{**settings.__dict__, "data_dir":
                                             checkout / project.data_dir.relative_to(repo)})
            log("check", f"commit {commit[:12]}")
            data_settings = project.config.report.data
            run_check(checkout, settings, data_settings.env if data_settings else None)
            log("render", f"version {version}, SOURCE_DATE_EPOCH={epoch}")
            site = render_and_package(checkout, settings, project.output_file, project.is_demo, staging, work)
            check_rendered(checkout, settings, work / "book")
            names = file_names(project.output_file, version, project.is_demo)
            if previous is not None:
                log("changes", f"redline against release {previous.name}")
                write_changes(previous, staging, version, staging / names["site"], work)
            log("manifest", "hashing inputs and outputs")
            inputs = {p: sha256_file(checkout / p) for p in _git.tracked_files(checkout)
                      if (checkout / p).is_file()}
            manifest = {
                "format": MANIFEST_FORMAT,
                "version": version,
                "commit": commit,
                "tag": tag,
                "source_date_epoch": epoch,
                "demo": project.is_demo,
                "project": subdir,
                "files": {key: name for key, name in names.items() if (staging / name).is_file()},
                "render": {
                    "metadata": settings.metadata,
                    "mark": settings.mark,
                },
                "data": _data_record(project, settings.data_dir, checkout, project_dir),
                "lock_file": lock_file(inputs, subdir),
                "inputs": inputs,
                "outputs": hash_tree(staging),
                "site": site,
                "environment": environment(),
            }
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
        staging.chmod(0o755)  # mkdtemp makes it private; a release is for sharing
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log("done", f"{target}")
    return target


def _data_record(project, data_dir: Path | None, checkout: Path, project_dir: Path) -> dict:
    if data_dir is None:
        return {"source": None, "path": None, "files": {}}
    settings = project.config.report.data
    if data_dir.is_relative_to(checkout):
        source, path = "repository", data_dir.relative_to(checkout / "").as_posix()
    else:
        env = settings.env if settings else None
        source = f"${env}" if env and os.environ.get(env) and Path(os.environ[env]).resolve() == data_dir else "--data"
        path = str(data_dir)
    return {"source": source, "path": path, "files": data_files(data_dir)}


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "release",
        help="make a reproducible release of the book",
        description=(
            "Render HEAD in a clean worktree and write release/VERSION/ with the PDF, a zip of the "
            "HTML site, manifest.json (hashes of every input and output, tool and package versions) "
            "and CHANGES against the previous release."
        ),
    )
    parser.add_argument("version", metavar="VERSION")
    parser.add_argument("--project", default=".", help="project folder (default: .)")
    parser.add_argument("--data", help="data folder (default: the project's data variable, else demo data)")
    parser.add_argument("--allow-demo", action="store_true",
                        help="allow a release on demo data; it is marked DEMO on every page and in file names")
    parser.add_argument("--release-dir", help="folder for releases (default: release/ in the project)")
    parser.set_defaults(func=run)
    return parser


def run(args) -> int:
    try:
        target = release(
            args.version, project_dir=Path(args.project), release_root=args.release_dir,
            data=args.data, allow_demo=args.allow_demo,
        )
    except (ReleaseError, ReportError, _git.GitError, _git.RenderError) as error:
        print(f"report release: {error}", file=sys.stderr)
        return 1
    print(f"released {args.version} in {target}")
    return 0
