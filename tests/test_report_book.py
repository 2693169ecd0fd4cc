"""The report itself: no hand-typed numbers in the prose, and the whole book rendered once and inspected.

The typed-numbers rule is a small function, tested on its own examples first,
then run over every .qmd of the book. The book is rendered once per module
(HTML and PDF) from a copy of the project in a temporary folder, so the test
neither touches ``_book/`` nor races another render in the same checkout.
"""

from __future__ import annotations

import logging
import posixpath
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from analysis import load_evaluation
from analysis.format import fmt_int, fmt_share
from analysis.measures import survey_shares
from report.build import RenderOptions, render
from report.sources.language import labels as language_labels
from report.sources.project import load_project
from report.sources.qmd import MarkdownChunk, parse_qmd
from pdf_layout import heading_pages, page_fills

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------
# The typed-numbers rule
# ---------------------------------------------------------------------------

MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
#: Words after which a typed number is a chapter, section or appendix number, which may be typed.
CHAPTER_WORDS = "hoofdstuk|hoofdstukken|paragraaf|paragrafen|deel"

_FENCED_CODE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?^ {0,3}\1[`~]*[ \t]*$", re.S | re.M)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")  # also every inline `{python} ...` expression
_ATTRIBUTES = re.compile(r"\{[#.=][^{}\n]*\}|\{[^{}\n]*=[^{}\n]*\}")  # {#sec-x .unnumbered}, {key="value"}
_BRACKETED_CITATION = re.compile(r"\[[^\[\]\n]*@[^\[\]\n]*\]")  # [@a; @b, p. 12] and [zie @sec-x]
_BARE_CITATION = re.compile(r"(?<![\w.@])-?@[\w][\w:.#$%&+?<>~/-]*")  # @key, -@key, @fig-x, @sec-x
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\n]+\]")
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
_URL = re.compile(r"<?(?:https?|ftp)://[^\s>)]+>?|<?www\.[^\s>)]+>?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"(?:19|20)\d\d")
_DAY = re.compile(r"[1-9]|[12]\d|3[01]")


@dataclass(frozen=True)
class TypedNumber:
    text: str  # the number as typed, with its percent sign if any
    line: int  # 1-based, within the text given to typed_numbers
    kind: str  # "percentage" or "number"


def _blank(match: re.Match) -> str:
    """Replace a stripped span by spaces, keeping its line breaks so that line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group(0))


def prose_only(markdown: str) -> str:
    """The Markdown with everything that is not prose blanked out (line structure kept).

    Blanked: fenced code blocks, HTML comments, code spans (so every inline
    ``{python}`` expression), attribute blocks ``{#... ...}``, citations
    ``[@...]`` and ``@key``, cross-references ``@fig-...``/``@sec-...``
    (the same syntax), footnote marks, link targets and URLs.
    """
    text = markdown
    for pattern in (_FENCED_CODE, _HTML_COMMENT, _CODE_SPAN, _ATTRIBUTES, _BRACKETED_CITATION, _FOOTNOTE_MARK,
                    _LINK_TARGET, _URL, _BARE_CITATION):
        text = pattern.sub(_blank, text)
    return text


def _is_allowed(text: str, start: int, end: int) -> bool:
    number = text[start:end]
    before, after = text[:start], text[end:]
    line_before = before[before.rfind("\n") + 1:]
    if re.search(r"[^\W\d_]-?$", before) or re.match(r"[^\W\d_]", after):
        return True  # part of a name or code: A4, SHA-256, COVID-19, G40
    if _YEAR.fullmatch(number) and not re.match(r"\s?%|\s+procent", after):
        return True  # a year, 1900-2099
    if re.search(r"(?:19|20)\d\d/$", before) and re.fullmatch(r"\d\d", number):
        return True  # the second half of a year span such as 2021/22
    if _DAY.fullmatch(number) and re.match(rf"\s+(?:{MONTHS})\b", after, re.I):
        return True  # a date: 5 april 2018, 14 mei
    if re.fullmatch(r"[ \t>]*", line_before) and re.match(r"[.)](?:\s|$)", after):
        return True  # an ordered-list marker at the start of a line: "1."
    if re.search(rf"\b(?:{CHAPTER_WORDS})\s+$", before, re.I) and re.fullmatch(r"\d+(?:\.\d+)*", number):
        return True  # a chapter or section number: hoofdstuk 4, paragraaf 4.2
    return False


def typed_numbers(markdown: str) -> list[TypedNumber]:
    """Numbers typed by hand in the prose of a Markdown text, which should have been inline expressions.

    Every number that remains after :func:`prose_only` is reported, except
    years (1900-2099, and spans like 2021/22), dates (a day followed by a Dutch
    month: "5 april 2018"), ordered-list markers at the start of a line ("1."),
    chapter and section numbers after "hoofdstuk", "paragraaf" or "deel", and
    digits that are part of a name or code ("A4", "SHA-256"). Thousands dots
    and decimal commas belong to the number ("3.060", "7,5"); a following "%"
    or "procent" makes it a percentage.
    """
    text = prose_only(markdown)
    found = []
    for match in _NUMBER.finditer(text):
        if _is_allowed(text, match.start(), match.end()):
            continue
        percent = re.match(r"\s?%|\s+procent\b", text[match.end():])
        typed = match.group(0) + (percent.group(0) if percent else "")
        found.append(TypedNumber(typed, text.count("\n", 0, match.start()) + 1,
                                 "percentage" if percent else "number"))
    return found


def _typed(markdown: str) -> list[str]:
    return [number.text for number in typed_numbers(markdown)]


@pytest.mark.parametrize("sentence, expected", [
    ("Van de ambtsdragers kreeg 45% met agressie te maken.", ["45%"]),
    ("Het ging om 45 procent van de raadsleden.", ["45 procent"]),
    ("Een aandeel van 25,6 % is hoog.", ["25,6 %"]),
    ("Het netwerk telt 28 partners.", ["28"]),
    ("Er antwoordden 3.060 ambtsdragers.", ["3.060"]),
    ("Gemiddeld 7,5 incidenten per jaar.", ["7,5"]),
    ("Burgemeesters: 77%, wethouders: 67%.", ["77%", "67%"]),
    ("Zie stap 1. in het schema.", ["1"]),
    ("In 1850 was dat anders.", ["1850"]),
    ("Een 28-jarige raadslid stopte.", ["28"]),
    ("Het bedrag was € 2 miljoen.", ["2"]),
])
def test_typed_numbers_are_found(sentence, expected):
    assert _typed(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Het netwerk startte in 2018 en bestond in 2023 vijf jaar.",
    "De trend van 2014–2022 en het jaar 2021/22.",
    "De intentieverklaring werd op 5 april 2018 getekend; het rapport verscheen op 14 mei 2024.",
    "1. Wat is de aard van de dreiging?\n2. Welke bescherming is er?\n   10. Een genest punt.",
    "> 3. Een lijst in een citaat.",
    "Zoals in hoofdstuk 4 en paragraaf 7.2 beschreven.",
    "Het aandeel was `{python} share_text(ev, \"totaal\")` (`{python} interval_text(ev)`).",
    "Zie @fig-dreiging-trend en @sec-keuzes, en [@kst28844-247; @monitor2022, p. 12].",
    "Volgens -@monitor2022 en [zie @tbl-dreiging-functies].",
    "## De ontwikkeling sinds 2014 {#sec-dreiging-2014 .unnumbered}",
    "::: {.callout-note title=\"Kader 3\"}\nTekst.\n:::",
    "Lees [het bericht](https://www.rijksoverheid.nl/nieuws/2018/04/05/bericht-123) of https://example.nl/a1/2.",
    "Het controlegetal is SHA-256; het papier is A4; tijdens COVID-19.",
    "```yaml\naantal: 40\n```\nGeen getal hier.",
    "<!-- 40 interviews, later invullen -->Tekst.",
    "Een voetnoot[^3] zonder getal.",
    "Vijf jaar, veertig gesprekken en achtentwintig partners.",
])
def test_allowed_numbers_are_not_reported(sentence):
    assert _typed(sentence) == []


