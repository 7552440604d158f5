import LendingModel

/// What a product allows an application to ask for.
public struct ProductRules: Sendable, Equatable, Codable {
    public var minimumAmount: Money
    public var maximumAmount: Money
    /// Terms offered, in months.
    public var terms: [Int]

    public init(minimumAmount: Money, maximumAmount: Money, terms: [Int]) {
        self.minimumAmount = minimumAmount
        self.maximumAmount = maximumAmount
        self.terms = terms
    }
}

/// Credit cut-offs on the scorecard's score (higher is better).
public struct CreditRules: Sendable, Equatable, Codable {
    /// Below: decline (`CR_SCORE_BELOW_CUTOFF`).
    public var declineBelow: Double
    /// Below (and not below `declineBelow`): review (`CR_SCORE_GREY_ZONE`).
    public var reviewBelow: Double
    /// How many adverse-action reasons (`CR_LOW_<CHARACTERISTIC>`) a decline or review carries.
    public var adverseReasons: Int

    public init(declineBelow: Double, reviewBelow: Double, adverseReasons: Int = 4) {
        self.declineBelow = declineBelow
        self.reviewBelow = reviewBelow
        self.adverseReasons = adverseReasons
    }
}

/// One row of a segment's limit and price matrix: applicants scoring at least `minimumScore`.
public struct PriceBand: Sendable, Equatable, Codable {
    public var minimumScore: Double
    public var limit: Money
    public var apr: AnnualRate

    public init(minimumScore: Double, limit: Money, apr: AnnualRate) {
        self.minimumScore = minimumScore
        self.limit = limit
        self.apr = apr
    }
}

/// Limits and prices: per segment, bands by score.
public struct PricingRules: Sendable, Equatable, Codable {
    /// Segment name → bands (any order; the highest band the score reaches applies).
    public var segments: [String: [PriceBand]]
    /// The segment of applicants whose invitation names none (or an unknown one).
    public var defaultSegment: String
    /// Limits are rounded down to a multiple of this (default 100.00).
    public var limitStep: Money
    /// No APR above this, whatever the matrix says (the legal cap).
    public var maximumAPR: AnnualRate

    public init(segments: [String: [PriceBand]], defaultSegment: String, limitStep: Money = Money(fen: 10_000),
                maximumAPR: AnnualRate = AnnualRate(partsPerMillion: 240_000)) {
        self.segments = segments
        self.defaultSegment = defaultSegment
        self.limitStep = limitStep
        self.maximumAPR = maximumAPR
    }

    /// The band for a score in a segment (the default segment if the segment is unknown).
    public func band(segment: String?, score: Double) -> PriceBand? {
        let bands = segment.flatMap { segments[$0] } ?? segments[defaultSegment] ?? []
        return bands.filter { score >= $0.minimumScore }.max { $0.minimumScore < $1.minimumScore }
    }
}

/// The decision stage's rules: products, credit cut-offs, pricing.
public struct DecisionRules: Sendable, Equatable, Codable {
    /// Product name (`installment`, `revolving`) → what it allows.
    public var products: [String: ProductRules]
    public var credit: CreditRules
    public var pricing: PricingRules

    public init(products: [String: ProductRules], credit: CreditRules, pricing: PricingRules) {
        self.products = products
        self.credit = credit
        self.pricing = pricing
    }
}

/// The limit rule: the smallest of the matrix limit, the pre-credit limit and the amount
/// requested, rounded down to a multiple of `step`. It never exceeds the pre-credit limit.
public enum LimitRule {
    public static func approvedLimit(matrixLimit: Money, preCreditLimit: Money?, requested: Money, step: Money = Money(fen: 10_000)) -> Money {
        let smallest = min(matrixLimit, preCreditLimit ?? matrixLimit, requested)
        guard smallest.fen > 0, step.fen > 0 else { return .zero }
        return Money(fen: smallest.fen / step.fen * step.fen)
    }
}
