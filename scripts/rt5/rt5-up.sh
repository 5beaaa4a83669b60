#!/usr/bin/env bash
# Bring up a local Request Tracker 5 (Debian 12 packages, SQLite, Starlet) on
# 127.0.0.1 for the cowapp integration tests. Idempotent; run as root.
#
#   eval "$(sudo scripts/rt5/rt5-up.sh)"   # sets RT5_URL, RT5_TOKEN_FILE, ...
#
# Progress goes to stderr; stdout carries only KEY=VALUE lines (shell-sourceable).
# See scripts/rt5/README.md for the env vars.
set -euo pipefail

RT5_PORT="${RT5_PORT:-8085}"
RT5_STATE_DIR="${RT5_STATE_DIR:-/var/lib/cowapp-rt5-test}"
RT5_ROOT_PASSWORD="${RT5_ROOT_PASSWORD:-cowapp-root-pw}"
RT5_COWAPP_PASSWORD="${RT5_COWAPP_PASSWORD:-cowapp-test-pw}"
RT5_LOG_LEVEL="${RT5_LOG_LEVEL:-info}"
RT5_START_TIMEOUT="${RT5_START_TIMEOUT:-120}"
RT5_RESTART="${RT5_RESTART:-0}"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DATAFILE="$SCRIPT_DIR/initialdata.pl"
TOKEN_FILE="$RT5_STATE_DIR/token"
PID_FILE="$RT5_STATE_DIR/rt-server.pid"
LOG_FILE="$RT5_STATE_DIR/rt-server.log"
SEED_MARKER="$RT5_STATE_DIR/seeded"
SEED_LOG="$RT5_STATE_DIR/seed.log"
URL="http://127.0.0.1:${RT5_PORT}"
PKGS=(request-tracker5 rt5-db-sqlite rt5-standalone)
RT_ETC=/etc/request-tracker5
SITE_SNIPPET="$RT_ETC/RT_SiteConfig.d/99-cowapp-test.pm"
RT_SERVER=/usr/share/request-tracker5/libexec/rt-server
SQLITE_DB=/var/lib/dbconfig-common/sqlite3/request-tracker5/rtdb

