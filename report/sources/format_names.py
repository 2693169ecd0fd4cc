"""The one registry of output formats: each writer of the engine, the format names it renders and the names
conditional content selects it by.

Adding a format is one line in ``WRITERS`` and the writer's own module, which ``module`` names (its interface:
report.render.writing). Everything that lists formats reads them
from here: which formats a render writes (report.sources.formats), whose options are checked
(report.sources.options), how options merge for a format (report.sources.resolved), per-format `meta` values
(report.sources.shortcodes) and `when-format` (report.document.conditional).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["WRITERS", "Writer", "format_names", "rendered_names", "selected_by", "spoken_list", "writer_names",
           "writer_of"]


@dataclass(frozen=True)
class Writer:
    name: str  # the engine's writer, and Quarto's format name for it
    # Other names under `format:` that this writer renders, in merge order: their options come before the
    # writer's own (Quarto's `pdf` is rendered through typst, so `format: pdf:` options reach typst).
    aliases: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()  # spellings of the same format (`html5`), rendered alike but not named in messages
    selected_by: tuple[str, ...] = ()  # names `when-format` / `unless-format` select this writer's output by
    # The names an alias adds when the writer renders the format under it: Quarto's `pdf` is its LaTeX PDF, so
    # `pdf` and `latex` select this engine's PDF only where the document is rendered as `pdf`, never as `typst`.
    alias_selected_by: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The module that writes this format, imported only when it is rendered (report.render.writing).
    module: str | None = None


WRITERS: tuple[Writer, ...] = (
    Writer("html", variants=("html4", "html5"), selected_by=("html", "html4", "html5", "html:js"),
           module="report.render.writers.html"),
    Writer("typst", aliases=("pdf",), selected_by=("typst",), alias_selected_by=(("pdf", ("pdf", "latex")),),
           module="report.render.writers.typst"),
    Writer("docx", selected_by=("docx",), module="report.render.writers.docx"),
)


def writer_names() -> tuple[str, ...]:
    return tuple(writer.name for writer in WRITERS)


def rendered_names() -> tuple[str, ...]:
    """The format names a render is asked for by (`--to`, messages): each writer's own name and its aliases."""
    return tuple(name for writer in WRITERS for name in (writer.name, *writer.aliases))


def writer_of(name: str) -> str | None:
    """The writer that renders the format ``name`` (pandoc extensions such as ``html+smart`` ignored), if any."""
    base = name.split("+", 1)[0]
    return next((writer.name for writer in WRITERS if base in (writer.name, *writer.aliases, *writer.variants)), None)


def format_names(writer: str) -> tuple[str, ...]:
    """The names whose ``format: NAME:`` options ``writer`` reads, in merge order: aliases, variants, its own."""
    found = next(item for item in WRITERS if item.name == writer)
    return (*found.aliases, *found.variants, found.name)


def selected_by(writer: str, rendered_as: tuple[str, ...] | None = None) -> frozenset[str]:
    """The names `when-format` selects ``writer``'s output by, when the render asks for the formats
    ``rendered_as`` (`--to` or the listed ones): the writer's own names unless it renders only under an alias,
    and the names of each alias it renders under (Quarto's isFormat: `pdf` and `latex` are the LaTeX PDF)."""
    found = next(item for item in WRITERS if item.name == writer)
    asked = {name.split("+", 1)[0] for name in rendered_as or ()}
    aliases = dict(found.alias_selected_by)
    under_alias = [name for name in found.aliases if name in asked]
    own = not under_alias or bool(asked & {found.name, *found.variants})
    return frozenset((*(found.selected_by if own else ()), *(name for alias in under_alias
                                                              for name in aliases.get(alias, (alias,)))))


def spoken_list(names: tuple[str, ...] | list[str]) -> str:
    """``html, typst and pdf``: names as a message lists them."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
