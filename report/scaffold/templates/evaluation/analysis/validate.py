"""Stage 2: every row checked against the rules; the first fault stops the render with file, row and rule."""

from __future__ import annotations

from dataclasses import dataclass

COLUMNS = ("respondent", "regio", "tevredenheid")


class DataError(ValueError):
    """Bad input data: the message names file, line and rule, so the render shows it without a traceback."""

    report_traceback = False


@dataclass(frozen=True)
class Respondent:
    respondent: str
    regio: str
    tevredenheid: int


def validate(rows: list[dict[str, str]], source: str = "respondenten.csv") -> list[Respondent]:
    seen: set[str] = set()
    valid = []
    for row in rows:
        where = f"{source}:{row.get('_line', '?')}"
        missing = [column for column in COLUMNS if not (row.get(column) or "").strip()]
        if missing:
            raise DataError(f"{where}: column '{missing[0]}' is empty (rule: every column is filled)")
        if row["respondent"] in seen:
            raise DataError(f"{where}: respondent '{row['respondent']}' occurs twice (rule: one row per respondent)")
        seen.add(row["respondent"])
        try:
            score = int(row["tevredenheid"])
        except ValueError:
            score = 0
        if not 1 <= score <= 10:
            raise DataError(f"{where}: tevredenheid '{row['tevredenheid']}' is not a whole number from 1 to 10 "
                            "(rule: tevredenheid 1-10)")
        valid.append(Respondent(row["respondent"], row["regio"].strip(), score))
    return valid
