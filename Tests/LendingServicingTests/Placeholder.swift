import Testing
import LendingServicing

@Test func moduleLinks() {}
