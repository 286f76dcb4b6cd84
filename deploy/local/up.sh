#!/usr/bin/env bash
# Starts real servers for the integration tests on 127.0.0.1, without Docker:
#   mysql   -> MariaDB (Debian mariadb-server)         127.0.0.1:3306
#   redis   -> Redis (Debian redis-server)             127.0.0.1:6379
#   kafka   -> Apache Kafka broker, KRaft, Maven jars  127.0.0.1:9092 (controller 9093;
#              SASL_PLAINTEXT listener, PLAIN, user mediator-sasl, on 9094)
#   mongodb -> FerretDB v1 (SQLite backend), Go build  127.0.0.1:27017
#
# Usage: deploy/local/up.sh [mysql] [redis] [kafka] [mongodb]     (default: all four)
#        eval "$(deploy/local/up.sh)"
#
# Idempotent: installs what is missing, leaves a server that is already up alone.
# Progress goes to stderr; stdout carries only `export NAME=value` lines, printed at the end.
# Cache (Maven jars, Go build): ${MEDIATOR_LOCAL_CACHE:-$HOME/.cache/mediator-local}
# State (data, pids, logs):     ${MEDIATOR_LOCAL_STATE:-deploy/local/.state}
# Stop with deploy/local/down.sh.
set -euo pipefail

# Everything that is not the final exports goes to stderr.
exec 3>&1 1>&2

# shellcheck source=deploy/local/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export DEBIAN_FRONTEND=noninteractive

mapfile -t COMPONENTS < <(parse_components "$@")
selected() { local c; for c in "${COMPONENTS[@]}"; do [ "$c" = "$1" ] && return 0; done; return 1; }

STATE_DIR="$(abs_dir "$STATE_DIR")"
CACHE_DIR="$(abs_dir "$CACHE_DIR")"

# One up.sh/down.sh at a time.
exec 9>"$STATE_DIR/.lock"
flock -w 900 9 || die "another deploy/local/up.sh or down.sh holds $STATE_DIR/.lock"

T0=$SECONDS
have() { command -v "$1" >/dev/null 2>&1; }

# Prints the tail of a log and fails, naming the server.
# fail_server NAME LOG MESSAGE [MORE_LOGS...]
fail_server() {
  local name="$1" msg="$3" logf
  printf '[deploy/local] ERROR: %s: %s\n' "$name" "$msg" >&2
  for logf in "$2" "${@:4}"; do
    [ -s "$logf" ] || continue
    printf '[deploy/local] ---- last lines of %s ----\n' "$logf" >&2
    tail -n 30 "$logf" >&2 || true
  done
  printf '[deploy/local] ----\n' >&2
  exit 1
}

# Starts a command detached from this shell (own session, stdin closed), output to a log.
# Prints its pid. setsid and nohup exec in place, so $! is the server's own pid.
# fd 3 (our real stdout, maybe a `$(...)` pipe) and fd 9 (the lock) must not leak into a daemon.
spawn() {
  local logf="$1"; shift
  setsid nohup "$@" >>"$logf" 2>&1 </dev/null 3>&- 9>&- &
  echo $!
}

# --------------------------------------------------------------------------------------------
# Packages
# --------------------------------------------------------------------------------------------
kcat_bin() { if have kcat; then echo kcat; elif have kafkacat; then echo kafkacat; else return 1; fi; }

