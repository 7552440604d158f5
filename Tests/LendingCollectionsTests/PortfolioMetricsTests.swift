import LendingCollections
import LendingModel
import Testing

/// Portfolio figures on a small hand-made book, checked by hand and against a reference written
/// differently (plain scans of the snapshot list, no dictionaries), also on random books.
@Suite struct PortfolioMetricsTests {
    let options = PortfolioOptions.standard

    static func month(_ text: String) -> YearMonth { YearMonth(iso: text)! }

    /// Five loans over January to April 2026 (amounts in yuan):
    /// - A (Jan, 1000): Jan 0 dpd/1000, Feb 0/900, Mar 35/900, Apr 65/900
    /// - B (Jan, 2000): Jan 0/2000, Feb 10/2000, Mar 0/1700, paid off before April's end
    /// - C (Feb, 500):  Feb 0/500, Mar 20/500, Apr 50/500
    /// - D (Feb, 1500): Feb 0/1500, Mar 0/1400, Apr 0/1300
    /// - E (Jan, 800):  Jan 0/800, Feb 31/800, Mar 95/800, Apr written off 800
    static let book: [MonthlyLoanSnapshot] = {
        func s(_ id: String, _ origin: String, _ amount: String, _ month: String, _ dpd: Int, _ balance: String,
               written: Bool = false) -> MonthlyLoanSnapshot {
            MonthlyLoanSnapshot(loanId: id, originationMonth: Self.month(origin), month: Self.month(month), daysPastDue: dpd,
                                outstandingPrincipal: yuan(balance), originalPrincipal: yuan(amount), writtenOff: written)
        }
        return [
            s("A", "2026-01", "1000", "2026-01", 0, "1000"), s("A", "2026-01", "1000", "2026-02", 0, "900"),
            s("A", "2026-01", "1000", "2026-03", 35, "900"), s("A", "2026-01", "1000", "2026-04", 65, "900"),
            s("B", "2026-01", "2000", "2026-01", 0, "2000"), s("B", "2026-01", "2000", "2026-02", 10, "2000"),
            s("B", "2026-01", "2000", "2026-03", 0, "1700"),
            s("C", "2026-02", "500", "2026-02", 0, "500"), s("C", "2026-02", "500", "2026-03", 20, "500"),
            s("C", "2026-02", "500", "2026-04", 50, "500"),
            s("D", "2026-02", "1500", "2026-02", 0, "1500"), s("D", "2026-02", "1500", "2026-03", 0, "1400"),
            s("D", "2026-02", "1500", "2026-04", 0, "1300"),
            s("E", "2026-01", "800", "2026-01", 0, "800"), s("E", "2026-01", "800", "2026-02", 31, "800"),
            s("E", "2026-01", "800", "2026-03", 95, "800"), s("E", "2026-01", "800", "2026-04", 0, "800", written: true),
        ]
    }()

    @Test func vintageCurvesOfTheSmallBookMatchTheHandCount() throws {
        let curves = PortfolioMetrics.vintages(Self.book, options: options)
        #expect(curves.map(\.originationMonth.description) == ["2026-01", "2026-02"])
        // January: E is bad at month on book 1 (31 dpd in Feb), A at 2 (35 in Mar), B never.
        let january = curves[0]
        #expect(january.loans == 3)
        #expect(january.amount == yuan("3800"))
        #expect(january.points.map(\.monthsOnBook) == [1, 2, 3])
        #expect(january.points.map(\.badLoans) == [1, 2, 2])
        #expect(january.points.map(\.badAmount) == [yuan("800"), yuan("1800"), yuan("1800")])
        let shares: [Double] = [800.0 / 3800, 1800.0 / 3800, 1800.0 / 3800]
        #expect(january.points.map(\.amountShare) == shares)
        // February: C reaches 50 dpd in April (month on book 2).
        #expect(curves[1].points.map(\.loanShare) == [0, 0.5])
        #expect(curves[1].points.map(\.amountShare) == [0, 0.25])
    }