log() { printf '[rt5-up] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# Never talk to anything but 127.0.0.1, even if a proxy is configured.
lcurl() { curl --noproxy '*' -sS --max-time 10 "$@"; }

[[ $EUID -eq 0 ]] || die "run as root"
[[ "$RT5_PORT" =~ ^[0-9]+$ ]] || die "RT5_PORT must be a number"
[[ "$RT5_LOG_LEVEL" =~ ^(debug|info|notice|warning|error|critical|alert|emergency)$ ]] ||
    die "RT5_LOG_LEVEL must be a syslog level name"
[[ -f "$DATAFILE" ]] || die "missing $DATAFILE"

mkdir -p "$RT5_STATE_DIR"
chmod 0755 "$RT5_STATE_DIR"
# Serialise concurrent runs (fd 9 is closed again for the server below).
exec 9> "$RT5_STATE_DIR/lock"
flock -w 900 9 || die "another rt5-up.sh holds $RT5_STATE_DIR/lock"

# ---------------------------------------------------------------- install ---
pkgs_installed() {
    local p st
    for p in "${PKGS[@]}"; do
        st="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
        [[ "$st" == "install ok installed" ]] || return 1
    done
}

installable() {
    local c
    c="$(apt-cache policy request-tracker5 2>/dev/null | awk '/Candidate:/ {print $2}')"
    [[ -n "$c" && "$c" != "(none)" ]]
}

if pkgs_installed; then
    log "packages already installed: ${PKGS[*]}"
else
    t0="$(now)"
    export DEBIAN_FRONTEND=noninteractive
    APT=(apt-get -o DPkg::Lock::Timeout=600 -y -q)

    if ! installable; then
        log "request-tracker5 not installable yet: apt-get update"
        "${APT[@]}" update >&2
    fi

    # Keep exim4 & co. from starting. Only remove the policy file if we made it.
    created_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 0755 /usr/sbin/policy-rc.d
        created_policy=1
        trap '[[ $created_policy == 1 ]] && rm -f /usr/sbin/policy-rc.d' EXIT
    fi

    debconf-set-selections <<EOF
request-tracker5 request-tracker5/dbconfig-install boolean true
request-tracker5 request-tracker5/database-type select sqlite3
request-tracker5 request-tracker5/initial-root-password password $RT5_ROOT_PASSWORD
request-tracker5 request-tracker5/rtname string cowapp-test
request-tracker5 request-tracker5/organization string cowapp.test
request-tracker5 request-tracker5/correspondaddress string rt@localhost
request-tracker5 request-tracker5/commentaddress string rt-comment@localhost
request-tracker5 request-tracker5/webbaseurl string $URL
request-tracker5 request-tracker5/webpath string
request-tracker5 request-tracker5/install-cronjobs boolean false
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean true
EOF

    log "installing ${PKGS[*]} (no recommends) ..."
    "${APT[@]}" install --no-install-recommends "${PKGS[@]}" >&2

    if [[ $created_policy == 1 ]]; then
        rm -f /usr/sbin/policy-rc.d
        created_policy=0
        trap - EXIT
    fi
    pkgs_installed || die "packages not installed after apt-get install"
    log "TIMING install: $(elapsed "$t0") s"
fi

# ------------------------------------------------------------- port check ---
server_pid() {
    local pid
    [[ -f "$PID_FILE" ]] || return 1
    pid="$(cat "$PID_FILE")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q 'rt-server' || return 1
    echo "$pid"
}
port_in_use() { lcurl -o /dev/null "http://127.0.0.1:$1/" 2>/dev/null; }

running_port=""
if pid="$(server_pid)"; then  # port of our running server, from its command line
    running_port="$(tr '\0' '\n' < "/proc/$pid/cmdline" | sed -n '/^--port$/{n;p;q}')"
fi
if [[ "$running_port" != "$RT5_PORT" ]] && port_in_use "$RT5_PORT"; then
    die "something else is already listening on 127.0.0.1:$RT5_PORT (choose another RT5_PORT)"
fi

# ------------------------------------------------------------ site config ---
config_changed=0
tmp_cfg="$(mktemp)"
cat > "$tmp_cfg" <<EOF
# Written by cowapp scripts/rt5/rt5-up.sh - local test server only.
Set(\$WebPath, '');
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $RT5_PORT);
Set(\$WebBaseURL, '$URL');
Set(@ReferrerWhitelist, qw(127.0.0.1:$RT5_PORT localhost:$RT5_PORT));
# Never send mail: outgoing mail is appended to /var/lib/request-tracker5/*.mbox
Set(\$MailCommand, 'mbox');
# Deterministic TicketSQL date interpretation (LastUpdated >= '...' is UTC).
Set(\$Timezone, 'UTC');
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, '$RT5_LOG_LEVEL');
Set(\$LogToFile, undef);
1;
EOF
if ! cmp -s "$tmp_cfg" "$SITE_SNIPPET"; then
    install -o root -g www-data -m 0640 "$tmp_cfg" "$SITE_SNIPPET"
    config_changed=1
    log "wrote $SITE_SNIPPET"
fi
rm -f "$tmp_cfg"

# The package leaves RT_SiteConfig.pm root:root 0600; the server runs as
# www-data and dies at config load if it cannot read it.
chown root:www-data "$RT_ETC/RT_SiteConfig.pm"
chmod 0640 "$RT_ETC/RT_SiteConfig.pm"

# SQLite needs write access to the db file *and* its directory (journal).
# dbconfig-common already sets this up (handle-siteconfig-permissions); re-assert.
[[ -f "$SQLITE_DB" ]] || die "SQLite database $SQLITE_DB missing (dbconfig install failed?)"
chown root:www-data "$SQLITE_DB" "$(dirname "$SQLITE_DB")"
chmod 0660 "$SQLITE_DB"
chmod 0770 "$(dirname "$SQLITE_DB")"

# ------------------------------------------------------------------- seed ---
if [[ -f "$SEED_MARKER" ]]; then
    log "already seeded ($SEED_MARKER)"
