"""Every option the README calls implemented takes effect at every level Quarto's schema allows it.

For each (option, level) a small project is rendered with the option set at that level only, and the rendered
HTML, typst source or PDF is checked for its effect. Each probe is also rendered without the option, to prove
that its check can fail. An option that takes no visible effect (editor settings) is checked to render with no
warning about it.

Where Quarto allows each option (quarto-cli src/resources/schema): every document option (document-*.yml) at the
top of `_quarto.yml`, under its `format: NAME:`, in the front matter and under the front matter's `format: NAME:`;
the options below also in a cell's `#|` lines (cell-codeoutput.yml, cell-figure.yml, cell-table.yml,
cell-layout.yml). The execution options are document options through `contexts: [document-execute]`.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from report.build import RenderOptions, render
from report.errors import ReportError

REPOSITORY = Path(__file__).resolve().parent.parent
DOCUMENT_LEVELS = ("project", "project format", "document", "document format")
CELL = "cell"
# Options Quarto's cell schema allows in `#|` lines, besides the document levels.
CELL_OPTIONS = frozenset({
    "eval", "echo", "output", "warning", "error", "include",  # cell-codeoutput.yml, cell-textoutput.yml
    "code-fold", "code-summary", "code-overflow", "code-line-numbers",  # cell-codeoutput.yml
    "fig-width", "fig-height", "fig-format", "fig-dpi", "fig-cap-location",  # cell-figure.yml
    "tbl-colwidths", "tbl-cap-location",  # cell-table.yml
    "cap-location",  # cell-layout.yml
})


# Read from the top level of _quarto.yml and of the front matter only (Quarto's includedMetadata); under
# `format:` they are a warning (test_metadata_files_under_a_format_are_a_warning).
TOP_LEVEL_ONLY = frozenset({"metadata-file", "metadata-files"})


def levels_of(option: str) -> tuple[str, ...]:
    if option in TOP_LEVEL_ONLY:
        return ("project", "document")
    return DOCUMENT_LEVELS + ((CELL,) if option in CELL_OPTIONS else ())


@dataclass(frozen=True)
class Rendered:
    folder: Path
    html: str = ""
    typst: str = ""
    pdf: bytes = b""
    warnings: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class Probe:
    option: str
    value: Any
    writer: str  # html or typst: the output that shows the effect
    check: Callable[[Rendered], bool]
    body: str = "## Section\n\nText.\n"  # `#| CELL` marks where a cell's options go
    front: dict[str, Any] = field(default_factory=dict)  # always in the front matter
    files: dict[str, Any] = field(default_factory=dict)  # more files: text, a file to copy, or a maker of bytes
    inert: bool = False  # nothing a renderer shows: checked to render without a warning naming it
    also: tuple[str, ...] = ()  # formats rendered besides the writer's (an option about the other outputs)

    @property
    def id(self) -> str:
        return self.option


TITLED = {"title": "Probe"}  # the title block shows with a title
EMBED = "{{< embed probe.ipynb#probe-cell >}}\n"  # a stored output of the notebook below, with its Source link
PROBE_NOTEBOOK = ('{"cells": [{"cell_type": "code", "execution_count": 1, "id": "c1", "metadata": {}, '
                  '"outputs": [{"name": "stdout", "output_type": "stream", "text": ["probe\\n"]}], '
                  '"source": ["#| label: probe-cell\\n", "print(\'probe\')"]}], "metadata": {"kernelspec": '
                  '{"display_name": "Python 3", "language": "python", "name": "python3"}}, "nbformat": 4, '
                  '"nbformat_minor": 5}\n')
CODE_CELL = "```{python}\n#| eval: false\n#| CELL\nx = 1\n```\n"  # shown, never run: no kernel
PRINT_CELL = "```{python}\n#| CELL\nprint('OUT' + 'PUT')\n```\n"
FIGURE_CELL = ("```{python}\n#| label: fig-probe\n#| fig-cap: Probe figure\n#| CELL\n"
               "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n```\n")
FLOAT_CELL = "```{python}\n#| label: fig-probe\n#| fig-cap: Probe figure\n#| CELL\nprint('OUT' + 'PUT')\n```\n"
TABLE_CELL = ("```{python}\n#| label: tbl-probe\n#| tbl-cap: Probe table\n#| output: asis\n#| CELL\n"
              "print('| a | b |\\n|---|---|\\n| 1 | 2 |')\n```\n")
WARNING_CELL = "```{python}\n#| CELL\nimport warnings\nwarnings.warn('PROBE' + '-WARNING')\n```\n"
ERROR_CELL = "```{python}\n#| CELL\n1 / 0\n```\n"
ANNOTATED = "```python\nx = 1 # <1>\n```\n\n1. Probe note\n"
BIBLIOGRAPHY = ("@book{probe2020, author = {Probeson, Anna}, title = {Probing}, year = {2020}, "
                "publisher = {Probe Press}}\n")
FONTS = Path(__import__("matplotlib").get_data_path()) / "fonts" / "ttf"


@functools.lru_cache(maxsize=1)
def _probe_font() -> bytes:
    """A font no PDF sees unless the project names its folder: matplotlib's DejaVu Serif, renamed."""
    from fontTools.ttLib import TTFont

    font = TTFont(FONTS / "DejaVuSerif.ttf")
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Probe Serif"
        elif record.nameID == 6:
            record.string = "ProbeSerif"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _reference_docx() -> bytes:
    """A reference document whose Normal style names a font no other document names."""
    import docx

    document = docx.Document()
    document.styles["Normal"].font.name = "ProbeWordFont"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _svg_size(rendered: Rendered, attribute: str) -> float:
    svg = next(rendered.folder.glob("doc_files/figure-html/*.svg")).read_text(encoding="utf-8")
    return float(re.search(rf'<svg[^>]*\b{attribute}="([\d.]+)pt"', svg).group(1))


