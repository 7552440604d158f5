import LendingLedger
import LendingModel

/// What one allocation took from each balance, to build its journal entry.
struct Settlement {
    var penaltyReceivable = Money.zero
    var penaltyMemo = Money.zero
    var interestReceivable = Money.zero
    var interestMemo = Money.zero
    var principal = Money.zero

    var total: Money { penaltyReceivable + penaltyMemo + interestReceivable + interestMemo + principal }

    /// The credit legs (recognised amounts against receivables, memo amounts straight to income).
    func credits(loanID: String) -> [Posting] {
        var postings: [Posting] = []
        postings.reserveCapacity(5)
        if penaltyReceivable.fen > 0 { postings.append(.credit(AccountID(loan: loanID, .penaltyReceivable), penaltyReceivable)) }
        if penaltyMemo.fen > 0 { postings.append(.credit(.penaltyIncome, penaltyMemo)) }
        if interestReceivable.fen > 0 { postings.append(.credit(AccountID(loan: loanID, .interestReceivable), interestReceivable)) }
        if interestMemo.fen > 0 { postings.append(.credit(.interestIncome, interestMemo)) }
        if principal.fen > 0 { postings.append(.credit(AccountID(loan: loanID, .principalReceivable), principal)) }
        return postings
    }
}

extension LoanState {
    /// End of day for every day after `processedThrough` through `asOf`.
    mutating func catchUp(through asOf: CalendarDay, terms: ProductTerms, output: inout Servicing.Output) {
        guard asOf > processedThrough else { return }
        guard status == .active else {
            processedThrough = asOf
            return
        }
        var day = processedThrough.adding(days: 1)
        while day <= asOf {
            runDay(day, terms: terms, output: &output)
            processedThrough = day
            if status != .active {
                processedThrough = asOf
                return
            }
            day = day.adding(days: 1)
        }
    }

    /// One day's end of day (see ``Servicing/endOfDay(_:asOf:terms:)`` for the order of steps).
    private mutating func runDay(_ day: CalendarDay, terms: ProductTerms, output: inout Servicing.Output) {
        var interest = Money.zero
        if nextDueIndex < installments.count {
            let accrued = installments[nextDueIndex].interestAccrued(through: day)
            interest = accrued - installments[nextDueIndex].interestAccrued
            installments[nextDueIndex].interestAccrued = accrued
        }
        var penalty = Money.zero
        if firstUnsettledIndex < nextDueIndex, terms.penaltyRate.partsPerMillion > 0 {
            let daysInYear = terms.dayCount.daysInYear
            for index in firstUnsettledIndex..<nextDueIndex {
                // Installments fall due in date order: once one is within grace, so are the rest.
                guard installments[index].dueDate.days(to: day) > terms.graceDays else { break }
                let overdue = installments[index].principalUnpaid
                guard overdue.fen > 0 else { continue }
                let amount = terms.penaltyRate.interest(on: overdue, days: 1, daysInYear: daysInYear)
                installments[index].penaltyAccrued += amount
                penalty += amount
            }
        }
        if interest.fen > 0 || penalty.fen > 0 {
            if nonAccrual {
                memoInterest += interest
                memoPenalty += penalty
            } else {
                interestReceivable += interest
                penaltyReceivable += penalty
                var postings: [Posting] = []
                postings.reserveCapacity(interest.fen > 0 && penalty.fen > 0 ? 4 : 2)
                if interest.fen > 0 {
                    postings.append(.debit(AccountID(loan: loanID, .interestReceivable), interest))
                    postings.append(.credit(.interestIncome, interest))
                }
                if penalty.fen > 0 {
                    postings.append(.debit(AccountID(loan: loanID, .penaltyReceivable), penalty))
                    postings.append(.credit(.penaltyIncome, penalty))
                }
                output.entries.append(JournalEntry(id: EntryID.make("accrue:", loanID, day), date: day, kind: .accrual,
                                                   loanID: loanID, postings: postings))
            }
        }
        var fellDue = false
        while nextDueIndex < installments.count, installments[nextDueIndex].dueDate == day {
            output.events.append(.installmentDue(number: installments[nextDueIndex].number, date: day))
            nextDueIndex += 1
            fellDue = true
        }
        if fellDue, overpayment.fen > 0 { applyOverpayment(on: day, terms: terms, output: &output) }
        if fellDue || firstUnsettledIndex < nextDueIndex {
            advanceSettled()
            closeIfPaidOff(on: day, output: &output)
        }
        updateDelinquency(on: day, terms: terms, events: &output.events)
    }

    /// Applies overpayment held to what is due (Dr overpayment / Cr receivables or income).
    private mutating func applyOverpayment(on day: CalendarDay, terms: ProductTerms, output: inout Servicing.Output) {
        var available = overpayment
        var settlement = Settlement()
        var allocation = Allocation()
        settleDue(&available, order: terms.allocation, settlement: &settlement, allocation: &allocation)
        let applied = settlement.total
        guard applied.fen > 0 else { return }
        overpayment -= applied
        output.principalRepaid += settlement.principal
        let postings = [Posting.debit(AccountID(loan: loanID, .overpayment), applied)] + settlement.credits(loanID: loanID)
        output.entries.append(JournalEntry(id: EntryID.make("apply:", loanID, day), date: day, kind: .overpaymentApplied,
                                           loanID: loanID, postings: postings))
    }

