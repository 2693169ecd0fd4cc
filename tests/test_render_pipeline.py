"""The render's structure (report/build.py, report/render/): writers come from the format registry, so a format
is added by its own module and one registry line; the transforms run in one listed order; no import cycles."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from report.build import RenderOptions, render
from report.errors import ReportError
from report.render.transforms import BOOK, DOCUMENT
from report.render.writing import writer_module
from report.sources import format_names

ENGINE = Path(__file__).resolve().parents[1] / "report"

# A writer of plain text that lives outside the engine: headings and paragraphs, one per line.
PLAIN_WRITER = '''
from report.document._ast import stringify
from report.document.authoring import for_format

EXTENSION = ".txt"


def _text(documents):
    blocks = [block for doc in documents for block in for_format(doc.blocks, "plain")]
    lines = [stringify(block["c"][2] if block["t"] == "Header" else block["c"]) for block in blocks
             if block["t"] in ("Header", "Para")]
    return "\\n".join(lines) + "\\n"


def write_book(job, folder):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{job.context.project.output_file}.txt").write_text(_text(job.documents), encoding="utf-8")
    return {}


def write_document(job, folder, name):
    (folder / name).write_text(_text(job.documents), encoding="utf-8")
    return folder / name
'''


@pytest.fixture
def plain_writer(tmp_path, monkeypatch):
    """The throwaway `plain` writer, registered from a module in a temporary folder: one registry line."""
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "plain_writer.py").write_text(PLAIN_WRITER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(modules))
    monkeypatch.setattr(format_names, "WRITERS", (*format_names.WRITERS,
                                                  format_names.Writer("plain", selected_by=("plain",),
                                                                      module="plain_writer")))


def test_a_writer_registered_from_its_own_module_renders_a_document(tmp_path, plain_writer):
    document = tmp_path / "notitie.qmd"
    document.write_text("---\ntitle: Notitie\nformat: plain\n---\n\n## Aanleiding\n\nEen eerste zin.\n\n"
                        "::: {.content-visible when-format=\"html\"}\nAlleen op de site.\n:::\n\n"
                        "::: {.content-visible when-format=\"plain\"}\nAlleen als tekst.\n:::\n", encoding="utf-8")
    result = render(document)
    assert result.outputs == (tmp_path / "notitie.txt",)
    text = (tmp_path / "notitie.txt").read_text(encoding="utf-8")
    # Conditional content selects the new format by the names its registry line gives.
    assert text.splitlines() == ["Aanleiding", "Een eerste zin.", "Alleen als tekst."]


def test_a_registered_writer_writes_a_book_beside_the_other_formats(tmp_path, plain_writer):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nbook:\n  title: Boek\n  chapters:\n"
                                          "    - index.qmd\n    - een.qmd\nlang: nl\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Voorwoord\n\nWelkom.\n", encoding="utf-8")
    (tmp_path / "een.qmd").write_text("# Inleiding\n\nHet eerste hoofdstuk.\n", encoding="utf-8")
    render(tmp_path, RenderOptions(formats=("html", "plain")))
    texts = list((tmp_path / "_book").glob("*.txt"))
    assert len(texts) == 1
    assert "Het eerste hoofdstuk." in texts[0].read_text(encoding="utf-8")
    assert (tmp_path / "_book" / "een.html").is_file()


def test_an_unknown_format_names_the_registered_ones():
    with pytest.raises(ReportError) as error:
        writer_module("epub")
    assert str(error.value) == "unknown output format 'epub' (use html, typst, pdf and docx)"


def test_the_registry_names_a_module_for_each_writer():
    assert [(writer.name, writer.module) for writer in format_names.WRITERS] == [
        ("html", "report.render.writers.html"), ("typst", "report.render.writers.typst"),
        ("docx", "report.render.writers.docx")]
    for writer in format_names.WRITERS:
        module = writer_module(writer.name)
        assert callable(module.write_book) and callable(module.write_document) and module.EXTENSION.startswith(".")


def test_the_transforms_run_in_one_listed_order_with_the_lua_slots_in_it():
    names = [transform.name for transform in (*DOCUMENT, *BOOK)]
    assert names == ["pandoc", "shortcodes", "lua:read", "outputs", "html-tables", "lua:engine", "conditional",
                     "list-tables", "pagebreaks", "tabsets", "code", "callouts", "title", "effects",
                     "unsupported", "part-title", "number", "xrefs", "lua:resolved", "citations"]
    cached = [transform.cache_key is not None for transform in DOCUMENT]
    # The read cache holds the result of the cached ones, so they come first.
    assert cached == sorted(cached, reverse=True)


def _imports(root: Path) -> dict[str, set[str]]:
    """Every module of report/ and the modules of report/ it imports (also inside functions)."""
    modules = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([base] if base else [])])
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = [stack.pop()]
            while component[-1] != node:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_the_engine_has_no_import_cycle():
    assert _cycles(_imports(ENGINE)) == []


def test_the_cycle_finder_finds_a_cycle(tmp_path):
    package = tmp_path / "report"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("from report import b\n", encoding="utf-8")
    (package / "b.py").write_text(textwrap.dedent("""
        def late():
            from report.a import x
    """), encoding="utf-8")
    assert _cycles(_imports(package)) == [["report.a", "report.b"]]
