import LendingCSV
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// What `lending draw` does: takes DRAWS.csv (`draw_id, line_id, amount, term_months,
/// requested_at`) in file order, in one transaction. Each draw checks the line (not frozen,
/// the amount within what is available), lowers the line's available amount and makes a loan
/// (loan id = draw id, the line's rate, the product's method, its own term) waiting to be paid
/// out by `lending disburse`, whose schedule runs from its payout day.
///
/// Idempotent by draw id as ``RepayJob`` is by payment id. A refused draw is a row error.
public struct DrawJob {
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
        public var drawn = 0
        public var repeated = 0
        public var rejected = 0
        public var amount = Money.zero
    }

    public static let columns = ["draw_id", "line_id", "amount", "term_months", "requested_at"]

    /// Runs the job.
    /// - Throws: as ``RepayJob/run(store:)``.
    public func run(store: any ServicingStore) throws -> Summary {
        var summary = Summary()
        let counts = try ServicingRows.withRejects(rejectsPath) { rejects in
            try store.withServicingTransaction { transaction in
                let taker = DrawTaker(products: products)
                return try ServicingRows(path: inputPath, required: DrawJob.columns, rejects: rejects).run { row in
                    let (lineID, request) = try DrawJob.read(row)
                    switch try taker.take(request, lineID: lineID, in: transaction) {
                    case .taken:
                        summary.drawn += 1
                        summary.amount += request.amount
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

    static func read(_ row: ServicingRows.Row) throws -> (String, CreditLine.DrawRequest) {
        let id = row("draw_id")
        guard !id.isEmpty else { throw row.problem("draw_id", "draw.draw_id", "\"draw_id\" is empty; give every draw a unique id") }
        let lineID = row("line_id")
        guard !lineID.isEmpty else { throw row.problem("line_id", "draw.line_id", "\"line_id\" is empty; name the credit line") }
        guard let amount = Money(yuan: row("amount")), amount.fen > 0 else {
            throw row.problem("amount", "draw.amount", "\"amount\" is \"\(clippedForMessage(row("amount")))\", not a positive amount in yuan such as 2000.00")
        }
        guard let months = Int(row("term_months")), (1...Schedule.maxMonths).contains(months) else {
            throw row.problem("term_months", "draw.term_months", "\"term_months\" is \"\(clippedForMessage(row("term_months")))\", not a number of months from 1 to \(Schedule.maxMonths)")
        }
        guard let date = CalendarDay(iso: row("requested_at")) else {
            throw row.problem("requested_at", "draw.requested_at", "\"requested_at\" is \"\(clippedForMessage(row("requested_at")))\", not a date YYYY-MM-DD")
        }
        return (lineID, CreditLine.DrawRequest(drawID: id, amount: amount, months: months, date: date))
    }
}
