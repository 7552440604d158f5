#!/usr/bin/env python3
"""Scores `lending apply` against the generator's truth.

Usage: scripts/fraud-eval.py DECISIONS.csv TRUTH.csv

Prints, per truth label, how many applications were approved and how many carry a fraud (FR_)
reason, then the two acceptance figures of issue 4:
  - the share of fraud applications NOT approved (target: at least 95%),
  - the share of clean applications carrying an FR_ reason (target: at most 2%).
Exits 1 if either target is missed. Standard library only.
"""
import csv
import sys
from collections import Counter, defaultdict


def main(decisions_path, truth_path):
    truth = {row["application_id"]: row for row in csv.DictReader(open(truth_path, newline="", encoding="utf-8"))}
    by_label = defaultdict(Counter)
    fr_codes = defaultdict(Counter)
    seen = 0
    for row in csv.DictReader(open(decisions_path, newline="", encoding="utf-8")):
        label_row = truth.get(row["application_id"])
        if label_row is None:
            continue
        seen += 1
        label = label_row["label"]
        reasons = [code for code in row["reasons"].split(";") if code]
        fraud_reasons = [code for code in reasons if code.startswith("FR_")]
        stats = by_label[label]
        stats["total"] += 1
        stats[row["outcome"]] += 1
        if fraud_reasons:
            stats["with_fr"] += 1
        for code in set(fraud_reasons):
            fr_codes[label][code] += 1
    if seen != len(truth):
        print(f"warning: {len(truth) - seen} truth rows have no decision", file=sys.stderr)

    print(f"{'label':<12}{'total':>8}{'approve':>9}{'review':>8}{'decline':>9}{'with FR_':>10}  top FR_ reasons")
    for label in sorted(by_label, key=lambda name: (name != "clean", name)):
        stats = by_label[label]
        top = ", ".join(f"{code} {count}" for code, count in fr_codes[label].most_common(3))
        print(f"{label:<12}{stats['total']:>8}{stats['approve']:>9}{stats['review']:>8}{stats['decline']:>9}{stats['with_fr']:>10}  {top}")

    fraud_labels = [label for label in by_label if truth_is_fraud(truth, label)]
    fraud_total = sum(by_label[label]["total"] for label in fraud_labels)
    fraud_approved = sum(by_label[label]["approve"] for label in fraud_labels)
    fraud_with_fr = sum(by_label[label]["with_fr"] for label in fraud_labels)
    clean = by_label["clean"]
    not_approved = 1 - fraud_approved / fraud_total if fraud_total else 1.0
    clean_fr = clean["with_fr"] / clean["total"] if clean["total"] else 0.0
    print()
    print(f"fraud applications not approved: {fraud_total - fraud_approved} of {fraud_total} = {not_approved:.2%} (target >= 95%)")
    print(f"fraud applications with an FR_ reason: {fraud_with_fr} of {fraud_total} = {fraud_with_fr / max(fraud_total, 1):.2%}")
    print(f"clean applications with an FR_ reason: {clean['with_fr']} of {clean['total']} = {clean_fr:.2%} (target <= 2%)")
    ok = not_approved >= 0.95 and clean_fr <= 0.02
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def truth_is_fraud(truth, label):
    for row in truth.values():
        if row["label"] == label:
            return row["is_fraud"] == "1"
    return False


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    sys.exit(main(sys.argv[1], sys.argv[2]))
