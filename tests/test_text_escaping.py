"""Issue 23, item 4: data is text. Every payload a respondent, a codebook or a file name could carry reaches
HTML and typst as the same literal text through analysis.markdown, read by the engine's own pandoc.

Each payload is put where the analysis puts data (a blockquote line, a list item, emphasis, mid-sentence),
read with the engine's Markdown reader, and checked three ways: the AST holds only text (no raw block or
inline, link, image, code, emphasis, citation, math or span), the HTML holds no element but the paragraph
and blockquote around it and shows the text as it is, and the PDF that typst makes of pandoc's typst shows
the text as it is (typst code in it was not run).
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import pypdf
import pytest
import typst
from lxml import html as lxml_html

from analysis.markdown import markdown_code, markdown_text
from report.document.pandoc import READER, pandoc_path

#: Payloads from the red-team pass (issue 23, defect 6) and the Markdown constructs around them.
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)></svg>",
    "[klik](javascript:alert(4))",
    "<a href=javascript:alert(5)>klik</a>",
    "`<img src=x onerror=alert(6)>`{=html}",
    "```{=html}\n<script>alert(7)</script>\n```",
    "`#text(fill: red)[TYPST-RAN]`{=typst}",
    "```{=typst}\n#text[TYPST-FENCE-RAN]\n```",
    "#set text(fill: red)",
    "= Kop in typst",
    "<geen onderwerp>",
    "Dat is *per* direct en __vet__",
    "Vraag het @burgemeester [@raad; zie p. 3]",
    "{{< meta title >}} en {{< include x.qmd >}}",
    "# Kop",
    "> citaat",
    "- lijst",
    "1. lijst",
    "A. Jansen zei (a) iets",
    "::: {.callout-warning}",
    "~~~",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "kop\n===",
    "term\n:   definitie",
    "    ingesprongen als code",
    "$x^2$ en ~sub~ en ^sup^ en voet^[noot]",
    "[tekst]{.klasse onclick=alert(8)}",
    "&lt;b&gt; &amp; &#60;",
    r"\emph{x} \\ \newpage",
    "<!-- weg --> -- ... ---",
    "<http://example.org> en http://example.org",
    "regel met een backslash aan het eind\\",
    "(@) voorbeeld en #. hash",
    "\u00a0vaste spatie\u00a0blijft",
)
# Quotes are the one thing pandoc's typography may change (straight to curly), as it does in the prose.
CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
TEXT_INLINES = frozenset({"Str", "Space", "SoftBreak", "Quoted"})


def _pandoc(markdown: str, to: str) -> str:
    process = subprocess.run([pandoc_path(), "--from", READER, "--to", to, "--wrap=none"], input=markdown,
                             capture_output=True, text=True, check=True)
    assert process.stderr == "", process.stderr  # e.g. a citation pandoc would try to resolve
    return process.stdout


def _flat(text: str) -> str:
    return " ".join(text.split())


def _inlines(blocks: list) -> list[str]:
    """The kinds of every inline in ``blocks`` (recursively, through blockquotes, lists and quotes)."""
    kinds = []

    def visit(node):
        if isinstance(node, dict):
            if "t" in node and node["t"] not in {"Para", "Plain", "BlockQuote", "BulletList", "Header"}:
                kinds.append(node["t"])
            visit(node.get("c"))
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(blocks)
    return kinds


# Where the analysis puts data: (Markdown around the text, the block kinds pandoc must read from it).
CONTEXTS = {
    "blockquote": ("> {}\n>\n> --- *wethouder, R01*\n", ["BlockQuote"]),
    "list item": ("- {}: 2 coderingen\n", ["BulletList"]),
    "emphasis": ("> --- *{}*\n", ["BlockQuote"]),
    "sentence": ("Het gaat om {} en verder niets.\n", ["Para"]),
    "line start": ("{}\n", ["Para"]),
}


@pytest.mark.parametrize("context", sorted(CONTEXTS))
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_reads_back_as_text(payload, context):
    template, blocks = CONTEXTS[context]
    ast = json.loads(_pandoc(template.format(markdown_text(payload)), "json"))
    assert [block["t"] for block in ast["blocks"]] == blocks
    kinds = set(_inlines(ast["blocks"]))
    assert kinds <= TEXT_INLINES | {"Emph"}, f"{payload!r} became {kinds - TEXT_INLINES}"
    # The only emphasis is the context's own (the attribution); the payload's '*' and '_' stay characters.
    assert _inlines(ast["blocks"]).count("Emph") == (1 if "*" in template else 0)
    plain = _pandoc(template.format(markdown_text(payload)), "plain")
    assert _flat(payload) in _flat(plain.translate(CURLY))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_literal_html(payload):
    page = _pandoc(CONTEXTS["blockquote"][0].format(markdown_text(payload)), "html")
    root = lxml_html.fragment_fromstring(page, create_parent="div")
    assert [element.tag for element in root.iter()] == ["div", "blockquote", "p", "p", "em"]
    first = root.find("blockquote/p")
    assert _flat(first.text_content().translate(CURLY)) == _flat(payload)
    assert not any(element.attrib for element in root.iter())  # no onerror, onload, href, class


def test_payloads_are_literal_in_the_pdf():
    """All payloads in one typst document (one compile): every one is in the PDF's text as written."""
    markdown = "\n".join(f"> {markdown_text(payload)}\n" for payload in PAYLOADS)
    source = "#set page(width: 60cm, height: auto)\n#set text(size: 8pt)\n" + _pandoc(markdown, "typst")
    pdf = pypdf.PdfReader(io.BytesIO(typst.compile(source.encode("utf-8"))))
    # typst reads '...' in text as its ellipsis shorthand (pandoc's typst writer leaves it unescaped): typography,
    # as in the prose, not code.
    text = _flat("\n".join(page.extract_text() for page in pdf.pages).translate(CURLY).replace("\u2026", "..."))
    for payload in PAYLOADS:
        # pypdf joins or splits words at its own discretion; compare without any whitespace.
        assert "".join(payload.split()) in "".join(text.split()), payload