def test_typed_number_reports_its_line_and_kind():
    found = typed_numbers("Eerste regel met `{python} x`.\n\nDan 45% en 12 gesprekken.\n")
    assert found == [TypedNumber("45%", 3, "percentage"), TypedNumber("12", 3, "number")]


def _book_sources() -> list[Path]:
    return [ROOT / entry.path for entry in load_project(ROOT).chapters]


def test_book_sources_are_found():
    sources = _book_sources()
    assert ROOT / "index.qmd" in sources and len(sources) >= 10
    assert all(source.is_file() for source in sources)


@pytest.mark.parametrize("source", _book_sources(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_typed_numbers_in_the_prose(source):
    document = parse_qmd(source.read_text(encoding="utf-8"), source.relative_to(ROOT))
    problems = []
    for chunk in document.chunks:
        if isinstance(chunk, MarkdownChunk):
            problems += [f"{source.relative_to(ROOT)}:{chunk.line + number.line - 1}: typed {number.kind} "
                         f"'{number.text}'" for number in typed_numbers(chunk.text)]
    assert not problems, ("numbers from data or sourced facts must be inline expressions "
                          "(`{python} ...`):\n" + "\n".join(problems))


# ---------------------------------------------------------------------------
# The whole book, rendered once
# ---------------------------------------------------------------------------

# What a render of the book does not need; generated output and caches would only slow the copy down.
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", ".report-cache", ".report-build", ".pytest_cache", "__pycache__",
                                    "*.egg-info", "_book", "_diff", "release", "figures", "tests", "bench")
A4_POINTS = (595.28, 841.89)
MIN_PDF_PAGES = 40
MIN_NARRATIVE_WORDS = 12_000


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass(frozen=True)
class RenderedBook:
    project: Path  # the copy that was rendered
    output: Path
    warnings: tuple[str, ...]

    def page(self, relative: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / relative).read_text(encoding="utf-8"), "html.parser")

    def pages(self) -> dict[str, BeautifulSoup]:
        return {path.relative_to(self.output).as_posix(): BeautifulSoup(path.read_text(encoding="utf-8"),
                                                                        "html.parser")
                for path in sorted(self.output.rglob("*.html"))}

    @property
    def pdf(self) -> Path:
        return self.output / f"{load_project(self.project).output_file}.pdf"


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> RenderedBook:
    project = tmp_path_factory.mktemp("book") / "project"
    shutil.copytree(ROOT, project, ignore=NOT_COPIED)
    output = project.parent / "output"
    logger = logging.getLogger("report")
    collect = _Collect()
    previous_level = logger.level
    logger.addHandler(collect)
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        render(project, RenderOptions(output_dir=output))
    finally:
        logger.removeHandler(collect)
        logger.setLevel(previous_level)
    return RenderedBook(project, output, tuple(collect.format(record) for record in collect.records))


