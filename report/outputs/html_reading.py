"""Reading aids added to a page's HTML body: scroll boxes for tables, zoom links for figures and copy buttons
for code.

Both work on the HTML that pandoc wrote, so they hold for every table and figure whatever made it
(a pandas data frame, a pipe table, a matplotlib cell or an image file).
"""

from __future__ import annotations

import html
import re
from typing import Mapping

__all__ = ["add_copy_buttons", "add_figure_zoom_links", "quarto_code_blocks", "wrap_tables"]

_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.IGNORECASE)
# The caption of a float: _float_html gives the float's content an aria-describedby naming its caption.
_DESCRIBED_BY = re.compile(r'aria-describedby="([^"]+)"[^>]*>\s*$')
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.IGNORECASE | re.DOTALL)
# A figure image, with the link it may already sit in (Quarto's linked figure, `[![cap](x.png){#fig-x}](url)`).
# An image that is its paragraph's whole content takes the paragraph's end along: the link follows the paragraph.
_FIGURE_IMAGE = re.compile(r'(<a\b[^>]*>\s*)?<img\b[^>]*\bclass="[^"]*\bfigure-img\b[^"]*"[^>]*>(?:</p>)?',
                           re.IGNORECASE)
_SOURCE = re.compile(r'\bsrc="([^"]+)"')
# pandoc's highlighted code block; its code is escaped, so the first </pre></div> closes it.
_SOURCE_CODE = re.compile(r'<div class="sourceCode\b[^"]*"[^>]*>.*?</pre></div>', re.DOTALL)
_CLIPBOARD = ('<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16">'
              '<path fill="currentColor" d="M4 1.5h6a1 1 0 0 1 1 1V3H4.5A1.5 1.5 0 0 0 3 4.5V12h-.5a1 1 0 0 1-1-1V2.5'
              'a1 1 0 0 1 1-1zm1 3h7a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1v-8a1 1 0 0 1 1-1z"/></svg>')


def _text(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def wrap_tables(body: str, labels: Mapping[str, str]) -> str:
    """Put every outermost table in a keyboard-scrollable region named by the table's caption.

    A wide table then scrolls inside the text column (WCAG 1.4.10 reflow) instead of widening the page;
    ``tabindex="0"`` lets keyboard users scroll it, and the label says which table the region holds.
    """
    pieces: list[str] = []
    depth = 0
    start = 0
    position = 0
    for match in _TABLE_TAG.finditer(body):
        closing = match.group(1) == "/"
        if not closing:
            if depth == 0:
                start = match.start()
            depth += 1
            continue
        depth -= 1
        if depth != 0:
            continue
        before = body[position:start]
        table = body[start:match.end()]
        pieces.append(before)
        pieces.append(_region(table, before, labels))
        position = match.end()
    pieces.append(body[position:])
    return "".join(pieces)


def _region(table: str, before: str, labels: Mapping[str, str]) -> str:
    described = _DESCRIBED_BY.search(before)
    if described:
        name = f'aria-labelledby="{described.group(1)}"'
    else:
        caption = _CAPTION.search(table)
        label = _text(caption.group(1)) if caption else labels["table-scroll"]
        name = f'aria-label="{html.escape(label or labels["table-scroll"], quote=True)}"'
    return f'<div class="table-responsive" role="region" tabindex="0" {name}>{table}</div>'


def add_figure_zoom_links(body: str, labels: Mapping[str, str]) -> str:
    """After every figure image, a link to the image file itself, shown on narrow screens (see site.css).

    On a phone a chart's labels are smaller than the text; the image on its own can be zoomed.
    """
    def link(match: re.Match) -> str:
        source = _SOURCE.search(match.group(0))
        if source is None or match.group(1):  # a linked image already leads somewhere: no link inside a link
            return match.group(0)
        return (f'{match.group(0)}<p class="figure-zoom"><a href="{source.group(1)}">'
                f'{html.escape(labels["figure-zoom"])}</a></p>')

    return _FIGURE_IMAGE.sub(link, body)


def add_copy_buttons(body: str, labels: Mapping[str, str]) -> str:
    """Quarto's `code-copy`: each code block in a div.code-copy-outer-scaffold with a button.code-copy-button
    after it (code-copy.js copies the code; the button is a real button, so the keyboard reaches it)."""
    label = html.escape(labels["copy-code"])
    button = (f'<button type="button" class="code-copy-button" title="{label}" aria-label="{label}" '
              f'data-copied="{html.escape(labels["copied-code"])}">{_CLIPBOARD}</button>')
    return _SOURCE_CODE.sub(lambda match: f'<div class="code-copy-outer-scaffold">{match.group(0)}{button}</div>', body)


_OPENING = re.compile(r'^<div class="([^"]*)"([^>]*)><pre class="([^"]*)"')
_HOISTED = ("cell-code", "hidden")
_LINE_ANCHOR = re.compile(r'(<span id="[^"]*"><a href="#[^"]*")(?![^>]*aria-label)')
_COUNTER = re.compile(r'<code\b[^>]*style="[^"]*counter-reset:\s*source-line\s+(-?\d+)')


def quarto_code_blocks(body: str) -> str:
    """Each code block as Quarto finishes it: `cell-code` and `hidden` move from the <pre> to its div.sourceCode
    (so `div.sourceCode.cell-code.hidden` is a hidden cell's code), and a numbered block's line-number links
    get their number as aria-label (a link with no text has no accessible name)."""
    def finish(match: re.Match) -> str:
        block = match.group(0)
        opening = _OPENING.match(block)
        if opening:
            div_classes, rest, pre_classes = opening.group(1).split(), opening.group(2), opening.group(3).split()
            moved = [name for name in _HOISTED if name in pre_classes]
            pre_classes = [name for name in pre_classes if name not in moved]
            div_classes += [name for name in moved if name not in div_classes]
            block = (f'<div class="{" ".join(div_classes)}"{rest}><pre class="{" ".join(pre_classes)}"'
                     + block[opening.end():])
        if "numberSource" in (opening.group(3).split() if opening else ()):
            counter = _COUNTER.search(block)
            first = int(counter.group(1)) + 1 if counter else 1
            numbers = iter(range(first, first + block.count("<span id=")))
            block = _LINE_ANCHOR.sub(lambda anchor: f'{anchor.group(1)} aria-label="{next(numbers)}"', block)
        return block

    return _SOURCE_CODE.sub(finish, body)
