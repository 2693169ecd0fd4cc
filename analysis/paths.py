"""Where the evaluation data lives.

The order of precedence is: an explicit argument, then the environment variable
``REPORT_DATA``, then the demo set shipped in ``data/demo``. The repository root is
found from this package's location, so chapters rendered from any working
directory load the same data.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DATA_ENV", "REPO_ROOT", "DEMO_DIR", "FACTS_DIR", "resolve_data_dir", "is_demo_dir"]

DATA_ENV = "REPORT_DATA"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = REPO_ROOT / "data" / "demo"
FACTS_DIR = REPO_ROOT / "data" / "facts"


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the absolute data directory: ``data_dir`` > ``$REPORT_DATA`` > ``data/demo``."""
    if data_dir is not None and str(data_dir) != "":
        chosen = Path(data_dir)
    elif os.environ.get(DATA_ENV):
        chosen = Path(os.environ[DATA_ENV])
    else:
        chosen = DEMO_DIR
    return chosen.expanduser().resolve()


def is_demo_dir(data_dir: Path) -> bool:
    """True when ``data_dir`` is the synthetic demo set (or is marked as one by a ``DEMO`` file)."""
    return data_dir.resolve() == DEMO_DIR.resolve() or (data_dir / "DEMO").is_file()
