"""Fingerprints of what a render reads: paths, folder listings and the interpreter with its packages.

Shared by the execution cache and the build record, so that both judge a change alike. Only the standard
library is imported, so the build record's check runs before anything heavy.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from report._hashing import sha256_bytes, sha256_file

__all__ = ["absolute", "environment_fingerprint", "listing_fingerprint", "path_fingerprint", "portable"]


@lru_cache(maxsize=1)
def environment_fingerprint() -> str:
    """Python and every installed distribution with its version.

    Read from the names of the ``*.dist-info``/``*.egg-info`` folders on the import path (they carry name and
    version), which costs a folder listing instead of parsing every distribution's metadata.
    """
    distributions: set[str] = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        distributions.update(name for name in names if name.endswith((".dist-info", ".egg-info")))
    text = "\n".join([sys.version, sys.platform, sys.executable, *sorted(distributions)])
    return sha256_bytes(text.encode())


def path_fingerprint(path: str) -> str:
    """``sha256:…`` of a file's content, or what stands there instead: absent, folder, other, unreadable."""
    try:
        os.stat(path)
    except OSError:
        return "absent"
    if os.path.isdir(path):
        return "folder"
    if not os.path.isfile(path):
        return "other"
    try:
        return "sha256:" + sha256_file(path)
    except OSError:
        return "unreadable"


def listing_fingerprint(path: str, ignored: Iterable[str] = ()) -> str:
    """The names in a folder, leaving out hidden ones (caches, the engine's staging folders; ``glob`` skips
    them too) and ``ignored`` (the engine's own output folders, which every render rewrites)."""
    ignored = frozenset(ignored)
    try:
        names = sorted(name for name in os.listdir(path) if not name.startswith(".") and name not in ignored)
    except OSError:
        return "absent"
    return "names:" + sha256_bytes("\n".join(names).encode())


def portable(text: str, root: Path) -> str:
    """Paths inside the project are keyed relative to it, so a moved checkout keeps its cache."""
    prefix = str(root)
    if text == prefix:
        return "{root}"
    if text.startswith(prefix + os.sep):
        return "{root}/" + text[len(prefix) + 1:]
    return text


def absolute(text: str, root: Path) -> str:
    """The path ``portable`` made relative to ``root``, absolute again."""
    if text == "{root}":
        return str(root)
    if text.startswith("{root}/"):
        return str(root / text[len("{root}/"):])
    return text
