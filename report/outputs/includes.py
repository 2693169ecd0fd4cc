"""`include-in-header`, `include-before-body` and `include-after-body`, as Quarto applies them.

Each is a file, `text: |` (or `file:`), or a list of them, at project, format and document level; the levels
are concatenated (project first), as Quarto merges lists. A file is read relative to the file that names it
(`_quarto.yml`: the project root; front matter: the document's folder) and must lie inside the project.

- HTML: the header text goes at the end of `<head>`, before-body right after `<body>`, after-body right before
  `</body>`. A book's `_quarto.yml` includes go on every page, a chapter's own on its page.
- typst: the header text goes into the preamble (Quarto's `header-includes`, after the template's definitions),
  before-body and after-body around the body (`include-before`, `include-after`), as raw typst.

Lua code adds to the same places with `quarto.doc.include_text` (report.document.lua_filters).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report.errors import ReportError

__all__ = ["Includes", "read_includes"]

KEYS = {"include-in-header": "in-header", "include-before-body": "before-body", "include-after-body": "after-body"}


@dataclass(frozen=True)
class Includes:
    in_header: tuple[str, ...] = ()
    before_body: tuple[str, ...] = ()
    after_body: tuple[str, ...] = ()

    def plus(self, other: "Includes") -> "Includes":
        return Includes(self.in_header + other.in_header, self.before_body + other.before_body,
                        self.after_body + other.after_body)

    @classmethod
    def of(cls, items: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> "Includes":
        """From (location, text) pairs: in-header, before-body, after-body."""
        by = {location: tuple(text for where, text in items if where == location) for location in KEYS.values()}
        return cls(by["in-header"], by["before-body"], by["after-body"])

    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((location, text) for location in KEYS.values()
                     for text in getattr(self, location.replace("-", "_")))

    def html(self, location: str) -> str:
        return "\n".join(getattr(self, location.replace("-", "_")))


def read_includes(layers: list[tuple[dict[str, Any], Path]], root: Path, data_dirs: tuple[Path, ...] = ()
                  ) -> Includes:
    """The includes of ``layers`` ((options, the file that sets them), in order)."""
    from report.sources.paths import inside_project
    from report.sources.text import read_source

    items: list[tuple[str, str]] = []
    for options, origin in layers:
        base = Path(".") if origin.name == "_quarto.yml" else origin.parent
        for key, location in KEYS.items():
            value = options.get(key)
            for entry in value if isinstance(value, list) else ([value] if value is not None else []):
                if isinstance(entry, dict) and "text" in entry:
                    items.append((location, str(entry["text"])))
                    continue
                name = entry.get("file") if isinstance(entry, dict) else entry
                if not isinstance(name, str) or not name:
                    raise ReportError(f"{key}: each entry is a file name or 'text: ...', not {entry!r}", path=origin)
                relative = inside_project(root, base, name, what=f"{key} file", path=origin, data_dirs=data_dirs)
                if not (root / relative).is_file():
                    raise ReportError(f"{key}: file '{name}' does not exist (looked for {relative.as_posix()})",
                                      path=origin)
                items.append((location, read_source(root / relative, relative)))
    return Includes.of(items)
