"""Disk faults as located errors: a full disk names the stage and the folder it was writing to."""

from __future__ import annotations

import errno
from pathlib import Path

from report.errors import ReportError

__all__ = ["DISK_FULL", "disk_full_error"]

#: No space left, or the user's quota is spent: the cure is the same, free space and render again.
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def disk_full_error(stage: str, error: OSError, folder: Path | None) -> ReportError:
    """The message for ``error`` (one of :data:`DISK_FULL`) raised in ``stage`` while writing under ``folder``."""
    where = Path(error.filename).parent if error.filename else folder
    written = f" writing {error.filename}" if error.filename else ""
    return ReportError(f"{stage} stage: no space left on the device{written} (folder {where}); "
                       "free some space and render again; the previous output is kept")
