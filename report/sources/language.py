"""Labels per document language, as Quarto's `lang:` translations provide them."""

from __future__ import annotations

import functools
from pathlib import Path
from types import MappingProxyType

import yaml

_LABELS = {
    "nl": {
        "fig": "Figuur", "tbl": "Tabel", "chapter": "Hoofdstuk", "section": "Paragraaf", "appendix": "Bijlage",
        "appendices": "Bijlagen", "toc": "Inhoudsopgave", "lof": "Lijst van figuren", "lot": "Lijst van tabellen",
        "note": "Opmerking", "tip": "Tip", "warning": "Waarschuwing", "important": "Belangrijk",
        "caution": "Opgelet", "previous": "Vorige", "next": "Volgende", "search": "Zoeken",
        "search-placeholder": "Zoek in het rapport", "page-toc": "Op deze pagina", "skip": "Naar de inhoud",
        "colophon": "Colofon", "version": "Versie", "commit": "Commit", "no-results": "Geen resultaten",
        "and": "en", "part": "Deel", "commissioner": "Opdrachtgever", "publisher": "Uitgever",
        "authors": "Auteurs", "license": "Licentie", "contact": "Contact", "release-date": "Datum van uitgave",
        "tag": "Tag", "made-with": "Gemaakt met", "colophon-title": "Titel",
        "synthetic-data": "Alle data in deze uitgave zijn synthetisch: de cijfers, figuren, tabellen en citaten "
                          "zijn gemaakt om het rapport te demonstreren en zeggen niets over werkelijke personen "
                          "of bevindingen.", "code-line": "Regel", "code-lines": "Regels",
        # The title block (Quarto's title-block-* and section-title-abstract).
        "author-single": "Auteur", "author-plural": "Auteurs", "affiliation-single": "Affiliatie",
        "affiliation-plural": "Affiliaties", "published": "Publicatiedatum", "abstract": "Samenvatting",
        "download": "Download", "other-links": "Andere Links", "code-links": "Code Links",
        # Quarto's environment-*-title: proofs, remarks and solutions (report.document.theorems).
        "proof": "Bewijs", "remark": "Opmerking", "solution": "Oplossing",
        # The citation appendix (Quarto's section-title-citation and appendix-attribution-*).
        "citation": "Citaat", "cite-as": "Citeer dit werk als:", "cite-bibtex": "BibTeX citaat:",
    },
    "en": {
        "fig": "Figure", "tbl": "Table", "chapter": "Chapter", "section": "Section", "appendix": "Appendix",
        "appendices": "Appendices", "toc": "Table of contents", "lof": "List of Figures", "lot": "List of Tables",
        "note": "Note", "tip": "Tip", "warning": "Warning", "important": "Important", "caution": "Caution",
        "previous": "Previous", "next": "Next", "search": "Search", "search-placeholder": "Search",
        "page-toc": "On this page", "skip": "Skip to content", "colophon": "Colophon", "version": "Version",
        "commit": "Commit", "no-results": "No results", "and": "and", "part": "Part",
        "commissioner": "Commissioned by", "publisher": "Publisher", "authors": "Authors", "license": "Licence",
        "contact": "Contact", "release-date": "Release date", "tag": "Tag", "made-with": "Made with",
        "colophon-title": "Title",
        "synthetic-data": "All data in this edition are synthetic: the numbers, figures, tables and quotations "
                          "were made to demonstrate the report and say nothing about real people or findings.", "code-line": "Line", "code-lines": "Lines",
        "author-single": "Author", "author-plural": "Authors", "affiliation-single": "Affiliation",
        "affiliation-plural": "Affiliations", "published": "Published", "abstract": "Abstract",
        "download": "Download", "other-links": "Other Links", "code-links": "Code Links",
        "proof": "Proof", "remark": "Remark", "solution": "Solution",
        "citation": "Citation", "cite-as": "For attribution, please cite this work as:",
        "cite-bibtex": "BibTeX citation:",
    },
}


