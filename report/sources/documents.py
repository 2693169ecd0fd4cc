"""Every document type Quarto renders, read into the one structure the pipeline knows (QmdDocument).

- ``.qmd``: Quarto Markdown, parsed by report.sources.qmd; its ``{python}`` cells run.
- ``.md``: plain Markdown; nothing is executed (```` ```{python} ```` blocks and inline code are shown as code).
- ``.ipynb``: a Jupyter notebook, read with nbformat and written out as the ``.qmd`` that ``quarto convert``
  would make (front matter from a first raw cell, Markdown cells, ``{python}`` cells with their ``#|``
  options), then parsed like any ``.qmd``. As in Quarto, its stored outputs are used and it is executed only
  when ``execute: enabled: true`` asks for it. Line numbers in messages count the lines of that ``.qmd`` form.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping

from report.errors import ReportError
from report.sources.config import merge_metadata
from report.sources.qmd import QmdDocument, parse_qmd
from report.sources.shortcodes import ShortcodeContext
from report.sources.text import parse_notebook, read_source

__all__ = ["read_document", "executes", "stored_result"]


def read_document(root: Path, relative: Path, context: ShortcodeContext | None = None) -> QmdDocument:
    """Read the document at ``root / relative``; ``relative`` is the path messages and outputs use.

    ``context`` holds what `meta`, `var` and `env` shortcodes read (report.sources.shortcodes).
    The document's metadata includes its folders' `_metadata.yml` and its `metadata-files:`
    (report.sources.metadata_files)."""
    from report.sources.metadata_files import directory_metadata, included_metadata

    folders = directory_metadata(root, relative)
    if folders and context is not None:  # `{{< meta >}}` sees them as it sees the project's metadata
        context = replace(context, project_metadata=merge_metadata(dict(context.project_metadata), folders))
    text = read_source(root / relative, relative)
    suffix = relative.suffix.lower()
    if suffix == ".md":
        doc = parse_qmd(text, relative, root=root, context=context, executable=False)
    elif suffix == ".ipynb":
        doc = _read_notebook(text, relative, root, context)
    else:
        doc = parse_qmd(text, relative, root=root, context=context)
    included = included_metadata(root, relative.parent, doc.metadata, relative, "document")
    if folders or included:
        doc = replace(doc, metadata=merge_metadata(folders, doc.metadata, included))
    return doc


def executes(doc: QmdDocument, execute: Mapping[str, Any], forced: bool = False) -> bool:
    """Whether the document's code runs, as ``execute: enabled`` (its resolved execute options,
    report.sources.resolved) decides in Quarto: by default a .qmd runs, a notebook (.ipynb) keeps its stored
    outputs, and .md never runs; ``forced`` (``--execute``) runs notebooks too."""
    if not doc.executable:
        return False
    if forced:
        return True
    if doc.stored_outputs is None:
        return execute.get("enabled") is not False
    return execute.get("enabled") is True


def stored_result(doc: QmdDocument):
    """The result of a document that is not executed: a notebook's stored outputs; inline code left as code."""
    from report.execution.execute import ExecutionResult

    literal = tuple(f"`{{python}} {expression.code}`" for expression in doc.inline)
    return ExecutionResult(outputs=dict(doc.stored_outputs or {}), inline_values=literal,
                           widget_state=doc.stored_widget_state)


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _read_notebook(text: str, path: Path, root: Path, context: ShortcodeContext | None) -> QmdDocument:
    try:
        notebook = parse_notebook(text)
    except Exception as error:  # nbformat raises JSON and schema errors of several types
        raise ReportError(f"not a readable Jupyter notebook: {error}", path=path) from None
    kernel = (notebook.metadata.get("kernelspec") or {}).get("language") or \
        (notebook.metadata.get("language_info") or {}).get("name") or "python"
    pieces: list[str] = []
    stored: dict[int, list[dict[str, Any]]] = {}
    attachments: dict[str, bytes] = {}
    code_index = 0
    for position, cell in enumerate(notebook.cells):
        source = _source(cell).rstrip("\n")
        if cell.cell_type == "raw":
            if position == 0 and source.lstrip().startswith("---"):
                pieces.append(source.strip())  # the notebook's front matter
            else:
                raw_format = (cell.metadata.get("raw_mimetype") or cell.metadata.get("format") or "").split("/")[-1]
                pieces.append(f"```{{={raw_format}}}\n{source}\n```" if raw_format else source)
        elif cell.cell_type == "markdown":
            pieces.append(_extract_attachments(cell, position, source, path, attachments))
        elif cell.cell_type == "code":
            if kernel != "python":
                raise ReportError(f"unsupported notebook language '{kernel}': the embedded engine runs only Python",
                                  path=path)
            fence = "````" if "```" in source else "```"
            tags = cell.metadata.get("tags") or []
            if tags and not re.search(r"^#\s*\|\s*tags:", source, re.MULTILINE):
                # As `quarto convert` writes them: a `parameters` tag then works as in a .qmd.
                source = f"#| tags: {json.dumps([str(tag) for tag in tags])}\n{source}"
            pieces.append(f"{fence}{{python}}\n{source}\n{fence}")
            # Plain JSON data, as a kernel's outputs are once executed (report.execution.execute).
            stored[code_index] = json.loads(json.dumps(cell.get("outputs", [])))
            code_index += 1
    doc = parse_qmd("\n\n".join(pieces) + "\n", path, root=root, context=context)
    spec = notebook.metadata.get("kernelspec")
    state = (notebook.metadata.get("widgets") or {}).get("application/vnd.jupyter.widget-state+json")
    return replace(doc, stored_outputs=stored, executable=True, attachments=attachments,
                   kernelspec=dict(spec) if isinstance(spec, dict) else None,
                   stored_widget_state=json.loads(json.dumps(state)) if isinstance(state, dict) else None)


IMAGE_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/svg+xml": "svg",
                    "image/webp": "webp"}


def _extract_attachments(cell: Any, position: int, source: str, path: Path, found: dict[str, bytes]) -> str:
    """`attachment:name.png` images of a Markdown cell: saved next to the figures (as Quarto names them,
    `{cell id}-{n}-{name}`) and the references pointed there."""
    for number, (name, bundle) in enumerate((cell.get("attachments") or {}).items()):
        mime = next((mime for mime in bundle if mime in IMAGE_EXTENSIONS), None)
        if mime is None:
            continue
        data = bundle[mime]
        data = "".join(data) if isinstance(data, list) else str(data)
        cell_id = cell.get("id") or f"cell-{position + 1}"
        safe_name = re.sub(r"[^\w.-]", "_", name)
        relative = f"{path.stem}_files/figure-html/{cell_id}-{number + 1}-{safe_name}"
        try:
            found[relative] = data.encode("utf-8") if mime == "image/svg+xml" else base64.b64decode(data, validate=True)
        except binascii.Error:
            raise ReportError(f"attachment '{name}' of Markdown cell {position + 1} is not base64 data",
                              path=path) from None
        source = source.replace(f"attachment:{name}", relative)
    return source
