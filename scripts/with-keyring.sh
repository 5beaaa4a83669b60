#!/usr/bin/env bash
# Run a command against a real, throwaway, unlocked Secret Service (gnome-keyring) on a headless box.
#
#   scripts/with-keyring.sh CMD [ARGS...]
#   e.g. scripts/with-keyring.sh .venv/bin/python -m pytest tests/integration/test_keyring_backend.py -q
#
# What it does (details and timings: scripts/KEYRING.md):
#   1. a private D-Bus session bus (dbus-daemon --session) listening on a socket in a fresh temp dir;
#   2. gnome-keyring-daemon (secrets component only) on that bus, with HOME/XDG_* pointed into the
#      same temp dir, fed a throwaway password on stdin so it creates and unlocks the "login"
#      collection without any prompt;
#   3. CMD with DBUS_SESSION_BUS_ADDRESS pointing at that bus and COWAPP_KEYRING_SANDBOX set to the
#      temp dir (the keyring integration test only runs when that is set);
#   4. on exit: both daemons stopped, the temp dir deleted; the exit code is CMD's.
# Nothing outside the temp dir is written (except packages, see below); CMD's own HOME/XDG_* are untouched.
#
# Missing packages (gnome-keyring, dbus-daemon, dbus-bin, libsecret-tools) are installed with apt-get
# when running as root; otherwise they are listed and CMD runs without a keyring (the test skips).
# WITH_KEYRING_REQUIRE=1 turns "no keyring could be set up" into exit 1 instead (use it in CI).
# Already inside a with-keyring.sh session: CMD just runs in it.
set -euo pipefail

me=with-keyring.sh
if [ "$#" -eq 0 ]; then
  echo "usage: scripts/$me CMD [ARGS...]" >&2
  exit 2
fi

