#!/usr/bin/env bash
# Issue 6's acceptance run at scale: a generated book of more than 10,000 loans (installment
# loans and credit-line draws) through the store and `eod` with post-loan every day for 90 days,
# then an audit:
#   lending demo --applications 22000 --days 90 --strategy S   (S: the default strategy with the
#       write-off at 40 days past due and the bureau report at 15, so write-offs happen in 90 days)
#   lending collections check   (the executed action log replayed against every contact rule; one
#       ladder stage per overdue loan, consistent with its bucket and promises; write-offs at day 40)
#   lending ledger verify
# and prints the book's counts. Exit status 0 only if both checks hold.
#
# Usage: scripts/collections-book.sh [APPLICATIONS] [DAYS]     (default 22000 applications, 90 days)
# Needs a release build: swift build -c release --product lending
set -euo pipefail
cd "$(dirname "$0")/.."
applications=${1:-22000}
days=${2:-90}
lending=${LENDING:-.build/release/lending}
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT; echo "work: $work"
python3 - "$work/strategy.json" <<'PY'
import json, sys
strategy = json.load(open("Models/collections-strategy.json"))
strategy["milestones"] = {"bureauReportDay": 15, "writeOffDay": 40}
strategy["name"] = "standard-writeoff-40"
json.dump(strategy, open(sys.argv[1], "w"), indent=2)
PY
/usr/bin/time -f 'demo: %e s wall, %U s user, %M KB max RSS' "$lending" demo --dir "$work/book" --applications "$applications" --days "$days" \
  --strategy "$work/strategy.json"
"$lending" collections check --db "$work/book/lending.sqlite" --strategy "$work/strategy.json"
"$lending" ledger verify --db "$work/book/lending.sqlite"
python3 - "$work/book/lending.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
queries = [
    ("loans paid out", "select count(*) from loans where status <> 'signed'"),
    ("installment loans", "select count(*) from loans where status <> 'signed' and line_id is null"),
    ("draws", "select count(*) from loans where status <> 'signed' and line_id is not null"),
    ("written off", "select count(*) from loans where status = 'written_off'"),
    ("post-loan runs", "select count(*) from post_loan_runs"),
    ("most loans in collections on a day", "select max(loans_in_collections) from post_loan_runs"),
    ("actions", "select count(*) from collection_actions"),
    ("calls", "select count(*) from collection_actions where action in ('voice_bot', 'agent_call', 'outsourced_call')"),
    ("cancelled calls", "select count(*) from collection_cancellations"),
    ("outcomes", "select count(*) from collection_outcomes"),
    ("promises", "select count(*) from collection_outcomes where result = 'promise_to_pay'"),
]
print("; ".join(f"{label} {db.execute(sql).fetchone()[0]}" for label, sql in queries))
PY
