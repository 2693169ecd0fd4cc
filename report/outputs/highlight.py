"""Syntax colours for HTML code: the CSS for pandoc's token classes, from `highlight-style` (or Quarto's newer
name `syntax-highlighting`).

Without the option the site gets its own style, whose colours have at least 4.5:1 contrast on the code
background (WCAG AA; Quarto's default `arrow` and its `a11y` are the same promise, so they select it too).
A name of pandoc's built-in styles (pygments, tango, kate, ...) is read from pandoc itself
(`--print-highlight-style`), a `.theme` file (pandoc's JSON theme format) from the project. A name this engine
does not know warns and keeps the default, as Quarto renders on with an unknown style.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from report.errors import ReportError
from report.sources import diagnostics

__all__ = ["DEFAULT_STYLE", "highlight_css", "style_option", "typst_highlighting"]

# pandoc's token names -> the classes its HTML writer puts on the spans.
TOKENS = {"Keyword": "kw", "DataType": "dt", "DecVal": "dv", "BaseN": "bn", "Float": "fl", "Char": "ch",
          "String": "st", "Comment": "co", "Other": "ot", "Alert": "al", "Function": "fu", "RegionMarker": "re",
          "Error": "er", "Constant": "cn", "SpecialChar": "sc", "VerbatimString": "vs", "SpecialString": "ss",
          "Import": "im", "Documentation": "do", "Annotation": "an", "CommentVar": "cv", "Variable": "va",
          "ControlFlow": "cf", "Operator": "op", "BuiltIn": "bu", "Extension": "ex", "Preprocessor": "pp",
          "Attribute": "at", "Information": "in", "Warning": "wa"}
PANDOC_STYLES = frozenset({"pygments", "tango", "espresso", "zenburn", "kate", "monochrome", "breezedark", "haddock"})
DEFAULT_NAMES = frozenset({"default", "arrow", "a11y"})
PDF_CODE_BACKGROUND = "#f1f3f5"  # Quarto's arrow style's background, which its typst code blocks take

# Every colour has >= 4.5:1 contrast on the site's code background (#f4f6f8); tests/test_quarto_code_style.py checks it.
_PURPLE, _BROWN, _GREEN, _GREY, _BLUE, _RED, _TEAL, _OLIVE = ("#6f2a94", "#8a4600", "#1d6b3f", "#545459",
                                                            "#34489c", "#a3121b", "#00657f", "#56621c")
DEFAULT_STYLE: Mapping[str, Any] = {"text-styles": {
    "Keyword": {"text-color": _PURPLE}, "ControlFlow": {"text-color": _PURPLE}, "Import": {"text-color": _TEAL},
    "DataType": {"text-color": _BROWN}, "DecVal": {"text-color": _BROWN}, "BaseN": {"text-color": _BROWN},
    "Float": {"text-color": _BROWN}, "Constant": {"text-color": _BROWN},
    "Char": {"text-color": _GREEN}, "String": {"text-color": _GREEN}, "VerbatimString": {"text-color": _GREEN},
    "SpecialString": {"text-color": _GREEN}, "SpecialChar": {"text-color": _GREY},
    "Comment": {"text-color": _GREY, "italic": True}, "Documentation": {"text-color": _GREY, "italic": True},
    "Annotation": {"text-color": _GREY, "italic": True}, "CommentVar": {"text-color": _GREY, "italic": True},
    "Information": {"text-color": _GREY, "italic": True}, "Warning": {"text-color": _RED, "italic": True},
    "Function": {"text-color": _BLUE}, "BuiltIn": {"text-color": _BLUE}, "Extension": {"text-color": _BLUE},
    "Operator": {"text-color": _GREY}, "Attribute": {"text-color": _OLIVE}, "Variable": {"text-color": "#1d1d1f"},
    "Other": {"text-color": _TEAL}, "Alert": {"text-color": _RED, "bold": True}, "Error": {"text-color": _RED},
    "Preprocessor": {"text-color": _RED}, "RegionMarker": {"text-color": _GREY}}}


def style_option(options: Mapping[str, Any]) -> Any:
    """Quarto's `syntax-highlighting` (1.8) or its older name `highlight-style`."""
    return options.get("syntax-highlighting", options.get("highlight-style"))


