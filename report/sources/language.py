"""Labels per document language, as Quarto's `lang:` translations provide them, and as the `language:` option
changes them (a mapping of Quarto's keys, per-language sub-maps, or a YAML file of them)."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from report.errors import ReportError

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
                          "of bevindingen.", "code-line": "Regel", "code-lines": "Regels", "code-summary": "Code",
        # The title block (Quarto's title-block-* and section-title-abstract).
        "author-single": "Auteur", "author-plural": "Auteurs", "affiliation-single": "Affiliatie",
        "affiliation-plural": "Affiliaties", "published": "Publicatiedatum", "abstract": "Samenvatting",
        "download": "Download", "other-links": "Andere Links", "code-links": "Code Links",
        # Quarto's environment-*-title: proofs, remarks and solutions (report.document.theorems).
        "proof": "Bewijs", "remark": "Opmerking", "solution": "Oplossing",
        # The citation appendix (Quarto's section-title-citation and appendix-attribution-*).
        "citation": "Citaat", "cite-as": "Citeer dit werk als:", "cite-bibtex": "BibTeX citaat:",
        # Cross-reference titles (Quarto's _language-nl.yml crossref-*-title; its Dutch file has no algorithm
        # title: the English one) and the equation's prefix.
        "lst": "Listing", "thm": "Stelling", "lem": "Lemma", "cor": "Conclusie", "prp": "Voorstel",
        "cnj": "Aanname", "def": "Definitie", "exm": "Voorbeeld", "exr": "Oefening", "alg": "Algorithm",
        "eq": "Vergelijking",
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
                          "were made to demonstrate the report and say nothing about real people or findings.",
        "code-line": "Line", "code-lines": "Lines", "code-summary": "Code",
        "author-single": "Author", "author-plural": "Authors", "affiliation-single": "Affiliation",
        "affiliation-plural": "Affiliations", "published": "Published", "abstract": "Abstract",
        "download": "Download", "other-links": "Other Links", "code-links": "Code Links",
        "proof": "Proof", "remark": "Remark", "solution": "Solution",
        "citation": "Citation", "cite-as": "For attribution, please cite this work as:",
        "cite-bibtex": "BibTeX citation:",
        "lst": "Listing", "thm": "Theorem", "lem": "Lemma", "cor": "Corollary", "prp": "Proposition",
        "cnj": "Conjecture", "def": "Definition", "exm": "Example", "exr": "Exercise", "alg": "Algorithm",
        "eq": "Equation",
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
# `crossref-KIND-title` and `crossref-KIND-prefix` of any other kind (a custom one) are the labels KIND and
# KIND-prefix (report.document.xref_options).
_LANGUAGE_FILES = Path(__file__).resolve().parent / "languages"
_QUARTO_KEYS = {
    "fig": "crossref-fig-title", "tbl": "crossref-tbl-title", "chapter": "crossref-ch-prefix",
    "section": "crossref-sec-prefix", "appendix": "crossref-apx-prefix", "appendices": "section-title-appendices",
    "toc": "toc-title-document", "lof": "crossref-lof-title", "lot": "crossref-lot-title",
    "note": "callout-note-title", "tip": "callout-tip-title", "warning": "callout-warning-title",
    "important": "callout-important-title", "caution": "callout-caution-title", "page-toc": "toc-title-website",
    "search": "search-label", "no-results": "search-no-results-text", "code-line": "code-line",
    "code-lines": "code-lines", "code-summary": "code-summary", "author-single": "title-block-author-single",
    "author-plural": "title-block-author-plural", "affiliation-single": "title-block-affiliation-single",
    "affiliation-plural": "title-block-affiliation-plural", "published": "title-block-published",
    "abstract": "section-title-abstract", "download": "tools-download", "copy-code": "copy-button-tooltip",
    "copied-code": "copy-button-tooltip-success", "other-links": "other-links-title",
    "code-links": "code-links-title", "proof": "environment-proof-title", "remark": "environment-remark-title",
    "solution": "environment-solution-title", "citation": "section-title-citation",
    "cite-as": "appendix-attribution-cite-as", "cite-bibtex": "appendix-attribution-bibtex",
    "eq": "crossref-eq-prefix",
    **{kind: f"crossref-{kind}-title" for kind in ("lst", "thm", "lem", "cor", "prp", "cnj", "def", "exm", "exr",
                                                   "alg")},
    "source-notebook": "source-notebooks-prefix",
    "notebook-download": "notebook-preview-download", "notebook-back": "notebook-preview-back",
    "notebook-download-source": "notebook-preview-download-src",
    "notebooks": "related-notebooks-title", "other-formats": "related-formats-title",
}
_NAMED_KEYS = frozenset(_QUARTO_KEYS.values())
_CROSSREF_KEY = re.compile(r"crossref-(?P<kind>.+)-(?P<what>title|prefix)")


@functools.cache
def _read_yaml(path: Path) -> dict:
    value = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return value if isinstance(value, dict) else {}


@functools.cache
def quarto_keys() -> frozenset[str]:
    """Every key of Quarto's translations (its English file, _language.yml)."""
    return frozenset(str(key) for key in _read_yaml(_LANGUAGE_FILES / "_language.yml"))


