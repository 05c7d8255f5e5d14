#!/usr/bin/env bash
# Stop a node started by start.sh (by its pidfile), bounded wait. The data dir is left
# for post-mortems (start.sh wipes it unless --keep-data); --clean removes it now.
#
# Usage: stop.sh [--port P | --all] [--clean] [--timeout SECS]
#   --port P   the node on port P (default $FBH_ES_PORT or 9200)
#   --all      every node with a pidfile in $FBH_ES_RUN_DIR (default <this dir>/.run)
#   --clean    also delete the node's data dir
# SIGTERM first; SIGKILL after FBH_ES_STOP_TIMEOUT seconds (default 30).
# Exits 0 if the node is stopped (or was not running).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="${FBH_ES_RUN_DIR:-$HERE/.run}"
PORT="${FBH_ES_PORT:-9200}"
ALL=0
CLEAN=0
TIMEOUT="${FBH_ES_STOP_TIMEOUT:-30}"

log() { echo "stop.sh: $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --all) ALL=1; shift ;;
    --clean) CLEAN=1; shift ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" >&2; exit 0 ;;
    *) log "unknown argument: $1"; exit 2 ;;
  esac
done

# is PID one of our nodes? (guards against a recycled pid)
ours() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -Eq 'fbh\.esnode\.Es7?Node'; }

stop_port() {
  local port="$1" pidfile="$RUN_DIR/es-$1.pid" pid DATA=""
  if [ ! -f "$pidfile" ]; then
    log "port $port: no pidfile ($pidfile), nothing to stop"
    return 0
  fi
  pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null
    local deadline=$(( $(date +%s) + TIMEOUT ))
    while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "port $port: pid $pid still alive after ${TIMEOUT}s, SIGKILL"
      kill -KILL "$pid" 2>/dev/null
      sleep 0.5
    fi
    log "port $port: stopped pid $pid"
  else
    log "port $port: pid ${pid:-?} not running"
  fi
  rm -f "$pidfile" "$RUN_DIR/es-$port.url"
  if [ "$CLEAN" = 1 ] && [ -f "$RUN_DIR/es-$port.state" ]; then
    # shellcheck disable=SC1090
    . "$RUN_DIR/es-$port.state"
    if [ -n "$DATA" ]; then rm -rf "$DATA"; fi
    rm -f "$RUN_DIR/es-$port.state"
  fi
}

if [ "$ALL" = 1 ]; then
  shopt -s nullglob
  for f in "$RUN_DIR"/es-*.pid; do
    p="${f##*/es-}"; stop_port "${p%.pid}"
  done
else
  stop_port "$PORT"
fi
exit 0
