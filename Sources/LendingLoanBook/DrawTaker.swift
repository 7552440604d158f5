import Crypto
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

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
