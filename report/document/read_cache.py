"""The read stage's result per document, kept in the pandoc cache: an unchanged document costs no AST walks.

Reading a document (Markdown to AST, outputs put in place, unsupported syntax refused, callouts prepared) depends
on its assembled Markdown, its HTML outputs, the labels of the language and the engine's code. The key holds all
of them, the code as a digest of every module of the engine, so that any change to a filter (added or edited)
reads every document again. A document that fails to read is never cached, so its error comes back each time.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from report.document.pandoc import cached_json

__all__ = ["cached_read"]

ENGINE = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def _engine_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(ENGINE.rglob("*.py")):
        digest.update(path.relative_to(ENGINE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cached_read(parts: dict[str, Any], read: Callable[[], list]) -> list:
    """``read()``'s blocks, from the cache when ``parts`` (everything the reading depends on) were read before."""
    text = json.dumps({"engine": _engine_digest(), **parts}, sort_keys=True, default=str, ensure_ascii=False)
    return cached_json("read", text, read, list, "a read document")
