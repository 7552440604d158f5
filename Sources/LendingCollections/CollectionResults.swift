import LendingModel

/// A repayment, as collections results need it.
public struct PaymentRecord: Sendable, Hashable {
    public var loanId: String
    public var paidOn: CalendarDay
    public var amount: Money

    public init(loanId: String, paidOn: CalendarDay, amount: Money) {
        self.loanId = loanId
        self.paidOn = paidOn
        self.amount = amount
    }
}

/// What one kind of action achieved.
public struct ActionResult: Sendable, Hashable {
    public var action: CollectionAction
    /// Actions in the log (executed attempts).
    public var attempts: Int
    /// Outcomes of the action whose result is a conversation (`callLimits.conversationResults`).
    public var contacts: Int
    /// `promise_to_pay` outcomes of the action.
    public var promises: Int
    /// Of those, promises kept: payments from the promise day through promise date + grace add up
    /// to the promised amount (any payment, when no amount was given).
    public var keptPromises: Int
    /// Payments credited to the action: each payment goes to the loan's latest action on or before
    /// the payment day, if it is at most `recoveryWindowDays` before (last touch).
    public var recovered: Money

    public init(action: CollectionAction, attempts: Int, contacts: Int, promises: Int, keptPromises: Int, recovered: Money) {
        self.action = action
        self.attempts = attempts
        self.contacts = contacts
        self.promises = promises
        self.keptPromises = keptPromises
        self.recovered = recovered
    }
}

extension PortfolioMetrics {
    /// Collections results by action, in ``CollectionAction`` order, every action listed.
    ///
    /// Days are the borrower's local days (the action's offset; an outcome takes the day in the
    /// offset of the loan's actions, UTC+8 when the loan has none).
    /// - Parameters:
    ///   - actions: the executed action log.
    ///   - outcomes: their outcomes.
    ///   - payments: repayments of the same loans.
    ///   - strategy: for conversation results, promise grace and the recovery window.
    public static func collectionResults(actions: [PlannedAction], outcomes: [ContactOutcome], payments: [PaymentRecord],
                                         strategy: CollectionStrategy) -> [ActionResult] {
        var results = CollectionAction.allCases.map {
            ActionResult(action: $0, attempts: 0, contacts: 0, promises: 0, keptPromises: 0, recovered: .zero)
        }
        let conversation = Set(strategy.callLimits.conversationResults)
        var touches: [String: [(day: CalendarDay, action: CollectionAction)]] = [:]
        var offsets: [String: Int] = [:]
        for action in actions {
            results[action.action.ordinal].attempts += 1
            touches[action.loanId, default: []].append((action.scheduledAt.day(atOffsetSeconds: Int64(action.utcOffsetSeconds)), action.action))
            offsets[action.loanId] = action.utcOffsetSeconds
        }
        var paymentsByLoan: [String: [PaymentRecord]] = [:]
        for payment in payments { paymentsByLoan[payment.loanId, default: []].append(payment) }
        for outcome in outcomes {
            let index = outcome.action.ordinal
            if conversation.contains(outcome.result) { results[index].contacts += 1 }
            guard outcome.result == .promiseToPay else { continue }
            results[index].promises += 1
            let madeOn = outcome.happenedAt.day(atOffsetSeconds: Int64(offsets[outcome.loanId] ?? 28_800))
            let through = (outcome.promiseDate ?? madeOn).adding(days: strategy.promises.graceDays)
            let paid = (paymentsByLoan[outcome.loanId] ?? []).filter { $0.paidOn >= madeOn && $0.paidOn <= through }
                .reduce(Money.zero) { $0 + $1.amount }
            let kept = outcome.promiseAmount.map { paid >= $0 && paid.fen > 0 } ?? (paid.fen > 0)
            if kept { results[index].keptPromises += 1 }
        }
        let window = strategy.portfolio.recoveryWindowDays
        for (loanId, loanPayments) in paymentsByLoan {
            guard let loanTouches = touches[loanId] else { continue }
            for payment in loanPayments {
                var latest: (day: CalendarDay, action: CollectionAction)?
                for touch in loanTouches where touch.day <= payment.paidOn {
                    if latest.map({ touch.day >= $0.day }) ?? true { latest = touch }
                }
                if let latest, latest.day.days(to: payment.paidOn) <= window {
                    results[latest.action.ordinal].recovered += payment.amount
                }
            }
        }
        return results
    }
}
