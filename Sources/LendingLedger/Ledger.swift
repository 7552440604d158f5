// LendingLedger: double-entry journal (issue 5). Being written.
