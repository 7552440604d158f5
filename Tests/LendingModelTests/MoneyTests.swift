import LendingModel
import Testing

@Suite struct MoneyTests {
    @Test func parsesYuanWithUpToTwoDecimals() {
        #expect(Money(yuan: "5000.00")?.fen == 500_000)
        #expect(Money(yuan: "12.5")?.fen == 1_250)
        #expect(Money(yuan: "-3")?.fen == -300)
        #expect(Money(yuan: "0.07")?.fen == 7)
    }

    @Test func rejectsThirdDecimalAndGarbage() {
        #expect(Money(yuan: "1.005") == nil)
        #expect(Money(yuan: "") == nil)
        #expect(Money(yuan: "1,000") == nil)
        #expect(Money(yuan: ".") == nil)
        #expect(Money(yuan: "92233720368547758.08") == nil)
    }

    @Test func formatsWithTwoDecimals() {
        #expect(Money(fen: 500_000).yuanString == "5000.00")
        #expect(Money(fen: -7).yuanString == "-0.07")
        #expect(Money(fen: 1_250).yuanString == "12.50")
    }

    @Test func bankersDivideRoundsHalfToEven() {
        #expect(Money.bankersDivide(5, by: 2) == 2)
        #expect(Money.bankersDivide(7, by: 2) == 4)
        #expect(Money.bankersDivide(-5, by: 2) == -2)
        #expect(Money.bankersDivide(-7, by: 2) == -4)
        #expect(Money.bankersDivide(10, by: 3) == 3)
        #expect(Money.bankersDivide(11, by: 3) == 4)
    }
}

@Suite struct CalendarDayTests {
    @Test func roundTripsThroughComponents() {
        var day = CalendarDay(year: 1899, month: 12, day: 31)!
        for _ in 0..<100_000 {
            let (y, m, d) = day.components
            #expect(CalendarDay(year: y, month: m, day: d) == day)
            day = day.adding(days: 1)
        }
    }

    @Test func knowsTheEpochAndLeapDays() {
        #expect(CalendarDay(year: 1970, month: 1, day: 1)?.daysSinceEpoch == 0)
        #expect(CalendarDay(year: 2024, month: 2, day: 29) != nil)
        #expect(CalendarDay(year: 2026, month: 2, day: 29) == nil)
        #expect(CalendarDay(year: 1900, month: 2, day: 29) == nil)
        #expect(CalendarDay(year: 2000, month: 2, day: 29) != nil)
    }

    @Test func parsesIsoDatesAndDateTimes() {
        #expect(CalendarDay(iso: "2026-11-21")?.description == "2026-11-21")
        #expect(CalendarDay(iso: "2026-11-21T09:30:00+08:00")?.description == "2026-11-21")
        #expect(CalendarDay(iso: "2026-13-01") == nil)
        #expect(CalendarDay(iso: "2026-1-01") == nil)
    }

    @Test func countsDaysBetweenDates() {
        let start = CalendarDay(iso: "2026-01-31")!
        #expect(start.days(to: CalendarDay(iso: "2026-03-01")!) == 29)
    }
}
