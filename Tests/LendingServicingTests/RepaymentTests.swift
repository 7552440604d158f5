import LendingLedger
import LendingModel
import LendingServicing
import Testing

/// A loan with its ledger (the disbursement posted).
struct Book {
    var state: LoanState
    var ledger: LedgerBalances
    let terms: ProductTerms

    init(_ principal: Int64 = 1_000_000, months: Int = 3, on day: String = "2026-01-15", terms: ProductTerms = standardTerms) {
        let opened = try! Servicing.disburse(loanID: "L1", principal: fen(principal), months: months, on: date(day), terms: terms)
        state = opened.state
        ledger = LedgerBalances([opened.entry])
        self.terms = terms
    }

    @discardableResult
    mutating func endOfDay(_ day: String) -> Servicing.EndOfDayResult {
        runEndOfDay(&state, through: date(day), terms: terms, ledger: &ledger)
    }

    @discardableResult
    mutating func pay(_ amount: Int64, on day: String, id: String = "P1") throws -> Servicing.RepaymentResult {
        let result = try Servicing.repay(state, payment: Payment(id: id, loanID: "L1", date: date(day), amount: fen(amount)), terms: terms)
        for entry in result.entries {
            try entry.validate()
            ledger.post(entry)
        }
        state = result.state
        return result
    }
}

