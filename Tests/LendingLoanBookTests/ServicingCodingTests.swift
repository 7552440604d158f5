import LendingModel
import LendingServicing
import LendingTestSupport
import Testing
import LendingStorePorts

/// Loans in random states: random products, end of day over random stretches, random payments.
func randomLoanStates(seed: UInt64, count: Int) throws -> [LoanState] {
    var random = SplitMix64(seed: seed)
    var states: [LoanState] = []
    for index in 0..<count {
        let terms = ProductTerms(method: random.next() % 2 == 0 ? .equalInstallment : .equalPrincipal,
                                 apr: AnnualRate(partsPerMillion: Int64(random.next() % 300_001)),
                                 graceDays: Int(random.next() % 5), nonAccrualAfterDays: Int(5 + random.next() % 60),
                                 overpayment: random.next() % 2 == 0 ? .prepay : .suspense)
        let start = CalendarDay(daysSinceEpoch: 20_000 + Int(random.next() % 1_000))
        var state = try Servicing.disburse(loanID: "L-\(seed)-\(index)", principal: Money(fen: Int64(1_000 + random.next() % 10_000_000)),
                                           months: Int(1 + random.next() % 24), on: start, terms: terms,
                                           lineID: random.next() % 3 == 0 ? "LINE-\(index)" : nil).state
        var day = start
        for step in 0..<Int(random.next() % 8) {
            day = day.adding(days: Int(random.next() % 40))
            if random.next() % 2 == 0 {
                state = Servicing.endOfDay(state, asOf: day, terms: terms).state
            } else {
                let amount = Money(fen: Int64(1 + random.next() % 400_000))
                state = try Servicing.repay(state, payment: Payment(id: "P\(step)", loanID: state.loanID, date: day, amount: amount), terms: terms).state
            }
        }
        if random.next() % 10 == 0, state.status == .active { state = try Servicing.writeOff(state, on: day.adding(days: 1), terms: terms).state }
        states.append(state)
    }
    return states
}

@Suite struct ServicingCodingTests {
    @Test func everyStateComesBackExactlyFromItsRecordAndDailyFields() throws {
        var seen: Set<LoanStatus> = []
        for seed in UInt64(1)...40 {
            for state in try randomLoanStates(seed: seed, count: 50) {
                let (record, daily) = LoanStateCoding.split(state)
                #expect(try LoanStateCoding.join(record: record, daily: daily) == state)
                seen.insert(state.status)
            }
        }
        #expect(seen == [.active, .paidOff, .writtenOff])
    }

    @Test func anOrdinaryDayChangesOnlyTheDailyFields() throws {
        let terms = ProductTerms(apr: AnnualRate(decimal: "0.1825")!)
        let opened = try Servicing.disburse(loanID: "L1", principal: Money(fen: 1_000_000), months: 3, on: CalendarDay(iso: "2026-01-15")!, terms: terms).state
        let (before, _) = LoanStateCoding.split(opened)
        let nextDay = Servicing.endOfDay(opened, asOf: CalendarDay(iso: "2026-01-16")!, terms: terms).state
        let (after, daily) = LoanStateCoding.split(nextDay)
        #expect(after == before)
        #expect(daily.currentInterestAccrued == Money(fen: 500))
        #expect(daily.interestReceivable == Money(fen: 500))
        let dueDay = Servicing.endOfDay(nextDay, asOf: CalendarDay(iso: "2026-02-15")!, terms: terms).state
        #expect(LoanStateCoding.split(dueDay).record != before)
    }

    @Test func hardshipPausesRoundTripAndOnlyAPausedLoanWritesVersionTwo() throws {
        for (index, var state) in try randomLoanStates(seed: 7, count: 30).enumerated() {
            #expect(LoanStateCoding.split(state).record.first == 1, "a loan without a pause keeps the version 1 record")
            let from = state.disbursedOn.adding(days: index * 3 - 10)
            state.agingPauses = [AgingPause(from: from, through: from.adding(days: index)),
                                 AgingPause(from: from.adding(days: index + 40), through: from.adding(days: index + 100))]
            let (record, daily) = LoanStateCoding.split(state)
            #expect(record.first == 2)
            #expect(try LoanStateCoding.join(record: record, daily: daily) == state)
            #expect(throws: LendingError.self) { try LoanStateCoding.join(record: Array(record.dropLast()), daily: daily) }
        }
    }

    @Test func aDamagedRecordIsAClearError() throws {
        let state = try randomLoanStates(seed: 3, count: 1)[0]
        let (record, daily) = LoanStateCoding.split(state)
        for cut in [0, 1, record.count / 2, record.count - 1] {
            #expect(throws: LendingError.self) { try LoanStateCoding.join(record: Array(record.prefix(cut)), daily: daily) }
        }
        #expect(throws: LendingError.self) { try LoanStateCoding.join(record: record + [0], daily: daily) }
        var wrongVersion = record
        wrongVersion[0] = 9
        #expect(throws: LendingError.self) { try LoanStateCoding.join(record: wrongVersion, daily: daily) }
    }
}
