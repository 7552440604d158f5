import LendingModel

/// Options of the portfolio report (the `portfolio` part of the strategy file).
public struct PortfolioOptions: Sendable, Hashable, Codable {
    /// A loan is "bad" for vintages once its days past due reach this (30: ever 30+).
    public var badMinDaysPastDue: Int
    /// Whether a written-off loan counts as bad even if its days past due never reached the bar.
    public var writeOffIsBad: Bool
    /// Non-performing: days past due at least this (91: more than 90 days).
    public var nplMinDaysPastDue: Int
    /// Buckets of the roll-rate matrix, from day 0 (current), contiguous, the last open.
    public var rollBuckets: [CollectionBucket]
    /// Buckets of the days-past-due distribution, from day 0, contiguous, the last open.
    public var distributionBuckets: [CollectionBucket]
    /// A payment within this many days after an action is credited to the action (last touch).
    public var recoveryWindowDays: Int
    /// How many decline reasons the funnel lists.
    public var topDeclineReasons: Int

    public init(badMinDaysPastDue: Int, writeOffIsBad: Bool, nplMinDaysPastDue: Int, rollBuckets: [CollectionBucket],
                distributionBuckets: [CollectionBucket], recoveryWindowDays: Int, topDeclineReasons: Int) {
        self.badMinDaysPastDue = badMinDaysPastDue
        self.writeOffIsBad = writeOffIsBad
        self.nplMinDaysPastDue = nplMinDaysPastDue
        self.rollBuckets = rollBuckets
        self.distributionBuckets = distributionBuckets
        self.recoveryWindowDays = recoveryWindowDays
        self.topDeclineReasons = topDeclineReasons
    }

    /// Ever 30+ is bad, NPL is 91+ days past due, roll buckets current / 1-30 / 31-60 / 61-90 / 90+.
    public static let standard = PortfolioOptions(
        badMinDaysPastDue: 30, writeOffIsBad: true, nplMinDaysPastDue: 91,
        rollBuckets: [
            CollectionBucket(name: "current", fromDay: 0, toDay: 0), CollectionBucket(name: "1-30", fromDay: 1, toDay: 30),
            CollectionBucket(name: "31-60", fromDay: 31, toDay: 60), CollectionBucket(name: "61-90", fromDay: 61, toDay: 90),
            CollectionBucket(name: "90+", fromDay: 91, toDay: nil),
        ],
        distributionBuckets: [
            CollectionBucket(name: "current", fromDay: 0, toDay: 0), CollectionBucket(name: "1-3", fromDay: 1, toDay: 3),
            CollectionBucket(name: "4-15", fromDay: 4, toDay: 15), CollectionBucket(name: "16-30", fromDay: 16, toDay: 30),
            CollectionBucket(name: "31-60", fromDay: 31, toDay: 60), CollectionBucket(name: "61-90", fromDay: 61, toDay: 90),
            CollectionBucket(name: "90+", fromDay: 91, toDay: nil),
        ],
        recoveryWindowDays: 30, topDeclineReasons: 10)

    func validate() throws(CollectionsError) {
        func fail(_ message: String) -> CollectionsError { CollectionsError(.invalidStrategy, "portfolio.\(message)") }
        guard badMinDaysPastDue >= 1, nplMinDaysPastDue >= 1 else { throw fail("badMinDaysPastDue and nplMinDaysPastDue must be at least 1") }
        guard recoveryWindowDays >= 0, topDeclineReasons >= 0 else { throw fail("recoveryWindowDays and topDeclineReasons must be 0 or more") }
        for (label, buckets) in [("rollBuckets", rollBuckets), ("distributionBuckets", distributionBuckets)] {
            guard buckets.first?.fromDay == 0 else { throw fail("\(label) must start at day 0 (current)") }
            for (index, bucket) in buckets.enumerated() {
                guard !bucket.name.isEmpty, buckets.filter({ $0.name == bucket.name }).count == 1,
                      bucket.name != PortfolioMetrics.writtenOff, bucket.name != PortfolioMetrics.closed else {
                    throw fail("\(label): names must be unique, not empty, and not \"written_off\" or \"closed\"")
                }
                if index + 1 < buckets.count {
                    guard let to = bucket.toDay, to >= bucket.fromDay, buckets[index + 1].fromDay == to + 1 else {
                        throw fail("\(label): \"\(buckets[index + 1].name)\" must start the day after \"\(bucket.name)\" ends")
                    }
                } else if bucket.toDay != nil {
                    throw fail("\(label): the last bucket must have no toDay")
                }
            }
        }
    }
}

