"""Evaluation data layer of the NWB tussenevaluatie: load -> validate -> measures.

Chapters use a small public surface::

    from analysis import load_evaluation
    from analysis.measures import respondents_per_code, quantifier, quotes

    ev = load_evaluation()          # demo data unless REPORT_DATA points elsewhere
    ev.segments, ev.register, ev.survey, ev.trend, ev.codebook

Pipeline stages, one module each:

- ``paths``       where the data lives (argument > ``REPORT_DATA`` > ``data/demo``);
- ``load``        read every file into raw tables (CSV, YAML, REFI-QDA, SPSS);
- ``qdpx``        REFI-QDA codebooks (``.qdc``) and projects (``.qdpx``), read safely;
- ``schemas``     the table definitions (pandera) that validation and the data dictionary share;
- ``validate``    every rule on every table, all violations reported at once;
- ``consent``     who an interview belongs to (every Case of a group interview) and which quotes may be published;
- ``identity``    no publishable quote holds a name or place of the register's never-published columns;
- ``measures``    the numbers and tables the chapters show;
- ``reliability`` Krippendorff's alpha for the double-coded interviews;
- ``survey``      weighted survey shares with Wilson intervals;
- ``sdc``         statistical disclosure control, with a log of every suppression;
- ``datapackage`` the frictionless data dictionary ``data/datapackage.json``.

The demo set is written by ``scripts/generate_demo_data.py``; regenerate it
rather than editing ``data/demo`` by hand.
"""

from __future__ import annotations

from analysis.load import Evaluation, load_evaluation
from analysis.validate import DataValidationError, Violation

__all__ = ["DataValidationError", "Evaluation", "Violation", "load_evaluation"]