@Suite struct RepaymentTests {
    @Test func aPaymentOnTheDueDatePaysTheWholeInstallment() throws {
        var book = Book()
        let result = try book.pay(343_523, on: "2026-02-15")
        #expect(result.entries.count == 32) // 31 catch-up accruals, then the repayment
        #expect(result.repaymentEntry.id == "repay:P1")
        #expect(result.repaymentEntry.postings == [
            .debit(.fundingCash, fen(343_523)), .credit(AccountID(loan: "L1", .interestReceivable), fen(15_500)),
            .credit(AccountID(loan: "L1", .principalReceivable), fen(328_023)),
        ])
        #expect(result.allocation.lines == [
            Allocation.Line(installment: 1, component: .interest, amount: fen(15_500)),
            Allocation.Line(installment: 1, component: .principal, amount: fen(328_023)),
        ])
        #expect(result.principalRepaid == fen(328_023))
        #expect(book.state.firstUnsettledIndex == 1)
        #expect(book.state.outstandingPrincipal == fen(671_977))
        #expect(book.ledger.loan("L1") == book.state.ledgerBalances)
        book.endOfDay("2026-02-16")
        #expect(book.state.daysPastDue == 0 && book.state.bucket == "current")
    }

    @Test func partialPaymentsGoOldestInstallmentFirstPenaltyThenInterestThenPrincipal() throws {
        var book = Book()
        book.endOfDay("2026-03-20")
        let before = book.state.installments
        let first = before[0].penaltyUnpaid + before[0].interestUnpaid + before[0].principalUnpaid
        let result = try book.pay(first.fen + 5_000, on: "2026-03-20")
        #expect(result.allocation.lines == [
            Allocation.Line(installment: 1, component: .penalty, amount: before[0].penaltyUnpaid),
            Allocation.Line(installment: 1, component: .interest, amount: fen(15_500)),
            Allocation.Line(installment: 1, component: .principal, amount: fen(328_023)),
            Allocation.Line(installment: 2, component: .penalty, amount: before[1].penaltyUnpaid),
            Allocation.Line(installment: 2, component: .interest, amount: fen(5_000) - before[1].penaltyUnpaid),
        ])
        // Mar 15 is now the oldest unpaid due date: 5 days past due.
        #expect(book.state.daysPastDue == 5 && book.state.bucket == "4-15")
        #expect(book.ledger.loan("L1") == book.state.ledgerBalances)
    }

    @Test func theAlternativeOrderPaysAllPenaltyThenAllInterestBeforeAnyPrincipal() throws {
        var book = Book(terms: ProductTerms(apr: rate("0.1825"), allocation: .penaltyThenInterestThenPrincipal))
        book.endOfDay("2026-03-20")
        let before = book.state.installments
        let result = try book.pay(100_000, on: "2026-03-20")
        let penalties = before[0].penaltyUnpaid + before[1].penaltyUnpaid
        #expect(result.allocation.lines == [
            Allocation.Line(installment: 1, component: .penalty, amount: before[0].penaltyUnpaid),
            Allocation.Line(installment: 2, component: .penalty, amount: before[1].penaltyUnpaid),
            Allocation.Line(installment: 1, component: .interest, amount: fen(15_500)),
            Allocation.Line(installment: 2, component: .interest, amount: fen(9_408)),
            Allocation.Line(installment: 1, component: .principal, amount: fen(100_000) - penalties - fen(24_908)),
        ])
        #expect(result.allocation.total == fen(100_000))
    }

    @Test func prepaymentPaysAccruedInterestThenPrincipalAndReamortizesOverTheSameDates() throws {
        var book = Book()
        // Feb 1: 17 days accrued, 85.00. Pay 5 000.00: 85.00 interest, 4 915.00 principal; 5 085.00 left.
        let result = try book.pay(500_000, on: "2026-02-01")
        #expect(result.allocation.lines == [
            Allocation.Line(installment: 1, component: .interest, amount: fen(8_500), early: true),
            Allocation.Line(installment: 1, component: .principal, amount: fen(491_500), early: true),
        ])
        #expect(result.allocation.prepaidPrincipal == fen(491_500))
        let installments = book.state.installments
        #expect(installments.map(\.dueDate) == [date("2026-02-15"), date("2026-03-15"), date("2026-04-15")])
        // Rest of period 1 (14 days) on 5 085.00: 5 085.00 × 0.1825 × 14 / 365 = 35.595 → 35.60 (half to even).
        #expect(installments[0].accrualBase == fen(8_500) && installments[0].accrualStart == date("2026-02-01"))
        #expect(installments[0].interestDue == fen(12_060))
        #expect(sum(installments, \.principalDue) == fen(508_500))
        #expect(book.state.outstandingPrincipal == fen(508_500))
        // The new level payment on 5 085.00 over 3 months is paid in each of the first two.
        let payment = try Schedule.levelPayment(principal: fen(508_500), apr: rate("0.1825"), months: 3)
        #expect(installments[1].amountDue == payment)
        let period = book.endOfDay("2026-02-15")
        #expect(period.entries.reduce(Money.zero) { $0 + $1.total } == fen(3_560))
        #expect(book.state.installments[0].interestAccrued == fen(12_060))
        #expect(book.state.installments[0].interestUnpaid == fen(3_560))
        #expect(book.ledger.loan("L1") == book.state.ledgerBalances)
    }

    @Test func payingThePayoffAmountClosesTheLoan() throws {
        var book = Book()
        book.endOfDay("2026-03-20")
        let payoff = book.state.payoffAmount
        let result = try book.pay(payoff.fen, on: "2026-03-20")
        #expect(book.state.status == .paidOff)
        #expect(book.state.closedOn == date("2026-03-20"))
        #expect(result.events.contains(.paidOff(date: date("2026-03-20"))))
        #expect(result.allocation.overpayment == .zero)
        #expect(book.ledger.loan("L1") == .zero)
        #expect(book.state.ledgerBalances == .zero)
        #expect(Servicing.endOfDay(book.state, asOf: date("2026-05-01"), terms: book.terms).entries.isEmpty)
    }

    @Test func moneyBeyondThePayoffIsHeldForTheBorrower() throws {
        var book = Book()
        let result = try book.pay(1_100_000, on: "2026-01-20")
        // 5 days of interest (25.00) + 10 000.00 principal; 975.00 held.
        #expect(result.allocation.interest == fen(2_500))
        #expect(result.allocation.principal == fen(1_000_000))
        #expect(result.allocation.overpayment == fen(97_500))
        #expect(book.state.status == .paidOff)
        #expect(book.ledger.loan("L1") == LoanBalances(overpayment: fen(97_500)))
        let again = try book.pay(1_000, on: "2026-01-21", id: "P2")
        #expect(again.allocation.overpayment == fen(1_000))
        #expect(book.state.overpayment == fen(98_500))
    }

    @Test func theSuspenseRuleHoldsTheExcessAndAppliesItWhenInstallmentsFallDue() throws {
        var book = Book(terms: ProductTerms(apr: rate("0.1825"), overpayment: .suspense))
        let paid = try book.pay(500_000, on: "2026-02-01")
        #expect(paid.allocation.overpayment == fen(500_000))
        #expect(paid.repaymentEntry.postings == [.debit(.fundingCash, fen(500_000)), .credit(AccountID(loan: "L1", .overpayment), fen(500_000))])
        let due = book.endOfDay("2026-02-15")
        let applied = try #require(due.entries.last)
        #expect(applied.id == "apply:L1:2026-02-15")
        #expect(applied.kind == .overpaymentApplied)
        #expect(applied.postings == [
            .debit(AccountID(loan: "L1", .overpayment), fen(343_523)), .credit(AccountID(loan: "L1", .interestReceivable), fen(15_500)),
            .credit(AccountID(loan: "L1", .principalReceivable), fen(328_023)),
        ])
        #expect(due.principalRepaid == fen(328_023))
        #expect(book.state.overpayment == fen(156_477))
        let next = book.endOfDay("2026-03-15")
        #expect(next.entries.last?.total == fen(156_477))
        #expect(book.state.overpayment == .zero)
        #expect(book.state.installments[1].interestPaid == fen(9_408))
        #expect(book.state.installments[1].principalPaid == fen(156_477 - 9_408))
        #expect(book.ledger.loan("L1") == book.state.ledgerBalances)
        book.endOfDay("2026-03-16")
        #expect(book.state.daysPastDue == 1)
    }

    @Test func memoInterestIsCreditedToIncomeWhenPaid() throws {
        var book = Book(terms: ProductTerms(apr: rate("0.1825"), nonAccrualAfterDays: 5))
        book.endOfDay("2026-03-01")
        #expect(book.state.nonAccrual)
        let memoInterest = book.state.memoInterest
        let memoPenalty = book.state.memoPenalty
        #expect(memoInterest.fen > 0 && memoPenalty.fen > 0)
        let result = try book.pay(book.state.payoffAmount.fen, on: "2026-03-01")
        #expect(result.repaymentEntry.postings.contains(.credit(.interestIncome, memoInterest)))
        #expect(result.repaymentEntry.postings.contains(.credit(.penaltyIncome, memoPenalty)))
        #expect(book.state.status == .paidOff)
        #expect(book.state.memoInterest == .zero && book.state.memoPenalty == .zero)
        #expect(book.ledger.loan("L1") == .zero)
        #expect(book.ledger.total == .zero)
    }

    @Test func aLoanBackToCurrentLeavesNonAccrual() throws {
        var book = Book(terms: ProductTerms(apr: rate("0.1825"), nonAccrualAfterDays: 5))
        book.endOfDay("2026-03-01")
        let due = book.state.installments[0]
        let result = try book.pay((due.penaltyUnpaid + due.interestUnpaid + due.principalUnpaid).fen, on: "2026-03-01")
        #expect(!book.state.nonAccrual)
        #expect(result.events.contains(.leftNonAccrual(date: date("2026-03-01"))))
        let next = book.endOfDay("2026-03-02")
        #expect(next.entries.count == 1) // recognised again
    }

    @Test func refusesBadPayments() throws {
        var book = Book()
        book.endOfDay("2026-02-01")
        #expect(throws: ServicingError.self) { try book.pay(100, on: "2026-01-31") }
        #expect(throws: ServicingError.self) { try book.pay(0, on: "2026-02-01") }
        #expect(throws: ServicingError.self) {
            try Servicing.repay(book.state, payment: Payment(id: "P", loanID: "L2", date: date("2026-02-01"), amount: fen(1)), terms: standardTerms)
        }
        do {
            try book.pay(100, on: "2026-01-31")
        } catch let error as ServicingError {
            #expect(error.code == "servicing.backdated")
            #expect(error.message.contains("P1") && error.message.contains("2026-02-01"))
        }
    }

    @Test func writeOffMovesEveryReceivableToExpenseAndLaterCashIsARecovery() throws {
        var book = Book()
        book.endOfDay("2026-06-01")
        let before = book.state.ledgerBalances
        let result = try Servicing.writeOff(book.state, on: date("2026-06-01"), terms: book.terms)
        let entry = try #require(result.entries.last)
        #expect(entry.id == "writeoff:L1" && entry.kind == .writeOff)
        #expect(entry.total == before.principal + before.interest + before.penalty)
        for posted in result.entries { book.ledger.post(posted) }
        book.state = result.state
        #expect(book.state.status == .writtenOff)
        #expect(book.state.writtenOff == before)
        #expect(book.ledger.loan("L1") == .zero && book.state.ledgerBalances == .zero)
        #expect(book.ledger.balance(of: .writeOffExpense) == entry.total)
        let recovery = try book.pay(50_000, on: "2026-06-10")
        #expect(recovery.allocation.recovery == fen(50_000))
        #expect(recovery.repaymentEntry.postings == [.debit(.fundingCash, fen(50_000)), .credit(.writeOffExpense, fen(50_000))])
        #expect(book.state.recovered == fen(50_000))
        #expect(throws: ServicingError.self) { try Servicing.writeOff(book.state, on: date("2026-06-10"), terms: book.terms) }
    }
}
