import LendingLedger
import LendingModel
import LendingServicing
import Testing

@Suite struct EndOfDayTests {
    @Test func accruesEachDayAfterDisbursementAndReachesThePeriodInterestOnTheDueDate() {
        // Disbursed Jan 15, due Feb 15: 31 accrual days (Jan 16 ... Feb 15), 155.00 in all, 5.00 a day.
        var state = loan()
        var ledger = LedgerBalances()
        let sameDay = runEndOfDay(&state, through: date("2026-01-15"), terms: standardTerms, ledger: &ledger)
        #expect(sameDay.entries.isEmpty)
        let result = runEndOfDay(&state, through: date("2026-02-15"), terms: standardTerms, ledger: &ledger)
        #expect(result.entries.count == 31)
        #expect(result.entries.allSatisfy { $0.total == fen(500) && $0.kind == .accrual })
        #expect(result.entries.first?.id == "accrue:L1:2026-01-16")
        #expect(result.entries.last?.id == "accrue:L1:2026-02-15")
        #expect(state.installments[0].interestAccrued == fen(15_500))
        #expect(state.interestReceivable == fen(15_500))
        #expect(ledger.loan("L1").interest == fen(15_500))
        #expect(ledger.balance(of: .interestIncome) == fen(-15_500))
        #expect(result.events == [.installmentDue(number: 1, date: date("2026-02-15"))])
        #expect(state.nextDueIndex == 1)
        #expect(state.daysPastDue == 0 && state.bucket == "current")
    }

    @Test func dailyAmountsUseCumulativeRoundingAndSumExactlyToThePeriod() {
        // 94.08 over 28 days is 3.36 a day exactly; 52.37 over 31 days is not: 1.689… a day.
        var state = loan()
        var ledger = LedgerBalances()
        runEndOfDay(&state, through: date("2026-03-15"), terms: standardTerms, ledger: &ledger)
        let april = Servicing.endOfDay(state, asOf: date("2026-04-15"), terms: standardTerms)
        // The loan is overdue, so penalty accrues too: read the interest leg (the first posting).
        let amounts = april.entries.map(\.postings[0].amount.fen)
        #expect(april.entries.allSatisfy { $0.postings[0].account == AccountID(loan: "L1", .interestReceivable) })
        #expect(amounts.count == 31)
        #expect(amounts.reduce(0, +) == 5_237)
        #expect(Set(amounts) == [169, 168])
        // Through day k the loan has accrued round(5 237 × k / 31): day 1 is 168.9 → 169.
        #expect(amounts[0] == 169)
        var running: Int64 = 0
        for (index, amount) in amounts.enumerated() {
            running += amount
            #expect(Int128(running) == roundHalfEven(5_237 * Int128(index + 1), 31))
        }
    }

    @Test func runningADateTwiceChangesNothing() {
        let first = Servicing.endOfDay(loan(), asOf: date("2026-02-20"), terms: standardTerms)
        let second = Servicing.endOfDay(first.state, asOf: date("2026-02-20"), terms: standardTerms)
        #expect(second.entries.isEmpty && second.events.isEmpty)
        #expect(second.state == first.state)
        let earlier = Servicing.endOfDay(first.state, asOf: date("2026-02-01"), terms: standardTerms)
        #expect(earlier.entries.isEmpty && earlier.state == first.state)
    }

    @Test func catchingUpMissedDaysEqualsRunningThemOneByOne() {
        let start = Servicing.endOfDay(loan(), asOf: date("2026-02-10"), terms: standardTerms).state
        let caughtUp = Servicing.endOfDay(start, asOf: date("2026-02-25"), terms: standardTerms)
        var state = start
        var entries: [JournalEntry] = []
        var events: [LoanEvent] = []
        for offset in 1...15 {
            let result = Servicing.endOfDay(state, asOf: date("2026-02-10").adding(days: offset), terms: standardTerms)
            entries += result.entries
            events += result.events
            state = result.state
        }
        #expect(caughtUp.state == state)
        #expect(caughtUp.entries == entries)
        #expect(caughtUp.events == events)
    }

    @Test func daysPastDueCountFromTheOldestUnpaidInstallmentAndMoveThroughBuckets() {
        var state = loan()
        var ledger = LedgerBalances()
        runEndOfDay(&state, through: date("2026-02-15"), terms: standardTerms, ledger: &ledger)
        let next = runEndOfDay(&state, through: date("2026-02-16"), terms: standardTerms, ledger: &ledger)
        #expect(state.daysPastDue == 1)
        #expect(next.events == [.bucketChanged(from: "current", to: "1-3", date: date("2026-02-16"))])
        runEndOfDay(&state, through: date("2026-03-20"), terms: standardTerms, ledger: &ledger)
        // Feb 15 to Mar 20 is 33 days; the second installment (Mar 15) is unpaid too but younger.
        #expect(state.daysPastDue == 33)
        #expect(state.bucket == "31-60")
        #expect(state.firstUnsettledIndex == 0 && state.nextDueIndex == 2)
    }

