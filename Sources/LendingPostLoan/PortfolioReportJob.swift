import Foundation
import LendingCSV
import LendingCollections
import LendingModel
import LendingStorePorts

/// What `lending report portfolio --as-of DATE -o REPORT.html` does: reads the month-end
/// snapshots through DATE's month, the latest decision of every application, the action log,
/// the outcomes, the repayments and the back office's corrections, and renders ``PortfolioReport`` as one self-contained HTML
/// file (inline CSS and SVG, no script, no network), written atomically.
public struct PortfolioReportJob {
    public var asOf: CalendarDay
    public var outputPath: String
    public var strategy: CollectionStrategy
    public var title: String
    /// Extra header figures (the demo adds its own).
    public var highlights: [(label: String, value: String)]

    public init(asOf: CalendarDay, outputPath: String, strategy: CollectionStrategy = .standard, title: String = "Loan book",
                highlights: [(label: String, value: String)] = []) {
        self.asOf = asOf
        self.outputPath = outputPath
        self.strategy = strategy
        self.title = title
        self.highlights = highlights
    }

    /// Builds the report from the store (without writing it).
    public func report(store: any CollectionsStore & ApprovalReading) throws -> PortfolioReport {
        let approvals = try store.approvals(status: .approved)
        return try store.readCollections { transaction in
            let snapshots = try transaction.snapshots(through: YearMonth(asOf))
            var funnel = ApprovalFunnelCounter()
            for decision in try transaction.latestDecisions() { funnel.add(outcome: decision.outcome, reasonCodes: decision.reasonCodes) }
            let actions = try transaction.allActions()
            let touched = Set(actions.map(\.loanId))
            let payments = try transaction.allPayments().filter { touched.contains($0.loanId) && $0.paidOn <= asOf }
            let results = PortfolioMetrics.collectionResults(actions: actions, outcomes: try transaction.allOutcomes(), payments: payments,
                                                             strategy: strategy)
            let (loans, lent) = try transaction.paidOutTotals()
            let figures = [("Disbursed", "\(lent.yuanString) in \(loans) loans")] + highlights
            var report = PortfolioReport(title: title, asOf: asOf, snapshots: snapshots, funnel: funnel.funnel(top: strategy.portfolio.topDeclineReasons),
                                         collections: results.filter { $0.attempts > 0 }, highlights: figures, options: strategy.portfolio)
            report.corrections = try CorrectionSummary.lines(approvals: approvals, asOf: asOf, in: transaction)
            return report
        }
    }

    /// Builds and writes the report.
    /// - Returns: the report written.
    public func run(store: any CollectionsStore & ApprovalReading) throws -> PortfolioReport {
        let report = try report(store: store)
        let file = try OutputFile(path: outputPath)
        do {
            var html = report.html()
            try html.withUTF8 { bytes in try file.write(UnsafeRawBufferPointer(bytes)) }
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
        return report
    }
}
