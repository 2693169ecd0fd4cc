"""HTML structure as Quarto writes it (quarto-cli's HTML smoke tests as the model), part b: shortcodes, title-block
and appendix texts, code blocks, the table of contents, images and the page chrome."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from report.build import RenderOptions, render


def render_page(folder: Path, front: str, body: str, name: str = "doc.qmd") -> str:
    source = folder / name
    source.write_text(f"---\ntitle: Doc\n{front}---\n\n{body}", encoding="utf-8")
    render(source, RenderOptions(formats=("html",)))
    return source.with_suffix(".html").read_text(encoding="utf-8")


def soup_of(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


def test_kbd_title_lists_every_variant_and_plain_mode_is_one_kbd(tmp_path):
    soup = soup_of(render_page(tmp_path, "", "{{< kbd mac=Cmd-O win=Ctrl-O >}} and {{< kbd Ctrl-K >}}\n\n"
                                             "{{< kbd Ctrl-Alt-Del mode=plain >}}\n"))
    both, single, plain = soup.find_all("kbd")
    assert both["title"] == "mac: Cmd-O, windows: Ctrl-O" and both["data-windows"] == "Ctrl-O"
    assert single["title"] == "Ctrl-K"
    assert plain.attrs == {"data-mode": "plain", "class": ["kbd"]} and plain.get_text() == "Ctrl-Alt-Del"


def test_kbd_with_an_unknown_mode_or_os_shows_quartos_error_text(tmp_path, caplog):
    soup = soup_of(render_page(tmp_path, "", "{{< kbd K mode=fancy >}}\n\n{{< kbd amiga=K >}}\n"))
    assert [strong.get_text() for strong in soup.find_all("strong")] == [
        "?kbd:unknown mode: fancy, supported modes are: plain", "?kbd:unknown os name: amiga"]
    assert "doc.qmd:7: unknown os name in kbd shortcode: amiga, supported names are: win, mac, linux" in caplog.text