def _png_width(rendered: Rendered) -> int:
    png = next(rendered.folder.glob("doc_files/figure-html/*.png")).read_bytes()
    return struct.unpack(">I", png[16:20])[0]


def _has(text: str) -> Callable[[Rendered], bool]:
    return lambda rendered: text in (rendered.html or rendered.typst)


def _lacks(text: str) -> Callable[[Rendered], bool]:
    return lambda rendered: rendered.error is None and text not in (rendered.html or rendered.typst)


PROBES = (
    # the title block
    Probe("title", "Probe Title", "html", lambda r: re.search(r'<h1 class="title">Probe Title', r.html) is not None),
    Probe("subtitle", "Probe Subtitle", "html", _has('<p class="subtitle lead">Probe Subtitle'), front=TITLED),
    Probe("date", "2021-03-04", "html", lambda r: re.search(r'class="date">[^<]*2021', r.html) is not None,
          front=TITLED),
    Probe("author", "Ada Probe", "html", _has("Ada Probe"), front=TITLED),
    Probe("affiliations", [{"id": "a1", "name": "Probe Institute"}], "html", _has("Probe Institute"),
          front={**TITLED, "author": [{"name": "Ada", "affiliations": [{"ref": "a1"}]}]}),
    Probe("date-format", "YYYY/MM/DD", "html", _has("2021/03/04"), front={**TITLED, "date": "2021-03-04"}),
    Probe("abstract", "Probe abstract.", "html",
          lambda r: re.search(r'class="abstract.*Probe abstract', r.html, re.DOTALL) is not None, front=TITLED),
    Probe("abstract-title", "Probe Summary", "html", _has("Probe Summary"), front={**TITLED, "abstract": "Text."}),
    Probe("license", "CC BY Probe", "typst", _has("[CC BY Probe]")),
    Probe("lang", "de", "html", _has('<html lang="de"')),
    Probe("language", {"callout-tip-title": "Probe Tip Title"}, "html", _has("Probe Tip Title"),
          body="::: {.callout-tip}\nText.\n:::\n"),
    Probe("from", "markdown+emoji", "html", _has("\N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES}"),
          body="Probe :smile: face.\n"),
    # references
    Probe("bibliography", "refs.bib", "html", _has("Probeson"), body="See [@probe2020].\n",
          files={"refs.bib": BIBLIOGRAPHY}),
    Probe("csl", "apa.csl", "html", _has("Probeson, 2020"), body="See [@probe2020].\n",
          front={"bibliography": "refs.bib"},
          files={"refs.bib": BIBLIOGRAPHY, "apa.csl": REPOSITORY / "styles" / "apa.csl"}),
    Probe("crossref", {"fig-title": "Probeer"}, "html", lambda r: re.search(r"Probeer(\s|&nbsp;)1", r.html) is not None,
          body="::: {#fig-probe}\nContent\n\nProbe caption\n:::\n\nSee @fig-probe.\n"),
    # contents and numbering
    Probe("toc", True, "typst", _has("toc: true,")),
    Probe("toc-depth", 4, "typst", _has("toc_depth: 4")),
    Probe("toc-title", "Probe Contents", "typst", _has("toc_title: [Probe Contents]"), front={"toc": True}),
    Probe("lof", True, "typst", _has("lof: true")),
    Probe("lot", True, "typst", _has("lot: true")),
    Probe("number-sections", True, "html", _has('class="header-section-number"')),
    # the PDF's page and fonts
    Probe("papersize", "a5", "typst", _has('paper: "a5"')),
    Probe("margin", {"x": "1cm", "y": "2cm"}, "typst", _has("margin: (x: 1cm, y: 2cm, )")),
    Probe("mainfont", "DejaVu Sans", "typst", _has('font: ("DejaVu Sans",)')),
    Probe("fontsize", "13pt", "typst", _has("fontsize: 13pt")),
    Probe("font-paths", "probe-fonts", "typst",
          lambda r: r.error is None and not any("mainfont 'Probe Serif'" in item for item in r.warnings),
          front={"mainfont": "Probe Serif"}, files={"probe-fonts/ProbeSerif.ttf": _probe_font}),
    Probe("pdf-standard", "ua-1", "typst", lambda r: b"pdfuaid" in r.pdf, front={"title": "Probe"}),
    Probe("template-partials", ["partials/typst-show.typ"], "typst", _has("// probe partial"),
          files={"partials/typst-show.typ": "// probe partial\n" + (
              REPOSITORY / "report" / "outputs" / "resources" / "typst" / "typst-show.typ").read_text()}),
    Probe("keep-typ", True, "typst", lambda r: (r.folder / "doc.typ").is_file()),
    Probe("output-ext", "typ", "typst", lambda r: (r.folder / "doc.typ").is_file() and not r.pdf),
    # the page's style
    Probe("css", "probe.css", "html", _has('<link rel="stylesheet" href="probe.css">'),
          files={"probe.css": "p { color: #123456; }\n"}),
    Probe("html-math-method", "plain", "html", _lacks("<math"), body="Math $x^2$.\n"),
    Probe("axe", True, "html", _has('<script id="quarto-axe-checker-options"')),
    Probe("default-image-extension", "jpg", "html", _has('src="probe.jpg"'), body="![Probe](probe)\n"),
    Probe("other-links", [{"text": "Probe other", "href": "https://example.org/o"}], "html",
          _has('<div class="quarto-other-links">')),
    Probe("code-links", [{"text": "Probe code", "href": "https://example.org/c"}], "html",
          _has('<div class="quarto-code-links">')),
    Probe("format-links", False, "html", _lacks('class="quarto-alternate-formats"'), also=("docx",)),
    Probe("notebook-links", False, "html", _lacks('class="quarto-notebook-link"'), body=EMBED,
          files={"probe.ipynb": PROBE_NOTEBOOK}),
    Probe("notebook-view", False, "html", _has('href="probe.ipynb" download="probe.ipynb"'), body=EMBED,
          files={"probe.ipynb": PROBE_NOTEBOOK}),
    # code
    Probe("code-copy", False, "html", _lacks('class="code-copy-button"'), body=CODE_CELL),
    Probe("code-annotations", "none", "html", _lacks("code-annotation-code"), body=ANNOTATED),
    Probe("syntax-highlighting", "zenburn", "html", lambda r: "#cc9393" in r.html.lower(), body=CODE_CELL),
    Probe("highlight-style", "zenburn", "html", lambda r: "#cc9393" in r.html.lower(), body=CODE_CELL),
    Probe("code-fold", True, "html", _has('<details class="code-fold"'), body=CODE_CELL),
    Probe("code-summary", "Probe code", "html", _has("<summary>Probe code"), body=CODE_CELL,
          front={"code-fold": True}),
    Probe("code-overflow", "wrap", "html", lambda r: re.search(r'class="[^"]*code-overflow-wrap', r.html) is not None, body=CODE_CELL),
    Probe("code-line-numbers", True, "html", _has("numberLines"), body=CODE_CELL),
    Probe("callout-appearance", "simple", "html", _has('class="callout callout-style-simple'),
          body="::: {.callout-note}\nProbe note.\n:::\n"),
    Probe("callout-icon", False, "html", lambda r: re.search(r'class="callout [^"]*no-icon', r.html) is not None, body="::: {.callout-note}\nProbe note.\n:::\n"),
    # execution
    Probe("eval", False, "html", _lacks("OUTPUT"), body=PRINT_CELL),
    Probe("echo", False, "html", _lacks("cell-code"), body=PRINT_CELL),
    Probe("output", False, "html", lambda r: "OUTPUT" not in r.html and "cell-code" in r.html, body=PRINT_CELL),
    Probe("warning", False, "html", _lacks("PROBE-WARNING"), body=WARNING_CELL),
    Probe("error", True, "html", lambda r: "ZeroDivisionError" in r.html, body=ERROR_CELL),
    Probe("include", False, "html", lambda r: "OUTPUT" not in r.html and "cell-code" not in r.html,
          body=PRINT_CELL),
    Probe("execute", {"echo": False}, "html", _lacks("cell-code"), body=PRINT_CELL),
    # figures and tables of cells
    Probe("fig-width", 3, "html", lambda r: _svg_size(r, "width") < 300, body=FIGURE_CELL),
    Probe("fig-height", 2, "html", lambda r: _svg_size(r, "height") < 200, body=FIGURE_CELL),
    Probe("fig-format", "png", "html", lambda r: any(r.folder.glob("doc_files/figure-html/*.png")), body=FIGURE_CELL),
    Probe("fig-dpi", 30, "html", lambda r: _png_width(r) < 300, body=FIGURE_CELL, front={"fig-format": "png"}),
    Probe("fig-align", "left", "html", _has("quarto-float quarto-figure quarto-figure-left"),
          body="![Probe](probe.png){#fig-probe}\n", files={"probe.png": lambda: _png_bytes()}),
    Probe("variant", "+literate_haskell", "html", _has("sourceCode literatehaskell"),
          body="```{.haskell .literate}\nunsplit = arr . uncurry\n```\n"),
    Probe("mermaid", {"theme": "forest"}, "html", _has('<meta name="mermaid-theme" content="forest">'),
          body="```{mermaid}\nflowchart LR\n  a --> b\n```\n"),
    Probe("fig-cap-location", "top", "html", _has("quarto-float-caption-top quarto-float-caption quarto-float-fig"),
          body=FLOAT_CELL),
    Probe("cap-location", "top", "html", _has("quarto-float-caption-top quarto-float-caption quarto-float-fig"),
          body=FLOAT_CELL),
    Probe("tbl-cap-location", "bottom", "html",
          _has("quarto-float-caption-bottom quarto-float-caption quarto-float-tbl"), body=TABLE_CELL),
    Probe("tbl-colwidths", [20, 80], "html", _has('style="width: 20%"'), body=TABLE_CELL),
    # what a page takes in from files (report.outputs.includes, report.outputs.html_embed, report.document.lua_filters)
    Probe("include-in-header", [{"text": '<meta name="probe" content="header">'}], "html",
          _has('<meta name="probe" content="header">')),
    Probe("include-before-body", [{"text": "<p>PROBE-BEFORE</p>"}], "html", _has("<p>PROBE-BEFORE</p>")),
    Probe("include-after-body", [{"text": "<p>PROBE-AFTER</p>"}], "html", _has("<p>PROBE-AFTER</p>")),
    Probe("filters", ["probe.lua"], "html", _has("FILTERED"),
          files={"probe.lua": 'function Str(el)\n  if el.text == "Text." then return pandoc.Str("FILTERED") end\nend\n'}),
    Probe("embed-resources", True, "html", _has('src="data:image/png;base64,'), body="![Probe](probe.png)\n",
          files={"probe.png": lambda: _png_bytes()}),
    Probe("metadata-files", ["probe-meta.yml"], "html", _has("Meta Subtitle"), front=TITLED,
          files={"probe-meta.yml": "subtitle: Meta Subtitle\n"}),
    Probe("metadata-file", "probe-meta.yml", "html", _has("Meta Subtitle"), front=TITLED,
          files={"probe-meta.yml": "subtitle: Meta Subtitle\n"}),
    Probe("html-table-processing", "none", "html", _lacks('class="odd"'),
          body="```{=html}\n<table>\n<tr><td>raw</td><td>html</td></tr>\n<tr><td>twee</td><td>rijen</td></tr>\n</table>\n```\n"),
    # house style (report.sources.brand, report.outputs.theme, report.outputs.brand_typst)
    Probe("brand", {"color": {"primary": "#123456"}}, "html", lambda r: "#123456" in r.html.lower()),
    Probe("theme", "flatly", "html", lambda r: "#2c3e50" in r.html.lower()),
    Probe("logo", "probe-logo.png", "typst", _has("probe-logo.png"), files={"probe-logo.png": lambda: _png_bytes()}),
    Probe("columns", 2, "typst", _has("columns: 2")),
    # the PDF's margin layout (report.outputs.margin_layout)
    Probe("reference-location", "margin", "typst", _has("#show footnote: it => column-sidenote(it.body)"),
          body="Text with a note.^[In the margin.]\n"),
    Probe("citation-location", "margin", "typst", _has("[#set text(size: 0.85em)"), body="Text [@probe2020].\n",
          front={"bibliography": "probe.bib"},
          files={"probe.bib": "@book{probe2020, author = {Probe, Ada}, title = {Probing}, year = {2020}}\n"}),
    Probe("grid", {"margin-width": "2.5in"}, "typst", _has("width: 2.500in"),
          body="Text[beside]{.column-margin}.\n"),
    Probe("margin-geometry", {"clearance": "17pt"}, "typst", _has("clearance: 17pt"),
          body="Text[beside]{.column-margin}.\n"),
    # citations through citeproc instead of typst's own bibliography (report.outputs._biblio_typst)
    Probe("citeproc", True, "typst", _lacks("#bibliography(("), body="Text [@probe2020].\n",
          front={"bibliography": "probe.bib"},
          files={"probe.bib": "@book{probe2020, author = {Probe, Ada}, title = {Probing}, year = {2020}}\n"}),
    Probe("theorem-appearance", "clouds", "typst", _has("cosmos.clouds"),
          body="::: {#thm-probe}\n## Probe\nA theorem.\n:::\n"),
    Probe("suppress-bibliography", True, "typst", _has("#show bibliography: none"), body="Text [@probe2020].\n",
          front={"bibliography": "probe.bib"},
          files={"probe.bib": "@book{probe2020, author = {Probe, Ada}, title = {Probing}, year = {2020}}\n"}),
    # a single document's citation appendix (report.outputs.citation_appendix)
    Probe("citation", True, "html", _has('id="quarto-citation"'), front=TITLED),
    Probe("appendix-cite-as", "bibtex", "html", _lacks("quarto-appendix-citeas"),
          front={**TITLED, "citation": True, "author": "Ada Probe", "date": "2020-01-01"}),
    Probe("keep-hidden", True, "html", _has("probe_hidden"),
          body="```{python}\n#| echo: false\n#| eval: false\nprobe_hidden = 1\n```\n"),
    # plotly's renderer (report.execution.execute): plotly.js inline in the page's head, not from its CDN
    Probe("plotly-connected", False, "html", _lacks('import "https://cdn.plot.ly'),
          body="```{python}\nimport plotly.express as px\npx.bar(x=[1], y=[2]).show()\n```\n"),
    Probe("thanks", "Probe Thanks", "typst", _has("thanks: [Probe Thanks],")),
    Probe("keywords", ["probekeyword"], "typst", _has('keywords: ("probekeyword",),')),
    Probe("css-property-processing", "none", "typst", _lacks("#set text(fill: rgb(255, 0, 255))"),
          body='```{=html}\n<table><tr><td style="color: magenta">B</td></tr></table>\n```\n'),
    Probe("codefont", "DejaVu Sans Mono", "typst", _has('codefont: ("DejaVu Sans Mono",),')),
    Probe("mathfont", "New Computer Modern Math", "typst", _has('mathfont: ("New Computer Modern Math",),')),
    Probe("linestretch", 1.3, "typst", _has("linestretch: 1.3,")),
    Probe("linkcolor", "#0000ff", "typst", _has("linkcolor: [\\#0000ff],")),
    Probe("citecolor", "#00ff00", "typst", _has("citecolor: [\\#00ff00],")),
    Probe("filecolor", "#ff0000", "typst", _has("filecolor: [\\#ff0000],")),
    # Word's styles come from the reference document (report.outputs.docx)
    Probe("reference-doc", "probe-reference.docx", "docx", _has("ProbeWordFont"),
          files={"probe-reference.docx": lambda: _reference_docx()}),
    # settings of editors and engines: nothing to show
    Probe("engine", "jupyter", "html", lambda r: r.error is None, inert=True),
    Probe("jupyter", "python3", "html", lambda r: r.error is None, inert=True),
    Probe("editor", "visual", "html", lambda r: r.error is None, inert=True),
    Probe("editor_options", {"chunk_output_type": "console"}, "html", lambda r: r.error is None, inert=True),
    Probe("zotero", True, "html", lambda r: r.error is None, inert=True),
)
# `format` is the levels themselves: every probe sets it at the two format levels.
# Website-only options take effect on a website's pages (tests/test_website_meta.py); these probes are default projects.
# resource-path matters only with embed-resources (tests/test_html_quarto_structure_a.py pins it).
NOT_PROBED = frozenset({"format", "canonical-url", "open-graph", "twitter-card", "resource-path"})


