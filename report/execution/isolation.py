"""A document's kernel imports the project's own modules from the project being rendered, nowhere else.

When the project is installed in editable mode (``pip install -e .`` /
``uv pip install -e .``), its packages resolve to the folder they were
installed from: a ``.pth`` file puts that folder on ``sys.path``, or a
setuptools finder (``__editable___*_finder.py``, appended to
``sys.meta_path``) maps each top-level name to it. A revision rendered in a
temporary worktree would then run the user's checkout's ``analysis/`` (or
whatever its chapters import) instead of its own.

So every kernel gets the project root first on ``PYTHONPATH`` (before the
site folders, hence before any ``.pth`` entry and before the meta-path
finders that come after the path finder), and the kernel's prelude drops the
editable finders' mappings for every name the project root itself holds. The
project root also reaches the kernel as ``REPORT_PROJECT_ROOT``, so project
code can print its paths relative to the root it is rendered in.

Unless the render runs with ``--no-cache``, kernels also see ``REPORT_CACHE_DIR``: a folder
(``.report-cache/project/``) where project code may keep caches of its own, such as data it parsed once
for every document of the render. What a document reads there is not one of its dependencies (the
execution cache's trace leaves the folder out), so such a cache must be keyed on the inputs it was
derived from, and the code using it must read those inputs itself, as it would without the cache.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["PROJECT_CACHE_ENV", "PROJECT_ROOT_ENV", "project_cache_environment", "project_environment",
           "merged_pythonpath", "EDITABLE_FINDERS_CODE"]

PROJECT_ROOT_ENV = "REPORT_PROJECT_ROOT"
PROJECT_CACHE_ENV = "REPORT_CACHE_DIR"  # also named in report/execution/_trace.py, which runs in the kernel


def project_environment(root: Path) -> dict[str, str]:
    """What a kernel needs to import from, and to know, the project it renders."""
    return {"PYTHONPATH": str(root), PROJECT_ROOT_ENV: str(root)}


def project_cache_environment(root: Path) -> dict[str, str]:
    """The folder for the project's own caches, below the engine's cache folder."""
    return {PROJECT_CACHE_ENV: str(root / ".report-cache" / "project")}


def merged_pythonpath(project_path: str, inherited: str | None) -> str:
    """The project's entry first; the user's own ``PYTHONPATH`` entries after it, minus duplicates."""
    entries = [project_path, *(entry for entry in (inherited or "").split(os.pathsep) if entry)]
    return os.pathsep.join(dict.fromkeys(entries))


# Part of the kernel prelude (report.execution.execute.KERNEL_CODE). Runs before any document code.
EDITABLE_FINDERS_CODE = r"""
def __report_isolate(variable):
    import os
    import sys

    root = os.environ.get(variable)
    if not root:
        return
    root = os.path.realpath(root)
    if root not in [os.path.realpath(entry or ".") for entry in sys.path[:2]]:
        sys.path.insert(0, root)
    for finder in list(sys.meta_path):
        mapping = getattr(sys.modules.get(getattr(finder, "__module__", "")), "MAPPING", None)
        if not isinstance(mapping, dict):
            continue
        for name, target in list(mapping.items()):
            inside = os.path.realpath(str(target)).startswith(root + os.sep)
            here = os.path.isdir(os.path.join(root, name)) or os.path.isfile(os.path.join(root, name + ".py"))
            if here and not inside:  # the project has its own copy: never the installed folder's
                del mapping[name]
                for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
                    del sys.modules[loaded]

__report_isolate(%(variable)r)
del __report_isolate
"""
