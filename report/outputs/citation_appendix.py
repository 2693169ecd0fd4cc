"""`citation:` of a single document: the appendix Quarto adds under the text, saying how to cite the document.

Quarto turns the document's metadata (title, authors, date, abstract) and its `citation:` fields (type,
container-title, doi, url, volume ...) into a CSL item, formats it with citeproc ("For attribution, please cite
this work as:") and as BibLaTeX, and puts both in `#quarto-appendix` (`appendix-cite-as: display` or `bibtex`
keeps one of them; false, neither). pandoc does both here: citeproc with the item as the only reference, and
its BibLaTeX writer for the item.

A book has no such appendix (Quarto leaves it out of books too).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any, Mapping

from report.document.pandoc import convert_cached

__all__ = ["citation_appendix"]

# citation: fields Quarto carries into the CSL item as they are (its names are CSL's).
_FIELDS = ("container-title", "container-title-short", "collection-title", "publisher", "publisher-place",
           "issue", "volume", "number", "page", "edition", "genre", "keyword", "language", "note", "abstract-url",
           "available-date", "ISBN", "ISSN", "PMCID", "PMID", "DOI", "URL")
_ALIASES = {"doi": "DOI", "url": "URL", "isbn": "ISBN", "issn": "ISSN", "pmcid": "PMCID", "pmid": "PMID"}


def _names(value: Any) -> list[dict[str, str]]:
    """CSL names from `author`/`editor` as written (strings, `name:` mappings, given/family) or `by-author`."""
    items = value if isinstance(value, list) else [value] if value else []
    names = []
    for item in items:
        name = item.get("name", item) if isinstance(item, dict) else item
        if isinstance(name, dict) and (name.get("family") or name.get("given")):
            names.append({key: str(name[key]) for key in ("given", "family") if name.get(key)})
            continue
        text = str(name.get("literal", "") if isinstance(name, dict) else name).strip()
        if " " in text:  # "Charles Teague": the last word is the family name, as Quarto splits it
            given, family = text.rsplit(" ", 1)
            names.append({"given": given, "family": family})
        elif text:
            names.append({"literal": text})
    return names


def _date(value: Any) -> dict[str, Any] | None:
    if value is None or value == "":
        return None
    text = str(value)
    match = re.match(r"^(\d{4})(?:[-/](\d{1,2}))?(?:[-/](\d{1,2}))?", text)
    if match:
        return {"date-parts": [[int(part) for part in match.groups() if part]]}
    try:
        from dateutil import parser

        moment = parser.parse(text)
    except (ValueError, OverflowError):
        return {"literal": text}
    return {"date-parts": [[moment.year, moment.month, moment.day]]}


def _item(metadata: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"type": str(fields.get("type", "article")),
                            "title": str(fields.get("title") or metadata.get("title") or "")}
    authors = _names(fields.get("author") or metadata.get("author") or metadata.get("by-author"))
    if authors:
        item["author"] = authors
    editors = _names(fields.get("editor"))
    if editors:
        item["editor"] = editors
    issued = _date(fields.get("issued") or metadata.get("citation-date") or metadata.get("date"))
    if issued:
        item["issued"] = issued
    if fields.get("abstract") or metadata.get("abstract"):
        item["abstract"] = str(fields.get("abstract") or metadata.get("abstract"))
    for key, value in fields.items():
        name = _ALIASES.get(str(key), str(key))
        if name in _FIELDS and value not in (None, ""):
            item[name] = str(value)
    year = str(issued["date-parts"][0][0]) if issued and "date-parts" in issued else ""
    leading = authors[0].get("family") or authors[0].get("literal", "") if authors else ""
    item["id"] = str(fields.get("citation-key") or fields.get("id")
                     or re.sub(r"\s+", "_", leading).lower() + year or "document")
    return item


def _styles(value: Any) -> set[str]:
    """`appendix-cite-as`: both forms by default (or true); one of them, a list of them, or false for none."""
    if value is None or value is True:
        return {"display", "bibtex"}
    return {str(style) for style in (value if isinstance(value, list) else [value]) if style is not False}


def citation_appendix(metadata: Mapping[str, Any], labels: Mapping[str, str]) -> str | None:
    """The HTML of `#quarto-appendix` for `citation:` (true, or a mapping of CSL fields), else None."""
    citation = metadata.get("citation")
    styles = _styles(metadata.get("appendix-cite-as"))
    if not citation:
        return None
    item = _item(metadata, citation if isinstance(citation, dict) else {})
    parts = []
    if "bibtex" in styles:
        bibtex = convert_cached(json.dumps([item]), ["--from", "csljson", "--to", "biblatex"],
                                what="writing the document's BibLaTeX citation", suffix=".bib").strip()
        parts.append(f'<div class="quarto-appendix-secondary-label">{html.escape(labels["cite-bibtex"])}</div>'
                     f'<pre class="sourceCode code-with-copy quarto-appendix-bibtex"><code class="sourceCode bibtex">'
                     f"{html.escape(bibtex)}</code></pre>")
    if "display" in styles:
        document = json.dumps({"pandoc-api-version": [1, 23, 1], "blocks": [], "meta": {
            "references": {"t": "MetaList", "c": [_meta(item)]},
            "nocite": {"t": "MetaInlines", "c": [{"t": "Cite", "c": [[{
                "citationId": "*", "citationPrefix": [], "citationSuffix": [], "citationMode": {"t": "NormalCitation"},
                "citationNoteNum": 0, "citationHash": 0}], [{"t": "Str", "c": "@*"}]]}]}}})
        written = convert_cached(document, ["--from", "json", "--to", "html5", "--citeproc", "--wrap=none"],
                                 what="formatting the document's citation", suffix=".html")
        entry = re.search(r'<div id="ref-[^"]*" class="csl-entry"[^>]*>.*?</div>', written, re.DOTALL)
        if entry:
            parts.append(f'<div class="quarto-appendix-secondary-label">{html.escape(labels["cite-as"])}</div>'
                         + entry.group(0).replace('class="csl-entry"', 'class="csl-entry quarto-appendix-citeas"', 1))
    if not parts:
        return None
    return ('<div id="quarto-appendix" class="default"><section id="quarto-citation" class="quarto-appendix-contents">'
            f'<h2 class="anchored quarto-appendix-heading">{html.escape(labels["citation"])}</h2>'
            f'<div>{"".join(parts)}</div></section></div>')


def _meta(value: Any) -> dict[str, Any]:
    """A Python value as pandoc metadata (strings as MetaString: CSL fields are not Markdown)."""
    if isinstance(value, dict):
        return {"t": "MetaMap", "c": {key: _meta(item) for key, item in value.items()}}
    if isinstance(value, list):
        return {"t": "MetaList", "c": [_meta(item) for item in value]}
    return {"t": "MetaString", "c": str(value)}
