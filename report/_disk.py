"""Disk faults as located errors (a full disk names the stage and the folder it was writing to), and the one
atomic file write that leaves either the old file or the whole new one."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from report.errors import ReportError

__all__ = ["DISK_FULL", "disk_full_error", "write_atomic", "write_atomic_together"]

#: No space left, or the user's quota is spent: the cure is the same, free space and render again.
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def disk_full_error(stage: str, error: OSError, folder: Path | None, *, retry: str = "render again") -> ReportError:
    """The message for ``error`` (one of :data:`DISK_FULL`) raised in ``stage`` while writing under ``folder``."""
    where = Path(error.filename).parent if error.filename else folder
    written = f" writing {error.filename}" if error.filename else ""
    return ReportError(f"{stage} stage: no space left on the device{written} (folder {where}); "
                       f"free some space and {retry}; the previous output is kept")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a synced temporary file beside it, so a crash leaves the old file whole."""
    write_atomic_together({path: data})


def write_atomic_together(files: dict[Path, bytes]) -> None:
    """Write several files so that a failure (a full disk) leaves every one of them as it was: all are written to
    synced temporary files beside them first, and only then renamed into place."""
    temporaries: dict[Path, str] = {}
    try:
        for path, data in files.items():
            descriptor, temporaries[path] = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for path, temporary in temporaries.items():
            os.replace(temporary, path)
    except BaseException:
        for temporary in temporaries.values():
            Path(temporary).unlink(missing_ok=True)
        raise
