import Foundation
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// Refunds of what a loan holds for its borrower (its overpayment account: paid beyond what was
/// owed, or parked by the `suspense` rule), with maker-checker: one person asks
/// (``request(loanID:amount:reason:by:at:in:)``), a different person approves
/// (``approve(requestID:by:at:on:in:)``), and only then does the money leave.
///
/// The approval is the intent, in one transaction: the request approved, the refund recorded as
/// `sent` (key `LOAN#RN`), its entry `refund:LOAN#RN` posted (Dr the loan's overpayment / Cr
/// funding cash) and the loan saved without the money. The rail is called afterwards by
/// ``RefundJob`` (`lending refunds pay`), which asks the rail about every refund in flight
/// before it sends one and sends with the same key every time, so a kill at any instant pays a
/// refund at most once. A refund the rail refuses gives the money back to the overpayment account.
///
/// Dates: an active loan's refund is dated the business date (the loan caught up through it, as a
/// payment catches up), or its last end of day when that is later; a closed loan's, the business date.
///
/// The request `refund:LOAN:N` (N = 1, 2, ... per loan; requests are never removed) holds the
/// amount and the reason; the refund's number is N.
public struct RefundDesk: Sendable {
    public var products: ProductCatalog

    public init(products: ProductCatalog) { self.products = products }

    struct Payload: RequestPayload, Equatable {
        var amount: String
        var reason: String
    }

    public static func requestID(loanID: String, number: Int) -> String { "refund:\(loanID):\(number)" }

    /// Every refund request of a loan, in the order asked.
    static func requests(loanID: String, in transaction: any ServicingTransaction) throws -> [ApprovalRequest] {
        try MakerChecker.numberedRequests(in: transaction) { requestID(loanID: loanID, number: $0) }
    }

    /// The date of a refund's entry (or of its return) on business date `day`.
    static func entryDate(_ state: LoanState, businessDay day: CalendarDay) -> CalendarDay {
        state.status == .active ? max(day, state.processedThrough) : day
    }

    /// Asks for a refund of `amount` (all the loan holds when `nil`).
    /// - Throws: ``ServicingRequestError``: `refund.unknown_loan`, `refund.not_serviced` (not paid
    ///   out yet), `refund.reason`, `refund.conflict` (one is waiting already), `refund.nothing_held`,
    ///   `refund.amount` (not positive, or more than the loan holds); the store's errors.
    public func request(loanID: String, amount: Money?, reason: String, by maker: String, at time: Instant,
                        in transaction: any ServicingTransaction) throws -> ApprovalRequest {
        let trimmed = try MakerChecker.reason(reason, code: "refund.reason")
        let (_, state) = try servicedLoan(loanID, in: transaction)
        let earlier = try RefundDesk.requests(loanID: loanID, in: transaction)
        if let waiting = earlier.first(where: { $0.status == .pending }) {
            throw ServicingRequestError(code: "refund.conflict", field: "loan_id",
                                        message: "loan \(clippedForMessage(loanID)) already has a refund waiting for approval (\(waiting.requestID), asked by \(waiting.requestedBy))")
        }
        guard state.overpayment.fen > 0 else {
            throw ServicingRequestError(code: "refund.nothing_held", field: "loan_id",
                                        message: "loan \(clippedForMessage(loanID)) holds nothing for its borrower; there is nothing to refund")
        }
        let asked = amount ?? state.overpayment
        guard asked.fen > 0, asked <= state.overpayment else {
            throw ServicingRequestError(code: "refund.amount", field: "amount",
                                        message: "the refund must be a positive amount of at most \(state.overpayment), what loan \(clippedForMessage(loanID)) holds; \(asked) was asked")
        }
        let request = ApprovalRequest(requestID: RefundDesk.requestID(loanID: loanID, number: earlier.count + 1), kind: "refund", target: loanID,
                                      payload: Payload(amount: asked.description, reason: trimmed).encoded, requestedBy: maker, requestedAt: time)
        try transaction.save(approval: request)
        return request
    }

