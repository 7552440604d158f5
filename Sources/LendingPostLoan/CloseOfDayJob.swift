import LendingLoanBook
import LendingModel
import LendingStorePorts

/// What `lending eod --as-of DATE` does: servicing's end of day for every active loan
/// (``EndOfDayJob``), then post-loan for the same date (``PostLoanJob``: collections,
/// write-offs, early warning, month-end snapshots). Each part commits batch by batch and runs a
/// date once, so running again after a kill finishes what was left.
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
        if var postLoan {
            postLoan.asOf = endOfDay.asOf
            postLoanSummary = try postLoan.run(store: store)
        }
        return Summary(servicing: servicing, postLoan: postLoanSummary, seconds: monotonicSeconds() - started)
    }
}
