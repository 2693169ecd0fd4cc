"""Execute a document's Python cells in a fresh Jupyter kernel, as Quarto's jupyter engine does.

The result is plain data (outputs as nbformat JSON, inline values as
strings), so that it can be cached and rendered to any format afterwards.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config
from nbclient.exceptions import CellExecutionError, CellTimeoutError

from report.errors import ReportError
from report.qmd import CodeCell, QmdDocument

__all__ = ["ExecutionResult", "ExecutionSettings", "execute_document", "INLINE_MIME"]

INLINE_MIME = "application/vnd.report.inline+json"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class ExecutionSettings:
    cwd: Path
    env: dict[str, str]
    timeout: int = 600
    fig_width: float = 7.0
    fig_height: float = 5.0
    defaults: dict[str, Any] | None = None  # merged `execute:` options (eval, error, warning ...)


@dataclass(frozen=True)
class ExecutionResult:
    outputs: dict[int, list[dict[str, Any]]]  # cell index -> nbformat outputs
    inline_values: tuple[str, ...]


# Runs first in every kernel, hidden. Figure defaults come from a matplotlibrc (see
# execute_document), so documents without figures import no plotting library.
_KERNEL_PRELUDE = r"""
def __report_prelude():
    ip = get_ipython()
    ip.config.InlineBackend["figure_formats"] = {"svg"}
    ip.config.InlineBackend["figure_format"] = "svg"
    ip.config.InlineBackend["print_figure_kwargs"] = {"bbox_inches": None, "metadata": {"Date": None}}

    def set_figure_size(width, height):
        import sys
        import matplotlib

        matplotlib.rcParams["figure.figsize"] = (width, height)
        if "plotnine" in sys.modules:
            sys.modules["plotnine"].options.figure_size = (width, height)

    return set_figure_size

__report_set_figure_size = __report_prelude()
del __report_prelude
"""

_INLINE_CELL = r"""
def __report_inline(codes):
    from IPython.display import display
    values = []
    for code in codes:
        try:
            value = eval(code, get_ipython().user_ns)
        except Exception as error:
            values.append({"error": f"{type(error).__name__}: {error}"})
            continue
        if isinstance(value, str):
            text = value
        elif hasattr(value, "_repr_markdown_"):
            text = value._repr_markdown_()
        else:
            text = str(value)
        values.append({"value": text})
    display({"%(mime)s": values}, raw=True)

