"""A synthetic book of N chapters for the render benchmark, in Quarto and in MyST form.

Each chapter has Dutch prose (one sentence per line), a pandas table read from its own data file, a plotnine
figure with alt text, a subsection, and cross-references to the previous chapter's figure, table and section
and to the next chapter. The MyST form (for mystmd and Jupyter Book 2) holds the same text, code and labels.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

THEMES = ["bestuur", "veiligheid", "samenwerking", "communicatie", "opleiding", "financiering", "monitoring",
          "weerbaarheid", "ondersteuning", "evaluatie", "beleid", "uitvoering"]
SUBJECTS = ["De gemeente", "Het netwerk", "De burgemeester", "Een wethouder", "Het college", "De provincie",
            "Een raadslid", "De ambtelijke organisatie", "Het programma", "De werkgroep"]
VERBS = ["onderzocht", "besprak", "verbeterde", "beschreef", "ondersteunde", "evalueerde", "versterkte", "volgde"]
OBJECTS = ["de aanpak van intimidatie", "de melding van incidenten", "de samenwerking met de politie",
           "de opleiding van nieuwe raadsleden", "het gesprek over veiligheid", "de nazorg na een incident",
           "de communicatie met inwoners", "de afspraken tussen partners"]
ENDINGS = ["in het afgelopen jaar.", "volgens de betrokkenen.", "met wisselend succes.", "op eigen initiatief.",
           "samen met andere gemeenten.", "in de eerste fase van het programma.", "zonder extra middelen."]
MUNICIPALITIES = ["Amersfoort", "Breda", "Deventer", "Emmen", "Gouda", "Haarlem", "Leiden", "Zwolle"]


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(ENDINGS)}"


def _paragraph(rng: random.Random, sentences: int = 5) -> str:
    return "\n".join(_sentence(rng) for _ in range(sentences))


def _data(rng: random.Random) -> str:
    rows = ["gemeente,aantal,aandeel"] + [f"{name},{rng.randint(3, 90)},{rng.random():.3f}" for name in MUNICIPALITIES]
    return "\n".join(rows) + "\n"


def chapter_name(number: int) -> str:
    return f"hoofdstuk-{number:03d}"


def _chapter(number: int, count: int, rng: random.Random, myst: bool) -> str:
    theme = THEMES[number % len(THEMES)]
    name = chapter_name(number)
    label = f"h{number:03d}"
    fence = "```{code-cell} python" if myst else "```{python}"
    lines = [f"# {theme.capitalize()} in hoofdstuk {number} {{#sec-{label}}}" if not myst
             else f"(sec-{label})=\n# {theme.capitalize()} in hoofdstuk {number}", "", _paragraph(rng), ""]
    if number > 1:
        previous = f"h{number - 1:03d}"
        lines += [f"Dit hoofdstuk bouwt voort op @sec-{previous}, met @fig-{previous} en @tbl-{previous}.", ""]
    lines += [fence, f"#| label: tbl-{label}", f'#| tbl-cap: "Meldingen per gemeente in hoofdstuk {number}"'
              if not myst else f'#| caption: "Meldingen per gemeente in hoofdstuk {number}"',
              "import os", "from pathlib import Path", "import pandas as pd",
              f'tabel = pd.read_csv(Path(os.environ["BENCH_DATA"]) / "{name}.csv")',
              'tabel[["gemeente", "aantal"]]', "```", "", _paragraph(rng), "",
              f"Zoals @fig-{label} laat zien, verschilt het aantal meldingen sterk per gemeente.", "",
              fence, f"#| label: fig-{label}",
              f'#| fig-cap: "Aantal meldingen per gemeente, hoofdstuk {number}"' if not myst
              else f'#| caption: "Aantal meldingen per gemeente, hoofdstuk {number}"',
              f'#| fig-alt: "Staafdiagram van het aantal meldingen in acht gemeenten voor hoofdstuk {number}."',
              "from plotnine import aes, geom_col, ggplot, labs, theme_minimal",
              '(ggplot(tabel, aes("gemeente", "aantal")) + geom_col(fill="#1f5f8b") + theme_minimal()',
              ' + labs(x="Gemeente", y="Meldingen"))', "```", "",
              f"## Bevindingen over {theme} {{#sec-{label}-bevindingen}}" if not myst
              else f"(sec-{label}-bevindingen)=\n## Bevindingen over {theme}", "", _paragraph(rng, 6), ""]
    if number < count:
        lines += [f"Het volgende hoofdstuk, @sec-h{number + 1:03d}, gaat verder met dit onderwerp.", ""]
    return "\n".join(lines)


def write_book(root: Path, chapters: int, seed: int = 14) -> list[Path]:
    """Write the Quarto book into ``root``; return the chapter files (index first)."""
    rng = random.Random(seed)
    (root / "chapters").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    names = [f"chapters/{chapter_name(number)}.qmd" for number in range(1, chapters + 1)]
    chapter_list = "\n".join(f"    - {name}" for name in names)
    (root / "_quarto.yml").write_text(f"""project:
  type: book
  output-dir: _book
  execute-dir: project

lang: nl

book:
  title: "Synthetisch rapport"
  author: "Benchmark"
  date: "2024-05-14"
  output-file: "synthetisch"
  chapters:
    - index.qmd
{chapter_list}

execute:
  echo: false
  warning: false

format:
  html:
    number-sections: true
    toc: true
  typst:
    papersize: a4
    toc: true

report:
  data:
    env: BENCH_DATA
    demo: data
    demo-mark: "SYNTHETISCH"
""", encoding="utf-8")
    (root / "index.qmd").write_text(f"# Voorwoord {{.unnumbered}}\n\n{_paragraph(rng)}\n\nHet boek begint met "
                                    "@sec-h001.\n", encoding="utf-8")
    files = [root / "index.qmd"]
    for number in range(1, chapters + 1):
        (root / "data" / f"{chapter_name(number)}.csv").write_text(_data(rng), encoding="utf-8")
        path = root / names[number - 1]
        path.write_text(_chapter(number, chapters, rng, myst=False), encoding="utf-8")
        files.append(path)
    return files


def write_myst_book(root: Path, chapters: int, data_dir: Path, seed: int = 14) -> list[Path]:
    """The same book for mystmd / Jupyter Book 2 (``myst.yml`` and MyST Markdown with code cells)."""
    rng = random.Random(seed)
    (root / "chapters").mkdir(parents=True, exist_ok=True)
    toc = ["    - file: index.md"] + [f"    - file: chapters/{chapter_name(number)}.md"
                                      for number in range(1, chapters + 1)]
    (root / "myst.yml").write_text("version: 1\nproject:\n  title: Synthetisch rapport\n  numbering:\n"
                                   "    headings: true\n    figure: true\n    table: true\n  jupyter: true\n"
                                   "  toc:\n" + "\n".join(toc) + "\nsite:\n  template: book-theme\n",
                                   encoding="utf-8")
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    front = "---\n" + "kernelspec:\n  name: python3\n  display_name: Python 3\n" + "---\n"
    (root / "index.md").write_text(front + f"# Voorwoord\n\n{_paragraph(rng)}\n\nHet boek begint met "
                                   "[hoofdstuk 1](#sec-h001).\n", encoding="utf-8")
    files = [root / "index.md"]
    for number in range(1, chapters + 1):
        _data(rng)  # the same random sequence as the Quarto book; the data files are shared
        path = root / "chapters" / f"{chapter_name(number)}.md"
        path.write_text(front + _chapter(number, chapters, rng, myst=True), encoding="utf-8")
        files.append(path)
    (root / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    return files