    /// Approves a pending refund: the intent is recorded, the money leaves the overpayment account
    /// (``RefundJob`` sends it through the rail).
    /// - Parameter day: the business date.
    /// - Throws: ``ServicingRequestError``: `refund.no_request`, `refund.same_person`, `refund.amount`
    ///   (the loan no longer holds that much: a due date applied some of it since); ``LendingError``
    ///   for a product not in the products; the store's errors (then nothing is written).
    public func approve(requestID: String, by checker: String, at time: Instant, on day: CalendarDay,
                        in transaction: any ServicingTransaction) throws -> (ApprovalRequest, StoredRefund) {
        var request = try pending(requestID, in: transaction)
        guard !MakerChecker.samePerson(request.requestedBy, checker) else {
            throw ServicingRequestError(code: "refund.same_person", field: "by",
                                        message: "refund \(clippedForMessage(requestID)) was asked by this person; a second person must approve it")
        }
        guard let payload = Payload.decode(request.payload), let amount = Money(yuan: payload.amount),
              let number = requestID.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw ServicingRequestError(code: "refund.no_request", field: "request_id", message: "request \(clippedForMessage(requestID)) holds no refund")
        }
        let (loan, state) = try servicedLoan(request.target, in: transaction)
        var refund = Refund(loanID: state.loanID, number: number, amount: amount, requestedOn: RefundDesk.entryDate(state, businessDay: day))
        let move: Servicing.OverpaymentMove
        do {
            move = try Servicing.refund(state, id: refund.entryID, amount: amount, on: refund.requestedOn, terms: try products.terms(for: loan.product))
        } catch let error as ServicingError {
            throw ServicingRequestError(code: "refund.amount", field: "amount", message: error.message + "; ask for a new refund")
        }
        refund.requestedOn = move.entries.last?.date ?? refund.requestedOn
        let sealed = try transaction.post(move.entries)
        try transaction.save(states: [move.state])
        let stored = StoredRefund(refund: refund, entrySequence: sealed.last?.sequence ?? 0)
        try transaction.insert(refund: stored)
        request = MakerChecker.decided(request, .approved, by: checker, at: time)
        try transaction.save(approval: request)
        return (request, stored)
    }

    /// Rejects a pending refund (anyone may, the one who asked included).
    public func reject(requestID: String, by checker: String, at time: Instant, in transaction: any ServicingTransaction) throws -> ApprovalRequest {
        let request = MakerChecker.decided(try pending(requestID, in: transaction), .rejected, by: checker, at: time)
        try transaction.save(approval: request)
        return request
    }

    /// A loan's refunds as a replay needs them: each refund at its entry, each return at its own.
    static func history(loanID: String, in transaction: any ServicingTransaction) throws -> [(sequence: Int64, event: Servicing.HistoryEvent)] {
        var events: [(Int64, Servicing.HistoryEvent)] = []
        for stored in try transaction.refunds(loanID: loanID) {
            let refund = stored.refund
            events.append((stored.entrySequence, .refund(id: refund.entryID, amount: refund.amount, on: refund.requestedOn)))
            if let returned = stored.returnSequence, let day = refund.settledOn {
                events.append((returned, .refundReturned(id: refund.returnEntryID, amount: refund.amount, on: day)))
            }
        }
        return events
    }

    private func pending(_ requestID: String, in transaction: any ServicingTransaction) throws -> ApprovalRequest {
        guard let request = try transaction.approval(requestID: requestID), request.kind == "refund", request.status == .pending else {
            throw ServicingRequestError(code: "refund.no_request", field: "request_id",
                                        message: "no refund \(clippedForMessage(requestID)) is waiting for approval")
        }
        return request
    }

    private func servicedLoan(_ loanID: String, in transaction: any ServicingTransaction) throws -> (StoredLoan, LoanState) {
        guard let loan = try transaction.loans([loanID])[loanID] else {
            throw ServicingRequestError(code: "refund.unknown_loan", field: "loan_id", message: "no loan \(clippedForMessage(loanID)); check the id")
        }
        guard let state = loan.state else {
            throw ServicingRequestError(code: "refund.not_serviced", field: "loan_id",
                                        message: "loan \(clippedForMessage(loanID)) is not paid out yet (\(loan.status.rawValue)); it holds nothing to refund")
        }
        return (loan, state)
    }
}
