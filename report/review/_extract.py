"""Extraction stage: rendered HTML pages -> frozen blocks to compare.

Only the main content of a page is read (Quarto puts it in
``main#quarto-document-content``); navigation, search and scripts are not
part of what a reviewer reads. Cross-reference link text, section numbers
and caption numbers are normalised here, so that numbering that shifted
because something was inserted above does not compare as a change.
"""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.parse
from pathlib import Path

import lxml.html
from lxml import etree

from report.review._model import Block, Figure, Page, Table, TextBlock, ref_token, restore_refs

TEXT_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "pre", "caption"}
SKIP_TAGS = {"script", "style", "nav", "noscript", "template", "button", "form", "input"}
SKIP_CLASSES = {
    "header-section-number", "chapter-number", "anchorjs-link", "quarto-title-meta", "footnote-back",
}
# Elements that hold blocks of their own; their text is emitted separately.
BLOCKISH = TEXT_TAGS | {
    "div", "section", "article", "aside", "header", "footer", "main", "ul", "ol",
    "dl", "table", "figure", "blockquote", "figcaption", "details", "summary", "hr",
}
MEDIA_TYPES = {
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
    ".pdf": "application/pdf",
}
# "Figuur 3.2: ", "Figure A.1. ", "Tabel 4: " -- the number is assigned by
# position, so it is not part of what the author wrote.
CAPTION_NUMBER = re.compile(r"^\s*[^\W\d_]+\s+(?:[A-Z]|\d+)(?:[.\-]\d+)*\s*[:.]\s*")
SPACE = re.compile(r"\s+")


class PageError(ValueError):
    """A page that cannot be read as a rendered book page."""


def list_pages(book_dir: Path) -> list[str]:
    """HTML pages of a rendered book in reading order, relative with '/' separators.

    The order is the book's own: the index, then the pages in the order its
    navigation links to them; pages it does not link to come last, by name.
    """
    pages = []
    for path in book_dir.rglob("*.html"):
        rel = path.relative_to(book_dir).as_posix()
        if rel.startswith("site_libs/") or "/site_libs/" in rel or "_files/" in rel:
            continue
        pages.append(rel)
    order = {"index.html": 0}
    index = book_dir / "index.html"
    if index.is_file():
        for link in lxml.html.fromstring(index.read_bytes()).iter("a"):
            href = urllib.parse.urlsplit(link.get("href") or "")
            if href.scheme or href.netloc or not href.path.endswith(".html"):
                continue
            target = urllib.parse.unquote(href.path).lstrip("./")
            order.setdefault(target, len(order))
    return sorted(pages, key=lambda rel: (order.get(rel, len(order)), rel))


def read_page(book_dir: Path, rel: str) -> Page:
    path = book_dir / rel
    try:
        tree = lxml.html.fromstring(path.read_bytes())
    except (etree.ParserError, ValueError) as error:
        raise PageError(f"{path}: not a readable HTML page ({error})") from error
    main = _main_element(tree)
    title = _title(tree, main)
    section_id = next(
        (el.get("id") for el in main.iter() if isinstance(el.tag, str)
         and (el.get("id") or "").startswith("sec-")),
        "",
    )
    notes = {
        el.get("id"): _plain_text(el)
        for el in tree.iter() if isinstance(el.tag, str) and el.get("id")
        and (el.get("role") in ("doc-endnote", "doc-footnote") or re.fullmatch(r"fn\d+", el.get("id")))
    }
    extractor = _Extractor(path.parent, notes)
    extractor.walk(main)
    return Page(path=rel, title=title, section_id=section_id, blocks=tuple(extractor.blocks))


def _main_element(tree):
    for xpath in ('//main[@id="quarto-document-content"]', "//main", "//body"):
        found = tree.xpath(xpath)
        if found:
            return found[0]
    return tree


