"""Table classes as Quarto gives them in HTML: Bootstrap's table options named as on a caption or a table
(`: Caption {.striped .hover .sm}` -> `table-striped table-hover table-sm small`), and `caption-top` on every
table whose caption stands above it (`tbl-cap-location`, top by default), which Bootstrap's CSS reads.

Other formats ignore a table's classes, so the classes are set once, when the book is numbered.
"""

from __future__ import annotations

from report.document._ast import Node
from report.document.floats import caption_location_of

__all__ = ["table_classes"]

# Bootstrap's table options, written without their `table-` prefix (Quarto's table-classes filter).
BOOTSTRAP = frozenset({"primary", "secondary", "success", "danger", "warning", "info", "light", "dark", "striped",
                       "hover", "active", "bordered", "borderless", "sm", "responsive", "responsive-sm",
                       "responsive-md", "responsive-lg", "responsive-xl", "responsive-xxl"})


def table_classes(table: Node, default_location: str) -> Node:
    identifier, classes, attributes = table["c"][0]
    named = [f"table-{name}" if name in BOOTSTRAP else name for name in classes]
    if "table-sm" in named and "small" not in named:
        named.append("small")
    elif "small" in named and "table-sm" not in named:
        named.append("table-sm")
    if caption_location_of(table["c"][0], "tbl", default_location) == "top" and "caption-top" not in named:
        named.append("caption-top")
    return {"t": "Table", "c": [[identifier, named, attributes], *table["c"][1:]]}
