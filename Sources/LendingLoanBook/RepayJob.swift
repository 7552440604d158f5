import LendingCSV
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// What `lending repay` does: applies PAYMENTS.csv (`payment_id, loan_id, paid_at, amount`) in
/// file order, in one transaction: every payment or none.
///
/// Each payment catches the loan's end of day up through its date, settles what is due in the
/// product's order, then follows the overpayment rule (``Servicing/repay(_:payment:terms:)``),
/// and posts the catch-up accruals and the repayment entry `repay:PAYMENT` on the hash chain.
/// Principal repaid on a draw is available on its line again.
///
/// Idempotent by payment id: a payment is stored with the SHA-256 of its row; the same row again
/// changes nothing (counted as repeated), the same id with another amount, loan or date is a row
/// error naming the id and both amounts. Unknown loans, loans not yet paid out and payments
/// dated before the loan's last end of day are row errors too.
public struct RepayJob {
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
        public var applied = 0
        /// Rows already applied (the same payment again): nothing changed.
        public var repeated = 0
        public var rejected = 0
        /// The total applied (not counting repeated or rejected rows).
        public var amount = Money.zero
        public var seconds = 0.0
    }

    public static let columns = ["payment_id", "loan_id", "paid_at", "amount"]

    /// Runs the job.
    /// - Throws: ``LendingError`` at the first bad row without a rejects file (nothing stored),
    ///   ``CSVError`` for an unreadable file or header, and the store's errors.
    public func run(store: any ServicingStore) throws -> Summary {
        let started = monotonicSeconds()
        var summary = Summary()
        let counts = try ServicingRows.withRejects(rejectsPath) { rejects in
            try store.withServicingTransaction { transaction in
                let poster = RepaymentPoster(products: products)
                return try ServicingRows(path: inputPath, required: RepayJob.columns, rejects: rejects).run { row in
                    let payment = try RepayJob.read(row)
                    switch try poster.post(payment, in: transaction) {
                    case .applied:
                        summary.applied += 1
                        summary.amount += payment.amount
                    case .repeated:
                        summary.repeated += 1
                    }
                }
            }
        }
        summary.rows = counts.rows
        summary.rejected = counts.rejected
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    static func read(_ row: ServicingRows.Row) throws -> Payment {
        let id = row("payment_id")
        guard !id.isEmpty else { throw row.problem("payment_id", "repay.payment_id", "\"payment_id\" is empty; give every payment a unique id") }
        let loanID = row("loan_id")
        guard !loanID.isEmpty else { throw row.problem("loan_id", "repay.loan_id", "\"loan_id\" is empty; name the loan the payment is for") }
        guard let date = CalendarDay(iso: row("paid_at")) else {
            throw row.problem("paid_at", "repay.paid_at", "\"paid_at\" is \"\(clippedForMessage(row("paid_at")))\", not a date YYYY-MM-DD")
        }
        guard let amount = Money(yuan: row("amount")), amount.fen > 0 else {
            throw row.problem("amount", "repay.amount", "\"amount\" is \"\(clippedForMessage(row("amount")))\", not a positive amount in yuan such as 120.50")
        }
        return Payment(id: id, loanID: loanID, date: date, amount: amount)
    }
}
