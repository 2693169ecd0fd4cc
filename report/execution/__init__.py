"""Execution and cache: Jupyter kernels run the cells; results are cached by what they read."""
