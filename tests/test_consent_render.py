"""End to end: the book rendered from a group-interview project publishes nothing of those who did not consent.

R07, R10 and R39 did not consent; a consenting R41's Case also references their
interviews. Their words, and the names the register holds, are searched for in every file of the rendered book
(HTML pages, ``search.json``, the search index, SVGs and the figure export) and in the PDF's text, and in
the redline a reviewer reads and the zip a release packages,
after reducing both to letters and digits, so markup, entities, typographic
quotes, line breaks and hyphenation cannot hide a leak. The same search must
find the quote the chapter does publish, so it is known to see quotes at all.
One render, of the whole book.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pypdf
import pytest

from analysis import load_evaluation
from analysis.measures import quotes
from analysis.paths import REPO_ROOT
from consent_projects import demo_with_group_interviews
from report.build import RenderOptions, render

NOT_COPIED = shutil.ignore_patterns(".git", ".venv", ".report-cache", ".report-build", ".pytest_cache", "__pycache__",
                                    "*.egg-info", "_book", "_diff", "release", "figures", "tests", "bench")


def letters(text: str) -> str:
    return "".join(character for character in text.casefold() if character.isalnum())


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def readable(path: Path) -> str:
    """What a reader of ``path`` can see: the PDF's text, JSON's strings, markup without tags and entities."""
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    text = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix in (".json", ".js"):
        body = text[min(i for i in (text.find("{"), text.find("[")) if i >= 0):] if ("{" in text or "[" in text) else text
        try:
            text = "\n".join(_strings(json.loads(body.rstrip().rstrip(";"))))
        except ValueError:  # not JSON after all: read it as it stands
            pass
    return html.unescape(re.sub(r"<[^>]*>", " ", text))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = tmp_path_factory.mktemp("consent")
    data, forbidden, names = demo_with_group_interviews(root / "data")
    project = root / "project"
    shutil.copytree(REPO_ROOT, project, ignore=NOT_COPIED)
    output = root / "output"
    render(project, RenderOptions(output_dir=output, data_dir=data))
    texts = {path.relative_to(output).as_posix(): letters(readable(path)) for path in sorted(output.rglob("*")) if path.is_file()}
    return data, forbidden, names, texts, output


def test_no_word_of_a_respondent_who_did_not_consent_is_in_any_output(rendered):
    _data, forbidden, _names, texts, _output = rendered
    assert len(forbidden) > 10
    assert any(name.endswith(".pdf") for name in texts) and any(name.endswith(".svg") for name in texts)
    assert any("search" in name for name in texts)
    leaks = {name: [quote for quote in forbidden if letters(quote) in text] for name, text in texts.items()}
    assert {name: found for name, found in leaks.items() if found} == {}


def test_the_search_sees_the_quotes_that_are_published(rendered):
    data, _forbidden, _names, texts, _output = rendered
    published = letters(quotes(load_evaluation(data), "werklijn.bewustwording", n=6)["quote"].iloc[0])
    holding = sorted(name for name, text in texts.items() if published in text)
    assert [name for name in holding if name.endswith(".pdf")], holding
    assert [name for name in holding if name.endswith("06-praktijk.html")], holding
    assert [name for name in holding if "search" in name], holding


def test_no_name_the_register_holds_is_in_any_output(rendered):
    _data, _forbidden, names, texts, _output = rendered
    assert len(names) == 41
    assert {name: found for name, text in texts.items() if (found := [n for n in names if letters(n) in text])} == {}


@pytest.fixture(scope="module")
def redline(rendered, tmp_path_factory):
    """The redline a reviewer reads (`report diff`): against an earlier book without any quotes, so that every
    quote the book shows is in it as an insertion."""
    from report.review._book import diff_books
    from report.review._command import write_redline

    output = rendered[-1]
    earlier = tmp_path_factory.mktemp("earlier") / "book"
    shutil.copytree(output, earlier)
    for page in earlier.rglob("*.html"):
        page.write_text(re.sub(r"<blockquote>.*?</blockquote>", "", page.read_text(encoding="utf-8"), flags=re.S),
                        encoding="utf-8")
    folder = tmp_path_factory.mktemp("redline")
    write_redline(diff_books(earlier, output, old_label="zonder citaten", new_label="met citaten"), folder)
    return {path.relative_to(folder).as_posix(): letters(readable(path)) for path in sorted(folder.rglob("*"))
            if path.is_file()}


def test_the_redline_holds_no_word_of_a_respondent_who_did_not_consent(rendered, redline):
    data, forbidden, _names, _texts, _output = rendered
    published = letters(quotes(load_evaluation(data), "werklijn.bewustwording", n=6)["quote"].iloc[0])
    assert [name for name, text in redline.items() if published in text], sorted(redline)
    leaks = {name: [quote for quote in forbidden if letters(quote) in text] for name, text in redline.items()}
    assert {name: found for name, found in leaks.items() if found} == {}


def test_the_release_zip_holds_no_word_of_a_respondent_who_did_not_consent(rendered, tmp_path):
    """The site as `report release` packages it (report.release.create.write_deterministic_zip), read entry by entry."""
    import zipfile

    from report.release.create import write_deterministic_zip

    data, forbidden, _names, _texts, output = rendered
    archive = tmp_path / "site.zip"
    write_deterministic_zip(output, archive, 0)
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(unpacked)
    texts = {path.relative_to(unpacked).as_posix(): letters(readable(path)) for path in sorted(unpacked.rglob("*"))
             if path.is_file()}
    published = letters(quotes(load_evaluation(data), "werklijn.bewustwording", n=6)["quote"].iloc[0])
    assert [name for name, text in texts.items() if published in text]
    leaks = {name: [quote for quote in forbidden if letters(quote) in text] for name, text in texts.items()}
    assert {name: found for name, found in leaks.items() if found} == {}