def _title(tree, main) -> str:
    for el in main.iter("h1"):
        text = _plain_text(el)
        if text:
            return text
    titles = tree.xpath("//title")
    return _clean(titles[0].text_content()) if titles else ""


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _clean(text: str) -> str:
    return SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def _plain_text(el) -> str:
    """The text as a reader sees it: cross-references show their rendered text ("Paragraaf 2.4")."""
    parts: list[str] = []
    refs: dict[str, str] = {}
    _inline_text(el, parts, refs, skip_blocks=False)
    return _clean(restore_refs("".join(parts), refs))


def _caption(el) -> tuple[str, str]:
    """(number, caption) of a figure or table caption: "Tabel 4.1: Kerncijfers" -> ("Tabel 4.1", "Kerncijfers")."""
    text = _plain_text(el)
    match = CAPTION_NUMBER.match(text)
    if not match:
        return "", text
    return match.group(0).strip().rstrip(":.").strip(), text[match.end():]


def _inline_text(el, parts: list[str], refs: dict[str, str], skip_blocks: bool,
                 notes: dict[str, str] | None = None) -> None:
    """Text of ``el``'s inline content, with cross-references tokenised.

    Footnote markers are tokenised by the text of their note, since their
    numbers shift when a note is added above them.
    """
    if el.text:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str) and not _skipped(child):
            if skip_blocks and child.tag in BLOCKISH:
                pass
            elif child.tag == "a" and ("quarto-xref" in _classes(child) or child.get("role") == "doc-biblioref"):
                # Cross-references and citations (numeric styles renumber them too) compare by target.
                target = (child.get("href") or "").rpartition("#")[2] or _clean(child.text_content())
                token = ref_token(target)
                refs[token] = _clean(child.text_content())
                parts.append(token)
            elif child.tag == "a" and ("footnote-ref" in _classes(child) or child.get("role") == "doc-noteref"):
                target = (child.get("href") or "").rpartition("#")[2]
                note = (notes or {}).get(target, target)
                token = ref_token("note:" + hashlib.sha256(note.encode()).hexdigest()[:12])
                refs[token] = _clean(child.text_content())
                parts.append(token)
            elif child.tag == "br":
                parts.append(" ")
            elif child.tag == "img":
                parts.append(child.get("alt") or "")
            else:
                _inline_text(child, parts, refs, skip_blocks=False, notes=notes)
        if child.tail:
            parts.append(child.tail)


def _skipped(el) -> bool:
    return el.tag in SKIP_TAGS or bool(_classes(el) & SKIP_CLASSES) or el.get("hidden") is not None


