"""The typst packages the engine ships (marginalia, theorion, showybox, octique), as Quarto bundles them.

Typst fetches `@preview/...` packages from the network; a render never downloads, so every compile reads
them from this folder instead (typst's `--package-path`). Each package keeps its own licence file."""
from __future__ import annotations

from pathlib import Path

PACKAGE_PATH = str(Path(__file__).resolve().parent / "resources" / "typst" / "packages")
