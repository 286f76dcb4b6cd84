# shellcheck shell=bash
# Shared by deploy/local/up.sh and deploy/local/down.sh (sourced, not run).

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="${MEDIATOR_LOCAL_CACHE:-${HOME:-/root}/.cache/mediator-local}"
STATE_DIR="${MEDIATOR_LOCAL_STATE:-$LOCAL_DIR/.state}"

# The MariaDB client tools read MYSQL_HOST, MYSQL_PWD, MYSQL_TCP_PORT and MYSQL_UNIX_PORT from the
# environment: after `eval "$(up.sh)"` MYSQL_HOST=127.0.0.1 would send root's socket login over TCP.
unset MYSQL_HOST MYSQL_PWD MYSQL_TCP_PORT MYSQL_UNIX_PORT

HOST=127.0.0.1
MYSQL_PORT=3306
REDIS_PORT=6379
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
MONGO_PORT=27017

ALL_COMPONENTS=(mysql redis kafka mongodb)

log() { printf '[deploy/local] %s\n' "$*" >&2; }
warn() { printf '[deploy/local] WARNING: %s\n' "$*" >&2; }
die() { printf '[deploy/local] ERROR: %s\n' "$*" >&2; exit 1; }

# Absolute path of a directory, created if missing.
abs_dir() { mkdir -p "$1" && (cd "$1" && pwd); }

# Normalises component names given on the command line; prints one per line.
parse_components() {
  local a
  if [ "$#" -eq 0 ]; then printf '%s\n' "${ALL_COMPONENTS[@]}"; return; fi
  for a in "$@"; do
    case "$a" in
      mysql|mariadb) echo mysql ;;
      redis) echo redis ;;
      kafka) echo kafka ;;
      mongodb|mongo|ferretdb) echo mongodb ;;
      all) printf '%s\n' "${ALL_COMPONENTS[@]}" ;;
      *) die "unknown component '$a' (expected: mysql redis kafka mongodb)" ;;
    esac
  done | awk '!seen[$0]++'
}

# True if something accepts TCP connections on host:port.
port_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# Prints the pid stored in pid file $1 if that process is alive and its command line contains
# $2 (so that a stale pid reused by another process does not count), else fails.
live_pid() {
  local f="$1" pattern="$2" pid
  [ -s "$f" ] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  local cmd
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"$pattern"* ]] || return 1
  echo "$pid"
}

# Waits until a process is gone; SIGKILL after $2 seconds.
wait_gone() {
  local pid="$1" secs="$2" name="$3" i
  for ((i = 0; i < secs * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  warn "$name (pid $pid) did not stop within ${secs}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  return 1
}

# Kafka jars: copied by Maven from deploy/local/kafka/pom.xml into a cache dir keyed by the pom.
KAFKA_POM="$LOCAL_DIR/kafka/pom.xml"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
kafka_version() { grep -m1 -o '<kafka.version>[^<]*' "$KAFKA_POM" | sed 's/.*>//'; }
kafka_libs_dir() { echo "$CACHE_DIR/kafka/$(kafka_version)-$(sha256sum "$KAFKA_POM" | cut -c1-12)/libs"; }

# What each server's command line contains (for live_pid).
MYSQL_CMD=mariadbd
REDIS_CMD=redis-server
KAFKA_CMD=kafka.Kafka
FERRETDB_CMD=ferretdb-local

mysql_dir() { echo "$STATE_DIR/mysql"; }
redis_dir() { echo "$STATE_DIR/redis"; }
kafka_dir() { echo "$STATE_DIR/kafka"; }
mongodb_dir() { echo "$STATE_DIR/ferretdb"; }
