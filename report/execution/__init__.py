"""Execution and cache: Jupyter kernels run the cells; results are cached by what they read, and the build
record lets a render whose inputs all hold stop before any stage runs."""
