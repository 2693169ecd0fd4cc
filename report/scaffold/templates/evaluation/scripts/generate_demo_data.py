"""Writes the synthetic demo data set data/demo/respondenten.csv (fixed seed: the same bytes every time).

    python scripts/generate_demo_data.py [FOLDER]
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

REGIONS = ("Noord", "Oost", "Zuid", "West")
ROOT = Path(__file__).resolve().parent.parent


def generate(folder: Path, count: int = 120, seed: int = 2024) -> Path:
    chance = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "respondenten.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["respondent", "regio", "tevredenheid"])
        for number in range(1, count + 1):
            region = chance.choice(REGIONS)
            score = min(10, max(1, round(chance.gauss(6.5 + REGIONS.index(region) * 0.4, 1.5))))
            writer.writerow([f"R{number:04d}", region, score])
    (folder / "DEMO").write_text("Synthetic data, written by scripts/generate_demo_data.py.\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data" / "demo"))
