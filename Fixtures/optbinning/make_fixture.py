#!/usr/bin/env python3
"""Regenerate the optbinning reference fixture for German Credit.

Fits optbinning.BinningProcess + Scorecard (LogisticRegression, pdo_odds
scaling: pdo=20, odds=50, scorecard_points=600) on all 1000 rows of
german-credit.csv and writes, next to this script:

  german-credit-card.csv    scorecard.table(style="detailed"), full precision
  german-credit-scores.csv  row,score  (row = 1-based data row, repr(float))

Usage (from the repository root):
  /tmp/venv-ref/bin/python Fixtures/optbinning/make_fixture.py [DATA.csv]

DATA.csv defaults to Fixtures/german-credit.csv (identical to
shared/data/german-credit.csv).
"""
import math
import os
import sys

import numpy as np
import pandas as pd
import sklearn
import optbinning
from optbinning import BinningProcess, Scorecard
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "german-credit.csv")
CARD_OUT = os.path.join(HERE, "german-credit-card.csv")
SCORES_OUT = os.path.join(HERE, "german-credit-scores.csv")

PDO, ODDS, POINTS0 = 20, 50, 600


def main():
    df = pd.read_csv(DATA)
    assert len(df) == 1000, len(df)
    assert not df.isna().any().any(), "unexpected missing values"
    y = (df["creditability"] == "bad").astype(int).to_numpy()  # event = bad
    X = df.drop(columns=["creditability"])
    assert X.shape[1] == 20
    categorical = [c for c in X.columns if X[c].dtype == object]

    binning_process = BinningProcess(
        variable_names=list(X.columns), categorical_variables=categorical)
    scorecard = Scorecard(
        binning_process=binning_process,
        estimator=LogisticRegression(),
        scaling_method="pdo_odds",
        scaling_method_params={"pdo": PDO, "odds": ODDS,
                               "scorecard_points": POINTS0},
    )
    scorecard.fit(X, y)

    table = scorecard.table(style="detailed")
    # Default to_csv float formatting is repr() (shortest round-trip).
    table.to_csv(CARD_OUT, index=False)

    score = scorecard.score(X)
    with open(SCORES_OUT, "w", newline="\n") as f:
        f.write("row,score\n")
        for i, s in enumerate(score, start=1):
            f.write("%d,%s\n" % (i, repr(float(s))))

    # ---- checks -------------------------------------------------------
    # 1. Card CSV round-trips exactly.
    back = pd.read_csv(CARD_OUT, float_precision="round_trip",
                       keep_default_na=False)
    for col in ("Points", "WoE", "Coefficient", "Event rate", "IV", "JS"):
        a = table[col].to_numpy(dtype=float)
        b = back[col].to_numpy(dtype=float)
        assert np.array_equal(a, b), col
    assert list(back["Bin"]) == [str(b) for b in table["Bin"]]
    sback = pd.read_csv(SCORES_OUT, float_precision="round_trip")
    assert np.array_equal(sback["score"].to_numpy(), score)

    # 2. Score == sum of per-bin table Points, found by bin lookup
    #    (bin id from the binning process, i.e. the 'Bin id' column).
    idx = scorecard.binning_process_.transform(X, metric="indices",
                                               metric_special="empirical",
                                               metric_missing="empirical")
    bins_of = scorecard.binning_process_.transform(X, metric="bins")
    recomputed = np.zeros(len(X))
    by_label = np.zeros(len(X))
    for var in scorecard.binning_process_.get_support(names=True):
        t = table[table["Variable"] == var]
        pts = dict(zip(t["Bin id"], t["Points"]))
        recomputed += np.array([pts[k] for k in idx[var]])
        # independent lookup from the raw value via the Bin label text
        lab = dict(zip([str(b) for b in t["Bin"]], t["Points"]))
        by_label += np.array([lab[str(b)] for b in bins_of[var]])
    assert np.max(np.abs(recomputed - score)) <= 1e-9
    assert np.max(np.abs(by_label - score)) <= 1e-9
    exact = np.array_equal(recomputed, score)

    # 3. Score <-> probability of event (bad):
    #    P(bad) = 1 / (1 + ODDS * exp((score - POINTS0) * ln2 / PDO))
    factor = PDO / math.log(2)
    p_from_score = 1.0 / (1.0 + ODDS * np.exp((score - POINTS0) / factor))
    p_model = scorecard.predict_proba(X)[:, 1]
    perr = np.max(np.abs(p_from_score - p_model))
    assert perr <= 1e-9, perr

    # 3b. Per-bin Points formula (pdo_odds): spread of intercept over n vars
    b0 = float(scorecard.estimator_.intercept_[0])
    n = len(scorecard.binning_process_.get_support(names=True))
    offset = POINTS0 - factor * math.log(ODDS)
    formula = -(table["Coefficient"] * table["WoE"] + b0 / n) * factor + offset / n
    assert np.allclose(formula, table["Points"], rtol=0, atol=1e-9)
    neutral = (offset - factor * b0) / n
    miss = table.loc[table["Bin"].astype(str).isin(["Missing", "Special"]), "Points"]
    assert np.allclose(miss, neutral, rtol=0, atol=1e-12), (miss, neutral)

    # 4. Missing values and unseen categories get the 'Missing' row's points.
    probe = X.iloc[:2].copy()
    probe["purpose"] = probe["purpose"].astype(object)
    probe.loc[probe.index[0], "purpose"] = "spaceship"      # unseen category
    probe.loc[probe.index[1], "purpose"] = np.nan            # missing
    probe["age_in_years"] = probe["age_in_years"].astype(float)
    probe.loc[probe.index[1], "age_in_years"] = np.nan        # missing numeric
    t_ind = scorecard.binning_process_.transform(probe, metric="indices",
                                                 metric_special="empirical",
                                                 metric_missing="empirical")
    ppts = table[table["Variable"] == "purpose"]["Points"].to_numpy()
    assert t_ind["purpose"].iloc[0] == -1               # unseen -> index -1
    assert t_ind["purpose"].iloc[1] == len(ppts) - 1    # missing -> last row
    s_probe = scorecard.score(probe)
    s_base = scorecard.score(X.iloc[:2])
    apts = table[table["Variable"] == "age_in_years"]["Points"].to_numpy()
    d0 = s_probe[0] - (s_base[0] - row_points(table, X.iloc[[0]], scorecard, "purpose") + ppts[-1])
    d1 = s_probe[1] - (s_base[1] - row_points(table, X.iloc[[1]], scorecard, "purpose") + ppts[-1]
                       - row_points(table, X.iloc[[1]], scorecard, "age_in_years") + apts[-1])
    assert abs(d0) < 1e-9 and abs(d1) < 1e-9, (d0, d1)

    print("optbinning %s, scikit-learn %s, pandas %s, numpy %s"
          % (optbinning.__version__, sklearn.__version__, pd.__version__,
             np.__version__))
    print("selected variables: %d / %d"
          % (len(scorecard.binning_process_.get_support(names=True)), X.shape[1]))
    print("intercept_ (added after the sum): %r" % scorecard.intercept_)
    print("estimator intercept %r" % scorecard.estimator_.intercept_[0])
    print("score recomputed from table: max |diff| = %g, bit-exact: %s"
          % (np.max(np.abs(recomputed - score)), exact))
    print("Missing/Special/unseen points per variable: %r" % neutral)
    print("P(bad) from score vs predict_proba: max |diff| = %g" % perr)
    print("wrote %s (%d rows), %s" % (CARD_OUT, len(table), SCORES_OUT))


def row_points(table, Xrow, scorecard, var):
    """Points of `var` for a single-row frame, via the table."""
    i = scorecard.binning_process_.transform(
        Xrow, metric="indices", metric_special="empirical",
        metric_missing="empirical")[var].iloc[0]
    t = table[table["Variable"] == var]
    return float(t["Points"].to_numpy()[i])


if __name__ == "__main__":
    main()
