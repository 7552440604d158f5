import Hummingbird

// LendingHTTP: lending serve (issue 7). Being written.