__report_inline(%(codes)s)
del __report_inline
"""


def _effective(cell: CodeCell, defaults: dict[str, Any], key: str, fallback: Any) -> Any:
    value = getattr(cell.options, key)
    if value is None:
        value = defaults.get(key)
    return fallback if value is None else value


def _clean_traceback(lines: list[str]) -> str:
    return ANSI.sub("", "\n".join(lines))


def execute_document(doc: QmdDocument, source: Path, settings: ExecutionSettings,
                     on_cell: Callable[[int, int], None] | None = None) -> ExecutionResult:
    """Run every evaluated cell of ``doc`` in a new kernel; raise ReportError naming file, cell and traceback."""
    defaults = settings.defaults or {}
    cells = [cell for cell in doc.cells if _effective(cell, defaults, "eval", True)]
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell(
        _KERNEL_PRELUDE % {"width": settings.fig_width, "height": settings.fig_height}))
    plan: list[tuple[CodeCell, int, bool]] = []  # cell, its notebook index, whether a size cell follows it
    for cell in cells:
        sized = cell.options.fig_width is not None or cell.options.fig_height is not None
        if sized:  # a cell's own figure size holds for that cell only, as in Quarto
            width = cell.options.fig_width or settings.fig_width
            height = cell.options.fig_height or settings.fig_height
            notebook.cells.append(nbformat.v4.new_code_cell(f"__report_set_figure_size({width!r}, {height!r})"))
        code_cell = nbformat.v4.new_code_cell(cell.code)
        if _effective(cell, defaults, "error", False):
            code_cell.metadata["tags"] = ["raises-exception"]
        notebook.cells.append(code_cell)
        plan.append((cell, len(notebook.cells) - 1, sized))
        if sized:
            notebook.cells.append(nbformat.v4.new_code_cell(
                f"__report_set_figure_size({settings.fig_width!r}, {settings.fig_height!r})"))
    if doc.inline:
        notebook.cells.append(nbformat.v4.new_code_cell(
            _INLINE_CELL % {"mime": INLINE_MIME, "codes": json.dumps([item.code for item in doc.inline])}))

    socket_dir = tempfile.mkdtemp(prefix="report-kernel-")
    # Read by matplotlib whenever it is first imported, however late (plotnine imports it lazily):
    # fixed SVG ids and text as paths make figures byte-identical between renders.
    rc_file = Path(socket_dir) / "matplotlibrc"
    rc_file.write_text(f"svg.hashsalt: report\nsvg.fonttype: path\n"
                       f"figure.figsize: {settings.fig_width}, {settings.fig_height}\n", encoding="utf-8")
    settings = dataclasses.replace(settings, env={**settings.env, "MATPLOTLIBRC": str(rc_file)})
    # IPC sockets in a private folder: no TCP ports, and no plain-text transport warning from ipykernel.
    config = Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(socket_dir, "kernel")}})
    client = NotebookClient(notebook, timeout=settings.timeout, kernel_name="python3", allow_errors=False,
                            record_timing=False, resources={"metadata": {"path": str(settings.cwd)}}, config=config)
    try:
        return _run(client, notebook, doc, plan, source, settings, on_cell)
    finally:
        shutil.rmtree(socket_dir, ignore_errors=True)


def _run(client: NotebookClient, notebook, doc: QmdDocument, plan: list[tuple[CodeCell, int, bool]], source: Path,
         settings: ExecutionSettings, on_cell) -> ExecutionResult:
    outputs: dict[int, list[dict[str, Any]]] = {}
    env = {**os.environ, **settings.env}
    with client.setup_kernel(env=env, cwd=str(settings.cwd)):
        for position in range(plan[0][1] if plan else len(notebook.cells) - bool(doc.inline)):
            client.execute_cell(notebook.cells[position], position)
        for number, (cell, position, sized) in enumerate(plan):
            try:
                client.execute_cell(notebook.cells[position], position)
            except CellTimeoutError:
                raise ReportError(f"cell '{cell.name}' did not finish within {settings.timeout} s "
                                  "(raise report.cell-timeout in _quarto.yml or --cell-timeout)",
                                  path=source, line=cell.line) from None
            except CellExecutionError as error:
                raise ReportError(f"cell '{cell.name}' raised {error.ename}: {error.evalue}\n"
                                  f"{_clean_traceback(str(error).splitlines())}",
                                  path=source, line=cell.line) from None
            outputs[cell.index] = [dict(output) for output in notebook.cells[position].outputs]
            following = plan[number + 1][1] if number + 1 < len(plan) else len(notebook.cells) - bool(doc.inline)
            for extra in range(position + 1, following):  # size resets and the next cell's size
                client.execute_cell(notebook.cells[extra], extra)
            if on_cell:
                on_cell(number + 1, len(plan))
        position = len(notebook.cells) - 1
        inline_values: list[str] = []
        if doc.inline:
            client.execute_cell(notebook.cells[position], position)
            data = next((output["data"][INLINE_MIME] for output in notebook.cells[position].outputs
                         if output.get("output_type") == "display_data" and INLINE_MIME in output.get("data", {})),
                        None)
            if data is None:
                raise ReportError("inline expressions could not be evaluated", path=source)
            for expression, item in zip(doc.inline, data):
                if "error" in item:
                    raise ReportError(f"inline expression `{{python}} {expression.code}` raised {item['error']}",
                                      path=source, line=expression.line)
                inline_values.append(item["value"])
    return ExecutionResult(outputs={index: _plain(items) for index, items in outputs.items()},
                           inline_values=tuple(inline_values))


def _plain(value: Any) -> Any:
    """NotebookNode -> plain JSON types, so results compare, hash and cache cleanly."""
    return json.loads(json.dumps(value))
