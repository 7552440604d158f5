import Crypto
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

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
    /// A payment may be dated at most this many days after its loan's last end of day.
    public static let maximumDaysAhead = 366

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
        // A payment catches the loan's days up to its date: a date years ahead (a typo, or a
        // client's bad clock) would make one request compute every day in between.
        guard state.processedThrough.days(to: payment.date) <= RepaymentPoster.maximumDaysAhead else {
            throw ServicingRequestError(code: "repay.too_far_ahead", field: "paid_at",
                                        message: "paid_at \(payment.date) is more than \(RepaymentPoster.maximumDaysAhead) days after loan \(payment.loanID)'s last end of day (\(state.processedThrough)); check the date, or run eod first")
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
