import LendingModel

/// The rules of a lending product: how loans are scheduled, accrue, fall overdue and take
/// payments. Codable as the product file's JSON (snake_case keys; every field but `kind` and
/// `apr` has a default: see docs/servicing.md).
public struct ProductTerms: Sendable, Hashable, Codable {
    /// Installment loan, or a revolving credit line whose every draw is an installment loan.
    public enum Kind: String, Sendable, Hashable, Codable { case installment, revolving }

    /// How principal is spread over the installments.
    public enum Method: String, Sendable, Hashable, Codable {
        /// A level payment from the monthly rate; principal = payment − the period's interest.
        case equalInstallment = "equal_installment"
        /// The same principal each month (principal / n, truncated; the remainder in the last).
        case equalPrincipal = "equal_principal"
    }

    /// Day-count convention for interest: actual days in the period over a fixed year.
    public enum DayCount: String, Sendable, Hashable, Codable {
        /// Actual/365 fixed: a year is 365 days, leap or not.
        case actual365 = "actual/365"
        /// Actual/360.
        case actual360 = "actual/360"

        /// The days in a year of this convention.
        public var daysInYear: Int { self == .actual365 ? 365 : 360 }
    }

    /// The order in which a payment settles what is due.
    public enum Allocation: String, Sendable, Hashable, Codable {
        /// Oldest installment first; within one, penalty, then interest, then principal.
        case oldestInstallmentFirst = "oldest_installment_first"
        /// All penalty (oldest installment first), then all interest, then all principal.
        case penaltyThenInterestThenPrincipal = "penalty_interest_principal"
    }

    /// What happens to money paid beyond what is due on the payment date.
    public enum Overpayment: String, Sendable, Hashable, Codable {
        /// Pays the interest accrued so far in the current period, then reduces the principal;
        /// the remaining installments are re-amortized over the same due dates.
        case prepay
        /// Held for the borrower (overpayment account) and applied when installments fall due.
        case suspense
    }

    public var kind: Kind
    /// The amortization method of an installment loan and of every draw of a line.
    public var method: Method
    /// The product's annual rate; a loan keeps its own rate (``LoanState/apr``), this is the default.
    public var apr: AnnualRate
    public var dayCount: DayCount
    /// Annual rate of penalty interest on overdue principal (default: 1.5 × `apr`, rounded half
    /// to even to the millionth).
    public var penaltyRate: AnnualRate
    /// Days past due on which no penalty accrues yet (default 3): penalty accrues for a day when
    /// the installment is more than this many days past due.
    public var graceDays: Int
    /// A loan more than this many days past due stops recognising interest and penalty income (default 90).
    public var nonAccrualAfterDays: Int
    public var allocation: Allocation
    public var overpayment: Overpayment
    /// Delinquency buckets by days past due, in order, contiguous from 0, the last open-ended.
    public var buckets: [DelinquencyBucket]

    /// Terms with the defaults for every field not given.
    public init(kind: Kind = .installment, method: Method = .equalInstallment, apr: AnnualRate,
                dayCount: DayCount = .actual365, penaltyRate: AnnualRate? = nil, graceDays: Int = 3,
                nonAccrualAfterDays: Int = 90, allocation: Allocation = .oldestInstallmentFirst,
                overpayment: Overpayment = .prepay, buckets: [DelinquencyBucket] = DelinquencyBucket.defaults) {
        self.kind = kind
        self.method = method
        self.apr = apr
        self.dayCount = dayCount
        self.penaltyRate = penaltyRate ?? ProductTerms.defaultPenaltyRate(for: apr)
        self.graceDays = graceDays
        self.nonAccrualAfterDays = nonAccrualAfterDays
        self.allocation = allocation
        self.overpayment = overpayment
        self.buckets = buckets
    }

    /// 1.5 × `apr`, half to even to the millionth.
    public static func defaultPenaltyRate(for apr: AnnualRate) -> AnnualRate {
        AnnualRate(partsPerMillion: Money.bankersDivide(apr.partsPerMillion * 3, by: 2))
    }

    /// The bucket for a number of days past due.
    public func bucket(forDaysPastDue days: Int) -> DelinquencyBucket {
        for bucket in buckets where days >= bucket.minDays && (bucket.maxDays.map { days <= $0 } ?? true) { return bucket }
        preconditionFailure("validated buckets cover every day count")
    }