@functools.cache
def quarto_translations(lang: str) -> MappingProxyType:
    """Quarto's translations for ``lang`` ('fr-CA': fr's file, then fr-CA's); empty for a language it has none."""
    language = lang.split("-")[0].lower()
    translations: dict[str, str] = {}
    for name in dict.fromkeys((language, lang)):
        path = _LANGUAGE_FILES / f"_language-{name}.yml"
        if path.is_file():
            translations.update({str(key): str(value) for key, value in _read_yaml(path).items()})
    return MappingProxyType(translations)


def _is_text(value: Any) -> bool:
    """A translation's value: text or a number, never a sub-map or an empty key."""
    return value is not None and not isinstance(value, (dict, list))


def for_lang(language: Mapping[str, Any] | None, lang: str) -> dict[str, str]:
    """The translations the `language:` option gives ``lang``, as Quarto selects them: its top-level keys (Quarto's
    own, and `crossref-*-title` / `crossref-*-prefix` of any kind), then its sub-map for each of ``lang``'s
    subtags from the most general ('fr', then 'fr-CA'). Other keys are not translations and are left out."""
    language = language or {}
    selected = {str(key): str(value) for key, value in language.items()
                if _is_text(value) and (key in quarto_keys() or _CROSSREF_KEY.fullmatch(str(key)))}
    subtags = lang.split("-")
    for index in range(len(subtags)):
        variation = language.get("-".join(subtags[:index + 1]))
        if isinstance(variation, dict):
            selected.update({str(key): str(value) for key, value in variation.items() if _is_text(value)})
    return selected


def read_language_file(path: Path) -> dict[str, Any]:
    """A `language: FILE.yml` as Quarto reads it: the file's translations, with its variations beside it
    (FILE-fr.yml, FILE-fr-CA.yml) as sub-maps by their language."""
    language: dict[str, Any] = {}

    def read(file: Path) -> dict[str, Any]:
        try:
            value = yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise ReportError(f"language file is not valid YAML: {getattr(error, 'problem', error)}", path=file,
                              line=mark.line + 1 if mark is not None else None) from None
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ReportError("a language file is a mapping of translations (callout-tip-title: ...)", path=file)
        return value

    language.update(read(path))
    for variation in sorted(path.parent.glob(f"{path.stem}-*{path.suffix}")):
        name = variation.name[len(path.stem) + 1:len(variation.name) - len(path.suffix)]
        for key, value in read(variation).items():
            target = name if not isinstance(value, dict) else f"{name}-{key}"
            language.setdefault(target, {})
            language[target] = {**language[target], **(value if isinstance(value, dict) else {key: value})}
    return language


def _named(translations: Mapping[str, str]) -> dict[str, str]:
    """Quarto's keys as the engine's label names."""
    named = {name: translations[key] for name, key in _QUARTO_KEYS.items() if key in translations}
    for key, value in translations.items():
        match = _CROSSREF_KEY.fullmatch(key)
        if match and key not in _NAMED_KEYS:
            named[match["kind"] if match["what"] == "title" else f"{match['kind']}-prefix"] = value
    return named


def labels(lang: str, language: Mapping[str, Any] | None = None) -> MappingProxyType:
    """Labels for ``lang`` ('nl', 'nl-NL', 'en', 'fr-CA' ...): the engine's own for Dutch and English, Quarto's
    translations for the languages it has them for (English where a label has none), else English; the
    `language:` option (``language``: its mapping, a file read by read_language_file) over them."""
    base = lang.split("-")[0].lower()
    chosen = for_lang(language, lang)
    if base in _LABELS:
        return MappingProxyType({**_LABELS[base], **_SITE_LABELS[base], **_named(chosen)})
    translations = {**quarto_translations(lang), **chosen}
    return MappingProxyType({**_LABELS["en"], **_SITE_LABELS["en"], **_named(translations)})
