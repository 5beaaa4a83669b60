#!/usr/bin/env bash
# Install (if needed) what the tests need and run the whole suite: scripts/test.sh [pytest args]
#
# As root it also brings up a real Request Tracker 5 on 127.0.0.1 (scripts/rt5/, ~25 s the first
# time) and runs the tests inside a throwaway, unlocked GNOME Keyring session
# (scripts/with-keyring.sh), so sync and credentials are tested against real parts. Without root,
# the tests that need them are skipped with the reason. tests/frozen/ builds the cart bundle
# from build.spec once (PyInstaller, ~1 min) and tests it. CI sets COWAPP_REQUIRE_RT5=1,
# WITH_KEYRING_REQUIRE=1 and COWAPP_REQUIRE_BUNDLE=1 to turn those skips into failures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}

started_rt5=""
if [ "$(id -u)" = 0 ] && [ -z "${RT5_URL:-}" ]; then
  pid_file=${RT5_STATE_DIR:-/var/lib/cowapp-rt5-test}/rt-server.pid
  was_running=""
  if [ -s "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then was_running=1; fi
  if rt5_env=$(scripts/rt5/rt5-up.sh); then
    eval "$rt5_env"
    export RT5_URL RT5_TOKEN_FILE
    [ -n "$was_running" ] || started_rt5=1
  else
    echo "test.sh: Request Tracker 5 could not be started; its tests will skip (or fail in CI)" >&2
  fi
fi
stop_rt5() { if [ -n "$started_rt5" ]; then scripts/rt5/rt5-down.sh >/dev/null 2>&1 || true; fi; }
trap stop_rt5 EXIT

set +e
scripts/with-keyring.sh .venv/bin/python -m pytest "$@"
code=$?
set -e
if [ "$code" = 5 ]; then
  echo "test.sh: pytest collected no tests; that is a failure, not a pass" >&2
  exit 1
fi
exit "$code"
