"""The review list as Markdown and as one self-contained, accessible HTML page."""

from __future__ import annotations

import html

from report.comments._model import Comment, Item
from report.comments._review import Review

_KINDS = {"comment": "Comment", "insertion": "Insertion", "deletion": "Deletion", "replacement": "Replacement",
          "move": "Move"}

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a;
  line-height: 1.45; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #767676; padding: .4rem .5rem; vertical-align: top; text-align: left; }
th { background: #eeeeee; }
td p { margin: 0; }
td.date { white-space: nowrap; }
blockquote { margin: 0; padding-left: .6rem; border-left: 3px solid #767676; color: #333333; }
code { font-family: ui-monospace, monospace; }
.status { display: block; margin-top: .3rem; font-size: .9rem; color: #4d4d4d; }
ul.replies { margin: .4rem 0 0; padding-left: 1.2rem; }
"""


def when(date: str) -> str:
    """Word's ISO timestamp, to the minute."""
    return date[:16].replace("T", " ") if date else "no date"


def _who(author: str, initials: str = "") -> str:
    name = author or "unknown author"
    return f"{name} ({initials})" if initials else name


def _counts(review: Review) -> str:
    patched = sum(1 for item in review.changes if item.status == "in changes.patch")
    by_text = sum(1 for item in review.items if item.location and item.location.by_text)
    lost = sum(1 for item in review.items if item.location is None)
    text = (f"{len(review.comments)} comment(s), {len(review.changes)} tracked change(s): {patched} in changes.patch, "
            f"{len(review.changes) - patched} listed only")
    if by_text:
        text += f"; {by_text} located by text (their bookmarks are gone)"
    if lost:
        text += f"; {lost} not found in the sources"
    return text


def _place(item: Item) -> str:
    if item.location is None:
        return f"in {item.generated}" if item.generated else "not found in the sources"
    return f"{item.location}" + (" (located by text)" if item.location.by_text else "")


def _notes(item: Item) -> list[str]:
    notes = []
    if item.computed is not None:
        notes.append(f"on a computed value: {item.computed.describe()}")
    if item.kind != "comment" and item.status:
        notes.append(item.status)
    if item.done:
        notes.append("resolved in Word")
    return notes


def _markdown_reply(reply: Comment) -> str:
    return f"  - reply by {_who(reply.author, reply.initials)}, {when(reply.date)}: {reply.text}"


def render_markdown(review: Review) -> str:
    lines = [f"# Review of {review.docx.name}", "", _counts(review) + ".", ""]
    for chapter in review.chapters():
        heading = f"{chapter.title} (`{chapter.source}`)" if chapter.source else chapter.title
        lines += [f"## {heading}", ""]
        for item in chapter.items:
            lines.append(f"- **{_place(item)}**: {_KINDS[item.kind].lower()} by {_who(item.author, item.initials)}, "
                         f"{when(item.date)}")
            if item.quote:
                lines.append(f"  > {item.quote}")
            lines.append(f"  {item.body}" if item.body else "  (no text)")
            lines += [f"  *{note}*" for note in _notes(item)]
            lines += [_markdown_reply(reply) for reply in item.replies]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _cell(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _html_row(item: Item, lang: str) -> str:
    # A comment's text and the quote are in the document's language, the page around them in English.
    body = f"<p{lang if item.kind == 'comment' else ''}>{_cell(item.body)}</p>" if item.body else "<p>(no text)</p>"
    body += "".join(f'<span class="status">{_cell(note)}</span>' for note in _notes(item))
    if item.replies:
        body += '<ul class="replies">' + "".join(
            f"<li>{_cell(_who(reply.author, reply.initials))}, {_cell(when(reply.date))}: "
            f"<span{lang}>{_cell(reply.text)}</span></li>"
            for reply in item.replies) + "</ul>"
    quote = f"<blockquote{lang}>{_cell(item.quote)}</blockquote>" if item.quote else ""
    return (f"<tr><th scope=\"row\"><code>{_cell(_place(item))}</code></th><td>{_KINDS[item.kind]}</td>"
            f"<td>{quote}</td><td>{body}</td><td>{_cell(_who(item.author, item.initials))}</td>"
            f"<td class=\"date\">{_cell(when(item.date))}</td></tr>")


def render_html(review: Review) -> str:
    title = f"Review of {review.docx.name}"
    parts = ['<!DOCTYPE html>', '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_cell(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", "<main>",
             f"<h1>{_cell(title)}</h1>", f"<p>{_cell(_counts(review))}.</p>"]
    for number, chapter in enumerate(review.chapters(), start=1):
        heading = f"{chapter.title} ({chapter.source})" if chapter.source else chapter.title
        parts += [f'<section aria-labelledby="chapter-{number}">', f'<h2 id="chapter-{number}">{_cell(heading)}</h2>',
                  "<table>", f"<caption>{len(chapter.items)} item(s) in {_cell(chapter.source or 'no source')}"
                  "</caption>",
                  '<thead><tr><th scope="col">Place</th><th scope="col">Kind</th><th scope="col">Quoted text</th>'
                  '<th scope="col">Comment or change</th><th scope="col">Author</th><th scope="col">Date</th></tr>'
                  "</thead>", "<tbody>"]
        lang = f' lang="{html.escape(review.language)}"' if review.language else ""
        parts += [_html_row(item, lang) for item in chapter.items]
        parts += ["</tbody>", "</table>", "</section>"]
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
