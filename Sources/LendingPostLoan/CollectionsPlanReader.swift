import Crypto
import LendingCSV
import LendingCollections
import LendingModel
import LendingStorePorts

/// What `lending collections plan --as-of DATE` reads: the actions planned for DATE's contact
/// hours, which the post-loan run of the day before (`eod --as-of DATE-1`) stored.
public enum CollectionsPlanReader {
    /// The actions for `day`'s contact hours that are not cancelled, in plan order (bucket,
    /// riskiest first, time), or `nil` when the post-loan run of the day before has not run.
    /// It reads only: ``CollectionsPlanJob`` also checks the plan against the outcomes recorded
    /// since and cancels what the contact rules now forbid (what a dialer should ask for).
    public static func actions(for day: CalendarDay, store: any CollectionsStore) throws -> [PlannedAction]? {
        try store.readCollections { transaction in
            let previous = day.adding(days: -1)
            guard try transaction.postLoanRun(on: previous) != nil else { return nil }
            let cancelled = Set(try transaction.cancelledActions(plannedOn: previous).map { "\($0.loanID)\u{1F}\($0.action.rawValue)\u{1F}\($0.scheduledAt.secondsSinceEpoch)" })
            return try transaction.actions(plannedOn: previous).filter {
                !cancelled.contains("\($0.loanId)\u{1F}\($0.action.rawValue)\u{1F}\($0.scheduledAt.secondsSinceEpoch)")
            }
        }
    }

    /// Writes ACTIONS.csv (`loan_id, action, channel, scheduled_at, bucket, reason`).
    public static func write(_ actions: [PlannedAction], to path: String) throws {
        let file = try OutputFile(path: path)
        var buffer = CSVOutputBuffer()
        buffer.appendRecord(PlannedAction.csvHeader)
        for action in actions {
            buffer.appendRecord(action.csvFields)
            if buffer.count > 1 << 16 {
                try file.write(buffer)
                buffer.removeAll()
            }
        }
        try file.write(buffer)
        try file.commit()
    }
}