    @Test func penaltyAccruesOnOverduePrincipalOnlyAfterTheGraceDays() {
        // Overdue principal 3 280.23 at 1.5 × 18.25% = 27.375%: 3 280.23 × 0.27375 / 365 = 2.46017 → 2.46 a day.
        var state = loan()
        var ledger = LedgerBalances()
        runEndOfDay(&state, through: date("2026-02-15"), terms: standardTerms, ledger: &ledger)
        #expect(standardTerms.penaltyRate == rate("0.27375"))
        let grace = runEndOfDay(&state, through: date("2026-02-18"), terms: standardTerms, ledger: &ledger)
        #expect(grace.entries.allSatisfy { $0.postings.count == 2 })
        let fourth = runEndOfDay(&state, through: date("2026-02-19"), terms: standardTerms, ledger: &ledger)
        #expect(fourth.entries.count == 1)
        #expect(fourth.entries[0].postings.count == 4)
        #expect(fourth.entries[0].postings[2] == .debit(AccountID(loan: "L1", .penaltyReceivable), fen(246)))
        #expect(fourth.entries[0].postings[3] == .credit(.penaltyIncome, fen(246)))
        #expect(state.penaltyReceivable == fen(246))
        #expect(state.installments[0].penaltyAccrued == fen(246))
        #expect(ledger.loan("L1").penalty == fen(246))
    }

    @Test func nonAccrualKeepsInterestAndPenaltyAsMemoAndPostsNothing() {
        let terms = ProductTerms(apr: rate("0.1825"), nonAccrualAfterDays: 10)
        let opened = try! Servicing.disburse(loanID: "L1", principal: fen(1_000_000), months: 3, on: date("2026-01-15"), terms: terms)
        var state = opened.state
        var ledger = LedgerBalances([opened.entry])
        runEndOfDay(&state, through: date("2026-02-25"), terms: terms, ledger: &ledger)
        #expect(state.daysPastDue == 10 && !state.nonAccrual)
        let entering = runEndOfDay(&state, through: date("2026-02-26"), terms: terms, ledger: &ledger)
        #expect(state.nonAccrual)
        #expect(entering.events.contains(.enteredNonAccrual(date: date("2026-02-26"))))
        let receivable = state.interestReceivable
        let penalty = state.penaltyReceivable
        let after = runEndOfDay(&state, through: date("2026-03-05"), terms: terms, ledger: &ledger)
        #expect(after.entries.isEmpty)
        #expect(state.interestReceivable == receivable && state.penaltyReceivable == penalty)
        #expect(state.memoInterest.fen > 0 && state.memoPenalty.fen > 0)
        // Every fen accrued is either recognised or memo.
        #expect(sum(state.installments, \.interestAccrued) == state.interestReceivable + state.memoInterest)
        #expect(sum(state.installments, \.penaltyAccrued) == state.penaltyReceivable + state.memoPenalty)
        #expect(ledger.loan("L1") == state.ledgerBalances)
    }

    @Test func nothingAccruesAfterMaturityButPenalty() {
        var state = loan()
        var ledger = LedgerBalances()
        runEndOfDay(&state, through: date("2026-04-15"), terms: standardTerms, ledger: &ledger)
        let interest = state.installments.map(\.interestAccrued)
        #expect(interest == state.installments.map(\.interestDue))
        runEndOfDay(&state, through: date("2026-05-15"), terms: standardTerms, ledger: &ledger)
        #expect(state.installments.map(\.interestAccrued) == interest)
        #expect(state.daysPastDue == 89)
        #expect(state.penaltyReceivable.fen > 0)
    }

    @Test func theInPlaceFormMatchesTheValueFormAndReusesItsBuffers() {
        var state = loan()
        var output = Servicing.Output()
        Servicing.endOfDay(&state, asOf: date("2026-02-15"), terms: standardTerms, into: &output)
        let value = Servicing.endOfDay(loan(), asOf: date("2026-02-15"), terms: standardTerms)
        #expect(state == value.state)
        #expect(output.entries == value.entries && output.events == value.events)
        output.removeAll()
        #expect(output.entries.isEmpty && output.entries.capacity >= 31)
    }

    @Test func paidOffAndWrittenOffLoansOnlyAdvanceTheirDate() throws {
        let state = loan()
        let written = try Servicing.writeOff(Servicing.endOfDay(state, asOf: date("2026-03-01"), terms: standardTerms).state,
                                             on: date("2026-03-01"), terms: standardTerms).state
        let later = Servicing.endOfDay(written, asOf: date("2026-06-01"), terms: standardTerms)
        #expect(later.entries.isEmpty && later.events.isEmpty)
        #expect(later.state.processedThrough == date("2026-06-01"))
        #expect(later.state.installments == written.installments)
    }
}
