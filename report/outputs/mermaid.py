"""The script that draws a page's mermaid diagrams (report.document.diagrams) in the browser.

mermaid.js is not downloaded at render time and not fetched by the page from the network: `scripts/setup.sh`
installs the version `scripts/sass/package-lock.json` pins with npm, beside Bootstrap's Sass sources, and a
page with diagrams gets it as an HTML dependency (copied to `site_libs/quarto-contrib/mermaid-VERSION/`, or
beside a single document), with resources/mermaid-init.js, which draws every `pre.mermaid-js`. Without the
installed script the page shows each diagram's source, and the render warns.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Mapping

from report.outputs.theme import SASS_SOURCES

__all__ = ["MERMAID_PACKAGE", "mermaid_dependency"]

MERMAID_PACKAGE = SASS_SOURCES / "mermaid"
_INIT = Path(__file__).parent / "resources" / "mermaid-init.js"


def mermaid_dependency(option: Any, warn: Callable[[str], None]) -> Mapping[str, Any] | None:
    """The HTML dependency for a page with diagrams; ``option``: the `mermaid:` option, whose `theme` the
    diagrams take (as Quarto's handler: `neutral` when the option names none, mermaid's default without the
    option); ``warn`` is told what cannot be done."""
    theme = (option.get("theme") or "neutral") if isinstance(option, Mapping) else None
    script = MERMAID_PACKAGE / "dist" / "mermaid.min.js"
    if not script.is_file():
        warn("mermaid.js is not installed (scripts/setup.sh installs it with npm), so the page shows the source of "
             "its mermaid diagrams instead of drawing them")
        return None
    version = json.loads((MERMAID_PACKAGE / "package.json").read_text(encoding="utf-8")).get("version")
    head = f'<meta name="mermaid-theme" content="{theme}">' if isinstance(theme, str) and theme.isidentifier() else None
    return {"name": "mermaid", "version": version, "stylesheets": [], "scripts": [str(script), str(_INIT)],
            **({"head": head} if head else {})}
