"""Sources and configuration: `_quarto.yml`, front matter and cell options, the book's documents."""
