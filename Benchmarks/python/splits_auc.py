#!/usr/bin/env python3
"""Test AUC of the optbinning and scorecardpy pipelines on the 5 German Credit splits.

Usage: splits_auc.py [DATA.csv] [SPLITS_DIR]
  (defaults: Fixtures/german-credit.csv, Fixtures/splits; paths relative to the repo root)

For each Fixtures/splits/german-credit-seed{1..5}.csv (`row,sample`, row = 1-based
data row) every model is fitted on the `train` rows only and scored on the `test` rows.
y = (creditability == 'bad'); AUC is sklearn's roc_auc_score.

 (a) optbinning: BinningProcess(all 20 characteristics, object columns categorical)
     + Scorecard(LogisticRegression(), pdo_odds: pdo 20, odds 50, 600 points), defaults
     otherwise. AUC of -score (higher score = lower risk). Also the same model with
     binning_fit_params={numeric var: {"monotonic_trend": "auto_asc_desc"}}.
     For the default fit: the numeric variables whose bins (excluding the Special and
     Missing bins and empty bins) are not monotone in event rate.
 (b) scorecardpy, the README recipe but fitted on train only: var_filter (iv >= 0.02
     etc.), woebin (method 'tree'), woebin_ply, LogisticRegression(penalty='l1', C=0.9,
     solver='saga', max_iter=10000) on the *_woe columns; AUC of predict_proba.
Fit times on the seed-1 train rows: median of 5 runs.
"""
import contextlib
import os
import statistics
import sys
import time
import warnings

import numpy as np
import pandas as pd
import scorecardpy as sc
from optbinning import BinningProcess, Scorecard
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TARGET = "creditability"
SEEDS = range(1, 6)
NRUNS = 5


def fit_optbinning(X, y, monotone=False):
    cat = [c for c in X.columns if X[c].dtype == object]
    num = [c for c in X.columns if c not in cat]
    params = {v: {"monotonic_trend": "auto_asc_desc"} for v in num} if monotone else None
    card = Scorecard(
        binning_process=BinningProcess(variable_names=list(X.columns),
                                       categorical_variables=cat,
                                       binning_fit_params=params),
        estimator=LogisticRegression(), scaling_method="pdo_odds",
        scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600})
    card.fit(X, y)
    return card


def non_monotone(card, X):
    """Numeric variables whose regular (non-special, non-missing, non-empty) bins
    are neither non-decreasing nor non-increasing in event rate."""
    bp = card.binning_process_
    out = []
    for v in X.columns:
        if X[v].dtype == object:
            continue
        bt = bp.get_binned_variable(v).binning_table.build()
        bt = bt.drop(index="Totals", errors="ignore")
        bt = bt[~bt["Bin"].astype(str).isin(["Special", "Missing"])]
        er = bt.loc[bt["Count"] > 0, "Event rate"].astype(float).to_numpy()
        d = np.diff(er)
        if not (np.all(d >= 0) or np.all(d <= 0)):
            out.append(v)
    return out


def fit_scorecardpy(train, phases=None):
    """train: DataFrame with TARGET as 0/1 (1 = bad). Returns (bins, lr, woe columns).
    no_cores=1 is what the default picks on a 2-core machine; set explicitly so the
    timing is single-process everywhere (the bins do not depend on it).
    scorecardpy's [INFO] prints go to stderr."""
    t = [time.perf_counter()]
    with contextlib.redirect_stdout(sys.stderr):
        dt_s = sc.var_filter(train, y=TARGET)
        t.append(time.perf_counter())
        bins = sc.woebin(dt_s, y=TARGET, no_cores=1)   # method='tree' by default
        t.append(time.perf_counter())
        train_woe = sc.woebin_ply(dt_s, bins, no_cores=1)
        t.append(time.perf_counter())
    Xw = train_woe.loc[:, train_woe.columns != TARGET]
    lr = LogisticRegression(penalty="l1", C=0.9, solver="saga", max_iter=10000)
    lr.fit(Xw, train_woe[TARGET])
    t.append(time.perf_counter())
    if phases is not None:
        phases.append(np.diff(t))
    return bins, lr, list(Xw.columns)


def auc_scorecardpy(model, test):
    bins, lr, cols = model
    with contextlib.redirect_stdout(sys.stderr):
        test_woe = sc.woebin_ply(test, bins, no_cores=1)
    p = lr.predict_proba(test_woe[cols])[:, 1]
    return roc_auc_score(test[TARGET], p)


def median_time(fn, n=NRUNS):
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), ts


