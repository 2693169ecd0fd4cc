"""Execution parameters, as Quarto passes them to Jupyter (papermill's convention).

The cell tagged ``parameters`` (``#| tags: [parameters]``, or a notebook cell's metadata tags) holds the
defaults. Given values (``-P key:value``, ``--execute-params FILE.yml``) go into a cell injected right after it,
tagged ``injected-parameters`` and carrying the parameters cell's other options (so a hidden parameters cell
hides its injected twin, as in Quarto 1.7), whose code assigns each value:

    # Injected Parameters
    gemeente = "Zwolle"

Because the injected cell is code like any other, the execution cache keys on the values (a render with
``-P x:1`` never serves the results of ``-P x:2``). As in Quarto, a document without a parameters cell gets no
injected cell; every value given to it is then a warning, as is a value whose name the parameters cell does
not assign (it is injected anyway, as papermill does). ``params:`` in the front matter is, as Quarto documents
it, the Knitr and Julia engines' way to declare parameters: for Jupyter it is plain metadata (``{{< meta
params.x >}}`` shows its default), and the warning says so.
"""

from __future__ import annotations

import ast
import datetime
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping

from report.errors import ReportError
from report.sources import diagnostics
from report.sources._yaml import load_yaml
from report.sources.qmd import CodeCell, QmdDocument

__all__ = ["PARAMETERS_TAG", "INJECTED_TAG", "inject_parameters", "injected_code", "parse_parameter",
           "read_parameters_file"]

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
# Quarto's -P and -M: KEY, then ':' or '=', then a YAML value.
_FLAG = re.compile(r"^(?P<name>[^=:]+)[=:](?P<value>.*)$", re.DOTALL)


def parse_parameter(text: str) -> tuple[str, Any]:
    """``-P key:value`` as Quarto reads it: the value is YAML (``-P n:3`` is a number, ``-P s:'3'`` text)."""
    match = _FLAG.match(text)
    if match is None:
        raise ReportError(f"-P/--execute-param takes KEY:VALUE, got '{text}'")
    value, _lines = load_yaml(match.group("value"), Path(f"-P {text}"))
    return match.group("name"), (None if value == {} and not match.group("value").strip() else value)


def read_parameters_file(path: Path) -> dict[str, Any]:
    """``--execute-params FILE.yml``: a YAML mapping of parameter names to values."""
    if not path.is_file():
        raise ReportError(f"--execute-params: the file '{path}' does not exist")
    values, lines = load_yaml(path.read_text(encoding="utf-8"), path)
    if not isinstance(values, dict):
        raise ReportError("--execute-params needs a YAML mapping of parameter names to values", path=path, line=1)
    return values


def _tags(cell: CodeCell) -> list[str]:
    tags = cell.options.tags
    return [tags] if isinstance(tags, str) else list(tags or [])


def _declared(cell: CodeCell) -> set[str]:
    """The names the parameters cell assigns at its top level."""
    try:
        tree = ast.parse(cell.code)
    except SyntaxError:
        return set()  # the cell's own error is reported when it runs
    names: set[str] = set()
    for statement in tree.body:
        targets = statement.targets if isinstance(statement, ast.Assign) else \
            [statement.target] if isinstance(statement, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name):
                    names.add(node.id)
    return names


def _literal(value: Any) -> str:
    """A YAML value as Python source, as papermill's Python translator writes it."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else f"float('{value}')"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return json.dumps(value.isoformat())
    if isinstance(value, list):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(str(key))}: {_literal(item)}" for key, item in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def injected_code(values: Mapping[str, Any]) -> str:
    return "# Injected Parameters\n" + "".join(f"{name} = {_literal(value)}\n" for name, value in values.items())


def inject_parameters(doc: QmdDocument, values: Mapping[str, Any]) -> QmdDocument:
    """``doc`` with a cell assigning ``values`` injected after its parameters cell (see the module's text)."""
    if not values or not doc.executable:
        return doc
    position, cell = next(((index, chunk) for index, chunk in enumerate(doc.chunks)
                           if isinstance(chunk, CodeCell) and PARAMETERS_TAG in _tags(chunk)), (None, None))
    for name in values:
        if not name.isidentifier():
            raise ReportError(f"parameter '{name}' is not a Python name, so no cell can assign it", path=doc.path)
    if cell is None:
        # Quarto documents `params:` in the front matter for Knitr and Julia; Jupyter takes the tagged cell.
        hint = (f"; front matter 'params:' declares parameters for Knitr and Julia, Jupyter reads a cell tagged "
                f"'{PARAMETERS_TAG}'" if "params" in doc.metadata else "")
        for name in values:
            diagnostics.warn(f"parameter '{name}' is not declared: the document has no cell tagged "
                             f"'{PARAMETERS_TAG}', so no value is injected (as in Quarto){hint}", path=doc.path)
        return doc
    declared = _declared(cell)
    for name in values:
        if name not in declared:
            diagnostics.warn(f"parameter '{name}' is not declared in the cell tagged '{PARAMETERS_TAG}'; "
                             "its value is injected anyway", path=doc.path, line=cell.line)
    tags = [INJECTED_TAG, *(tag for tag in _tags(cell) if tag != PARAMETERS_TAG)]
    injected = replace(cell, code=injected_code(values).rstrip("\n"),
                       options=cell.options.model_copy(update={"tags": tags, "label": None}))
    chunks = list(doc.chunks)
    following = chunks[position + 1] if position + 1 < len(chunks) else None
    if isinstance(following, CodeCell) and INJECTED_TAG in _tags(following):
        del chunks[position + 1]  # a notebook saved by papermill already holds one: replaced, as Quarto does
    chunks.insert(position + 1, injected)
    # Cells are numbered in document order (their outputs and figure names follow the number); a notebook's
    # stored outputs follow their cells, and the injected cell has none until it runs.
    stored: dict[int, list[dict[str, Any]]] = {}
    number = 0
    for index, chunk in enumerate(chunks):
        if isinstance(chunk, CodeCell):
            if doc.stored_outputs is not None:
                stored[number] = [] if chunk is injected else doc.stored_outputs.get(chunk.index, [])
            chunks[index] = replace(chunk, index=number)
            number += 1
    return replace(doc, chunks=tuple(chunks), stored_outputs=stored if doc.stored_outputs is not None else None)
