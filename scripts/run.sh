#!/usr/bin/env bash
# Install (if needed) and start the cart app: scripts/run.sh [--demo] [any cowapp arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh app
screen=""
case "${1:-}" in ""|--demo|--quit-after*) screen=1 ;; esac  # not for commands, --version, --help
if [ -n "$screen" ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-}" ] \
  && [ "$(uname)" = Linux ]; then
  echo "run.sh: no display (DISPLAY and WAYLAND_DISPLAY are unset): the screen needs one;" \
    "headless, try QT_QPA_PLATFORM=offscreen scripts/run.sh --demo --quit-after 5" >&2
fi
exec .venv/bin/cowapp "$@"
