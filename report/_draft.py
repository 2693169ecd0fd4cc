"""Draft renders: what the engine tells kernels, and the mark a draft carries when the project names none.

The engine only marks and announces a draft (``REPORT_DRAFT=1`` in every kernel);
what a draft may do that a publication may not is the project's to decide.
A draft is never released (report.release.create refuses it).
"""

DRAFT_ENV = "REPORT_DRAFT"
DEFAULT_DRAFT_MARK = "DRAFT"
