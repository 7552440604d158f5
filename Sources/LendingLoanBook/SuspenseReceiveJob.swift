import LendingCSV
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// What `lending suspense receive RECEIPTS.csv` does: puts cash that belongs to no known loan
/// (`receipt_id, received_at, amount`) in suspense, in file order, in one transaction: every
/// receipt or none (``SuspenseDesk/receive(receiptID:on:amount:in:)``).
///
/// Idempotent by receipt id: the same row again changes nothing (counted as repeated); the same
/// id with another date or amount is a row error naming both.
public struct SuspenseReceiveJob {
    public var inputPath: String
    public var rejectsPath: String?
    public var products: ProductCatalog

    public init(inputPath: String, rejectsPath: String? = nil, products: ProductCatalog = .standard) {
        self.inputPath = inputPath
        self.rejectsPath = rejectsPath
        self.products = products
    }

    public struct Summary: Sendable, Equatable {
        public var rows = 0
        public var received = 0
        public var repeated = 0
        public var rejected = 0
        /// The total put in suspense (not counting repeated or rejected rows).
        public var amount = Money.zero
    }

    public static let columns = ["receipt_id", "received_at", "amount"]

    /// Runs the job.
    /// - Throws: ``LendingError`` at the first bad row without a rejects file (nothing stored),
    ///   ``CSVError`` for an unreadable file or header, and the store's errors.
    public func run(store: any ServicingStore) throws -> Summary {
        var summary = Summary()
        let desk = SuspenseDesk(products: products)
        let counts = try ServicingRows.withRejects(rejectsPath) { rejects in
            try store.withServicingTransaction { transaction in
                try ServicingRows(path: inputPath, required: SuspenseReceiveJob.columns, rejects: rejects).run { row in
                    guard let date = CalendarDay(iso: row("received_at")) else {
                        throw row.problem("received_at", "suspense.received_at", "\"received_at\" is \"\(clippedForMessage(row("received_at")))\", not a date YYYY-MM-DD")
                    }
                    guard let amount = Money(yuan: row("amount")), amount.fen > 0 else {
                        throw row.problem("amount", "suspense.amount", "\"amount\" is \"\(clippedForMessage(row("amount")))\", not a positive amount in yuan such as 120.50")
                    }
                    switch try desk.receive(receiptID: row("receipt_id"), on: date, amount: amount, in: transaction) {
                    case .received:
                        summary.received += 1
                        summary.amount += amount
                    case .repeated:
                        summary.repeated += 1
                    }
                }
            }
        }
        summary.rows = counts.rows
        summary.rejected = counts.rejected
        return summary
    }
}
