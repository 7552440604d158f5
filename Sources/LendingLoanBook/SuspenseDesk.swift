import Foundation
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// Cash that belongs to no known loan yet, and its move to a loan, with maker-checker.
///
/// A receipt (``receive(receiptID:on:amount:in:)``, `lending suspense receive FILE.csv`) posts
/// `suspense:RECEIPT` (Dr funding cash / Cr `lender:suspense`) and is stored held. One person asks
/// to move it to a loan (``request(receiptID:loanID:reason:by:at:in:)``), a different person
/// approves (``approve(requestID:by:at:on:in:)``); the approval, in one transaction, posts
/// `unsuspense:RECEIPT` (Dr suspense / Cr funding cash) and applies the money to the loan as the
/// payment `suspense:RECEIPT`, exactly as `lending repay` applies a payment (the loan caught up
/// through the payment's date, allocated in the product's order, the overpayment rule, a draw's
/// principal back on its line), so that in the end the suspense account paid the loan. The
/// receipt is then final.
///
/// Dates: the payment is dated the business date (an active loan's last end of day when that is
/// later, as a refund; never before the receipt).
///
/// The request `suspense:RECEIPT:N` (N = 1, 2, ... per receipt) holds the loan and the reason.
/// A payment moved from suspense is not reversed by `repayments reverse` (`reverse.from_suspense`):
/// its money would leave the loan for cash, not go back to suspense.
public struct SuspenseDesk: Sendable {
    public var products: ProductCatalog

    public init(products: ProductCatalog) { self.products = products }

    struct Payload: RequestPayload, Equatable {
        var loanID: String
        var reason: String

        enum CodingKeys: String, CodingKey {
            case loanID = "loan_id"
            case reason
        }
    }

    public static func requestID(receiptID: String, number: Int) -> String { "suspense:\(receiptID):\(number)" }
    /// The entry that puts a receipt in suspense.
    public static func entryID(receiptID: String) -> String { "suspense:\(receiptID)" }
    /// The entry that takes it out when it moves to a loan.
    public static func releaseEntryID(receiptID: String) -> String { "unsuspense:\(receiptID)" }