/// A loan at a month end, as the portfolio report reads the book.
public struct MonthlyLoanSnapshot: Sendable, Hashable {
    public var loanId: String
    public var originationMonth: YearMonth
    /// The month whose last day this snapshot was taken on.
    public var month: YearMonth
    public var daysPastDue: Int
    /// Principal outstanding at the month end (for a written-off loan: the principal written off).
    public var outstandingPrincipal: Money
    /// The principal lent (for the amount-weighted vintage curve).
    public var originalPrincipal: Money
    public var writtenOff: Bool

    public init(loanId: String, originationMonth: YearMonth, month: YearMonth, daysPastDue: Int,
                outstandingPrincipal: Money, originalPrincipal: Money, writtenOff: Bool = false) {
        self.loanId = loanId
        self.originationMonth = originationMonth
        self.month = month
        self.daysPastDue = daysPastDue
        self.outstandingPrincipal = outstandingPrincipal
        self.originalPrincipal = originalPrincipal
        self.writtenOff = writtenOff
    }
}

/// The bad rate of one origination month by months on book.
public struct VintageCurve: Sendable, Hashable {
    public var originationMonth: YearMonth
    public var loans: Int
    public var amount: Money
    /// One point per month on book from 1 to the last month observed.
    public var points: [VintagePoint]
}

/// Loans of a vintage that were ever bad by a month on book, by count and by amount lent.
public struct VintagePoint: Sendable, Hashable {
    /// Months from the origination month (the origination month itself is 0).
    public var monthsOnBook: Int
    public var badLoans: Int
    public var badAmount: Money
    /// badLoans ÷ loans of the vintage.
    public var loanShare: Double
    /// badAmount ÷ amount lent in the vintage.
    public var amountShare: Double
}

/// Balances moving from bucket to bucket between two month ends.
public struct RollRateMatrix: Sendable, Hashable {
    /// The months compared (`nil` for the pooled average).
    public var fromMonth: YearMonth?
    public var toMonth: YearMonth?
    /// Row states (roll buckets) and column states (roll buckets, `written_off`, `closed`).
    public var from: [String]
    public var to: [String]
    /// Balance and loans in each row state at the earlier month end (the denominator).
    public var fromBalance: [Money]
    public var fromLoans: [Int]
    /// `balance[i][j]`: balance at the later month end of loans that went from `from[i]` to `to[j]`
    /// (closed loans have no balance left, so their column holds 0 and only counts loans).
    public var balance: [[Money]]
    public var loans: [[Int]]
    /// `balance[i][j] ÷ fromBalance[i]`, `nil` when the row had no balance.
    public var rate: [[Double?]]

    /// The rate from one state to another, by name.
    public func rate(from a: String, to b: String) -> Double? {
        guard let i = from.firstIndex(of: a), let j = to.firstIndex(of: b) else { return nil }
        return rate[i][j]
    }
}

/// Roll rates of every pair of consecutive month ends, and their averages.
public struct RollRates: Sendable, Hashable {
    public var monthly: [RollRateMatrix]
    /// Σ balance ÷ Σ fromBalance over all pairs (balance-weighted).
    public var pooled: RollRateMatrix
    /// The plain mean of the monthly rates of each cell, over the pairs where the row had balance.
    public var meanRate: [[Double?]]
}

/// Count and balance in one bucket.
public struct BucketTotal: Sendable, Hashable {
    public var name: String
    public var loans: Int
    public var balance: Money

    public init(name: String, loans: Int, balance: Money) {
        self.name = name
        self.loans = loans
        self.balance = balance
    }
}

/// Days past due at one month end, by bucket; written-off loans apart.
public struct DaysPastDueDistribution: Sendable, Hashable {
    public var month: YearMonth
    public var buckets: [BucketTotal]
    public var writtenOff: BucketTotal
}

/// The non-performing loan ratio at one month end.
public struct NonPerformingRatio: Sendable, Hashable {
    public var month: YearMonth
    /// Outstanding principal of loans at `nplMinDaysPastDue` or more, not written off.
    public var nonPerforming: Money
    /// Outstanding principal of every loan not written off.
    public var outstanding: Money
    /// nonPerforming ÷ outstanding; `nil` on an empty book.
    public var ratio: Double?
    /// Loans written off in the month (written off now, not at the month before) and their principal.
    public var writtenOffLoans: Int
    public var writtenOffAmount: Money
}

