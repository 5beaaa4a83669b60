#!/usr/bin/env bash
# Install (if needed) and start the cart app: scripts/run.sh [--demo] [any cowapp arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh app
exec .venv/bin/cowapp "$@"