def test_line_breaks_and_indentation_stay_inside_the_line():
    assert markdown_text("  eerste regel\n\n\n    tweede\tregel \r\n") == "eerste regel tweede regel"
    assert markdown_text("a\u2028b\u2029c\x85d") == "a b c d"
    assert markdown_text("\u00a0") == "\u00a0"  # a no-break space is text, not a blank


def test_letters_digits_and_quotes_are_left_alone():
    text = "Het netwerk kende 's nachts geen \"loket\" 2024 ëé"
    assert markdown_text(text) == text


@pytest.mark.parametrize("payload", ["data/demo", "map `met` backticks", "`begin", "eind``", "{{< meta title >}}",
                                     "<script>alert(9)</script>"])
def test_code_span_shows_the_value_as_it_is(payload):
    ast = json.loads(_pandoc(f"uit {markdown_code(payload)}.\n", "json"))
    inlines = ast["blocks"][0]["c"]
    codes = [node for node in inlines if node["t"] == "Code"]
    assert len(codes) == 1 and codes[0]["c"][1] == payload
    assert {node["t"] for node in inlines} <= {"Str", "Space", "Code"}


def test_quote_of_several_paragraphs_stays_one_blockquote():
    from analysis import Evaluation
    from analysis.method import quote_blocks

    text = "Eerste alinea met <b>\n\n```{=html}\n<script>alert(10)</script>\n```\n\n# laatste alinea"
    register = pd.DataFrame([("R01", "criticaster", "wethouder", "gemeente", True)],
                            columns=["respondent", "group", "function", "tier", "consent_quote"])
    segments = pd.DataFrame([("S1", "R01", "INT01", "dreiging", "codeur-1", 0, len(text), text)],
                            columns=["segment", "respondent", "interview", "code", "coder", "start", "end", "text"])
    codebook = pd.DataFrame({"code": ["dreiging"], "parent": [pd.NA], "name": ["Dreiging"],
                             "description": ["Dreiging"], "level": [1]})
    ev = Evaluation(codebook=codebook, register=register, segments=segments, transcripts=MappingProxyType({}),
                    survey=pd.DataFrame(), survey_labels=MappingProxyType({}), trend=pd.DataFrame(), is_demo=False,
                    data_dir=Path("."), file_hashes=MappingProxyType({}))
    ast = json.loads(_pandoc(quote_blocks(ev, "dreiging", n=1), "json"))
    assert [block["t"] for block in ast["blocks"]] == ["BlockQuote"]
    paragraphs = ast["blocks"][0]["c"]
    assert [block["t"] for block in paragraphs] == ["Para"] * 4
    page = _pandoc(quote_blocks(ev, "dreiging", n=1), "html")
    root = lxml_html.fragment_fromstring(page, create_parent="div")
    assert [_flat(p.text_content()) for p in root.findall("blockquote/p")] == [
        "Eerste alinea met <b>", "```{=html} <script>alert(10)</script> ```", "# laatste alinea",
        "\u2014 wethouder, R01"]


