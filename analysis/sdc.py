"""Statistical disclosure control: no count or share on a base below the threshold.

Every function in :mod:`analysis.measures` that shows a count or a share passes
through :func:`allowed`, so no chapter can forget the rule. The threshold is 10
by default (the common minimum base of ONS and ACRO output checking), can be
set with the environment variable ``REPORT_SDC_MIN_BASE``, with
:func:`set_min_base`, or per call with ``min_base=``. Every suppression is
logged (logger ``analysis.sdc``) and kept in :func:`suppressions`, so the
methods appendix can list what was withheld and why.

The project's policy minimum is :data:`DEFAULT_MIN_BASE`. A threshold below it,
from the environment or :func:`set_min_base`, is refused with
:class:`DisclosurePolicyError` unless the render is a draft (the engine sets
``REPORT_DRAFT=1`` for ``report render --draft``, whose every page carries the
draft mark and which cannot be released). A per-call ``min_base=`` is the
analysis code's own choice and is not checked.

Tables of counts of persons go through :func:`protect` (primary and secondary
cell suppression): a count from 1 to the threshold minus one reads '<10'; a
zero is shown, because it points at nobody (ACRO's default treats zeros as
disclosive; here a zero in a table of groups of about ten reveals at most that
nobody of a group has an attribute, which the report says in words anyway);
and while any '<10' can be worked out exactly from the rows, columns and
totals (:func:`recoverable`, an interval audit that knows what '<10' and 'x'
mean), another cell is withheld as 'x'. Counts shared by several tables (the
size of a respondent group, survey respondents per function) are protected
once and withheld alike in every table that prints them. The rendered book is
audited again by ``report check`` (:mod:`analysis.published_counts`).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

__all__ = ["DEFAULT_MIN_BASE", "DisclosureError", "DisclosurePolicyError", "Line", "PRIMARY", "SECONDARY",
           "SECONDARY_MARK", "SHOWN", "Suppression", "allowed", "cell_text", "clear_log", "is_draft", "min_base",
           "primary_mark", "protect", "recoverable", "requested_min_base", "set_min_base", "suppressions",
           "table_lines"]

DEFAULT_MIN_BASE = 10
ENV = "REPORT_SDC_MIN_BASE"
DRAFT_ENV = "REPORT_DRAFT"


class DisclosurePolicyError(ValueError):
    """A threshold below the policy minimum outside a draft render."""


def is_draft() -> bool:
    """True when the engine renders a draft (``report render --draft`` sets ``REPORT_DRAFT=1``)."""
    return os.environ.get(DRAFT_ENV) == "1"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Suppression:
    """A value withheld: which measure, which cell, the base and the threshold."""

    measure: str
    cell: str
    base: int
    threshold: int
    #: Withheld only so that another withheld count cannot be worked out from a total.
    secondary: bool = False

    @property
    def reason(self) -> str:
        if self.secondary:
            return f"withheld so that a count below the minimum of {self.threshold} cannot be worked out from a total"
        return f"base {self.base} is below the minimum of {self.threshold}"

    def __str__(self) -> str:
        return f"{self.measure} [{self.cell}] suppressed: {self.reason}"


_configured: int | None = None
_log: list[Suppression] = []


def min_base(override: int | None = None) -> int:
    """The threshold in force: ``override`` > :func:`set_min_base` > ``$REPORT_SDC_MIN_BASE`` > 10.

    Raises :class:`DisclosurePolicyError` for a configured threshold below the
    policy minimum, unless the render is a draft.
    """
    if override is not None:
        value = override
        if value < 1:
            raise ValueError(f"the minimum base must be at least 1, got {value}")
        return value
    value = requested_min_base()
    if value < DEFAULT_MIN_BASE and not is_draft():
        source = f"${ENV}={os.environ.get(ENV)}" if _configured is None else f"set_min_base({_configured})"
        raise DisclosurePolicyError(
            f"disclosure control: the minimum base {value} (from {source}) is below the policy minimum of "
            f"{DEFAULT_MIN_BASE}; counts on smaller bases would be published. Remove it, or render a draft "
            "(report render --draft), which is marked on every page and cannot be released")
    return value


def requested_min_base() -> int:
    """The threshold asked for (:func:`set_min_base` > ``$REPORT_SDC_MIN_BASE`` > 10), before the policy."""
    if _configured is not None:
        value = _configured
    elif os.environ.get(ENV):
        text = os.environ[ENV]
        if not text.strip().isdigit():
            raise ValueError(f"{ENV} must be a whole number, got {text!r}")
        value = int(text)
    else:
        value = DEFAULT_MIN_BASE
    if value < 1:
        raise ValueError(f"the minimum base must be at least 1, got {value}")
    return value


def set_min_base(value: int | None) -> None:
    """Set the threshold for this process; ``None`` restores the environment or default."""
    global _configured
    if value is not None and value < 1:
        raise ValueError(f"the minimum base must be at least 1, got {value}")
    _configured = value


def allowed(base: int, measure: str, cell: str, override: int | None = None) -> bool:
    """True if a value on ``base`` may be shown; otherwise log the suppression and return False.

    A base equal to the threshold is shown; only a base strictly below it is withheld.
    """
    threshold = min_base(override)
    if base >= threshold:
        return True
    _record(Suppression(measure, cell, int(base), threshold))
    return False


def _record(record: Suppression) -> None:
    if record not in _log:
        _log.append(record)
    log.info("%s", record)


def suppressions() -> list[Suppression]:
    """Every suppression made in this process, in order, without repeats."""
    return list(_log)


def clear_log() -> None:
    """Forget the suppressions logged so far (a new render, a new test)."""
    _log.clear()


# --- Tables: primary and complementary (secondary) cell suppression ---------------------------------------------

SHOWN = "shown"
PRIMARY = "primary"
SECONDARY = "secondary"
#: How a withheld cell reads: a primary cell is a count of 1 to threshold-1 persons; a secondary cell hides
#: any count (also 0 or a large one) so that no primary cell can be worked out from a total.
SECONDARY_MARK = "x"


def primary_mark(threshold: int | None = None) -> str:
    """How a count below the threshold reads in a table: '<10'."""
    return f"<{min_base(threshold)}"


class DisclosureError(ValueError):
    """A table cannot be protected: a withheld cell stays recoverable whatever else is withheld."""


Cell = tuple[object, object]


@dataclass(frozen=True)
class Line:
    """Cells of one row or column that add up to a published total (the total's cell is ``total``)."""

    cells: tuple[Cell, ...]
    total: Cell


def table_lines(index, columns, total_row=None, total_column=None) -> list[Line]:
    """The additive lines of a table with margins: every row sums to ``total_column``, every column to ``total_row``."""
    lines = []
    if total_column is not None:
        inner = [c for c in columns if c != total_column]
        lines += [Line(tuple((r, c) for c in inner), (r, total_column)) for r in index]
    if total_row is not None:
        inner = [r for r in index if r != total_row]
        lines += [Line(tuple((r, c) for r in inner), (total_row, c)) for c in columns]
    return lines


_INFINITY = float("inf")


def _domain(status: str, value: int | None, threshold: int) -> tuple[float, float]:
    if status == SHOWN:
        return float(value), float(value)
    if status == PRIMARY:
        return 1.0, float(threshold - 1)
    return 0.0, _INFINITY


def recoverable(values: dict[Cell, int | None], status: dict[Cell, str], lines: list[Line],
                threshold: int) -> dict[Cell, int]:
    """Withheld cells a reader can work out exactly, with their value, from the shown cells and the totals.

    Only a primary cell recovered is a disclosure; a secondary one recovered
    (0, or a count at or above the threshold) is where the arithmetic runs.

    The reader knows the rule: a primary cell holds 1 to ``threshold - 1``, a
    secondary cell 0 or at least ``threshold`` (otherwise it would be primary).
    Bounds are tightened along every line (row or column with its total) until
    nothing changes; a withheld cell whose bounds meet is recovered. This is
    the interval audit of cell suppression, done over all lines together, so a
    value recovered in one line is used in the next.
    """
    bounds = {cell: _domain(status[cell], values.get(cell), threshold) for cell in status}
    changed = True
    while changed:
        changed = False
        for line in lines:
            members = [cell for cell in (*line.cells, line.total) if cell in bounds]
            if line.total not in bounds or len(members) < 2:
                continue
            inner = [c for c in line.cells if c in bounds]
            total_low, total_high = bounds[line.total]
            updates = {line.total: (max(total_low, sum(bounds[c][0] for c in inner)),
                                    min(total_high, sum(bounds[c][1] for c in inner)))}
            for cell in inner:
                low, high = bounds[cell]
                others_low = sum(bounds[c][0] for c in inner if c != cell)
                others_high = sum(bounds[c][1] for c in inner if c != cell)
                updates[cell] = (max(low, total_low - others_high), min(high, total_high - others_low))
            for cell, (low, high) in updates.items():
                if status[cell] == SECONDARY:  # a secondary cell is never 1 to threshold-1
                    if high < threshold:
                        high = min(high, 0.0)
                    if low > 0:
                        low = max(low, float(threshold))
                if (low, high) != bounds[cell] and low <= high:
                    bounds[cell] = (low, high)
                    changed = True
    return {cell: int(bounds[cell][0]) for cell in status
            if status[cell] != SHOWN and bounds[cell][0] == bounds[cell][1]}


def protect(counts, *, measure: str, total_row=None, total_column=None, withhold=(), fixed=(),
            threshold: int | None = None):
    """Which cells of a table of counts of persons to withhold: a DataFrame of SHOWN, PRIMARY or SECONDARY.

    - Primary: every count from 1 to ``threshold - 1``. Zero is shown: it points at nobody.
    - ``withhold``: cells withheld in another published table of the same data (a shared margin), withheld here too.
    - Secondary: while a primary cell can be worked out from the rows, columns and totals
      (:func:`recoverable`), one more cell is withheld: the one that leaves the fewest primary
      cells recoverable, preferring a cell in a line where the arithmetic runs, a non-zero count
      before a zero and before a total, the smallest first; never a ``fixed`` cell (published
      elsewhere, so withholding it here would hide nothing).

    Every primary and secondary suppression is logged as :func:`allowed` logs a base.
    """
    import pandas as pd

    limit = min_base(threshold)
    values = {(r, c): int(counts.at[r, c]) for r in counts.index for c in counts.columns}
    status = {cell: PRIMARY if 0 < value < limit else SHOWN for cell, value in values.items()}
    for cell in withhold:
        if cell in status and status[cell] == SHOWN:
            status[cell] = PRIMARY if 0 < values[cell] < limit else SECONDARY
    fixed = set(fixed)
    lines = table_lines(counts.index, counts.columns, total_row, total_column)
    totals = {line.total for line in lines}

    def exposed_primaries(trial: dict[Cell, str]) -> list[Cell]:
        return [c for c in recoverable(values, trial, lines, limit) if trial[c] == PRIMARY]

    while exposed := exposed_primaries(status):
        # Withhold the cell that leaves the fewest primary cells recoverable; among equals, one in a line
        # where a withheld cell is pinned down (that is where the arithmetic runs), a non-zero inner cell
        # before a zero and before a total, the smallest first ("the next smallest group").
        pinned = set(recoverable(values, status, lines, limit))
        hot = {c for line in lines if pinned & {*line.cells, line.total} for c in (*line.cells, line.total)}
        candidates = [c for c in status if status[c] == SHOWN and c not in fixed]
        if not candidates:
            raise DisclosureError(f"{measure}: the withheld cell {exposed[0]} can be worked out from its totals, "
                                  "and no other cell of the table may be withheld")

        def rank(c: Cell) -> tuple:
            trial = {**status, c: SECONDARY}
            return (len(exposed_primaries(trial)), c not in hot, c in totals, values[c] == 0, values[c], str(c))

        status[min(candidates, key=rank)] = SECONDARY
    for cell, state in status.items():
        if state != SHOWN:
            name = str(cell[0]) if len(counts.columns) == 1 else f"{cell[0]} x {cell[1]}"
            _record(Suppression(measure, name, values[cell], limit, secondary=state == SECONDARY))
    return pd.DataFrame({c: [status[(r, c)] for r in counts.index] for c in counts.columns}, index=counts.index)


def cell_text(value: int, state: str, format_count=str, threshold: int | None = None) -> str:
    """A count as the table shows it: the number, '<10' (primary) or 'x' (secondary)."""
    if state == PRIMARY:
        return primary_mark(threshold)
    if state == SECONDARY:
        return SECONDARY_MARK
    return format_count(value)
