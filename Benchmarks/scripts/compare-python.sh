#!/usr/bin/env bash
# Time the Python reference scoring pipelines on replicated German Credit.
#
#   Benchmarks/scripts/compare-python.sh [ROWS]      (default 1000000)
#
# - creates the venv $VENV (default /tmp/venv-ref) from
#   Benchmarks/python/requirements.txt if it is missing or incomplete;
# - makes /tmp/gc-<ROWS>.csv (1000000 -> /tmp/gc-1m.csv) if missing;
# - checks score_pandas.py against shared/reference/scorecardpy-expected-scores.csv
#   on the 1000-row file;
# - runs each pipeline once, one after the other (single-threaded BLAS), under
#   /usr/bin/time -v, and prints wall time, max RSS and whole-process rows/s.
# Environment: VENV, CARD (scorecardpy card CSV), OUT_DIR (default /tmp/gc-bench),
#   SKIP (space-separated subset of: pandas pandas-all scorecardpy optbinning).
# pandas parses only the card's columns (usecols, dtype category); pandas-all
# parses every column like a plain pd.read_csv (see score_pandas.py --help).
set -euo pipefail

ROWS=${1:-1000000}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PY_DIR="$REPO/Benchmarks/python"
VENV=${VENV:-/tmp/venv-ref}
DATA="$REPO/Fixtures/german-credit.csv"
SHARED=${SHARED:-$(cd "$REPO/.." && pwd)/shared}
CARD=${CARD:-$SHARED/reference/scorecardpy-card.csv}
EXPECTED=$SHARED/reference/scorecardpy-expected-scores.csv
OUT_DIR=${OUT_DIR:-/tmp/gc-bench}
SKIP=${SKIP:-}
if [ "$ROWS" = 1000000 ]; then BIG=/tmp/gc-1m.csv; else BIG=/tmp/gc-$ROWS.csv; fi

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONWARNINGS=ignore
[ -x /usr/bin/time ] || { echo "need /usr/bin/time (apt-get install time)" >&2; exit 1; }
[ -f "$CARD" ] || { echo "card not found: $CARD (set CARD=...)" >&2; exit 1; }

# 1. venv -------------------------------------------------------------------
if ! "$VENV/bin/python" -c 'import pandas, scorecardpy, optbinning, sklearn' 2>/dev/null; then
  echo "== creating $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q -r "$PY_DIR/requirements.txt"
fi
PY="$VENV/bin/python"
"$PY" - 2>/dev/null <<'EOF'
import sys, pandas, numpy, sklearn, optbinning
from importlib.metadata import version
print("python %s | pandas %s numpy %s scorecardpy %s optbinning %s scikit-learn %s"
      % (sys.version.split()[0], pandas.__version__, numpy.__version__,
         version("scorecardpy"), optbinning.__version__, sklearn.__version__))
EOF

# 2. data -------------------------------------------------------------------
if [ ! -f "$BIG" ]; then
  echo "== making $BIG ($ROWS rows)"
  "$PY" "$PY_DIR/make_replica.py" "$ROWS" "$BIG" "$DATA"
fi
echo "input: $BIG, $ROWS rows, $(stat -c %s "$BIG") bytes"
mkdir -p "$OUT_DIR"

# 3. correctness on the 1000-row file ----------------------------------------
"$PY" "$PY_DIR/score_pandas.py" "$CARD" "$DATA" "$OUT_DIR/pandas-1k.csv" 2>/dev/null
if [ -f "$EXPECTED" ]; then
  if cut -d, -f1,14 "$EXPECTED" | cmp -s - "$OUT_DIR/pandas-1k.csv"; then
    echo "check: score_pandas.py == scorecardpy-expected-scores.csv (1000 rows, byte-identical)"
  else
    echo "check FAILED: score_pandas.py differs from $EXPECTED" >&2; exit 1
  fi
fi

# 4. timings ------------------------------------------------------------------
cat "$BIG" > /dev/null   # same warm page cache for every pipeline

run() {  # name, command...
  local name=$1; shift
  rm -f "$OUT_DIR/$name.csv"
  case " $SKIP " in *" $name "*) return 0;; esac
  local tv="$OUT_DIR/$name.time" log="$OUT_DIR/$name.log"
  if ! /usr/bin/time -v -o "$tv" "$@" >"$log" 2>&1; then
    echo "$name FAILED, see $log" >&2; cat "$tv" >&2 || true; return 1
  fi
  local wall rss secs
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tv")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tv")
  secs=$(echo "$wall" | awk -F: '{ s=0; for (i=1;i<=NF;i++) s=s*60+$i; print s }')
  printf '%-12s wall %8.2f s  maxRSS %7.0f MiB  %10.0f rows/s   | %s\n' \
    "$name" "$secs" "$(echo "$rss/1024" | bc -l)" "$(echo "$ROWS/$secs" | bc -l)" \
    "$(grep -h '^score_' "$log" | tail -1)"
}

echo "== timing ($ROWS rows; whole process: start, read CSV, score, write CSV)"
run pandas      "$PY" "$PY_DIR/score_pandas.py"      "$CARD" "$BIG" "$OUT_DIR/pandas.csv"
run pandas-all  "$PY" "$PY_DIR/score_pandas.py" --all-columns "$CARD" "$BIG" "$OUT_DIR/pandas-all.csv"
run scorecardpy "$PY" "$PY_DIR/score_scorecardpy.py" "$CARD" "$BIG" "$OUT_DIR/scorecardpy.csv"
run optbinning  "$PY" "$PY_DIR/score_optbinning.py"  "$DATA" "$BIG" "$OUT_DIR/optbinning.csv"

for other in pandas-all scorecardpy; do
  if [ -f "$OUT_DIR/pandas.csv" ] && [ -f "$OUT_DIR/$other.csv" ]; then
    if cmp -s "$OUT_DIR/pandas.csv" "$OUT_DIR/$other.csv"; then
      echo "check: pandas and $other outputs are byte-identical"
    else
      echo "check FAILED: pandas and $other outputs differ" >&2; exit 1
    fi
  fi
done
