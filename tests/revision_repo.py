"""A git repository of a tiny book with realistic revisions, made by the tests themselves.

Built from tests/fixtures/diff/tinybook plus a project package (``boeklib/``, imported by a chapter as a
book imports its ``analysis/``) and a facts file (``data/facts/kerncijfers.csv``, read by that package).

Commits (oldest first), each made by ``commit``:

- ``first``: the book as it starts;
- ``second``: an edit of every kind a reviewer must see: a sentence (prose), the package's wording (module),
  a fact (facts file), the yearly counts (data: a number, a figure and a table change), a long table cell;
- ``prose``: one sentence reworded, nothing else.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

TINYBOOK = Path(__file__).parent / "fixtures" / "diff" / "tinybook"

PACKAGE = '''"""The tiny book's own analysis package."""

import os
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "data" / "facts" / "kerncijfers.csv"


def bron() -> str:
    return "de monitor van 2023"


def feiten() -> pd.DataFrame:
    return pd.read_csv(FACTS).set_index("onderwerp")


def gemeenten() -> str:
    return str(int(feiten().loc["gemeenten", "waarde"]))


def datamap() -> str:
    """The data folder, relative to the project root where it lies inside it."""
    folder = Path(os.environ["TESTBOEK_DATA"]).resolve()
    try:
        return folder.relative_to(ROOT).as_posix()
    except ValueError:
        return folder.name
'''

CHAPTER = '''# Feiten {#sec-feiten}

```{python}
#| include: false
import boeklib
```

Volgens `{python} boeklib.bron()` doen `{python} boeklib.gemeenten()` gemeenten mee.
De gegevens komen uit `{python} boeklib.datamap()`.

```{python}
#| label: tbl-feiten
#| tbl-cap: "Kerncijfers"
boeklib.feiten()
```
'''

FACTS = '''onderwerp,waarde,toelichting
gemeenten,340,Aantal deelnemende gemeenten volgens de jaarlijkse monitor van het netwerk
regio's,12,Aantal regio's
'''

ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
       "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
       "PATH": "/usr/bin:/bin:/usr/local/bin"}


def git(repo: Path, *args: str, date: str = "2024-05-01T12:00:00Z", author: str = "Test") -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
        env={**ENV, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
             "HOME": str(repo)},
    ).stdout


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def make_repo(root: Path) -> Path:
    """The repository with the ``first`` commit."""
    repo = root / "book"
    shutil.copytree(TINYBOOK, repo)
    (repo / "boeklib").mkdir()
    (repo / "boeklib" / "__init__.py").write_text(PACKAGE, encoding="utf-8")
    (repo / "data" / "facts").mkdir(parents=True)
    (repo / "data" / "facts" / "kerncijfers.csv").write_text(FACTS, encoding="utf-8")
    (repo / "chapters" / "03-feiten.qmd").write_text(CHAPTER, encoding="utf-8")
    (repo / "requirements.lock").write_text("pandas==2.2.3\n", encoding="utf-8")
    replace(repo / "_quarto.yml", "    - chapters/02-steun.qmd\n",
            "    - chapters/02-steun.qmd\n    - chapters/03-feiten.qmd\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Eerste versie", date="2024-05-01T12:00:00Z")
    return repo


def second(repo: Path) -> None:
    """Every kind of edit, in one commit each so each chapter has its own history."""
    replace(repo / "chapters" / "02-steun.qmd", "steun aan burgemeesters.", "steun aan burgemeesters en wethouders.")
    git(repo, "commit", "-q", "-am", "Steun ook voor wethouders", date="2024-05-02T09:00:00Z", author="Anna")
    replace(repo / "boeklib" / "__init__.py", '"de monitor van 2023"', '"de monitor van 2024"')
    replace(repo / "data" / "facts" / "kerncijfers.csv", "gemeenten,340,Aantal deelnemende gemeenten volgens",
            "gemeenten,342,Aantal deelnemende gemeenten en eilandbesturen volgens")
    git(repo, "commit", "-q", "-am", "Feiten van 2024", date="2024-05-03T09:00:00Z", author="Bert")
    replace(repo / "data" / "demo" / "meldingen.csv", "2023,1530", "2023,1710")
    git(repo, "commit", "-q", "-am", "Meldingen 2023 bijgewerkt", date="2024-05-04T09:00:00Z", author="Bert")


def prose_only(repo: Path) -> None:
    replace(repo / "chapters" / "02-steun.qmd", "Nazorg volgt op elke melding.", "Nazorg volgt op iedere melding.")
    git(repo, "commit", "-q", "-am", "Woordkeus nazorg", date="2024-05-05T09:00:00Z", author="Anna")