def _write_project(folder: Path, probe: Probe, level: str | None) -> Path:
    project: dict[str, Any] = {"project": {"type": "default"}}
    front = dict(probe.front)
    cell_line = ""
    if level == "project":
        project[probe.option] = probe.value
    elif level == "project format":
        project["format"] = {probe.writer: {probe.option: probe.value}}
    elif level == "document":
        front[probe.option] = probe.value
    elif level == "document format":
        front["format"] = {probe.writer: {probe.option: probe.value}}
    elif level == CELL:
        cell_line = "#| " + yaml.safe_dump({probe.option: probe.value}, default_flow_style=True).strip()[1:-1] + "\n"
    (folder / "_quarto.yml").write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
    body = probe.body.replace("#| CELL\n", cell_line)
    head = f"---\n{yaml.safe_dump(front, sort_keys=False)}---\n\n" if front else ""
    (folder / "doc.qmd").write_text(head + body, encoding="utf-8")
    for name, content in probe.files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, folder / name)
        elif callable(content):
            (folder / name).write_bytes(content())
        else:
            (folder / name).write_text(content, encoding="utf-8")
    return folder / "doc.qmd"


@pytest.fixture(scope="module")
def execution_cache(tmp_path_factory) -> Path:
    """One execution cache for every probe project: a probe whose cells ran before with the same code and
    execution options is served from it (the engine's cache key), so few probes start a kernel."""
    return tmp_path_factory.mktemp("execution-cache")