    /// A receipt id: 1 to 64 bytes, no control characters and no `:` (it is part of request ids).
    static func validReceiptID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && !id.utf8.contains { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: ":") }
    }

    public enum ReceiveOutcome: Sendable, Equatable {
        case received(StoredSuspenseReceipt)
        /// The same receipt again (same id, date and amount): nothing changed.
        case repeated(StoredSuspenseReceipt)
    }

    /// Puts a receipt in suspense.
    /// - Throws: ``ServicingRequestError``: `suspense.receipt_id`, `suspense.amount` (not
    ///   positive), `suspense.conflict` (the id was received with another date or amount); the
    ///   store's errors.
    public func receive(receiptID: String, on day: CalendarDay, amount: Money, in transaction: any ServicingTransaction) throws -> ReceiveOutcome {
        guard SuspenseDesk.validReceiptID(receiptID) else {
            throw ServicingRequestError(code: "suspense.receipt_id", field: "receipt_id", message: "a receipt id is 1 to 64 bytes without control characters or ':'")
        }
        guard amount.fen > 0 else {
            throw ServicingRequestError(code: "suspense.amount", field: "amount", message: "a receipt's amount must be positive; \(amount) was given")
        }
        if let stored = try transaction.suspenseReceipt(receiptID: receiptID) {
            guard stored.receivedOn == day, stored.amount == amount else {
                throw ServicingRequestError(
                    code: "suspense.conflict", field: stored.amount != amount ? "amount" : "received_at",
                    message: "receipt \(clippedForMessage(receiptID)) was received as \(stored.amount) on \(stored.receivedOn); this says \(amount) on \(day): a receipt id is received once")
            }
            return .repeated(stored)
        }
        let entry = JournalEntry(id: SuspenseDesk.entryID(receiptID: receiptID), date: day, kind: .adjustment,
                                 postings: [.debit(.fundingCash, amount), .credit(.suspense, amount)], memo: "cash received for no known loan")
        let sealed = try transaction.post([entry])
        let receipt = StoredSuspenseReceipt(receiptID: receiptID, receivedOn: day, amount: amount, entrySequence: sealed.last?.sequence ?? 0)
        try transaction.insert(suspenseReceipt: receipt)
        return .received(receipt)
    }

    /// Every move request of a receipt, in the order asked.
    static func requests(receiptID: String, in transaction: any ServicingTransaction) throws -> [ApprovalRequest] {
        try MakerChecker.numberedRequests(in: transaction) { requestID(receiptID: receiptID, number: $0) }
    }

    /// Asks to move a held receipt to a loan.
    /// - Throws: ``ServicingRequestError``: `suspense.unknown_receipt`, `suspense.moved` (moved
    ///   already), `suspense.conflict` (a move is waiting), `suspense.unknown_loan`,
    ///   `suspense.not_serviced` (not paid out yet), `suspense.reason`; the store's errors.
    public func request(receiptID: String, loanID: String, reason: String, by maker: String, at time: Instant,
                        in transaction: any ServicingTransaction) throws -> ApprovalRequest {
        let trimmed = try MakerChecker.reason(reason, code: "suspense.reason")
        _ = try heldReceipt(receiptID, in: transaction)
        _ = try servicedLoan(loanID, in: transaction)
        let earlier = try SuspenseDesk.requests(receiptID: receiptID, in: transaction)
        if let waiting = earlier.first(where: { $0.status == .pending }) {
            throw ServicingRequestError(code: "suspense.conflict", field: "receipt_id",
                                        message: "receipt \(clippedForMessage(receiptID)) already has a move waiting for approval (\(waiting.requestID), asked by \(waiting.requestedBy))")
        }
        let request = ApprovalRequest(requestID: SuspenseDesk.requestID(receiptID: receiptID, number: earlier.count + 1), kind: "suspense",
                                      target: receiptID, payload: Payload(loanID: loanID, reason: trimmed).encoded, requestedBy: maker, requestedAt: time)
        try transaction.save(approval: request)
        return request
    }

    /// Approves a pending move: the receipt leaves suspense and is applied to the loan as a payment.
    /// - Parameter day: the business date.
    /// - Throws: ``ServicingRequestError``: `suspense.no_request`, `suspense.same_person`,
    ///   `suspense.moved`, `suspense.conflict` (a payment with the id `suspense:RECEIPT` exists),
    ///   the repayment's own refusals (`repay.too_far_ahead`...); ``LendingError`` for a product
    ///   not in the products; the store's errors (then nothing is written).
    public func approve(requestID: String, by checker: String, at time: Instant, on day: CalendarDay,
                        in transaction: any ServicingTransaction) throws -> (ApprovalRequest, StoredRepayment) {
        var request = try pending(requestID, in: transaction)
        guard !MakerChecker.samePerson(request.requestedBy, checker) else {
            throw ServicingRequestError(code: "suspense.same_person", field: "by",
                                        message: "move \(clippedForMessage(requestID)) was asked by this person; a second person must approve it")
        }
        guard let payload = Payload.decode(request.payload) else {
            throw ServicingRequestError(code: "suspense.no_request", field: "request_id", message: "request \(clippedForMessage(requestID)) holds no move")
        }
        var receipt = try heldReceipt(request.target, in: transaction)
        let state = try servicedLoan(payload.loanID, in: transaction)
        guard try transaction.repayment(paymentID: receipt.paymentID) == nil else {
            throw ServicingRequestError(code: "suspense.conflict", field: "receipt_id",
                                        message: "a payment \(clippedForMessage(receipt.paymentID)) is stored already; the receipt cannot be applied under its id")
        }
        let date = max(RefundDesk.entryDate(state, businessDay: day), receipt.receivedOn)
        let payment = Payment(id: receipt.paymentID, loanID: payload.loanID, date: date, amount: receipt.amount)
        guard case .applied(let repayment) = try RepaymentPoster(products: products).post(payment, in: transaction) else {
            throw ServicingRequestError(code: "suspense.conflict", field: "receipt_id", message: "payment \(clippedForMessage(receipt.paymentID)) was applied already")
        }
        let release = JournalEntry(id: SuspenseDesk.releaseEntryID(receiptID: receipt.receiptID), date: date, kind: .adjustment,
                                   postings: [.debit(.suspense, receipt.amount), .credit(.fundingCash, receipt.amount)],
                                   memo: "moved out of suspense to loan \(payload.loanID)")
        let sealed = try transaction.post([release])
        receipt.loanID = payload.loanID
        receipt.appliedOn = date
        receipt.applySequence = sealed.last?.sequence ?? repayment.entrySequence
        try transaction.update(suspenseReceipt: receipt)
        request = MakerChecker.decided(request, .approved, by: checker, at: time)
        try transaction.save(approval: request)
        return (request, repayment)
    }

    /// Rejects a pending move (anyone may, the one who asked included); the receipt stays held.
    public func reject(requestID: String, by checker: String, at time: Instant, in transaction: any ServicingTransaction) throws -> ApprovalRequest {
        let request = MakerChecker.decided(try pending(requestID, in: transaction), .rejected, by: checker, at: time)
        try transaction.save(approval: request)
        return request
    }

    /// The receipt a payment was moved from, if it was.
    static func source(of payment: StoredRepayment, in transaction: any ServicingTransaction) throws -> StoredSuspenseReceipt? {
        guard payment.paymentID.hasPrefix("suspense:"), let receipt = try transaction.suspenseReceipt(receiptID: String(payment.paymentID.dropFirst(9))),
              receipt.loanID == payment.loanID else { return nil }
        return receipt
    }

    private func pending(_ requestID: String, in transaction: any ServicingTransaction) throws -> ApprovalRequest {
        guard let request = try transaction.approval(requestID: requestID), request.kind == "suspense", request.status == .pending else {
            throw ServicingRequestError(code: "suspense.no_request", field: "request_id",
                                        message: "no move out of suspense \(clippedForMessage(requestID)) is waiting for approval")
        }
        return request
    }

    private func heldReceipt(_ receiptID: String, in transaction: any ServicingTransaction) throws -> StoredSuspenseReceipt {
        guard let receipt = try transaction.suspenseReceipt(receiptID: receiptID) else {
            throw ServicingRequestError(code: "suspense.unknown_receipt", field: "receipt_id", message: "no receipt \(clippedForMessage(receiptID)) is in suspense; check the id")
        }
        guard receipt.isHeld else {
            throw ServicingRequestError(code: "suspense.moved", field: "receipt_id",
                                        message: "receipt \(clippedForMessage(receiptID)) was moved to loan \(receipt.loanID ?? "") on \(receipt.appliedOn.map(String.init(describing:)) ?? ""); it is no longer in suspense")
        }
        return receipt
    }

    private func servicedLoan(_ loanID: String, in transaction: any ServicingTransaction) throws -> LoanState {
        guard let loan = try transaction.loans([loanID])[loanID] else {
            throw ServicingRequestError(code: "suspense.unknown_loan", field: "loan_id", message: "no loan \(clippedForMessage(loanID)); check the id")
        }
        guard let state = loan.state else {
            throw ServicingRequestError(code: "suspense.not_serviced", field: "loan_id",
                                        message: "loan \(clippedForMessage(loanID)) is not paid out yet (\(loan.status.rawValue)); nothing can be applied to it")
        }
        return state
    }
}
