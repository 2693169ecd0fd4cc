"""The `docx` writer: the book (or document) as one Word file (report.outputs.docx), with the `docx` format's
options and anchors back to the source lines (for `report comments`)."""

from __future__ import annotations

from pathlib import Path

from report.render.stages import stage
from report.render.writing import WriteJob, write_staged

__all__ = ["EXTENSION", "write_book", "write_document"]

EXTENSION = ".docx"


def write_book(job: WriteJob, folder: Path) -> dict[str, Path]:
    name = f"{job.context.project.output_file}.docx"
    with stage("docx", name, folder=folder.parent):
        _write_docx(job, folder / name)
    return {}


def write_document(job: WriteJob, folder: Path, name: str) -> Path:
    return write_staged(folder / name, lambda file: _write_docx(job, file))


def _write_docx(job: WriteJob, output: Path) -> None:
    from report.outputs.docx import DEFAULT_REFERENCE_DOC, AnchorSource, DocxSettings, write_docx
    from report.outputs.fonts import engine_font_paths

    context = job.context
    options = context.resolved("docx")
    reference = options.get("reference-doc")
    settings = DocxSettings(
        metadata=context.metadata("docx"), toc=bool(options.get("toc")), toc_depth=int(options.get("toc-depth") or 3),
        reference_doc=context.named_file(options.origin("reference-doc"), str(reference), "reference-doc")
        if reference else DEFAULT_REFERENCE_DOC,
        fig_dpi=int(options.get("fig-dpi") or 96), epoch=context.epoch, citeproc=tuple(context.pandoc_args()),
        fonts=tuple(engine_font_paths()), appendices_title=context.labels["appendices"])
    sources = [AnchorSource(path=doc.path, markdown=piece.markdown, lines=piece.source_lines,
                            inline_values=piece.inline_values) for doc, piece in job.sources]
    write_docx(job.documents, sources, job.figure_files, settings, job.build_dir, output)