def render_probe(folder: Path, probe: Probe, level: str | None, cache: Path | None = None) -> Rendered:
    document = _write_project(folder, probe, level)
    if cache is not None:
        (folder / ".report-cache").symlink_to(cache, target_is_directory=True)
    try:
        result = render(document, RenderOptions(formats=(probe.writer, *probe.also), use_cache=cache is not None))
    except ReportError as error:
        return Rendered(folder, error=str(error))
    warnings = tuple(item.message for item in result.warnings)
    if probe.writer == "html":
        return Rendered(folder, html=(folder / "doc.html").read_text(encoding="utf-8"), warnings=warnings)
    if probe.writer == "docx":  # the Word file's styles, where a reference document shows
        with zipfile.ZipFile(folder / "doc.docx") as archive:
            return Rendered(folder, html=archive.read("word/styles.xml").decode("utf-8"), warnings=warnings)
    typst = max(folder.glob(".report-build/work-*/book.typ"), key=lambda path: path.stat().st_mtime)
    pdf = (folder / "doc.pdf").read_bytes() if (folder / "doc.pdf").is_file() else b""  # none with output-ext: typ
    return Rendered(folder, typst=typst.read_text(encoding="utf-8"), pdf=pdf, warnings=warnings)


MATRIX = [pytest.param(probe, level, id=f"{probe.option}@{level}") for probe in PROBES
          for level in levels_of(probe.option)]