class _Extractor:
    def __init__(self, page_dir: Path, notes: dict[str, str]):
        self.page_dir = page_dir
        self.notes = notes
        self.blocks: list[Block] = []

    def walk(self, el, inside_text: bool = False) -> None:
        for child in el:
            if not isinstance(child.tag, str) or _skipped(child):
                continue
            if inside_text and child.tag not in BLOCKISH:
                continue  # inline content, already part of the enclosing block
            ident = child.get("id") or ""
            if ident.startswith("fig-") or (child.tag == "figure" and not ident.startswith("tbl-")):
                self.blocks.append(self._figure(child, ident))
            elif ident.startswith("tbl-") or child.tag == "table":
                self.blocks.append(self._table(child, ident))
            elif "csl-entry" in _classes(child):
                # A reference-list entry is one block, whatever spans or divs the citation style puts inside it.
                self._whole_text(child)
            elif child.tag in TEXT_TAGS and child.tag != "caption":
                self._text(child, child.tag)
                self.walk(child, inside_text=True)  # nested lists inside a list item
            else:
                if _has_own_text(child):
                    self._text(child, "p")
                self.walk(child)

    def _text(self, el, kind: str) -> None:
        parts: list[str] = []
        refs: dict[str, str] = {}
        _inline_text(el, parts, refs, skip_blocks=True, notes=self.notes)
        norm = _clean("".join(parts))
        if norm:
            anchor = el.get("id") or ""
            self.blocks.append(TextBlock(kind=kind, norm=norm, refs=tuple(refs.items()), anchor=anchor))

    def _whole_text(self, el) -> None:
        parts: list[str] = []
        refs: dict[str, str] = {}
        _inline_text(el, parts, refs, skip_blocks=False, notes=self.notes)
        norm = _clean("".join(parts))
        if norm:
            self.blocks.append(TextBlock(kind="p", norm=norm, refs=tuple(refs.items()), anchor=el.get("id") or ""))

    def _figure(self, el, ident: str) -> Figure:
        images = []
        for img in el.iter("img", "{http://www.w3.org/2000/svg}svg", "svg"):
            if img.tag == "img":
                images.append(self._image(img.get("src") or ""))
            else:
                images.append(("image/svg+xml", etree.tostring(img)))
        captions = list(el.iter("figcaption"))
        number, caption = _caption(captions[0]) if captions else ("", "")
        alts = [img.get("alt") or "" for img in el.iter("img")]
        label = ident or _first_src_name(el) or caption
        digest = hashlib.sha256()
        for media_type, data in images:
            digest.update(media_type.encode())
            digest.update(hashlib.sha256(_stable_image(media_type, data)).digest())
        return Figure(
            label=label, caption=caption, alt=" | ".join(a for a in alts if a),
            images=tuple(images), digest=digest.hexdigest(), number=number,
        )

    def _image(self, src: str) -> tuple[str, bytes]:
        if src.startswith("data:"):
            header, _, payload = src.partition(",")
            media_type = header[5:].split(";")[0] or "application/octet-stream"
            data = base64.b64decode(payload) if ";base64" in header else urllib.parse.unquote_to_bytes(payload)
            return media_type, data
        rel = urllib.parse.unquote(urllib.parse.urlsplit(src).path)
        path = (self.page_dir / rel).resolve()
        media_type = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
        try:
            return media_type, path.read_bytes()
        except OSError:
            # A missing image still has an identity: compare by its address.
            return "text/x-missing-image", src.encode()

    def _table(self, el, ident: str) -> Table:
        tables = [el] if el.tag == "table" else list(el.iter("table"))
        rows: list[tuple[str, ...]] = []
        header_rows = 0
        if tables:
            table = tables[0]
            for tr in table.iter("tr"):
                cells = tuple(_plain_text(cell) for cell in tr if cell.tag in ("td", "th"))
                if cells:
                    rows.append(cells)
                    parent = tr.getparent()
                    if parent is not None and parent.tag == "thead":
                        header_rows += 1
        captions = [c for c in el.iter("figcaption", "caption")]
        number, caption = _caption(captions[0]) if captions else ("", "")
        label = ident or "table:" + " | ".join(rows[0] if rows else ()) or caption
        return Table(label=label, caption=caption, rows=tuple(rows), header_rows=header_rows, number=number)


def _has_own_text(el) -> bool:
    if el.tag in ("ul", "ol", "dl", "table", "tr", "thead", "tbody", "tfoot"):
        return False
    if el.text and el.text.strip():
        return True
    return any(
        (child.tail and child.tail.strip())
        or (isinstance(child.tag, str) and child.tag not in BLOCKISH and not _skipped(child))
        for child in el
    )


def _first_src_name(el) -> str:
    for img in el.iter("img"):
        src = img.get("src") or ""
        if src and not src.startswith("data:"):
            return Path(urllib.parse.urlsplit(src).path).name
    return ""


_SVG_METADATA = re.compile(rb"<metadata>.*?</metadata>", re.S)
_SVG_ID_USE = re.compile(rb'(id="|#)([^"\s)]+)')


def _stable_image(media_type: str, data: bytes) -> bytes:
    """Image bytes with volatile parts removed, for comparison only.

    SVG writers such as matplotlib stamp a creation date and random element
    ids into every file; neither is a change a reviewer can see.
    """
    if media_type != "image/svg+xml":
        return data
    data = _SVG_METADATA.sub(b"", data)
    ids: dict[bytes, bytes] = {}
    for match in re.finditer(rb'\bid="([^"]+)"', data):
        ids.setdefault(match.group(1), b"i%d" % len(ids))

    def stable(match: re.Match) -> bytes:
        return match.group(1) + ids.get(match.group(2), match.group(2))

    return _SVG_ID_USE.sub(stable, data)
