"""Document and numbering: executed documents to pandoc ASTs, numbered and cross-referenced."""
