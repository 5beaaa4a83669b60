#!/usr/bin/env bash
# Install what cowapp needs into ./.venv, and (as root, with apt) the system packages Qt needs.
# Usage: scripts/bootstrap.sh app|test|bundle    — idempotent and quick when nothing changed.
# (bundle: the app plus PyInstaller, to build the cart bundle; see docs/deployment.md)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-app}
case "$profile" in app|test|bundle) ;; *) echo "usage: $0 app|test|bundle" >&2; exit 2 ;; esac

say() { printf 'bootstrap: %s\n' "$*" >&2; }

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  say "cowapp needs Python 3.11 or newer as '$python' (set PYTHON=/path/to/python3.11)"; exit 1
fi

# Qt's runtime libraries (xcb platform for a real screen, EGL/GL, fonts) and venv support.
system_packages=(libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
  libfreetype6 libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-shape0 libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1
  libxcb-sync1 libxcb-xfixes0 libxcb-shm0 libxcb-render0 libxcb-util1 libx11-xcb1
  libxrender1 libxi6 libsm6 libice6 fonts-dejavu-core)
if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then system_packages+=(python3-venv); fi

missing=()
if command -v dpkg-query >/dev/null; then
  for p in "${system_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
fi
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt_opts=(-y -q -o DPkg::Lock::Timeout=600)
    apt-get install "${apt_opts[@]}" --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
      apt-get update -q -o DPkg::Lock::Timeout=600 >/dev/null
      apt-get install "${apt_opts[@]}" --no-install-recommends "${missing[@]}" >/dev/null
    }
  else
    say "these system packages seem missing (install them as root): ${missing[*]}"
  fi
fi

# The virtual environment; reinstall only when pyproject.toml or the profile changed.
[ -x .venv/bin/python ] || "$python" -m venv .venv
stamp=.venv/.cowapp-$profile-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -e "$stamp" ]; then
  say "installing cowapp ($profile) into .venv"
  # test: the test tools, and PyInstaller for tests/frozen (which builds the cart bundle)
  case "$profile" in app) extra="" ;; test) extra="[test,bundle]" ;; bundle) extra="[bundle]" ;; esac
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extra"
  rm -f .venv/.cowapp-"$profile"-*; touch "$stamp"
fi