@pytest.mark.parametrize(("probe", "level"), MATRIX)
def test_option_takes_effect_at_every_level_quarto_allows(tmp_path, execution_cache, probe, level):
    rendered = render_probe(tmp_path, probe, level, execution_cache)
    assert rendered.error is None or probe.option == "error", rendered.error
    assert probe.check(rendered), f"{probe.option} set at {level} has no effect"
    assert not [item for item in rendered.warnings if f"'{probe.option}'" in item], rendered.warnings


@pytest.mark.parametrize("probe", [pytest.param(probe, id=probe.option) for probe in PROBES if not probe.inert])
def test_each_check_fails_without_its_option(tmp_path, execution_cache, probe):
    assert not probe.check(render_probe(tmp_path, probe, None, execution_cache))


def test_every_option_the_readme_calls_implemented_is_probed():
    from report.sources.option_status import status_table

    implemented = {name for scope, name, status in status_table() if scope == "document" and status == "implemented"}
    assert implemented - {probe.option for probe in PROBES} == set(NOT_PROBED)


# --- the merge itself, and what the engine accepts but does not apply -------------------------------------------

def test_quarto_merge_rule_maps_merge_lists_join_and_tbl_colwidths_is_replaced():
    from report.sources.resolved import merge_options

    merged = merge_options({"crossref": {"fig-title": "A", "labels": "roman"}, "bibliography": "a.bib",
                            "css": ["x.css"], "tbl-colwidths": [50, 50], "toc": True},
                           {"crossref": {"fig-title": "B"}, "bibliography": ["b.bib", "a.bib"], "css": None,
                            "tbl-colwidths": [20, 80], "toc": False})
    assert merged == {"crossref": {"fig-title": "B", "labels": "roman"}, "bibliography": ["a.bib", "b.bib"],
                      "css": ["x.css"], "tbl-colwidths": [20, 80], "toc": False}


