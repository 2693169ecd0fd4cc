"""Publishing a finished build into an output folder without losing a byte the engine did not write.

Every folder the engine publishes holds a marker, ``.report-output``, listing the files the engine wrote there
and the format each belongs to (``html``, ``typst``, ``figures``). A publish

- refuses the project folder, any folder above it, the data folder (or a folder holding it) and anything
  inside ``.git``;
- refuses to replace a folder that is not empty and holds no marker: the engine did not create it; unless
  ``quarto render`` wrote it (report.outputs.publish.quarto_output_files): Quarto's pages, ``site_libs/``,
  ``search.json`` and figure folders are then replaced like the engine's own, every other file stays;
- replaces only the files of the formats being published (``--to html`` keeps the PDF) and keeps every file it
  did not write;
- writes only the files whose bytes changed; an unchanged file keeps its inode and modification time. The
  changed files are all written under temporary names first and then renamed into place, each rename atomic,
  so a failure while writing leaves the folder as it was;
- holds an exclusive lock (on the folder's parent) from reading the old folder to the last rename, so concurrent
  renders into one folder publish one after the other instead of failing;
- gives folders and files the ordinary permissions of the umask (no private temporary folders);
- holds, writes and deletes only paths inside the folder, checked after resolving symbolic links: a marker entry
  that leaves the folder (``..``, an absolute path, a link to elsewhere) is ignored with a warning, and a
  subfolder replaced by a link is refused, never written through;
- turns a folder it cannot write (read-only, a file in the way) into an error naming it, the old output kept.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

from report._disk import DISK_FULL
from report.errors import ReportError
from report.sources import diagnostics

__all__ = ["MARKER", "Published", "check_output_folder", "check_replaceable", "publish", "read_marker"]

log = logging.getLogger("report")

MARKER = ".report-output"
MARKER_FORMAT = 1


@dataclass(frozen=True)
class Published:
    written: tuple[str, ...]  # files written anew (changed or new), relative to the folder
    unchanged: tuple[str, ...]  # engine files kept as they were (same inode)
    removed: tuple[str, ...]  # engine files of a replaced format that the build no longer produces

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def check_output_folder(target: Path, root: Path, data_dir: Path | None = None) -> None:
    """Refuse folders that must never be replaced by a build."""
    target = Path(os.path.abspath(target))
    root = Path(os.path.abspath(root))
    shown = _shown(target, root)
    if target == root:
        raise ReportError(f"output folder '{shown}' is the project folder; choose a folder inside it, such as _book")
    if root.is_relative_to(target):
        raise ReportError(f"output folder '{shown}' holds the project folder; choose a folder inside it, such as _book")
    if ".git" in target.parts:
        raise ReportError(f"output folder '{shown}' is inside .git")
    if data_dir is not None:
        data_dir = Path(os.path.abspath(data_dir))
        if target == data_dir or target.is_relative_to(data_dir):
            raise ReportError(f"output folder '{shown}' is inside the data folder '{data_dir}'")
        if data_dir.is_relative_to(target):
            raise ReportError(f"output folder '{shown}' holds the data folder '{data_dir}'")


def check_replaceable(target: Path, root: Path, data_dir: Path | None = None) -> dict[str, str]:
    """Refuse a folder the engine may not replace; return the engine's files in it (empty if none yet)."""
    target = Path(os.path.abspath(target))
    check_output_folder(target, root, data_dir)
    shown = _shown(target, Path(os.path.abspath(root)))
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise ReportError(f"output folder '{shown}' is not a folder")
    if not target.is_dir():
        existing = next(folder for folder in target.parents if folder.exists() or folder.is_symlink())
        if not existing.is_dir():
            raise ReportError(f"output folder '{shown}' cannot be created: '{existing}' is a file, not a folder")
        return {}
    marker = read_marker(target)
    if marker is None:
        quarto_files = quarto_output_files(target)
        if quarto_files is not None:
            return quarto_files
        if any(target.iterdir()):
            raise ReportError(f"output folder '{shown}' is not empty and holds no {MARKER} file, so report did not "
                              "create it; refusing to replace it (empty it or choose another --output-dir)")
        return {}
    return _inside_entries(target, marker)


QUARTO_GENERATOR = re.compile(rb'<meta\s+name="generator"\s+content="quarto-', re.IGNORECASE)


