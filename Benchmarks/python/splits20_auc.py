#!/usr/bin/env python3
"""Test AUC of `lending train`, optbinning and scorecardpy on 20 stratified 70/30 splits.

Usage: splits20_auc.py [--lending PATH] [--data DATA.csv] [--seeds 1-20] [--extra "ARGS"]...
  --lending  the lending binary (default: .build/release/lending, then /tmp/h18-release/release/lending)
  --data     German Credit (default: Fixtures/german-credit.csv)
  --extra    an extra `lending train` configuration to report next to the defaults, as one
             string of options (may repeat; for example --extra "--l2 0 --max-bins 8")
Output (Markdown) on stdout; Benchmarks/python/splits20_auc.txt is this script's output.

The splits are exactly those of `lending train --test-share 0.3 --seed N`: within goods and
within bads (file order) a Fisher-Yates shuffle driven by SplitMix64(seed N) (goods first,
then bads from the same generator) sends the first round(0.3 n) rows to the test sample.
`make_split` reimplements it, and the script checks it against
Fixtures/splits/german-credit-seed{1..5}.csv (written by `lending train --save-split`) and
against the `--save-split` file of every `lending train` run below.

Every tool is fitted on the 700 train rows of a split only and scored on its 300 test rows;
nothing is chosen on test rows (lending's cross-validation runs inside the train rows).
  lending      `lending train --data DATA --target creditability --bad bad --seed N` with its
               defaults (test AUC as it prints it: AUC of the score on the held-out rows).
  optbinning   BinningProcess over all 20 columns (object columns categorical), then
               scikit-learn LogisticRegression() defaults, in optbinning's Scorecard
               (pdo_odds scaling: scaling does not change the AUC). AUC of -score.
  scorecardpy  README recipe fitted on train only: var_filter, woebin (tree), woebin_ply,
               LogisticRegression(penalty='l1', C=0.9, solver='saga'); AUC of predict_proba.
AUC is sklearn's roc_auc_score everywhere except lending's own, which counts pairs and
halves ties the same way.
"""
import argparse
import contextlib
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import pandas as pd

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TARGET = "creditability"
MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def make_split(bad, seed, test_share=0.3):
    """(train, test): sorted 0-based row indices, as TrainingData.stratifiedSplit."""
    gen = SplitMix64(seed)
    train, test = [], []
    for wanted in (False, True):
        rows = [i for i, b in enumerate(bad) if bool(b) == wanted]
        for index in range(len(rows) - 1, 0, -1):
            other = gen.next() % (index + 1)
            rows[index], rows[other] = rows[other], rows[index]
        # Swift's rounded(.toNearestOrEven) is Python's round().
        count = round(len(rows) * test_share)
        test += rows[:count]
        train += rows[count:]
    return sorted(train), sorted(test)


def read_split_file(path):
    sp = pd.read_csv(path)
    tr = sorted((sp.loc[sp["sample"] == "train", "row"] - 1).tolist())
    te = sorted((sp.loc[sp["sample"] == "test", "row"] - 1).tolist())
    return tr, te


def find_lending(explicit):
    for path in ([explicit] if explicit else [os.path.join(ROOT, ".build", "release", "lending"),
                                             "/tmp/h18-release/release/lending"]):
        if path and os.path.exists(path):
            return path
    sys.exit("no lending binary: build with `swift build -c release` or pass --lending PATH")


def run_lending(binary, data, seed, extra, workdir):
    model = os.path.join(workdir, "m%d.json" % seed)
    split = os.path.join(workdir, "s%d.csv" % seed)
    cmd = [binary, "train", "--data", data, "--target", TARGET, "--bad", "bad", "--seed", str(seed),
           "--save-split", split, "-o", model] + extra
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    elapsed = time.perf_counter() - t0
    match = re.search(r"^test\s+(\d+)\s+(\d+)\s+\S+\s+(\S+)", out, re.M)
    assert match, out
    return float(match.group(3)), read_split_file(split), elapsed, out


def fit_optbinning(X, y):
    from optbinning import BinningProcess, Scorecard
    from sklearn.linear_model import LogisticRegression
    cat = [c for c in X.columns if X[c].dtype == object]
    card = Scorecard(
        binning_process=BinningProcess(variable_names=list(X.columns), categorical_variables=cat),
        estimator=LogisticRegression(), scaling_method="pdo_odds",
        scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600})
    card.fit(X, y)
    return card


