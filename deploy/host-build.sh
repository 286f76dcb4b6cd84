#!/usr/bin/env bash
# The Dockerfile's steps on a host without a Docker engine (CI runs `bash deploy/host-build.sh`):
#   build stage:   copy the build context (git's files minus .dockerignore), npm ci, npm run build,
#                  npm prune --omit=dev;
#   runtime stage: only package.json, node_modules, dist/ and config/ (the Dockerfile's COPYs),
#                  NODE_ENV=production, the Dockerfile CMD (`node dist/apps/mediator-service/src/main.js`);
# then starts it with the embedded config (SQLite in a temp dir, free ports), waits for
# GET /health/ready = 200, runs the image's HEALTHCHECK command, reads /metrics, sends SIGTERM
# and checks a clean exit (code 0) within the grace period. Exits non-zero on any failure.
#
# Environment: HOST_BUILD_READY_TIMEOUT (s, default 60), HOST_BUILD_GRACE (s, default 30: the
# production pod's terminationGracePeriodSeconds minus its preStop sleep), HOST_BUILD_KEEP=1 keeps
# the temp dir.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
READY_TIMEOUT="${HOST_BUILD_READY_TIMEOUT:-60}"
GRACE="${HOST_BUILD_GRACE:-30}"

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nhost-build.sh: FAILED: %s\n' "$*" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mediator-host-build.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
  if [[ "${HOST_BUILD_KEEP:-0}" == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
started=$SECONDS

step "toolchain: node $(node --version), npm $(npm --version) (image: node 20.20.2, npm 11.19.1)"
[[ "$(node --version)" == v20.* ]] || echo "warning: the image runs Node 20; this host has $(node --version)"
[[ "$(npm --version)" == 11.* ]] || echo "warning: the image builds with npm 11 (package.json allowScripts); this host has npm $(npm --version)"

# The entry point is the Dockerfile's CMD; package.json's start:prod must start the same file.
ENTRY="$(python3 -c '
import json, re, sys
m = re.search(r"^CMD\s+(\[.*\])\s*$", open(sys.argv[1]).read(), re.M)
cmd = json.loads(m.group(1)) if m else []
if len(cmd) != 2 or cmd[0] != "node": sys.exit("the Dockerfile CMD is not [\"node\", \"<entry>\"]")
print(cmd[1])' "$ROOT/Dockerfile")" || fail "reading CMD from the Dockerfile"
start_prod="$(node -p 'require(process.argv[1]).scripts["start:prod"]' "$ROOT/package.json")"
[[ "$start_prod" == "node $ENTRY" ]] \
  || fail "Dockerfile CMD starts $ENTRY but package.json start:prod is '$start_prod'"
echo "entry: $ENTRY (Dockerfile CMD = package.json start:prod)"

# --- build context: what `COPY . .` would see ---------------------------------------------------
step "build context: git ls-files minus .dockerignore -> $WORK/src"
mkdir -p "$WORK/src"
git -C "$ROOT" ls-files -z --cached --others --exclude-standard \
  | python3 -c '
import re, sys, os
root = sys.argv[1]

def rule(line):
    neg = line.startswith("!")
    pat = line[1:] if neg else line
    pat = pat.strip().strip("/")
    while pat.startswith("./"):
        pat = pat[2:]
    out, i = "", 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out += "(?:.*/)?"; i += 3; continue
        if pat.startswith("**", i):
            out += ".*"; i += 2; continue
        out += {"*": "[^/]*", "?": "[^/]"}.get(c, re.escape(c)); i += 1
    # Docker: a pattern that names a directory excludes everything under it.
    return neg, re.compile("^" + out + "(?:/.*)?$")

rules = []
path = os.path.join(root, ".dockerignore")
if os.path.exists(path):
    for line in open(path):
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append(rule(line))
for name in sys.stdin.read().split("\0"):
    if not name or not os.path.lexists(os.path.join(root, name)):
        continue
    excluded = False
    for neg, rx in rules:  # the last matching rule wins, as in Docker
        if rx.match(name):
            excluded = not neg
    if not excluded:
        sys.stdout.write(name + "\0")
' "$ROOT" >"$WORK/context.list"
tar -C "$ROOT" --null -T "$WORK/context.list" -cf - | tar -C "$WORK/src" -xf -
echo "$(tr -cd '\0' <"$WORK/context.list" | wc -c) files copied"
[[ -f "$WORK/src/package-lock.json" ]] || fail "package-lock.json is not in the build context"

# --- build stage --------------------------------------------------------------------------------
cd "$WORK/src"
step "npm ci"
npm ci --no-audit --no-fund || fail "npm ci"
step "npm run build"
npm run build || fail "npm run build"
[[ -f "$ENTRY" ]] || fail "npm run build produced no $ENTRY"
step "npm prune --omit=dev"
npm prune --omit=dev --no-audit --no-fund || fail "npm prune --omit=dev"

# --- runtime stage: the Dockerfile's COPY --from=build lines ----------------------------------------
step "runtime layout: package.json node_modules dist config -> $WORK/app"
mkdir -p "$WORK/app/data" "$WORK/data"
cp -a package.json node_modules dist config "$WORK/app/"
du -sh "$WORK/app/node_modules" "$WORK/app/dist" | sed 's/^/  /'

# --- run ------------------------------------------------------------------------------------------
read -r HTTP_PORT METRICS_PORT < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
for s in socks: s.close()')
JWT="$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
cd "$WORK/app"
step "start: node $ENTRY (NODE_ENV=production, CONFIG_FILE=config/config.yaml, PORT=$HTTP_PORT, METRICS_PORT=$METRICS_PORT)"
# The embedded config only: switches of external servers that the caller's environment may
# hold (CI starts real ones for other tests) are removed.
env -u MYSQL_HOST -u MYSQL_PORT -u MONGODB_URI -u REDIS_HOST -u REDIS_PORT -u KAFKA_BROKERS \
  NODE_ENV=production CONFIG_FILE=config/config.yaml PORT="$HTTP_PORT" METRICS_PORT="$METRICS_PORT" \
  SQLITE_PATH="$WORK/data/mediator.sqlite" JWT_SECRET="$JWT" LOG_LEVEL=info \
  node "$ENTRY" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

http_status() { # url -> HTTP status, 000 when nothing answers
  node -e "const r=require('http').get(process.argv[1],{timeout:3000},s=>{s.resume();console.log(s.statusCode)});r.on('timeout',()=>r.destroy());r.on('error',()=>console.log('000'))" "$1"
}
show_log() { echo "--- server log (last 40 lines) ---" >&2; tail -n 40 "$WORK/server.log" >&2 || true; }

t0=$SECONDS
status=000
while (( SECONDS - t0 < READY_TIMEOUT )); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    wait "$SERVER_PID" && code=0 || code=$?
    SERVER_PID=""
    show_log; fail "the service exited (code $code) before /health/ready answered 200"
  fi
  status="$(http_status "http://127.0.0.1:$HTTP_PORT/health/ready")"
  [[ "$status" == 200 ]] && break
  sleep 0.5
done
ready_after=$((SECONDS - t0))
[[ "$status" == 200 ]] || { show_log; fail "GET /health/ready answered $status, not 200, within ${READY_TIMEOUT}s"; }
echo "GET /health/ready -> 200 after ${ready_after}s"

live="$(http_status "http://127.0.0.1:$HTTP_PORT/health/live")"
[[ "$live" == 200 ]] || { show_log; fail "GET /health/live answered $live"; }
echo "GET /health/live -> 200"

# The image's HEALTHCHECK, taken from the Dockerfile and run as Docker would (exec form).
mapfile -d '' HEALTHCHECK < <(python3 -c '
import json, re, sys
text = open(sys.argv[1]).read().replace("\\\n", " ")
m = re.search(r"^HEALTHCHECK\b.*?\bCMD\s+(\[.*\])\s*$", text, re.M)
if not m: sys.exit("no exec-form HEALTHCHECK CMD in the Dockerfile")
for arg in json.loads(m.group(1)): sys.stdout.write(arg + "\0")' "$ROOT/Dockerfile") \
  || fail "reading HEALTHCHECK from the Dockerfile"
PORT="$HTTP_PORT" "${HEALTHCHECK[@]}" || { show_log; fail "the Dockerfile HEALTHCHECK command failed"; }
echo "Dockerfile HEALTHCHECK -> exit 0"

metrics="$(http_status "http://127.0.0.1:$METRICS_PORT/metrics")"
[[ "$metrics" == 200 ]] || { show_log; fail "GET /metrics on port $METRICS_PORT answered $metrics"; }
echo "GET :$METRICS_PORT/metrics -> 200"

step "SIGTERM, expecting exit code 0 within ${GRACE}s"
kill -TERM "$SERVER_PID"
t1=$SECONDS
while kill -0 "$SERVER_PID" 2>/dev/null && (( SECONDS - t1 < GRACE )); do sleep 0.2; done
if kill -0 "$SERVER_PID" 2>/dev/null; then
  show_log; fail "still running ${GRACE}s after SIGTERM (Kubernetes would SIGKILL it)"
fi
wait "$SERVER_PID" && code=0 || code=$?
SERVER_PID=""
stopped_after=$((SECONDS - t1))
if [[ "$code" != 0 ]]; then
  show_log
  [[ "$code" == 143 ]] && echo "hint: 143 = ended by SIGTERM's default action, i.e. no SIGTERM listener was left" \
    "when a signal arrived: Nest's enableShutdownHooks re-raises it after app.close() unless called with { useProcessExit: true }." >&2
  fail "exit code $code after SIGTERM, ${stopped_after}s after it (expected 0)"
fi

printf '\nhost-build.sh: passed in %ss: npm ci, build, prune --omit=dev; ready after %ss on :%s;' \
  "$((SECONDS - started))" "$ready_after" "$HTTP_PORT"
printf ' HEALTHCHECK ok; /metrics ok on :%s; SIGTERM -> exit 0 after %ss\n' "$METRICS_PORT" "$stopped_after"
