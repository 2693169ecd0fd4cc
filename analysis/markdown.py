"""Strings from data as literal text in the report's Markdown.

Quotes, codebook names, respondent functions, file names and authored content
are data: printed into an ``output: asis`` cell or returned by an inline
``{python}`` expression they become pandoc Markdown, where ``<script>`` is raw
HTML, `` `x`{=typst} `` is raw typst, ``*per*`` is emphasis, ``@name`` is a
citation and ``{{< meta >}}`` a shortcode. Every such string goes through
:func:`markdown_text` (or :func:`markdown_code` for a code span), which makes
pandoc read it back as exactly that text, in HTML and in typst alike.

Tables do not need this: a DataFrame reaches the book as pandas' HTML, which
escapes its cells, and is read with pandoc's HTML reader, which makes no
Markdown, raw HTML or citations of text.

Straight quotes still become curly ones, as in the prose: that changes how
the character looks, never what the text says or does. Every other character
stays as it is (``--`` is not made a dash, nor ``...`` an ellipsis).

Public surface: ``markdown_text``, ``markdown_code``.
"""

from __future__ import annotations

import re

__all__ = ["markdown_code", "markdown_text"]

# Every ASCII punctuation character may be backslash-escaped in pandoc Markdown (all_symbols_escapable) and
# then stands for itself, also where it would open a block ('#', '>', '-', '1.', ':::', '|').
# Only the quotes are left to pandoc's typography.
_ESCAPED = frozenset(chr(code) for code in range(33, 127) if not chr(code).isalnum()) - frozenset("'\"")

# Line endings and blanks that could end a paragraph or indent a line into a code block.
# Other spaces (a no-break space) are text and stay.
_LINE_WHITESPACE = re.compile("[ \t\n\r\f\v\u0085\u2028\u2029]+")


def markdown_text(value: object) -> str:
    """``value`` as Markdown that pandoc reads back as the same text, on one line.

    Punctuation with a meaning in Markdown is backslash-escaped, so no raw HTML
    or typst, link, emphasis, citation, math, span or shortcode comes of it;
    runs of blanks and line breaks become one space, so the text stays within
    the paragraph, list item or blockquote line it is put in, also at the start
    of a line.
    """
    text = _LINE_WHITESPACE.sub(" ", str(value)).strip(" ")
    return "".join(f"\\{char}" if char in _ESCAPED else char for char in text)


def markdown_code(value: object) -> str:
    """``value`` as an inline code span shown exactly as it is (on one line), whatever backticks it holds."""
    text = _LINE_WHITESPACE.sub(" ", str(value)).strip(" ")
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    # A span that starts or ends with a backtick needs a space between it and the fence (pandoc strips one).
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"