# --- the analysis' prose functions, on data whose names are payloads -------------------------------------

#: A data folder may be named anything a file system allows; its name is shown in the data appendix.
HOSTILE_FOLDER = "<img src=x onerror=alert(11)> *map* @data {{< meta title >}}"


@pytest.fixture(scope="module")
def hostile_ev(tmp_path_factory):
    """The demo set, in a folder with a hostile name, with every code named by a payload (and its id, for order)."""
    import yaml

    from analysis import load_evaluation
    from data_helpers import copy_demo

    data = copy_demo(tmp_path_factory.mktemp("text") / HOSTILE_FOLDER)
    codebook = data / "codebook.yml"
    document = yaml.safe_load(codebook.read_text(encoding="utf-8"))
    payloads = iter(PAYLOADS * 10)

    def rename(codes: list[dict]) -> None:
        for code in codes:
            code["name"] = f"{_flat(next(payloads))} {code['code']}"
            rename(code.get("children", []))

    rename(document["codes"])
    codebook.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_evaluation(data)


def _prose(ev) -> dict[str, str]:
    """What each function the chapters call in an inline expression or asis cell returns for ``ev``."""
    from analysis.appendix import data_location
    from analysis.common import demo_statement
    from analysis.method import codes_below_text
    from analysis.polarities import polarity_lean_sentence
    from analysis.practice import WORKLINE_CODES, workline_sentence
    from analysis.umbrella import canopy_panel_sentence, umbrella_inside_phrase, umbrella_outside_phrase

    prose = {"codes_below_text": codes_below_text(ev, 1.01),  # every code: alpha is at most 1
             "umbrella_inside_phrase": umbrella_inside_phrase(ev),
             "umbrella_outside_phrase": umbrella_outside_phrase(ev),
             "canopy_panel_sentence": canopy_panel_sentence(ev),
             "data_location": data_location(ev), "demo_statement": demo_statement(ev)}
    prose.update({f"workline_sentence {code}": workline_sentence(ev, code) for code in WORKLINE_CODES})
    prose.update({f"polarity_lean_sentence {polarity}": polarity_lean_sentence(ev, polarity)
                  for polarity in ("reikwijdte", "richting", "instrumentarium")})
    return prose


def test_prose_from_data_is_text(hostile_ev):
    prose = _prose(hostile_ev)
    for function, markdown in prose.items():
        ast = json.loads(_pandoc(markdown, "json"))
        kinds = set(_inlines(ast["blocks"]))
        if function == "demo_statement":  # a heading and a paragraph of its own, the folder in a code span
            assert [block["t"] for block in ast["blocks"]] == ["Header", "Para"]
            assert kinds <= TEXT_INLINES | {"Code"}
            assert [node["c"][1] for node in ast["blocks"][1]["c"] if node["t"] == "Code"] == [HOSTILE_FOLDER]
            continue
        assert [block["t"] for block in ast["blocks"]] == ["Para"], function
        assert kinds <= TEXT_INLINES, f"{function}: {kinds - TEXT_INLINES}"
    # The names are in the sentences as they are (lower-cased where the sentence wants it).
    plain = _flat(_pandoc(prose["codes_below_text"], "plain").translate(CURLY))
    from analysis.method import codes_below

    names = codes_below(hostile_ev, 1.01)
    assert len(names) > len(PAYLOADS) // 2
    for name in names:
        assert _flat(name.lower()) in plain
    assert _flat(_pandoc(prose["data_location"], "plain")) == HOSTILE_FOLDER


def test_figure_labels_from_data_are_not_mathtext():
    """A codebook name is a figure label too: '$' in it is a dollar sign; mathtext would fail on '$\\onbekend$'."""
    import matplotlib.pyplot as plt

    from analysis.theme import apply_theme

    apply_theme()
    figure, axes = plt.subplots()
    try:
        title = axes.set_title(r"kosten $\onbekend$ of $5 en $6")
        figure.savefig(io.BytesIO(), format="svg")
        assert title.get_text() == r"kosten $\onbekend$ of $5 en $6"
    finally:
        plt.close(figure)
