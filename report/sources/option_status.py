"""The status of every Quarto option in the embedded engine: implemented (a field of its level's model in
report.sources.config) or accepted and ignored with a warning (known to Quarto's schema, report.sources.options).

The README's option lists are made from it (scripts/update_readme_options.py); `python -m
report.sources.option_status` prints it.
"""

from __future__ import annotations

from report.sources import config
from report.sources.options import known_options, latex_only, model_keys

__all__ = ["status_markdown", "status_table"]


def status_table() -> list[tuple[str, str, str]]:
    """(level, option, status) for every option Quarto knows: implemented, or accepted and ignored."""
    models = {"document": (config.DocumentConfig, config.FormatOptions), "cell": (config.CellOptions,),
              "execute": (config.ExecuteOptions,), "project": (config.ProjectSection,), "book": (config.BookConfig,),
              "website": (config.WebsiteConfig,)}
    rows = []
    for scope, level_models in models.items():
        implemented = frozenset().union(*(model_keys(model) for model in level_models))
        for name in known_options(scope):
            if name in implemented:
                status = "implemented"
            elif scope == "document" and name in latex_only():
                status = "LaTeX only: ignored with a warning (one notice for format: pdf)"
            else:
                status = "accepted and ignored with a warning"
            rows.append((scope, name, status))
    return rows


_LEVEL_NAMES = {"document": "document, project and `format: FORMAT:`", "cell": "cells (`#|`)",
                "execute": "`execute:`", "project": "`project:`", "book": "`book:`",
                "website": "`website:`"}


def status_markdown() -> str:
    """The README's lists of options, by status and level: made from the schema and the models, never by hand."""
    rows = status_table()

    def listing(wanted: str) -> list[str]:
        items = []
        for scope, title in _LEVEL_NAMES.items():
            names = [name for level, name, status in rows if level == scope and status.startswith(wanted)]
            if names:
                items.append(f"- {title}: " + ", ".join(f"`{name}`" for name in names) + ";")
        return items

    data = ", ".join(f"`{name}`" for name in sorted(model_keys(config.DataSettings)))
    report_keys = ", ".join(f"`{name}`" + (f" ({data})" if name == "data" else "")
                            for name in sorted(model_keys(config.ReportSettings)))
    return "\n".join([
        "Options implemented, by level:", "",
        *listing("implemented"),
        f"- `report:` (the engine's own settings; an unknown key here is an error): {report_keys}.", "",
        "Options Quarto knows that the embedded engine accepts and ignores, with one warning each:", "",
        *listing("accepted"), "",
        "LaTeX-only options (named together in one warning for `format: pdf`):", "",
        *listing("LaTeX"), ""])


if __name__ == "__main__":  # python -m report.sources.option_status: the current status of every Quarto option
    for scope, name, status in status_table():
        print(f"{scope}\t{name}\t{status}")
