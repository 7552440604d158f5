import LendingCollections
import LendingModel
import LendingServicing
import LendingStorePorts

/// What post-loan reads off a servicing state: collections' snapshot, the repayment behaviour
/// behind the collection score, and the month-end snapshot of the portfolio report.
package enum LoanFigures {
    /// Everything the borrower has paid on the loan: principal, interest and penalty settled,
    /// overpayment held and recoveries after a write-off (promises are judged on its growth).
    package static func totalPaid(_ state: LoanState) -> Money {
        var paid = state.overpayment + state.recovered
        for installment in state.installments { paid += installment.principalPaid + installment.interestPaid + installment.penaltyPaid }
        return paid
    }

    /// Principal, interest and penalty fallen due and unpaid.
    package static func overdueAmount(_ state: LoanState) -> Money {
        var sum = Money.zero
        let end = min(state.nextDueIndex, state.installments.count)
        if state.firstUnsettledIndex < end {
            for index in state.firstUnsettledIndex..<end {
                let installment = state.installments[index]
                sum += installment.principalUnpaid + installment.interestUnpaid + installment.penaltyUnpaid
            }
        }
        return sum
    }

    package static func nextDueDate(_ state: LoanState) -> CalendarDay? {
        state.nextDueIndex < state.installments.count ? state.installments[state.nextDueIndex].dueDate : nil
    }

    /// Due (principal + interest) and paid against the due dates `from..<to` counted back from
    /// the last one fallen due (0..<3: the last three), and how many of them were paid in part.
    package static func dueAndPaid(_ state: LoanState, back range: Range<Int>) -> (due: Money, paid: Money, partial: Int) {
        var due = Money.zero, paid = Money.zero, partial = 0
        for back in range {
            let index = state.nextDueIndex - 1 - back
            guard index >= 0, index < state.installments.count else { continue }
            let installment = state.installments[index]
            let owed = installment.amountDue
            let settled = installment.principalPaid + installment.interestPaid
            due += owed
            paid += settled
            if settled.fen > 0 && settled < owed { partial += 1 }
        }
        return (due, paid, partial)
    }

    /// The first installment fell due and is not settled.
    package static func missedFirstPayment(_ state: LoanState) -> Bool {
        state.status == .active && state.nextDueIndex >= 1 && state.firstUnsettledIndex == 0 && state.daysPastDue > 0
    }

    package static func snapshot(_ state: LoanState, optOuts: OptOuts, utcOffsetSeconds: Int, score: Double) -> CollectionSnapshot {
        CollectionSnapshot(loanId: state.loanID, daysPastDue: state.daysPastDue, nextDueDate: nextDueDate(state),
                           overdueAmount: overdueAmount(state), outstandingBalance: state.payoffAmount, totalPaid: totalPaid(state),
                           insured: false, utcOffsetSeconds: utcOffsetSeconds, optOuts: optOuts, score: score)
    }

    package static func behaviour(_ state: LoanState, on day: CalendarDay, ladder: StoredLadder?, attempts: Int, conversations: Int,
                          line: CreditLine?) -> RepaymentBehaviour {
        let last3 = dueAndPaid(state, back: 0..<3)
        return RepaymentBehaviour(
            daysPastDue: state.daysPastDue, maxDaysPastDue: max(state.daysPastDue, ladder?.maxDaysPastDue ?? 0),
            monthsOnBook: max(0, YearMonth(state.disbursedOn).months(to: YearMonth(day))),
            brokenPromises: ladder?.state.brokenPromises ?? 0, keptPromises: ladder?.state.keptPromises ?? 0,
            dueLast3: last3.due, paidLast3: last3.paid, partialPaymentsLast3: last3.partial,
            contactAttemptsLast30Days: attempts, conversationsLast30Days: conversations,
            overdueAmount: overdueAmount(state), outstandingBalance: state.payoffAmount,
            drawn: line?.drawnPrincipal ?? .zero, limit: line?.limit ?? .zero)
    }

    /// The loan at a month end, for the portfolio report.
    package static func monthly(_ state: LoanState, month: YearMonth) -> MonthlyLoanSnapshot {
        let writtenOff = state.status == .writtenOff
        return MonthlyLoanSnapshot(loanId: state.loanID, originationMonth: YearMonth(state.disbursedOn), month: month,
                                   daysPastDue: state.daysPastDue,
                                   outstandingPrincipal: writtenOff ? (state.writtenOff?.principal ?? .zero) : state.outstandingPrincipal,
                                   originalPrincipal: state.principal, writtenOff: writtenOff)
    }
}

extension Instant {
    /// Local midnight starting `day` at a UTC offset.
    package static func startOf(_ day: CalendarDay, offsetSeconds: Int) -> Instant {
        Instant(secondsSinceEpoch: Int64(day.daysSinceEpoch) * 86_400 - Int64(offsetSeconds))
    }
}
