"""Execute a document's Python cells in a fresh Jupyter kernel, as Quarto's jupyter engine does.

The result is plain data (outputs as nbformat JSON, inline values as
strings), so that it can be cached and rendered to any format afterwards.

A cell that raises stops the render with ``FILE:LINE: cell 'NAME' raised TYPE: MESSAGE`` and the
traceback. An exception class that sets ``report_traceback = False`` (a project's error about its
input data, which names file, row and rule itself) is shown by that line alone, without the traceback.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from report.errors import ReportError
from report.execution.isolation import EDITABLE_FINDERS_CODE, PROJECT_ROOT_ENV
from report.sources.qmd import CodeCell, QmdDocument
from report.sources.resolved import cell_option

if TYPE_CHECKING:  # nbclient and nbformat are imported only when a kernel runs: a cached render needs neither
    from report.execution._kernels import KernelPool, PreparedKernel

__all__ = ["DocumentNotebook", "ExecutionResult", "ExecutionSettings", "ExecutionTrace", "SharedStart",
           "document_notebook", "evaluated", "execute_document", "execute_first_cells", "kernel_pool", "INLINE_MIME",
           "KERNEL_CODE", "PAUSE_RECORDING"]

INLINE_MIME = "application/vnd.report.inline+json"
TRACE_MIME = "application/vnd.report.trace+json"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class ExecutionSettings:
    cwd: Path
    env: dict[str, str]
    timeout: int = 600
    output_limit: int = 10_000_000  # bytes of output one cell may produce (report.output-limit, --output-limit)
    fig_width: float = 7.0
    fig_height: float = 5.0
    defaults: dict[str, Any] | None = None  # merged `execute:` options (eval, error, warning ...)
    fig_format: str = "svg"  # `fig-format`: svg, png or retina
    fig_dpi: int | None = None  # `fig-dpi`; None: matplotlib's default
    kernel: str = "python3"  # `jupyter:` the Jupyter kernel that runs the cells (report.execution.kernelspecs)


@dataclass(frozen=True)
class ExecutionTrace:
    """What a document's code read while it ran, as recorded inside the kernel (see report.execution._trace)."""

    opened: dict[str, list[int] | None]  # absolute path -> [size, mtime_ns] when first opened (None: missing)
    stated: tuple[str, ...]  # paths whose existence or type was asked
    listed: tuple[str, ...]  # folders listed
    modules: tuple[str, ...]  # files of imported modules from outside the interpreter's folders
    env: dict[str, str | None]  # environment variables read (None: unset)
    packages: tuple[str, ...]  # top-level installed packages imported


@dataclass(frozen=True)
class ExecutionResult:
    outputs: dict[int, list[dict[str, Any]]]  # cell index -> nbformat outputs
    inline_values: tuple[str, ...]
    trace: ExecutionTrace | None = field(default=None, compare=False, repr=False)  # None when served from cache
    # The Jupyter widgets' state as nbclient saves it in a notebook's metadata (`state`, `version_major` ...),
    # which the HTML page embeds for the widgets' views (report.document.cell_widgets); None: no widget.
    widget_state: dict[str, Any] | None = None


