#!/usr/bin/env bash
# What CI runs: the project's tests, then the whole report in strict mode (every warning an error).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pytest -q
report render --strict
