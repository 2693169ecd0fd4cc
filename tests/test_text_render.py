"""Issue 23, item 4: data is text, in the rendered book.

A copy of the demo set carries the red-team payloads: the quotes chapter 6 shows are replaced by them (in
the transcripts and segments.csv alike, so the data stay valid) and the lines of work and forms of threat
get them as codebook names (shown in sentences of chapters 6, 7 and 8, in tables and in figures). The
whole book is rendered once from it, as HTML and PDF. In Debian's Chromium (through Playwright, as in
tests/test_site_browser.py) no page fires a dialog, also not while searching for a payload, no element
carries an event handler or a javascript: link, and the payloads are on the page as the text they are. In
the PDF's text the payloads stand as written: the typst in them was not run.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pypdf
import pytest
import yaml

from analysis import load_evaluation
from analysis.measures import quotes
from data_helpers import copy_demo
from report.build import RenderOptions, render

ROOT = Path(__file__).resolve().parent.parent
#: The codes whose quotes chapter 6 prints (quote_blocks(ev, code, n=2)).
QUOTED_CODES = ("werklijn.bewustwording", "werklijn.voorlichting", "werklijn.ondersteuning", "werklijn.nazorg",
                "werklijn.voorzorg", "bekendheid.onbekend")
SHOWN_PER_CODE = 2

#: Quotes, each with a marker to find it by; those of several paragraphs try to leave the blockquote.
QUOTES = (
    "Q01 <script>alert(101)</script>",
    "Q02 <img src=x onerror=alert(102)>",
    "Q03 <svg onload=alert(103)></svg>",
    "Q04 [klik hier](javascript:alert(104)) en <a href=javascript:alert(114)>hier</a>",
    "Q05 `<img src=x onerror=alert(105)>`{=html}",
    "Q06 voor het blok\n\n```{=html}\n<script>alert(106)</script>\n```\n\nna het blok",
    "Q07 `#text(fill: red)[TYPST-INLINE-RAN]`{=typst}",
    "Q08 voor het blok\n\n```{=typst}\n#text[TYPST-FENCE-RAN]\n```",
    "Q09 <geen onderwerp> kwam ter sprake",
    "Q10 dat was *per* direct, zei @burgemeester",
    "Q11 {{< meta title >}} en [tekst]{onclick=alert(111)}",
    "Q12 regel\n# kop\n> citaat\n- lijst\n1. lijst\n::: {.callout-note}\n$x$ ~sub~",
)
#: Codebook names, lowest level of the lines of work (chapters 6, 7, 9) and the forms of threat (7, 8).
NAMES = {
    "werklijn.bewustwording": "N01 <script>alert(201)</script>",
    "werklijn.voorlichting": "N02 <img src=x onerror=alert(202)>",
    "werklijn.ondersteuning": "N03 `<b onmouseover=alert(203)>x</b>`{=html}",
    "werklijn.nazorg": "N04 `#text[TYPST-NAME-RAN]`{=typst}",
    "werklijn.voorzorg": "N05 *per* @burgemeester {{< meta title >}}",
    "dreiging.verbaal": "N06 [klik](javascript:alert(206)) $5 en $x^2$",
    "dreiging.online": "N07 <geen onderwerp>",
}
# Quotes may be curly in the output, as in the prose; typst writes '...' as an ellipsis. Neither is markup.
TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _flat(text: str) -> str:
    return " ".join(text.translate(TYPOGRAPHY).split())


def _rename_codes(codebook: Path) -> None:
    document = yaml.safe_load(codebook.read_text(encoding="utf-8"))

    def visit(codes: list[dict]) -> None:
        for code in codes:
            code["name"] = NAMES.get(code["code"], code["name"])
            visit(code.get("children", []))

    visit(document["codes"])
    codebook.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _shown_segments(data: Path) -> list[tuple[str, int, int]]:
    """(interview, start, end) of every quote chapter 6 shows, in order, each segment once."""
    ev = load_evaluation(data)
    coded = ev.coded
    shown: list[tuple[str, int, int]] = []
    for code in QUOTED_CODES:
        chosen = quotes(ev, code, n=SHOWN_PER_CODE)
        for quote, attribution in zip(chosen["quote"], chosen["attribution"]):
            respondent = attribution.rsplit(", ", 1)[-1]
            row = coded[(coded["respondent"] == respondent) & (coded["text"].str.strip() == quote)].iloc[0]
            place = (row["interview"], int(row["start"]), int(row["end"]))
            if place not in shown:
                shown.append(place)
    return shown


def _put_quotes(data: Path) -> None:
    """Each payload in place of one shown quote, padded to its length, so every offset still holds."""
    shown = _shown_segments(data)
    assert len(shown) >= len(QUOTES), f"chapter 6 shows {len(shown)} quotes, fewer than the {len(QUOTES)} payloads"
    transcripts: dict[str, str] = {}
    for payload, (interview, start, end) in zip(QUOTES, shown):
        path = data / "transcripts" / f"{interview}.txt"
        text = transcripts.get(interview) or path.read_text(encoding="utf-8")
        assert len(payload) <= end - start, f"payload {payload[:3]} is longer than the quote it replaces"
        transcripts[interview] = text[:start] + payload.ljust(end - start) + text[end:]
    for interview, text in transcripts.items():
        (data / "transcripts" / f"{interview}.txt").write_text(text, encoding="utf-8", newline="")
    segments = data / "segments.csv"
    with segments.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:  # every segment of a changed interview, also another coder's, reads the new transcript
        if row["interview"] in transcripts:
            row["text"] = transcripts[row["interview"]][int(row["start"]):int(row["end"])]
    with segments.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory) -> Path:
    """The book rendered (HTML and PDF, once) from a demo copy whose quotes and codebook names are payloads."""
    base = tmp_path_factory.mktemp("text")
    data = copy_demo(base / "data")
    _rename_codes(data / "codebook.yml")
    _put_quotes(data)
    ev = load_evaluation(data)  # still valid data, and every payload is among the quotes chapter 6 shows
    shown = {quote for code in QUOTED_CODES for quote in quotes(ev, code, n=SHOWN_PER_CODE)["quote"]}
    assert {payload.strip() for payload in QUOTES} <= shown
    output = base / "book"
    render(ROOT, RenderOptions(formats=("html", "typst"), output_dir=output, data_dir=data, use_cache=False))
    return output


@pytest.fixture(scope="module")
def tab(browser):
    page = browser.new_page()
    yield page
    page.close()


# Any element carrying one of the payloads' event handlers or javascript: URLs (the engine's own handlers
# hold no alert), and any script holding one.
HANDLERS = """() => [...document.querySelectorAll('*')].flatMap(el => [...el.attributes]
    .filter(a => (a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value)) && /alert/.test(a.value))
    .map(a => el.tagName + ' ' + a.name + '=' + a.value))"""
SCRIPTS = "() => [...document.scripts].map(s => s.src || s.textContent).filter(t => /alert/.test(t))"


def test_no_page_runs_data(hostile_book, tab):
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(f"{tab.url}: {dialog.message}"), dialog.dismiss()))
    pages = sorted(path for path in hostile_book.rglob("*.html") if "figures" not in path.parts)
    assert len(pages) > 10
    for page in pages:
        tab.goto(page.as_uri(), wait_until="load")
        tab.wait_for_timeout(50)  # an onerror of a broken image fires after load
        assert tab.evaluate(HANDLERS) == [], page.name
        assert tab.evaluate(SCRIPTS) == [], page.name
    # The search shows snippets of the payloads: they must stay text there too.
    tab.goto((hostile_book / "index.html").as_uri(), wait_until="load")
    for query in ("onerror", "script", "javascript"):
        tab.locator("#search-input").fill(query)
        tab.locator("#search-results.open").wait_for(state="visible")
        assert tab.locator("#search-results .search-hits li").count() > 0, query
        tab.wait_for_timeout(50)
    assert dialogs == []


def test_quotes_and_names_are_shown_as_text(hostile_book, tab):
    tab.goto((hostile_book / "chapters" / "06-praktijk.html").as_uri(), wait_until="load")
    quoted = _flat(" ".join(tab.locator("main blockquote").all_inner_texts()))
    for payload in QUOTES:
        for paragraph in re.split(r"\n\n", payload):  # a paragraph of a quote is a paragraph of its blockquote
            assert _flat(paragraph) in quoted, payload
    body = _flat(tab.locator("main").inner_text())
    for code in ("werklijn.bewustwording", "werklijn.voorlichting", "werklijn.nazorg"):
        assert _flat(NAMES[code]).lower() in body.lower(), code  # workline_sentence: the name in lower case
    tab.goto((hostile_book / "chapters" / "b-codeboek.html").as_uri(), wait_until="load")
    cells = _flat(tab.locator("main table").first.inner_text())
    for name in NAMES.values():
        assert _flat(name) in cells, name
    for chapter in ("07-paraplu", "08-conclusies"):  # the forms of threat within and beyond reach, in sentences
        tab.goto((hostile_book / "chapters" / f"{chapter}.html").as_uri(), wait_until="load")
        body = _flat(tab.locator("main").inner_text())
        for code in ("dreiging.verbaal", "dreiging.online"):
            assert _flat(NAMES[code]) in body, (chapter, code)


def test_pdf_shows_the_payloads_and_ran_none(hostile_book):
    (pdf,) = hostile_book.glob("*.pdf")
    reader = pypdf.PdfReader(io.BytesIO(pdf.read_bytes()))
    text = "".join("".join(page.extract_text() for page in reader.pages).translate(TYPOGRAPHY).split())
    text = text.replace("\u2026", "...")
    for payload in (*QUOTES, *NAMES.values()):
        for paragraph in re.split(r"\n\n", payload):
            assert "".join(paragraph.split()) in text, payload
    # Typst code that ran would leave its text without the code around it.
    for marker in ("TYPST-INLINE-RAN", "TYPST-FENCE-RAN", "TYPST-NAME-RAN"):
        assert text.count(marker) == text.count(f"[{marker}]"), marker