def _chapter_title(source: Path) -> str:
    for line in source.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"#\s+(.+?)\s*(?:\{[^}]*\})?\s*$", line)
        if heading:
            return heading.group(1)
    raise AssertionError(f"{source} has no chapter heading")


@pytest.mark.slow
def test_render_logs_no_warning(book):
    assert book.warnings == ()


@pytest.mark.slow
def test_every_chapter_has_its_page_with_its_title(book):
    for entry in load_project(book.project).chapters:
        page_path = entry.path.with_suffix(".html").as_posix()
        assert (book.output / page_path).is_file(), f"{entry.path} has no page"
        heading = book.page(page_path).find("h1")
        assert heading is not None, f"{page_path} has no title"
        assert _chapter_title(book.project / entry.path) in heading.get_text(" ", strip=True), page_path


@pytest.mark.slow
def test_every_chapter_is_in_the_pdf_outline(book):
    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    outline = list(titles(pypdf.PdfReader(book.pdf).outline))
    for entry in load_project(book.project).chapters:
        title = _chapter_title(book.project / entry.path)
        assert any(item.endswith(title) for item in outline), f"'{title}' not in the PDF outline: {outline}"


@pytest.mark.slow
def test_pdf_is_a4_with_enough_pages(book):
    reader = pypdf.PdfReader(book.pdf)
    assert len(reader.pages) >= MIN_PDF_PAGES
    for number, page in enumerate(reader.pages, start=1):
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_POINTS, abs=1), f"page {number} is {size[0]:.1f} x {size[1]:.1f} pt"


def _narrative_words(reader: pypdf.PdfReader) -> int:
    """Words in the PDF text, without page furniture (lines on at least half the pages, such as the running header)."""
    pages = [(page.extract_text() or "").replace("\u00ad\n", "").replace("\u00ad", "") for page in reader.pages]
    furniture = {line for line, count in Counter(line.strip() for text in pages
                                                 for line in set(text.splitlines())).items()
                 if count >= len(pages) / 2}
    words = 0
    for text in pages:
        for line in text.splitlines():
            if line.strip() not in furniture:
                words += len(re.findall(r"\w*[^\W\d_]\w*", line))
    return words


