import Testing
import LendingCollections

@Test func moduleLinks() {}