# Runs first in every kernel, hidden. Figure defaults come from a matplotlibrc (see
# execute_document), so documents without figures import no plotting library.
_KERNEL_PRELUDE = r"""
def __report_prelude():
    ip = get_ipython()
    ip.config.InlineBackend["figure_formats"] = {"svg"}
    ip.config.InlineBackend["figure_format"] = "svg"
    # Cropped to the drawn content as Jupyter's own default does, so long tick labels are never cut off.
    ip.config.InlineBackend["print_figure_kwargs"] = {"bbox_inches": "tight", "metadata": {"Date": None}}
    import sys
    inline = sys.modules.get("matplotlib_inline.backend_inline")
    if inline is not None:  # imported by the kernel factory before this kernel existed: hook it up now
        inline._enable_matplotlib_integration()

    def set_figure_size(width, height):
        import sys
        import matplotlib

        matplotlib.rcParams["figure.figsize"] = (width, height)
        if "plotnine" in sys.modules:
            sys.modules["plotnine"].options.figure_size = (width, height)

    def set_figure_format(name, dpi):
        # `fig-format` / `fig-dpi`: the inline backend's format (plotnine reads it too) and the figures' dpi.
        # Cropped tight in every format, as Quarto's set_matplotlib_formats keeps the inline backend's default.
        import sys
        kwargs = {"bbox_inches": "tight", "metadata": {"Date": None} if name == "svg" else {"Software": None}}
        ip.config.InlineBackend["figure_formats"] = {name}
        ip.config.InlineBackend["figure_format"] = name
        ip.config.InlineBackend["print_figure_kwargs"] = kwargs
        inline = sys.modules.get("matplotlib_inline.backend_inline")
        if inline is not None:
            inline.select_figure_formats(ip, {name}, **kwargs)
        if dpi is not None:
            import matplotlib

            matplotlib.rcParams["figure.dpi"] = dpi
            if "plotnine" in sys.modules:
                sys.modules["plotnine"].options.dpi = dpi

    def show_error(shell, etype, value, tb, tb_offset=None):
        # An exception whose class sets ``report_traceback = False`` reports a fault in the project's input
        # that its message already locates (file, row, rule): it is shown as that message alone, since a
        # traceback would point at the project's code instead. Every other exception is shown as IPython does.
        if getattr(etype, "report_traceback", True) is False:
            shell._showtraceback(etype, value, [f"{etype.__name__}: {value}"])
        else:
            shell.showtraceback(running_compiled_code=True)

    ip.set_custom_exc((Exception,), show_error)

    plotly = {"renderer": "notebook_connected"}

    def set_plotly_renderer(connected):
        # Quarto's renderer for plotly figures: HTML that loads plotly.js from its CDN (`plotly-connected`, the
        # default) or carries it inline. Set once plotly.io is imported, so a document without plotly never
        # imports it (and no environment variable is written, which the recorder would take for a dependency).
        import sys
        plotly["renderer"] = "notebook_connected" if connected else "notebook"
        if "plotly.io" in sys.modules:
            configure_plotly(sys.modules["plotly.io"])

    def configure_plotly(pio):
        pio.renderers.default = plotly["renderer"]
        for name in pio.templates:  # Quarto's narrower figure margins
            pio.templates[name].layout.margin = dict(t=30, r=0, b=0, l=0)

    class PlotlyHook:  # configures plotly.io right after its first import

        def find_spec(self, fullname, path=None, target=None):
            if fullname != "plotly.io":
                return None
            import importlib.util
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            if spec is None or spec.loader is None:
                return spec
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                configure_plotly(module)

            spec.loader.exec_module = exec_module
            return spec

    if "plotly.io" in sys.modules:  # imported ahead by the kernel factory
        configure_plotly(sys.modules["plotly.io"])
    else:
        sys.meta_path.insert(0, PlotlyHook())
    return set_figure_size, set_figure_format, set_plotly_renderer

__report_set_figure_size, __report_set_figure_format, __report_set_plotly_renderer = __report_prelude()
del __report_prelude

def __report_recorder_install(source):
    namespace = {"__name__": "report_trace"}
    exec(compile(source, "<report-trace>", "exec"), namespace)
    return namespace["Recorder"]()

__report_recorder = __report_recorder_install(%(trace)r)
del __report_recorder_install
"""

_TRACE_CELL = r"""
__import__("IPython.display").display.display({%(mime)r: __report_recorder.finish()}, raw=True)
"""

# Everything a kernel runs that is not the document's own code; part of the execution cache key.
KERNEL_CODE = (EDITABLE_FINDERS_CODE % {"variable": PROJECT_ROOT_ENV}
               + _KERNEL_PRELUDE % {"trace": (Path(__file__).parent / "_trace.py").read_text(encoding="utf-8")})

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


def evaluated(cell: CodeCell, defaults: dict[str, Any]) -> bool:
    """Whether the cell runs: its own ``eval``, else the document's ``execute: eval``, else yes."""
    return bool(cell_option(cell.options, defaults, "eval", True))


