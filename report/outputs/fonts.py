"""The fonts typst may use for the PDF: the engine's own, the ones the project names, and a CJK fallback.

typst never sees the machine's fonts (``ignore_system_fonts``), so a PDF is the same wherever it is built:
it has typst's embedded fonts (Libertinus Serif, New Computer Modern, DejaVu Sans Mono), matplotlib's
DejaVu Sans, and the files and folders that ``font-paths`` names. Those cover no Chinese, Japanese or Korean
text, which would come out as empty boxes; when the text has such characters and no named font covers
them, Debian's Noto Sans CJK (package fonts-noto-cjk, which scripts/setup.sh installs) is added by its
file names, and typst's own fallback takes the glyphs from it. When it is not installed either, a warning
names the file and line.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from report.document._ast import stringify
from report.errors import ReportError
from report.sources.diagnostics import warn

__all__ = ["SYSTEM_CJK_FONTS", "available_families", "engine_font_paths", "pdf_font_paths"]

# Han, kana, hangul, bopomofo, CJK punctuation and full-width forms.
CJK_TEXT = re.compile("[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
                      "\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
# Where Debian's fonts-noto-cjk installs Noto Sans CJK (one collection per weight).
SYSTEM_CJK_FONTS = (Path("/usr/share/fonts/opentype/noto"), "NotoSansCJK-*.ttc")
FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}


@lru_cache(maxsize=8)
def _families(font_paths: tuple[str, ...]) -> frozenset[str]:
    import typst

    return frozenset(name.lower() for name in typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                                                          font_paths=list(font_paths)).families())


def available_families(font_paths: Iterable[str]) -> frozenset[str]:
    """The font families (lower case) typst finds: its embedded fonts and those in ``font_paths``."""
    return _families(tuple(str(path) for path in font_paths))


def engine_font_paths() -> list[str]:
    """matplotlib's DejaVu fonts, shipped with the installed wheel."""
    # Located without importing matplotlib, which would cost a quarter of a second per render.
    package = importlib.util.find_spec("matplotlib")
    return [str(Path(next(iter(package.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf")]


def pdf_font_paths(project_root: Path, options: dict[str, Any], documents: Iterable[Any], *,
                   font_paths: list[tuple[str, Path, Path]], origin: Path | str, build_dir: Path,
                   brand_fonts: Iterable[Path] = ()) -> list[str]:
    """Font folders for typst: the engine's, ``font-paths`` (each (name, the folder of the project it is relative
    to, the file naming it)), the font files a brand ships (``source: file``, report.sources.brand) and, where
    the text needs one, the CJK fallback (each a folder in ``build_dir`` linking to exactly those files: typst
    reads folders, and the system's font folder holds other fonts too).
    Warns about a ``mainfont`` that none of them provides."""
    named = _named_paths(project_root, font_paths)
    paths = [*engine_font_paths(), *(str(path) for path in named)]
    brand_fonts = sorted(set(brand_fonts))
    if brand_fonts:  # typst reads fonts from folders: one holding exactly the brand's files
        paths.append(str(_linked_folder(build_dir / "fonts-brand", brand_fonts)))
        named = [*named, *brand_fonts]
    first = _first_cjk(documents)
    if first is not None:
        doc, character, line = first
        if not _covers(_font_files(named), character):
            system = sorted(SYSTEM_CJK_FONTS[0].glob(SYSTEM_CJK_FONTS[1]))
            if system:
                paths.append(str(_linked_folder(build_dir / "fonts-cjk", system)))
            else:
                warn(f"the text has Chinese, Japanese or Korean characters ('{character}') that no font of the PDF "
                     f"covers, so the PDF shows them as empty boxes: install Debian's fonts-noto-cjk "
                     f"({SYSTEM_CJK_FONTS[0]}) or add a font that covers them to 'font-paths'",
                     path=doc.source, line=line)
    mainfont = options.get("mainfont")
    if isinstance(mainfont, str) and mainfont.strip():
        import typst

        families = {family.casefold() for family in typst.Fonts(include_system_fonts=False,
                                                                 include_embedded_fonts=True,
                                                                 font_paths=paths).families()}
        if mainfont.strip().casefold() not in families:
            warn(f"mainfont '{mainfont}' is not among the PDF's fonts (typst's own, DejaVu Sans and 'font-paths'), "
                 f"so typst sets the text in its default font: add the font's file or folder to 'font-paths'",
                 path=origin)
    return paths


def _linked_folder(folder: Path, files: list[Path]) -> Path:
    """``folder`` holding a symbolic link to each of ``files`` and nothing else."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.iterdir():
        if stale.name not in {file.name for file in files} or stale.resolve() not in files:
            stale.unlink()
    for file in files:
        if not (folder / file.name).is_symlink():
            (folder / file.name).symlink_to(file)
    return folder


def _named_paths(project_root: Path, font_paths: list[tuple[str, Path, Path]]) -> list[Path]:
    from report.sources.paths import inside_project

    found = []
    for name, base, origin in font_paths:
        path = project_root / inside_project(project_root, base, str(name), what="font path", path=origin)
        if not path.exists():
            raise ReportError(f"font path '{name}' does not exist", path=origin)
        found.append(path)
    return found


def _first_cjk(documents: Iterable[Any]) -> tuple[Any, str, int | None] | None:
    """The first document whose text has a CJK character, that character and the first line holding it."""
    for doc in documents:
        match = CJK_TEXT.search(stringify(doc.blocks))
        if match:
            return doc, match.group(), doc.line_of(match.group())
    return None


def _font_files(paths: list[Path]) -> list[Path]:
    files = []
    for path in paths:
        candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
        files += [file for file in candidates if file.suffix.lower() in FONT_SUFFIXES and file.is_file()]
    return files


def _covers(files: list[Path], character: str) -> bool:
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    for file in files:
        try:
            if file.suffix.lower() in {".ttc", ".otc"}:
                fonts = TTCollection(str(file), lazy=True).fonts
            else:
                fonts = [TTFont(str(file), lazy=True)]
            if any(ord(character) in (font.getBestCmap() or {}) for font in fonts):
                return True
        except (TTLibError, OSError) as error:
            raise ReportError(f"font file could not be read: {error}", path=file) from None
    return False