ensure_packages() {
  local need=() policy_created=0
  if selected mysql && { ! have mariadbd || ! have mariadb-install-db || ! have mariadb-admin; }; then
    need+=(mariadb-server mariadb-client)
  fi
  if selected redis && { ! have redis-server || ! have redis-cli; }; then need+=(redis-server redis-tools); fi
  if selected kafka; then
    have java || need+=(openjdk-17-jre-headless)
    have mvn || need+=(maven)
  fi
  # Tools the tests use: kcat (non-Node Kafka client) and promtool (metrics checker).
  kcat_bin >/dev/null || need+=(KCAT)
  have promtool || need+=(prometheus)
  [ "${#need[@]}" -eq 0 ] && return 0

  log "installing Debian packages: ${need[*]}"
  [ "$(id -u)" = 0 ] || die "installing ${need[*]} needs root (apt-get); install them, or run as root"
  local apt=(apt-get -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  "${apt[@]}" update -qq >&2 || die "apt-get update failed"
  local i
  for i in "${!need[@]}"; do
    if [ "${need[$i]}" = KCAT ]; then
      # Debian 12 has kcat (kafkacat is its transitional name); older releases only kafkacat.
      if [ -n "$(apt-cache policy kcat 2>/dev/null | awk '/Candidate:/ && $2 != "(none)"')" ]; then
        need[i]=kcat
      else
        need[i]=kafkacat
      fi
    fi
  done
  # Package scripts must not start their own daemons (mariadb on /var/lib/mysql, prometheus):
  # a policy-rc.d that says no, unless the system already has one.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    policy_created=1
  fi
  local rc=0
  "${apt[@]}" install -y -qq --no-install-recommends "${need[@]}" >&2 || rc=$?
  if [ "$policy_created" = 1 ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
  [ "$rc" = 0 ] || die "apt-get install ${need[*]} failed (exit $rc)"
  log "packages installed ($((SECONDS - T0))s)"
}

# --------------------------------------------------------------------------------------------
# MariaDB
# --------------------------------------------------------------------------------------------
MY_DIR="$(mysql_dir)"
MY_DATA="$MY_DIR/data"
MY_SOCK="$MY_DIR/mysqld.sock"
MY_PID="$MY_DIR/mysqld.pid"
MY_LOG="$MY_DIR/mysqld.log"
MY_STATE=""   # ours | foreign

mysql_root() { mariadb --no-defaults --protocol=socket --socket="$MY_SOCK" -uroot "$@"; }
mysql_ping_ours() { mariadb-admin --no-defaults --protocol=socket --socket="$MY_SOCK" -uroot --connect-timeout=2 ping >/dev/null 2>&1; }
mysql_ping_tcp() {
  mariadb-admin --no-defaults --protocol=tcp -h"$HOST" -P"$MYSQL_PORT" -umediator -pmediator --connect-timeout=2 ping >/dev/null 2>&1
}

mysql_start() {
  mkdir -p "$MY_DIR"
  if live_pid "$MY_PID" "$MYSQL_CMD" >/dev/null; then
    MY_STATE=ours; log "mysql: already running (pid $(live_pid "$MY_PID" "$MYSQL_CMD"))"; return 0
  fi
  if port_open "$HOST" "$MYSQL_PORT"; then
    mysql_ping_tcp || fail_server mysql "$MY_LOG" \
      "port $MYSQL_PORT is taken by a server that is not ours and does not accept mediator/mediator"
    MY_STATE=foreign; warn "mysql: a server not started by this script answers on $HOST:$MYSQL_PORT; leaving it alone"
    return 0
  fi
  if [ ! -f "$MY_DIR/.initialized" ]; then
    log "mysql: initialising data dir $MY_DATA"
    rm -rf "$MY_DATA"
    mkdir -p "$MY_DATA"
    mariadb-install-db --no-defaults --datadir="$MY_DATA" --user=root \
      --auth-root-authentication-method=socket --skip-test-db --skip-name-resolve >>"$MY_LOG" 2>&1 \
      || fail_server mysql "$MY_LOG" "mariadb-install-db failed"
    touch "$MY_DIR/.initialized"
  fi
  rm -f "$MY_SOCK" "$MY_PID"
  # --no-defaults: the system's /etc/mysql config (and /var/lib/mysql) play no part.
  spawn "$MY_LOG" mariadbd --no-defaults --user=root \
    --datadir="$MY_DATA" --socket="$MY_SOCK" --pid-file="$MY_PID" --log-error="$MY_LOG" \
    --bind-address="$HOST" --port="$MYSQL_PORT" --skip-name-resolve \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --max-connections=300 >"$MY_DIR/spawn.pid"
  MY_STATE=ours
  log "mysql: starting MariaDB (pid $(cat "$MY_DIR/spawn.pid")) on $HOST:$MYSQL_PORT"
}

mysql_wait() {
  if [ "$MY_STATE" = foreign ]; then return 0; fi
  local i spid
  spid="$(cat "$MY_DIR/spawn.pid" 2>/dev/null || true)"
  for ((i = 0; i < 300; i++)); do
    mysql_ping_ours && break
    if [ -n "$spid" ] && ! kill -0 "$spid" 2>/dev/null && ! live_pid "$MY_PID" "$MYSQL_CMD" >/dev/null; then
      fail_server mysql "$MY_LOG" "mariadbd exited during start-up"
    fi
    sleep 0.2
  done
  mysql_ping_ours || fail_server mysql "$MY_LOG" "MariaDB did not answer within 60s"
  mysql_root <<'SQL' || fail_server mysql "$MY_LOG" "could not create databases/users"
CREATE DATABASE IF NOT EXISTS `mediator` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS `mediator_test` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'mediator'@'127.0.0.1' IDENTIFIED BY 'mediator';
CREATE USER IF NOT EXISTS 'mediator'@'localhost' IDENTIFIED BY 'mediator';
GRANT ALL PRIVILEGES ON `mediator`.* TO 'mediator'@'127.0.0.1', 'mediator'@'localhost';
GRANT ALL PRIVILEGES ON `mediator_test`.* TO 'mediator'@'127.0.0.1', 'mediator'@'localhost';
-- tests may also create and drop their own mediator_<something> databases
GRANT ALL PRIVILEGES ON `mediator\_%`.* TO 'mediator'@'127.0.0.1', 'mediator'@'localhost';
FLUSH PRIVILEGES;
SQL
  mysql_ping_tcp || fail_server mysql "$MY_LOG" "mediator@$HOST:$MYSQL_PORT cannot log in"
  log "mysql: up on $HOST:$MYSQL_PORT (databases mediator, mediator_test; user mediator/mediator)"
}

# --------------------------------------------------------------------------------------------
# Redis
# --------------------------------------------------------------------------------------------
RD_DIR="$(redis_dir)"
RD_PID="$RD_DIR/redis.pid"
RD_LOG="$RD_DIR/redis.log"
RD_STATE=""

redis_ping() { [ "$(timeout 3 redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

redis_start() {
  mkdir -p "$RD_DIR"
  if live_pid "$RD_PID" "$REDIS_CMD" >/dev/null; then
    RD_STATE=ours; log "redis: already running (pid $(live_pid "$RD_PID" "$REDIS_CMD"))"; return 0
  fi
  if port_open "$HOST" "$REDIS_PORT"; then
    redis_ping || fail_server redis "$RD_LOG" "port $REDIS_PORT is taken by something that does not answer PING"
    RD_STATE=foreign; warn "redis: a server not started by this script answers on $HOST:$REDIS_PORT; leaving it alone"
    return 0
  fi
  rm -f "$RD_PID"
  (cd "$RD_DIR" && redis-server --daemonize yes --bind "$HOST" --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$RD_DIR" --pidfile "$RD_PID" --logfile "$RD_LOG" </dev/null 3>&- 9>&-) \
    || fail_server redis "$RD_LOG" "redis-server failed to start"
  RD_STATE=ours
  log "redis: starting on $HOST:$REDIS_PORT"
}

redis_wait() {
  local i
  for ((i = 0; i < 100; i++)); do redis_ping && break; sleep 0.2; done
  redis_ping || fail_server redis "$RD_LOG" "Redis did not answer PING within 20s"
  log "redis: up on $HOST:$REDIS_PORT"
}

# --------------------------------------------------------------------------------------------
# Kafka
# --------------------------------------------------------------------------------------------
KF_DIR="$(kafka_dir)"
KF_DATA="$KF_DIR/data"
KF_PID="$KF_DIR/kafka.pid"
KF_LOG="$KF_DIR/kafka.log"        # log4j2, WARN and above
KF_OUT="$KF_DIR/kafka.out"        # the JVM's stdout/stderr
KF_TOPICS=(mediator-commands mediator-responses mediator-events)
# A second listener that needs SASL/PLAIN login, for the tests of the service's SASL options; the
# PLAINTEXT listener on $KAFKA_PORT stays open for everything else. Test credentials only.
KAFKA_SASL_PORT=9094
KAFKA_SASL_USER=mediator-sasl
KAFKA_SASL_PASSWORD=mediator-sasl-secret
KF_STATE=""
KF_LIBS=""

kafka_jars() {
  KF_LIBS="$(kafka_libs_dir)"
  [ -f "$KF_LIBS/.complete" ] && return 0
  log "kafka: fetching Apache Kafka $(kafka_version) jars from Maven Central into $KF_LIBS"
  local tmp="$KF_LIBS.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$CACHE_DIR/kafka"
  mvn -B -Dstyle.color=never -Dmaven.repo.local="$CACHE_DIR/m2" -f "$KAFKA_POM" \
    dependency:copy-dependencies -DoutputDirectory="$tmp" >"$CACHE_DIR/kafka/mvn.log" 2>&1 \
    || fail_server kafka "$CACHE_DIR/kafka/mvn.log" "mvn dependency:copy-dependencies failed"
  ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || die "kafka: no kafka_2.13 jar after mvn"
  rm -rf "$KF_LIBS"
  mv "$tmp" "$KF_LIBS"
  touch "$KF_LIBS/.complete"
  log "kafka: jars ready ($((SECONDS - T0))s)"
}

kafka_config() {
  mkdir -p "$KF_DATA"
  cat >"$KF_DIR/server.properties" <<EOF
# Written by deploy/local/up.sh: single-node KRaft broker+controller on $HOST.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT,SASL_PLAINTEXT://$HOST:$KAFKA_SASL_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT,SASL_PLAINTEXT://$HOST:$KAFKA_SASL_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
sasl.enabled.mechanisms=PLAIN
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$KAFKA_SASL_USER="$KAFKA_SASL_PASSWORD";
log.dirs=$KF_DATA
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
log.retention.hours=24
EOF
  cat >"$KF_DIR/log4j2.properties" <<EOF
# Broker log: WARN and above to a file.
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $KF_LOG
appender.file.append = true
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.file.ref = FILE
EOF
}


kafka_tool() { "$LOCAL_DIR/kafka-tool.sh" "$@"; }

kafka_metadata() { timeout 10 "$(kcat_bin)" -b "$HOST:$KAFKA_PORT" -L -m 5 2>/dev/null; }
kafka_ready() {
  local md
  port_open "$HOST" "$KAFKA_PORT" && md="$(kafka_metadata)" && [[ "$md" == *"at $HOST:$KAFKA_PORT"* ]]
}

kafka_start() {
  mkdir -p "$KF_DIR"
  kafka_jars
  if live_pid "$KF_PID" "$KAFKA_CMD" >/dev/null; then
    KF_STATE=ours; log "kafka: already running (pid $(live_pid "$KF_PID" "$KAFKA_CMD"))"
    port_open "$HOST" "$KAFKA_SASL_PORT" \
      || warn "kafka: no SASL listener on $HOST:$KAFKA_SASL_PORT (started by an older up.sh); restart it: down.sh kafka && up.sh kafka"
    return 0
  fi
  if port_open "$HOST" "$KAFKA_PORT" || port_open "$HOST" "$KAFKA_CONTROLLER_PORT"; then
    kafka_ready || fail_server kafka "$KF_LOG" "port $KAFKA_PORT/$KAFKA_CONTROLLER_PORT is taken by something that is not a Kafka broker"
    KF_STATE=foreign; warn "kafka: a broker not started by this script answers on $HOST:$KAFKA_PORT; leaving it alone"
    return 0
  fi
  kafka_config
  if [ ! -f "$KF_DATA/meta.properties" ]; then
    local id
    id="$(kafka_tool kafka.tools.StorageTool random-uuid | tail -n1)"
    log "kafka: formatting KRaft storage in $KF_DATA (cluster id $id)"
    kafka_tool kafka.tools.StorageTool format --standalone --ignore-formatted -t "$id" \
      -c "$KF_DIR/server.properties" >>"$KF_OUT" 2>&1 || fail_server kafka "$KF_OUT" "storage format failed"
  fi
  spawn "$KF_OUT" "$JAVA" -Xms128m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KF_DIR/log4j2.properties" -Dkafka.logs.dir="$KF_DIR" \
    -cp "$KF_LIBS/*" kafka.Kafka "$KF_DIR/server.properties" >"$KF_PID"
  KF_STATE=ours
  log "kafka: starting broker (pid $(cat "$KF_PID")) on $HOST:$KAFKA_PORT"
}

kafka_wait() {
  local i pid
  pid="$(cat "$KF_PID" 2>/dev/null || true)"
  for ((i = 0; i < 180; i++)); do
    kafka_ready && break
    if [ "$KF_STATE" = ours ] && ! kill -0 "$pid" 2>/dev/null; then
      fail_server kafka "$KF_LOG" "the broker exited during start-up" "$KF_OUT"
    fi
    sleep 0.5
  done
  kafka_ready || fail_server kafka "$KF_LOG" "the broker did not answer a metadata request within 90s" "$KF_OUT"

  local existing topic missing=()
  existing="$(kafka_metadata | sed -n 's/^ *topic "\([^"]*\)".*/\1/p')"
  for topic in "${KF_TOPICS[@]}"; do
    grep -qxF "$topic" <<<"$existing" || missing+=("$topic")
  done
  for topic in "${missing[@]}"; do
    log "kafka: creating topic $topic (3 partitions)"
    kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$HOST:$KAFKA_PORT" --create \
      --if-not-exists --topic "$topic" --partitions 3 --replication-factor 1 >&2 \
      || fail_server kafka "$KF_LOG" "could not create topic $topic"
  done
  # A FindCoordinator creates the coordinators' internal topics now, rather than on the first
  # consumer group join / first transactional producer (which then retries for a second or two).
  if ! grep -qxF __consumer_offsets <<<"$existing"; then
    log "kafka: creating the group coordinator's __consumer_offsets topic"
    kafka_tool org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "$HOST:$KAFKA_PORT" \
      --describe --group deploy-local-warmup >/dev/null 2>&1 || true
  fi
  if ! grep -qxF __transaction_state <<<"$existing"; then
    log "kafka: creating the transaction coordinator's __transaction_state topic"
    kafka_tool org.apache.kafka.tools.TransactionsCommand --bootstrap-server "$HOST:$KAFKA_PORT" \
      describe --transactional-id deploy-local-warmup >/dev/null 2>&1 || true
  fi
  log "kafka: up on $HOST:$KAFKA_PORT (topics ${KF_TOPICS[*]}; SASL/PLAIN listener on $HOST:$KAFKA_SASL_PORT)"
}

# --------------------------------------------------------------------------------------------
# FerretDB (MongoDB wire protocol)
# --------------------------------------------------------------------------------------------
FD_SRC="$LOCAL_DIR/ferretdb"
FD_DIR="$(mongodb_dir)"
FD_PID="$FD_DIR/ferretdb.pid"
FD_LOG="$FD_DIR/ferretdb.log"
FD_STATE=""
FD_BIN=""

ferretdb_build() {
  local key
  key="$(cat "$FD_SRC/main.go" "$FD_SRC/go.mod" "$FD_SRC/go.sum" | sha256sum | cut -c1-16)"
  FD_BIN="$CACHE_DIR/ferretdb/ferretdb-local-$key"
  [ -x "$FD_BIN" ] && return 0
  have go || die "mongodb: the Go toolchain (go) is needed to build FerretDB and is not on PATH"
  log "mongodb: building FerretDB v1.24 (embedded, SQLite) with $(go version | cut -d' ' -f3); the first build takes a minute or two"
  mkdir -p "$CACHE_DIR/ferretdb"
  (cd "$FD_SRC" && GOFLAGS=-buildvcs=false CGO_ENABLED=0 go build -trimpath -o "$FD_BIN.tmp.$$" .) >&2 \
    || die "mongodb: go build of deploy/local/ferretdb failed"
  mv "$FD_BIN.tmp.$$" "$FD_BIN"
  log "mongodb: built $FD_BIN ($((SECONDS - T0))s)"
}

ferretdb_ping() { "$FD_BIN" -ping "$HOST:$MONGO_PORT" -timeout 2s 2>/dev/null; }

ferretdb_start() {
  mkdir -p "$FD_DIR"
  ferretdb_build
  if live_pid "$FD_PID" "$FERRETDB_CMD" >/dev/null; then
    FD_STATE=ours; log "mongodb: already running (pid $(live_pid "$FD_PID" "$FERRETDB_CMD"))"; return 0
  fi
  if port_open "$HOST" "$MONGO_PORT"; then
    ferretdb_ping || fail_server mongodb "$FD_LOG" "port $MONGO_PORT is taken by something that does not answer a MongoDB ping"
    FD_STATE=foreign; warn "mongodb: a server not started by this script answers on $HOST:$MONGO_PORT; leaving it alone"
    return 0
  fi
  spawn "$FD_LOG" "$FD_BIN" -listen "$HOST:$MONGO_PORT" -sqlite-dir "$FD_DIR/data" >"$FD_PID"
  FD_STATE=ours
  log "mongodb: starting FerretDB (pid $(cat "$FD_PID")) on $HOST:$MONGO_PORT"
}

ferretdb_wait() {
  local i pid
  pid="$(cat "$FD_PID" 2>/dev/null || true)"
  for ((i = 0; i < 150; i++)); do
    ferretdb_ping && break
    if [ "$FD_STATE" = ours ] && ! kill -0 "$pid" 2>/dev/null; then
      fail_server mongodb "$FD_LOG" "FerretDB exited during start-up"
    fi
    sleep 0.2
  done
  ferretdb_ping || fail_server mongodb "$FD_LOG" "FerretDB did not answer a ping within 30s"
  log "mongodb: up on $HOST:$MONGO_PORT (FerretDB, SQLite in $FD_DIR/data)"
}

# --------------------------------------------------------------------------------------------
log "components: ${COMPONENTS[*]}; cache $CACHE_DIR; state $STATE_DIR"
ensure_packages

# Start what needs no build first, so the servers boot while jars download and Go compiles.
if selected mysql; then mysql_start; fi
if selected redis; then redis_start; fi
if selected kafka; then kafka_start; fi
if selected mongodb; then ferretdb_start; fi

if selected mysql; then mysql_wait; fi
if selected redis; then redis_wait; fi
if selected kafka; then kafka_wait; fi
if selected mongodb; then ferretdb_wait; fi

log "all up in $((SECONDS - T0))s: ${COMPONENTS[*]}"

{
  if selected mysql; then
    echo "export MYSQL_HOST=$HOST"
    echo "export MYSQL_PORT=$MYSQL_PORT"
    echo "export MYSQL_USERNAME=mediator"
    echo "export MYSQL_PASSWORD=mediator"
    echo "export MYSQL_DATABASE=mediator"
  fi
  if selected mongodb; then
    echo "export MONGODB_URI=mongodb://$HOST:$MONGO_PORT"
    echo "export MONGODB_DATABASE=mediator"
  fi
  if selected redis; then
    echo "export REDIS_HOST=$HOST"
    echo "export REDIS_PORT=$REDIS_PORT"
  fi
  if selected kafka; then
    echo "export KAFKA_BROKERS=$HOST:$KAFKA_PORT"
    # Not KAFKA_SASL_*: the service reads those, and would then log in on the PLAINTEXT listener.
    echo "export KAFKA_TEST_SASL_BROKERS=$HOST:$KAFKA_SASL_PORT"
    echo "export KAFKA_TEST_SASL_USERNAME=$KAFKA_SASL_USER"
    echo "export KAFKA_TEST_SASL_PASSWORD=$KAFKA_SASL_PASSWORD"
  fi
} >&3
