"""The shortcodes Quarto ships: video, lipsum, placeholder, version, contents (issue 21)."""

from __future__ import annotations

import base64

from extension_helpers import body_text, render_html, render_typst, write_files
from report.sources.builtin_shortcodes import QUARTO_VERSION


def _document(tmp_path, text: str):
    return write_files(tmp_path, {"doc.qmd": "---\ntitle: Built-in\nkeep-typ: true\n---\n\n" + text}) / "doc.qmd"


def test_video_is_an_accessible_iframe_or_video_in_html_and_a_titled_link_in_the_pdf(tmp_path):
    document = _document(tmp_path, '{{< video https://www.youtube.com/watch?v=wo9vZccmqwc title="Het netwerk" '
                                   'start=10 >}}\n\n{{< video https://vimeo.com/548291297 aspect-ratio=4x3 >}}\n\n'
                                   '{{< video clips/interview.mp4 title="Interview" width=400 >}}\n')
    page, warnings = render_html(document)
    assert warnings == []
    videos = page.select("main div.quarto-video")
    assert [div["class"] for div in videos] == [["quarto-video", "ratio", "ratio-16x9"],
                                                ["quarto-video", "ratio", "ratio-4x3"], ["quarto-video"]]
    youtube = videos[0].find("iframe")
    assert youtube["src"] == "https://www.youtube.com/embed/wo9vZccmqwc?start=10"
    assert youtube["title"] == "Het netwerk" and youtube.has_attr("allowfullscreen")
    assert videos[1].find("iframe")["src"] == "https://player.vimeo.com/video/548291297"
    own = videos[2].find("video")
    assert own["title"] == "Interview" and own["width"] == "400" and own.has_attr("controls")
    assert own.find("source")["src"] == "clips/interview.mp4"
    assert ".quarto-video.ratio" in str(page.find("head"))  # the ratio rules come with the first video
    typ = body_text(render_typst(document))
    assert '#link("https://www.youtube.com/watch?v=wo9vZccmqwc")[Het netwerk]' in typ
    assert '#link("https://vimeo.com/548291297")[https:\\/\\/vimeo.com\\/548291297]' in typ


def test_lipsum_gives_the_same_paragraphs_each_render_and_takes_ranges(tmp_path):
    document = _document(tmp_path, "{{< lipsum 2 >}}\n\n---\n\n{{< lipsum 2-3 >}}\n")
    page, _warnings = render_html(document)
    paragraphs = [p.get_text() for p in page.find("main").find_all("p", recursive=False)]
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Lorem ipsum dolor sit amet, consectetur adipiscing elit.")
    assert paragraphs[1] == paragraphs[2]  # paragraph 2 both times
    again, _warnings = render_html(document)
    assert [p.get_text() for p in again.find("main").find_all("p", recursive=False)] == paragraphs


def test_placeholder_is_an_image_of_the_given_size(tmp_path):
    document = _document(tmp_path, "{{< placeholder 400 200 format=svg >}}\n\n{{< placeholder 30 >}}\n")
    page, _warnings = render_html(document)
    svg, png = [image["src"] for image in page.find("main").find_all("img")]
    drawn = base64.b64decode(svg.removeprefix("data:image/svg+xml;base64,")).decode()
    assert drawn.startswith('<svg width="400" height="200"') and ">400 x 200</text>" in drawn
    data = base64.b64decode(png.removeprefix("data:image/png;base64,"))
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[16:24] == (30).to_bytes(4, "big") * 2
    typ = body_text(render_typst(document))
    assert '#box(width: 300.0pt, height: 150.0pt, fill: rgb("#dddddd")' in typ


def test_version_names_the_quarto_release_the_engine_follows(tmp_path):
    page, _warnings = render_html(_document(tmp_path, "Quarto {{< version >}} is amazing.\n"))
    assert page.find("main").find("p").get_text() == f"Quarto {QUARTO_VERSION} is amazing."


def test_contents_moves_the_div_with_that_id_to_the_shortcode(tmp_path):
    document = _document(tmp_path, "::: {#later}\nMoved paragraph.\n:::\n\nFirst.\n\n::: callout-note\n"
                                   "## Note\n\n{{< contents later >}}\n:::\n")
    page, _warnings = render_html(document)
    main = page.find("main")
    assert [p.get_text() for p in main.find_all("p", recursive=False)] == ["First."]
    assert main.select_one("div.callout div#later").get_text(strip=True) == "Moved paragraph."
    missing = _document(tmp_path, "{{< contents nowhere >}}\n\nText.\n")
    page, warnings = render_html(missing)
    assert warnings == ["doc.qmd:6: contents: no element with the id 'nowhere' in the document; the shortcode is "
                        "removed"]
    assert [p.get_text() for p in page.find("main").find_all("p")] == ["Text."]
    assert render_html(missing)[1] == warnings  # again when the read document comes from the cache