@pytest.mark.slow
def test_narrative_is_long_enough(book):
    words = _narrative_words(pypdf.PdfReader(book.pdf))
    assert words >= MIN_NARRATIVE_WORDS, f"the PDF holds {words} words of narrative"


def _interval(row) -> str:
    return f"{fmt_share(row.ci_low)}–{fmt_share(row.ci_high)}"


@pytest.mark.slow
def test_survey_shares_in_chapter_4_equal_the_data_layer(book):
    expected = survey_shares(load_evaluation(), "agressie")
    soup = book.page("chapters/04-dreiging.html")

    rows = soup.find(id="tbl-dreiging-functies").select("tbody tr")
    shown = [[cell.get_text(strip=True) for cell in row.find_all("td")] for row in rows]
    assert shown == [[fmt_int(row.n), "–" if row.suppressed else fmt_share(row.share),
                      "–" if row.suppressed else _interval(row)] for row in expected.itertuples()]

    # The prose that introduces the shares: the section's paragraphs before its first figure.
    section = soup.find("section", id="sec-dreiging-functies")
    prose = []
    for child in section.find_all(recursive=False):
        # a figure stands on its own or, as in Quarto, inside its cell's div.cell
        if "quarto-float" in (child.get("class") or []) or child.find(class_="quarto-float"):
            break
        if child.name == "p":
            prose.append(child.get_text(" ", strip=True))
    printed = sorted(re.findall(r"\d+(?:,\d+)?%", " ".join(prose)))
    published = expected[~expected["suppressed"]]
    assert printed == sorted([fmt_share(row.share) for row in published.itertuples()]
                             + [fmt_share(row.ci_low) for row in published.itertuples()]
                             + [fmt_share(row.ci_high) for row in published.itertuples()])


@pytest.mark.slow
def test_every_image_has_alt_text(book):
    images = [(name, image) for name, soup in book.pages().items() for image in soup.find_all("img")]
    figures = sum(len(soup.select('div.quarto-float[id^="fig-"]')) for soup in book.pages().values())
    assert figures and len(images) >= figures
    missing = [f"{name}: {image.get('src')}" for name, image in images if not (image.get("alt") or "").strip()]
    assert not missing, "images without alt text:\n" + "\n".join(missing)


@pytest.mark.slow
def test_every_figure_is_cross_referenced(book):
    pages = book.pages()
    figures = {(name, float_div["id"]) for name, soup in pages.items()
               for float_div in soup.select('div.quarto-float[id^="fig-"]')}
    tables = {(name, float_div["id"]) for name, soup in pages.items()
              for float_div in soup.select('div.quarto-float[id^="tbl-"]')}
    assert len(figures) + len(tables) >= 10, "the issue asks for at least 10 figures and tables"
    referenced = set()
    for name, soup in pages.items():
        for link in soup.select("a.quarto-xref[href]"):
            target, _, fragment = link["href"].partition("#")
            page = posixpath.normpath(posixpath.join(posixpath.dirname(name), target)) if target else name
            referenced.add((page, fragment))
    assert not sorted(figures - referenced), f"figures nobody refers to: {sorted(figures - referenced)}"
    for name, soup in pages.items():
        for float_div in soup.select('div.quarto-float[id^="fig-"]'):
            caption = float_div.find("figcaption")
            assert caption is not None and caption.get_text(strip=True), f"{name}#{float_div['id']} has no caption"


_YEAR_OR_UNDATED = r"(?:\d{4}[a-z]?|z\.d\.)"
#: An APA parenthetical citation with the Dutch locale: (Auteur, 2022; Organisatie, 2018, 2020; Ander, z.d.).
APA_CITATION = re.compile(rf"\((?:[^;()]+?, {_YEAR_OR_UNDATED}(?:, {_YEAR_OR_UNDATED})*(?:, p+\. [\d–-]+)?(?:; |\)$))+")
#: An APA reference list entry opens with its author(s) and the date in brackets: "Wilson, E. B. (1927)."
APA_ENTRY = re.compile(r"^[^()]+\. \((?:\d{4}[a-z]?(?:, [a-z]+(?: \d{1,2})?)?|z\.d\.)\)\. ")
#: CSL terms that would betray a missing Dutch locale or a style pandoc does not render cleanly.
ENGLISH_TERMS = ("Original work published", "Retrieved", "n.d.", "No.", "Nos.", " from ", "edition", "Vol.")


