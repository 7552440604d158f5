import LendingModel

/// A loan's repayment behaviour, gathered by the caller, from which collection-score features
/// are made.
public struct RepaymentBehaviour: Sendable, Hashable {
    public var daysPastDue: Int
    /// The highest days past due the loan ever reached.
    public var maxDaysPastDue: Int
    public var monthsOnBook: Int
    public var brokenPromises: Int
    public var keptPromises: Int
    /// Amounts due and paid against the last 3 due dates.
    public var dueLast3: Money
    public var paidLast3: Money
    public var partialPaymentsLast3: Int
    /// Contact attempts in the last 30 days, and how many reached the borrower (a conversation).
    public var contactAttemptsLast30Days: Int
    public var conversationsLast30Days: Int
    public var overdueAmount: Money
    public var outstandingBalance: Money
    /// For credit lines: drawn principal and limit (zero limit: not a line).
    public var drawn: Money
    public var limit: Money

    public init(daysPastDue: Int, maxDaysPastDue: Int, monthsOnBook: Int, brokenPromises: Int = 0, keptPromises: Int = 0,
                dueLast3: Money = .zero, paidLast3: Money = .zero, partialPaymentsLast3: Int = 0, contactAttemptsLast30Days: Int = 0,
                conversationsLast30Days: Int = 0, overdueAmount: Money = .zero, outstandingBalance: Money = .zero,
                drawn: Money = .zero, limit: Money = .zero) {
        self.daysPastDue = daysPastDue
        self.maxDaysPastDue = maxDaysPastDue
        self.monthsOnBook = monthsOnBook
        self.brokenPromises = brokenPromises
        self.keptPromises = keptPromises
        self.dueLast3 = dueLast3
        self.paidLast3 = paidLast3
        self.partialPaymentsLast3 = partialPaymentsLast3
        self.contactAttemptsLast30Days = contactAttemptsLast30Days
        self.conversationsLast30Days = conversationsLast30Days
        self.overdueAmount = overdueAmount
        self.outstandingBalance = outstandingBalance
        self.drawn = drawn
        self.limit = limit
    }
}

/// Named numeric features of a loan for the collection score. Write them as CSV columns (with a
/// target such as "cured within 30 days") and train with `lending train`; score with
/// `lending score`; the planner takes the resulting score.
public struct CollectionFeatures: Sendable, Hashable {
    /// The feature names, in the order of ``values``; stable column names.
    public static let names = [
        "days_past_due", "max_days_past_due", "months_on_book", "broken_promises", "kept_promises",
        "payment_ratio_last3", "partial_payments_last3", "contacts_without_answer_30d", "answer_rate_30d",
        "overdue_share", "utilisation",
    ]

    public var values: [Double]

    /// - `payment_ratio_last3`: paid ÷ due over the last 3 due dates, capped at 1 (1 when nothing was due);
    /// - `contacts_without_answer_30d`: attempts − conversations; `answer_rate_30d`: conversations ÷
    ///   attempts (0 with no attempt);
    /// - `overdue_share`: overdue ÷ outstanding (0 with nothing outstanding);
    /// - `utilisation`: drawn ÷ limit (0 for a loan that is not a line).
    public init(_ behaviour: RepaymentBehaviour) {
        let b = behaviour
        func share(_ part: Money, _ whole: Money, cap: Bool = false) -> Double {
            guard whole.fen > 0 else { return 0 }
            let value = Double(max(part.fen, 0)) / Double(whole.fen)
            return cap ? min(value, 1) : value
        }
        values = [
            Double(b.daysPastDue), Double(b.maxDaysPastDue), Double(b.monthsOnBook), Double(b.brokenPromises), Double(b.keptPromises),
            b.dueLast3.fen > 0 ? share(b.paidLast3, b.dueLast3, cap: true) : 1,
            Double(b.partialPaymentsLast3),
            Double(max(b.contactAttemptsLast30Days - b.conversationsLast30Days, 0)),
            b.contactAttemptsLast30Days > 0 ? Double(b.conversationsLast30Days) / Double(b.contactAttemptsLast30Days) : 0,
            share(b.overdueAmount, b.outstandingBalance),
            share(b.drawn, b.limit),
        ]
    }

    /// A feature by name.
    public subscript(name: String) -> Double? {
        Self.names.firstIndex(of: name).map { values[$0] }
    }

    /// The features as a CSV row keyed by name (integers without a decimal point, others with
    /// the shortest text that reads back to the same double).
    public var row: [String: String] {
        var row: [String: String] = [:]
        for (name, value) in zip(Self.names, values) {
            row[name] = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        }
        return row
    }
}
