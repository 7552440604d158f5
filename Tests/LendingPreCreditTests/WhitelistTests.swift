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

    @Test func bandsGiveTheHighestBandReachedAndNothingBelowTheCutOff() {
        let bands = WhitelistBands(bands: [
            .init(minimumScore: 0, preCreditLimit: Money(yuan: "5000")!, segment: "C"),
            .init(minimumScore: 600, preCreditLimit: Money(yuan: "50000")!, segment: "A"),
            .init(minimumScore: 550, preCreditLimit: Money(yuan: "20000")!, segment: "B"),
        ])
        #expect(bands.band(for: 620, minimumScore: 500)?.segment == "A")
        #expect(bands.band(for: 600, minimumScore: 500)?.segment == "A")
        #expect(bands.band(for: 599.9, minimumScore: 500)?.segment == "B")
        #expect(bands.band(for: 520, minimumScore: 500)?.preCreditLimit == Money(yuan: "5000"))
        #expect(bands.band(for: 499, minimumScore: 500) == nil)
    }
}
