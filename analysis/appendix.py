"""The appendices on the codebook and on data and reproducibility, generated from the data and the environment.

Nothing here is typed by hand: the codebook table comes from the codebook the
data were coded with, the hashes from the files that were loaded, and the
versions from the installed packages and binaries. A reader who holds the
same files and the same versions can reproduce every number in the report.

Public surface: ``codebook_table``, ``data_files_table``,
``software_versions_table``, ``transcript_count``, ``top_level_code_count``, ``data_location``,
``not_imported_note``, ``HASH_DIGITS``.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
from pathlib import Path

import pandas as pd

from analysis.format import fmt_int
from analysis.markdown import markdown_text
from analysis.paths import FACTS_DIR, REPO_ROOT

__all__ = [
    "HASH_DIGITS",
    "codebook_table",
    "data_files_table",
    "data_location",
    "not_imported_note",
    "software_versions_table",
    "top_level_code_count",
    "transcript_count",
]

#: Hex digits of each SHA-256 shown in the PDF; enough to tell files apart at a glance, short enough for an A4 column.
HASH_DIGITS = 16

CONTENT_DIR = REPO_ROOT / "content"

_ROLES = {
    "codebook": "Codeboek van de interviews",
    "register": "Respondentenregister (pseudoniemen)",
    "segments": "Gecodeerde fragmenten",
    "survey": "Enquête onder ambtsdragers",
    "trend": "Trendcijfers Monitor Integriteit en Veiligheid",
}


def codebook_table(ev) -> pd.DataFrame:
    """The codebook as the reader sees it: code id, name and when it is applied (index: code id)."""
    codebook = ev.codebook
    table = pd.DataFrame(
        {
            "Code": codebook["code"],
            "Naam": codebook["name"],
            "Wanneer toegekend": codebook["description"],
        }
    )
    return table.set_index("Code")


def top_level_code_count(ev) -> str:
    """Number of main codes (codes without a parent), formatted for the prose."""
    return fmt_int(int((ev.codebook["level"] == 1).sum()))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _short(digest: str) -> str:
    return digest[:HASH_DIGITS]


def _combined(hashes: dict[str, str]) -> str:
    """One digest for a set of files: the SHA-256 of their sorted 'name digest' lines."""
    lines = "".join(f"{name} {digest}\n" for name, digest in sorted(hashes.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def transcript_count(ev) -> str:
    """Number of transcript files that were loaded, for the prose."""
    return fmt_int(sum(1 for name in ev.file_hashes if name.startswith("transcripts/")))


def _data_folder(ev) -> str:
    """Where the data were read from: the folder relative to the repository, or only its name for data kept outside."""
    try:
        return ev.data_dir.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return ev.data_dir.name


def data_location(ev) -> str:
    """Where the data were read from, for the prose (Markdown): 'data/demo', or the folder's name."""
    return markdown_text(_data_folder(ev))


_SOURCE_KIND_NL = {"PDF": "pdf-bron", "picture": "beeldbron", "audio": "geluidsbron", "video": "videobron", "text": "tekstbron"}


def not_imported_note(ev) -> str:
    """Markdown naming the codings of the QDA project that have no place in a text; empty when every coding was read.

    A coding on a picture, audio or video source, on a region of a PDF page or on
    a source as a whole has no text offsets, so it is not in the analysis; the
    reader is told how many there are and on which source.
    """
    items = tuple(getattr(ev, "not_imported", ()))
    if not items:
        return ""
    total = sum(item.codings for item in items)
    lines = [
        f"Uit het QDA-project zijn {fmt_int(total)} coderingen niet ingelezen, omdat ze niet op een tekstfragment liggen:",
        "",
    ]
    for item in items:
        noun = "codering" if item.codings == 1 else "coderingen"
        kind = markdown_text(_SOURCE_KIND_NL.get(item.kind, item.kind))
        lines.append(f"- {kind} {markdown_text(item.source)}: {fmt_int(item.codings)} {noun}")
    return "\n".join(lines) + "\n"


def data_files_table(ev) -> pd.DataFrame:
    """Every input of the report with its role and the first digits of its SHA-256 (index: file).

    Data files come from ``ev.file_hashes`` (computed when the data were loaded);
    the transcripts are summarised as one combined digest; the sourced facts
    tables and the authored content files are hashed here.
    """
    roles_by_file = {file: _ROLES.get(table, table) for table, file in ev.sources.items()}
    location = _data_folder(ev)

    def shown(name: str) -> str:
        # Names in file_hashes are relative to the data folder, except the shared facts under data/.
        return name if name.startswith("data/") else f"{location}/{name}"

    rows = []
    transcripts = {}
    for name, digest in sorted(ev.file_hashes.items()):
        if name.startswith("transcripts/"):
            transcripts[name] = digest
            continue
        rows.append((shown(name), roles_by_file.get(name, "Gegevensbestand"), _short(digest)))
    if transcripts:
        rows.append(
            (
                shown(f"transcripts/ ({fmt_int(len(transcripts))} bestanden)"),
                "Uitgeschreven interviews, gecombineerde hash",
                _short(_combined(transcripts)),
            )
        )
    seen = {name for name, _, _ in rows}
    for path in sorted(FACTS_DIR.glob("*.csv")):
        name = path.relative_to(REPO_ROOT).as_posix()
        if name not in seen:
            rows.append((name, "Feitentabel met bronnen", _short(_sha256(path))))
    for path in sorted(CONTENT_DIR.glob("*.yml")):
        rows.append((path.relative_to(REPO_ROOT).as_posix(), "Tekstinhoud (polariteitenkaarten)", _short(_sha256(path))))
    table = pd.DataFrame(rows, columns=["Bestand", "Rol", f"SHA-256 (eerste {HASH_DIGITS} tekens)"])
    return table.set_index("Bestand")


_PACKAGES = (
    ("pandas", "Tabellen en bewerkingen"),
    ("numpy", "Rekenkern"),
    ("plotnine", "Figuren"),
    ("matplotlib", "Tekenmotor van de figuren"),
    ("pandera", "Validatie van de data"),
    ("pydantic", "Validatie van configuratie en inhoud"),
    ("nbclient", "Uitvoeren van de codecellen"),
    ("pypandoc-binary", "Omzetting van de tekst"),
    ("typst", "Opmaak van de pdf (Python-binding van de Typst-compiler)"),
)


def _pandoc_version() -> str:
    try:
        import pypandoc

        return pypandoc.get_pandoc_version()
    except (ImportError, OSError) as error:  # the binary may be missing on a reader's machine
        return f"niet gevonden ({error.__class__.__name__})"


def software_versions_table() -> pd.DataFrame:
    """The software that produced this rendering, with the versions installed right now (index: component)."""
    rows = [("Python", platform.python_version(), "Taal van de analyse")]
    for package, role in _PACKAGES:
        try:
            version = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            version = "niet geïnstalleerd"
        rows.append((package, version, role))
    rows.append(("pandoc", _pandoc_version(), "Omzetting van Markdown naar HTML en Typst"))
    table = pd.DataFrame(rows, columns=["Onderdeel", "Versie", "Rol"])
    return table.set_index("Onderdeel")
