"""The project: `_quarto.yml` parsed into a strict model, the book's chapter order, and the data source."""

from __future__ import annotations

import glob
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from report.sources._yaml import load_yaml
from report.sources.text import read_source
from report.sources.config import PartEntry, ProjectConfig, merge_metadata, normalise_formats, parse_model
from report.sources.extensions import apply_extension_formats
from report.errors import ReportError
from report.sources.paths import inside_project

__all__ = ["ChapterEntry", "Project", "document_title", "find_project_root", "load_project", "project_inputs"]

PROJECT_FILE = "_quarto.yml"
DOCUMENT_SUFFIXES = (".qmd", ".md", ".ipynb")  # the documents Quarto renders, read by report.sources.documents


@dataclass(frozen=True)
class ChapterEntry:
    """One document of the book, in reading order."""

    path: Path  # relative to the project root
    part: str | None = None
    appendix: bool = False
    part_page: bool = False  # the document a part is given as (`- part: intro.qmd`): the part's own page


@dataclass(frozen=True)
class Project:
    root: Path
    config: ProjectConfig
    metadata: dict[str, Any]  # the raw project-level mapping, for merging with documents
    chapters: tuple[ChapterEntry, ...]
    data_dir: Path | None
    is_demo: bool
    demo_mark: str | None
    profiles: tuple[str, ...] = ()  # the active profiles (report.sources.metadata_files); kernels see $QUARTO_PROFILE

    @property
    def is_book(self) -> bool:
        return self.config.project.type == "book"

    @property
    def is_website(self) -> bool:
        return self.config.project.type == "website"

    @property
    def output_dir(self) -> Path:
        return self.root / (self.config.project.output_dir or ("_book" if self.is_book else "_site"))

    @property
    def renders_in_place(self) -> bool:
        """A default project without `output-dir`: each output is written beside its source, as in Quarto."""
        return not self.is_book and not self.is_website and not self.config.project.output_dir

    @property
    def book_title(self) -> str:
        return self.config.book.title if self.config.book else (self.config.title or self.root.name)

    @property
    def output_file(self) -> str:
        if self.config.book and self.config.book.output_file:
            return self.config.book.output_file
        return slugify(self.book_title)

    @property
    def lang(self) -> str:
        return self.config.lang or "en"

    @property
    def data_folders(self) -> tuple[Path, ...]:
        """The chosen data folder and the demo data's: no source may include them or publish their files."""
        return _data_folders(self.config, self.root, self.data_dir)

    def data_environment(self) -> dict[str, str]:
        """Environment for kernels: points the project's data variable at the chosen data folder."""
        settings = self.config.report.data
        if settings is None or self.data_dir is None:
            return {}
        return {settings.env: str(self.data_dir)}


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "book"


def find_project_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding `_quarto.yml`, as Quarto looks for it."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None


def _chapters(config: ProjectConfig, root: Path, source: Path, lines,
              data_folders: tuple[Path, ...]) -> tuple[ChapterEntry, ...]:
    if config.book is None:
        return ()

    def chapter(name: str, key: tuple, part: str | None = None, appendix: bool = False,
                part_page: bool = False) -> ChapterEntry:
        # A chapter outside the project (or a link to a file outside it) is refused (report.sources.paths).
        return ChapterEntry(inside_project(root, Path("."), str(name), what="chapter", path=source,
                                           line=lines.get(key, lines.get(("book",))), data_dirs=data_folders),
                            part=part, appendix=appendix, part_page=part_page)

    entries: list[ChapterEntry] = []
    for index, item in enumerate(config.book.chapters):
        if isinstance(item, PartEntry):
            title = item.part
            if Path(item.part).suffix in DOCUMENT_SUFFIXES and (root / item.part).is_file():
                # As Quarto: a part given as a document takes its title, and the document is the part's page.
                page = chapter(item.part, ("book", "chapters", index, "part"), part_page=True)
                title = document_title(root / page.path)
                entries.append(replace(page, part=title))
            entries.extend(chapter(path, ("book", "chapters", index, "chapters", number), part=title)
                           for number, path in enumerate(item.chapters))
        else:
            entries.append(chapter(item, ("book", "chapters", index)))
    entries.extend(chapter(path, ("book", "appendices", index), appendix=True)
                   for index, path in enumerate(config.book.appendices))
    seen: set[Path] = set()
    for entry in entries:
        if entry.path in seen:
            raise ReportError(f"chapter '{entry.path}' is listed twice in book.chapters/appendices",
                              path=source, line=lines.get(("book",)))
        seen.add(entry.path)
        if entry.path.suffix not in DOCUMENT_SUFFIXES:
            raise ReportError(f"chapter '{entry.path}' must be a .qmd, .md or .ipynb file", path=source,
                              line=lines.get(("book",)))
        if not (root / entry.path).is_file():
            raise ReportError(f"chapter '{entry.path}' does not exist", path=source, line=lines.get(("book",)))
    return tuple(entries)


# Never rendered as a project's documents (Quarto 1.9): read-me and agent files, and the environments and package
# folders Quarto's engines leave out (jupyter: venv, env; knitr: renv, packrat, rsconnect).
NOT_INPUTS = frozenset({"README.md", "README.qmd", "CLAUDE.md", "AGENTS.md"})
NOT_INPUT_FOLDERS = frozenset({"venv", "env", "renv", "packrat", "rsconnect"})


