"""`license:` and `copyright:` in the normalised form Quarto gives them before shortcodes and templates see them.

A licence string becomes ``{text}``; a Creative Commons abbreviation ("CC BY", "cc by-sa 3.0") becomes
``{type: creative-commons, url, text: "CC BY 4.0"}`` (version 4.0 unless given, the deed in the document's
language). A copyright string becomes ``{statement}``. Objects and lists keep their own keys, as in Quarto.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

__all__ = ["creative_commons", "normalized_rights"]

_CREATIVE_COMMONS_KINDS = ("cc by", "cc by-sa", "cc by-nd", "cc by-nc", "cc by-nc-sa", "cc by-nc-nd")
_CREATIVE_COMMONS = re.compile(r"(cc by\S*)\s*(.*)", re.DOTALL)


def creative_commons(text: str, lang: str | None = None) -> dict[str, str] | None:
    """A Creative Commons licence named by ``text`` ({type, url, text}), or None when it names none."""
    match = _CREATIVE_COMMONS.search(text.lower())
    if not match or match.group(1) not in _CREATIVE_COMMONS_KINDS:
        return None
    kind, version = match.group(1), match.group(2) or "4.0"
    url = f"https://creativecommons.org/licenses/{kind[len('cc '):]}/{version}/"
    language = (lang or "en").lower()
    if language != "en":
        url += f"deed.{language}"
    return {"type": "creative-commons", "url": url, "text": f"{kind.upper()} {version}"}


def _license(value: Any, lang: str | None) -> Any:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return creative_commons(str(value), lang) or {"text": str(value)}
    return value


def normalized_rights(metadata: Mapping[str, Any]) -> Mapping[str, Any]:
    """``metadata`` with ``license`` and ``copyright`` in Quarto's normalised form (the mapping itself when it
    has neither)."""
    if "license" not in metadata and "copyright" not in metadata:
        return metadata
    lang = metadata.get("lang")
    normalized = dict(metadata)
    value = metadata.get("license")
    if isinstance(value, list):
        normalized["license"] = [_license(item, lang) for item in value]
    elif value is not None:
        normalized["license"] = _license(value, lang)
    copyright_value = metadata.get("copyright")
    if isinstance(copyright_value, (str, int, float)) and not isinstance(copyright_value, bool):
        normalized["copyright"] = {"statement": str(copyright_value)}
    return normalized