# Nested call: reuse the session we are already in.
if [ -n "${COWAPP_KEYRING_SANDBOX:-}" ] && [ -d "$COWAPP_KEYRING_SANDBOX" ] \
  && [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  exec "$@"
fi

# No keyring for CMD: say why, then run CMD anyway (or fail when WITH_KEYRING_REQUIRE=1).
without_keyring() {  # without_keyring REASON CMD [ARGS...]
  echo "$me: $1" >&2
  shift
  if [ "${WITH_KEYRING_REQUIRE:-0}" = 1 ]; then
    echo "$me: WITH_KEYRING_REQUIRE=1, giving up" >&2
    exit 1
  fi
  echo "$me: running the command WITHOUT a Secret Service (keyring tests will skip)" >&2
  unset COWAPP_KEYRING_SANDBOX
  exec "$@"
}

missing_packages() {
  local pkgs=()
  command -v dbus-daemon >/dev/null 2>&1 || pkgs+=(dbus-daemon)
  command -v dbus-send >/dev/null 2>&1 || pkgs+=(dbus-bin)
  command -v gnome-keyring-daemon >/dev/null 2>&1 || pkgs+=(gnome-keyring)
  command -v secret-tool >/dev/null 2>&1 || pkgs+=(libsecret-tools)
  echo "${pkgs[*]}"
}

missing=$(missing_packages)
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "$me: installing $missing" >&2
    apt_log=$(mktemp)
    apt_install() {
      # shellcheck disable=SC2086  # $missing is a space-separated package list
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq -y \
        --no-install-recommends install $missing >>"$apt_log" 2>&1
    }
    # The package lists may be missing or stale (fresh container): update once and retry.
    if ! apt_install; then
      apt-get -o DPkg::Lock::Timeout=600 -qq update >>"$apt_log" 2>&1 || true
      apt_install || true
    fi
    missing=$(missing_packages)
    if [ -n "$missing" ]; then
      tail -n 20 "$apt_log" >&2
      rm -f "$apt_log"
      without_keyring "could not install: $missing" "$@"
    fi
    rm -f "$apt_log"
  else
    without_keyring "missing packages: $missing (as root: apt-get install --no-install-recommends $missing)" "$@"
  fi
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cowapp-keyring.XXXXXXXX")
chmod 700 "$tmp"
mkdir -m 700 "$tmp/home" "$tmp/data" "$tmp/run"
bus_pid=
keyring_pid=
watchdog_pid=

stop() {  # stop PID (a child of this shell) and reap it; quiet if it is already gone
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  stop "$watchdog_pid"
  stop "$keyring_pid"
  stop "$bus_pid"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

outer_bus=${DBUS_SESSION_BUS_ADDRESS-}
outer_bus_set=${DBUS_SESSION_BUS_ADDRESS+set}
setup_failed() {  # setup_failed REASON CMD [ARGS...]
  echo "$me: daemon logs:" >&2
  cat "$tmp/dbus.log" "$tmp/keyring.log" >&2 2>/dev/null || true
  cleanup
  trap - EXIT HUP INT TERM
  if [ -n "$outer_bus_set" ]; then
    export DBUS_SESSION_BUS_ADDRESS="$outer_bus"
  else
    unset DBUS_SESSION_BUS_ADDRESS
  fi
  without_keyring "$@"
}

# The daemons see only $tmp as home. The bus needs it too: services it D-Bus-activates (an extra
# gnome-keyring, gcr-prompter) inherit ITS environment and would otherwise write to the real ~.
daemon_env=(env HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/home/.config"
  XDG_CACHE_HOME="$tmp/home/.cache" XDG_RUNTIME_DIR="$tmp/run")

# 1. Private session bus. The socket lives in $tmp; the bus dies with this script.
#    (As root in a container dbus-daemon logs "Failed to set fd limit ...": harmless, kept in dbus.log.)
"${daemon_env[@]}" dbus-daemon --session --nofork --nopidfile --address="unix:path=$tmp/bus" \
  --print-address=3 3>"$tmp/address" </dev/null >"$tmp/dbus.log" 2>&1 &
bus_pid=$!
for _ in $(seq 500); do  # up to ~5 s; typically ready after 10-20 ms
  [ -s "$tmp/address" ] && break
  kill -0 "$bus_pid" 2>/dev/null || break
  sleep 0.01
done
[ -s "$tmp/address" ] || setup_failed "dbus-daemon did not start" "$@"
DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$tmp/address")
export DBUS_SESSION_BUS_ADDRESS

# 2. gnome-keyring-daemon with its data in $tmp. A NON-EMPTY password on stdin with --unlock makes it
#    create the "login" collection (the default alias) unlocked; with an empty one it creates nothing
#    and the first write fails with "Prompt dismissed" (no display for the prompter).
printf '%s' "cowapp-throwaway-$$" | "${daemon_env[@]}" \
  gnome-keyring-daemon --foreground --unlock --components=secrets --control-directory="$tmp/run" \
  >"$tmp/keyring.log" 2>&1 &
keyring_pid=$!

# If this script is SIGKILLed (no trap runs), the watchdog still stops the daemons and removes $tmp.
(
  trap '' HUP INT  # survive a Ctrl-C to the process group long enough to clean up
  while kill -0 "$$" 2>/dev/null; do sleep 1; done
  kill "$keyring_pid" "$bus_pid" 2>/dev/null || true
  sleep 0.2
  rm -rf "$tmp"
) </dev/null >/dev/null 2>&1 &
watchdog_pid=$!

bus_call() {  # bus_call DEST PATH METHOD ARGS...; prints the reply, fails on error
  dbus-send --session --print-reply --reply-timeout=2000 --dest="$1" "$2" "$3" "${@:4}" 2>/dev/null
}
# Wait until the default collection answers "not locked". Ask the bus whether the name is owned
# first: a message to org.freedesktop.secrets before that would D-Bus-activate a second, passwordless
# daemon.
ready=
for _ in $(seq 500); do  # up to ~5 s; typically ready after 20-40 ms
  kill -0 "$keyring_pid" 2>/dev/null || break
  if reply=$(bus_call org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets) \
    && [[ $reply == *"boolean true"* ]] \
    && reply=$(bus_call org.freedesktop.secrets /org/freedesktop/secrets/aliases/default \
      org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Collection string:Locked) \
    && [[ $reply == *"boolean false"* ]]; then
    ready=1
    break
  fi
  sleep 0.01
done
[ -n "$ready" ] || setup_failed "gnome-keyring-daemon did not come up with an unlocked login collection" "$@"

# 3. CMD, in the foreground (stdin and the terminal stay its own).
export COWAPP_KEYRING_SANDBOX="$tmp"
status=0
"$@" || status=$?
exit "$status"