@lru_cache(maxsize=None)
def _pandoc_style(name: str) -> str:
    from report.document.pandoc import pandoc_path
    import subprocess

    return subprocess.run([pandoc_path(), "--print-highlight-style", name], check=True, capture_output=True,
                          text=True).stdout


def _theme(value: Any, root: Path, origin: Path) -> Mapping[str, Any] | None:
    """The theme `value` names; None for no colours (`highlight-style: none`)."""
    if value is None or (isinstance(value, str) and value.lower() in DEFAULT_NAMES):
        return DEFAULT_STYLE
    if isinstance(value, dict):  # Quarto's light/dark pair: the page is light
        return _theme(value.get("light"), root, origin)
    name = str(value)
    if name.lower() in {"none", "false"} or value is False:
        return None
    if name.lower() in PANDOC_STYLES:
        return json.loads(_pandoc_style(name.lower()))
    if name.endswith(".theme"):
        path = root / name
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ReportError(f"highlight-style '{name}' does not exist", path=origin) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise ReportError(f"highlight-style '{name}' is not a pandoc theme (JSON): {error}", path=origin) from None
    diagnostics.warn(f"highlight-style '{name}' is not one of pandoc's styles ({', '.join(sorted(PANDOC_STYLES))}) "
                     "or a .theme file; the default style is used", path=origin)
    return DEFAULT_STYLE


def typst_highlighting(value: Any, root: Path, origin: Path, build_dir: Path) -> list[str]:
    """pandoc's writer options for typst code, as Quarto chooses them: `idiomatic` lets typst colour the code
    itself (a fenced raw block); `none` writes plain raw blocks without their language; any other style, and no
    option at all, is pandoc's skylighting (`#Skylighting(...)` and one `#KeywordTok`-like function per token,
    from the style's colours). A `.theme` file is read from the project (``root``); the default (the engine's own
    style, as on the site) is written into ``build_dir`` for pandoc to read."""
    if isinstance(value, dict):  # Quarto's light/dark pair: the page is light
        value = value.get("light")
    if isinstance(value, str) and value.lower() == "idiomatic":
        return []
    theme = _theme(value, root, origin)  # checks the name or file and warns as for HTML
    if theme is None:
        return ["--syntax-highlighting=none"]
    name = str(value)
    if name.lower() in PANDOC_STYLES:
        return [f"--syntax-highlighting={name.lower()}"]
    if name.endswith(".theme"):
        return [f"--syntax-highlighting={(root / name).resolve()}"]
    if theme is DEFAULT_STYLE:  # code blocks on paper get the background of Quarto's default style (arrow)
        theme = {**theme, "background-color": PDF_CODE_BACKGROUND}
    written = build_dir / "highlight.theme"
    written.write_text(json.dumps(theme), encoding="utf-8")
    return [f"--syntax-highlighting={written}"]


def _declarations(style: Mapping[str, Any]) -> str:
    parts = []
    if style.get("text-color"):
        parts.append(f"color: {style['text-color']};")
    if style.get("background-color"):
        parts.append(f"background-color: {style['background-color']};")
    if style.get("bold"):
        parts.append("font-weight: bold;")
    if style.get("italic"):
        parts.append("font-style: italic;")
    if style.get("underline"):
        parts.append("text-decoration: underline;")
    return " ".join(parts)


def highlight_css(value: Any, root: Path, origin: Path) -> str:
    """The CSS for the style `value` names (relative paths from ``root``; ``origin`` names the file that set it)."""
    theme = _theme(value, root, origin)
    if theme is None:
        return ""
    lines = ["/* syntax colours (report.outputs.highlight) */"]
    block = _declarations({"text-color": theme.get("text-color"), "background-color": theme.get("background-color")})
    if block:
        lines.append(f"div.sourceCode, pre.sourceCode {{ {block} }}")
    if theme.get("line-number-color"):
        lines.append(f"pre.numberSource code > span > a:first-child::before {{ color: {theme['line-number-color']}; }}")
    for token, style in (theme.get("text-styles") or {}).items():
        if token in TOKENS and _declarations(style):
            lines.append(f"code span.{TOKENS[token]} {{ {_declarations(style)} }}")
    return "\n".join(lines) + "\n"
