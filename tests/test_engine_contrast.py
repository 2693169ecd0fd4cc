"""The site's colours meet WCAG 2.1 AA: 4.5:1 for text on every background it is set on."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parent.parent / "report" / "outputs" / "resources" / "site.css").read_text(encoding="utf-8")
# The design properties of :root, as hex colours or references to another property (--headings-color: var(--text)).
VARIABLES = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6}|var\(--[\w-]+\))", CSS))


def colour(value: str) -> str:
    """A colour as the page computes it: a property followed to its value, or the fallback of one the site
    leaves unset (var(--code-color, currentColor): a brand or theme sets it, else the text's own colour)."""
    value = value.strip()
    match = re.fullmatch(r"var\(--([\w-]+)(?:,\s*([^)]+))?\)", value)
    if not match:
        return value
    if match.group(1) not in VARIABLES:
        return colour(match.group(2))
    return colour(VARIABLES[match.group(1)])


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(colour(foreground)), luminance(colour(background))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the classic AA-passing grey


# Every text colour of the stylesheet, on every background it can appear on.
PAIRS = [
    ("var(--text)", "#ffffff"), ("var(--text)", "var(--bg-soft)"), ("var(--text)", "#e3edf7"),
    ("var(--muted)", "#ffffff"), ("var(--muted)", "var(--bg-soft)"),
    ("var(--accent)", "#ffffff"), ("var(--accent)", "var(--bg-soft)"), ("var(--accent)", "#e3edf7"),
    ("#5c3400", "#fff4e5"), ("var(--text)", "var(--highlight)"), ("var(--text)", "var(--active)"),
    ("var(--accent)", "var(--active)"),
    # callout icons (default callouts on the soft background, simple ones on white) and annotation numbers
    *[(f"var(--{kind})", background) for kind in ("note", "tip", "warning", "important", "caution")
      for background in ("var(--bg-soft)", "#ffffff")],
    ("#ffffff", "var(--accent)"),
    # ANSI-coloured cell output (issue 18): each colour on the code background and on the ANSI backgrounds
    *[(foreground, background) for foreground in ("#1d1d1f", "#a3121b", "#1d6b3f", "#8a4600", "#0b4f8a", "#6f2a94",
                                                  "#00657f", "#545459", "#34489c")
      for background in ("var(--bg-soft)", "#fbe3e4", "#e2f2e7", "#fff3b0", "#e3edf7", "#f2e6f8", "#e0f3f7")],
    ("#ffffff", "#1d1d1f"),
]


@pytest.mark.parametrize(("foreground", "background"), PAIRS)
def test_text_colours_reach_aa(foreground, background):
    assert contrast(foreground, background) >= 4.5


def test_every_text_colour_in_the_stylesheet_is_checked():
    used = {colour(value) for value in re.findall(r"(?<![-\w])color:\s*([^;]+);", CSS)} - {"currentColor"}
    checked = {colour(foreground) for foreground, _ in PAIRS}
    assert used <= checked, used - checked


# The focus ring against every background it can be drawn on: WCAG 2.1 SC 1.4.11 asks 3:1 of such indicators.
@pytest.mark.parametrize("background", ["#ffffff", "var(--bg-soft)", "var(--active)", "#fff4e5"])
def test_focus_ring_reaches_3_to_1(background):
    assert re.search(r":focus-visible\s*\{[^}]*outline:\s*3px solid var\(--focus\)", CSS)
    assert contrast("var(--focus)", background) >= 3.0
