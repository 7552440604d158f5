import LendingModel

/// Everything the decision stage combines for one application: the other stages' verdicts,
/// the credit score, and what was asked for.
public struct DecisionInput: Sendable {
    public var product: String
    public var requestedAmount: Money
    public var termMonths: Int
    /// The whitelist stage: declines under an invitation-only policy when not invited.
    public var whitelist: StageVerdict
    /// The pre-credit limit of an invitation; `nil` when the applicant has none.
    public var preCreditLimit: Money?
    /// The invitation's segment; `nil` means the default segment.
    public var segment: String?
    public var identity: StageVerdict
    public var fraud: StageVerdict
    /// The credit score; `nil` when the application could not be scored.
    public var score: Double?
    /// Characteristics by points below their maximum, most adverse first.
    public var adverseCharacteristics: [String]
    /// The applicant was approved recently (a policy rule of the caller's).
    public var recentlyApproved: Bool

    public init(product: String, requestedAmount: Money, termMonths: Int, whitelist: StageVerdict = .pass, preCreditLimit: Money?,
                segment: String?, identity: StageVerdict = .pass, fraud: StageVerdict = .pass, score: Double?,
                adverseCharacteristics: [String] = [], recentlyApproved: Bool = false) {
        self.product = product
        self.requestedAmount = requestedAmount
        self.termMonths = termMonths
        self.whitelist = whitelist
        self.preCreditLimit = preCreditLimit
        self.segment = segment
        self.identity = identity
        self.fraud = fraud
        self.score = score
        self.adverseCharacteristics = adverseCharacteristics
        self.recentlyApproved = recentlyApproved
    }
}

/// The decision: lend or not, how much, at what price, and why.
public struct Decision: Sendable, Equatable {
    public var outcome: DecisionRecord.Outcome
    /// The limit granted; zero unless approved.
    public var approvedLimit: Money
    /// The limit an approval grants (also for reviews); zero when nothing can be lent.
    public var proposedLimit: Money
    public var apr: AnnualRate
    /// Stage reasons in stage order: `WL_`, `ID_`, `FR_`, `CR_`, `PL_`.
    public var reasons: [DecisionReason]
}

/// The decision stage: the worst stage outcome wins; a decline anywhere declines, a review
/// anywhere (and no decline) sends the application to a person; only an application every
/// stage passes is approved, with the limit and APR of its segment's matrix, never above its
/// pre-credit limit.
public enum DecisionEngine {
    public static func decide(_ input: DecisionInput, rules: DecisionRules) -> Decision {
        var credit = StageVerdict()
        var policy = StageVerdict()
        if let score = input.score {
            if score < rules.credit.declineBelow {
                credit.flag(.decline, "CR_SCORE_BELOW_CUTOFF")
            } else if score < rules.credit.reviewBelow {
                credit.flag(.review, "CR_SCORE_GREY_ZONE")
            }
            if credit.outcome != .pass {
                for name in input.adverseCharacteristics.prefix(rules.credit.adverseReasons) {
                    credit.reasons.append(DecisionReason("CR_LOW_" + reasonName(name)))
                }
            }
        } else {
            credit.flag(.decline, "CR_NOT_SCORED")
        }
        var requested = input.requestedAmount
        if let product = rules.products[input.product] {
            if requested < product.minimumAmount { policy.flag(.decline, "PL_AMOUNT_BELOW_MINIMUM") }
            requested = min(requested, product.maximumAmount)
            if !product.terms.contains(input.termMonths) { policy.flag(.decline, "PL_TERM_NOT_OFFERED") }
        } else {
            policy.flag(.decline, "PL_PRODUCT_NOT_OFFERED")
        }
        if input.recentlyApproved { policy.flag(.decline, "PL_RECENTLY_APPROVED") }
        var limit = Money.zero
        var apr = AnnualRate.zero
        if let score = input.score, let band = rules.pricing.band(segment: input.segment, score: score) {
            limit = LimitRule.approvedLimit(matrixLimit: band.limit, preCreditLimit: input.preCreditLimit, requested: requested,
                                            step: rules.pricing.limitStep)
            apr = min(band.apr, rules.pricing.maximumAPR)
        }
        let minimum = rules.products[input.product]?.minimumAmount ?? Money(fen: 1)
        if input.score != nil && limit < minimum && policy.outcome != .decline { policy.flag(.decline, "PL_LIMIT_BELOW_MINIMUM") }
        let stages = [input.whitelist, input.identity, input.fraud, credit, policy]
        let worst = stages.map(\.outcome).max() ?? .pass
        let outcome: DecisionRecord.Outcome = switch worst {
        case .pass: .approve
        case .review: .review
        case .decline: .decline
        }
        return Decision(outcome: outcome, approvedLimit: outcome == .approve ? limit : .zero,
                        proposedLimit: outcome == .decline ? .zero : limit, apr: outcome == .decline ? .zero : apr,
                        reasons: stages.flatMap(\.reasons))
    }

    /// A characteristic name as a reason suffix: upper case, anything but letters and digits
    /// as `_` (`age_in_years` → `AGE_IN_YEARS`).
    public static func reasonName(_ name: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        var lastWasSeparator = false
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                bytes.append(byte - 32)
                lastWasSeparator = false
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                bytes.append(byte)
                lastWasSeparator = false
            default:
                // Anything else, non-ASCII included, separates words.
                if !lastWasSeparator && !bytes.isEmpty { bytes.append(UInt8(ascii: "_")) }
                lastWasSeparator = true
            }
        }
        while bytes.last == UInt8(ascii: "_") { bytes.removeLast() }
        return bytes.isEmpty ? "CHARACTERISTIC" : String(decoding: bytes, as: UTF8.self)
    }
}