/// Portfolio figures from month-end snapshots (pure; the HTML is rendered elsewhere).
public enum PortfolioMetrics {
    /// The roll-rate column of written-off loans.
    public static let writtenOff = "written_off"
    /// The roll-rate column of loans that left the book (paid off) between two month ends.
    public static let closed = "closed"

    /// Vintage curves: for each origination month, the share of its loans (and of the amount lent)
    /// that were ever bad by month on book k, for k = 1 up to the last month in the snapshots.
    ///
    /// Bad: days past due at least `badMinDaysPastDue` at a month end, or written off when
    /// `writeOffIsBad`. A loan stays bad once bad ("ever bad"); loans that closed stay in the
    /// denominator. A loan's origination month and amount are those of its first snapshot.
    public static func vintages(_ snapshots: [MonthlyLoanSnapshot], options: PortfolioOptions) -> [VintageCurve] {
        guard let latest = snapshots.map(\.month).max() else { return [] }
        struct Loan { var origination: YearMonth; var amount: Money; var firstBad: Int? }
        var loans: [String: Loan] = [:]
        for snapshot in snapshots.sorted(by: { $0.month < $1.month }) {
            var loan = loans[snapshot.loanId] ?? Loan(origination: snapshot.originationMonth, amount: snapshot.originalPrincipal, firstBad: nil)
            let bad = snapshot.daysPastDue >= options.badMinDaysPastDue || (options.writeOffIsBad && snapshot.writtenOff)
            if bad, loan.firstBad == nil { loan.firstBad = loan.origination.months(to: snapshot.month) }
            loans[snapshot.loanId] = loan
        }
        var byVintage: [YearMonth: [Loan]] = [:]
        for loan in loans.values { byVintage[loan.origination, default: []].append(loan) }
        return byVintage.keys.sorted().map { vintage in
            let members = byVintage[vintage]!
            let amount = members.reduce(Money.zero) { $0 + $1.amount }
            let horizon = vintage.months(to: latest)
            let points: [VintagePoint] = horizon < 1 ? [] : (1...horizon).map { k -> VintagePoint in
                let bad = members.filter { ($0.firstBad ?? Int.max) <= k }
                let badAmount = bad.reduce(Money.zero) { $0 + $1.amount }
                return VintagePoint(monthsOnBook: k, badLoans: bad.count, badAmount: badAmount,
                                    loanShare: Double(bad.count) / Double(members.count),
                                    amountShare: amount.fen > 0 ? Double(badAmount.fen) / Double(amount.fen) : 0)
            }
            return VintageCurve(originationMonth: vintage, loans: members.count, amount: amount, points: points)
        }
    }

