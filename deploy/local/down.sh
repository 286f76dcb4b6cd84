#!/usr/bin/env bash
# Stops the servers that deploy/local/up.sh started (gracefully), keeping their data.
#
# Usage: deploy/local/down.sh [--purge] [mysql] [redis] [kafka] [mongodb]   (default: all four)
#   --purge   also delete their state (data, logs, pids); with no component named, the whole
#             state dir. The cache (jars, Go build) is kept.
# Idempotent: a server that is not running is skipped. Only servers started by up.sh (found by
# their pid files under the state dir) are stopped.
set -euo pipefail

# shellcheck source=deploy/local/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

PURGE=0
ARGS=()
for a in "$@"; do
  case "$a" in
    --purge) PURGE=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) ARGS+=("$a") ;;
  esac
done
mapfile -t COMPONENTS < <(parse_components "${ARGS[@]+"${ARGS[@]}"}")

if [ ! -d "$STATE_DIR" ]; then
  log "nothing to stop: no state dir $STATE_DIR"
  exit 0
fi
STATE_DIR="$(cd "$STATE_DIR" && pwd)"

exec 9>"$STATE_DIR/.lock"
flock -w 300 9 || die "another deploy/local/up.sh or down.sh holds $STATE_DIR/.lock"

# stop NAME PIDFILE CMDPATTERN TIMEOUT [graceful command...]
# Runs the graceful command if given (falling back to SIGTERM), waits, SIGKILL after TIMEOUT s.
stop() {
  local name="$1" pidfile="$2" pattern="$3" secs="$4" pid
  shift 4
  if ! pid="$(live_pid "$pidfile" "$pattern")"; then
    log "$name: not running"
    rm -f "$pidfile"
    return 0
  fi
  log "$name: stopping (pid $pid)"
  if [ "$#" -gt 0 ]; then
    "$@" >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  else
    kill -TERM "$pid" 2>/dev/null || true
  fi
  wait_gone "$pid" "$secs" "$name" || die "$name (pid $pid) is still running"
  rm -f "$pidfile"
  log "$name: stopped"
}

for c in "${COMPONENTS[@]}"; do
  case "$c" in
    mysql)
      d="$(mysql_dir)"
      stop mysql "$d/mysqld.pid" "$MYSQL_CMD" 60 \
        mariadb-admin --no-defaults --protocol=socket --socket="$d/mysqld.sock" -uroot shutdown
      ;;
    redis)
      d="$(redis_dir)"
      stop redis "$d/redis.pid" "$REDIS_CMD" 20 \
        timeout 10 redis-cli -h "$HOST" -p "$REDIS_PORT" shutdown nosave
      ;;
    kafka)
      # SIGTERM = controlled shutdown; the data dir is kept, so up.sh kafka restarts with its data.
      stop kafka "$(kafka_dir)/kafka.pid" "$KAFKA_CMD" 60
      ;;
    mongodb)
      stop mongodb "$(mongodb_dir)/ferretdb.pid" "$FERRETDB_CMD" 20
      ;;
  esac
done

if [ "$PURGE" = 1 ]; then
  case "$STATE_DIR" in
    /|"${HOME:-/root}"|"$(cd "$LOCAL_DIR/../.." && pwd)") die "refusing to purge $STATE_DIR" ;;
  esac
  if [ "${#ARGS[@]}" -eq 0 ]; then
    log "purging $STATE_DIR"
    rm -rf "$STATE_DIR"
  else
    for c in "${COMPONENTS[@]}"; do
      d="$("${c}_dir")"
      log "$c: purging $d"
      rm -rf "$d"
    done
  fi
fi
