import Crypto
import LendingCSV
import LendingLedger
import LendingModel
import LendingServicing

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
        let rejects = try rejectsPath.map { try OutputFile(path: $0) }
        var summary = Summary()
        do {
            let counts = try store.withServicingTransaction { transaction in
                try ServicingRows(path: inputPath, required: RepayJob.columns, rejects: rejects).run { row in
                    let payment = try RepayJob.read(row)
                    if try apply(payment, row: row, in: transaction) {
                        summary.applied += 1
                        summary.amount += payment.amount
                    } else {
                        summary.repeated += 1
                    }
                }
            }
            summary.rows = counts.rows
            summary.rejected = counts.rejected
            try rejects?.commit()
        } catch {
            rejects?.abandon()
            throw error
        }
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    static func read(_ row: ServicingRows.Row) throws -> Payment {
        let id = row("payment_id")
        guard !id.isEmpty else { throw row.problem("payment_id", "repay.payment_id", "\"payment_id\" is empty; give every payment a unique id") }
        let loanID = row("loan_id")
        guard !loanID.isEmpty else { throw row.problem("loan_id", "repay.loan_id", "\"loan_id\" is empty; name the loan the payment is for") }
        guard let date = CalendarDay(iso: row("paid_at")) else {
            throw row.problem("paid_at", "repay.paid_at", "\"paid_at\" is \"\(ServicingRows.clip(row("paid_at")))\", not a date YYYY-MM-DD")
        }
        guard let amount = Money(yuan: row("amount")), amount.fen > 0 else {
            throw row.problem("amount", "repay.amount", "\"amount\" is \"\(ServicingRows.clip(row("amount")))\", not a positive amount in yuan such as 120.50")
        }
        return Payment(id: id, loanID: loanID, date: date, amount: amount)
    }

    /// SHA-256 of a payment request: what makes a repeated row recognisable.
    public static func requestHash(_ payment: Payment) -> [UInt8] {
        Array(SHA256.hash(data: Array("\(payment.id)\u{1F}\(payment.loanID)\u{1F}\(payment.date)\u{1F}\(payment.amount.fen)".utf8)))
    }

    /// Applies one payment in the open transaction.
    /// - Returns: `false` when the same payment was applied before (nothing changed).
    /// - Throws: ``RowProblem`` for a payment that cannot be applied (before anything is written).
    func apply(_ payment: Payment, row: ServicingRows.Row, in transaction: any ServicingTransaction) throws -> Bool {
        let hash = RepayJob.requestHash(payment)
        if let stored = try transaction.repayment(paymentID: payment.id) {
            if stored.requestHash == hash { return false }
            let column = stored.amount != payment.amount ? "amount" : stored.loanID != payment.loanID ? "loan_id" : "paid_at"
            throw row.problem(column, "repay.conflict",
                              "payment \(payment.id) was already applied as \(stored.amount) to loan \(stored.loanID) on \(stored.paidOn); this row says \(payment.amount) to loan \(payment.loanID) on \(payment.date): a payment id is applied once, give a new payment a new id")
        }
        guard let loan = try transaction.loans([payment.loanID])[payment.loanID] else {
            throw row.problem("loan_id", "repay.unknown_loan", "loan \(ServicingRows.clip(payment.loanID)) is not known; check the loan id")
        }
        guard let state = loan.state else {
            throw row.problem("loan_id", "repay.not_paid_out", "loan \(payment.loanID) has not been paid out yet; apply its payments after lending disburse has paid it")
        }
        let terms = try products.terms(for: loan.product)
        let result: Servicing.RepaymentResult
        do {
            result = try Servicing.repay(state, payment: payment, terms: terms)
        } catch let error as ServicingError {
            throw row.problem(error.code == "servicing.backdated" ? "paid_at" : "amount", error.code, error.message)
        }
        let sealed = try transaction.post(result.entries)
        try transaction.save(states: [result.state])
        if let lineID = state.lineID, result.principalRepaid.fen > 0, var line = try transaction.line(lineID) {
            line.line.restore(principalRepaid: result.principalRepaid)
            try transaction.save(line: line.line)
        }
        let allocation = result.allocation
        try transaction.insert(repayment: StoredRepayment(
            paymentID: payment.id, loanID: payment.loanID, paidOn: payment.date, amount: payment.amount, requestHash: hash,
            entrySequence: sealed.last?.sequence ?? 0, penalty: allocation.penalty, interest: allocation.interest,
            principal: allocation.principal, overpayment: allocation.overpayment, recovery: allocation.recovery))
        return true
    }
}

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
        let rejects = try rejectsPath.map { try OutputFile(path: $0) }
        var summary = Summary()
        do {
            let counts = try store.withServicingTransaction { transaction in
                try ServicingRows(path: inputPath, required: DrawJob.columns, rejects: rejects).run { row in
                    let (lineID, request) = try DrawJob.read(row)
                    if try take(request, lineID: lineID, row: row, in: transaction) {
                        summary.drawn += 1
                        summary.amount += request.amount
                    } else {
                        summary.repeated += 1
                    }
                }
            }
            summary.rows = counts.rows
            summary.rejected = counts.rejected
            try rejects?.commit()
        } catch {
            rejects?.abandon()
            throw error
        }
        return summary
    }

    static func read(_ row: ServicingRows.Row) throws -> (String, CreditLine.DrawRequest) {
        let id = row("draw_id")
        guard !id.isEmpty else { throw row.problem("draw_id", "draw.draw_id", "\"draw_id\" is empty; give every draw a unique id") }
        let lineID = row("line_id")
        guard !lineID.isEmpty else { throw row.problem("line_id", "draw.line_id", "\"line_id\" is empty; name the credit line") }
        guard let amount = Money(yuan: row("amount")), amount.fen > 0 else {
            throw row.problem("amount", "draw.amount", "\"amount\" is \"\(ServicingRows.clip(row("amount")))\", not a positive amount in yuan such as 2000.00")
        }
        guard let months = Int(row("term_months")), (1...Schedule.maxMonths).contains(months) else {
            throw row.problem("term_months", "draw.term_months", "\"term_months\" is \"\(ServicingRows.clip(row("term_months")))\", not a number of months from 1 to \(Schedule.maxMonths)")
        }
        guard let date = CalendarDay(iso: row("requested_at")) else {
            throw row.problem("requested_at", "draw.requested_at", "\"requested_at\" is \"\(ServicingRows.clip(row("requested_at")))\", not a date YYYY-MM-DD")
        }
        return (lineID, CreditLine.DrawRequest(drawID: id, amount: amount, months: months, date: date))
    }

    /// SHA-256 of a draw request.
    public static func requestHash(lineID: String, _ request: CreditLine.DrawRequest) -> [UInt8] {
        Array(SHA256.hash(data: Array("\(request.drawID)\u{1F}\(lineID)\u{1F}\(request.amount.fen)\u{1F}\(request.months)\u{1F}\(request.date)".utf8)))
    }

    /// Takes one draw in the open transaction.
    /// - Returns: `false` when the same draw was taken before (nothing changed).
    func take(_ request: CreditLine.DrawRequest, lineID: String, row: ServicingRows.Row, in transaction: any ServicingTransaction) throws -> Bool {
        let hash = DrawJob.requestHash(lineID: lineID, request)
        if let stored = try transaction.draw(drawID: request.drawID) {
            if stored.requestHash == hash { return false }
            throw row.problem(stored.amount != request.amount ? "amount" : "draw_id", "draw.conflict",
                              "draw \(request.drawID) was already taken as \(stored.amount) from line \(stored.lineID) over \(stored.termMonths) months on \(stored.requestedOn); this row says \(request.amount) from line \(lineID) over \(request.months) months on \(request.date): a draw id is taken once, give a new draw a new id")
        }
        if try !transaction.loans([request.drawID]).isEmpty {
            throw row.problem("draw_id", "draw.draw_id", "draw id \(request.drawID) is already the id of a loan; give the draw its own id")
        }
        guard let stored = try transaction.line(lineID) else {
            throw row.problem("line_id", "draw.unknown_line", "line \(ServicingRows.clip(lineID)) is not known; check the line id (a revolving application's id, once signed)")
        }
        guard request.date >= stored.signedOn else {
            throw row.problem("requested_at", "draw.before_signing", "draw \(request.drawID) is dated \(request.date), before line \(lineID) was signed on \(stored.signedOn)")
        }
        let outcome: CreditLine.DrawOutcome
        do {
            outcome = try stored.line.draw(request, terms: try products.terms(for: stored.product))
        } catch let error as ServicingError {
            throw row.problem("amount", error.code, error.message)
        }
        switch outcome {
        case .refused(.frozen):
            throw row.problem("line_id", "draw.frozen", "line \(lineID) is frozen; draw \(request.drawID) is refused")
        case .refused(.overAvailable(let requested, let available)):
            throw row.problem("amount", "draw.over_available", "draw \(request.drawID) asks \(requested) but line \(lineID) has \(available) available")
        case .drawn(let line, _):
            try transaction.save(line: line)
            try transaction.insert(loan: StoredLoan(loanID: request.drawID, applicationID: stored.applicationID, lineID: lineID, product: stored.product,
                                                    principal: request.amount, termMonths: request.months, apr: line.apr, signedOn: request.date))
            try transaction.insert(draw: StoredDraw(drawID: request.drawID, lineID: lineID, amount: request.amount, termMonths: request.months,
                                                    requestedOn: request.date, requestHash: hash))
            return true
        }
    }
}
