import LendingModel

/// How worried the early-warning rules are about a line or loan.
public enum WarningLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    case none
    case watch
    case warning
    case severe

    public var description: String { rawValue }

    var rank: Int {
        switch self {
        case .none: 0
        case .watch: 1
        case .warning: 2
        case .severe: 3
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// The kind of action early warning takes on a credit line.
public enum LineActionKind: String, Sendable, Hashable, Codable, CustomStringConvertible {
    case none
    case reduceLimit = "reduce_limit"
    case freeze

    public var description: String { rawValue }
}

/// A level reached when a signal's measure is at least `atLeast`.
public struct WarningTier: Sendable, Hashable, Codable {
    public var atLeast: Double
    public var level: WarningLevel

    public init(atLeast: Double, level: WarningLevel) {
        self.atLeast = atLeast
        self.level = level
    }
}

/// Early-warning thresholds (the `earlyWarning` part of the strategy file).
public struct EarlyWarningRules: Sendable, Hashable, Codable {
    /// The level of a missed first payment (first-payment default is a strong fraud sign).
    public var missedFirstPayment: WarningLevel
    /// Tiers on the fall of the payment ratio: (paid ÷ due over the 3 due dates before) minus
    /// (paid ÷ due over the last 3 due dates), each ratio capped at 1.
    public var paymentRatioDrop: [WarningTier]
    /// Tiers on the number of partial payments in the last 3 cycles.
    public var partialPayments: [WarningTier]
    /// Tiers on the number of new applications by the same person in the last 30 days.
    public var newApplications: [WarningTier]
    /// Tiers on the rise of utilisation (drawn ÷ limit) now against 30 days ago, in points of
    /// share (0.3 = 30 percentage points).
    public var utilisationJump: [WarningTier]
    /// When this many signals are at `warning` or above, the level becomes `severe`.
    public var severeWhenSignalsAtWarning: Int
    /// The action on the line at each level.
    public var watchAction: LineActionKind
    public var warningAction: LineActionKind
    public var severeAction: LineActionKind
    /// The share of the limit a `reduce_limit` takes away (0 < share < 1).
    public var limitReductionShare: Double
    /// The reduced limit is rounded down to a multiple of this amount.
    public var limitStep: Money

    public init(missedFirstPayment: WarningLevel, paymentRatioDrop: [WarningTier], partialPayments: [WarningTier],
                newApplications: [WarningTier], utilisationJump: [WarningTier], severeWhenSignalsAtWarning: Int,
                watchAction: LineActionKind, warningAction: LineActionKind, severeAction: LineActionKind,
                limitReductionShare: Double, limitStep: Money) {
        self.missedFirstPayment = missedFirstPayment
        self.paymentRatioDrop = paymentRatioDrop
        self.partialPayments = partialPayments
        self.newApplications = newApplications
        self.utilisationJump = utilisationJump
        self.severeWhenSignalsAtWarning = severeWhenSignalsAtWarning
        self.watchAction = watchAction
        self.warningAction = warningAction
        self.severeAction = severeAction
        self.limitReductionShare = limitReductionShare
        self.limitStep = limitStep
    }

    /// The default thresholds.
    public static let standard = EarlyWarningRules(
        missedFirstPayment: .severe,
        paymentRatioDrop: [WarningTier(atLeast: 0.2, level: .watch), WarningTier(atLeast: 0.4, level: .warning)],
        partialPayments: [WarningTier(atLeast: 2, level: .watch), WarningTier(atLeast: 3, level: .warning)],
        newApplications: [WarningTier(atLeast: 2, level: .watch), WarningTier(atLeast: 4, level: .warning)],
        utilisationJump: [WarningTier(atLeast: 0.3, level: .watch), WarningTier(atLeast: 0.5, level: .warning)],
        severeWhenSignalsAtWarning: 2,
        watchAction: .none, warningAction: .reduceLimit, severeAction: .freeze,
        limitReductionShare: 0.5, limitStep: Money(fen: 10_000))

    func validate() throws(CollectionsError) {
        func fail(_ message: String) -> CollectionsError { CollectionsError(.invalidStrategy, "earlyWarning.\(message)") }
        for (name, tiers) in [("paymentRatioDrop", paymentRatioDrop), ("partialPayments", partialPayments),
                              ("newApplications", newApplications), ("utilisationJump", utilisationJump)] {
            for (index, tier) in tiers.enumerated() {
                guard tier.atLeast.isFinite, tier.atLeast > 0, tier.level != .none else {
                    throw fail("\(name)[\(index)] needs a positive atLeast and a level above none")
                }
                if index > 0, !(tier.atLeast > tiers[index - 1].atLeast && tier.level > tiers[index - 1].level) {
                    throw fail("\(name): tiers must rise in both atLeast and level")
                }
            }
        }
        guard severeWhenSignalsAtWarning >= 1 else { throw fail("severeWhenSignalsAtWarning must be at least 1") }
        guard limitReductionShare > 0, limitReductionShare < 1 else {
            throw fail("limitReductionShare must be between 0 and 1 (0.5 halves the limit)")
        }
        guard limitStep.fen > 0 else { throw fail("limitStep must be a positive amount such as \"100.00\"") }
    }

    /// The reduction share in millionths, rounded to the nearest millionth.
    var reductionShareMillionths: Int64 { Int64((limitReductionShare * 1_000_000).rounded()) }
}

/// A stable early-warning reason code (`EW_` prefix; part of the interface: never rename one).
public struct EarlyWarningCode: Sendable, Hashable, Codable, CustomStringConvertible {
    public var code: String

    init(_ code: String) { self.code = code }

    public var description: String { code }

    public static let missedFirstPayment = EarlyWarningCode("EW_MISSED_FIRST_PAYMENT")
    public static let paymentRatioDrop = EarlyWarningCode("EW_PAYMENT_RATIO_DROP")
    public static let partialPayments = EarlyWarningCode("EW_PARTIAL_PAYMENTS")
    public static let newApplications = EarlyWarningCode("EW_NEW_APPLICATIONS")
    public static let utilisationJump = EarlyWarningCode("EW_UTILISATION_JUMP")
    public static let multipleSignals = EarlyWarningCode("EW_MULTIPLE_SIGNALS")
}

/// One reason of an assessment: the code, the level it reached and the measured value, for the log.
public struct EarlyWarningReason: Sendable, Hashable {
    public var code: EarlyWarningCode
    public var level: WarningLevel
    /// The measure that crossed the threshold (a drop, a count, a share); 1 for yes/no signals.
    public var value: Double

    public init(code: EarlyWarningCode, level: WarningLevel, value: Double) {
        self.code = code
        self.level = level
        self.value = value
    }
}

/// The behaviour signals of one line (or loan) on the assessment date, gathered by the caller.
public struct BehaviourSignals: Sendable, Hashable {
    public var lineId: String
    /// The first installment was not paid by its due date.
    public var missedFirstPayment: Bool
    /// Amounts due and paid against the last 3 due dates, and the 3 before them.
    public var dueLast3: Money
    public var paidLast3: Money
    public var duePrior3: Money
    public var paidPrior3: Money
    /// Payments that paid less than was due, over the last 3 cycles.
    public var partialPaymentsLast3: Int
    /// New applications by the same person seen by the velocity store in the last 30 days.
    public var newApplicationsLast30Days: Int
    /// Drawn principal and limit now and 30 days ago.
    public var drawnNow: Money
    public var limitNow: Money
    public var drawn30DaysAgo: Money
    public var limit30DaysAgo: Money

    public init(lineId: String, missedFirstPayment: Bool = false, dueLast3: Money = .zero, paidLast3: Money = .zero,
                duePrior3: Money = .zero, paidPrior3: Money = .zero, partialPaymentsLast3: Int = 0,
                newApplicationsLast30Days: Int = 0, drawnNow: Money = .zero, limitNow: Money = .zero,
                drawn30DaysAgo: Money = .zero, limit30DaysAgo: Money = .zero) {
        self.lineId = lineId
        self.missedFirstPayment = missedFirstPayment
        self.dueLast3 = dueLast3
        self.paidLast3 = paidLast3
        self.duePrior3 = duePrior3
        self.paidPrior3 = paidPrior3
        self.partialPaymentsLast3 = partialPaymentsLast3
        self.newApplicationsLast30Days = newApplicationsLast30Days
        self.drawnNow = drawnNow
        self.limitNow = limitNow
        self.drawn30DaysAgo = drawn30DaysAgo
        self.limit30DaysAgo = limit30DaysAgo
    }
}

/// What early warning does to a line.
public enum LineAction: Sendable, Hashable {
    case none
    /// Lower the limit to `newLimit` (by `reduction`).
    case reduceLimit(newLimit: Money, reduction: Money)
    /// No new draws.
    case freeze
}

/// The outcome of an early-warning assessment, to be logged with its reasons.
public struct EarlyWarningAssessment: Sendable, Hashable {
    public var lineId: String
    public var level: WarningLevel
    public var action: LineAction
    /// Every signal that fired, in a fixed order (the rule order of the strategy file).
    public var reasons: [EarlyWarningReason]
}

/// The early-warning rules as a pure function from signals to a level, an action and reasons.
public struct EarlyWarning: Sendable {
    public let rules: EarlyWarningRules

    /// - Throws: ``CollectionsError`` if the rules are inconsistent.
    public init(rules: EarlyWarningRules) throws(CollectionsError) {
        try rules.validate()
        self.rules = rules
    }

    /// Assesses one line.
    ///
    /// The level is the highest level any signal reaches, raised to `severe` when at least
    /// `severeWhenSignalsAtWarning` signals are at `warning` or above (then the reason
    /// `EW_MULTIPLE_SIGNALS` is added; it is not added when a signal is severe by itself).
    /// A `reduce_limit` lowers the limit by `limit × share`, rounded half
    /// to even to the fen, then rounds the new limit down to a multiple of `limitStep`.
    public func assess(_ signals: BehaviourSignals) -> EarlyWarningAssessment {
        var reasons: [EarlyWarningReason] = []
        func tier(_ tiers: [WarningTier], _ value: Double, _ code: EarlyWarningCode) {
            // A tolerance of 1e-9 so that a drop of 1.0 − 0.8 (0.19999…) reaches a 0.2 tier.
            if let reached = tiers.last(where: { value >= $0.atLeast - 1e-9 }) {
                reasons.append(EarlyWarningReason(code: code, level: reached.level, value: value))
            }
        }
        if signals.missedFirstPayment, rules.missedFirstPayment != .none {
            reasons.append(EarlyWarningReason(code: .missedFirstPayment, level: rules.missedFirstPayment, value: 1))
        }
        if let recent = Self.ratio(paid: signals.paidLast3, due: signals.dueLast3),
           let prior = Self.ratio(paid: signals.paidPrior3, due: signals.duePrior3) {
            tier(rules.paymentRatioDrop, prior - recent, .paymentRatioDrop)
        }
        tier(rules.partialPayments, Double(signals.partialPaymentsLast3), .partialPayments)
        tier(rules.newApplications, Double(signals.newApplicationsLast30Days), .newApplications)
        if let now = Self.ratio(paid: signals.drawnNow, due: signals.limitNow, cap: false),
           let before = Self.ratio(paid: signals.drawn30DaysAgo, due: signals.limit30DaysAgo, cap: false) {
            tier(rules.utilisationJump, now - before, .utilisationJump)
        }

        var level = reasons.map(\.level).max() ?? .none
        let atWarning = reasons.filter { $0.level >= .warning }.count
        if atWarning >= rules.severeWhenSignalsAtWarning, level < .severe {
            // Only when it raises the level, so the reason explains the severity.
            reasons.append(EarlyWarningReason(code: .multipleSignals, level: .severe, value: Double(atWarning)))
            level = .severe
        }

        let kind: LineActionKind = switch level {
        case .none: .none
        case .watch: rules.watchAction
        case .warning: rules.warningAction
        case .severe: rules.severeAction
        }
        let action: LineAction
        switch kind {
        case .none: action = .none
        case .freeze: action = .freeze
        case .reduceLimit:
            let limit = signals.limitNow
            let reduction = AnnualRate.bankersDivide(Int128(limit.fen) * Int128(rules.reductionShareMillionths), by: 1_000_000)
            let kept = (limit.fen - Int64(reduction)) / rules.limitStep.fen * rules.limitStep.fen
            let newLimit = Money(fen: max(0, kept))
            action = .reduceLimit(newLimit: newLimit, reduction: limit - newLimit)
        }
        return EarlyWarningAssessment(lineId: signals.lineId, level: level, action: action, reasons: reasons)
    }

    /// `paid ÷ due` (capped at 1 when `cap`), or `nil` when nothing was due.
    static func ratio(paid: Money, due: Money, cap: Bool = true) -> Double? {
        guard due.fen > 0 else { return nil }
        let value = Double(max(paid.fen, 0)) / Double(due.fen)
        return cap ? min(value, 1) : value
    }
}
