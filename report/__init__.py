"""A docs-as-code engine for evaluation reports.

Renders Quarto book sources to an HTML site and an accessible PDF with an
embedded engine (Jupyter kernels, pandoc and typst), or hands over to the
Quarto CLI where one is installed. Nothing in this package is specific to
one evaluation.
"""

__version__ = "0.1.0"