else
    if [[ "$(sqlite3 "$SQLITE_DB" "select count(*) from Users where Name='cowapp';" 2>/dev/null || echo 0)" != "0" ]]; then
        die "user cowapp already exists in $SQLITE_DB but $SEED_MARKER is missing (different RT5_STATE_DIR?). Restore the marker/token or purge the database."
    fi
    t0="$(now)"
    log "seeding with $DATAFILE ..."
    rm -f "$TOKEN_FILE"
    if ! COWAPP_RT_TOKEN_FILE="$TOKEN_FILE" COWAPP_RT_PASSWORD="$RT5_COWAPP_PASSWORD" \
        /usr/sbin/rt-setup-database-5 --action insert --datafile "$DATAFILE" > "$SEED_LOG" 2>&1; then
        cat "$SEED_LOG" >&2
        die "rt-setup-database-5 failed"
    fi
    # @Final errors are only logged by RT, so check the outcome explicitly.
    if [[ ! -s "$TOKEN_FILE" ]] || grep -Eq '\[(error|critical)\]' "$SEED_LOG"; then
        cat "$SEED_LOG" >&2
        die "seeding incomplete (see $SEED_LOG)"
    fi
    # Files may have been created as root by the seeding run.
    chown root:www-data "$SQLITE_DB"; chmod 0660 "$SQLITE_DB"
    date -u +%FT%TZ > "$SEED_MARKER"
    log "TIMING seed: $(elapsed "$t0") s"
fi
[[ -s "$TOKEN_FILE" ]] || die "token file $TOKEN_FILE missing"
TOKEN="$(tr -d '[:space:]' < "$TOKEN_FILE")"

# ----------------------------------------------------------------- server ---
healthy() {
    local code
    code="$(lcurl -o /dev/null -w '%{http_code}' -H "Authorization: token $TOKEN" \
        "$URL/REST/2.0/queues/all" 2>/dev/null || true)"
    [[ "$code" == "200" ]]
}

if pid="$(server_pid)"; then
    if [[ "$RT5_RESTART" == 1 || $config_changed == 1 ]] || ! healthy; then
        log "restarting running server (pid $pid)"
        "$SCRIPT_DIR/rt5-down.sh" >&2
    else
        log "server already running and healthy (pid $pid)"
    fi
fi

if ! server_pid >/dev/null; then
    if port_in_use "$RT5_PORT"; then
        die "something else is already listening on 127.0.0.1:$RT5_PORT"
    fi
    t0="$(now)"
    log "starting rt-server on $URL (log: $LOG_FILE)"
    : > "$LOG_FILE"
    # setsid: own process group (rt5-down.sh can reap Starlet workers);
    # setpriv execs (no fork), so $! is the rt-server master PID.
    cd /
    setsid setpriv --reuid=www-data --regid=www-data --init-groups \
        env HOME=/var/lib/request-tracker5 \
        "$RT_SERVER" --server Starlet --host 127.0.0.1 --port "$RT5_PORT" --max-workers 2 \
        >> "$LOG_FILE" 2>&1 < /dev/null 9>&- &
    pid=$!
    echo "$pid" > "$PID_FILE"
    disown "$pid" 2>/dev/null || true

    deadline=$(( $(date +%s) + RT5_START_TIMEOUT ))
    until healthy; do
        if ! kill -0 "$pid" 2>/dev/null; then
            cat "$LOG_FILE" >&2
            die "rt-server (pid $pid) exited during start-up"
        fi
        if (( $(date +%s) >= deadline )); then
            cat "$LOG_FILE" >&2
            die "rt-server did not answer 200 on $URL/REST/2.0/queues/all within ${RT5_START_TIMEOUT}s"
        fi
        sleep 1
    done
    log "TIMING start: $(elapsed "$t0") s (pid $pid)"
fi

healthy || die "server not healthy"
cat <<EOF
RT5_URL=$URL
RT5_TOKEN_FILE=$TOKEN_FILE
RT5_PID_FILE=$PID_FILE
RT5_LOG_FILE=$LOG_FILE
RT5_STATE_DIR=$RT5_STATE_DIR
RT5_USER=cowapp
EOF