def main():
    warnings.simplefilter("ignore")
    data_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Fixtures", "german-credit.csv")
    splits_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "Fixtures", "splits")
    df = pd.read_csv(data_path)
    assert len(df) == 1000
    X_all = df.drop(columns=[TARGET])
    y_all = (df[TARGET] == "bad").astype(int).to_numpy()
    num_vars = [c for c in X_all.columns if X_all[c].dtype != object]
    # scorecardpy frame: same columns, y already 0/1 with 1 = bad
    sdf = X_all.copy()
    sdf[TARGET] = y_all

    rows = []
    nonmono = {}
    splits = {}
    for seed in SEEDS:
        sp = pd.read_csv(os.path.join(splits_dir, "german-credit-seed%d.csv" % seed))
        tr = np.sort(sp.loc[sp["sample"] == "train", "row"].to_numpy()) - 1
        te = np.sort(sp.loc[sp["sample"] == "test", "row"].to_numpy()) - 1
        assert len(te) == 300 and len(tr) == 700 and not set(tr) & set(te)
        splits[seed] = (tr, te)
        Xtr, Xte = X_all.iloc[tr].reset_index(drop=True), X_all.iloc[te].reset_index(drop=True)
        ytr, yte = y_all[tr], y_all[te]

        card = fit_optbinning(Xtr, ytr)
        auc_ob = roc_auc_score(yte, -card.score(Xte))
        nonmono[seed] = non_monotone(card, Xtr)

        card_m = fit_optbinning(Xtr, ytr, monotone=True)
        auc_obm = roc_auc_score(yte, -card_m.score(Xte))
        assert not non_monotone(card_m, Xtr)

        model = fit_scorecardpy(sdf.iloc[tr].reset_index(drop=True))
        auc_sc = auc_scorecardpy(model, sdf.iloc[te].reset_index(drop=True))
        rows.append((seed, auc_ob, auc_obm, auc_sc, len(model[2])))
        print("seed %d done" % seed, file=sys.stderr, flush=True)

    print("# Test AUC on Fixtures/splits/german-credit-seed{1..5}.csv (fit on 700 train rows, AUC on 300 test rows)")
    print()
    print("| seed | optbinning test AUC | optbinning (auto_asc_desc) | scorecardpy test AUC |")
    print("| ---: | ---: | ---: | ---: |")
    for seed, a, b, c, _ in rows:
        print("| %d | %.4f | %.4f | %.4f |" % (seed, a, b, c))
    m = [statistics.mean(r[i] for r in rows) for i in (1, 2, 3)]
    print("| **mean** | **%.4f** | **%.4f** | **%.4f** |" % tuple(m))
    print()
    print("scorecardpy variables kept by var_filter (iv >= 0.02) per seed: %s"
          % ", ".join("%d: %d" % (r[0], r[4]) for r in rows))
    print()
    print("## Numeric variables with bins not monotone in event rate (optbinning default fit, %d numeric vars)"
          % len(num_vars))
    print()
    print("| seed | count | variables |")
    print("| ---: | ---: | --- |")
    for seed in SEEDS:
        print("| %d | %d | %s |" % (seed, len(nonmono[seed]), ", ".join(nonmono[seed]) or "-"))
    print()
    print("(auto_asc_desc fit: 0 non-monotone numeric variables on every seed, asserted.)")

    tr, _ = splits[1]
    Xtr, ytr = X_all.iloc[tr].reset_index(drop=True), y_all[tr]
    str_ = sdf.iloc[tr].reset_index(drop=True)
    t_ob, ts_ob = median_time(lambda: fit_optbinning(Xtr, ytr))
    t_obm, ts_obm = median_time(lambda: fit_optbinning(Xtr, ytr, monotone=True))
    ph = []
    t_sc, ts_sc = median_time(lambda: fit_scorecardpy(str_, ph))
    ph_med = np.median(np.array(ph), axis=0)
    print()
    print("## Fit time on the seed-1 train rows (700 rows), median of %d runs, single process" % NRUNS)
    print()
    print("| pipeline | median s | runs s |")
    print("| --- | ---: | --- |")
    for name, t, ts in (("optbinning BinningProcess+Scorecard.fit (default)", t_ob, ts_ob),
                        ("optbinning BinningProcess+Scorecard.fit (auto_asc_desc)", t_obm, ts_obm),
                        ("scorecardpy var_filter+woebin+woebin_ply+LR fit", t_sc, ts_sc)):
        print("| %s | %.3f | %s |" % (name, t, ", ".join("%.3f" % x for x in ts)))
    print()
    print("scorecardpy phases (median s): var_filter %.3f, woebin %.3f, woebin_ply %.3f, LR fit %.3f"
          % tuple(ph_med))


if __name__ == "__main__":
    main()