def quarto_output_files(target: Path) -> dict[str, str] | None:
    """The files ``quarto render`` wrote in ``target`` (its pages, ``site_libs/``, ``search.json`` and figure
    folders), as the engine's own HTML output; None when ``target`` does not look like Quarto's output folder.

    Quarto's output of the same sources is replaced like the engine's own; anything else there (a ``CNAME``,
    a ``.nojekyll``, the author's files) stays. A folder is Quarto's when it holds ``site_libs/quarto-html/``,
    or ``search.json`` beside a page marked with Quarto's generator meta tag."""
    pages = [page for page in sorted(target.rglob("*.html"))
             if page.is_file() and not page.is_symlink() and QUARTO_GENERATOR.search(page.read_bytes()[:8192])]
    if not (target / "site_libs" / "quarto-html").is_dir() and not ((target / "search.json").is_file() and pages):
        return None
    files = [*pages, *(target / "site_libs").rglob("*"), target / "search.json",
             *(file for folder in target.rglob("*_files") if folder.is_dir() for file in folder.rglob("*"))]
    return {file.relative_to(target).as_posix(): "html" for file in files
            if file.is_file() and not file.is_symlink() and not _leaves(target, file.relative_to(target).as_posix())}


def _inside_entries(target: Path, marker: dict[str, str]) -> dict[str, str]:
    """The marker's entries that name a file inside ``target``; any other (edited by hand, or written by an
    older engine) is ignored with a warning: the engine deletes nothing outside its folder."""
    kept = {}
    for relative, fmt in marker.items():
        if _leaves(target, relative):
            diagnostics.warn(f"lists '{relative}', which is not a file inside the output folder; ignored "
                             "(report deletes only its own files inside the folder)", path=target / MARKER)
        else:
            kept[relative] = fmt
    return kept


def _leaves(target: Path, relative: str) -> bool:
    """Whether ``relative`` names anything but a path inside ``target``, also once symbolic links are resolved."""
    parts = Path(relative).parts
    if not parts or Path(relative).is_absolute() or ".." in parts or relative != Path(relative).as_posix():
        return True
    real_target, real = os.path.realpath(target), os.path.realpath(target / relative)
    return real == real_target or not Path(real).is_relative_to(real_target)


def _shown(target: Path, root: Path) -> str:
    return os.path.relpath(target, root) if target.is_relative_to(root) or root.is_relative_to(target) else str(target)


def read_marker(folder: Path) -> dict[str, str] | None:
    """The engine's files in ``folder`` with their format, or None when the folder holds no valid marker."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(files, dict) or not all(isinstance(key, str) and isinstance(value, str)
                                              for key, value in files.items()):
        return None
    return files


def _marker_bytes(files: Mapping[str, str]) -> bytes:
    return (json.dumps({"written-by": "report render", "format": MARKER_FORMAT,
                        "note": "The files listed here were written by the engine and are replaced by the next "
                                "render; every other file in this folder is left alone.",
                        "files": dict(sorted(files.items()))}, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@contextmanager
def publish_lock(target: Path) -> Iterator[None]:
    """Exclusive for every render publishing into a folder beside ``target`` (blocks until the previous ends).

    The lock is taken on the parent folder itself, so no lock file is left behind and two renders that see
    the same folder under different names still share one lock.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def publish(target: Path, files: Mapping[str, Path | bytes], formats: Mapping[str, str], *, root: Path,
            data_dir: Path | None = None) -> Published:
    """Make ``target`` hold ``files`` (relative path -> source file or bytes), each of the format given in
    ``formats`` (relative path -> format); the engine's earlier files of those formats that are not in
    ``files`` are removed, everything else in the folder is kept.

    Only changed files are written. Every one is first written beside its place under a temporary name; only
    when all are written are they renamed into place (each rename atomic), so a failure while writing (a full
    disk) leaves the folder as it was. The marker lists the old and new files while they are swapped, so a
    file the engine wrote is never taken for someone else's.
    """
    target = Path(os.path.abspath(target))
    try:
        return _publish(target, files, formats, root, data_dir)
    except OSError as error:
        if error.errno in DISK_FULL:
            raise  # the stage names it (report.render.stages.stage)
        reason = ("it is read-only" if error.errno in {errno.EACCES, errno.EPERM, errno.EROFS}
                  else error.strerror or str(error))
        raise ReportError(f"cannot write the output folder '{_shown(target, Path(os.path.abspath(root)))}': "
                          f"{reason} ({error.filename}); the previous output is kept") from None