    @Test func rollRatesOfTheSmallBookMatchTheHandCount() throws {
        let rates = PortfolioMetrics.rollRates(Self.book, options: options)
        #expect(rates.monthly.map { "\($0.fromMonth!)>\($0.toMonth!)" } == ["2026-01>2026-02", "2026-02>2026-03", "2026-03>2026-04"])
        let february = rates.monthly[1]
        // Worked by hand, February → March: current in February were A (900), C (500), D (1500):
        // 2900. In March A is 31-60 (900), C 1-30 (500), D current (1400). So
        // current → 31-60 = 900 / 2900 = 0.310 344 8...; B went 1-30 → current: 1700 / 2000 = 0.85.
        #expect(february.fromBalance == [yuan("2900"), yuan("2000"), yuan("800"), .zero, .zero])
        #expect(february.rate(from: "current", to: "31-60") == 900.0 / 2900)
        #expect(february.rate(from: "current", to: "current") == 1400.0 / 2900)
        #expect(february.rate(from: "current", to: "1-30") == 500.0 / 2900)
        #expect(february.rate(from: "1-30", to: "current") == 0.85)
        #expect(february.rate(from: "31-60", to: "90+") == 1)
        #expect(february.rate(from: "61-90", to: "90+") == nil)
        let march = rates.monthly[2]
        #expect(march.rate(from: "90+", to: "written_off") == 1)
        #expect(march.loans[0][6] == 1) // B closed
        #expect(march.rate(from: "current", to: "closed") == 0)
        // Pooled current → current: (900 + 1400 + 1300) / (3800 + 2900 + 3100).
        #expect(rates.pooled.rate(from: "current", to: "current") == 3600.0 / 9800)
        let monthlyRates: [Double] = [900.0 / 3800, 1400.0 / 2900, 1300.0 / 3100]
        let mean: Double = (monthlyRates[0] + monthlyRates[1] + monthlyRates[2]) / 3
        #expect(rates.meanRate[0][0] == mean)
    }

    @Test func theDistributionAndNPLOfTheSmallBookMatchTheHandCount() {
        let april = PortfolioMetrics.daysPastDueDistribution(Self.book, month: Self.month("2026-04"), options: options)
        #expect(april.buckets.map(\.loans) == [1, 0, 0, 0, 1, 1, 0])
        #expect(april.buckets.map(\.balance) == [yuan("1300"), .zero, .zero, .zero, yuan("500"), yuan("900"), .zero])
        #expect(april.writtenOff == BucketTotal(name: "written_off", loans: 1, balance: yuan("800")))
        let march = PortfolioMetrics.nonPerformingRatio(Self.book, month: Self.month("2026-03"), options: options)
        #expect(march.nonPerforming == yuan("800"))
        #expect(march.outstanding == yuan("5300"))
        #expect(march.ratio == 800.0 / 5300)
        let aprilNPL = PortfolioMetrics.nonPerformingRatio(Self.book, month: Self.month("2026-04"), options: options)
        #expect(aprilNPL.ratio == 0)
        #expect(aprilNPL.writtenOffLoans == 1)
        #expect(aprilNPL.writtenOffAmount == yuan("800"))
    }

    // MARK: reference computations, written differently

    /// Bucket index by a plain chain of comparisons on the standard roll buckets.
    static func rollBucket(_ dpd: Int) -> Int { dpd <= 0 ? 0 : dpd <= 30 ? 1 : dpd <= 60 ? 2 : dpd <= 90 ? 3 : 4 }

    /// Roll rate from row `a` to column `b` (5 = written off, 6 = closed) between two months.
    static func referenceRoll(_ book: [MonthlyLoanSnapshot], from: YearMonth, to: YearMonth, _ a: Int, _ b: Int) -> (Int64, Int64) {
        var numerator: Int64 = 0, denominator: Int64 = 0
        for old in book where old.month == from && !old.writtenOff && rollBucket(old.daysPastDue) == a {
            denominator += old.outstandingPrincipal.fen
            let later = book.filter { $0.month == to && $0.loanId == old.loanId }
            let column = later.isEmpty ? 6 : later[0].writtenOff ? 5 : rollBucket(later[0].daysPastDue)
            if column == b { numerator += later.first?.outstandingPrincipal.fen ?? 0 }
        }
        return (numerator, denominator)
    }

