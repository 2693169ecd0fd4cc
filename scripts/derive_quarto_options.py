"""How report/sources/quarto_options.yml was derived from Quarto's own option schema.

Usage: python scripts/derive_quarto_options.py PATH/TO/quarto-cli > report/sources/quarto_options.new.yml

Quarto describes every option in YAML under ``src/resources/schema/``: one file per topic, each a list of
``{name, schema, tags: {formats, engine, contexts}, description, default, hidden}``. The engine needs only the
name, the type and (for the pdf-through-typst notice) the formats, so this script keeps those:

- ``document-*.yml`` -> ``document:`` (front matter, top level of _quarto.yml, ``format: FORMAT:``)
- ``cell-*.yml`` -> ``cell:`` (``#|`` options)
- options tagged ``execute-only`` or ``contexts: [document-execute]`` -> also ``execute:``
- ``project.yml`` -> ``project-file:`` (its top-level names) and ``project:`` (the properties of ``project``)
- ``definitions.yml`` ``book-schema`` -> ``book:``
- options whose formats are only LaTeX ones (``$pdf-all``, ``pdf``, ``beamer``) -> ``latex-only:``

Descriptions, completions and defaults are dropped; ``ref:`` becomes ``any`` (the engine validates the types it
renders, the rest is accepted as Quarto accepts it); an ``object`` keeps no properties.

How the committed file was made: quarto-cli cannot be cloned on the build machines, so its schema files were
read one by one (through the reference search of the development environment) and compacted by these rules into
report/sources/quarto_options.yml, grouped by source file with a comment each. Knitr-only options that R users
carry over (``message``, ``results``, ``fig-asp`` ...) were kept, so that they get the "ignored" warning rather
than pass as metadata; the rarest knitr and format-specific ones (``class-output``, ``out-extra`` ...) and the
reveal.js and dashboard option families beyond their main names were left out. Running this script on a checkout
gives the full, uncurated list to compare against. The engine never reads the network at run time.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

LATEX = {"$pdf-all", "pdf", "beamer", "latex"}


def simplify(schema):
    if isinstance(schema, str) or schema is None:
        return "null" if schema is None else schema
    if not isinstance(schema, dict):
        return "any"
    if "schema" in schema:
        return simplify(schema["schema"])
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            return {"anyOf": [simplify(item) for item in schema[combinator]]}
    for wrapper in ("maybeArrayOf", "arrayOf"):
        if wrapper in schema:
            inner = schema[wrapper]
            return {wrapper: simplify(inner.get("schema", inner) if isinstance(inner, dict) and "schema" in inner
                                      else inner)}
    if "enum" in schema:
        values = schema["enum"]
        return {"enum": values["values"] if isinstance(values, dict) else values}
    for scalar in ("string", "boolean", "number", "path", "null"):
        if scalar in schema:
            return scalar
    if "object" in schema:
        return "object"
    return "any"


def entries(files):
    for file in files:
        for item in yaml.safe_load(file.read_text(encoding="utf-8")) or []:
            tags = item.get("tags") or {}
            yield item["name"], simplify(item.get("schema")), tags


def main(root: Path) -> None:
    schema_dir = root / "src" / "resources" / "schema"
    out: dict = {"source": "quarto-dev/quarto-cli src/resources/schema", "document": {}, "cell": {}, "execute": {}}
    latex_only = []
    for name, schema, tags in entries(sorted(schema_dir.glob("document-*.yml"))):
        out["document"][name] = schema
        formats = set(tags.get("formats") or [])
        if formats and formats <= LATEX:
            latex_only.append(name)
    for name, schema, tags in entries(sorted(schema_dir.glob("cell-*.yml"))):
        out["cell"][name] = schema
        if tags.get("execute-only") or "document-execute" in (tags.get("contexts") or []):
            out["execute"][name] = schema
    project = yaml.safe_load((schema_dir / "project.yml").read_text(encoding="utf-8"))
    out["project-file"] = {item["name"]: "object" for item in project if not item.get("hidden")}
    properties = next(item for item in project if item["name"] == "project")["schema"]["object"]["properties"]
    out["project"] = {name: simplify(value) for name, value in properties.items()}
    definitions = yaml.safe_load((schema_dir / "definitions.yml").read_text(encoding="utf-8"))
    book = next(item for item in definitions if item.get("id") == "book-schema")
    book_properties = book["object"]["properties"] if "object" in book else {}
    out["book"] = {name: simplify(value) for name, value in book_properties.items()}
    out["latex-only"] = latex_only
    yaml.safe_dump(out, sys.stdout, sort_keys=False, allow_unicode=True, width=120)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
