import LendingModel
import LendingServicing
import Testing

@Suite struct ScheduleTests {
    @Test func workedExampleThreeMonthsEqualInstallment() throws {
        // Worked by hand in Schedule.swift: level payment 3 435.23; interest 155.00, 94.08, 52.37.
        let installments = try Schedule.installments(principal: fen(1_000_000), apr: rate("0.1825"), months: 3,
                                                     method: .equalInstallment, dayCount: .actual365, disbursedOn: date("2026-01-15"))
        #expect(try Schedule.levelPayment(principal: fen(1_000_000), apr: rate("0.1825"), months: 3) == fen(343_523))
        #expect(installments.map(\.dueDate) == [date("2026-02-15"), date("2026-03-15"), date("2026-04-15")])
        #expect(installments.map(\.interestDue) == [fen(15_500), fen(9_408), fen(5_237)])
        #expect(installments.map(\.principalDue) == [fen(328_023), fen(334_115), fen(337_862)])
        #expect(installments.map(\.amountDue) == [fen(343_523), fen(343_523), fen(343_099)])
    }

    @Test func workedExampleTwelveMonthsFromJanuaryThirtyFirst() throws {
        // Monthly r = 0.015208333; (1 + r)^-12 = 0.834…; payment = 10 000 × r / (1 − 0.834…) = 917.990… → 917.99.
        // Feb 28 (28 days): 10 000 × 0.1825 × 28 / 365 = 140.00, principal 917.99 − 140.00 = 777.99, left 9 222.01.
        // Mar 31 (31 days): 9 222.01 × 0.1825 × 31 / 365 = 142.94, principal 775.05. Apr 30 (30 days): 126.70.
        // The last (Jan 31 2027) takes the principal left, 895.78, with 13.88 interest: 909.66.
        let installments = try Schedule.installments(principal: fen(1_000_000), apr: rate("0.1825"), months: 12,
                                                     method: .equalInstallment, dayCount: .actual365, disbursedOn: date("2026-01-31"))
        #expect(installments.map(\.dueDate.description) == [
            "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30", "2026-07-31",
            "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31", "2027-01-31",
        ])
        #expect(installments[0].interestDue == fen(14_000) && installments[0].principalDue == fen(77_799))
        #expect(installments[1].interestDue == fen(14_294) && installments[1].principalDue == fen(77_505))
        #expect(installments[2].interestDue == fen(12_670))
        #expect(installments[11].principalDue == fen(89_578) && installments[11].interestDue == fen(1_388))
        #expect(installments.dropLast().allSatisfy { $0.amountDue == fen(91_799) })
        #expect(sum(installments, \.principalDue) == fen(1_000_000))
    }

    @Test func dueDayTwentyNineToThirtyOneFollowsShortMonthsAndComesBack() {
        let leap = Schedule.dueDates(disbursedOn: date("2028-01-31"), months: 3).map(\.description)
        #expect(leap == ["2028-02-29", "2028-03-31", "2028-04-30"])
        let twentyNine = Schedule.dueDates(disbursedOn: date("2026-01-29"), months: 3).map(\.description)
        #expect(twentyNine == ["2026-02-28", "2026-03-29", "2026-04-29"])
        let december = Schedule.dueDates(disbursedOn: date("2026-12-30"), months: 2).map(\.description)
        #expect(december == ["2027-01-30", "2027-02-28"])
    }

    @Test func equalPrincipalTruncatesAndPutsTheRemainderLast() throws {
        // 10 000.00 / 3 = 3 333.33 (truncated), the last 3 333.34. Interest on 10 000.00, 6 666.67, 3 333.34:
        // 31 days 155.00; 28 days 6 666.67 × 0.1825 × 28 / 365 = 93.33; 31 days 3 333.34 × 0.1825 × 31 / 365 = 51.67.
        let installments = try Schedule.installments(principal: fen(1_000_000), apr: rate("0.1825"), months: 3,
                                                     method: .equalPrincipal, dayCount: .actual365, disbursedOn: date("2026-01-15"))
        #expect(installments.map(\.principalDue) == [fen(333_333), fen(333_333), fen(333_334)])
        #expect(installments.map(\.interestDue) == [fen(15_500), fen(9_333), fen(5_167)])
    }

    @Test func actual360ChargesMoreForTheSameDays() throws {
        // 10 000.00 × 0.1825 × 31 / 360 = 157.1527… → 157.15.
        let installments = try Schedule.installments(principal: fen(1_000_000), apr: rate("0.1825"), months: 3,
                                                     method: .equalPrincipal, dayCount: .actual360, disbursedOn: date("2026-01-15"))
        #expect(installments[0].interestDue == fen(15_715))
    }

    @Test func zeroRateSplitsThePrincipalEvenly() throws {
        let installments = try Schedule.installments(principal: fen(1_000), apr: .zero, months: 3, method: .equalInstallment,
                                                     dayCount: .actual365, disbursedOn: date("2026-01-15"))
        #expect(installments.map(\.principalDue) == [fen(333), fen(333), fen(334)])
        #expect(installments.allSatisfy { $0.interestDue == .zero })
    }

    @Test func rejectsBadPrincipalsAndTerms() {
        let start = date("2026-01-15")
        #expect(throws: ServicingError.self) { try Schedule.levelPayment(principal: .zero, apr: rate("0.1"), months: 3) }
        #expect(throws: ServicingError.self) {
            try Schedule.installments(principal: fen(100), apr: rate("0.1"), months: 0, method: .equalPrincipal, dayCount: .actual365, disbursedOn: start)
        }
        #expect(throws: ServicingError.self) {
            try Schedule.installments(principal: fen(100), apr: rate("0.1"), months: 601, method: .equalPrincipal, dayCount: .actual365, disbursedOn: start)
        }
        #expect(throws: ServicingError.self) {
            try Schedule.levelPayment(principal: Money(fen: Int64.max / 2), apr: rate("1"), months: 12)
        }
    }

    @Test func randomSchedulesSumToThePrincipalAndMatchAReferenceComputation() throws {
        var random = SplitMix64(seed: 20_261_121)
        for _ in 0..<3_000 {
            let principal = Int64(10_000 + random.next() % 49_990_001) // 100.00 ... 500 000.00 yuan
            let ppm = Int64(random.next() % 360_001) // 0 ... 36%
            let months = Int(1 + random.next() % 36)
            let method: ProductTerms.Method = random.next() % 2 == 0 ? .equalInstallment : .equalPrincipal
            let dayCount: ProductTerms.DayCount = random.next() % 4 == 0 ? .actual360 : .actual365
            let start = CalendarDay(daysSinceEpoch: 20_000 + Int(random.next() % 3_000))
            let installments = try Schedule.installments(principal: fen(principal), apr: AnnualRate(partsPerMillion: ppm), months: months,
                                                         method: method, dayCount: dayCount, disbursedOn: start)
            #expect(installments.count == months)
            #expect(sum(installments, \.principalDue) == fen(principal))
            #expect(installments.allSatisfy { $0.principalDue.fen >= 0 && $0.interestDue.fen >= 0 })

            // Reference: due dates by clamping the anchor day, interest with plain Int128 arithmetic.
            let (year, month, anchorDay) = start.components
            var previous = start
            var outstanding = Int128(principal)
            for (index, installment) in installments.enumerated() {
                let monthIndex = month - 1 + index + 1
                let dueYear = year + monthIndex / 12
                let dueMonth = monthIndex % 12 + 1
                var dueDay = anchorDay
                while CalendarDay(year: dueYear, month: dueMonth, day: dueDay) == nil { dueDay -= 1 }
                let due = CalendarDay(year: dueYear, month: dueMonth, day: dueDay)!
                #expect(installment.dueDate == due)
                let days = Int128(due.daysSinceEpoch - previous.daysSinceEpoch)
                let expected = roundHalfEven(outstanding * Int128(ppm) * days, Int128(dayCount.daysInYear) * 1_000_000)
                #expect(Int128(installment.interestDue.fen) == expected)
                outstanding -= Int128(installment.principalDue.fen)
                previous = due
            }
            #expect(outstanding == 0)

            // The level payment (or the even split) holds for every installment but the last, which absorbs the rounding.
            if method == .equalPrincipal || ppm == 0 {
                #expect(installments.dropLast().allSatisfy { $0.principalDue.fen == principal / Int64(months) })
            } else {
                let payment = try Schedule.levelPayment(principal: fen(principal), apr: AnnualRate(partsPerMillion: ppm), months: months)
                let r = Double(ppm) / 12_000_000
                let reference = Double(principal) * r / (1 - 1 / pow(1 + r, Double(months)))
                #expect(abs(Double(payment.fen) - reference) <= 0.51)
                #expect(installments.dropLast().allSatisfy { $0.amountDue == payment })
            }
        }
    }
}

private func pow(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    for _ in 0..<Int(exponent) { result *= base }
    return result
}
