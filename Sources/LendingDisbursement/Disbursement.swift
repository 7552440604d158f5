// LendingDisbursement: payout state machine (issue 5). Being written.
