#!/usr/bin/env bash
# Stop the RT5 test server started by rt5-up.sh. Idempotent.
# SIGTERM to the pid from the pid file, wait up to RT5_STOP_TIMEOUT (10) s,
# then SIGKILL its process group (rt5-up.sh starts it with setsid, so the
# Starlet workers share the master's process group).
set -euo pipefail

RT5_STATE_DIR="${RT5_STATE_DIR:-/var/lib/cowapp-rt5-test}"
RT5_STOP_TIMEOUT="${RT5_STOP_TIMEOUT:-10}"
PID_FILE="$RT5_STATE_DIR/rt-server.pid"

log() { printf '[rt5-down] %s\n' "$*" >&2; }

if [[ ! -f "$PID_FILE" ]]; then
    log "no pid file ($PID_FILE): nothing to stop"
    exit 0
fi
pid="$(cat "$PID_FILE")"
if ! [[ "$pid" =~ ^[0-9]+$ ]]; then
    log "garbage in $PID_FILE: removing it"
    rm -f "$PID_FILE"
    exit 0
fi

is_ours() {  # still alive and still an rt-server (guards against pid reuse)
    kill -0 "$1" 2>/dev/null &&
        tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -q 'rt-server'
}
# any non-zombie process left in the server's process group?
group_alive() { ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit !f }'; }

if ! is_ours "$pid"; then
    log "rt-server pid $pid not running"
    rm -f "$PID_FILE"
    exit 0
fi

log "SIGTERM to $pid"
kill -TERM "$pid" 2>/dev/null || true
for (( i = 0; i < RT5_STOP_TIMEOUT * 10; i++ )); do
    is_ours "$pid" || group_alive "$pid" || break
    sleep 0.1
done

if is_ours "$pid" || group_alive "$pid"; then
    log "still running after ${RT5_STOP_TIMEOUT}s: SIGKILL to process group $pid"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    for (( i = 0; i < 50; i++ )); do
        group_alive "$pid" || break
        sleep 0.1
    done
fi

rm -f "$PID_FILE"
log "stopped"
