import LendingModel
import LendingPreCredit
import Testing

let entry = WhitelistEntry(idNumberKey: "k", preCreditLimit: Money(yuan: "8000.00")!, segment: "A",
                           validUntil: CalendarDay(iso: "2026-12-31")!)

@Suite struct WhitelistTests {
    @Test func onlyInvitedUnexpiredApplicantsPass() {
        #expect(WhitelistCheck.check(nil, on: CalendarDay(iso: "2026-11-22")!) == .declined("WL_NOT_INVITED"))
        #expect(WhitelistCheck.check(entry, on: CalendarDay(iso: "2026-12-31")!) == .invited(limitCap: Money(fen: 800_000), segment: "A"))
        #expect(WhitelistCheck.check(entry, on: CalendarDay(iso: "2027-01-01")!) == .declined("WL_EXPIRED"))
        var empty = entry
        empty.preCreditLimit = .zero
        #expect(WhitelistCheck.check(empty, on: CalendarDay(iso: "2026-11-22")!) == .declined("WL_NO_LIMIT"))
    }

    @Test func theApprovedLimitNeverExceedsThePreCreditLimit() {
        let cap = Money(yuan: "8000.00")!
        for matrix in stride(from: 0, through: 2_000_000, by: 12_345) {
            for requested in [Money(fen: 0), Money(fen: 500_050), Money(fen: 900_000), Money(fen: 2_000_000)] {
                let limit = WhitelistCheck.approvedLimit(matrixLimit: Money(fen: Int64(matrix)), preCreditLimit: cap, requested: requested)
                #expect(limit <= cap && limit <= requested && limit.fen <= Int64(matrix))
                #expect(limit.fen % 10_000 == 0)
            }
        }
        #expect(WhitelistCheck.approvedLimit(matrixLimit: Money(fen: 1_234_567), preCreditLimit: cap, requested: Money(fen: 650_099)) == Money(fen: 650_000))
    }
}
