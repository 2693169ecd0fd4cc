"""Which installed packages will the documents import? Read from the code, without importing anything.

The kernel factory (report.execution._kernel_factory) imports these once before the first
document needs them. The imports of the evaluated cells are followed into
the project's own modules (any module found outside the interpreter's
folders), so a chapter that only does ``from mypackage.setup import *``
still has pandas or plotnine preloaded if ``mypackage`` imports them. A
guess that is wrong costs only time: a package that is not preloaded is
imported by the document itself, as always.
"""

from __future__ import annotations

import ast
import sys
import sysconfig
from importlib.machinery import PathFinder
from pathlib import Path

from report.sources.qmd import QmdDocument

__all__ = ["installed_imports"]

MAX_FILES = 400


def _installed_roots() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple(str(Path(paths[key]).resolve()) + "/" for key in ("purelib", "platlib"))


def _standard_roots() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple(str(Path(paths[key]).resolve()) + "/" for key in ("stdlib", "platstdlib"))


def _imports(code: str, package: str | None) -> list[str]:
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]  # IPython magics
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return []
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if not package:
                    continue
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            if module:
                names.append(module)
                names.extend(f"{module}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def _local_file(name: str, search: list[str]) -> tuple[Path, bool] | None:
    """The source file of a local module and whether it is a package; None if not a local source module."""
    parts = name.split(".")
    spec = PathFinder.find_spec(parts[0], search)
    if spec is None or spec.origin in (None, "built-in", "frozen"):
        return None
    locations = list(spec.submodule_search_locations or [])
    file = Path(spec.origin)
    for part in parts[1:]:
        if not locations:
            return None
        found = None
        for location in locations:
            candidate_package = Path(location) / part / "__init__.py"
            candidate_module = Path(location) / f"{part}.py"
            if candidate_package.is_file():
                found, locations = candidate_package, [str(candidate_package.parent)]
                break
            if candidate_module.is_file():
                found, locations = candidate_module, []
                break
        if found is None:
            return None
        file = found
    return (file, file.name == "__init__.py") if file.suffix == ".py" else None


def installed_imports(documents: list[QmdDocument], folders: list[Path]) -> tuple[str, ...]:
    """Top-level installed packages the documents' evaluated code imports, directly or through local modules.

    ``folders`` are where the documents run (searched first, as a kernel's working folder is).
    """
    installed, standard = _installed_roots(), _standard_roots()
    search = [str(folder) for folder in folders] + [entry for entry in sys.path if entry]
    found: set[str] = set()
    pending: list[tuple[str, str | None]] = []
    for doc in documents:
        for cell in doc.cells:
            if cell.options.eval is not False:
                pending.extend((name, None) for name in _imports(cell.code, None))
    seen_names: set[str] = set()
    seen_files: set[Path] = set()
    while pending and len(seen_files) < MAX_FILES:
        name, _origin = pending.pop()
        if name in seen_names:
            continue
        seen_names.add(name)
        top = name.partition(".")[0]
        if top in sys.builtin_module_names:
            continue
        spec = PathFinder.find_spec(top, search)
        if spec is None or not spec.origin or spec.origin in ("built-in", "frozen"):
            continue
        origin = str(Path(spec.origin).resolve())
        if origin.startswith(installed):
            found.add(top)
            continue
        if origin.startswith(standard):
            continue
        local = _local_file(name, search)
        if local is None or local[0] in seen_files:
            continue
        file, is_package = local
        seen_files.add(file)
        package = name if is_package else name.rpartition(".")[0] or None
        try:
            source = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        pending.extend((imported, name) for imported in _imports(source, package))
        # Importing a submodule runs its package's __init__ first.
        if "." in name:
            pending.append((name.rpartition(".")[0], name))
    return tuple(sorted(found))
