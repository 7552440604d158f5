#!/bin/sh
# Issue 15's collections scenario at full size: a generated book of 3,000 applications (over
# 1,000 installment loans, 400+ credit lines with several draws each) run for 90 days by an
# outside dialler: each day `collections plan`, then hour by hour the hour's calls with simulated
# outcomes recorded as `collections record` does, the plan asked for again before the next hour,
# eod at night; then the contact rules checked per person by the test's own checker and by
# `collections check`. Also runs the dialler of the issue (the night's plan called as is).
# Prints the figures of both runs.
#   scripts/contact-rules-scenario.sh [scratch path]
set -eu
cd "$(dirname "$0")/.."
scratch="${1:-.build}"
LENDING_SCENARIO_FULL=1 swift test --scratch-path "$scratch" --filter ContactRulesScenarioTests 2>&1 \
    | grep -E "contact rules scenario|Test run with|✘"