def _message_only(outputs: list[dict[str, Any]], error) -> bool:
    """Whether the cell's error is one whose class sets ``report_traceback = False`` (see the prelude):
    its traceback is its message alone, so the message is all there is to show."""
    shown = [output.get("traceback") for output in outputs if output.get("output_type") == "error"]
    return shown == [[f"{error.ename}: {error.evalue}"]]


def _clean_traceback(lines: list[str]) -> str:
    return ANSI.sub("", "\n".join(lines))


def matplotlib_rc(settings: ExecutionSettings) -> str:
    """Fixed SVG ids and text as paths make figures byte-identical between renders."""
    return (f"svg.hashsalt: report\nsvg.fonttype: path\n"
            f"figure.figsize: {settings.fig_width}, {settings.fig_height}\n")


def kernel_pool(settings: ExecutionSettings, *, cwd: Path, preload: tuple[str, ...] = (), expected: int = 1,
                ahead: int = 1) -> "KernelPool":
    """Kernels for documents that share ``settings.env`` and figure size, started ahead of need."""
    from report.execution._kernels import KernelPool

    return KernelPool(env=settings.env, cwd=cwd, setup_code=KERNEL_CODE, rc_text=matplotlib_rc(settings),
                      preload=preload, expected=expected, ahead=ahead, kernel_name=settings.kernel)


@dataclass(frozen=True)
class DocumentNotebook:
    """The notebook a document runs as: the engine's cells around the document's evaluated ones."""

    notebook: Any  # nbformat NotebookNode; cell 0 starts the recorder, filled in once the kernel is known
    plan: list[tuple[CodeCell, int, bool]]  # cell, its notebook position, whether a size cell follows it
    ends: dict[int, int]  # cell index -> the notebook position after the cell and its resets


@dataclass(frozen=True)
class SharedStart:
    """A kernel pool whose kernels already ran the notebook up to ``position`` (report.execution.shared_prefix)."""

    pool: "KernelPool"
    position: int
    outputs: dict[int, list[dict[str, Any]]]  # the outputs of the cells run before ``position``, by cell index


def document_notebook(doc: QmdDocument, settings: ExecutionSettings) -> DocumentNotebook:
    import nbformat

    defaults = settings.defaults or {}
    cells = [cell for cell in doc.cells if evaluated(cell, defaults)]
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell(""))  # the recorder's start; filled in once the kernel is known
    plan: list[tuple[CodeCell, int, bool]] = []
    ends: dict[int, int] = {}
    document_format = (settings.fig_format, settings.fig_dpi)
    if document_format != ("svg", None):
        notebook.cells.append(nbformat.v4.new_code_cell(f"__report_set_figure_format{document_format!r}"))
    if defaults.get("plotly-connected", True) is False:
        notebook.cells.append(nbformat.v4.new_code_cell("__report_set_plotly_renderer(False)"))
    for cell in cells:
        own_format = (getattr(cell.options, "fig_format", None) or settings.fig_format,
                      getattr(cell.options, "fig_dpi", None) or settings.fig_dpi)
        if own_format != document_format:  # a cell's own figure format holds for that cell only
            notebook.cells.append(nbformat.v4.new_code_cell(f"__report_set_figure_format{own_format!r}"))
        sized = cell.options.fig_width is not None or cell.options.fig_height is not None
        if sized:  # a cell's own figure size holds for that cell only, as in Quarto
            width = cell.options.fig_width or settings.fig_width
            height = cell.options.fig_height or settings.fig_height
            notebook.cells.append(nbformat.v4.new_code_cell(f"__report_set_figure_size({width!r}, {height!r})"))
        code_cell = nbformat.v4.new_code_cell(cell.code)
        if cell_option(cell.options, defaults, "error", False):
            code_cell.metadata["tags"] = ["raises-exception"]
        notebook.cells.append(code_cell)
        plan.append((cell, len(notebook.cells) - 1, sized))
        if sized:
            notebook.cells.append(nbformat.v4.new_code_cell(
                f"__report_set_figure_size({settings.fig_width!r}, {settings.fig_height!r})"))
        if own_format != document_format:
            notebook.cells.append(nbformat.v4.new_code_cell(
                f"__report_set_figure_format({settings.fig_format!r}, {settings.fig_dpi!r})"))
        ends[cell.index] = len(notebook.cells)
    if doc.inline:
        notebook.cells.append(nbformat.v4.new_code_cell(
            _INLINE_CELL % {"mime": INLINE_MIME, "codes": json.dumps([item.code for item in doc.inline])}))
    notebook.cells.append(nbformat.v4.new_code_cell(_TRACE_CELL % {"mime": TRACE_MIME}))
    return DocumentNotebook(notebook=notebook, plan=plan, ends=ends)


