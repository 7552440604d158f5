#!/usr/bin/env python3
"""Regenerate the scorecardpy WoE-binning fixture for German Credit.

Splits german-credit.csv 70/30 with scorecardpy.split_df (stratified on
creditability, seed 186 = scorecardpy's default and the one its README
example implicitly uses), runs sc.woebin(train, y='creditability') with all
defaults, and writes next to this script:

  german-credit-train.csv    the 700 training rows: a first column `row`
                             (1-based data row in german-credit.csv), then the
                             source line's bytes unchanged (CRLF kept)
  german-credit-breaks.json  {"numeric_var": [cut, ...],
                              "categorical_var": [["cat", ...], ...], ...}
  german-credit-woe.csv      variable,bin,count,good,bad,badprob,woe,bin_iv,
                             total_iv  (floats in repr(), round-trip exact)

Usage (from the repository root):
  /tmp/venv-ref/bin/python Fixtures/scorecardpy/make_woe_fixture.py [DATA.csv]
"""
import json
import math
import os
import sys
import warnings

import numpy as np
import pandas as pd
import scorecardpy as sc
from pandas.api.types import is_numeric_dtype

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "german-credit.csv")
REF_CARD = os.path.join(HERE, "..", "..", "..", "shared", "reference", "scorecardpy-card.csv")
SEED = 186
RATIO = 0.7
Y = "creditability"


def num(v):
    """Cut point as a JSON number: int if integral, else float (repr)."""
    f = float(v)
    return int(f) if f.is_integer() else f


def write_bins(train, columns, suffix):
    """woebin(train) -> breaks JSON + WoE CSV; returns bins in column order."""
    raw = sc.woebin(train, y=Y, print_info=False)
    # woebin's dict order comes from a set (varies with PYTHONHASHSEED):
    # re-order by the data's column order.
    bins = {v: raw[v] for v in columns if v in raw}
    assert len(bins) == len(raw) == 20

    # (b) breaks: numeric -> cut points, categorical -> groups of categories
    breaks = {}
    for var, b in bins.items():
        keep = b.loc[~b["is_special_values"]]
        if is_numeric_dtype(train[var]):
            breaks[var] = [num(x) for x in keep["breaks"]
                           if x not in ("inf", "-inf", "missing")]
        else:
            breaks[var] = [str(x).split("%,%") for x in keep["bin"]]
    with open(os.path.join(HERE, "german-credit-breaks%s.json" % suffix), "w") as f:
        f.write("{\n" + ",\n".join(
            " %s: %s" % (json.dumps(k), json.dumps(v, ensure_ascii=False))
            for k, v in breaks.items()) + "\n}\n")
    with open(os.path.join(HERE, "german-credit-breaks%s.json" % suffix)) as f:
        assert json.load(f) == breaks

    # (c) WoE table, full precision
    cols = ["variable", "bin", "count", "good", "bad", "badprob", "woe",
            "bin_iv", "total_iv"]
    woe = pd.concat(bins.values(), ignore_index=True)[cols]
    out = os.path.join(HERE, "german-credit-woe%s.csv" % suffix)
    woe.to_csv(out, index=False, lineterminator="\n")
    back = pd.read_csv(out, float_precision="round_trip", keep_default_na=False)
    assert list(back["bin"]) == list(woe["bin"])
    for c in ("count", "good", "bad", "badprob", "woe", "bin_iv", "total_iv"):
        assert np.array_equal(back[c].to_numpy(float), woe[c].to_numpy(float)), c

    # check the documented formula: zero counts -> 0.9 (also in the totals)
    for var, b in bins.items():
        g = b["good"].astype(float).replace(0, 0.9)
        d = b["bad"].astype(float).replace(0, 0.9)
        w = np.log((d / d.sum()) / (g / g.sum()))
        assert np.allclose(w, b["woe"], rtol=0, atol=1e-12), var
        iv = ((d / d.sum()) - (g / g.sum())) * w
        assert np.allclose(iv, b["bin_iv"], rtol=0, atol=1e-12), var
        assert np.allclose(iv.sum(), b["total_iv"], rtol=0, atol=1e-12), var
        assert np.array_equal(b["badprob"], b["bad"] / (b["good"] + b["bad"]))
    return bins


def main():
    warnings.simplefilter("ignore")
    dt = pd.read_csv(DATA)
    assert len(dt) == 1000 and not dt.isna().any().any()

    train, test = sc.split_df(dt, Y, ratio=RATIO, seed=SEED).values()
    assert len(train) == 700 and len(test) == 300
    rows = (train.index.to_numpy() + 1).tolist()     # 1-based data rows
    # the split must not have changed any value
    src = dt.loc[train.index]
    assert src.equals(train[dt.columns]), "split_df altered values"

    # (a) exact training rows: raw source lines, prefixed with `row,`
    with open(DATA, "rb") as f:
        lines = f.read().splitlines(keepends=True)
    assert len(lines) == 1001
    with open(os.path.join(HERE, "german-credit-train.csv"), "wb") as f:
        f.write(b"row," + lines[0])
        for r in rows:
            f.write(b"%d," % r + lines[r])

    bins = write_bins(train, dt.columns, "")
    # Variant: the same training rows, but the 12 categorical columns as
    # ordered pandas Categoricals with the level order of sc.germancredit()
    # (this is how shared/reference/scorecardpy-card.csv was produced).
    lev = sc.germancredit()
    train_lv = train.copy()
    for c in lev.columns:
        if isinstance(lev[c].dtype, pd.CategoricalDtype):
            train_lv[c] = train_lv[c].astype(lev[c].dtype)
            assert not train_lv[c].isna().any()
    bins_lv = write_bins(train_lv, dt.columns, "-levels")

    # cross-check against the shared reference card: its variables must have
    # exactly the bins of the "-levels" variant (same labels, same order)
    ref_ok = ref_sets = None
    if os.path.exists(REF_CARD):
        card = pd.read_csv(REF_CARD, keep_default_na=False)
        card = card[card["variable"] != "basepoints"]
        vs = card["variable"].unique()
        ref_ok = all(list(card.loc[card["variable"] == v, "bin"]) ==
                     list(bins_lv[v]["bin"]) for v in vs)
        norm = lambda col: sorted(tuple(sorted(x.split("%,%"))) for x in col)
        ref_sets = all(norm(card.loc[card["variable"] == v, "bin"]) ==
                       norm(bins[v]["bin"]) for v in vs)

    print("scorecardpy %s, pandas %s, numpy %s"
          % (getattr(sc, "__version__", "0.1.9.7"), pd.__version__, np.__version__))
    print("split_df seed %d ratio %.1f: train %d (bad %d), test %d"
          % (SEED, RATIO, len(train), int((train[Y] == "bad").sum()), len(test)))
    for name, b in (("plain", bins), ("levels", bins_lv)):
        allb = pd.concat(b.values())
        print("%-6s: %d variables, %d bins, %d bins with a zero good/bad cell"
              % (name, len(b), len(allb),
                 int(((allb["good"] == 0) | (allb["bad"] == 0)).sum())))
    print("reference card bins == '-levels' bins (labels and order): %s" % ref_ok)
    print("reference card bins == plain bins as sets of categories: %s" % ref_sets)


if __name__ == "__main__":
    main()
