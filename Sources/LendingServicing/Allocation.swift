import LendingModel

/// A payment received for a loan (a row of PAYMENTS.csv).
public struct Payment: Sendable, Hashable, Codable {
    /// Unique per payment: the repayment entry's id is `repay:` + this id, so the store's unique
    /// entry ids refuse a payment applied twice.
    public var id: String
    public var loanID: String
    /// The business date of the payment.
    public var date: CalendarDay
    public var amount: Money

    public init(id: String, loanID: String, date: CalendarDay, amount: Money) {
        self.id = id
        self.loanID = loanID
        self.date = date
        self.amount = amount
    }
}

/// How a payment (or overpayment held for the borrower) was applied.
public struct Allocation: Sendable, Hashable, Codable {
    public enum Component: String, Sendable, Hashable, Codable { case penalty, interest, principal }

    /// One amount applied to one component of one installment.
    public struct Line: Sendable, Hashable, Codable {
        /// The installment's number (1-based).
        public var installment: Int
        public var component: Component
        public var amount: Money
        /// `true` when this pays principal or interest before the installment's due date (prepayment).
        public var early: Bool

        public init(installment: Int, component: Component, amount: Money, early: Bool = false) {
            self.installment = installment
            self.component = component
            self.amount = amount
            self.early = early
        }
    }

    /// The amounts applied, in the order they were applied.
    public var lines: [Line] = []
    public var penalty: Money = .zero
    public var interest: Money = .zero
    /// Principal paid, due or prepaid.
    public var principal: Money = .zero
    /// The part of ``principal`` that was not yet due (the `prepay` rule).
    public var prepaidPrincipal: Money = .zero
    /// Held for the borrower: the rest of the payment by the `suspense` rule, or anything beyond
    /// what the loan owed.
    public var overpayment: Money = .zero
    /// Received after a write-off (credited to write-off expense).
    public var recovery: Money = .zero

    public init() {}

    /// penalty + interest + principal + overpayment + recovery: the whole amount allocated.
    public var total: Money { penalty + interest + principal + overpayment + recovery }

    mutating func add(_ installment: Int, _ component: Component, _ amount: Money, early: Bool = false) {
        lines.append(Line(installment: installment, component: component, amount: amount, early: early))
        switch component {
        case .penalty: penalty += amount
        case .interest: interest += amount
        case .principal: principal += amount
        }
        if early, component == .principal { prepaidPrincipal += amount }
    }
}
