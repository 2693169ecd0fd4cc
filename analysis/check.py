"""Checks a release of this evaluation depends on; run by `report check` as `python -m analysis.check`.

- The data validate (every violation listed, with file, row, column and rule).
- Disclosure control is in force at no less than the policy minimum: a release
  may not lower the threshold below which counts and percentages are withheld.
- The rendered book discloses nothing: every table of counts of persons in the
  output folder the engine names (``$REPORT_OUTPUT_DIR``) is audited cell by
  cell as printed (:mod:`analysis.published_counts`); each disclosing cell is
  named with its file, table and row and column.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from analysis import DataValidationError, load_evaluation, sdc

#: Set by the engine for the project's checks: the folder of the rendered book.
OUTPUT_DIR_ENV = "REPORT_OUTPUT_DIR"


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
    output = Path(os.environ[OUTPUT_DIR_ENV]) if os.environ.get(OUTPUT_DIR_ENV) else None
    if output is not None and any(output.rglob("*.html")):
        from analysis.published_counts import disclosure_findings

        findings = disclosure_findings(ev, output)
        if findings:
            print(f"disclosure control: {len(findings)} cell(s) of the rendered book in {output} disclose:",
                  file=sys.stderr)
            for finding in findings:
                print(f"  {finding}", file=sys.stderr)
            return 1
        audited = f"; the tables of {output} disclose nothing"
    else:
        audited = f"; no rendered book in {output} to audit" if output is not None else ""
    for item in ev.not_imported:  # reported, not refused: the coder decides whether they matter
        print(f"{ev.sources.get('project', 'project')}: {item}", file=sys.stderr)
    source = "demo data" if ev.is_demo else "real data"
    print(f"data valid ({source}: {ev.data_dir}); disclosure control at a minimum base of {threshold}{audited}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
