import LendingModel
import Testing

@Suite struct AnnualRateTests {
    @Test func parsesDecimalsExactly() {
        #expect(AnnualRate(decimal: "0.1825")?.partsPerMillion == 182_500)
        #expect(AnnualRate(decimal: "0.24")?.partsPerMillion == 240_000)
        #expect(AnnualRate(decimal: "1")?.partsPerMillion == 1_000_000)
        #expect(AnnualRate(decimal: "0.000001")?.partsPerMillion == 1)
        #expect(AnnualRate(decimal: "0.0000001") == nil)
        #expect(AnnualRate(decimal: "-0.1") == nil)
        #expect(AnnualRate(decimal: "") == nil)
        #expect(AnnualRate(decimal: "0.1.2") == nil)
    }

    @Test func formatsWithoutTrailingZeros() {
        #expect(AnnualRate(partsPerMillion: 182_500).decimalString == "0.1825")
        #expect(AnnualRate(partsPerMillion: 1_000_000).decimalString == "1")
        #expect(AnnualRate(partsPerMillion: 5).decimalString == "0.000005")
        #expect(AnnualRate(partsPerMillion: 0).decimalString == "0")
        #expect(AnnualRate(basisPoints: 1825).basisPoints == 1825)
    }

    @Test func interestRoundsHalfToEvenInTheLoanBooksFavourOfNeither() {
        // 10 000.00 yuan at 18.25% for 1 day of 365: 1 000 000 fen × 0.1825 / 365 = 500 fen exactly.
        #expect(AnnualRate(decimal: "0.1825")!.interest(on: Money(fen: 1_000_000), days: 1, daysInYear: 365) == Money(fen: 500))
        // 1 fen × 0.5 × 1 / 1 = 0.5 fen, half to even gives 0; 3 fen gives 1.5, rounded to 2.
        let half = AnnualRate(decimal: "0.5")!
        #expect(half.interest(on: Money(fen: 1), days: 1, daysInYear: 1) == Money(fen: 0))
        #expect(half.interest(on: Money(fen: 3), days: 1, daysInYear: 1) == Money(fen: 2))
        // Large principals do not overflow: 10^15 fen at 100% for 366 days of 365 is 1 002 739 726 027 397.26 fen.
        let big = AnnualRate(decimal: "1")!.interest(on: Money(fen: 1_000_000_000_000_000), days: 366, daysInYear: 365)
        #expect(big.fen == 1_002_739_726_027_397)
    }
}
