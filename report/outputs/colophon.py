"""The colophon of the PDF: who made the report for whom, which release it is, and on what terms.

Every value comes from the book's metadata (``_quarto.yml`` or ``-M``); the labels come from the
document language. A release passes ``version``, ``tag``, ``commit`` and ``release-date`` with ``-M``.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from report.sources.title_block import format_date

__all__ = ["colophon_entries", "license_text"]

# Quarto turns these licence abbreviations into a Creative Commons licence with its link.
_CREATIVE_COMMONS = re.compile(r"^CC[ -](BY(?:[ -](?:SA|NC|ND))*)(?:[ -](\d\.\d))?$", re.IGNORECASE)


def license_text(value: Any) -> str | None:
    """A licence as Quarto reads ``license:``: a string (a "CC BY" abbreviation gains its link) or
    an object with ``text``, ``type`` and ``link``; a list gives several, joined by semicolons."""
    if value is None or value == "":
        return None
    if isinstance(value, list):
        texts = [text for text in (license_text(item) for item in value) if text]
        return "; ".join(texts) or None
    if isinstance(value, Mapping):
        text = str(value.get("text") or value.get("type") or "").strip()
        link = str(value.get("link") or "").strip()
        return f"{text} ({link})" if text and link else (text or link or None)
    text = str(value).strip()
    match = _CREATIVE_COMMONS.match(text)
    if match:
        kind = match.group(1).lower().replace(" ", "-")
        version = match.group(2) or "4.0"
        return f"{text} (https://creativecommons.org/licenses/{kind}/{version}/)"
    return text


def colophon_entries(metadata: Mapping[str, Any], labels: Mapping[str, str], lang: str, *, title: str,
                     subtitle: str | None, authors: list[str], demo: bool, made_with: str) -> dict[str, Any]:
    """Colophon fields for the template: ``colophon`` (label/value pairs, in reading order) and
    ``colophon-note`` (the statement that the data are synthetic, for demo builds only)."""

    def text(key: str) -> str | None:
        value = metadata.get(key)
        return " ".join(str(value).split()) if value not in (None, "") else None

    release_date = text("release-date")
    entries: list[tuple[str, str | None]] = [
        (labels["colophon-title"], f"{title}. {subtitle}" if subtitle else title),
        (labels["commissioner"], text("commissioner")),
        (labels["authors"], ", ".join(authors) or None),
        (labels["publisher"], text("publisher")),
        (labels["release-date"], format_date(release_date, lang) if release_date else None),
        (labels["version"], text("version")),
        (labels["tag"], text("tag")),
        (labels["commit"], text("commit")),
        (labels["license"], license_text(metadata.get("license"))),
        (labels["contact"], text("contact")),
        (labels["made-with"], made_with),
    ]
    return {"colophon": [{"label": label, "value": value} for label, value in entries if value],
            "colophon-note": labels["synthetic-data"] if demo else None}
