import LendingModel
import LendingStorePorts

/// Where end of day stands for a date (`lending eod --status`, `GET /v1/eod`): how many active
/// loans are not yet processed through it, whether its post-loan run (collections, early warning)
/// has run, and the last date post-loan ran. A date is done when both are through.
public struct EndOfDayStatus: Sendable, Equatable {
    public var date: CalendarDay
    /// Active loans whose interest, penalties and days past due are not yet through ``date``.
    public var loansBehind: Int
    /// Whether the post-loan run of ``date`` has run.
    public var postLoanRan: Bool
    /// The last date whose post-loan run has run, if any.
    public var lastPostLoanRun: CalendarDay?
    /// Loans and post-loan both through ``date``.
    public var done: Bool { loansBehind == 0 && postLoanRan }

    public init(date: CalendarDay, loansBehind: Int, postLoanRan: Bool, lastPostLoanRun: CalendarDay?) {
        self.date = date
        self.loansBehind = loansBehind
        self.postLoanRan = postLoanRan
        self.lastPostLoanRun = lastPostLoanRun
    }

    /// Reads the status of `day` from one snapshot.
    public static func read(asOf day: CalendarDay, store: any CollectionsStore) throws -> EndOfDayStatus {
        try store.readCollections { transaction in
            var behind = 0
            try transaction.forEachActiveLoanBatch(notProcessedThrough: day) { behind += $0.count }
            return EndOfDayStatus(date: day, loansBehind: behind, postLoanRan: try transaction.postLoanRun(on: day) != nil,
                                  lastPostLoanRun: try transaction.lastPostLoanRun())
        }
    }
}
