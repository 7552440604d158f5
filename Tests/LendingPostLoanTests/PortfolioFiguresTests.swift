import Foundation
import LendingCollections
import LendingModel
import LendingServicing
import Testing
import LendingPostLoan

/// The report's roll rates and vintages, against a computation written here from the loans'
/// states read at each month-end (not from the stored snapshots, not with PortfolioMetrics).
@Suite(.serialized) struct PortfolioFiguresTests {
    func report(_ book: PostLoanBook) throws -> PortfolioReport {
        try PortfolioReportJob(asOf: CalendarDay(iso: "2026-03-31")!, outputPath: "/dev/null", strategy: PostLoanBook.strategy)
            .report(store: book.store)
    }

    /// A month-end as the report sees the book: active and written-off loans (paid-off loans are gone).
    static func onBook(_ states: [LoanState]) -> [String: LoanState] {
        var result: [String: LoanState] = [:]
        for state in states where state.status != .paidOff { result[state.loanID] = state }
        return result
    }

    static func rollIndex(_ days: Int) -> Int {
        switch days {
        case ...0: 0
        case 1...30: 1
        case 31...60: 2
        case 61...90: 3
        default: 4
        }
    }

    @Test func pooledRollRatesEqualAnIndependentComputationFromTheLoans() throws {
        let book = try PostLoanBook.shared.get()
        let months = book.monthEnds.keys.sorted()
        #expect(months.count == 3)
        // from × (5 buckets, written_off, closed)
        var balance = Array(repeating: Array(repeating: Int64(0), count: 7), count: 5)
        var denominator = Array(repeating: Int64(0), count: 5)
        for (earlier, later) in zip(months, months.dropFirst()) {
            let before = Self.onBook(book.monthEnds[earlier]!)
            let after = Self.onBook(book.monthEnds[later]!)
            for (id, old) in before where old.status == .active {
                let row = Self.rollIndex(old.daysPastDue)
                denominator[row] += old.outstandingPrincipal.fen
                if let new = after[id] {
                    if new.status == .writtenOff {
                        balance[row][5] += new.writtenOff?.principal.fen ?? 0
                    } else {
                        balance[row][Self.rollIndex(new.daysPastDue)] += new.outstandingPrincipal.fen
                    }
                }
            }
        }
        let pooled = try report(book).rollRates.pooled
        #expect(pooled.from == ["current", "1-30", "31-60", "61-90", "90+"])
        #expect(pooled.fromBalance.map(\.fen) == denominator)
        for row in 0..<5 {
            for column in 0..<7 {
                let expected: Double? = denominator[row] > 0 ? Double(balance[row][column]) / Double(denominator[row]) : nil
                #expect(pooled.rate[row][column] == expected, "row \(row) column \(column)")
            }
        }
        #expect(denominator[0] > 0 && balance[0][1] > 0)
    }

    @Test func vintageCurvesEqualAnIndependentComputationFromTheLoans() throws {
        let book = try PostLoanBook.shared.get()
        let months = book.monthEnds.keys.sorted()
        // Each loan that was on the book at some month-end: its vintage, amount, first bad month on book.
        var loans: [String: (vintage: YearMonth, amount: Int64, firstBad: Int?)] = [:]
        for month in months {
            for (id, state) in Self.onBook(book.monthEnds[month]!) {
                var loan = loans[id] ?? (YearMonth(state.disbursedOn), state.principal.fen, nil)
                let bad = state.status == .writtenOff || state.daysPastDue >= 30
                if bad, loan.firstBad == nil { loan.firstBad = loan.vintage.months(to: month) }
                loans[id] = loan
            }
        }
        let curves = try report(book).vintages
        #expect(curves.map(\.originationMonth) == Array(Set(loans.values.map(\.vintage))).sorted())
        for curve in curves {
            let members = loans.values.filter { $0.vintage == curve.originationMonth }
            let amount = members.reduce(Int64(0)) { $0 + $1.amount }
            #expect(curve.loans == members.count && curve.amount.fen == amount)
            let horizon = curve.originationMonth.months(to: months.last!)
            #expect(curve.points.map(\.monthsOnBook) == (horizon >= 1 ? Array(1...horizon) : []))
            for point in curve.points {
                let bad = members.filter { ($0.firstBad ?? .max) <= point.monthsOnBook }
                #expect(point.badLoans == bad.count)
                #expect(point.loanShare == Double(bad.count) / Double(members.count))
                #expect(point.amountShare == Double(bad.reduce(Int64(0)) { $0 + $1.amount }) / Double(amount))
            }
        }
        #expect(curves.first?.points.last?.badLoans ?? 0 > 0)
    }
}