def project_inputs(project: Project) -> tuple[Path, ...]:
    """The documents a whole-project render renders, relative to the root, in a stable order (Quarto's project
    inputs): those `project: render:` lists (globs allowed), else every .qmd, .md and .ipynb file in the folder
    and below, except files and folders starting with `_` or `.`, the output folder and NOT_INPUTS."""
    root = project.root
    output = None if project.renders_in_place or not project.output_dir.is_relative_to(root) \
        else project.output_dir.relative_to(root)
    listed = project.config.project.render
    if listed:
        return tuple(dict.fromkeys(
            Path(match).relative_to(root) for entry in listed
            for match in sorted(glob.glob(str(root / entry), recursive=True))
            if Path(match).suffix in DOCUMENT_SUFFIXES and Path(match).is_file()))
    found = []
    for folder, folder_names, file_names in os.walk(root):
        relative_folder = Path(folder).relative_to(root)
        folder_names[:] = sorted(name for name in folder_names if not name.startswith(("_", "."))
                                 and name not in NOT_INPUT_FOLDERS and relative_folder / name != output)
        found.extend(relative_folder / name for name in file_names
                     if Path(name).suffix in DOCUMENT_SUFFIXES and not name.startswith(("_", "."))
                     and name not in NOT_INPUTS and (Path(folder) / name).is_file())
    return tuple(sorted(found))


FIRST_HEADING = re.compile(r"^#\s+(?P<title>.+?)(?:\s+\{[^}]*\})?\s*$", re.MULTILINE)


def document_title(path: Path) -> str:
    """A document's title as a part shows it: its `title:`, else its first `#` heading, else its name."""
    text = path.read_text(encoding="utf-8")
    body = text
    if path.suffix != ".ipynb" and text.startswith("---"):
        end = text.find("\n---", 3)
        if end > 0:
            front, _lines = load_yaml(text[3:end], path)
            if isinstance(front, dict) and isinstance(front.get("title"), str):
                return front["title"]
            body = text[end + 4:]
    heading = FIRST_HEADING.search(body) if path.suffix != ".ipynb" else None
    return heading.group("title") if heading else path.stem


def load_project(root: Path, *, data_dir: Path | str | None = None, profile: str | None = None) -> Project:
    """Read and validate `_quarto.yml` in ``root`` with its metadata files and the active profiles' files
    (report.sources.metadata_files); ``data_dir`` overrides the data source, ``profile`` names the profiles to
    activate (None: ``$QUARTO_PROFILE``, else the project's default)."""
    from report.sources.metadata_files import active_profiles, included_metadata, project_overlays, requested_profile

    root = Path(root).resolve()
    source = root / PROJECT_FILE
    profiles: tuple[str, ...] = ()
    if source.is_file():
        own, lines = load_yaml(read_source(source, PROJECT_FILE), Path(PROJECT_FILE))
        if not isinstance(own, dict):
            raise ReportError("the project file must be a YAML mapping", path=PROJECT_FILE, line=1)
        raw = merge_metadata(own, included_metadata(root, Path("."), own, Path(PROJECT_FILE), "project-file"))
        profiles = active_profiles(requested_profile(profile), raw.get("profile"))
        for _file, overlay in project_overlays(root, profiles):
            raw = merge_metadata(raw, overlay)
        # Each file was checked on its own (line numbers are per file); here the merged result is validated.
        raw = apply_extension_formats(normalise_formats(raw), root, Path(PROJECT_FILE))  # `format: NAME-typst`
        config = parse_model(ProjectConfig, raw, source=Path(PROJECT_FILE), lines=lines,
                             what="project configuration", reviewed=own)
    else:
        raw, lines, config = {}, {}, ProjectConfig()
    if config.project.type == "book" and config.book is None:
        raise ReportError("project type 'book' needs a 'book:' section with chapters", path=PROJECT_FILE,
                          line=lines.get(("project",)))
    chosen, is_demo, mark = _data_source(config, root, data_dir)
    metadata = {key: value for key, value in normalise_formats(raw).items() if key not in {"project", "book", "report"}}
    return Project(root=root, config=config, metadata=metadata, profiles=profiles,
                   chapters=_chapters(config, root, Path(PROJECT_FILE), lines, _data_folders(config, root, chosen)),
                   data_dir=chosen, is_demo=is_demo, demo_mark=mark)


def _data_folders(config: ProjectConfig, root: Path, chosen: Path | None) -> tuple[Path, ...]:
    settings = config.report.data
    demo = (root / settings.demo).resolve() if settings is not None and settings.demo else None
    # A data folder holding the whole project (an odd --data) cannot fence anything off inside it.
    return tuple(dict.fromkeys(folder for folder in (chosen, demo) if folder is not None
                               and not root.resolve().is_relative_to(folder)))


def _data_source(config: ProjectConfig, root: Path, override) -> tuple[Path | None, bool, str | None]:
    settings = config.report.data
    if settings is None:
        return (Path(override).resolve() if override else None), False, None
    demo = (root / settings.demo).resolve() if settings.demo else None
    chosen_text = override or os.environ.get(settings.env)
    chosen = Path(chosen_text).resolve() if chosen_text else demo
    if chosen is not None and not chosen.is_dir():
        origin = "--data" if override else f"${settings.env}"
        raise ReportError(f"data folder '{chosen}' (from {origin}) does not exist")
    is_demo = chosen is not None and chosen == demo
    return chosen, is_demo, (settings.demo_mark if is_demo else None)