    /// Pays what has fallen due (installments before `nextDueIndex`) from `amount`, in the
    /// product's order, and lowers `amount` by what was paid.
    mutating func settleDue(_ amount: inout Money, order: ProductTerms.Allocation, settlement: inout Settlement,
                            allocation: inout Allocation) {
        switch order {
        case .oldestInstallmentFirst:
            for index in 0..<nextDueIndex where amount.fen > 0 {
                payPenalty(index, &amount, &settlement, &allocation)
                payInterest(index, &amount, &settlement, &allocation, early: false)
                payPrincipal(index, &amount, &settlement, &allocation)
            }
        case .penaltyThenInterestThenPrincipal:
            for index in 0..<nextDueIndex where amount.fen > 0 { payPenalty(index, &amount, &settlement, &allocation) }
            for index in 0..<nextDueIndex where amount.fen > 0 { payInterest(index, &amount, &settlement, &allocation, early: false) }
            for index in 0..<nextDueIndex where amount.fen > 0 { payPrincipal(index, &amount, &settlement, &allocation) }
        }
    }

    /// Prepays from `amount` (all that is due must be paid already): the interest accrued so far
    /// in the current period, then principal; re-plans the installments not yet due over the
    /// principal left, keeping their due dates.
    mutating func prepay(_ amount: inout Money, on day: CalendarDay, apr: AnnualRate, terms: ProductTerms,
                         settlement: inout Settlement, allocation: inout Allocation) {
        guard nextDueIndex < installments.count, amount.fen > 0 else { return }
        let current = nextDueIndex
        payInterest(current, &amount, &settlement, &allocation, early: true)
        let notYetDue = outstandingPrincipal
        let paid = min(amount, notYetDue)
        guard paid.fen > 0 else { return }
        amount -= paid
        outstandingPrincipal -= paid
        settlement.principal += paid
        allocation.add(installments[current].number, .principal, paid, early: true)
        installments[current].accrualBase = installments[current].interestAccrued
        installments[current].accrualStart = day
        Schedule.amortize(&installments, from: current, principal: notYetDue - paid, apr: apr, method: terms.method,
                          daysInYear: terms.dayCount.daysInYear)
    }

    private mutating func payPenalty(_ index: Int, _ amount: inout Money, _ settlement: inout Settlement, _ allocation: inout Allocation) {
        let paid = min(amount, installments[index].penaltyUnpaid)
        guard paid.fen > 0 else { return }
        amount -= paid
        installments[index].penaltyPaid += paid
        let recognised = min(paid, penaltyReceivable)
        penaltyReceivable -= recognised
        memoPenalty -= paid - recognised
        settlement.penaltyReceivable += recognised
        settlement.penaltyMemo += paid - recognised
        allocation.add(installments[index].number, .penalty, paid)
    }

    private mutating func payInterest(_ index: Int, _ amount: inout Money, _ settlement: inout Settlement,
                                      _ allocation: inout Allocation, early: Bool) {
        let paid = min(amount, installments[index].interestUnpaid)
        guard paid.fen > 0 else { return }
        amount -= paid
        installments[index].interestPaid += paid
        let recognised = min(paid, interestReceivable)
        interestReceivable -= recognised
        memoInterest -= paid - recognised
        settlement.interestReceivable += recognised
        settlement.interestMemo += paid - recognised
        allocation.add(installments[index].number, .interest, paid, early: early)
    }

    private mutating func payPrincipal(_ index: Int, _ amount: inout Money, _ settlement: inout Settlement, _ allocation: inout Allocation) {
        let paid = min(amount, installments[index].principalUnpaid)
        guard paid.fen > 0 else { return }
        amount -= paid
        installments[index].principalPaid += paid
        outstandingPrincipal -= paid
        settlement.principal += paid
        allocation.add(installments[index].number, .principal, paid)
    }

    /// Moves `firstUnsettledIndex` past installments whose principal and interest are paid.
    mutating func advanceSettled() {
        while firstUnsettledIndex < installments.count, installments[firstUnsettledIndex].isSettled { firstUnsettledIndex += 1 }
    }

    /// Marks the loan paid off when every installment is settled and no penalty is owed.
    mutating func closeIfPaidOff(on day: CalendarDay, output: inout Servicing.Output) {
        guard status == .active, firstUnsettledIndex == installments.count, outstandingPrincipal.fen == 0,
              penaltyReceivable.fen == 0, memoPenalty.fen == 0 else { return }
        status = .paidOff
        closedOn = day
        nextDueIndex = installments.count
        output.events.append(.paidOff(date: day))
    }

    /// Days past due, bucket and non-accrual as of the end of `day`.
    mutating func updateDelinquency(on day: CalendarDay, terms: ProductTerms, events: inout [LoanEvent]) {
        var days = 0
        if firstUnsettledIndex < nextDueIndex {
            let due = installments[firstUnsettledIndex].dueDate
            days = due.days(to: day)
            // Days past due are the days after the due date through `day` outside hardship pauses.
            if days > 0 { for pause in agingPauses { days -= pause.overlap(due.adding(days: 1), day) } }
        }
        daysPastDue = days
        let name = terms.bucket(forDaysPastDue: days).name
        if name != bucket {
            events.append(.bucketChanged(from: bucket, to: name, date: day))
            bucket = name
        }
        if !nonAccrual, days > terms.nonAccrualAfterDays {
            nonAccrual = true
            events.append(.enteredNonAccrual(date: day))
        } else if nonAccrual, days == 0 {
            nonAccrual = false
            events.append(.leftNonAccrual(date: day))
        }
    }
}
