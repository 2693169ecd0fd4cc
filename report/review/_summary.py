"""Machine-readable summary of a redline (JSON), and its Markdown form for
a pull-request comment."""

from __future__ import annotations

import json
from dataclasses import asdict

from report.review._book import BookDiff

COUNT_FIELDS = ("paragraphs", "moved", "numbers", "figures", "tables")


def summary_dict(book: BookDiff) -> dict:
    totals = asdict(book.totals)
    return {
        "old": book.old_label,
        "new": book.new_label,
        "changed": bool(book.changed_pages),
        "totals": {"chapters": len(book.changed_pages), **totals},
        "chapters": [
            {"page": p.path, "old_page": p.old_path, "title": p.title, "status": p.status, **asdict(p.counts)}
            for p in book.changed_pages
        ],
        "numbers": [
            {"page": p.path, "old": n.old, "new": n.new, "context": n.context}
            for p in book.changed_pages for n in p.numbers
        ],
        "figures": [
            {"page": p.path, "label": e.block.label, "caption": e.block.caption, "change": _change(e)}
            for p in book.changed_pages for e in p.entries
            if e.block_type == "figure" and e.content_changed
        ],
        "tables": [
            {"page": p.path, "label": e.block.label, "caption": e.block.caption, "change": _change(e),
             "cells": e.table.changed_cells if e.table is not None else None}
            for p in book.changed_pages for e in p.entries
            if e.block_type == "table" and e.content_changed
        ],
    }


def _change(entry) -> str:
    return {"changed": "changed", "moved": "moved and changed", "added": "added", "removed": "removed"}[entry.kind]


def summary_json(book: BookDiff) -> str:
    return json.dumps(summary_dict(book), ensure_ascii=False, indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_markdown(summary: dict, max_numbers: int = 20) -> str:
    """A compact Markdown report of a summary dict (for a PR comment)."""
    lines = [f"### Redline `{summary['old']}` → `{summary['new']}`", ""]
    if not summary["changed"]:
        lines.append("No changes in the rendered book.")
    else:
        totals = summary["totals"]
        lines.append(
            f"{totals['chapters']} chapter(s) changed: "
            + ", ".join(f"{totals[f]} {f}" for f in COUNT_FIELDS) + "."
        )
        lines += ["", "| Chapter | Status | " + " | ".join(f.capitalize() for f in COUNT_FIELDS) + " |",
                  "|---|---|" + "---:|" * len(COUNT_FIELDS)]
        for chapter in summary["chapters"]:
            lines.append(
                f"| {_cell(chapter['title'] or chapter['page'])} | {chapter['status']} | "
                + " | ".join(str(chapter[f]) for f in COUNT_FIELDS) + " |"
            )
        numbers = summary["numbers"]
        if numbers:
            lines += ["", "| Old → new | In |", "|---|---|"]
            for number in numbers[:max_numbers]:
                lines.append(f"| {_cell(number['old'])} → **{_cell(number['new'])}** | {_cell(number['context'])} |")
            if len(numbers) > max_numbers:
                lines.append(f"| … | {len(numbers) - max_numbers} more |")
        for kind in ("figures", "tables"):
            if summary[kind]:
                lines += ["", f"{kind.capitalize()}: " + "; ".join(
                    f"`{item['label']}` {item['change']}" for item in summary[kind]
                ) + "."]
    lines += ["", "<details><summary>JSON summary</summary>", "", "```json",
              json.dumps(summary, ensure_ascii=False, indent=2), "```", "</details>", ""]
    return "\n".join(lines)