# The site's own controls (menu button, search results, scroll boxes); {n} is a count, {label} a caption number.
_SITE_LABELS = {
    "nl": {
        "menu": "Menu", "search-results": "Zoekresultaten", "search-count-one": "1 resultaat",
        "search-count": "{n} resultaten", "search-more": "Toon meer ({total} resterend)", "table-scroll": "Tabel",
        "figure-zoom": "Open de figuur op ware grootte",
        "copy-code": "Kopieer naar klembord", "copied-code": "Gekopieerd", "site-navigation": "Hoofdmenu",
        "breadcrumbs": "Kruimelpad", "source-notebook": "Bron", "notebook-download": "Download Notebook",
        "notebook-download-source": "Broncode downloaden", "notebook-back": "Terug naar Artikel",
        "notebooks": "Notebooks", "other-formats": "Andere formaten",
    },
    "en": {
        "menu": "Menu", "search-results": "Search results", "search-count-one": "1 result",
        "search-count": "{n} results", "search-more": "Show more ({total} left)", "table-scroll": "Table",
        "figure-zoom": "Open the figure at full size",
        "copy-code": "Copy to Clipboard", "copied-code": "Copied", "site-navigation": "Main menu",
        "breadcrumbs": "Breadcrumb", "source-notebook": "Source", "notebook-download": "Download Notebook",
        "notebook-download-source": "Download Source", "notebook-back": "Back to Article",
        "notebooks": "Notebooks", "other-formats": "Other Formats",
    },
}


# Quarto's translation files (quarto-cli src/resources/language, MIT licence) give every other language its
# labels: the engine's label name -> Quarto's key. A regional file (fr-CA) overrides its language's (fr).
_LANGUAGE_FILES = Path(__file__).resolve().parent / "languages"
_QUARTO_KEYS = {
    "fig": "crossref-fig-title", "tbl": "crossref-tbl-title", "chapter": "crossref-ch-prefix",
    "section": "crossref-sec-prefix", "appendix": "crossref-apx-prefix", "appendices": "section-title-appendices",
    "toc": "toc-title-document", "lof": "crossref-lof-title", "lot": "crossref-lot-title",
    "note": "callout-note-title", "tip": "callout-tip-title", "warning": "callout-warning-title",
    "important": "callout-important-title", "caution": "callout-caution-title", "page-toc": "toc-title-website",
    "search": "search-label", "no-results": "search-no-results-text", "code-line": "code-line",
    "code-lines": "code-lines", "author-single": "title-block-author-single",
    "author-plural": "title-block-author-plural", "affiliation-single": "title-block-affiliation-single",
    "affiliation-plural": "title-block-affiliation-plural", "published": "title-block-published",
    "abstract": "section-title-abstract", "download": "tools-download", "copy-code": "copy-button-tooltip",
    "copied-code": "copy-button-tooltip-success", "other-links": "other-links-title",
    "code-links": "code-links-title", "source-notebook": "source-notebooks-prefix",
    "notebook-download": "notebook-preview-download", "notebook-back": "notebook-preview-back",
    "notebook-download-source": "notebook-preview-download-src",
    "notebooks": "related-notebooks-title", "other-formats": "related-formats-title",
}


@functools.cache
def quarto_translations(lang: str) -> MappingProxyType:
    """Quarto's translations for ``lang`` ('fr-CA': fr's file, then fr-CA's); empty for a language it has none."""
    language = lang.split("-")[0].lower()
    translations: dict[str, str] = {}
    for name in dict.fromkeys((language, lang)):
        path = _LANGUAGE_FILES / f"_language-{name}.yml"
        if path.is_file():
            translations.update({str(key): str(value) for key, value in
                                 (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items()})
    return MappingProxyType(translations)


def labels(lang: str) -> MappingProxyType:
    """Labels for ``lang`` ('nl', 'nl-NL', 'en', 'fr-CA' ...): the engine's own for Dutch and English, Quarto's
    translations for the languages it has them for (English where a label has none), else English."""
    language = lang.split("-")[0].lower()
    if language in _LABELS:
        return MappingProxyType({**_LABELS[language], **_SITE_LABELS[language]})
    translations = quarto_translations(lang)
    translated = {name: translations[key] for name, key in _QUARTO_KEYS.items() if key in translations}
    return MappingProxyType({**_LABELS["en"], **_SITE_LABELS["en"], **translated})