def auc_scorecardpy(train, test):
    import scorecardpy as sc
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    with contextlib.redirect_stdout(sys.stderr):
        dt_s = sc.var_filter(train, y=TARGET)
        bins = sc.woebin(dt_s, y=TARGET, no_cores=1)
        train_woe = sc.woebin_ply(dt_s, bins, no_cores=1)
        test_woe = sc.woebin_ply(test, bins, no_cores=1)
    cols = [c for c in train_woe.columns if c != TARGET]
    lr = LogisticRegression(penalty="l1", C=0.9, solver="saga", max_iter=10000)
    lr.fit(train_woe[cols], train_woe[TARGET])
    return roc_auc_score(test[TARGET], lr.predict_proba(test_woe[cols])[:, 1])


def seeds_arg(text):
    a, _, b = text.partition("-")
    return list(range(int(a), int(b or a) + 1))


def mean_sd(values):
    return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def main():
    warnings.simplefilter("ignore")
    parser = argparse.ArgumentParser()
    parser.add_argument("--lending")
    parser.add_argument("--data", default=os.path.join(ROOT, "Fixtures", "german-credit.csv"))
    parser.add_argument("--seeds", type=seeds_arg, default=list(range(1, 21)))
    parser.add_argument("--extra", action="append", default=[])
    parser.add_argument("--lending-only", action="store_true", help="skip optbinning and scorecardpy")
    args = parser.parse_args()
    from sklearn.metrics import roc_auc_score

    binary = find_lending(args.lending)
    df = pd.read_csv(args.data)
    X_all = df.drop(columns=[TARGET])
    y_all = (df[TARGET] == "bad").astype(int).to_numpy()
    sdf = X_all.copy()
    sdf[TARGET] = y_all

    # The reimplemented split equals the checked-in --save-split files.
    for seed in range(1, 6):
        path = os.path.join(ROOT, "Fixtures", "splits", "german-credit-seed%d.csv" % seed)
        if os.path.exists(path):
            assert make_split(y_all, seed) == read_split_file(path), "split %d differs" % seed

    configs = [("lending (defaults)", [])] + [("lending " + e, shlex.split(e)) for e in args.extra]
    results = {name: [] for name, _ in configs}
    times = {name: [] for name, _ in configs}
    ob, scp = [], []
    with tempfile.TemporaryDirectory() as workdir:
        for seed in args.seeds:
            tr, te = make_split(y_all, seed)
            assert len(tr) == 700 and len(te) == 300 and not set(tr) & set(te)
            for name, extra in configs:
                auc, written, elapsed, _ = run_lending(binary, args.data, seed, extra, workdir)
                assert written == (tr, te), "lending's split %d differs from make_split" % seed
                results[name].append(auc)
                times[name].append(elapsed)
            if not args.lending_only:
                Xtr, Xte = X_all.iloc[tr].reset_index(drop=True), X_all.iloc[te].reset_index(drop=True)
                card = fit_optbinning(Xtr, y_all[tr])
                ob.append(roc_auc_score(y_all[te], -card.score(Xte)))
                scp.append(auc_scorecardpy(sdf.iloc[tr].reset_index(drop=True), sdf.iloc[te].reset_index(drop=True)))
            print("seed %d done" % seed, file=sys.stderr, flush=True)

    columns = [name for name, _ in configs]
    if not args.lending_only:
        columns += ["optbinning defaults", "scorecardpy"]
        results["optbinning defaults"] = ob
        results["scorecardpy"] = scp
    print("# Test AUC on %d stratified 70/30 splits of German Credit (seeds %d-%d)"
          % (len(args.seeds), args.seeds[0], args.seeds[-1]))
    print()
    print("Fitted on the 700 train rows of each split, AUC on its 300 test rows; what `lending train`")
    print("chooses it chooses by cross-validation inside the 700 train rows (`--folds 0`: nothing chosen).")
    print("Made by `Benchmarks/python/splits20_auc.py` (see its docstring).")
    print()
    print("| seed | " + " | ".join(columns) + " |")
    print("| ---: | " + " | ".join("---:" for _ in columns) + " |")
    for i, seed in enumerate(args.seeds):
        print("| %d | " % seed + " | ".join("%.4f" % results[c][i] for c in columns) + " |")
    print("| **mean** | " + " | ".join("**%.4f**" % mean_sd(results[c])[0] for c in columns) + " |")
    print("| **sd** | " + " | ".join("%.4f" % mean_sd(results[c])[1] for c in columns) + " |")
    print()
    if not args.lending_only:
        wins = sum(1 for a, b in zip(results[columns[0]], ob) if a >= b)
        diff = [a - b for a, b in zip(results[columns[0]], ob)]
        print("lending (defaults) minus optbinning: mean %+.4f, sd %.4f; lending at least as high on %d of %d splits"
              % (statistics.mean(diff), statistics.stdev(diff) if len(diff) > 1 else 0, wins, len(diff)))
        print()
    for name, _ in configs:
        print("%s: wall time per `lending train` process (load, CV search, refit, metrics, write), median %.3f s"
              % (name, statistics.median(times[name])))


if __name__ == "__main__":
    main()
