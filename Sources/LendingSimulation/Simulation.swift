// LendingSimulation: synthetic applications with labelled fraud (issue 4). Being written.
