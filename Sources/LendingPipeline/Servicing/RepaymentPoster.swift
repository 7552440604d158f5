import Crypto
import LendingLedger
import LendingModel
import LendingServicing

/// A servicing request that cannot be carried out, by the request's fault: an unknown loan or
/// line, an id already used for another request, a refused draw, a payment dated before the
/// loan's last end of day. Nothing was written. The caller locates it (file, line, column of
/// ``field``) or turns it into an HTTP status (`*.conflict`: 409, `*.unknown_*`: 404, else 422).
public struct ServicingRequestError: LendingDiagnostic, Sendable, Equatable {
    public var code: String
    /// The request field at fault (`amount`, `loan_id`, ...).
    public var field: String
    public var message: String
    public var location: SourceLocation? { nil }

    public init(code: String, field: String, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }
}

/// Applies one payment inside an open transaction: the unit of work of `lending repay` (one
/// row) and of a repayment request.
///
/// Idempotent by payment id: the payment is stored with the SHA-256 of the request; the same
/// request again changes nothing and returns the stored result; the same id with another
/// amount, loan or date is a ``ServicingRequestError`` (`repay.conflict`) naming both.
public struct RepaymentPoster: Sendable {
    public var products: ProductCatalog

    public init(products: ProductCatalog) { self.products = products }

    public enum Outcome: Sendable, Equatable {
        /// Applied now.
        case applied(StoredRepayment)
        /// Applied before with the same request: nothing changed.
        case repeated(StoredRepayment)
    }

    /// SHA-256 of a payment request: what makes a repeated request recognisable.
    public static func requestHash(_ payment: Payment) -> [UInt8] {
        Array(SHA256.hash(data: Array("\(payment.id)\u{1F}\(payment.loanID)\u{1F}\(payment.date)\u{1F}\(payment.amount.fen)".utf8)))
    }

    /// Applies `payment`: catches the loan's end of day up through its date, allocates it
    /// (``Servicing/repay(_:payment:terms:)``), posts the entries on the chain, saves the loan,
    /// restores principal repaid on a draw to its line, and stores the repayment.
    /// - Throws: ``ServicingRequestError`` before anything is written for a request that cannot
    ///   be applied; ``LendingError`` for a product not in the products; the store's errors.
    public func post(_ payment: Payment, in transaction: any ServicingTransaction) throws -> Outcome {
        let hash = RepaymentPoster.requestHash(payment)
        if let stored = try transaction.repayment(paymentID: payment.id) {
            if stored.requestHash == hash { return .repeated(stored) }
            let field = stored.amount != payment.amount ? "amount" : stored.loanID != payment.loanID ? "loan_id" : "paid_at"
            throw ServicingRequestError(
                code: "repay.conflict", field: field,
                message: "payment \(payment.id) was already applied as \(stored.amount) to loan \(stored.loanID) on \(stored.paidOn); this row says \(payment.amount) to loan \(payment.loanID) on \(payment.date): a payment id is applied once, give a new payment a new id")
        }
        guard let loan = try transaction.loans([payment.loanID])[payment.loanID] else {
            throw ServicingRequestError(code: "repay.unknown_loan", field: "loan_id", message: "loan \(clippedForMessage(payment.loanID)) is not known; check the loan id")
        }
        guard let state = loan.state else {
            throw ServicingRequestError(code: "repay.not_paid_out", field: "loan_id",
                                        message: "loan \(payment.loanID) has not been paid out yet; apply its payments after lending disburse has paid it")
        }
        let terms = try products.terms(for: loan.product)
        let result: Servicing.RepaymentResult
        do {
            result = try Servicing.repay(state, payment: payment, terms: terms)
        } catch let error as ServicingError {
            throw ServicingRequestError(code: error.code, field: error.code == "servicing.backdated" ? "paid_at" : "amount", message: error.message)
        }
        let sealed = try transaction.post(result.entries)
        try transaction.save(states: [result.state])
        if let lineID = state.lineID, result.principalRepaid.fen > 0, var line = try transaction.line(lineID) {
            line.line.restore(principalRepaid: result.principalRepaid)
            try transaction.save(line: line.line)
        }
        let allocation = result.allocation
        let stored = StoredRepayment(
            paymentID: payment.id, loanID: payment.loanID, paidOn: payment.date, amount: payment.amount, requestHash: hash,
            entrySequence: sealed.last?.sequence ?? 0, penalty: allocation.penalty, interest: allocation.interest,
            principal: allocation.principal, overpayment: allocation.overpayment, recovery: allocation.recovery)
        try transaction.insert(repayment: stored)
        return .applied(stored)
    }
}