def test_resolution_names_the_file_and_level_of_each_option_and_reads_pdf_options_for_typst():
    from report.sources.resolved import resolve_format

    project = {"fontsize": "10pt", "format": {"pdf": {"fontsize": "11pt", "papersize": "a5"}, "typst": {"toc": True}}}
    document = {"echo": False, "format": {"pdf": {"fontsize": "12pt"}, "html": {"fontsize": "9pt"}}}
    resolved = resolve_format("pdf", project, document, document_file=Path("doc.qmd"))
    assert resolved.writer == "typst"
    assert (resolved.get("fontsize"), resolved.get("papersize"), resolved.get("toc")) == ("12pt", "a5", True)
    assert resolved.origin("fontsize").where("fontsize") == "'format: pdf:' in doc.qmd"
    assert resolved.origin("papersize").where("papersize") == "'format: pdf:' in _quarto.yml"
    assert resolved.execute == {"echo": False}
    from report.sources.config import CellOptions
    from report.sources.resolved import cell_option

    assert cell_option(CellOptions(echo=True), resolved.execute, "echo", None) is True
    assert cell_option(CellOptions(), resolved.execute, "echo", None) is False
    assert cell_option(CellOptions(), resolved.execute, "eval", "fallback") == "fallback"


def _render_both(folder: Path, front: str) -> list:
    (folder / "_quarto.yml").write_text("project:\n  type: default\n", encoding="utf-8")
    (folder / "doc.qmd").write_text(f"---\n{front}---\n\n```{{python}}\nx = 1\n```\n", encoding="utf-8")
    return list(render(folder / "doc.qmd", RenderOptions(formats=("html", "typst"))).warnings)


