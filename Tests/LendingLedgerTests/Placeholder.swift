import Testing
import LendingLedger

@Test func moduleLinks() {}
