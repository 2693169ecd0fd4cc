"""Machine-readable summary of a redline (JSON), and its Markdown form for
a pull-request comment."""

from __future__ import annotations

import json
from dataclasses import asdict

from report.review._book import BookDiff
from report.review._render import block_anchor, path_anchor

COUNT_FIELDS = ("paragraphs", "moved", "numbers", "figures", "tables")


def summary_dict(book: BookDiff) -> dict:
    totals = asdict(book.totals)
    return {
        "old": book.old_label,
        "new": book.new_label,
        "lang": book.lang,
        "changed": bool(book.changed_pages),
        "totals": {"chapters": len(book.changed_pages), **totals},
        "chapters": [
            {"page": p.path, "old_page": p.old_path, "title": p.title, "status": p.status, **asdict(p.counts),
             "anchor": path_anchor(p.path),
             "commits": [asdict(c) for c in book.commits.get(p.path, ())]}
            for p in book.changed_pages
        ],
        "numbers": [
            {"page": p.path, "old": n.old, "new": n.new, "context": n.context, "anchor": block_anchor(p.path, n.anchor)}
            for p in book.changed_pages for n in p.numbers
        ],
        "figures": [
            {"page": p.path, "label": e.block.label, "number": e.block.number, "caption": e.block.caption,
             "name": e.block.name, "change": _change(e), "anchor": block_anchor(p.path, e.anchor)}
            for p in book.changed_pages for e in p.entries
            if e.block_type == "figure" and e.content_changed
        ],
        "tables": [
            {"page": p.path, "label": e.block.label, "number": e.block.number, "caption": e.block.caption,
             "name": e.block.name, "change": _change(e), "anchor": block_anchor(p.path, e.anchor),
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


COMMENT_LIMIT = 65536  # characters GitHub accepts in one comment
BUDGET = COMMENT_LIMIT - 2000  # room for the workflow's own header and marker

MARKDOWN_LABELS = {
    "en": {"title": "Redline", "no_changes": "No changes in the rendered book.", "chapters": "chapter(s) changed",
           "chapter": "Chapter", "status": "Status", "paragraphs": "Paragraphs", "moved": "Moved",
           "numbers": "Numbers", "figures": "Figures", "tables": "Tables", "old_new": "Old → new", "in": "In",
           "more": "… and {n} more; see the redline.",
           "changed": "changed", "added": "added", "removed": "removed", "moved and changed": "moved and changed"},
    "nl": {"title": "Redline", "no_changes": "Geen wijzigingen in het gerenderde boek.",
           "chapters": "hoofdstuk(ken) gewijzigd", "chapter": "Hoofdstuk", "status": "Status",
           "paragraphs": "Alinea's", "moved": "Verplaatst", "numbers": "Getallen", "figures": "Figuren",
           "tables": "Tabellen", "old_new": "Oud → nieuw", "in": "In", "more": "… en nog {n}; zie de redline.",
           "changed": "gewijzigd", "added": "toegevoegd", "removed": "verwijderd",
           "moved and changed": "verplaatst en gewijzigd"},
}


def summary_markdown(summary: dict, max_numbers: int = 50) -> str:
    """A compact Markdown report of a summary dict for a pull-request comment, in the book's language.

    It stays under GitHub's comment limit: lists are cut short (naming how many were left out) once the
    budget is spent. The full detail is in summary.json and the redline, not repeated here.
    """
    text = MARKDOWN_LABELS.get(summary.get("lang", "en"), MARKDOWN_LABELS["en"])
    lines = [f"### {text['title']} `{summary['old']}` → `{summary['new']}`", ""]
    if not summary["changed"]:
        return "\n".join(lines + [text["no_changes"], ""])
    totals = summary["totals"]
    lines.append(f"{totals['chapters']} {text['chapters']}: "
                 + ", ".join(f"{text[f].lower()} {totals[f]}" for f in COUNT_FIELDS) + ".")
    used = sum(len(line) + 1 for line in lines)

    def section(header: list[str], rows: list[str], limit: int | None = None) -> None:
        nonlocal used
        if not rows:
            return
        block = ["", *header]
        cost = sum(len(line) + 1 for line in block)
        kept = 0
        for row in rows[:limit]:
            if used + cost + len(row) + 1 > BUDGET - 200:
                break
            block.append(row)
            cost += len(row) + 1
            kept += 1
        if kept < len(rows):
            block.append(text["more"].format(n=len(rows) - kept))
            cost += len(block[-1]) + 1
        lines.extend(block)
        used += cost

    section([f"| {text['chapter']} | {text['status']} | " + " | ".join(text[f] for f in COUNT_FIELDS) + " |",
             "|---|---|" + "---:|" * len(COUNT_FIELDS)],
            [f"| {_cell(c['title'] or c['page'])} | {text.get(c['status'], c['status'])} | "
             + " | ".join(str(c[f]) for f in COUNT_FIELDS) + " |" for c in summary["chapters"]])
    section([f"| {text['old_new']} | {text['in']} |", "|---|---|"],
            [f"| {_cell(n['old'])} → **{_cell(n['new'])}** | {_cell(n['context'])} |" for n in summary["numbers"]],
            max_numbers)
    for kind in ("figures", "tables"):
        section([f"**{text[kind]}**", ""],
                [f"- {_cell(item['name'])} ({text.get(item['change'], item['change'])})" for item in summary[kind]])
    lines.append("")
    return "\n".join(lines)