def test_an_option_read_once_per_document_set_otherwise_for_another_format_is_a_warning(tmp_path):
    warnings = _render_both(tmp_path, "format:\n  html: default\n  typst:\n    echo: false\n    fig-width: 3\n")
    assert [(str(item.path), item.message) for item in warnings] == [
        ("doc.qmd", "option 'echo' under 'format: typst:' in doc.qmd is not applied: the embedded engine runs and "
                    "reads a document once for all its formats, with the options of 'html'"),
        ("doc.qmd", "option 'fig-width' under 'format: typst:' in doc.qmd is not applied: the embedded engine runs "
                    "and reads a document once for all its formats, with the options of 'html'")]
    assert "cell-code" in (tmp_path / "doc.html").read_text(encoding="utf-8")  # html's echo, as the warning says


def test_the_same_value_for_every_format_is_no_warning(tmp_path):
    assert _render_both(tmp_path, "format:\n  html:\n    echo: false\n  typst:\n    echo: false\n") == []


def test_a_chapter_option_a_book_reads_from_quarto_yml_is_a_warning_naming_the_chapter(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nbook:\n  title: Boek\n  chapters:\n"
                                          "    - index.qmd\n    - a.qmd\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Voorwoord\n\nTekst.\n", encoding="utf-8")
    (tmp_path / "a.qmd").write_text("---\ntoc-title: Inhoud A\ncode-fold: true\nformat:\n  html:\n"
                                    "    number-sections: false\n---\n\n# A\n\n```{python}\n#| eval: false\nx = 1\n```\n",
                                    encoding="utf-8")
    warnings = render(tmp_path, RenderOptions(formats=("html",))).warnings
    assert [(str(item.path), item.message) for item in warnings] == [
        ("a.qmd", "option 'toc-title' in the front matter of a.qmd is not applied: in a book the embedded engine "
                  "reads it for every chapter from _quarto.yml"),
        ("a.qmd", "option 'number-sections' in 'format: html:' in a.qmd is not applied: in a book the embedded "
                  "engine reads it for every chapter from _quarto.yml")]
    page = (tmp_path / "_book" / "a.html").read_text(encoding="utf-8")
    assert '<details class="code-fold"' in page  # code-fold is read per chapter: applied, no warning