def _publish(target: Path, files: Mapping[str, Path | bytes], formats: Mapping[str, str], root: Path,
             data_dir: Path | None) -> Published:
    replaced = set(formats.values())
    with publish_lock(target):
        previous = check_replaceable(target, root, data_dir)
        # Entries check_replaceable ignored (they leave the folder) are dropped from the marker by this publish.
        dropped = target.is_dir() and read_marker(target) not in (None, previous)
        written, unchanged, removed = _plan(target, files, previous, replaced)
        listed = {relative: fmt for relative, fmt in previous.items()
                  if relative not in removed and relative not in files}
        listed.update({relative: formats[relative] for relative in files})
        result = Published(tuple(sorted(written)), tuple(sorted(unchanged)), tuple(sorted(removed)))
        if not written and not removed and listed == previous and (target / MARKER).is_file() and not dropped:
            return result  # nothing to do: the folder is not touched at all
        created = _make_folder(target)
        temporaries: dict[Path, Path] = {}
        try:
            for relative in written:
                destination = target / relative
                created.extend(_make_folder(destination.parent))
                temporary = destination.with_name(f".{destination.name}.report-new-{os.getpid()}")
                content = files[relative]
                if isinstance(content, bytes):
                    temporary.write_bytes(content)
                else:
                    shutil.copyfile(content, temporary)
                temporaries[temporary] = destination
            if {**previous, **listed} != previous or not (target / MARKER).is_file():
                _write_atomic(target / MARKER, _marker_bytes({**previous, **listed}))
        except BaseException:
            for temporary in temporaries:
                temporary.unlink(missing_ok=True)
            for folder in reversed(created):
                _remove_if_empty(folder)
            raise
        for temporary, destination in temporaries.items():
            os.replace(temporary, destination)
        for relative in removed:
            (target / relative).unlink(missing_ok=True)
            _remove_empty_parents((target / relative).parent, target)
        if listed != {**previous, **listed} or dropped:
            _write_atomic(target / MARKER, _marker_bytes(listed))
    return result


def _plan(target: Path, files: Mapping[str, Path | bytes], previous: Mapping[str, str],
          replaced: set[str]) -> tuple[list[str], list[str], list[str]]:
    """Which files to write (new or changed), which are unchanged, which engine files go."""
    written: list[str] = []
    unchanged: list[str] = []
    for relative, content in files.items():
        _refuse_linked_folders(target, relative)
        if _leaves(target, relative):
            raise ReportError(f"the render would write '{relative}' outside the output folder '{target}'; "
                              "nothing was written")
        existing = target / relative
        if existing.is_symlink() or existing.is_dir():
            raise ReportError(f"output folder '{target}' holds '{relative}' as a "
                              f"{'link' if existing.is_symlink() else 'folder'}, where the render writes a file")
        if existing.is_file():
            if _same_content(existing, content):
                unchanged.append(relative)
                continue
            if relative not in previous:
                raise ReportError(f"output folder '{target}' holds '{relative}', which report did not write; "
                                  "move it away so that the render can write its own")
        written.append(relative)
    # A format also replaces its parts: `html` a website page's own `html:sub/page.qmd` (report.render.publish).
    removed = [relative for relative, fmt in previous.items()
               if (fmt in replaced or fmt.split(":")[0] in replaced) and relative not in files
               and (target / relative).is_file()]
    return written, unchanged, removed


def _refuse_linked_folders(target: Path, relative: str) -> None:
    """A folder on the way to ``relative`` that is a symbolic link (``_book/chapters`` linked elsewhere) is refused:
    writing through it would change files the engine did not write."""
    folder = target
    for part in Path(relative).parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            raise ReportError(f"output folder '{target}' holds '{folder.relative_to(target).as_posix()}' as a link to "
                              f"{os.path.realpath(folder)}; report does not write through it (remove the link and "
                              "render again)")


def _make_folder(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents with the umask's permissions; return those created, outermost first."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty (or gone): it stays


def _remove_empty_parents(folder: Path, target: Path) -> None:
    """Folders emptied by removing the engine's files go too, up to the output folder."""
    while folder != target and folder.is_relative_to(target):
        try:
            folder.rmdir()
        except OSError:
            return  # not empty: it holds other files
        folder = folder.parent


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.report-new-{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _same_content(existing: Path, content: Path | bytes) -> bool:
    try:
        if isinstance(content, bytes):
            return existing.stat().st_size == len(content) and existing.read_bytes() == content
        if existing.stat().st_size != content.stat().st_size:
            return False
        return existing.read_bytes() == content.read_bytes()
    except OSError:
        return False
