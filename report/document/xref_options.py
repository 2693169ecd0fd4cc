"""Quarto's `crossref:` options, caption placement and the titles of every cross-reference kind.

One frozen `CrossrefSettings` is built per render from the merged metadata (project < format < document) and
handed to numbering and to both outputs, so the HTML site and the PDF agree on every title, prefix, delimiter
and label style. Titles and prefixes are the document language's labels (report.sources.language: Quarto's
language files and the `language:` option), under the `crossref:` options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from report.errors import ReportError
from report.sources import diagnostics

__all__ = ["CALLOUT_XREF_KINDS", "CrossrefSettings", "FLOAT_KINDS", "THEOREM_KINDS", "caption_location", "crossref_settings",
           "format_label", "list_title"]

FLOAT_KINDS = ("fig", "tbl", "lst")
# Theorem-like kinds and the class Quarto gives their div in HTML.
THEOREM_KINDS = {"thm": "theorem", "lem": "lemma", "cor": "corollary", "prp": "proposition", "cnj": "conjecture",
                 "def": "definition", "exm": "example", "exr": "exercise", "alg": "algorithm"}

# Callouts that are cross-reference targets (`#nte-x`), and their callout kind, whose title is their caption.
CALLOUT_XREF_KINDS = {"nte": "note", "wrn": "warning", "cau": "caution", "tip": "tip", "imp": "important"}

_DEFAULT_CAPTION_LOCATION = {"fig": "bottom", "tbl": "top", "lst": "top"}
CAPTION_LOCATIONS = ("top", "bottom", "margin")
# Options Quarto's schema accepts (document-crossref.yml) that the embedded engine does not apply: each is a
# warning, as any option the engine ignores, never a refusal.
_UNAPPLIED_OPTIONS = {"custom": "custom cross-reference kinds are not rendered as floats",
                      "lol-title": "there is no list of listings",
                      "appendix-title": "appendix headings are not written as 'Appendix A — Title'",
                      "appendix-delim": "appendix headings are not written as 'Appendix A — Title'"}
_KNOWN_OPTIONS = {"title-delim", "labels", "subref-labels", "chapters", "ref-hyperlink", "chapters-depth",
                  "lof-title", "lot-title", *_UNAPPLIED_OPTIONS} | {
    f"{kind}-{what}" for kind in (*FLOAT_KINDS, *THEOREM_KINDS, *CALLOUT_XREF_KINDS, "eq", "sec", "ch", "apx")
    for what in ("title", "prefix", "labels")}

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def format_label(style: str, number: int) -> str:
    """``number`` (1-based) in a Quarto label style: arabic, roman, Roman, alpha a, alpha A, alpha x ..."""
    words = style.split()
    if not words or words[0] == "arabic":
        return str(number)
    if words[0] in {"roman", "Roman"}:
        text, rest = "", number
        for value, letters in _ROMAN:
            while rest >= value:
                text, rest = text + letters, rest - value
        upper = words[0] == "Roman" or (len(words) > 1 and words[1].isupper())
        return text.upper() if upper else text
    if words[0] == "alpha":
        start = words[1] if len(words) > 1 and len(words[1]) == 1 and words[1].isalpha() else "a"
        letters, rest = "", number - 1 + (ord(start.lower()) - ord("a"))
        while True:
            letters = chr(ord("a") + rest % 26) + letters
            rest = rest // 26 - 1
            if rest < 0:
                break
        return letters.upper() if start.isupper() else letters
    raise ReportError(f"unknown cross-reference label style '{style}' (use arabic, roman, Roman or alpha a)",
                      path="_quarto.yml")


@dataclass(frozen=True)
class CrossrefSettings:
    titles: Mapping[str, str]  # kind -> caption title ("Figuur", "Stelling")
    prefixes: Mapping[str, str]  # kind -> reference prefix (fig, tbl, lst, eq, sec, chapter, appendix, thm ...)
    label_styles: Mapping[str, str] = field(default_factory=dict)  # kind -> arabic / roman / alpha a
    title_delim: str = ":"
    subref_labels: str = "alpha a"
    chapters: bool | None = None  # None: per chapter in books, across an article
    ref_hyperlink: bool = True
    caption_locations: Mapping[str, str] = field(default_factory=lambda: dict(_DEFAULT_CAPTION_LOCATION))
    # The PDF's own defaults when `format: typst:` sets other caption locations than the site.
    typst_caption_locations: Mapping[str, str] = field(default_factory=lambda: dict(_DEFAULT_CAPTION_LOCATION))

    def label(self, kind: str, number: int) -> str:
        return format_label(self.label_styles.get(kind, "arabic"), number)

    def subref(self, number: int) -> str:
        return format_label(self.subref_labels, number)

    def caption_prefix(self, kind: str, number: str) -> str:
        """'Figuur 3.2: ' as the caption starts (title-delim ':' by default)."""
        return f"{self.titles[kind]}\u00a0{number}{self.title_delim} "


def crossref_settings(metadata: Mapping[str, Any], labels: Mapping[str, str],
                      typst_metadata: Mapping[str, Any] | None = None, *,
                      source: Path | str = "_quarto.yml") -> CrossrefSettings:
    """``metadata`` merged for the site (project < format html < document); ``typst_metadata`` likewise for the
    PDF, whose caption locations may differ (`format: typst: fig-cap-location: top`). ``source``: the file
    that sets `crossref:`, which messages name."""
    options = metadata.get("crossref") or {}
    if not isinstance(options, dict):
        raise ReportError("'crossref' must be a mapping of options (fig-title, fig-prefix, labels ...)",
                          path=source)
    unknown = sorted(set(options) - _KNOWN_OPTIONS)
    if unknown:
        raise ReportError(f"unknown crossref option '{unknown[0]}'; supported: {', '.join(sorted(_KNOWN_OPTIONS))}",
                          path=source)
    for key in sorted(set(options) & set(_UNAPPLIED_OPTIONS)):
        diagnostics.warn(f"crossref option '{key}' is ignored by the embedded engine ({_UNAPPLIED_OPTIONS[key]})",
                         path=source)
    titles = {kind: str(options.get(f"{kind}-title", labels.get(kind, kind)))
              for kind in (*FLOAT_KINDS, *THEOREM_KINDS)}
    # a callout's title: `crossref-nte-title`, else the document language's name of its kind ("Opmerking"), as its
    # callouts show it
    titles.update({kind: str(options.get(f"{kind}-title", labels.get(kind, labels[callout])))
                   for kind, callout in CALLOUT_XREF_KINDS.items()})
    # a reference's prefix: `crossref-KIND-prefix` (for a callout also of its callout kind, as Quarto's typst
    # writer reads it), else its title
    prefixes = {kind: str(options.get(f"{kind}-prefix", labels.get(f"{kind}-prefix") or labels.get(
        f"{CALLOUT_XREF_KINDS.get(kind, kind)}-prefix") or titles[kind])) for kind in titles}
    prefixes["eq"] = str(options.get("eq-prefix", labels["eq"]))
    prefixes["sec"] = str(options.get("sec-prefix", labels["section"]))
    prefixes["chapter"] = str(options.get("ch-prefix", labels["chapter"]))
    prefixes["appendix"] = str(options.get("apx-prefix", labels["appendix"]))
    common = str(options.get("labels", "arabic"))
    styles = {kind: str(options.get(f"{kind}-labels", common)) for kind in (*titles, "eq")}
    for style in {*styles.values(), str(options.get("subref-labels", "alpha a"))}:
        format_label(style, 1)  # an unknown style fails here, with the option's name in the message
    locations = _caption_locations(metadata)
    typst_locations = _caption_locations(typst_metadata) if typst_metadata is not None else locations
    chapters = options.get("chapters")
    return CrossrefSettings(titles=titles, prefixes=prefixes, label_styles=styles,
                            title_delim=str(options.get("title-delim", ":")),
                            subref_labels=str(options.get("subref-labels", "alpha a")),
                            chapters=None if chapters is None else bool(chapters),
                            ref_hyperlink=bool(options.get("ref-hyperlink", True)), caption_locations=locations,
                            typst_caption_locations=typst_locations)


def list_title(metadata: Mapping[str, Any], labels: Mapping[str, str], kind: str) -> str:
    """The title of the list of ``kind`` ('lof', 'lot'): `crossref: lof-title:`, else the language's."""
    options = metadata.get("crossref")
    chosen = options.get(f"{kind}-title") if isinstance(options, dict) else None
    return str(chosen) if chosen is not None else labels[kind]


def _caption_locations(metadata: Mapping[str, Any]) -> dict[str, str]:
    locations = dict(_DEFAULT_CAPTION_LOCATION)
    for kind in ("fig", "tbl"):
        chosen = metadata.get(f"{kind}-cap-location") or metadata.get("cap-location")
        if chosen:
            locations[kind] = caption_location(chosen, f"{kind}-cap-location")
    return locations


def caption_location(value: Any, option: str, path: Any = "_quarto.yml", line: int | None = None) -> str:
    if value not in CAPTION_LOCATIONS:
        raise ReportError(f"invalid {option} '{value}' (use top, bottom or margin)", path=path, line=line)
    return str(value)