def _text(element) -> str:
    return " ".join(element.get_text().split())


@pytest.mark.slow
def test_citations_follow_apa_in_dutch(book):
    citations = [(name, _text(citation)) for name, soup in book.pages().items()
                 for citation in soup.select(".citation")]
    assert citations, "the book cites no source"
    wrong = [f"{name}: {text}" for name, text in citations if not APA_CITATION.fullmatch(text)]
    assert not wrong, "citations not in APA author-date form:\n" + "\n".join(wrong)

    entries = [_text(entry) for entry in book.page("chapters/references.html").select("#refs .csl-entry")]
    assert len(entries) >= 10
    assert [entry for entry in entries if not APA_ENTRY.match(entry)] == []
    assert [(entry, term) for entry in entries for term in ENGLISH_TERMS if term in entry] == []


# ---------------------------------------------------------------------------
# The PDF as a publication desk reads it
# ---------------------------------------------------------------------------

#: A page may be less than half full only where a chapter or part starts on the next page.
MIN_PAGE_FILL = 0.5
#: Body text keeps at least this distance (points) above the page number: no table runs into the footer.
FOOTER_CLEARANCE = 24


def _pdf_headings(book: RenderedBook) -> set[str]:
    """Chapter titles and part titles of the book, as the PDF bookmarks name them."""
    config = load_project(book.project).config.book
    parts = {entry.part for entry in config.chapters if not isinstance(entry, str)}
    titles = {_chapter_title(book.project / entry.path) for entry in load_project(book.project).chapters}
    return titles | parts | {language_labels(load_project(book.project).lang)["appendices"]}


@pytest.mark.slow
def test_no_page_is_half_empty_except_before_a_chapter(book):
    fills = page_fills(book.pdf)
    starts = heading_pages(book.pdf, _pdf_headings(book))
    first_chapter = min(starts)
    half_empty = [(fill.number, round(fill.fill, 2)) for fill in fills
                  if fill.number >= first_chapter and fill.fill < MIN_PAGE_FILL
                  and fill.number + 1 not in starts and fill.number != len(fills)]
    assert half_empty == [], f"pages less than half full, not before a chapter (page, fill): {half_empty}"


@pytest.mark.slow
def test_no_text_runs_into_the_page_number(book):
    touching = [fill.number for fill in page_fills(book.pdf)
                if fill.footer is not None and fill.lowest is not None
                and fill.lowest - fill.footer < FOOTER_CLEARANCE]
    assert touching == [], f"pages whose text comes within {FOOTER_CLEARANCE} pt of the page number: {touching}"


@pytest.mark.slow
def test_colophon_names_commissioner_licence_contact_and_synthetic_data(book):
    metadata = load_project(book.project).metadata
    labels = language_labels(load_project(book.project).lang)
    colophon = " ".join(pypdf.PdfReader(book.pdf).pages[1].extract_text().replace("\xa0", " ").split())
    for key in ("commissioner", "contact"):
        assert metadata.get(key), f"_quarto.yml names no {key}"
        assert f"{labels[key]} {metadata[key]}" in colophon
    assert f"{labels['license']} {metadata['license']}" in colophon
    assert labels["synthetic-data"] in colophon  # the book is rendered from the demo data


@pytest.mark.slow
def test_pdf_links_name_their_targets(book):
    reader = pypdf.PdfReader(book.pdf)
    descriptions = [str(annotation.get_object().get("/Contents")) for page in reader.pages
                    for annotation in page.get("/Annots") or []]
    labels = language_labels(load_project(book.project).lang)
    internal = [text for text in descriptions if not text.startswith(("http://", "https://", "mailto:"))]
    assert not [text for text in descriptions if text != text.strip()]
    bare = [text for text in internal if re.fullmatch(rf"(?:{labels['chapter']}|{labels['section']}|{labels['fig']}|"
                                                      rf"{labels['tbl']}|{labels['appendix']}), pagina \d+", text)]
    assert bare == [], f"links described by a bare kind: {bare[:5]}"
    for word in (labels["chapter"], labels["section"]):
        assert any(re.fullmatch(rf"{word} [\dA-Z][\d.]* \S.*, pagina \d+", text) for text in internal), word
    # Floats are numbered typst figures, which typst describes by their kind and number.
    for word in (labels["fig"], labels["tbl"]):
        assert any(re.fullmatch(rf"{word} [\dA-Z][\d.]*", text) for text in internal), word
