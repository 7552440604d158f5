#!/usr/bin/env python3
"""Scores a CSV with a PMML model in JPMML (pip install jpmml-evaluator pandas; needs java).

Usage: scripts/pmml-score.py MODEL.pmml INPUT.csv OUT.csv [ID_COLUMN]

Reads INPUT.csv as text (an empty field is a missing value, nothing else is: no "NA" parsing,
no trimming), turns the model's continuous inputs into floats, evaluates every row with
jpmml_evaluator's evaluateAll and writes OUT.csv: the id column (ID_COLUMN, default the 1-based
row number as `row`), every output field of the model that is a final result (`score`,
`probability`, `reason_1`..), and `error`: empty, or the name of the Java exception for a row
the model cannot score (its other fields empty). Floats are written with repr (the shortest
text that reads back as the same double).

Tests/LendingModelOpsTests/PMMLExportTests.swift runs it (LENDING_TEST_PYTHON picks python).
"""
import csv
import math
import sys
import xml.etree.ElementTree as ElementTree

import pandas
from jpmml_evaluator import make_evaluator


def main(argv):
    if len(argv) not in (4, 5):
        sys.stderr.write(__doc__)
        return 64
    model, data, out = argv[1:4]
    id_column = argv[4] if len(argv) == 5 else None
    evaluator = make_evaluator(model).verify()
    numeric = {f.getName() for f in evaluator.getInputFields() if f.getDataType() in ("double", "float", "integer")}
    frame = pandas.read_csv(data, dtype=str, keep_default_na=False, na_filter=False)
    ids = frame[id_column].tolist() if id_column else [str(i + 1) for i in range(len(frame))]
    inputs = {}
    for field in evaluator.getInputFields():
        name = field.getName()
        if name not in frame.columns:
            raise SystemExit(f"{data}: no column {name!r}, which the model needs")
        column = frame[name].tolist()
        if name in numeric:
            inputs[name] = [float(v) if v != "" else None for v in column]
        else:
            inputs[name] = [v if v != "" else None for v in column]
    arguments = pandas.DataFrame({name: pandas.Series(values, dtype=object) for name, values in inputs.items()})
    results = evaluator.evaluateAll(arguments, error_col="error")
    # Output fields marked isFinalResult="false" are steps of a computation, not results.
    steps = {e.get("name") for e in ElementTree.parse(model).iter() if e.tag.endswith("OutputField") and e.get("isFinalResult") == "false"}
    outputs = [f.getName() for f in evaluator.getOutputFields() if f.getName() in results.columns and f.getName() not in steps]
    with open(out, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([id_column or "row"] + outputs + ["error"])
        for index in range(len(frame)):
            row = [ids[index]]
            error = results["error"].iloc[index] if "error" in results.columns else None
            failed = isinstance(error, str) and error != "" and error != "None"
            for name in outputs:
                value = results[name].iloc[index]
                if failed or value is None or (isinstance(value, float) and math.isnan(value)):
                    row.append("")
                elif isinstance(value, float):
                    row.append(repr(float(value)))
                else:
                    row.append(str(value))
            row.append(str(error).split(":")[0] if failed else "")
            writer.writerow(row)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