RESUME_RECORDING = "__report_recorder.resume()"
PAUSE_RECORDING = "__report_recorder.pause()"


def _begin_recording(kernel: "PreparedKernel", settings: ExecutionSettings) -> str:
    """The notebook's first cell: the kernel's recorder starts (what the document reads, for the cache)."""
    return (f"__report_recorder.begin({str(settings.cwd)!r}, {str(kernel.folder)!r}, "
            f"{json.dumps(kernel.launch_env)})")


def execute_first_cells(kernel: "PreparedKernel", built: DocumentNotebook, doc: QmdDocument, source: Path,
                        settings: ExecutionSettings, stop: int) -> dict[int, list[dict[str, Any]]]:
    """Run ``built`` up to notebook position ``stop`` in ``kernel`` (report.execution.shared_prefix); the outputs
    of the document's cells among them. The kernel is left running, its recorder still recording."""
    built.notebook.cells[0].source = _begin_recording(kernel, settings)
    return _run(kernel, built.notebook, doc, built.plan, source, settings, None, stop=stop).outputs


def execute_document(doc: QmdDocument, source: Path, settings: ExecutionSettings,
                     on_cell: Callable[[int, int], None] | None = None,
                     pool: "KernelPool | None" = None, shared: SharedStart | None = None) -> ExecutionResult:
    """Run every evaluated cell of ``doc`` in a new kernel; raise ReportError naming file, cell and traceback.

    The kernel comes from ``pool`` (started ahead, see report.execution._kernels) or is started here; with
    ``shared``, from its pool, having run the document's first cells already (their outputs are ``shared``'s).
    """
    built = document_notebook(doc, settings)
    if shared is not None:
        pool = shared.pool
    own_pool = pool is None
    if own_pool:
        pool = kernel_pool(settings, cwd=settings.cwd)
    try:
        kernel = pool.acquire()
        try:
            # A shared kernel's recorder began before its first cells ran; it goes on right before the rest.
            built.notebook.cells[0].source = (RESUME_RECORDING if shared is not None
                                              else _begin_recording(kernel, settings))
            return _run(kernel, built.notebook, doc, built.plan, source, settings, on_cell,
                        start=shared.position if shared is not None else 0,
                        done=shared.outputs if shared is not None else {})
        finally:
            pool.release(kernel)
    finally:
        if own_pool:
            pool.close()


