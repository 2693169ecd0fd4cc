"""Repairs for the engine's own caches: an entry that cannot be used is logged, removed and computed again.

Everything under ``.report-cache/`` is the engine's to rebuild, so a broken entry
(a folder where a file belongs, a file where a folder belongs, invalid content
behind a valid checksum) never stops a render: it costs one recomputation.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

__all__ = ["discard", "ensure_folder"]

log = logging.getLogger("report")


def discard(path: Path, reason: str) -> None:
    """Remove the cache entry ``path`` (a file or a folder) because of ``reason``, and say so."""
    log.warning("removing damaged cache entry %s: %s", path, reason)
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    except OSError as error:  # another render may hold or have removed it; the entry is skipped either way
        log.warning("could not remove %s: %s", path, error)


def ensure_folder(folder: Path, cache_root: Path) -> None:
    """Make ``folder`` a folder, removing any file that stands where it or a parent up to ``cache_root`` belongs.

    ``cache_root`` itself is left alone when it is not a folder: that is the
    user's file, not the engine's, and the caller reports it.
    """
    relative = folder.relative_to(cache_root)
    current = cache_root
    for part in relative.parts:
        current = current / part
        if current.exists() and not current.is_dir():
            discard(current, "a file stands where the cache keeps a folder")
    folder.mkdir(parents=True, exist_ok=True)
