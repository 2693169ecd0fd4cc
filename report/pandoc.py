"""Run the pandoc binary shipped in the pypandoc-binary wheel."""

from __future__ import annotations

import json
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from report.errors import ReportError

__all__ = ["pandoc_path", "pandoc_version", "run_pandoc", "markdown_to_ast", "READER"]

# Pandoc markdown as Quarto reads it; Quarto's own extensions are handled by our filters.
READER = "markdown+implicit_figures+fenced_divs+bracketed_spans+footnotes+citations"


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


@lru_cache(maxsize=1)
def pandoc_version() -> str:
    output = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, check=True).stdout
    return output.split()[1]


def run_pandoc(text: str, args: list[str], *, cwd: Path | None = None, what: str = "pandoc",
               source: Path | None = None) -> str:
    """Run pandoc with ``args`` on ``text``; warnings about missing citations become errors."""
    process = subprocess.run([pandoc_path(), *args], input=text, capture_output=True, text=True,
                             cwd=str(cwd) if cwd else None)
    if process.returncode != 0:
        raise ReportError(f"{what} failed: {process.stderr.strip()}", path=source)
    missing = [line for line in process.stderr.splitlines() if "Citeproc: citation" in line and "not found" in line]
    if missing:
        keys = ", ".join(line.split("citation ")[1].split(" not found")[0] for line in missing)
        raise ReportError(f"unresolved citation(s): {keys} (not in the bibliography)", path=source)
    return process.stdout


def markdown_to_ast(text: str, source: Path) -> dict[str, Any]:
    return json.loads(run_pandoc(text, ["--from", READER, "--to", "json"], what="reading Markdown", source=source))
