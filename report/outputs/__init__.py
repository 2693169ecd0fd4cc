"""Outputs: the HTML site, the typst PDF and the figure export, each from the numbered ASTs, and their
publishing into output folders that never lose a file the engine did not write."""
