"""Code as Quarto shows it in HTML: syntax colours (an AA default, `highlight-style`, a .theme file) and
`code-copy` buttons. The documents have no executable cells, so nothing runs a kernel."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from report.build import RenderOptions, render
from report.document.pandoc import pandoc_path
from test_engine_contrast import VARIABLES, contrast

CODE = '''```python
# een opmerking
def f(x):
    return "tekst" + str(1)
```
'''


def render_code(folder: Path, front: str, body: str = CODE) -> tuple[BeautifulSoup, list[str]]:
    source = folder / "code.qmd"
    source.write_text(f"---\ntitle: Code\nlang: nl\n{front}---\n\n{body}", encoding="utf-8")
    result = render(source, RenderOptions(formats=("html",)))
    soup = BeautifulSoup((folder / "code.html").read_text(encoding="utf-8"), "html.parser")
    return soup, [str(warning) for warning in result.warnings]


def token_colours(soup: BeautifulSoup) -> dict[str, str]:
    css = "\n".join(style.get_text() for style in soup.find_all("style"))
    return dict(re.findall(r"code span\.(\w+) \{ color: (#[0-9a-fA-F]{6});", css))


def test_default_style_colours_every_token_with_aa_contrast(tmp_path):
    soup, warnings = render_code(tmp_path, "")
    assert warnings == []
    colours = token_colours(soup)
    used = {span["class"][0] for span in soup.select("code.sourceCode span[class]")}
    assert {"co", "kw", "st", "bu", "dv"} <= used and used <= set(colours), used - set(colours)
    weak = {token: colour for token, colour in colours.items() if contrast(colour, VARIABLES["bg-soft"]) < 4.5}
    assert weak == {}


@pytest.mark.parametrize("style", ["tango", "zenburn", "monochrome"])
def test_pandoc_styles_are_pandocs_own_colours(tmp_path, style):
    soup, warnings = render_code(tmp_path, f"highlight-style: {style}\n")
    theme = json.loads(subprocess.run([pandoc_path(), "--print-highlight-style", style], check=True,
                                      capture_output=True, text=True).stdout)
    expected = {"co": theme["text-styles"]["Comment"]["text-color"], "kw": theme["text-styles"]["Keyword"]["text-color"]}
    assert {token: token_colours(soup).get(token) for token in expected} == expected
    assert warnings == []


def test_quartos_newer_name_and_a_theme_file(tmp_path):
    theme = {"text-color": None, "background-color": "#fafafa", "text-styles": {
        "Keyword": {"text-color": "#123456", "bold": True}, "String": {"text-color": "#0a5c2e", "italic": True}}}
    (tmp_path / "mijn.theme").write_text(json.dumps(theme), encoding="utf-8")
    soup, warnings = render_code(tmp_path, "syntax-highlighting: mijn.theme\n")
    css = "\n".join(style.get_text() for style in soup.find_all("style"))
    assert "code span.kw { color: #123456; font-weight: bold; }" in css
    assert "code span.st { color: #0a5c2e; font-style: italic; }" in css
    assert "div.sourceCode, pre.sourceCode { background-color: #fafafa; }" in css
    assert warnings == []


def test_unknown_style_warns_and_keeps_the_default(tmp_path):
    soup, warnings = render_code(tmp_path, "format:\n  html:\n    highlight-style: solarized\n")
    assert warnings == ["code.qmd: highlight-style 'solarized' is not one of pandoc's styles (breezedark, espresso, "
                        "haddock, kate, monochrome, pygments, tango, zenburn) or a .theme file; the default style "
                        "is used"]
    assert token_colours(soup)["kw"] == "#6f2a94"


def test_code_copy_button_follows_each_code_block(tmp_path):
    soup, _ = render_code(tmp_path, "", CODE + "\n```\nzonder taal\n```\n\n" + CODE)
    scaffolds = soup.select("main div.code-copy-outer-scaffold")
    assert len(scaffolds) == 2
    for scaffold in scaffolds:
        assert [child.name for child in scaffold.find_all(recursive=False)] == ["div", "button"]
        assert "sourceCode" in scaffold.div["class"]
        button = scaffold.button
        assert button["type"] == "button" and "code-copy-button" in button["class"]
        assert button["aria-label"] == "Kopieer naar klembord" and button["data-copied"] == "Gekopieerd"
    assert any("code-copy-button" in script.get_text() for script in soup.find_all("script"))


def test_code_copy_false_leaves_code_as_it_is(tmp_path):
    soup, warnings = render_code(tmp_path, "code-copy: false\n")
    assert soup.select("div.code-copy-outer-scaffold, button.code-copy-button") == []
    assert not any("code-copy-button" in script.get_text() for script in soup.find_all("script"))
    assert soup.select_one("main > div.sourceCode") is not None and warnings == []
