import Testing
import LendingSimulation

@Test func moduleLinks() {}
