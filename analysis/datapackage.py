"""The data dictionary: a frictionless ``datapackage.json`` for every data file.

Field descriptions come from :mod:`analysis.schemas`, the same specs the loader
validates against, and every resource carries its size and SHA-256 hash, so a
test can prove that the dictionary describes the files as they are.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from analysis.schemas import CODEBOOK, MONITOR_2022, REGISTER, SEGMENTS, SURVEY, TREND, Field, TableSpec

__all__ = ["build_datapackage", "table_schema", "RESOURCES"]

#: (name, path below the data root, format, mediatype, spec or None, description)
RESOURCES: tuple[tuple[str, str, str, str, TableSpec | None, str], ...] = (
    ("demo-marker", "demo/DEMO", "txt", "text/plain", None, "Markering: deze map bevat synthetische demonstratiedata."),
    ("demo-codebook", "demo/codebook.yml", "yaml", "application/yaml", CODEBOOK,
     "Codeboek in YAML: een lijst 'codes' met per code de sleutels code, name, description en eventueel children. Het schema beschrijft de afgevlakte tabel die de loader ervan maakt."),
    ("demo-register", "demo/register.csv", "csv", "text/csv", REGISTER, REGISTER.description),
    ("demo-segments", "demo/segments.csv", "csv", "text/csv", SEGMENTS, SEGMENTS.description),
    ("demo-transcripts", "demo/transcripts/*.txt", "txt", "text/plain", None,
     "Eén UTF-8-transcript per interview (<interview>.txt); posities in segments.csv tellen codepunten in deze tekst."),
    ("demo-survey", "demo/survey.csv", "csv", "text/csv", SURVEY, SURVEY.description),
    ("demo-refi-qda", "demo/refi-qda/nwb-demo.qdpx", "qdpx", "application/zip", None,
     "Dezelfde gecodeerde interviews als REFI-QDA-project (urn:QDA-XML:project:1.0), als voorbeeld voor de importer."),
    ("facts-monitor-trend", "facts/monitor-trend.csv", "csv", "text/csv", TREND, TREND.description),
    ("facts-monitor-2022", "facts/monitor-2022.csv", "csv", "text/csv", MONITOR_2022, MONITOR_2022.description),
)


def _field(f: Field) -> dict:
    entry: dict = {"name": f.name, "type": f.type, "description": f.description}
    constraints: dict = {}
    if f.required:
        constraints["required"] = True
    if f.categories is not None:
        constraints["enum"] = list(f.categories)
    if f.pattern is not None:
        constraints["pattern"] = f.pattern
    if f.minimum is not None:
        constraints["minimum"] = int(f.minimum) if float(f.minimum).is_integer() else f.minimum
    if f.maximum is not None:
        constraints["maximum"] = int(f.maximum) if float(f.maximum).is_integer() else f.maximum
    if f.value_labels is not None:
        constraints["enum"] = sorted(f.value_labels)
        entry["categories"] = [{"value": k, "label": v} for k, v in sorted(f.value_labels.items())]
    if f.type == "boolean":
        entry["trueValues"] = ["true"]
        entry["falseValues"] = ["false"]
    if constraints:
        entry["constraints"] = constraints
    return entry


def table_schema(spec: TableSpec) -> dict:
    """Frictionless table schema for one spec."""
    schema: dict = {"fields": [_field(f) for f in spec.fields], "missingValues": [""]}
    if spec.primary_key:
        schema["primaryKey"] = list(spec.primary_key)
    return schema


def _paths(root: Path, pattern: str) -> list[Path]:
    if "*" in pattern:
        return sorted(root.glob(pattern))
    return [root / pattern]


def build_datapackage(root: Path) -> dict:
    """The data package describing the files under ``root`` (``demo/`` and ``facts/``)."""
    resources = []
    for name, pattern, fmt, mediatype, spec, description in RESOURCES:
        files = _paths(root, pattern)
        data = b"".join(p.read_bytes() for p in files)
        relative = [p.relative_to(root).as_posix() for p in files]
        resource: dict = {
            "name": name,
            "path": relative if "*" in pattern else relative[0],
            "format": fmt,
            "mediatype": mediatype,
            "encoding": "utf-8",
            "title": spec.title if spec else name,
            "description": description,
            "bytes": len(data),
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        }
        if spec is not None:
            resource["schema"] = table_schema(spec)
        if fmt == "csv":
            resource["profile"] = "tabular-data-resource"
            resource["dialect"] = {"delimiter": ",", "lineTerminator": "\n", "header": True}
        if fmt == "qdpx":
            resource.pop("encoding")
        resources.append(resource)
    return {
        "profile": "data-package",
        "name": "nwb-tussenevaluatie-data",
        "title": "Data van de tussenevaluatie Netwerk Weerbaar Bestuur",
        "description": (
            "Datawoordenboek van de demonstratieset (synthetisch, geschreven door scripts/generate_demo_data.py) "
            "en van de publieke feitentabellen uit de Monitor Integriteit en Veiligheid. Echte interviewdata staan "
            "buiten de repository en hebben dezelfde vorm."
        ),
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }
