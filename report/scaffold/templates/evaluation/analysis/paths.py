"""Where the data lives: ``$EVALUATIE_DATA`` (set by `report render`, from ``--data`` or report.data in
_quarto.yml), else the demo set in data/demo. Paths are resolved from the project root, not the working folder."""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "EVALUATIE_DATA"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = PROJECT_ROOT / "data" / "demo"


def data_dir() -> Path:
    return Path(os.environ.get(DATA_ENV) or DEMO_DIR).expanduser().resolve()


def is_demo(folder: Path) -> bool:
    return folder.resolve() == DEMO_DIR.resolve() or (folder / "DEMO").is_file()
