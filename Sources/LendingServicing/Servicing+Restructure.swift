import LendingLedger
import LendingModel

/// A change to a loan's schedule from a date, for a borrower who needs one.
public enum Restructuring: Sendable, Hashable {
    /// The installments not yet due are replaced by `months` monthly installments over the
    /// principal not yet due: the current one keeps its due date, the others follow it monthly.
    case reschedule(months: Int)
    /// A payment holiday: every installment not yet due moves `installments` months later, so the
    /// next `installments` monthly payments are skipped and the term grows by as many months.
    /// Interest keeps accruing over the holiday on the principal not yet due and is due with the
    /// first installment after it (the current period runs to its new due date).
    case holiday(installments: Int)
    /// A hardship pause of delinquency ageing for `days` days from the day after the
    /// restructuring: the schedule and what is owed stay as they are, interest and penalty keep
    /// accruing, but days inside the pause do not count as days past due, so the bucket, non-accrual
    /// and the collections ladder do not move on while it lasts (``AgingPause``).
    case pause(days: Int)

    /// The largest holiday accepted, in installments.
    public static let maximumHoliday = 12
    /// The longest hardship pause accepted, in days.
    public static let maximumPauseDays = 180
}

extension Servicing {
    /// What a restructuring did.
    public struct RestructureResult: Sendable, Hashable {
        public var state: LoanState
        /// The catch-up accruals through the restructuring date (a restructuring itself moves no money).
        public var entries: [JournalEntry]
        public var events: [LoanEvent]
    }

    /// Restructures a loan from `date`: catches end of day up through `date`, then rebuilds the
    /// schedule of the installments not yet due (those due after `date`).
    ///
    /// What has fallen due stays due (arrears are not rescheduled, so days past due go on from the
    /// oldest unpaid installment). Interest accrued so far in the current period stays accrued and
    /// owed with the current installment; from `date` on, the current installment accrues interest
    /// on the principal not yet due for the days to its (new) due date, and each later one for its
    /// own period, as ``Schedule/installments(principal:apr:months:method:dayCount:disbursedOn:)``
    /// plans them (level payment or equal principal by the product's method, half to even to the
    /// fen, the last installment taking the principal left).
    ///
    /// Worked examples: docs/servicing.md ("Restructuring"), checked in `RestructuringTests`.
    /// - Throws: ``ServicingError``: `servicing.not_active` (paid off or written off),
    ///   `servicing.backdated` (a date before the last end of day run), `servicing.matured`
    ///   (nothing is left to fall due), `servicing.invalid_term` (a reschedule to fewer than 1 or
    ///   more than ``Schedule/maxMonths`` installments in all, or a holiday outside
    ///   1...``Restructuring/maximumHoliday``).
    public static func restructure(_ state: LoanState, _ change: Restructuring, on date: CalendarDay, terms: ProductTerms) throws -> RestructureResult {
        var (state, output) = try caughtUpActive(state, through: date, terms: terms,
                                                 step: (can: "be restructured", named: "the restructuring", verb: "restructure"))
        if case .pause(let days) = change {
            guard (1...Restructuring.maximumPauseDays).contains(days) else {
                throw ServicingError(code: "servicing.invalid_term", message: "a hardship pause of \(days) day(s) is outside 1...\(Restructuring.maximumPauseDays)")
            }
            let from = date.adding(days: 1)
            if let running = state.agingPauses.last, running.through >= from {
                throw ServicingError(code: "servicing.invalid_term",
                                     message: "loan \(state.loanID) is in a hardship pause through \(running.through); a new one can start after it")
            }
            state.agingPauses.append(AgingPause(from: from, through: date.adding(days: days)))
            return RestructureResult(state: state, entries: output.entries, events: output.events)
        }
        let current = state.nextDueIndex
        guard current < state.installments.count else {
            throw ServicingError(code: "servicing.matured", message: "every installment of loan \(state.loanID) has fallen due; nothing is left to restructure")
        }
        let anchor = state.disbursedOn
        let currentMonth = Servicing.monthsAfter(anchor, state.installments[current].dueDate)
        var kept = Array(state.installments[..<current])
        var first = state.installments[current]
        switch change {
        case .reschedule(let months):
            guard months >= 1, current + months <= Schedule.maxMonths else {
                throw ServicingError(code: "servicing.invalid_term",
                                     message: "a reschedule of loan \(state.loanID) to \(months) installment(s) from installment \(first.number) is outside 1...\(Schedule.maxMonths - current)")
            }
            kept.append(first)
            var start = first.dueDate
            for offset in 1..<months {
                let due = Schedule.dueDate(anchor: anchor, monthsLater: currentMonth + offset)
                kept.append(Installment(number: first.number + offset, dueDate: due, principalDue: .zero, interestDue: .zero, accrualStart: start))
                start = due
            }
        case .pause:
            preconditionFailure("a pause changes no schedule; handled above")
        case .holiday(let skipped):
            guard (1...Restructuring.maximumHoliday).contains(skipped), state.installments.count + skipped <= Schedule.maxMonths else {
                throw ServicingError(code: "servicing.invalid_term",
                                     message: "a payment holiday of \(skipped) installment(s) is outside 1...\(Restructuring.maximumHoliday)")
            }
            first.dueDate = Schedule.dueDate(anchor: anchor, monthsLater: currentMonth + skipped)
            kept.append(first)
            var start = first.dueDate
            for index in (current + 1)..<state.installments.count {
                var installment = state.installments[index]
                installment.dueDate = Schedule.dueDate(anchor: anchor, monthsLater: Servicing.monthsAfter(anchor, installment.dueDate) + skipped)
                installment.accrualStart = start
                start = installment.dueDate
                kept.append(installment)
            }
        }
        // The current period's interest so far stays accrued; the rest accrues from `date` on the new plan.
        kept[current].accrualBase = kept[current].interestAccrued
        kept[current].accrualStart = date
        // Installments not yet due have no principal paid (a prepayment lowers the outstanding and
        // re-plans them instead), so the principal left to plan is their principal due.
        var notYetDue = Money.zero
        for index in current..<state.installments.count { notYetDue += state.installments[index].principalUnpaid }
        state.installments = kept
        Schedule.amortize(&state.installments, from: current, principal: notYetDue, apr: state.apr, method: terms.method,
                          daysInYear: terms.dayCount.daysInYear)
        state.updateDelinquency(on: date, terms: terms, events: &output.events)
        return RestructureResult(state: state, entries: output.entries, events: output.events)
    }

    /// Calendar months from `anchor`'s month to `day`'s month (a due date's `monthsLater`).
    static func monthsAfter(_ anchor: CalendarDay, _ day: CalendarDay) -> Int {
        let (anchorYear, anchorMonth, _) = anchor.components
        let (year, month, _) = day.components
        return (year * 12 + month) - (anchorYear * 12 + anchorMonth)
    }
}