    /// Checks the terms: rates within 0...1000%, grace and non-accrual days not negative
    /// (non-accrual at least 1), buckets with unique non-empty names covering 0, 1, 2, ... without gap
    /// or overlap, the last open-ended.
    /// - Throws: ``ServicingError`` `servicing.invalid_terms` naming the field.
    public func validate() throws {
        func fail(_ message: String) -> ServicingError { ServicingError(code: "servicing.invalid_terms", message: message) }
        let maxRate = AnnualRate(partsPerMillion: 10_000_000)
        guard apr <= maxRate, penaltyRate <= maxRate else { throw fail("apr and penalty_rate must be at most 10 (1000%); check the product file") }
        guard graceDays >= 0 else { throw fail("grace_days must be 0 or more") }
        guard nonAccrualAfterDays >= 1 else { throw fail("non_accrual_after_days must be 1 or more") }
        guard !buckets.isEmpty else { throw fail("buckets must not be empty; omit the field to use the defaults") }
        var next = 0
        var names: Set<String> = []
        for (index, bucket) in buckets.enumerated() {
            guard !bucket.name.isEmpty, names.insert(bucket.name).inserted else {
                throw fail("bucket names must be unique and not empty (\"\(bucket.name)\")")
            }
            guard bucket.minDays == next else {
                throw fail("bucket \(bucket.name) starts at \(bucket.minDays) days but the buckets before end at \(next - 1); buckets must be contiguous from 0")
            }
            if let max = bucket.maxDays {
                guard max >= bucket.minDays else { throw fail("bucket \(bucket.name) ends before it starts") }
                guard index < buckets.count - 1 else { throw fail("the last bucket (\(bucket.name)) must be open-ended: omit max_days") }
                next = max + 1
            } else {
                guard index == buckets.count - 1 else { throw fail("only the last bucket may be open-ended; give \(bucket.name) a max_days") }
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, method, apr
        case dayCount = "day_count"
        case penaltyRate = "penalty_rate"
        case graceDays = "grace_days"
        case nonAccrualAfterDays = "non_accrual_after_days"
        case allocation, overpayment, buckets
    }

    /// Decodes a product file, filling in defaults, then validates it.
    /// - Throws: `DecodingError` for a malformed field, ``ServicingError`` for invalid terms.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: try container.decode(Kind.self, forKey: .kind),
            method: try container.decodeIfPresent(Method.self, forKey: .method) ?? .equalInstallment,
            apr: try container.decode(AnnualRate.self, forKey: .apr),
            dayCount: try container.decodeIfPresent(DayCount.self, forKey: .dayCount) ?? .actual365,
            penaltyRate: try container.decodeIfPresent(AnnualRate.self, forKey: .penaltyRate),
            graceDays: try container.decodeIfPresent(Int.self, forKey: .graceDays) ?? 3,
            nonAccrualAfterDays: try container.decodeIfPresent(Int.self, forKey: .nonAccrualAfterDays) ?? 90,
            allocation: try container.decodeIfPresent(Allocation.self, forKey: .allocation) ?? .oldestInstallmentFirst,
            overpayment: try container.decodeIfPresent(Overpayment.self, forKey: .overpayment) ?? .prepay,
            buckets: try container.decodeIfPresent([DelinquencyBucket].self, forKey: .buckets) ?? DelinquencyBucket.defaults)
        try validate()
    }
}

/// A named range of days past due (`min_days...max_days`, open-ended when `max_days` is absent).
public struct DelinquencyBucket: Sendable, Hashable, Codable {
    public var name: String
    public var minDays: Int
    public var maxDays: Int?

    public init(_ name: String, _ minDays: Int, _ maxDays: Int?) {
        self.name = name
        self.minDays = minDays
        self.maxDays = maxDays
    }

    /// current (0), 1-3, 4-15, 16-30, 31-60, 61-90, 90+ (91 and more). Collections uses the same names.
    public static let defaults: [DelinquencyBucket] = [
        DelinquencyBucket("current", 0, 0), DelinquencyBucket("1-3", 1, 3), DelinquencyBucket("4-15", 4, 15),
        DelinquencyBucket("16-30", 16, 30), DelinquencyBucket("31-60", 31, 60), DelinquencyBucket("61-90", 61, 90),
        DelinquencyBucket("90+", 91, nil),
    ]

    enum CodingKeys: String, CodingKey {
        case name
        case minDays = "min_days"
        case maxDays = "max_days"
    }
}