    /// Roll rates between `rollBuckets` for every pair of consecutive calendar months present in
    /// the snapshots: the balance at month m of loans that were in bucket A at month m − 1 and are
    /// in B at m, over A's balance at m − 1. Loans written off at m − 1 are left out of the rows;
    /// a loan written off at m goes to `written_off` (with the principal written off), a loan
    /// absent at m to `closed`.
    public static func rollRates(_ snapshots: [MonthlyLoanSnapshot], options: PortfolioOptions) -> RollRates {
        let rows = options.rollBuckets.map(\.name)
        let columns = rows + [writtenOff, closed]
        var byMonth: [YearMonth: [String: MonthlyLoanSnapshot]] = [:]
        for snapshot in snapshots { byMonth[snapshot.month, default: [:]][snapshot.loanId] = snapshot }
        func row(_ days: Int) -> Int {
            options.rollBuckets.lastIndex { $0.fromDay <= max(days, 0) } ?? 0
        }
        func empty(_ from: YearMonth?, _ to: YearMonth?) -> RollRateMatrix {
            RollRateMatrix(fromMonth: from, toMonth: to, from: rows, to: columns,
                           fromBalance: Array(repeating: .zero, count: rows.count), fromLoans: Array(repeating: 0, count: rows.count),
                           balance: Array(repeating: Array(repeating: .zero, count: columns.count), count: rows.count),
                           loans: Array(repeating: Array(repeating: 0, count: columns.count), count: rows.count),
                           rate: Array(repeating: Array(repeating: nil, count: columns.count), count: rows.count))
        }
        func fillRates(_ matrix: inout RollRateMatrix) {
            for i in rows.indices {
                let denominator = matrix.fromBalance[i].fen
                for j in columns.indices {
                    matrix.rate[i][j] = denominator > 0 ? Double(matrix.balance[i][j].fen) / Double(denominator) : nil
                }
            }
        }
        var monthly: [RollRateMatrix] = []
        var pooled = empty(nil, nil)
        var sums = Array(repeating: Array(repeating: 0.0, count: columns.count), count: rows.count)
        var counts = Array(repeating: Array(repeating: 0, count: columns.count), count: rows.count)
        for month in byMonth.keys.sorted() {
            let previousMonth = month.adding(months: -1)
            guard let before = byMonth[previousMonth], let now = byMonth[month] else { continue }
            var matrix = empty(previousMonth, month)
            for (loanId, old) in before where !old.writtenOff {
                let i = row(old.daysPastDue)
                matrix.fromBalance[i] += old.outstandingPrincipal
                matrix.fromLoans[i] += 1
                let j: Int
                var balance = Money.zero
                if let new = now[loanId] {
                    j = new.writtenOff ? rows.count : row(new.daysPastDue)
                    balance = new.outstandingPrincipal
                } else {
                    j = rows.count + 1
                }
                matrix.balance[i][j] += balance
                matrix.loans[i][j] += 1
            }
            fillRates(&matrix)
            for i in rows.indices {
                pooled.fromBalance[i] += matrix.fromBalance[i]
                pooled.fromLoans[i] += matrix.fromLoans[i]
                for j in columns.indices {
                    pooled.balance[i][j] += matrix.balance[i][j]
                    pooled.loans[i][j] += matrix.loans[i][j]
                    if let rate = matrix.rate[i][j] {
                        sums[i][j] += rate
                        counts[i][j] += 1
                    }
                }
            }
            monthly.append(matrix)
        }
        fillRates(&pooled)
        let mean: [[Double?]] = rows.indices.map { i in
            columns.indices.map { j in counts[i][j] > 0 ? sums[i][j] / Double(counts[i][j]) : nil }
        }
        return RollRates(monthly: monthly, pooled: pooled, meanRate: mean)
    }

    /// Loans and balance by `distributionBuckets` at a month end; written-off loans apart.
    public static func daysPastDueDistribution(_ snapshots: [MonthlyLoanSnapshot], month: YearMonth,
                                               options: PortfolioOptions) -> DaysPastDueDistribution {
        var totals = options.distributionBuckets.map { BucketTotal(name: $0.name, loans: 0, balance: .zero) }
        var written = BucketTotal(name: writtenOff, loans: 0, balance: .zero)
        for snapshot in snapshots where snapshot.month == month {
            if snapshot.writtenOff {
                written.loans += 1
                written.balance += snapshot.outstandingPrincipal
                continue
            }
            let index = options.distributionBuckets.lastIndex { $0.fromDay <= max(snapshot.daysPastDue, 0) } ?? 0
            totals[index].loans += 1
            totals[index].balance += snapshot.outstandingPrincipal
        }
        return DaysPastDueDistribution(month: month, buckets: totals, writtenOff: written)
    }

    /// The NPL ratio at a month end: outstanding principal `nplMinDaysPastDue`+ days past due over
    /// all outstanding principal, both without written-off loans; and the write-offs of the month.
    public static func nonPerformingRatio(_ snapshots: [MonthlyLoanSnapshot], month: YearMonth,
                                          options: PortfolioOptions) -> NonPerformingRatio {
        let previousMonth = month.adding(months: -1)
        var writtenBefore = Set<String>()
        for snapshot in snapshots where snapshot.month == previousMonth && snapshot.writtenOff { writtenBefore.insert(snapshot.loanId) }
        var result = NonPerformingRatio(month: month, nonPerforming: .zero, outstanding: .zero, ratio: nil,
                                        writtenOffLoans: 0, writtenOffAmount: .zero)
        for snapshot in snapshots where snapshot.month == month {
            if snapshot.writtenOff {
                if !writtenBefore.contains(snapshot.loanId) {
                    result.writtenOffLoans += 1
                    result.writtenOffAmount += snapshot.outstandingPrincipal
                }
                continue
            }
            result.outstanding += snapshot.outstandingPrincipal
            if snapshot.daysPastDue >= options.nplMinDaysPastDue { result.nonPerforming += snapshot.outstandingPrincipal }
        }
        if result.outstanding.fen > 0 { result.ratio = Double(result.nonPerforming.fen) / Double(result.outstanding.fen) }
        return result
    }
}