    static func referenceVintage(_ book: [MonthlyLoanSnapshot], vintage: YearMonth, monthsOnBook k: Int) -> (bad: Int, loans: Int, badFen: Int64, fen: Int64) {
        var ids: [String] = []
        for snapshot in book where snapshot.originationMonth == vintage && !ids.contains(snapshot.loanId) { ids.append(snapshot.loanId) }
        var bad = 0, badFen: Int64 = 0, fen: Int64 = 0
        for id in ids {
            let rows = book.filter { $0.loanId == id }
            fen += rows[0].originalPrincipal.fen
            let limit = vintage.adding(months: k)
            if rows.contains(where: { $0.month <= limit && ($0.daysPastDue >= 30 || $0.writtenOff) }) {
                bad += 1
                badFen += rows[0].originalPrincipal.fen
            }
        }
        return (bad, ids.count, badFen, fen)
    }

    /// A random book: loans originated over 6 months, followed to month 9 with a random walk of
    /// delinquency, pay-offs and write-offs.
    static func randomBook(seed: UInt64) -> [MonthlyLoanSnapshot] {
        var random = SplitMix64(seed: seed)
        let first = month("2025-01")
        var book: [MonthlyLoanSnapshot] = []
        for index in 0..<120 {
            let origin = first.adding(months: Int.random(in: 0..<6, using: &random))
            let amount = Int64.random(in: 50_000...2_000_000, using: &random)
            var balance = amount, dpd = 0, written = false
            for k in 0...(9 - first.months(to: origin)) {
                let month = origin.adding(months: k)
                if !written {
                    let roll = Int.random(in: 0..<100, using: &random)
                    if k > 0 {
                        if roll < 5 { break } // paid off
                        if dpd > 0 && roll < 40 { dpd = 0 } else if roll > 80 || dpd > 0 { dpd += Int.random(in: 15...45, using: &random) }
                        balance = max(balance - amount / 12, 0)
                        if dpd > 120 { written = true }
                    }
                }
                book.append(MonthlyLoanSnapshot(loanId: "L\(index)", originationMonth: origin, month: month, daysPastDue: dpd,
                                                outstandingPrincipal: Money(fen: balance), originalPrincipal: Money(fen: amount),
                                                writtenOff: written))
            }
        }
        return book
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func rollRatesEqualTheReferenceOnRandomBooks(seed: UInt64) {
        let book = Self.randomBook(seed: seed)
        let rates = PortfolioMetrics.rollRates(book, options: options)
        #expect(rates.monthly.count == 9)
        // The random walk reaches every kind of column: write-offs and pay-offs included.
        #expect(rates.pooled.loans.reduce(0) { $0 + $1[5] } > 0)
        #expect(rates.pooled.loans.reduce(0) { $0 + $1[6] } > 0)
        #expect(rates.pooled.loans.reduce(0) { $0 + $1[4] } > 0)
        var pooled = [[Int64]](repeating: [Int64](repeating: 0, count: 7), count: 5)
        var pooledDenominator = [Int64](repeating: 0, count: 5)
        for matrix in rates.monthly {
            for a in 0..<5 {
                for b in 0..<7 {
                    let (numerator, denominator) = Self.referenceRoll(book, from: matrix.fromMonth!, to: matrix.toMonth!, a, b)
                    #expect(matrix.balance[a][b].fen == numerator)
                    #expect(matrix.fromBalance[a].fen == denominator)
                    #expect(matrix.rate[a][b] == (denominator > 0 ? Double(numerator) / Double(denominator) : nil))
                    pooled[a][b] += numerator
                    if b == 0 { pooledDenominator[a] += denominator }
                }
            }
        }
        for a in 0..<5 {
            for b in 0..<7 {
                let expected = pooledDenominator[a] > 0 ? Double(pooled[a][b]) / Double(pooledDenominator[a]) : nil
                #expect(rates.pooled.rate[a][b] == expected)
            }
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func vintagesEqualTheReferenceOnRandomBooks(seed: UInt64) {
        let book = Self.randomBook(seed: seed)
        let curves = PortfolioMetrics.vintages(book, options: options)
        #expect(curves.reduce(0) { $0 + $1.loans } == 120)
        for curve in curves {
            #expect(curve.points.count == curve.originationMonth.months(to: Self.month("2025-10")))
            for point in curve.points {
                let reference = Self.referenceVintage(book, vintage: curve.originationMonth, monthsOnBook: point.monthsOnBook)
                #expect(point.badLoans == reference.bad)
                #expect(curve.loans == reference.loans)
                #expect(point.badAmount.fen == reference.badFen)
                #expect(point.loanShare == Double(reference.bad) / Double(reference.loans))
                #expect(point.amountShare == Double(reference.badFen) / Double(reference.fen))
            }
        }
    }

    // MARK: funnel and collections results

    @Test func theFunnelDropsEachDeclineAtItsEarliestStage() {
        var counter = ApprovalFunnelCounter()
        for _ in 0..<3 { counter.add(outcome: .approve, reasonCodes: []) }
        counter.add(outcome: .review, reasonCodes: ["PL_MANUAL"])
        counter.add(outcome: .decline, reasonCodes: ["WL_NOT_INVITED"])
        counter.add(outcome: .decline, reasonCodes: ["FR_DEVICE_VELOCITY", "ID_NAME_MISMATCH"])
        counter.add(outcome: .decline, reasonCodes: ["FR_DEVICE_VELOCITY", "FR_DEVICE_VELOCITY"])
        counter.add(outcome: .decline, reasonCodes: ["CR_SCORE_LOW", "PL_DTI"])
        counter.add(outcome: .decline, reasonCodes: ["PL_DTI"])
        counter.add(outcome: .decline, reasonCodes: [])
        let funnel = counter.funnel(top: 3)
        let steps: [Int] = [funnel.applied, funnel.passedWhitelist, funnel.passedIdentity, funnel.passedFraud, funnel.passedCredit,
                            funnel.approved]
        #expect(steps == [10, 9, 8, 7, 4, 3])
        #expect(funnel.inReview == 1)
        #expect(funnel.topDeclineReasons == [ReasonCount(code: "FR_DEVICE_VELOCITY", count: 2), ReasonCount(code: "PL_DTI", count: 2),
                                             ReasonCount(code: "CR_SCORE_LOW", count: 1)])
    }

    @Test func collectionResultsCreditPaymentsToTheLastTouch() {
        func act(_ id: String, _ action: CollectionAction, _ time: String) -> PlannedAction {
            PlannedAction(loanId: id, action: action, channel: action == .sms ? .sms : .phone, scheduledAt: instant(time),
                          utcOffsetSeconds: china, bucket: "1-3", reason: "")
        }
        let actions = [act("L1", .sms, "2026-11-01T09:00:00+08:00"), act("L1", .agentCall, "2026-11-03T09:00:00+08:00"),
                       act("L2", .agentCall, "2026-11-02T09:00:00+08:00")]
        let outcomes = [
            ContactOutcome(loanId: "L1", action: .agentCall, happenedAt: instant("2026-11-03T09:01:00+08:00"), result: .promiseToPay,
                           promiseDate: day("2026-11-05"), promiseAmount: yuan("300.00")),
            ContactOutcome(loanId: "L2", action: .agentCall, happenedAt: instant("2026-11-02T09:01:00+08:00"), result: .noAnswer),
        ]
        let payments = [PaymentRecord(loanId: "L1", paidOn: day("2026-11-02"), amount: yuan("100.00")),
                        PaymentRecord(loanId: "L1", paidOn: day("2026-11-05"), amount: yuan("300.00")),
                        PaymentRecord(loanId: "L2", paidOn: day("2026-12-15"), amount: yuan("500.00"))]
        let results = PortfolioMetrics.collectionResults(actions: actions, outcomes: outcomes, payments: payments, strategy: .standard)
        let sms = results.first { $0.action == .sms }!, agent = results.first { $0.action == .agentCall }!
        #expect(results.count == CollectionAction.allCases.count)
        #expect(sms == ActionResult(action: .sms, attempts: 1, contacts: 0, promises: 0, keptPromises: 0, recovered: yuan("100.00")))
        // L2's payment comes 43 days after its call: outside the 30-day window.
        #expect(agent == ActionResult(action: .agentCall, attempts: 2, contacts: 1, promises: 1, keptPromises: 1, recovered: yuan("300.00")))
    }

    @Test func monthsParseAndCount() {
        #expect(YearMonth(iso: "2026-13") == nil)
        #expect(Self.month("2026-11").adding(months: 3).description == "2027-02")
        #expect(Self.month("2026-01").adding(months: -1).description == "2025-12")
        #expect(Self.month("2025-11").months(to: Self.month("2026-02")) == 3)
        #expect(Self.month("2028-02").lastDay == day("2028-02-29"))
    }
}
