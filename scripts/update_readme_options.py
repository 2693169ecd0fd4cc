"""Rewrite the README's lists of Quarto options from the option schema and the config models.

Run after implementing an option: ``.venv/bin/python scripts/update_readme_options.py``. The test
tests/test_readme_options.py fails while the README and the engine disagree; it never rewrites the README.
"""

from __future__ import annotations

from pathlib import Path

from report.sources.option_status import status_markdown

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- options:start (scripts/update_readme_options.py) -->", "<!-- options:end -->"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    if not rest:
        raise SystemExit(f"{README}: no '{START}' marker")
    README.write_text(f"{before}{START}\n{status_markdown()}{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    main()
