"""ANSI escape codes in cell output, as Quarto shows them.

HTML: ``<pre>`` with ``<span class="ansi-red-fg ansi-bold">`` (the classes of ansi_up, which Quarto uses), and
``style="color:rgb(...)"`` for 256-colour and true-colour codes. Other formats: the escapes are stripped.
"""

from __future__ import annotations

import html
import re

__all__ = ["has_ansi", "strip_ansi", "ansi_html"]

# SGR sequences carry the colours; any other CSI sequence (cursor moves, erase line) is dropped.
ESCAPE = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])")
COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_CUBE = (0, 95, 135, 175, 215, 255)
_SYSTEM = ((0, 0, 0), (187, 0, 0), (0, 187, 0), (187, 187, 0), (0, 0, 187), (187, 0, 187), (0, 187, 187),
           (255, 255, 255), (85, 85, 85), (255, 85, 85), (0, 255, 0), (255, 255, 85), (85, 85, 255),
           (255, 85, 255), (85, 255, 255), (255, 255, 255))


def has_ansi(text: str) -> bool:
    return "\x1b[" in text


def strip_ansi(text: str) -> str:
    return ESCAPE.sub("", text)


def _palette(index: int) -> tuple[int, int, int]:
    """xterm's 256 colours."""
    if index < 16:
        return _SYSTEM[index]
    if index < 232:
        index -= 16
        return _CUBE[index // 36], _CUBE[(index // 6) % 6], _CUBE[index % 6]
    grey = 8 + (index - 232) * 10
    return grey, grey, grey


class _State:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.fg: str | tuple[int, int, int] | None = None  # a class name part or an rgb triple
        self.bg: str | tuple[int, int, int] | None = None
        self.bold = self.italic = self.underline = False

    def apply(self, codes: list[int]) -> None:
        position = 0
        while position < len(codes):
            code = codes[position]
            position += 1
            if code == 0:
                self.reset()
            elif code == 1:
                self.bold = True
            elif code == 3:
                self.italic = True
            elif code == 4:
                self.underline = True
            elif code == 22:
                self.bold = False
            elif code == 23:
                self.italic = False
            elif code == 24:
                self.underline = False
            elif 30 <= code <= 37:
                self.fg = COLOURS[code - 30]
            elif 90 <= code <= 97:
                self.fg = "bright-" + COLOURS[code - 90]
            elif 40 <= code <= 47:
                self.bg = COLOURS[code - 40]
            elif 100 <= code <= 107:
                self.bg = "bright-" + COLOURS[code - 100]
            elif code == 39:
                self.fg = None
            elif code == 49:
                self.bg = None
            elif code in (38, 48) and position < len(codes):
                colour, position = _extended(codes, position)
                if colour is not None:
                    if code == 38:
                        self.fg = colour
                    else:
                        self.bg = colour

    def open_tag(self) -> str:
        classes, styles = [], []
        for value, kind, css in ((self.fg, "fg", "color"), (self.bg, "bg", "background-color")):
            if isinstance(value, str):
                classes.append(f"ansi-{value}-{kind}")
            elif value is not None:
                styles.append(f"{css}:rgb({value[0]},{value[1]},{value[2]})")
        if self.bold:
            classes.append("ansi-bold")
        if self.italic:
            styles.append("font-style:italic")
        if self.underline:
            styles.append("text-decoration:underline")
        if not classes and not styles:
            return ""
        return ("<span" + (f' class="{" ".join(classes)}"' if classes else "")
                + (f' style="{";".join(styles)}"' if styles else "") + ">")


def _extended(codes: list[int], position: int) -> tuple[tuple[int, int, int] | None, int]:
    """`5;N` (256 colours) or `2;R;G;B` (true colour) after a 38 or 48."""
    mode = codes[position]
    if mode == 5 and position + 1 < len(codes):
        return _palette(max(0, min(255, codes[position + 1]))), position + 2
    if mode == 2 and position + 3 < len(codes):
        red, green, blue = (max(0, min(255, value)) for value in codes[position + 1:position + 4])
        return (red, green, blue), position + 4
    return None, len(codes)


def ansi_html(text: str) -> str:
    """The text as HTML (without the enclosing ``<pre>``): escaped, coloured runs in spans."""
    state = _State()
    pieces: list[str] = []
    position = 0

    def emit(chunk: str) -> None:
        if not chunk:
            return
        tag = state.open_tag()
        pieces.append(f"{tag}{html.escape(chunk, quote=False)}</span>" if tag else html.escape(chunk, quote=False))

    for match in ESCAPE.finditer(text):
        emit(text[position:match.start()])
        position = match.end()
        if match.group(2) == "m":
            parameters = match.group(1).replace("?", "")
            state.apply([int(part) if part else 0 for part in parameters.split(";")] if parameters else [0])
    emit(text[position:])
    return "".join(pieces)
