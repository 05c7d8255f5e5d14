#!/usr/bin/env bash
# The README's picture of the report: haproxy-decode report -html on the
# sample log (build/sample/haproxy.log: 95 real lines in time order), opened
# in headless chromium (Debian: apt-get install chromium) and saved as
# docs/report.png.
#
#   test/report-picture.sh        (make report-picture)
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p dist docs
go build -trimpath -o dist/haproxy-decode ./cmd/haproxy-decode
dist/haproxy-decode report -tz UTC -html dist/report.html build/sample/haproxy.log >/dev/null
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--hide-scrollbars --run-all-compositor-stages-before-draw \
	--user-data-dir="$profile" --window-size=1060,1150 \
	--screenshot="$PWD/docs/report.png" "file://$PWD/dist/report.html" 2>/dev/null
echo "docs/report.png ($(stat -c %s docs/report.png) bytes) from dist/report.html"