def _run(kernel: "PreparedKernel", notebook, doc: QmdDocument, plan: list[tuple[CodeCell, int, bool]],
         source: Path, settings: ExecutionSettings, on_cell, *, start: int = 0, stop: int | None = None,
         done: dict[int, list[dict[str, Any]]] | None = None) -> ExecutionResult:
    """Run the notebook's cells from position ``start`` (the kernel ran those before it; ``done`` holds their
    outputs) up to ``stop`` (None: to the end, with the inline expressions and the recorder's closing cell)."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    from report.execution._limits import limited_client, output_limit_error
    from report.execution._kernels import exit_cause

    client = limited_client(notebook, kernel.manager, timeout=settings.timeout, limit=settings.output_limit,
                            cwd=settings.cwd)
    outputs: dict[int, list[dict[str, Any]]] = {}
    trace_position = len(notebook.cells) - 1
    inline_position = trace_position - 1 if doc.inline else None
    first_other = inline_position if doc.inline else trace_position
    running = "the engine's set-up cell"  # what the kernel was doing, should it die
    running_line: int | None = None
    running_cell: tuple[CodeCell, int] | None = None
    end = len(notebook.cells) if stop is None else stop

    def execute(position: int) -> None:
        if (position == 0 or position >= start) and position < end:
            client.execute_cell(notebook.cells[position], position)

    with client.setup_kernel():
        try:
            for position in range(plan[0][1] if plan else first_other):
                execute(position)
            for number, (cell, position, sized) in enumerate(plan):
                following = plan[number + 1][1] if number + 1 < len(plan) else first_other
                if position < start or position >= end:  # run before this kernel was handed over, or after stop
                    if position < start:
                        outputs[cell.index] = (done or {})[cell.index]
                    for extra in range(position + 1, following):
                        execute(extra)
                    continue
                running, running_line, running_cell = f"cell '{cell.name}'", cell.line, (cell, position)
                try:
                    client.execute_cell(notebook.cells[position], position)
                    if position in client.over_limit:
                        raise output_limit_error(cell.name, settings.output_limit, source, cell.line)
                except CellTimeoutError:
                    raise ReportError(f"cell '{cell.name}' did not finish within {settings.timeout} s "
                                      "(raise report.cell-timeout in _quarto.yml or --cell-timeout)",
                                      path=source, line=cell.line) from None
                except CellExecutionError as error:
                    if position in client.over_limit:  # interrupted by the engine: the limit is the cause
                        raise output_limit_error(cell.name, settings.output_limit, source, cell.line) from None
                    message = f"cell '{cell.name}' raised {error.ename}: {error.evalue}"
                    if not _message_only(notebook.cells[position].outputs, error):
                        message += f"\n{_clean_traceback(str(error).splitlines())}"
                    raise ReportError(message, path=source, line=cell.line) from None
                outputs[cell.index] = [dict(output) for output in notebook.cells[position].outputs]
                for extra in range(position + 1, following):  # size resets and the next cell's size
                    execute(extra)
                if on_cell:
                    on_cell(number + 1, len(plan))
            inline_values: list[str] = []
            if stop is not None:
                return ExecutionResult(outputs={index: _plain(items) for index, items in outputs.items()},
                                       inline_values=())
            running, running_line, running_cell = "the inline expressions", None, None
            if inline_position is not None:
                client.execute_cell(notebook.cells[inline_position], inline_position)
                data = _display_payload(notebook.cells[inline_position], INLINE_MIME)
                if data is None:
                    raise ReportError("inline expressions could not be evaluated", path=source)
                for expression, item in zip(doc.inline, data):
                    if "error" in item:
                        raise ReportError(f"inline expression `{{python}} {expression.code}` raised {item['error']}",
                                          path=source, line=expression.line)
                    inline_values.append(item["value"])
            running = "the engine's closing cell"
            client.execute_cell(notebook.cells[trace_position], trace_position)
            recorded = _display_payload(notebook.cells[trace_position], TRACE_MIME)
        except DeadKernelError:
            if running_cell is not None and running_cell[1] in client.over_limit:  # killed by the engine
                raise output_limit_error(running_cell[0].name, settings.output_limit, source, running_line) from None
            raise ReportError(f"the kernel died while {running} was running: {exit_cause(kernel)}",
                              path=source, line=running_line) from None
        finally:
            if client.kc is not None:
                client.kc.stop_channels()
    trace = None
    if recorded is not None:
        trace = ExecutionTrace(opened=recorded["opened"], stated=tuple(recorded["stated"]),
                               listed=tuple(recorded["listed"]), modules=tuple(recorded["modules"]),
                               env=recorded["env"], packages=tuple(recorded["packages"]))
    client.set_widgets_metadata()
    state = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json")
    return ExecutionResult(outputs={index: _plain(items) for index, items in outputs.items()},
                           inline_values=tuple(inline_values), trace=trace,
                           widget_state=_plain(state) if state else None)


def _display_payload(cell, mime: str) -> Any:
    return next((output["data"][mime] for output in cell.outputs
                 if output.get("output_type") == "display_data" and mime in output.get("data", {})), None)


def _plain(value: Any) -> Any:
    """NotebookNode -> plain JSON types, so results compare, hash and cache cleanly."""
    return json.loads(json.dumps(value))
