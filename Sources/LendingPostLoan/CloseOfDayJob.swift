import LendingLoanBook
import LendingModel
import LendingStorePorts

/// What `lending eod --as-of DATE` does: servicing's end of day for every active loan
/// (``EndOfDayJob``), then post-loan for the same date (``PostLoanJob``: collections,
/// write-offs, early warning, month-end snapshots). Each part commits batch by batch and runs a
/// date once, so running again after a kill finishes what was left.
///
/// Post-loan needs every loan run through the date: when servicing ran one share of the book
/// (`--partition`) and loans of other shares are not run yet, post-loan waits, and the run that
/// finishes the last share runs it (two at once: the second finds the date already run).
public struct CloseOfDayJob {
    public var endOfDay: EndOfDayJob
    /// Post-loan after servicing; `nil`: servicing only.
    public var postLoan: PostLoanJob?

    public init(endOfDay: EndOfDayJob, postLoan: PostLoanJob? = nil) {
        self.endOfDay = endOfDay
        self.postLoan = postLoan
    }

    public struct Summary: Sendable, Equatable {
        public var servicing: EndOfDayJob.Summary
        /// What post-loan did, when it ran.
        public var postLoan: PostLoanJob.Summary?
        /// Active loans of other shares not yet run through the date, when post-loan waited for them.
        public var postLoanWaitsFor: Int?
        /// Both parts.
        public var seconds: Double
    }

    /// Runs servicing then post-loan for `endOfDay.asOf`.
    /// - Throws: what ``EndOfDayJob/run(store:progress:)`` and ``PostLoanJob/run(store:)`` throw;
    ///   post-loan does not run when servicing failed.
    public func run(store: any CollectionsStore, progress: (@Sendable (EndOfDayJob.Progress) -> Void)? = nil) throws -> Summary {
        let started = monotonicSeconds()
        let servicing = try endOfDay.run(store: store, progress: progress)
        var postLoanSummary: PostLoanJob.Summary?
        var waitsFor: Int?
        if var postLoan {
            let asOf = endOfDay.asOf
            let remaining = try store.readServicing { transaction -> Int in
                var rows = DailyLoanRows()
                try transaction.activeLoans(after: .start, notProcessedThrough: asOf, limit: 1_000, into: &rows)
                return rows.count
            }
            if remaining > 0 {
                waitsFor = remaining
            } else {
                postLoan.asOf = asOf
                postLoanSummary = try postLoan.run(store: store)
            }
        }
        return Summary(servicing: servicing, postLoan: postLoanSummary, postLoanWaitsFor: waitsFor, seconds: monotonicSeconds() - started)
    }
}
