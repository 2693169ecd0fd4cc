"""The shortcodes Quarto ships as extensions of its own: `video`, `lipsum`, `placeholder`, `version`, `contents`.

Each gives what Quarto's Lua writes (quarto-cli src/resources/extensions/quarto/*), written here in Python:

- `video`: in HTML a YouTube or Vimeo iframe, else a `<video>` element, with its title, in a
  `div.quarto-video` that keeps the aspect ratio (`aspect-ratio=4x3`; 16x9 by default) unless a width or
  height is given; in the PDF a link to the video, shown by its title (Quarto shows the address).
- `lipsum`: placeholder paragraphs (5 by default, `{{< lipsum 2 >}}`, ranges `1-3`); `random=true` starts at
  a random paragraph, as Quarto; otherwise the same text each render.
- `placeholder`: a grey image of the given size, `{{< placeholder 400 200 format=svg >}}` (as an image's address,
  `![]({{< placeholder >}})`, its data: URI only, as Quarto's text context); PNG (the default)
  is drawn here rather than fetched from a web service as Quarto does, and carries no size text. In the PDF,
  typst draws the same grey box with its size (1 px = 0.75 pt). As an image's address (`![]({{< placeholder >}})`)
  it is the data URI alone, as in Quarto.
- `version`: the Quarto version whose behaviour this engine mirrors (QUARTO_VERSION).
- `contents`: the Div or Span with that id moves here (report.document.shortcode_nodes).

`brand` is left to the brand.yml support: BRAND_HOOK names where it plugs in.
"""

from __future__ import annotations

import base64
import json
import random
import re
import struct
import zlib
from html import escape
from pathlib import Path
from typing import Callable

from report.document.lua_filters import effects_block
from report.document.shortcode_nodes import contents_marker, nodes_marker

__all__ = ["BUILTIN", "QUARTO_VERSION", "expand_builtin"]

QUARTO_VERSION = "1.8.26"  # the Quarto release this engine follows (options schema and smoke tests of 2025)
BUILTIN = ("video", "lipsum", "placeholder", "version", "contents")
ASPECT_RATIOS = ("1x1", "4x3", "16x9", "21x9")

Error = Callable[[str], Exception]


def expand_builtin(name: str, arguments: list[str], keywords: dict[str, str], line: int, error: Error,
                   in_target: bool = False) -> str:
    """The Markdown that stands for built-in shortcode ``name``; ``in_target``: it stands as a link or image
    target (`![](...)`), where Quarto's shortcodes give text, not elements."""
    if name == "version":
        return QUARTO_VERSION
    if name == "lipsum":
        return _lipsum(arguments, keywords)
    if name == "placeholder":
        return _placeholder(arguments, keywords, error, in_target)
    if name == "contents":
        if len(arguments) != 1:
            raise error("contents takes one id: {{< contents ID >}}")
        return contents_marker(arguments[0].lstrip("#"), line)
    return _video(arguments, keywords, error)


def _video(arguments: list[str], keywords: dict[str, str], error: Error) -> str:
    source = keywords.get("src") or (arguments[0] if arguments else "")
    if not source:
        raise error("video needs a source: {{< video URL >}} or {{< video src=URL >}}")
    title = keywords.get("title")
    width, height, start = keywords.get("width"), keywords.get("height"), keywords.get("start")
    ratio = keywords.get("aspectRatio") or keywords.get("aspect-ratio")
    size = (f' width="{escape(width)}"' if width else "") + (f' height="{escape(height)}"' if height else "")
    label = escape(title or "", quote=True)
    youtube = re.match(r"https://(?:www\.youtube(?:-nocookie)?\.com/embed/|youtu\.be/)(.+)$", source) or \
        re.search(r"\?v=([^&]+)", source)
    vimeo = re.match(r"https://vimeo\.com/(.+)$", source)
    video_js = False
    if youtube:
        address = f"https://www.youtube.com/embed/{youtube.group(1)}" + (f"?start={start}" if start else "")
        snippet = (f'<iframe data-external="1" src="{escape(address)}"{size} title="{label}" frameborder="0" '
                   'allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture" '
                   'allowfullscreen></iframe>')
    elif source.startswith("https://players.brightcove.net"):
        snippet = (f'<iframe data-external="1" src="{escape(source)}"{size} allowfullscreen="" title="{label}" '
                   'allow="encrypted-media"></iframe>')
    elif vimeo:
        snippet = (f'<iframe data-external="1" src="https://player.vimeo.com/video/{escape(vimeo.group(1))}"{size} '
                   f'frameborder="0" allow="autoplay; fullscreen; picture-in-picture" title="{label}" '
                   'allowfullscreen></iframe>')
    else:
        # Quarto loads video.js for a file; the browser's own <video> controls are accessible without it.
        video_js = True
        snippet = f'<video{size} controls preload="auto" title="{label}"><source src="{escape(source)}"></video>'
    responsive = not width and not height and not video_js
    ratio_class = f"ratio-{ratio}" if ratio in ASPECT_RATIOS else "ratio-16x9"
    classes = f"quarto-video ratio {ratio_class}" if responsive else "quarto-video"
    html = f'<div class="{classes}">{snippet}</div>'
    shown = title or source
    typst_link = f'#link("{_typst_string(source)}")[{_typst_markup(shown)}]'
    blocks = [{"t": "RawBlock", "c": ["html", html]}, {"t": "RawBlock", "c": ["typst", typst_link]}]
    if responsive:  # Bootstrap's ratio rules, which Quarto's pages have and this engine's do not
        blocks.append(effects_block({"includes": [{"location": "in-header", "text": RATIO_CSS}]}))
    return nodes_marker(blocks=blocks)


