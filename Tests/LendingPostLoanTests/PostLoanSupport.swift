import LendingMemoryStore
import LendingTestSupport

/// A fresh in-memory store with `count` installment loans L0.. approved, signed and (unless `pay`
/// is false) paid out on 2026-01-15, and the in-memory rail that paid them.
func bookWithLoans(_ count: Int, months: Int = 3, pay: Bool = true) throws -> (InMemoryStore, MemoryRail) {
    let rail = MemoryRail()
    return (try LoanBookFixtures.book(count, in: InMemoryStore(), rail: rail, months: months, pay: pay), rail)
}
