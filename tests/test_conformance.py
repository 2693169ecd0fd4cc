"""The conformance corpus (tests/conformance/): Quarto sources as authors write them, each rendered and pinned.

Each test copies one corpus folder into a temporary folder (renders write next to their sources), renders it
through the public `render` function or the `report` command, and asserts the exact warning or error message,
or the rendered structure (HTML elements, typst source, PDF text).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from report.build import RenderOptions, render
from report.errors import ReportError

CORPUS = Path(__file__).parent / "conformance"


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(CORPUS / name, target)
    return target


def messages(result) -> list[str]:
    return [str(item) for item in result.warnings]


def main_html(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text[text.index("<main"):text.index("</main>")]


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def report_command(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "report", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


# --- format: every form Quarto accepts -----------------------------------------------------------------------

@pytest.mark.parametrize(("name", "outputs"), [
    ("string.qmd", ["string.html"]),
    ("list.qmd", ["list.html", "list.pdf"]),
    ("mapping.qmd", ["mapping.html", "mapping.pdf"]),
    ("none.qmd", ["none.html"]),  # Quarto's default format is html
])
def test_every_form_of_format_renders_the_formats_it_lists(tmp_path, name, outputs):
    folder = copy("formats", tmp_path)
    result = render(folder / name)
    assert sorted(path.name for path in result.outputs) == outputs
    assert messages(result) == []
    assert all((folder / output).is_file() for output in outputs)


def test_formats_the_engine_does_not_write_are_skipped_with_a_warning_each(tmp_path):
    folder = copy("formats", tmp_path)
    result = render(folder / "others.qmd")
    assert [path.name for path in result.outputs] == ["others.html", "others.docx"]
    assert messages(result) == [
        "others.qmd: format 'revealjs' is skipped: the embedded engine renders html, typst, pdf and docx"]


def test_to_a_format_the_engine_cannot_write_is_a_clear_error(tmp_path):
    folder = copy("formats", tmp_path)
    done = report_command("render", "others.qmd", "--to", "revealjs", cwd=folder)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "error: format 'revealjs' cannot be rendered by the embedded engine (it renders html, typst, pdf and docx; "
        "use a quarto binary with --engine quarto)")
    assert not (folder / "others.html").exists()


def test_pdf_renders_through_typst_with_one_notice_naming_the_latex_only_options(tmp_path):
    folder = copy("pdf-format", tmp_path)
    result = render(folder / "doc.qmd")
    assert [path.name for path in result.outputs] == ["doc.pdf"]
    assert messages(result) == [
        "doc.qmd: format 'pdf' is rendered with typst; LaTeX-only options ignored by the embedded engine: "
        "documentclass, keep-tex, pdf-engine"]
    text = pdf_text(folder / "doc.pdf")
    assert "Rendered through typst: there is no LaTeX here." in text
    assert "Section" in text


# --- open metadata -------------------------------------------------------------------------------------------

def test_open_metadata_merges_project_format_document_and_reaches_the_template(tmp_path):
    folder = copy("metadata", tmp_path)
    result = render(folder / "report.qmd", RenderOptions(formats=("typst",)))
    assert messages(result) == []
    # project < format (typst) < document
    assert "Opdrachtgever: Ministerie (typst). Kenmerk: NWB-2024-07." in pdf_text(folder / "report.pdf")


def test_open_metadata_is_in_the_pipeline_metadata_of_each_format(tmp_path):
    from report.render.context import RenderContext
    from report.render.modes import Article
    from report.sources.documents import read_document
    from report.sources.project import ChapterEntry, load_project

    folder = copy("metadata", tmp_path)
    project = load_project(folder)
    context = RenderContext(project, (ChapterEntry(Path("report.qmd")),), RenderOptions(),
                            Article(folder / "report.qmd"))
    context = context.for_document(read_document(folder, Path("report.qmd")), ())
    html, typst = context.metadata("html"), context.metadata("typst")
    assert (html["opdrachtgever"], html["kenmerk"]) == ("Ministerie (project)", "NWB-2024-07")
    assert (typst["opdrachtgever"], typst["kenmerk"]) == ("Ministerie (typst)", "NWB-2024-07")


# --- typo, type error, ignored option, strict ----------------------------------------------------------------

def test_a_typo_is_a_warning_with_file_line_and_suggestion(tmp_path):
    folder = copy("typo", tmp_path)
    result = render(folder / "doc.qmd", RenderOptions(formats=("html",)))
    assert messages(result) == [
        "_quarto.yml:3: unknown option 'format.html.nuber-sections' in project configuration is kept as metadata "
        "(did you mean 'number-sections'?)",
        "doc.qmd:3: unknown option 'tittle' in front matter is kept as metadata (did you mean 'title'?)",
        "doc.qmd:9: unknown option 'fig-cpa' in cell options is kept as metadata (did you mean 'fig-cap'?)"]


def test_a_type_error_names_file_line_key_value_and_what_is_expected(tmp_path):
    folder = copy("type-error", tmp_path)
    with pytest.raises(ReportError) as caught:
        render(folder / "doc.qmd")
    assert str(caught.value) == ("doc.qmd:3: invalid value for 'toc' in front matter: maybe given, expected true "
                                 "or false")
    assert not (folder / "doc.html").exists()


def test_an_option_the_engine_does_not_implement_is_one_warning_per_key_and_the_render_goes_on(tmp_path):
    folder = copy("ignored", tmp_path)
    done = report_command("render", "doc.qmd", cwd=folder)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert warnings == ["[report] WARNING (doc.qmd:5) option 'format.html.toc-location' is ignored by the "
                        "embedded engine",
                        "[report] WARNING (doc.qmd:6) option 'format.html.code-tools' is ignored by the embedded "
                        "engine"]
    assert done.stderr.strip().splitlines()[-1] == "2 warnings"
    assert "<h2>Section</h2>" in main_html(folder / "doc.html")


def test_strict_on_the_command_line_turns_the_warning_into_an_error(tmp_path):
    folder = copy("ignored", tmp_path)
    done = report_command("render", "doc.qmd", "--strict", cwd=folder)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "error: doc.qmd:5: option 'format.html.toc-location' is ignored by the embedded engine (strict mode: "
        "warnings are errors)")
    assert not (folder / "doc.html").exists()


def test_strict_in_the_project_file_turns_the_warning_into_an_error(tmp_path):
    folder = copy("strict", tmp_path)
    with pytest.raises(ReportError) as caught:
        render(folder / "doc.qmd")
    assert str(caught.value) == ("doc.qmd:5: option 'format.html.toc-location' is ignored by the embedded engine "
                                 "(strict mode: warnings are errors)")


def test_check_takes_strict_as_well(tmp_path):
    folder = copy("quarto-book", tmp_path)
    done = report_command("check", "--strict", cwd=folder)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "error: _quarto.yml: theme cosmo: $link-color: #2780e3 on #ffffff has a contrast of 3.97:1, below WCAG AA "
        "(4.5:1 for text) (strict mode: warnings are errors)")


# --- .md and .ipynb ------------------------------------------------------------------------------------------

def test_a_book_of_markdown_and_notebook_chapters(tmp_path):
    folder = copy("md-chapter", tmp_path)
    result = render(folder)
    assert result.executed == ()  # nothing asked to run: no kernel started
    assert messages(result) == []
    plain = main_html(folder / "_book" / "plain.html")
    assert re.search(r'<pre class="sourceCode python[^"]*"><code class="sourceCode python">', plain)  # shown, not run
    assert "&quot;never run&quot;</span>" in plain and "cell-output" not in plain
    assert "<code>{python} 6 * 7</code>" in plain
    stored = main_html(folder / "_book" / "stored.html")
    # The notebook's title: is the chapter's H1; its stored outputs are shown as they were saved.
    assert '<h1><span class="header-section-number">2</span> Stored outputs</h1>' in stored
    assert '<pre class="cell-output cell-output-display"><code>42</code></pre>' in stored
    assert '<pre class="cell-output cell-output-stdout"><code>stored, not recomputed</code></pre>' in stored
    assert re.search(r'<img src="stored_files/figure-html/fig-stored-output-1.png" class="img-fluid figure-img" '
                     r'alt="A tiny square.">', stored)
    assert "Figure&nbsp;2.1: A stored figure" in stored
    assert '<a href="#fig-stored" class="quarto-xref">Figure&nbsp;2.1</a>' in stored
    assert (folder / "_book" / "stored_files" / "figure-html" / "fig-stored-output-1.png").read_bytes()[:4] == b"\x89PNG"


def test_a_notebook_asking_to_execute_runs_and_replaces_its_stored_output(tmp_path):
    folder = copy("ipynb-executed", tmp_path)
    result = render(folder / "executed.ipynb", RenderOptions(formats=("html",)))
    assert result.executed == (Path("executed.ipynb"),)
    body = main_html(folder / "executed.html")
    assert '<pre class="cell-output cell-output-stdout"><code>42</code></pre>' in body
    assert "<code>stale output</code>" not in body


def test_a_qmd_without_python_cells_starts_no_kernel(tmp_path):
    folder = copy("formats", tmp_path)
    assert render(folder / "string.qmd").executed == ()


# --- the article model and accessibility ---------------------------------------------------------------------

def test_an_article_with_a_title_and_level_two_sections(tmp_path):
    folder = copy("article", tmp_path)
    render(folder / "article.qmd")
    body = main_html(folder / "article.html")
    assert ('<header id="title-block-header" class="quarto-title-block default">\n<div class="quarto-title">\n'
            '<h1 class="title">Hello, Quarto</h1>\n</div>\n<div class="quarto-title-meta">\n<div>\n'
            '<div class="quarto-title-meta-heading">Author</div>\n'
            '<div class="quarto-title-meta-contents"><p>Norah Jones</p></div>\n</div>\n</div>\n</header>') in body
    assert re.findall(r"<h(\d)>([^<]+)</h\d>", body) == [("2", "Introduction"), ("3", "Background"),
                                                         ("2", "Methods")]


def test_a_numbered_article_under_pdf_ua_numbers_from_its_level_two_sections(tmp_path):
    folder = copy("article", tmp_path)
    result = render(folder / "numbered.qmd")
    assert sorted(path.name for path in result.outputs) == ["numbered.html", "numbered.pdf"]
    body = main_html(folder / "numbered.html")
    assert '<h2><span class="header-section-number">1</span> Introduction</h2>' in body
    assert '<h3><span class="header-section-number">1.1</span> Background</h3>' in body
    assert '<a href="#sec-background" class="quarto-xref">Section&nbsp;1.1</a>' in body
    typ = (folder / "numbered.typ").read_text(encoding="utf-8")
    # typst's heading tree starts at level 1 under the title, as PDF/UA-1 requires.
    assert re.findall(r"^#heading\(depth: (\d)[^\n]*\)\[(.+?)\]", typ, flags=re.M) == [
        ("1", "1 Introduction"), ("2", "1.1 Background"), ("1", "2 Methods")]
    assert "pdfuaid" in pypdf.PdfReader(folder / "numbered.pdf").xmp_metadata.stream.get_data().decode()


def test_without_pdf_standard_a_figure_without_alt_text_renders(tmp_path):
    folder = copy("no-pdf-standard", tmp_path)
    result = render(folder / "doc.qmd")
    assert sorted(path.name for path in result.outputs) == ["doc.html", "doc.pdf"]
    body = main_html(folder / "doc.html")
    assert '<img src="square.svg" class="img-fluid figure-img" alt="">' in body
    assert "Figure&nbsp;1: A blue square, described by its caption." in body
    assert "A blue square, described by its caption." in pdf_text(folder / "doc.pdf")
    assert pypdf.PdfReader(folder / "doc.pdf").xmp_metadata is None or "pdfuaid" not in \
        pypdf.PdfReader(folder / "doc.pdf").xmp_metadata.stream.get_data().decode()


def test_with_pdf_ua_a_figure_without_alt_text_is_an_error(tmp_path):
    folder = copy("pdf-standard-alt", tmp_path)
    with pytest.raises(ReportError) as caught:
        render(folder / "no-alt.qmd", RenderOptions(formats=("typst",)))
    assert str(caught.value) == ("no-alt.qmd:10: figure 'fig-square': missing alt text, which PDF/UA-1 requires "
                                 "(add fig-alt)")
    assert not (folder / "no-alt.pdf").exists()


def test_with_pdf_ua_a_missing_title_is_an_error(tmp_path):
    folder = copy("pdf-standard-alt", tmp_path)
    with pytest.raises(ReportError) as caught:
        render(folder / "no-title.qmd", RenderOptions(formats=("typst",)))
    assert str(caught.value) == ("no-title.qmd: missing document title: PDF/UA-1 requires one (set 'title:' in the "
                                 "front matter, or 'book: title:')")


def test_with_pdf_ua_and_alt_text_the_pdf_claims_ua_and_pdf_a(tmp_path):
    folder = copy("pdf-standard-alt", tmp_path)
    render(folder / "with-alt.qmd", RenderOptions(formats=("typst",)))
    metadata = pypdf.PdfReader(folder / "with-alt.pdf").xmp_metadata.stream.get_data().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in metadata
    assert "<pdfaid:part>2</pdfaid:part>" in metadata and "<pdfaid:conformance>A</pdfaid:conformance>" in metadata


# --- the book `quarto create project book` makes -------------------------------------------------------------

def test_the_book_quarto_create_makes_renders_to_html_and_pdf_naming_every_option_left_out(tmp_path):
    folder = copy("quarto-book", tmp_path)
    done = report_command("render", cwd=folder)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert warnings == [
        "[report] WARNING (_quarto.yml) format 'pdf' is rendered with typst; LaTeX-only options ignored by the "
        "embedded engine: documentclass",
        # Quarto's own book template asks for cosmo, whose link colour is below AA on white.
        "[report] WARNING (_quarto.yml) theme cosmo: $link-color: #2780e3 on #ffffff has a contrast of 3.97:1, "
        "below WCAG AA (4.5:1 for text)"]
    assert done.stderr.strip().splitlines()[-1] == "2 warnings"
    book = folder / "_book"
    assert sorted(path.name for path in book.glob("*.html")) == ["index.html", "intro.html", "references.html",
                                                                 "summary.html"]
    intro = main_html(book / "intro.html")
    assert '<h1><span class="header-section-number">1</span> Introduction</h1>' in intro
    assert '<pre class="cell-output cell-output-display"><code>2</code></pre>' in intro
    assert "Knuth" in main_html(book / "references.html")
    text = pdf_text(book / "mybook.pdf")
    assert "mybook" in text and "Norah Jones" in text
    assert "In summary, this book has no content whatsoever." in text


def test_authors_as_objects_with_affiliations_reach_the_title_page(tmp_path):
    folder = copy("authors", tmp_path)
    result = render(folder / "doc.qmd")
    assert messages(result) == []
    text = pdf_text(folder / "doc.pdf")
    assert "Norah Jones" in text and "Bill Gates" in text
