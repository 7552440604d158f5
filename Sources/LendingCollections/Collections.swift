// LendingCollections: early warning, collections strategy, portfolio metrics (issue 6). Being written.
