"""Labels per document language, as Quarto's `lang:` translations provide them."""

from __future__ import annotations

from types import MappingProxyType

_LABELS = {
    "nl": {
        "fig": "Figuur", "tbl": "Tabel", "chapter": "Hoofdstuk", "section": "Paragraaf", "appendix": "Bijlage",
        "appendices": "Bijlagen", "toc": "Inhoudsopgave", "lof": "Lijst van figuren", "lot": "Lijst van tabellen",
        "note": "Opmerking", "tip": "Tip", "warning": "Waarschuwing", "important": "Belangrijk",
        "caution": "Opgelet", "previous": "Vorige", "next": "Volgende", "search": "Zoeken",
        "search-placeholder": "Zoek in het rapport", "page-toc": "Op deze pagina", "skip": "Naar de inhoud",
        "colophon": "Colofon", "version": "Versie", "commit": "Commit", "no-results": "Geen resultaten",
        "and": "en",
    },
    "en": {
        "fig": "Figure", "tbl": "Table", "chapter": "Chapter", "section": "Section", "appendix": "Appendix",
        "appendices": "Appendices", "toc": "Table of contents", "lof": "List of Figures", "lot": "List of Tables",
        "note": "Note", "tip": "Tip", "warning": "Warning", "important": "Important", "caution": "Caution",
        "previous": "Previous", "next": "Next", "search": "Search", "search-placeholder": "Search",
        "page-toc": "On this page", "skip": "Skip to content", "colophon": "Colophon", "version": "Version",
        "commit": "Commit", "no-results": "No results", "and": "and",
    },
}


def labels(lang: str) -> MappingProxyType:
    """Labels for ``lang`` ('nl', 'nl-NL', 'en' ...); unknown languages fall back to English."""
    return MappingProxyType(_LABELS.get(lang.split("-")[0].lower(), _LABELS["en"]))
