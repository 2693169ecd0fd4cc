"""The title block's metadata as Quarto normalises it, for every output format: authors with their affiliations,
and the date in its ``date-format``.

- ``author`` is a string, a mapping or a list of either. A mapping has ``name`` (a string, or ``given`` /
  ``family`` / ``literal``), ``affiliations`` (or ``affiliation``: strings, mappings with ``name``, or
  ``ref:`` to an ``id`` of the top-level ``affiliations`` list), ``orcid``, ``email`` and ``url``. The result is
  Quarto's ``by-author`` form: ``{"name": {"literal": ...}, "affiliations": [{"name": ...}], ...}``.
- ``date`` is an ISO date (or date and time; ``2020/05/21`` too), or one of Quarto's special values: ``today``,
  ``now`` and ``last-modified`` (the source's modification time). ``today`` and ``now`` are SOURCE_DATE_EPOCH when
  it is set (in UTC), and a modification time is never later than it, so a reproducible render stays
  byte-identical.
- ``date-format`` is ``full``, ``long`` (the default), ``medium``, ``short``, ``iso`` or a day.js pattern
  (``YYYY-MM-DD``, ``D MMMM YYYY``, ``dddd``, ``HH:mm`` ...; text in ``[brackets]`` is kept). A date that is not
  ISO ("Spring 2024") is shown as written.
"""

from __future__ import annotations

import datetime
import os
import re
from typing import Any, Callable, Iterable, Mapping

__all__ = ["by_author", "resolve_date", "format_date", "is_special_date"]

SPECIAL_DATES = ("today", "now", "last-modified")

_MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
_MONTHS_SHORT = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_WEEKDAYS = {  # Monday first, as datetime.weekday() counts
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_WEEKDAYS_SHORT = {
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
# The named formats as each language writes them (English for languages without their own).
_NAMED = {
    "en": {"full": "dddd, MMMM D, YYYY", "long": "MMMM D, YYYY", "medium": "MMM D, YYYY", "short": "M/D/YY"},
    "nl": {"full": "dddd D MMMM YYYY", "long": "D MMMM YYYY", "medium": "D MMM YYYY", "short": "DD-MM-YYYY"},
    "other": {"full": "dddd D MMMM YYYY", "long": "D MMMM YYYY", "medium": "D MMM YYYY", "short": "YYYY-MM-DD"},
}
_TOKEN = re.compile(r"\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|A|a")
_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")


def _language(lang: str) -> str:
    return lang.split("-")[0].lower()


def _token(match: re.Match, moment: datetime.datetime, language: str) -> str:
    if match.group(1) is not None:
        return match.group(1)
    months, short, days, short_days = (table.get(language, table["en"])
                                       for table in (_MONTHS, _MONTHS_SHORT, _WEEKDAYS, _WEEKDAYS_SHORT))
    token = match.group(0)
    hour12 = moment.hour % 12 or 12
    return {
        "YYYY": f"{moment.year:04d}", "YY": f"{moment.year % 100:02d}", "MMMM": months[moment.month - 1],
        "MMM": short[moment.month - 1], "MM": f"{moment.month:02d}", "M": str(moment.month),
        "DD": f"{moment.day:02d}", "D": str(moment.day), "dddd": days[moment.weekday()],
        "ddd": short_days[moment.weekday()], "HH": f"{moment.hour:02d}", "H": str(moment.hour),
        "hh": f"{hour12:02d}", "h": str(hour12), "mm": f"{moment.minute:02d}", "m": str(moment.minute),
        "ss": f"{moment.second:02d}", "s": str(moment.second),
        "A": "AM" if moment.hour < 12 else "PM", "a": "am" if moment.hour < 12 else "pm",
    }[token]


def _formatted(moment: datetime.datetime, date_format: str | None, lang: str) -> str:
    language = _language(lang)
    named = _NAMED.get(language, _NAMED["other"])
    if date_format == "iso":
        return moment.date().isoformat()
    pattern = named.get(date_format or "long", date_format or named["long"])
    return _TOKEN.sub(lambda match: _token(match, moment, language), pattern)


def format_date(value: Any, lang: str, date_format: str | None = None) -> str:
    """A date as the language writes it in ``date_format`` ('2024-05-14' -> '14 mei 2024'); text that is not an
    ISO date is kept as it is."""
    if isinstance(value, datetime.datetime):
        return _formatted(value, date_format, lang)
    if isinstance(value, datetime.date):
        return _formatted(datetime.datetime(value.year, value.month, value.day), date_format, lang)
    match = _ISO.fullmatch(str(value).strip())
    if not match:
        return str(value)
    year, month, day, hour, minute, second = (int(part) if part else 0 for part in match.groups())
    try:
        moment = datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:  # 2024-02-30: not a date, shown as written
        return str(value)
    return _formatted(moment, date_format, lang)


def _epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def _moment(timestamp: float) -> datetime.datetime:
    # A reproducible render (SOURCE_DATE_EPOCH) does not depend on the machine's time zone.
    zone = datetime.timezone.utc if _epoch() is not None else None
    return datetime.datetime.fromtimestamp(timestamp, tz=zone)


def is_special_date(value: Any) -> bool:
    """Whether ``date: value`` is read from a clock (``today``, ``now``, ``last-modified``), not written out."""
    return isinstance(value, str) and value.strip().lower() in SPECIAL_DATES


def resolve_date(value: Any, lang: str, date_format: str | None,
                 sources: Callable[[], Iterable[os.PathLike]]) -> str | None:
    """The date to show for ``date: value``; ``sources()`` gives the files whose latest modification time
    ``last-modified`` means (read only for that value)."""
    if value is None or value == "":
        return None
    if is_special_date(value):
        special = value.strip().lower()
        epoch = _epoch()
        if special == "last-modified":
            modified = max((os.stat(path).st_mtime for path in sources()), default=epoch or 0)
            moment = _moment(min(modified, epoch) if epoch is not None else modified)
        else:
            moment = _moment(epoch) if epoch is not None else datetime.datetime.now()
        if special == "today":
            moment = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        return _formatted(moment.replace(tzinfo=None), date_format, lang)
    return format_date(value, lang, date_format)


def _affiliation_names(author: Mapping[str, Any], known: Mapping[str, str]) -> list[str]:
    given = author.get("affiliations", author.get("affiliation"))
    names = []
    for item in given if isinstance(given, list) else ([given] if given else []):
        if isinstance(item, Mapping):
            name = item.get("name") or known.get(str(item.get("ref", "")))
        else:
            name = known.get(str(item), str(item))
        if name:
            names.append(str(name))
    return names


def _name(author: Any) -> str:
    if not isinstance(author, Mapping):
        return str(author)
    name = author.get("name", "")
    if isinstance(name, Mapping):
        return str(name.get("literal") or " ".join(str(part) for part in (name.get("given"), name.get("family"))
                                                    if part))
    return str(name)


def by_author(authors: Any, affiliations: Any = None) -> list[dict[str, Any]]:
    """Authors in Quarto's normalised ``by-author`` form; ``affiliations`` is the top-level list that
    ``ref:`` entries point into."""
    known = {str(item["id"]): str(item.get("name", "")) for item in (affiliations or [])
             if isinstance(item, Mapping) and "id" in item}
    result = []
    for author in authors if isinstance(authors, list) else ([authors] if authors else []):
        entry: dict[str, Any] = {"name": {"literal": _name(author)}}
        if isinstance(author, Mapping):
            names = _affiliation_names(author, known)
            if names:
                entry["affiliations"] = [{"name": name} for name in names]
            entry.update({key: str(author[key]) for key in ("orcid", "email", "url") if author.get(key)})
        result.append(entry)
    return result
