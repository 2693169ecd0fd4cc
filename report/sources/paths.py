"""Files named by the sources stay inside the project: one rule for chapters, includes, embeds, images,
bibliographies, CSL styles and template partials.

As Quarto reads them in a project, a relative path is relative to the folder of the file that names it and a
path starting with '/' is relative to the project root; a document rendered outside any project has its own
folder as the project root. A path is refused with an error naming the file, line and path when

- it climbs out of the project ('../../x.qmd');
- it reaches outside through a symbolic link (a chapter linked to /etc/os-release): the link's target counts;
- it lies in a data folder. This rule is the engine's own (Quarto knows no data folder): data are read by the
  code cells, which decide what of them is published; a data file pasted in by an include or copied beside the
  pages as an image would publish it whole.

Quarto resolves these paths the same way and, for a website or book, publishes only resources inside the
project; refusing to read anything outside it at all (an include, an embed, a bibliography) is this engine's rule:
a release records the hash of every input in the project, and a file from elsewhere would escape that record.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Iterable

from report.errors import ReportError

__all__ = ["inside_project", "project_relative"]


def inside_project(root: Path, base: Path, ref: str, *, what: str, path: Path | str | None, line: int | None = None,
                   data_dirs: Iterable[Path | None] = ()) -> Path:
    """``ref``, as written in the file ``path`` (at ``line``), as a normalised path relative to ``root``.

    ``base`` is the folder (relative to ``root``) a relative ``ref`` is relative to. ``what`` names the kind of
    file in the error ("image", "included file"). The file need not exist; when it, or a folder on its way,
    does, symbolic links are followed and the place they lead to must be inside ``root`` and outside every
    folder of ``data_dirs``.
    """
    def refuse(rule: str) -> ReportError:
        return ReportError(f"{what} '{ref}' {rule}", path=path, line=line)

    relative = project_relative(base, ref)
    real_root = os.path.realpath(root)
    rule = f"the sources may use only files inside the project folder ({real_root})"
    if relative == ".." or relative.startswith("../"):
        raise refuse(f"resolves outside the project ({os.path.normpath(os.path.join(real_root, relative))}); {rule}")
    real = os.path.realpath(os.path.join(root, relative))
    if not Path(real).is_relative_to(real_root):
        raise refuse(f"resolves outside the project through a symbolic link ({real}); {rule}")
    for folder in data_dirs:
        if folder is not None and Path(real).is_relative_to(os.path.realpath(folder)):
            raise refuse(f"lies in the data folder ({os.path.realpath(folder)}); data are read by the code cells, "
                         "never included or published as a file")
    return Path(relative)


def project_relative(base: Path, ref: str) -> str:
    """``ref`` named in a file of folder ``base`` (relative to the project root) as a normalised path relative to
    the root; it starts with '..' when it climbs out. Only the text is read: see inside_project for the checks."""
    if ref.startswith("/"):
        return posixpath.normpath(ref.lstrip("/") or ".")
    return posixpath.normpath(posixpath.join(Path(base).as_posix(), ref))
