"""Issue 12, item 4: a cache entry that cannot be read for any reason is logged, removed and computed again.

Works on a copy of the small book of ``test_cache.py``, rendered once for the module.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path

import pytest

from report.build import RenderOptions, render
from report.execution.cache import CACHE_DIR, MAGIC
from test_cache import HTML, page, write_book


@pytest.fixture(scope="module")
def rendered_once(tmp_path_factory) -> Path:
    book = write_book(tmp_path_factory.mktemp("healing") / "book")
    render(book, HTML)
    return book


@pytest.fixture
def book(rendered_once, tmp_path) -> Path:
    copy = tmp_path / "book"
    shutil.copytree(rendered_once, copy)
    return copy


def _beta_entry(book: Path) -> Path:
    entries = (book / CACHE_DIR / "execute").glob("*/*-*.json")
    return next(path for path in entries if '"document": "beta.qmd"' in path.read_text(encoding="utf-8")
                or '"document":"beta.qmd"' in path.read_text(encoding="utf-8"))


def _removed(caplog, name: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("removing damaged cache entry") and name in r.getMessage()]


def test_entry_replaced_by_a_folder_is_removed_and_recomputed(book, caplog):
    entry = _beta_entry(book)
    entry.unlink()
    (entry / "inside").mkdir(parents=True)
    with caplog.at_level(logging.WARNING, logger="report"):
        assert render(book, HTML).executed == (Path("beta.qmd"),)
    assert _removed(caplog, entry.name) == [f"removing damaged cache entry {entry}: [Errno 21] Is a directory: '{entry}'"]
    assert "Beta telt 20 regels." in page(book, "beta.html")
    assert render(book, HTML).executed == ()


def test_execute_folder_that_is_a_file_is_replaced(book, caplog):
    folder = book / CACHE_DIR / "execute"
    shutil.rmtree(folder)
    folder.write_text("not a folder", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="report"):
        assert render(book, HTML).executed == (Path("alfa.qmd"), Path("beta.qmd"), Path("gamma.qmd"))
    assert _removed(caplog, str(folder)) == [f"removing damaged cache entry {folder}: a file stands where the cache keeps a folder"]
    assert folder.is_dir()
    assert render(book, HTML).executed == ()


def test_valid_checksum_over_the_wrong_types_is_removed(book, caplog):
    entry = _beta_entry(book)
    data = json.loads(entry.read_bytes().partition(b"\n")[2])
    data["dependencies"] = ["not", "a", "mapping"]
    body = json.dumps(data).encode("utf-8")
    entry.write_bytes(MAGIC + b" 1 sha256:" + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    with caplog.at_level(logging.WARNING, logger="report"):
        assert render(book, HTML).executed == (Path("beta.qmd"),)
    assert _removed(caplog, entry.name) == [f"removing damaged cache entry {entry}: its dependencies are malformed"]


def _without_read_cache(book: Path) -> None:
    """The read stage's cache answers before any pandoc AST is read: take it away so that the ASTs are."""
    shutil.rmtree(book / CACHE_DIR / "pandoc" / "read")


def _poison(entries: list[Path]) -> list[Path]:
    """Each entry keeps a valid digest over a body that is not JSON."""
    body = b"{ this is not json"
    for entry in entries:
        entry.write_bytes(hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body)
    return entries


def _poison_pandoc_cache(book: Path) -> list[Path]:
    """Every pandoc AST entry keeps a valid digest over a body that is not JSON."""
    _without_read_cache(book)
    return _poison(sorted((book / CACHE_DIR / "pandoc").glob("*/*.json")))


@pytest.mark.parametrize("refresh", [False, True], ids=["render", "refresh"])
def test_pandoc_entry_with_valid_digest_and_invalid_json_is_recomputed(book, caplog, refresh):
    entries = _poison_pandoc_cache(book)
    assert entries
    with caplog.at_level(logging.WARNING, logger="report"):
        render(book, RenderOptions(formats=("html",), refresh=refresh))
    assert "Beta telt 20 regels." in page(book, "beta.html")
    removed = [m for m in (r.getMessage() for r in caplog.records) if m.startswith("removing damaged cache entry")]
    assert removed and all(m.endswith("not a pandoc AST (Expecting property name enclosed in double quotes: line 1 column 3 (char 2))")
                           for m in removed)
    for entry in entries:  # replaced by a sound entry, or removed
        assert not entry.exists() or json.loads(entry.read_bytes().partition(b"\n")[2])


def test_pandoc_entry_that_is_a_folder_is_removed(book, caplog):
    _without_read_cache(book)
    entries = sorted((book / CACHE_DIR / "pandoc").glob("*/*.json"))
    for entry in entries:
        entry.unlink()
        entry.mkdir()
    with caplog.at_level(logging.WARNING, logger="report"):
        render(book, HTML)
    assert "Beta telt 20 regels." in page(book, "beta.html")
    assert all(entry.is_file() for entry in entries if entry.exists())
    assert any(m.endswith("a folder and a file swapped places") for m in (r.getMessage() for r in caplog.records))


@pytest.mark.parametrize("kind, what", [("read", "a read document"), ("search", "search entries")])
def test_read_and_search_entries_with_valid_digest_and_invalid_json_are_recomputed(book, caplog, kind, what):
    entries = _poison(sorted((book / CACHE_DIR / "pandoc" / kind).glob("*/*.json")))
    assert entries
    with caplog.at_level(logging.WARNING, logger="report"):
        render(book, HTML)
    assert "Beta telt 20 regels." in page(book, "beta.html")
    removed = sorted(m for m in (r.getMessage() for r in caplog.records) if m.startswith("removing damaged cache entry"))
    assert removed == sorted(f"removing damaged cache entry {entry}: not {what} (Expecting property name enclosed in "
                             "double quotes: line 1 column 3 (char 2))" for entry in entries)
    for entry in entries:  # replaced by a sound entry
        assert isinstance(json.loads(entry.read_bytes().partition(b"\n")[2]), list)


def test_read_entry_of_the_wrong_type_is_recomputed(book, caplog):
    entries = sorted((book / CACHE_DIR / "pandoc" / "read").glob("*/*.json"))
    body = b'{"blocks": "not a list"}'
    for entry in entries:
        entry.write_bytes(hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body)
    with caplog.at_level(logging.WARNING, logger="report"):
        render(book, HTML)
    assert "Beta telt 20 regels." in page(book, "beta.html")
    assert sorted(m for m in (r.getMessage() for r in caplog.records) if m.startswith("removing damaged cache entry")) \
        == [f"removing damaged cache entry {entry}: not a read document (a JSON dict)" for entry in entries]
