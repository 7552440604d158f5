import Testing
import LendingStore

@Test func moduleLinks() {}
