"""Outputs: the HTML site, the typst PDF and the figure export, each from the numbered ASTs."""
