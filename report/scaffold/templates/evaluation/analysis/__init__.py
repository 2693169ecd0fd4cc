"""The evaluation's own analysis: load -> validate -> measures, shared by every chapter through analysis.common."""
