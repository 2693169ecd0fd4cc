"""The engine's writers, one module per format, each named by its line in the format registry
(report.sources.format_names) and called by report.render.writing."""
