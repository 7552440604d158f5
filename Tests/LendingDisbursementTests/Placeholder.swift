import Testing
import LendingDisbursement

@Test func moduleLinks() {}
