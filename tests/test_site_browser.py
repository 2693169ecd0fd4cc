"""The book's site as its readers see it: every page in a real Chromium at a desktop and a phone size.

The book is rendered once (HTML only, from the repository, into a temporary folder) and one browser is
started for the whole module, with one tab per screen size that every test reuses. The tests measure what a
reader meets: axe-core's serious and critical violations, sideways scrolling, the page menu covering text,
the sticky chapter list, the menu button, the page menu's scrollspy, search with a snippet, the focus ring's
contrast and the figures' displayed size. No screenshots.

Chromium comes from the Debian package (``scripts/setup.sh`` installs it); Playwright never downloads a
browser. Without Chromium these tests fail where ``CI`` is set and are skipped elsewhere.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis.theme import LEGIBLE_RATIO, smallest_text_px
from conftest import browser_unavailable
from report.build import RenderOptions, render

ROOT = Path(__file__).resolve().parent.parent
DESKTOP = (1280, 900)
PHONE = (390, 844)
SIZES = {"desktop": DESKTOP, "phone": PHONE}
#: Contrast of a focus indicator against the page, WCAG 2.1 success criterion 1.4.11.
FOCUS_CONTRAST = 3.0


@dataclass(frozen=True)
class Site:
    output: Path
    pages: tuple[str, ...]  # every page of the book, relative to output

    def url(self, page: str) -> str:
        return (self.output / page).as_uri()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    output = tmp_path_factory.mktemp("site") / "book"
    render(ROOT, RenderOptions(formats=("html",), output_dir=output))
    pages = tuple(sorted(path.relative_to(output).as_posix() for path in output.rglob("*.html")
                         if "figures" not in path.relative_to(output).parts))
    return Site(output, pages)


@pytest.fixture(scope="module")
def tabs(browser):
    """One tab per screen size, reused by every test of the module."""
    opened = {}
    for name, (width, height) in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        opened[name] = context.new_page()
    yield opened
    for tab in opened.values():
        tab.context.close()


def visit(tab, site: Site, page: str):
    tab.goto(site.url(page))
    tab.wait_for_load_state("load")
    return tab


def test_the_whole_book_is_rendered(site):
    assert "index.html" in site.pages
    assert len(site.pages) >= 10, site.pages


@pytest.mark.parametrize("size", SIZES)
def test_no_serious_or_critical_axe_violations(site, tabs, size):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    for page in site.pages:
        tab = visit(tabs[size], site, page)
        violations = axe.run(tab).response["violations"]
        problems += [f"{page}: {violation['id']} ({violation['impact']}): {violation['help']} — "
                     + "; ".join(node["target"][0] for node in violation["nodes"][:3])
                     for violation in violations if violation["impact"] in ("serious", "critical")]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES)
def test_no_page_scrolls_sideways(site, tabs, size):
    overflowing = []
    for page in site.pages:
        tab = visit(tabs[size], site, page)
        width, viewport = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width > viewport:
            overflowing.append(f"{page}: {width} px wide in a {viewport} px window")
    assert not overflowing, "\n".join(overflowing)


# The visible boxes of the text column: a table's cells are clipped by their scroll box, so the box counts.
_OVERLAPS_JS = """
() => {
  const menu = document.getElementById("quarto-margin-sidebar");
  if (!menu) return [];
  const m = menu.getBoundingClientRect();
  if (m.width === 0 || m.height === 0) return [];
  const boxes = [...document.querySelectorAll(
    "main p, main li, main h1, main h2, main h3, main h4, main img, main figcaption, main .table-responsive, main pre")]
    .filter(el => !el.closest(".table-responsive") || el.classList.contains("table-responsive"));
  const hits = [];
  for (const el of boxes) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.bottom < 0 || r.top > innerHeight) continue;
    if (r.left < m.right && r.right > m.left && r.top < m.bottom && r.bottom > m.top) {
      hits.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + (el.textContent || "").trim().slice(0, 40));
    }
  }
  return hits;
}
"""


@pytest.mark.parametrize("size", SIZES)
def test_page_menu_covers_no_text(site, tabs, size):
    covered = []
    for page in site.pages:
        tab = visit(tabs[size], site, page)
        height = tab.evaluate("document.documentElement.scrollHeight")
        for position in range(0, height, 700):  # the sticky menu moves along: look at every screen
            tab.evaluate(f"window.scrollTo(0, {position})")
            covered += [f"{page} at {position} px: {hit}" for hit in tab.evaluate(_OVERLAPS_JS)]
    assert not covered, "\n".join(covered[:20])


def test_sidebar_stays_in_view_and_scrolls_on_its_own(site, tabs):
    tab = visit(tabs["desktop"], site, "chapters/04-dreiging.html")
    tab.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
    assert tab.evaluate("window.scrollY") > 2000
    box = tab.locator("#quarto-sidebar").bounding_box()
    assert box["y"] == pytest.approx(0, abs=1)
    assert box["height"] <= DESKTOP[1] + 1
    assert tab.locator("#quarto-sidebar a[aria-current='page']").is_visible()
    assert tab.evaluate("getComputedStyle(document.getElementById('quarto-sidebar')).overflowY") == "auto"


def test_page_menu_marks_the_section_being_read(site, tabs):
    tab = visit(tabs["desktop"], site, "chapters/04-dreiging.html")
    links = tab.locator("#quarto-margin-sidebar a")
    assert links.count() >= 3
    target = links.nth(2).get_attribute("href")
    tab.evaluate(f"document.getElementById({target[1:]!r}).scrollIntoView()")
    tab.wait_for_function(f"document.querySelector('#quarto-margin-sidebar a.active')?.getAttribute('href') === {target!r}")
    assert tab.locator("#quarto-margin-sidebar a.active").count() == 1
    assert tab.locator("#quarto-margin-sidebar a.active").get_attribute("aria-current") == "location"
    menu_background = tab.evaluate("getComputedStyle(document.getElementById('quarto-margin-sidebar')).backgroundColor")
    assert menu_background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_phone_shows_the_chapter_first_and_the_menu_button_toggles(site, tabs):
    tab = visit(tabs["phone"], site, "chapters/04-dreiging.html")
    heading = tab.locator("main h1").first.bounding_box()
    assert heading["y"] < PHONE[1] / 2, "the chapter's title should be on the first screen"
    button = tab.locator("button.sidebar-toggle")
    sidebar = tab.locator("#quarto-sidebar")
    assert button.get_attribute("aria-expanded") == "false"
    assert not sidebar.is_visible()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert sidebar.is_visible()
    tab.locator("#quarto-sidebar a", has_text="Inleiding").first.wait_for(state="visible")
    button.click()
    assert button.get_attribute("aria-expanded") == "false"
    assert not sidebar.is_visible()
    button.click()
    tab.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not sidebar.is_visible()


def test_desktop_has_no_menu_button_and_an_open_page_menu(site, tabs):
    tab = visit(tabs["desktop"], site, "chapters/04-dreiging.html")
    assert not tab.locator("button.sidebar-toggle").is_visible()
    assert not tab.locator("button.page-toc-toggle").is_visible()
    assert tab.locator("#quarto-sidebar").is_visible()
    assert tab.locator("#page-toc-list").is_visible()


def test_phone_folds_the_page_menu(site, tabs):
    tab = visit(tabs["phone"], site, "chapters/04-dreiging.html")
    toggle = tab.locator("button.page-toc-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not tab.locator("#page-toc-list").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert tab.locator("#page-toc-list").is_visible()


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


def _search(tab, query: str):
    box = tab.locator("#search-input")
    box.fill(query)
    tab.locator("#search-results.open").wait_for(state="visible")
    return tab.locator("#search-results .search-hits li")


def test_search_finds_inflected_words_with_a_highlighted_snippet(site, tabs):
    tab = visit(tabs["desktop"], site, "index.html")
    hits = _search(tab, "bedreigingen")
    assert hits.count() >= 1
    first = hits.first
    assert first.locator(".search-hit-title").inner_text().strip()
    assert first.locator(".search-hit-snippet").inner_text().strip()
    marks = tab.locator("#search-results mark").all_inner_texts()
    assert marks and all(_fold(mark).startswith("bedreiging") for mark in marks), marks
    # the panel lies over the chapter list instead of pushing it down
    assert tab.evaluate("getComputedStyle(document.getElementById('search-results')).position") == "absolute"
    status = tab.locator("#search-results .search-status").inner_text()
    assert "resulta" in status


def test_search_folds_diacritics(site, tabs):
    tab = visit(tabs["desktop"], site, "index.html")
    hits = _search(tab, "enquete")
    assert hits.count() >= 1
    assert any(_fold(mark) .startswith("enquete") for mark in tab.locator("#search-results mark").all_inner_texts())
    assert any("ê" in mark for mark in tab.locator("#search-results mark").all_inner_texts()), \
        "the snippet shows the text as written, with its diacritics"


def test_search_shows_every_result_page_by_page(site, tabs):
    tab = visit(tabs["desktop"], site, "index.html")
    hits = _search(tab, "netwerk")
    status = tab.locator("#search-results .search-status").inner_text()
    total = int(status.split()[0])
    assert total > 10
    assert hits.count() == 10
    more = tab.locator("#search-results .search-more")
    while more.is_visible():
        more.click()
    assert hits.count() == total
    hits.last.locator("a").click()
    tab.wait_for_load_state("load")
    assert tab.url.split("#")[0].endswith(".html") and "#" in tab.url


def test_search_works_on_a_phone(site, tabs):
    tab = visit(tabs["phone"], site, "chapters/04-dreiging.html")
    tab.locator("button.sidebar-toggle").click()
    hits = _search(tab, "burgemeesters")
    assert hits.first.is_visible()
    assert tab.locator("#search-results mark").first.is_visible()
    # a hit on this very page jumps there and closes the menu over it
    tab.locator("#search-results .search-hits a[href*='04-dreiging.html#']").first.click()
    assert tab.locator("button.sidebar-toggle").get_attribute("aria-expanded") == "false"
    assert not tab.locator("#quarto-sidebar").is_visible()
    assert tab.evaluate("window.scrollY") > 0


def _luminance(rgb: tuple[int, int, int]) -> float:
    linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _rgb(css: str) -> tuple[int, int, int]:
    values = css[css.index("(") + 1:css.index(")")].replace(",", " ").split()
    return tuple(int(float(value)) for value in values[:3])


def _contrast(one: str, other: str) -> float:
    lighter, darker = sorted((_luminance(_rgb(one)), _luminance(_rgb(other))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("size", SIZES)
def test_focus_outline_has_enough_contrast(site, tabs, size):
    tab = visit(tabs[size], site, "chapters/04-dreiging.html")
    seen = 0
    for _ in range(6):  # the skip link, the menu button or search box, the first links: all keyboard focus
        tab.keyboard.press("Tab")
        style = tab.evaluate("""() => { const el = document.activeElement, s = getComputedStyle(el);
            return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor, el.tagName]; }""")
        outline_style, width, colour, tag = style
        if tag == "BODY":
            continue
        seen += 1
        assert outline_style != "none" and width >= 2, style
        assert _contrast(colour, "rgb(255, 255, 255)") >= FOCUS_CONTRAST, style
    assert seen >= 3


def test_every_table_scrolls_in_a_labelled_region(site, tabs):
    tab = tabs["desktop"]
    unlabelled = []
    boxes = 0
    for page in site.pages:
        visit(tab, site, page)
        boxes += tab.locator("main .table-responsive").count()
        unlabelled += [f"{page}: {problem}" for problem in tab.evaluate("""() =>
          [...document.querySelectorAll("main table")].map(table => {
            const box = table.closest(".table-responsive");
            if (!box) return "a table outside a scroll box";
            if (box.getAttribute("tabindex") !== "0" || box.getAttribute("role") !== "region") return "box not focusable";
            const label = box.getAttribute("aria-label") ||
              (document.getElementById(box.getAttribute("aria-labelledby")) || {}).textContent || "";
            return label.trim() ? null : "box without a name";
          }).filter(Boolean)""")]
    assert not unlabelled, "\n".join(unlabelled)
    assert boxes >= 10, "the book's tables are all found"


def test_figures_are_shown_at_a_legible_size_on_a_desktop(site, tabs):
    """The theme sizes chart text for the displayed width; a figure shown smaller would break that promise."""
    tab = tabs["desktop"]
    too_small = []
    for page in site.pages:
        visit(tab, site, page)
        body_px = tab.evaluate("parseFloat(getComputedStyle(document.querySelector('main p') || document.body).fontSize)")
        for image in tab.evaluate("""() => [...document.querySelectorAll('main img.figure-img')]
            .map(img => [img.getAttribute('src'), img.naturalWidth, img.getBoundingClientRect().width])"""):
            source, natural, shown = image
            smallest = smallest_text_px() * shown / natural
            if smallest < LEGIBLE_RATIO * body_px - 0.01:
                too_small.append(f"{page} {source}: smallest text {smallest:.1f} px, body {body_px} px")
    assert not too_small, "\n".join(too_small)


def test_phone_offers_every_figure_at_full_size(site, tabs):
    tab = tabs["phone"]
    missing = []
    for page in site.pages:
        visit(tab, site, page)
        for source, link, shown, viewport in tab.evaluate("""() => [...document.querySelectorAll('main img.figure-img')]
            .map(img => { const a = img.parentElement.querySelector('.figure-zoom a');
              return [img.getAttribute('src'), a && a.offsetParent !== null ? a.getAttribute('href') : null,
                      img.getBoundingClientRect().width, innerWidth]; })"""):
            if link != source:
                missing.append(f"{page} {source}: zoom link {link}")
            elif shown < viewport - 1 and shown < tab.evaluate(f"document.querySelector('img[src=\"{source}\"]').naturalWidth"):
                missing.append(f"{page} {source}: shown {shown} px wide in a {viewport} px screen")
    assert not missing, "\n".join(missing)
    visit(tabs["desktop"], site, "chapters/04-dreiging.html")
    assert not tabs["desktop"].locator(".figure-zoom a").first.is_visible()


def test_a_missing_browser_fails_in_ci_and_is_skipped_elsewhere(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"no Chromium; run `bash scripts/setup.sh`"):
        browser_unavailable("no Chromium")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match=r"no Chromium; run `bash scripts/setup.sh`"):
        browser_unavailable("no Chromium")


def test_open_menu_and_search_results_have_no_serious_axe_violations(site, tabs):
    from axe_playwright_python.sync_playwright import Axe

    tab = visit(tabs["phone"], site, "chapters/04-dreiging.html")
    tab.locator("button.page-toc-toggle").click()
    tab.locator("button.sidebar-toggle").click()  # the open menu lies over the page
    _search(tab, "bedreiging")
    tab.locator("#search-results .search-more").click()
    violations = [f"{violation['id']}: {violation['help']}" for violation in Axe().run(tab).response["violations"]
                  if violation["impact"] in ("serious", "critical")]
    assert not violations, "\n".join(violations)
