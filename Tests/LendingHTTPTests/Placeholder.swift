import Testing
import LendingHTTP

@Test func moduleLinks() {}
