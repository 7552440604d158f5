#!/usr/bin/env python3
"""Score with scorecardpy.scorecard_ply and a card read from CSV.

Usage: score_scorecardpy.py CARD.csv IN.csv OUT.csv

The card CSV (variable,bin,points, as written by pd.concat(card).to_csv) is
turned back into what sc.scorecard() returns: a dict {variable: DataFrame}
with a 'basepoints' entry, in file order. scorecard_ply runs with its
defaults (replace_blank_na=True), only_total_score=True.
Writes `row,score` (row = 1-based data row, score as repr(float)).
"""
import sys
import time
import warnings

import numpy as np
import pandas as pd
import scorecardpy as sc


def read_card(path):
    df = pd.read_csv(path, keep_default_na=False, dtype={"variable": str, "bin": str})
    df["points"] = df["points"].astype(float)
    df.loc[df["variable"] == "basepoints", "bin"] = np.nan   # as sc.scorecard() has it
    return {v: g.reset_index(drop=True)
            for v, g in df.groupby("variable", sort=False)}


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    card_path, in_path, out_path = sys.argv[1:]
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    card = read_card(card_path)
    dt = pd.read_csv(in_path)
    t1 = time.perf_counter()
    score = sc.scorecard_ply(dt, card, only_total_score=True)["score"]
    t2 = time.perf_counter()
    with open(out_path, "w", newline="\n") as f:
        f.write("row,score\n")
        f.write("\n".join(map("{},{!r}".format, range(1, len(score) + 1),
                              score.astype(float).tolist())))
        f.write("\n")
    t3 = time.perf_counter()
    print("score_scorecardpy: %d rows; read %.3f s, scorecard_ply %.3f s, write %.3f s"
          % (len(score), t1 - t0, t2 - t1, t3 - t2), file=sys.stderr)


if __name__ == "__main__":
    main()
