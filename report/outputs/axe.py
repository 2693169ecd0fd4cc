"""Quarto's `axe:` option for HTML: the page carries its options and a checker that runs axe-core in the browser.

`axe: true` or `axe: {output: console|json|document}` adds `<script id="quarto-axe-checker-options">` (the options
as base64 JSON, as Quarto writes them) and two scripts as an HTML dependency: axe-core itself, taken from the
installed `axe-playwright-python` package (the engine downloads nothing), and the engine's own `axe-check.js`,
which runs it once the page has loaded. Without axe-core installed the render warns and the checker says so in the
browser's console.
"""

from __future__ import annotations

import base64
import importlib.util
import json
from pathlib import Path
from typing import Any, Mapping

__all__ = ["axe_dependency"]

_CHECKER = Path(__file__).parent / "resources" / "axe-check.js"
_OUTPUTS = ("console", "json", "document")


def _axe_core() -> Path | None:
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = Path(next(iter(spec.submodule_search_locations))) / "axe.min.js"
    return found if found.is_file() else None


def axe_dependency(value: Any, warn) -> Mapping[str, Any] | None:
    """The HTML dependency for ``axe:`` ``value`` (None when it is off); ``warn`` is told what cannot be done."""
    if value in (None, False) or (isinstance(value, Mapping) and not value):
        return None
    if isinstance(value, Mapping):
        output = value.get("output", "console")
        if output not in _OUTPUTS:
            warn(f"axe: output '{output}' is not one of {', '.join(_OUTPUTS)}; the report goes to the console")
    encoded = base64.b64encode(json.dumps(value, separators=(",", ":")).encode("utf-8")).decode("ascii")
    core = _axe_core()
    if core is None:
        warn("axe: axe-core is not installed (the Python package axe-playwright-python ships it), so the page "
             "loads the checker without it and no accessibility check runs")
    return {"name": "quarto-axe", "version": None, "stylesheets": [],
            "scripts": [*([str(core)] if core else []), str(_CHECKER)],
            "head": f'<script id="quarto-axe-checker-options" type="text/plain">{encoded}</script>'}