/// Takes one draw from a credit line inside an open transaction: the unit of work of
/// `lending draw` (one row) and of a draw request. Idempotent by draw id, as
/// ``RepaymentPoster`` is by payment id.
public struct DrawTaker: Sendable {
    public var products: ProductCatalog

    public init(products: ProductCatalog) { self.products = products }

    public enum Outcome: Sendable, Equatable {
        /// Taken now: the line's available amount is lower and the draw's loan waits for its payout.
        case taken(StoredDraw)
        /// Taken before with the same request: nothing changed.
        case repeated(StoredDraw)
    }

    /// SHA-256 of a draw request.
    public static func requestHash(lineID: String, _ request: CreditLine.DrawRequest) -> [UInt8] {
        Array(SHA256.hash(data: Array("\(request.drawID)\u{1F}\(lineID)\u{1F}\(request.amount.fen)\u{1F}\(request.months)\u{1F}\(request.date)".utf8)))
    }

    /// Takes a draw: checks the line (known, signed before the draw's date, not frozen, enough
    /// available), lowers what is available and stores the draw's loan (loan id = draw id, the
    /// line's rate, its own term), to be paid out by `disburse`.
    /// - Throws: ``ServicingRequestError`` before anything is written for a draw that cannot be
    ///   taken (`draw.frozen`, `draw.over_available`, ...); the store's errors.
    public func take(_ request: CreditLine.DrawRequest, lineID: String, in transaction: any ServicingTransaction) throws -> Outcome {
        let hash = DrawTaker.requestHash(lineID: lineID, request)
        if let stored = try transaction.draw(drawID: request.drawID) {
            if stored.requestHash == hash { return .repeated(stored) }
            throw ServicingRequestError(
                code: "draw.conflict", field: stored.amount != request.amount ? "amount" : "draw_id",
                message: "draw \(request.drawID) was already taken as \(stored.amount) from line \(stored.lineID) over \(stored.termMonths) months on \(stored.requestedOn); this row says \(request.amount) from line \(lineID) over \(request.months) months on \(request.date): a draw id is taken once, give a new draw a new id")
        }
        if try !transaction.loans([request.drawID]).isEmpty {
            throw ServicingRequestError(code: "draw.draw_id", field: "draw_id", message: "draw id \(request.drawID) is already the id of a loan; give the draw its own id")
        }
        guard let stored = try transaction.line(lineID) else {
            throw ServicingRequestError(code: "draw.unknown_line", field: "line_id",
                                        message: "line \(clippedForMessage(lineID)) is not known; check the line id (a revolving application's id, once signed)")
        }
        guard request.date >= stored.signedOn else {
            throw ServicingRequestError(code: "draw.before_signing", field: "requested_at",
                                        message: "draw \(request.drawID) is dated \(request.date), before line \(lineID) was signed on \(stored.signedOn)")
        }
        let outcome: CreditLine.DrawOutcome
        do {
            outcome = try stored.line.draw(request, terms: try products.terms(for: stored.product))
        } catch let error as ServicingError {
            throw ServicingRequestError(code: error.code, field: "amount", message: error.message)
        }
        switch outcome {
        case .refused(.frozen):
            throw ServicingRequestError(code: "draw.frozen", field: "line_id", message: "line \(lineID) is frozen; draw \(request.drawID) is refused")
        case .refused(.overAvailable(let requested, let available)):
            throw ServicingRequestError(code: "draw.over_available", field: "amount",
                                        message: "draw \(request.drawID) asks \(requested) but line \(lineID) has \(available) available")
        case .drawn(let line, _):
            try transaction.save(line: line)
            try transaction.insert(loan: StoredLoan(loanID: request.drawID, applicationID: stored.applicationID, lineID: lineID, product: stored.product,
                                                    principal: request.amount, termMonths: request.months, apr: line.apr, signedOn: request.date))
            let draw = StoredDraw(drawID: request.drawID, lineID: lineID, amount: request.amount, termMonths: request.months,
                                  requestedOn: request.date, requestHash: hash)
            try transaction.insert(draw: draw)
            return .taken(draw)
        }
    }
}
