"""Rendering stage: a BookDiff -> one self-contained HTML redline.

Everything the page needs (styles, changed figures as data URIs) is inside
the file, so it can be mailed, archived or opened offline. Nothing in it
depends on the time of rendering: the same two books give the same bytes.
"""

from __future__ import annotations

import base64
import html
import re

from report.review._align import Entry, PageDiff
from report.review._book import BookDiff
from report.review._model import REF_CLOSE, REF_OPEN, Figure, Table, TextBlock, restore_refs
from report.review._numbers import is_number
from report.review._prose import diff_prose
from report.review._tables import TableDiff

CONTEXT = 2  # unchanged blocks shown before and after a change

LABELS = {
    "en": {
        "title": "Changes", "summary": "Summary", "chapter": "Chapter",
        "status": "Status", "paragraphs": "Paragraphs", "moved": "Moved",
        "numbers": "Numbers", "figures": "Figures", "tables": "Tables",
        "total": "Total", "no_changes": "No changes.",
        "changed": "changed", "added": "added", "removed": "removed",
        "changed_numbers": "Changed numbers", "old": "Old", "new": "New",
        "context": "In", "before": "Before", "after": "After",
        "moved_here": "Moved here", "moved_away": "Moved; see its new place",
        "figure_same": "Figure unchanged", "table_same": "Table unchanged",
        "figure": "Figure", "table": "Table", "caption": "Caption",
        "unchanged": "{n} unchanged blocks",
        "legend": "Inserted text is underlined, deleted text struck through; "
                  "changed numbers are shown as old → new.",
        "previous_change": "Previous change", "next_change": "Next change", "changes_only": "Changes only",
        "keys": "Keys: j or n next change, k or p previous change.", "commits": "Commits to this chapter",
    },
    "nl": {
        "title": "Wijzigingen", "summary": "Overzicht", "chapter": "Hoofdstuk",
        "status": "Status", "paragraphs": "Alinea's", "moved": "Verplaatst",
        "numbers": "Getallen", "figures": "Figuren", "tables": "Tabellen",
        "total": "Totaal", "no_changes": "Geen wijzigingen.",
        "changed": "gewijzigd", "added": "toegevoegd", "removed": "verwijderd",
        "changed_numbers": "Gewijzigde getallen", "old": "Oud", "new": "Nieuw",
        "context": "In", "before": "Voor", "after": "Na",
        "moved_here": "Hierheen verplaatst", "moved_away": "Verplaatst; zie de nieuwe plek",
        "figure_same": "Figuur ongewijzigd", "table_same": "Tabel ongewijzigd",
        "figure": "Figuur", "table": "Tabel", "caption": "Bijschrift",
        "unchanged": "{n} ongewijzigde blokken",
        "legend": "Ingevoegde tekst is onderstreept, verwijderde tekst doorgehaald; "
                  "gewijzigde getallen staan als oud → nieuw.",
        "previous_change": "Vorige wijziging", "next_change": "Volgende wijziging", "changes_only": "Alleen wijzigingen",
        "keys": "Toetsen: j of n volgende wijziging, k of p vorige wijziging.",
        "commits": "Commits aan dit hoofdstuk",
    },
}

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2.5rem}
table.summary,table.numbers{border-collapse:collapse;width:100%;margin:1rem 0}
.summary th,.summary td,.numbers th,.numbers td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
.summary .n{text-align:right;font-variant-numeric:tabular-nums}
ins{background:#d7f5dd;color:#064e1a;text-decoration:underline}
del{background:#fbdada;color:#7a0b0b;text-decoration:line-through}
.num{background:#fff1b8;border:1px solid #e0b400;border-radius:3px;padding:0 .2rem;white-space:nowrap;font-weight:600}
.num del,.num ins{background:none}
.block{margin:.6rem 0;padding:.2rem .6rem;border-left:4px solid transparent}
.same{color:#666}
.changed{border-left-color:#e0b400}.added{border-left-color:#1a7f37;background:#f1fbf3}
.removed{border-left-color:#cf222e;background:#fdf2f2}.moved{border-left-color:#0969da;background:#f1f6fd}
.moved-away{border-left-color:#0969da;color:#0969da;font-style:italic}
.tag{font-size:.75rem;text-transform:uppercase;letter-spacing:.04em;color:#555;margin-right:.4rem}
.heading{font-weight:700;font-size:1.1rem}
.figures{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.figures figure{margin:0;border:1px solid #ddd;padding:.5rem}.figures img{max-width:100%;height:auto}
.figures figcaption{font-size:.85rem;color:#444}
table.cells{border-collapse:collapse;margin:.5rem 0;table-layout:auto;max-width:100%}
.cells td,.cells th{border:1px solid #ccc;padding:.2rem .5rem;vertical-align:top;max-width:24rem;overflow-wrap:anywhere}
.cells td .num{white-space:normal}
nav.changes{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:.4rem 0;z-index:1}
nav.changes button{margin-right:.4rem}.block.current{outline:2px solid #0969da;outline-offset:2px}
body.changes-only .block.same,body.changes-only details.unchanged{display:none}
ul.commits{font-size:.85rem;color:#444}ul.commits code{font-size:.8rem}
.cells tr.added td{background:#d7f5dd}.cells tr.removed td{background:#fbdada;text-decoration:line-through}
.cells td.changed{background:#fff1b8}.cells td.added{background:#d7f5dd}.cells td.removed{background:#fbdada}
.legend{color:#555;font-size:.9rem}
details.unchanged{margin:.6rem 0;color:#666}details.unchanged>summary{cursor:pointer;font-size:.85rem}
"""


# Next/previous change by keyboard (j/n, k/p) and buttons; "changes only" hides unchanged blocks.
SCRIPT = """
(function(){
  var changes=[].slice.call(document.querySelectorAll(".page .block:not(.same)"));
  var current=-1;
  function go(step){
    if(!changes.length)return;
    if(current>=0)changes[current].classList.remove("current");
    current=Math.min(changes.length-1,Math.max(0,current+step));
    var block=changes[current];
    var folded=block.closest("details");if(folded)folded.open=true;
    block.classList.add("current");block.setAttribute("tabindex","-1");
    block.scrollIntoView({block:"center"});block.focus({preventScroll:true});
  }
  document.getElementById("next-change").addEventListener("click",function(){go(1);});
  document.getElementById("previous-change").addEventListener("click",function(){go(-1);});
  document.getElementById("changes-only").addEventListener("change",function(event){
    document.body.classList.toggle("changes-only",event.target.checked);
  });
  document.addEventListener("keydown",function(event){
    if(event.ctrlKey||event.metaKey||event.altKey)return;
    var tag=(event.target.tagName||"").toLowerCase();if(tag==="input"||tag==="textarea")return;
    if(event.key==="j"||event.key==="n"){go(1);event.preventDefault();}
    else if(event.key==="k"||event.key==="p"){go(-1);event.preventDefault();}
  });
})();
"""


def render_redline(book: BookDiff) -> str:
    text = LABELS.get(book.lang, LABELS["en"])
    e = html.escape
    title = f"{text['title']}: {book.old_label} → {book.new_label}"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(book.lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f'<p class="legend">{e(text["legend"])} {e(text["keys"])}</p>',
        '<nav class="changes" aria-label="changes">'
        f'<button type="button" id="previous-change" accesskey="k">{e(text["previous_change"])}</button>'
        f'<button type="button" id="next-change" accesskey="j">{e(text["next_change"])}</button>'
        f'<label><input type="checkbox" id="changes-only"> {e(text["changes_only"])}</label></nav>',
        f'<section id="summary"><h2>{e(text["summary"])}</h2>',
    ]
    out.append(_summary_table(book, text))
    out.append(_numbers_table(book, text))
    out.append(_changed_blocks(book, text))
    out.append("</section>")
    for page in book.changed_pages:
        out.append(_page(page, text, book.commits.get(page.path, ())))
    out.append(f"<script>{SCRIPT}</script>")
    out.append("</body></html>\n")
    return "\n".join(out)


def page_anchor(page: PageDiff) -> str:
    return path_anchor(page.path)


def path_anchor(path: str) -> str:
    return "page-" + re.sub(r"[^A-Za-z0-9_-]+", "-", path.removesuffix(".html"))


def block_anchor(path: str, anchor: str) -> str:
    """The id of a block in the redline (see _entry)."""
    return f"{path_anchor(path)}-{anchor}" if anchor else path_anchor(path)


def _commits(commits, text: dict[str, str]) -> str:
    if not commits:
        return ""
    e = html.escape
    items = "".join(f"<li><code>{e(c.short)}</code> {e(c.date)} {e(c.author)}: {e(c.subject)}</li>" for c in commits)
    return f'<p class="tag">{e(text["commits"])}</p><ul class="commits">{items}</ul>'



def _summary_table(book: BookDiff, text: dict[str, str]) -> str:
    e = html.escape
    if not book.changed_pages:
        return f"<p>{e(text['no_changes'])}</p>"
    columns = ("paragraphs", "moved", "numbers", "figures", "tables")
    rows = [
        "<table class=\"summary\"><thead><tr>"
        f"<th>{e(text['chapter'])}</th><th>{e(text['status'])}</th>"
        + "".join(f"<th>{e(text[c])}</th>" for c in columns)
        + "</tr></thead><tbody>"
    ]
    for page in book.changed_pages:
        rows.append(
            f'<tr><td><a href="#{page_anchor(page)}">{e(page.title or page.path)}</a></td>'
            f"<td>{e(text[page.status])}</td>"
            + "".join(f'<td class="n">{getattr(page.counts, c)}</td>' for c in columns)
            + "</tr>"
        )
    totals = book.totals
    rows.append(
        f"<tr><th>{e(text['total'])}</th><th>{len(book.changed_pages)}</th>"
        + "".join(f'<th class="n">{getattr(totals, c)}</th>' for c in columns)
        + "</tr></tbody></table>"
    )
    return "".join(rows)


def _numbers_table(book: BookDiff, text: dict[str, str]) -> str:
    e = html.escape
    rows = [
        f'<tr><td><a href="#{page_anchor(page)}">{e(page.title or page.path)}</a></td>'
        f'<td><a href="#{block_anchor(page.path, n.anchor)}"><span class="num"><del>{e(n.old)}</del> → '
        f"<ins>{e(n.new)}</ins></span></a></td>"
        f"<td>{e(n.context)}</td></tr>"
        for page in book.changed_pages for n in page.numbers
    ]
    if not rows:
        return ""
    return (
        f'<h3>{e(text["changed_numbers"])}</h3><table class="numbers"><thead><tr>'
        f"<th>{e(text['chapter'])}</th><th>{e(text['old'])} → {e(text['new'])}</th>"
        f"<th>{e(text['context'])}</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _changed_blocks(book: BookDiff, text: dict[str, str]) -> str:
    """The changed figures and tables by number and caption, each linked to its place in the redline."""
    e = html.escape
    out = []
    for kind, heading in (("figure", "figures"), ("table", "tables")):
        items = [
            f'<li><a href="#{block_anchor(page.path, entry.anchor)}">{e(entry.block.name)}</a> '
            f'<span class="tag">{e(text[entry.kind if entry.kind in ("added", "removed") else "changed"])}</span></li>'
            for page in book.changed_pages for entry in page.entries
            if entry.block_type == kind and entry.content_changed
        ]
        if items:
            out.append(f'<h3>{e(text[heading])}</h3><ul class="changed-{heading}">{"".join(items)}</ul>')
    return "".join(out)


def _page(page: PageDiff, text: dict[str, str], commits=()) -> str:
    e = html.escape
    out = [
        f'<section class="page" id="{page_anchor(page)}">',
        f'<h2>{e(page.title or page.path)} <span class="tag">{e(text[page.status])}</span></h2>',
        _commits(commits, text),
    ]
    prefix = page_anchor(page)
    for kind, run in _runs(page.entries):
        if kind == "same" and len(run) > 2 * CONTEXT + 2:
            # Long unchanged stretches fold away; a few blocks either side keep the context.
            out.extend(_entry(entry, prefix, text) for entry in run[:CONTEXT])
            hidden = run[CONTEXT:-CONTEXT]
            out.append(f'<details class="unchanged"><summary>{e(text["unchanged"].format(n=len(hidden)))}</summary>')
            out.extend(_entry(entry, prefix, text) for entry in hidden)
            out.append("</details>")
            out.extend(_entry(entry, prefix, text) for entry in run[-CONTEXT:])
        else:
            out.extend(_entry(entry, prefix, text) for entry in run)
    out.append("</section>")
    return "\n".join(out)


def _runs(entries) -> list[tuple[str, list[Entry]]]:
    """Consecutive entries grouped into unchanged and changed stretches."""
    runs: list[tuple[str, list[Entry]]] = []
    for entry in entries:
        kind = "same" if entry.kind == "same" else "changed"
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(entry)
        else:
            runs.append((kind, [entry]))
    return runs


def _entry(entry: Entry, prefix: str, text: dict[str, str]) -> str:
    e = html.escape
    anchor = f' id="{prefix}-{entry.anchor}"' if entry.anchor and entry.kind != "moved-away" else ""
    kind = entry.kind
    if kind == "moved-away":
        target = path_anchor(entry.other_page) if entry.other_page else prefix
        return (
            f'<div class="block moved-away"><a href="#{target}-{entry.anchor}">'
            f"{e(text['moved_away'])}</a>: {e(_short(entry.old))}</div>"
        )
    tag = ""
    if kind == "moved":
        source = f' (<a href="#{path_anchor(entry.other_page)}">{e(entry.other_page)}</a>)' if entry.other_page else ""
        tag = f'<span class="tag">{e(text["moved_here"])}</span>{source} '

    if entry.block_type == "figure":
        body = _figure(entry, text)
    elif entry.block_type == "table":
        body = _table(entry, text)
    else:
        body = _text(entry)
    heading = " heading" if isinstance(entry.block, TextBlock) and entry.block.kind.startswith("h") else ""
    return f'<div class="block {kind}{heading}"{anchor}>{tag}{body}</div>'


def _short(block) -> str:
    if isinstance(block, TextBlock):
        words = block.display().split()
        return " ".join(words[:16]) + (" …" if len(words) > 16 else "")
    return block.name


def _text(entry: Entry) -> str:
    e = html.escape
    if entry.kind == "added":
        return f"<ins>{e(entry.new.display())}</ins>"
    if entry.kind == "removed":
        return f"<del>{e(entry.old.display())}</del>"
    if entry.prose is None:
        return e(entry.new.display())
    return _segments(entry.prose, dict(entry.old.refs), dict(entry.new.refs))


def _segments(prose, old_refs: dict[str, str], new_refs: dict[str, str]) -> str:
    e = html.escape
    parts = []
    for s in prose.segments:
        if s.kind == "same":
            parts.append(e(restore_refs(s.new, new_refs)))
        elif s.kind == "del":
            parts.append(f"<del>{e(restore_refs(s.old, old_refs))}</del>")
        elif s.kind == "ins":
            parts.append(f"<ins>{e(restore_refs(s.new, new_refs))}</ins>")
        else:
            parts.append(f'<span class="num"><del>{e(s.old)}</del> → <ins>{e(s.new)}</ins></span>')
    # A token split by the word diff must never show its private-use marks.
    return "".join(parts).replace(REF_OPEN, "").replace(REF_CLOSE, "")


def _numbered(block, kind: str) -> str:
    """"Tabel 4.1" as the book numbers it; the kind and label for an unnumbered one."""
    return block.number or f"{kind} · {block.label}"


def _data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _figure_panel(figure: Figure, label: str) -> str:
    e = html.escape
    images = "".join(
        f'<img src="{_data_uri(media_type, data)}" alt="{e(figure.alt)}">'
        for media_type, data in figure.images
    )
    return f"<figure><figcaption><strong>{e(label)}</strong></figcaption>{images}<figcaption>{e(figure.caption)}</figcaption></figure>"


def _figure(entry: Entry, text: dict[str, str]) -> str:
    e = html.escape
    old, new = entry.old, entry.new
    if entry.kind in ("same", "moved") and old.content == new.content:
        return f'<span class="tag">{e(text["figure_same"])}</span>{e(new.name)}'
    head = f'<span class="tag">{e(_numbered(new or old, text["figure"]))}</span>'
    caption = ""
    if old is not None and new is not None and old.caption != new.caption:
        caption = f"<p>{e(text['caption'])}: {_segments(diff_prose(old.caption, new.caption), {}, {})}</p>"
    if old is not None and new is not None and old.digest == new.digest:
        return head + caption + (f"<p>alt: {_segments(diff_prose(old.alt, new.alt), {}, {})}</p>" if old.alt != new.alt else "")
    panels = []
    panels.append(_figure_panel(old, text["before"]) if old is not None else "<figure></figure>")
    panels.append(_figure_panel(new, text["after"]) if new is not None else "<figure></figure>")
    return f'{head}{caption}<div class="figures">{"".join(panels)}</div>'


def _table(entry: Entry, text: dict[str, str]) -> str:
    e = html.escape
    if entry.kind in ("added", "removed"):
        table: Table = entry.block
        rows = "".join(
            "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in table.rows
        )
        return (f'<span class="tag">{e(_numbered(table, text["table"]))}</span>{e(table.caption)}'
                f'<table class="cells {entry.kind}">{rows}</table>')
    diff: TableDiff | None = entry.table
    if diff is None or not diff.changed:
        return f'<span class="tag">{e(text["table_same"])}</span>{e(entry.new.name)}'
    caption = e(diff.caption) if diff.caption == diff.old_caption else _segments(diff_prose(diff.old_caption, diff.caption), {}, {})
    rows = []
    for row in diff.rows:
        cells = []
        cell_tag = "th" if row.kind == "header" else "td"
        for cell in row.cells:
            if cell.kind == "changed" and is_number(cell.old) and is_number(cell.new):
                content = f'<span class="num"><del>{e(cell.old)}</del> → <ins>{e(cell.new)}</ins></span>'
            elif cell.kind == "changed":  # text marked word by word, as in prose
                content = _segments(diff_prose(cell.old, cell.new), {}, {})
            else:
                content = e(cell.new if cell.kind != "removed" else cell.old)
            cells.append(f'<{cell_tag} class="{cell.kind}">{content}</{cell_tag}>')
        rows.append((row.kind == "header", f'<tr class="{row.kind}">{"".join(cells)}</tr>'))
    head = "".join(row for is_header, row in rows if is_header)
    body = "".join(row for is_header, row in rows if not is_header)
    return (f'<span class="tag">{e(_numbered(entry.new, text["table"]))}</span>{caption}'
            f'<table class="cells">{f"<thead>{head}</thead>" if head else ""}<tbody>{body}</tbody></table>')
