"""YAML loading that remembers the line of every mapping key.

Strict configuration errors must point at the line of the offending key, so
the loader composes the node tree first and keeps a map from key paths to
line numbers alongside the plain Python data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from report.errors import ReportError

KeyPath = tuple[Any, ...]


# libyaml's parser where PyYAML was built with it (about ten times faster); its error texts differ from the pure
# parser's, so a text it refuses is parsed again by the pure one, whose message is the one reported.
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _construct(node: yaml.Node, loader: yaml.SafeLoader, path: KeyPath, lines: dict[KeyPath, int],
               line_offset: int, source: Path):
    lines.setdefault(path, node.start_mark.line + 1 + line_offset)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                raise ReportError(f"duplicate key '{key}'", path=source,
                                  line=key_node.start_mark.line + 1 + line_offset)
            lines[path + (key,)] = key_node.start_mark.line + 1 + line_offset
            result[key] = _construct(value_node, loader, path + (key,), lines, line_offset, source)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(item, loader, path + (index,), lines, line_offset, source)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def load_yaml(text: str, source: Path, line_offset: int = 0) -> tuple[Any, dict[KeyPath, int]]:
    """Parse YAML text; return the data and a map from key paths to 1-based line numbers.

    ``line_offset`` shifts reported lines for YAML embedded in a larger file
    (front matter, cell options).
    """
    try:
        try:
            return _load(_FastLoader, text, source, line_offset)
        except yaml.MarkedYAMLError:
            if _FastLoader is yaml.SafeLoader:
                raise
            return _load(yaml.SafeLoader, text, source, line_offset)  # for the pure parser's message
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = error.problem or error.context or "invalid YAML"
        raise ReportError(f"malformed YAML: {problem}", path=source, line=line) from None


def _load(loader_class: type, text: str, source: Path, line_offset: int) -> tuple[Any, dict[KeyPath, int]]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        lines: dict[KeyPath, int] = {}
        if node is None:
            return {}, lines
        return _construct(node, loader, (), lines, line_offset, source), lines
    finally:
        loader.dispose()


def plain_value(value: Any) -> Any:
    """A YAML value as JSON holds it, for pandoc metadata and Lua (dates and other objects become strings)."""
    if isinstance(value, dict):
        return {key: plain_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_value(item) for item in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return str(value)