RATIO_CSS = ("<style>.quarto-video.ratio{position:relative;width:100%}.quarto-video.ratio::before{display:block;"
             "content:\"\";padding-top:var(--report-video-ratio)}.quarto-video.ratio>*{position:absolute;top:0;"
             "left:0;width:100%;height:100%}.ratio-1x1{--report-video-ratio:100%}.ratio-4x3{--report-video-ratio:75%}"
             ".ratio-16x9{--report-video-ratio:56.25%}.ratio-21x9{--report-video-ratio:42.857%}</style>")


def _typst_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _typst_markup(text: str) -> str:
    return re.sub(r"([\\#\[\]*_`$<>@~/])", r"\\\1", text)


# The placeholder paragraphs Quarto's lipsum shortcode shows (the classical "Lorem ipsum" text, as lipsum.json in
# quarto-cli's lipsum extension, MIT licence), so a page shows the same words under Quarto and here.
_LIPSUM = json.loads((Path(__file__).with_name("lipsum.json")).read_text(encoding="utf-8"))
_PARAGRAPHS = len(_LIPSUM)


def _paragraph(number: int) -> str:
    return _LIPSUM[number - 1]


def _lipsum(arguments: list[str], keywords: dict[str, str]) -> str:
    start, end = 1, 5
    randomised = keywords.get("random") == "true"
    if arguments:
        ranged = re.search(r"(\d+)-(\d+)", arguments[0])
        bare = re.fullmatch(r"\d+", arguments[0])
        if ranged:
            start, end = int(ranged.group(1)), int(ranged.group(2))
        elif bare:
            if randomised:
                start = random.randint(1, _PARAGRAPHS)
            end = start + int(arguments[0]) - 1
    step = 1 if end >= start else -1
    numbers = [((number - 1) % (_PARAGRAPHS - 1)) + 1 for number in range(start, end + step, step)]
    # Paragraphs, separated as Markdown wants; a marker keeps them to the shortcode's one line.
    return nodes_marker(blocks=[{"t": "Para", "c": _text_inlines(_paragraph(number))} for number in numbers])


def _text_inlines(text: str) -> list[dict]:
    inlines: list[dict] = []
    for index, word in enumerate(text.split(" ")):
        if index:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Str", "c": word})
    return inlines


def _placeholder(arguments: list[str], keywords: dict[str, str], error: Error, in_target: bool = False) -> str:
    width = arguments[0] if arguments else "100"
    height = arguments[1] if len(arguments) > 1 else width
    if not (width.isdigit() and height.isdigit()) or int(width) == 0 or int(height) == 0:
        raise error(f"placeholder: width and height must be whole numbers of pixels, not '{width}' and '{height}'")
    if keywords.get("format") == "svg":
        font = int(0.1 * min(int(width), int(height)))
        svg = (f'<svg width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" '
               f'viewBox="0 0 {width} {height}"><rect width="{width}" height="{height}" fill="#ddd" />'
               f'<text x="50%" y="50%" font-family="sans-serif" font-size="{font}" fill="#000" '
               f'text-anchor="middle">{width} x {height}</text></svg>')
        uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    else:
        uri = "data:image/png;base64," + base64.b64encode(_grey_png(int(width), int(height))).decode("ascii")
    if in_target:  # `![](<placeholder>)`: the image's address alone, as Quarto gives it in text
        return uri
    # The PDF draws the same grey box in typst (typst cannot show a data: URI image).
    font = max(1, int(0.1 * min(int(width), int(height)))) * 0.75
    box = (f'#box(width: {int(width) * 0.75}pt, height: {int(height) * 0.75}pt, fill: rgb("#dddddd"), '
           f'align(center + horizon, text(size: {font}pt, fill: black)[{width} x {height}]))')
    return f'[![]({uri})]{{.content-visible when-format="html"}}{_raw_typst(box)}'


def _raw_typst(text: str) -> str:
    return f"`{text}`{{=typst}}"


def _grey_png(width: int, height: int) -> bytes:
    """A width x height PNG of Quarto's placeholder grey (#ddd)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xdd" * width for _ in range(height))  # grey, one byte per pixel
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