def test_a_format_is_registered_in_one_place(monkeypatch):
    """A writer added to report.sources.format_names is listed, resolved and selectable everywhere at once."""
    from report.sources import format_names
    from report.sources.formats import resolve_formats
    from report.sources.resolved import resolve_format

    monkeypatch.setattr(format_names, "WRITERS", (*format_names.WRITERS,
                                                  format_names.Writer("odt", selected_by=("odt",))))
    assert resolve_formats(None, ["html", "odt"], []) == ("html", "odt")
    resolved = resolve_format("odt", {"toc": True, "format": {"odt": {"toc-depth": 2}, "html": {"toc-depth": 4}}})
    assert (resolved.writer, resolved.get("toc"), resolved.get("toc-depth")) == ("odt", True, 2)
    assert format_names.selected_by("odt") == {"odt"}
    with pytest.raises(ReportError, match=r"it renders html, typst, pdf, docx and odt"):
        resolve_formats(("epub",), [], [])


@pytest.mark.parametrize("level", ["project format", "document format"])
def test_metadata_files_under_a_format_are_a_warning(tmp_path, level):
    probe = next(probe for probe in PROBES if probe.option == "metadata-files")
    rendered = render_probe(tmp_path, probe, level)
    assert "option 'metadata-files' under 'format: html:' is not applied: metadata files are read from the top " \
           "level only, as in Quarto" in rendered.warnings
    assert "Meta Subtitle" not in rendered.html
