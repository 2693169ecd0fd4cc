"""`jupyter: KERNEL`: the Jupyter kernel a document's cells run in, found as Jupyter finds it.

A kernel name, or Quarto's kernelspec mapping (``jupyter: {kernelspec: {name, display_name, language}}``),
is looked up with jupyter_client's kernelspec search (``JUPYTER_PATH``, the user's and the system's
kernels), and the kernel runs with its own interpreter and environment. ``python3``, or no ``jupyter:``,
is the engine's own interpreter. A notebook (``.ipynb``) without ``jupyter:`` in its front matter runs in the
kernel its ``metadata.kernelspec`` names, as in Quarto; only then does the project's ``jupyter:`` apply. A kernel
that is not installed is an error naming it (and, for a notebook, its kernelspec) and the kernels that are, as
in Quarto.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from report.errors import ReportError

if TYPE_CHECKING:
    from report.sources.qmd import QmdDocument

__all__ = ["NATIVE_KERNEL", "document_kernel", "kernel_identity", "named_kernel"]

NATIVE_KERNEL = "python3"


def named_kernel(value: Any, source: Path) -> str:
    """The kernel name ``jupyter:`` gives (``source``: the file that sets it), checked to be installed."""
    if value is None:
        return NATIVE_KERNEL
    name = value.get("kernelspec", {}).get("name") if isinstance(value, dict) and isinstance(
        value.get("kernelspec"), dict) else value
    if not isinstance(name, str) or not name:
        raise ReportError("'jupyter' takes a kernel name or {kernelspec: {name: NAME}}, got "
                          f"{json.dumps(value, default=str)}", path=source)
    if name == NATIVE_KERNEL:
        return name
    available = _installed()
    if name not in available:
        raise ReportError(f"jupyter kernel '{name}' not found; available kernels: "
                          f"{', '.join(sorted({NATIVE_KERNEL, *available}))}", path=source)
    return name


def document_kernel(doc: "QmdDocument", project_jupyter: Any) -> str:
    """The kernel ``doc`` runs in: its front matter's ``jupyter:``, else a notebook's kernelspec, else the project's."""
    if "jupyter" in doc.metadata:
        return named_kernel(doc.metadata["jupyter"], doc.path)
    if doc.kernelspec is not None:
        return _notebook_kernel(doc.kernelspec, doc.path)
    return named_kernel(project_jupyter, Path("_quarto.yml"))


def _notebook_kernel(spec: dict[str, Any], source: Path) -> str:
    name = spec.get("name")
    if not isinstance(name, str) or not name:
        raise ReportError("the notebook's metadata.kernelspec names no kernel (it needs a 'name'); set one, or "
                          "name the kernel with 'jupyter:' in the notebook's front matter", path=source)
    if name == NATIVE_KERNEL:
        return name
    available = _installed()
    if name not in available:
        shown = spec.get("display_name")
        raise ReportError(f"jupyter kernel '{name}'{f' ({shown})' if isinstance(shown, str) and shown else ''}, "
                          "which the notebook's metadata.kernelspec names, not found; available kernels: "
                          f"{', '.join(sorted({NATIVE_KERNEL, *available}))} (install it, or name another with "
                          "'jupyter:' in the notebook's front matter)", path=source)
    return name


def kernel_identity(name: str) -> str:
    """What identifies a kernel for the execution cache: its kernelspec (interpreter, arguments, environment)."""
    if name == NATIVE_KERNEL:
        return name  # the engine's interpreter and packages are in the cache key already
    return _identity(name)


@lru_cache(maxsize=None)
def _identity(name: str) -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(name)
    return json.dumps({"name": name, "argv": spec.argv, "env": spec.env, "language": spec.language},
                      sort_keys=True)


def _installed() -> dict[str, str]:
    from jupyter_client.kernelspec import KernelSpecManager

    return KernelSpecManager().find_kernel_specs()
