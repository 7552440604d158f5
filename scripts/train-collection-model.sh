#!/usr/bin/env bash
# Trains the collection score (Models/collection-model.json) with the project's own tools:
#   1. run `lending demo` without a collection model on two seeds (never the demo's default
#      seed 2026), writing the collection features of every overdue loan every 7th day and
#      whether it was still overdue (or written off) 30 days later (--collection-features);
#   2. train a logistic-regression scorecard on them with `lending train`
#      (target still_overdue_30d, bad = 1: a higher score is a loan more likely to be cured);
#   3. write it where the build compiles it in (Sources/LendingPostLoan/Resources/collection-model.json, a resource).
#
# Usage: scripts/train-collection-model.sh [APPLICATIONS]     (default 8000 a seed)
# Needs a release build: swift build -c release --product lending
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-8000}
lending=${LENDING:-.build/release/lending}
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT; echo "work: $work"
for seed in 101 102; do
  "$lending" demo --dir "$work/demo-$seed" --seed "$seed" --applications "$count" --collection-model none \
    --collection-features "$work/features-$seed.csv" > "$work/demo-$seed.txt"
done
python3 - "$work" <<'PY'
import csv, sys
work = sys.argv[1]
rows = 0
with open(f"{work}/train.csv", "w", newline="") as out:
    writer = None
    for seed in (101, 102):
        for row in csv.DictReader(open(f"{work}/features-{seed}.csv", newline="")):
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(row.keys()))
                writer.writeheader()
            writer.writerow(row)
            rows += 1
print(f"{rows} training rows")
PY
"$lending" train --data "$work/train.csv" --target still_overdue_30d --bad 1 --seed 1 --test-share 0.3 --min-bin-share 0.02 \
  --exclude loan_id,day --base-score 600 --base-odds 19 --pdo 50 -o Sources/LendingPostLoan/Resources/collection-model.json --report "${REPORT:-/dev/null}"
echo "wrote Sources/LendingPostLoan/Resources/collection-model.json (Models/collection-model.json links to it; the build compiles it in)"
