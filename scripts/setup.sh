#!/usr/bin/env bash
# Sets up the project on a fresh machine: a virtual environment with every
# dependency pinned by requirements.lock, and the project itself installed
# in editable mode. Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
.venv/bin/uv pip install --quiet --compile-bytecode --python .venv/bin/python -r requirements.lock
.venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps -e .

# HTML themes (report/outputs/theme.py): Bootstrap's and Bootswatch's Sass sources, and mermaid.js for diagrams
# (report/outputs/mermaid.py), pinned by
# scripts/sass/package-lock.json, in the environment's share folder; nothing is downloaded at render time.
SASS_SOURCES=.venv/share/report
if [ ! -f "$SASS_SOURCES/node_modules/bootswatch/package.json" ] \
        || ! cmp -s scripts/sass/package-lock.json "$SASS_SOURCES/package-lock.json"; then
    if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm
    fi
    if command -v npm >/dev/null 2>&1; then
        mkdir -p "$SASS_SOURCES"
        cp scripts/sass/package.json scripts/sass/package-lock.json "$SASS_SOURCES/"
        (cd "$SASS_SOURCES" && npm ci --quiet --no-audit --no-fund)
    else
        echo "npm is missing: HTML themes (theme: cosmo, custom .scss) need Bootstrap's Sass sources. Install" >&2
        echo "Node.js and npm (sudo apt-get install -y npm) and run this script again." >&2
    fi
fi

# The browser tests (tests/test_site_browser.py) drive the Debian Chromium; Playwright never downloads one.
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
    else
        echo "Chromium is missing: the browser tests need it. Install it with" >&2
        echo "    sudo apt-get update && sudo apt-get install -y chromium" >&2
        echo "or point the CHROMIUM environment variable at a Chromium or Chrome binary." >&2
    fi
fi

# Chinese, Japanese and Korean text in the PDF: Debian's Noto Sans CJK, which the engine adds as a fallback
# font by its file names when the text needs it (report/outputs/fonts.py); typst never reads other system fonts.
if [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk
    else
        echo "fonts-noto-cjk is missing: Chinese, Japanese and Korean text in a PDF needs it. Install it with" >&2
        echo "    sudo apt-get update && sudo apt-get install -y fonts-noto-cjk" >&2
    fi
fi

# The Word output's tests (tests/test_docx_*.py) convert the .docx with LibreOffice, as a reader's word processor
# would open it: Debian's headless Writer.
if ! command -v soffice >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui
    else
        echo "LibreOffice is missing: the Word output's tests need it. Install it with" >&2
        echo "    sudo apt-get update && sudo apt-get install -y libreoffice-writer-nogui" >&2
    fi
fi
