#!/usr/bin/env bash
# The report against halog, side by side, on the same 1,000,000 lines.
#
#   test/bench/report.sh [RUNS]        (make bench-report)
#
# The lines are made from the corpus (go run ./internal/loggen/cmd): a busy
# proxy's mix, 19 requests for one operational line, as rsyslog writes
# /var/log/haproxy.log (internal/tailchunk's lines, so that halog reads
# them with its defaults), each at its own time, response times spread. Each tool runs RUNS times (default 5),
# in turn, output to /dev/null; the best and the median wall times are
# printed, with the machine's load, since a shared machine's other work
# shows in every number. The goal: the report in at most 3x halog -srv.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${1:-5}
lines=1000000
log=dist/bench-report-1m.log
cli=dist/haproxy-decode

if ! command -v halog >/dev/null 2>&1; then
	echo "bench-report: halog is not on PATH (Debian: apt-get install haproxy)" >&2
	exit 1
fi
mkdir -p dist
go build -trimpath -o "$cli" ./cmd/haproxy-decode
if [ ! -s "$log" ] || [ internal/loggen/loggen.go -nt "$log" ] || [ internal/tailchunk/tailchunk.go -nt "$log" ]; then
	echo "making $log ($lines lines from the corpus) ..."
	go run ./internal/loggen/cmd -n "$lines" -o "$log"
fi

# once CMD...: runs CMD on the log once; prints its wall and CPU (user +
# system) seconds.
once() {
	local TIMEFORMAT='%R %U %S'
	{ time "$@" <"$log" >/dev/null 2>&1; } 2>&1 | awk '{printf "%s %.3f\n", $1, $2 + $3}'
}

# best_median COLUMN: the best and the median of a column of seconds.
best_median() {
	awk -v c="$1" '{print $c}' | sort -n | awk '{v[NR]=$1} END {printf "%.3f %.3f\n", v[1], v[int((NR+1)/2)]}'
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (before)"
halog_runs=""
report_runs=""
for _ in $(seq "$runs"); do # in turn, so that both see the same load
	halog_runs+="$(once halog -q -srv)"$'\n'
	report_runs+="$(once "$cli" report)"$'\n'
done
read -r hb hm < <(printf '%s' "$halog_runs" | best_median 1)
read -r rb rm < <(printf '%s' "$report_runs" | best_median 1)
read -r hcb hcm < <(printf '%s' "$halog_runs" | best_median 2)
read -r rcb rcm < <(printf '%s' "$report_runs" | best_median 2)
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) (after)"
printf '%-24s %9s %9s %9s %9s\n' "$lines lines, $runs runs" "wall best" median "CPU best" median
printf '%-24s %8ss %8ss %8ss %8ss\n' "halog -srv" "$hb" "$hm" "$hcb" "$hcm"
printf '%-24s %8ss %8ss %8ss %8ss\n' "haproxy-decode report" "$rb" "$rm" "$rcb" "$rcm"
awk -v hb="$hb" -v hm="$hm" -v rb="$rb" -v rm="$rm" -v hcb="$hcb" -v hcm="$hcm" -v rcb="$rcb" -v rcm="$rcm" \
	'BEGIN {printf "%-24s %8.2fx %8.2fx %8.2fx %8.2fx   (goal: wall at most 3x)\n", "report / halog", rb/hb, rm/hm, rcb/hcb, rcm/hcm}'
