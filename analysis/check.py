"""Checks a release of this evaluation depends on; run by `report check` as `python -m analysis.check`.

- The data validate (every violation listed, with file, row, column and rule).
- Disclosure control is in force at no less than the policy minimum: a release
  may not lower the threshold below which counts and percentages are withheld.
"""

from __future__ import annotations

import sys

from analysis import DataValidationError, load_evaluation, sdc


def main() -> int:
    try:
        ev = load_evaluation()
    except DataValidationError as error:
        print(f"data validation failed:\n{error}", file=sys.stderr)
        return 1
    threshold = sdc.requested_min_base()  # a draft's lower threshold is refused here too: checks guard releases
    if threshold < sdc.DEFAULT_MIN_BASE:
        print(f"disclosure control: the minimum base is {threshold} (from ${sdc.ENV}), below the policy "
              f"minimum of {sdc.DEFAULT_MIN_BASE}; counts on smaller bases would be published", file=sys.stderr)
        return 1
    for item in ev.not_imported:  # reported, not refused: the coder decides whether they matter
        print(f"{ev.sources.get('project', 'project')}: {item}", file=sys.stderr)
    source = "demo data" if ev.is_demo else "real data"
    print(f"data valid ({source}: {ev.data_dir}); disclosure control at a minimum base of {threshold}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
