"""How full the pages of a PDF are, measured from the text the PDF draws (pypdf), for layout tests.

A page's fill is the share of the text area between its top and the lowest line of body text on it.
The text area is calibrated on the document itself: its top is the highest body line on any page and
its bottom the lowest, where body text is everything except the running header (the highest line,
repeated on many pages), the page number in the footer and rotated text (the watermark).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdf


@dataclass(frozen=True)
class PageText:
    number: int  # 1-based
    lines: tuple[tuple[float, str], ...]  # (baseline y in points from the bottom, text), upright text only


@dataclass(frozen=True)
class PageFill:
    number: int
    fill: float  # 0 (empty text area) .. 1 (text down to the bottom of the text area)
    lowest: float | None  # baseline of the lowest body line
    footer: float | None  # baseline of the page number


def page_texts(pdf: Path) -> list[PageText]:
    reader = pypdf.PdfReader(pdf)
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        lines: list[tuple[float, str]] = []

        def visit(text, cm, tm, _font, _size, lines=lines):
            if not text.strip():
                return
            a, b, _c, _d, e, f = tm
            ca, cb, cc, cd, ce, cf = cm
            if abs(b * ca + a * cb) > 1e-3:  # rotated: the watermark
                return
            lines.append((round(e * cb + f * cd + cf, 1), text.strip()))

        page.extract_text(visitor_text=visit)
        pages.append(PageText(number, tuple(lines)))
    return pages


def page_fills(pdf: Path) -> list[PageFill]:
    pages = page_texts(pdf)
    tops = Counter(max(y for y, _ in page.lines) for page in pages if page.lines)
    header = tops.most_common(1)[0][0]  # the running header's baseline, the same on most pages

    def footer(page: PageText) -> float | None:
        numbers = [y for y, text in page.lines if text == str(page.number)]
        return min(numbers) if numbers else None

    def body(page: PageText) -> list[float]:
        bottom = footer(page)
        return [y for y, text in page.lines if y < header - 1 and not (y == bottom and text == str(page.number))]

    bodies = {page.number: body(page) for page in pages}
    all_lines = [y for lines in bodies.values() for y in lines]
    top, bottom = max(all_lines), min(all_lines)
    fills = []
    for page in pages:
        lines = bodies[page.number]
        lowest = min(lines) if lines else None
        fill = 0.0 if lowest is None else (top - lowest) / (top - bottom)
        fills.append(PageFill(page.number, fill, lowest, footer(page)))
    return fills


def heading_pages(pdf: Path, titles: set[str]) -> set[int]:
    """Pages on which a bookmarked heading with one of ``titles`` starts (a number before it is ignored)."""
    reader = pypdf.PdfReader(pdf)
    pages: set[int] = set()

    def collect(items):
        for item in items:
            if isinstance(item, list):
                collect(item)
            elif item.title in titles or item.title.split(" ", 1)[-1] in titles:
                pages.add(reader.get_destination_page_number(item) + 1)

    collect(reader.outline)
    return pages
