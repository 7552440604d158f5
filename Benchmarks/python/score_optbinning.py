#!/usr/bin/env python3
"""Fit an optbinning scorecard on German Credit, then score a (big) CSV.

Usage: score_optbinning.py TRAIN.csv IN.csv OUT.csv

The model is the one of Fixtures/optbinning/make_fixture.py: BinningProcess
(object columns categorical) + LogisticRegression, pdo_odds scaling
(pdo 20, odds 50, 600 points), fitted on all rows of TRAIN.csv with
y = (creditability == 'bad'). IN.csv is read with pandas and scored with
Scorecard.score. Writes `row,score` (row = 1-based data row, repr(float)).
Timings of the phases go to stderr (fit is separate from read+score+write).
"""
import sys
import time
import warnings

import pandas as pd
from optbinning import BinningProcess, Scorecard
from sklearn.linear_model import LogisticRegression


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    train_path, in_path, out_path = sys.argv[1:]
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    tr = pd.read_csv(train_path)
    y = (tr["creditability"] == "bad").astype(int).to_numpy()
    X = tr.drop(columns=["creditability"])
    cat = [c for c in X.columns if X[c].dtype == object]
    sc = Scorecard(
        binning_process=BinningProcess(variable_names=list(X.columns),
                                       categorical_variables=cat),
        estimator=LogisticRegression(), scaling_method="pdo_odds",
        scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600})
    sc.fit(X, y)
    t1 = time.perf_counter()
    df = pd.read_csv(in_path)
    t2 = time.perf_counter()
    score = sc.score(df[list(X.columns)])
    t3 = time.perf_counter()
    with open(out_path, "w", newline="\n") as f:
        f.write("row,score\n")
        f.write("\n".join(map("{},{!r}".format, range(1, len(score) + 1), score.tolist())))
        f.write("\n")
    t4 = time.perf_counter()
    print("score_optbinning: %d rows; fit %.3f s, read %.3f s, score %.3f s, write %.3f s"
          % (len(score), t1 - t0, t2 - t1, t3 - t2, t4 - t3), file=sys.stderr)


if __name__ == "__main__":
    main()
