import Foundation
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// Reversals of repayments, with maker-checker: one person asks (``request(paymentID:reason:by:at:in:)``),
/// a different person approves (``approve(paymentID:by:at:in:)``), and only then is the payment
/// reversed.
///
/// Any earlier payment of a loan can be reversed, not only the last: the loan is rebuilt from its
/// disbursement with every payment it received except the reversed ones, in the order they were
/// posted (``Servicing/replay(_:events:through:terms:)``), so interest, penalty, days past due,
/// the bucket and every later payment's allocation are as if the wrong payment never happened.
/// Restructurings approved since (``RestructuringDesk``) and refunds (``RefundDesk``) are replayed
/// in their place; a payment whose money was refunded since cannot be reversed (`reverse.refunded`),
/// nor a payment moved out of suspense (`reverse.from_suspense`).
/// Before that, the loan is rebuilt with the payment too, and that must give the state stored,
/// or nothing is done (`reverse.history_mismatch`): the history read is the whole history.
///
/// The journal gets one entry, `reverse:PAYMENT` (kind `reversal`, naming `repay:PAYMENT`), dated
/// the loan's last end of day: for every account, the difference between the rebuilt loan's
/// entries and those posted, so the ledger ends as if the payment had never been posted. The
/// repayment's own row stays as it was (repayments are append-only); the approved request
/// `reversal:PAYMENT` is the record that it was reversed. Principal that the payment gave back
/// to a credit line is drawn again (the line may go over its limit; it is not frozen for that).
///
/// Not reversible: a payment of a written-off loan (or one written off since): the write-off's
/// amounts were decided on the balances of the day.
public struct ReversalDesk: Sendable {
    public var products: ProductCatalog

    public init(products: ProductCatalog) { self.products = products }

    /// The maker-checker request id of a payment's reversal.
    public static func approvalID(paymentID: String) -> String { "reversal:\(paymentID)" }

    /// The journal entry id of a payment's reversal.
    public static func entryID(paymentID: String) -> String { "reverse:\(paymentID)" }

    /// What a reversal did.
    public struct Reversal: Sendable, Equatable {
        public var request: ApprovalRequest
        public var payment: StoredRepayment
        /// The loan as stored before and after.
        public var before: LoanState
        public var after: LoanState
        /// The correction posted (absent only if the payment changed no balance, which a payment cannot).
        public var entry: SealedEntry?
    }

    /// Asks for a payment's reversal.
    /// - Throws: ``ServicingRequestError``: `reverse.unknown_payment`, `reverse.reason` (1 to 200
    ///   characters, no control characters), `reverse.written_off`, `reverse.conflict` (already
    ///   reversed, or a reversal already waiting); the store's errors.
    public func request(paymentID: String, reason: String, by maker: String, at time: Instant,
                        in transaction: any ServicingTransaction) throws -> ApprovalRequest {
        let trimmed = try MakerChecker.reason(reason, code: "reverse.reason")
        let payment = try storedPayment(paymentID, in: transaction)
        _ = try reversibleLoan(payment, in: transaction)
        let id = ReversalDesk.approvalID(paymentID: paymentID)
        if let existing = try transaction.approval(requestID: id) {
            switch existing.status {
            case .pending:
                throw ServicingRequestError(code: "reverse.conflict", field: "payment_id",
                                            message: "payment \(clippedForMessage(paymentID)) already has a reversal waiting for approval (asked by \(existing.requestedBy))")
            case .approved:
                throw ServicingRequestError(code: "reverse.conflict", field: "payment_id",
                                            message: "payment \(clippedForMessage(paymentID)) was reversed already (approved by \(existing.decidedBy ?? "?"))")
            case .rejected: break
            }
        }
        let request = ApprovalRequest(requestID: id, kind: "reversal", target: paymentID,
                                      payload: ReversalDesk.payload(reason: trimmed, loanID: payment.loanID, amount: payment.amount),
                                      requestedBy: maker, requestedAt: time)
        try transaction.save(approval: request)
        return request
    }

    /// Approves a pending reversal and reverses the payment.
    /// - Throws: ``ServicingRequestError``: `reverse.no_request`, `reverse.same_person`,
    ///   `reverse.written_off`, `reverse.history_mismatch`; ``LendingError`` for a product not in
    ///   the products; the store's errors (then nothing is written).
    public func approve(paymentID: String, by checker: String, at time: Instant,
                        in transaction: any ServicingTransaction) throws -> Reversal {
        var request = try pending(paymentID, in: transaction)
        guard !MakerChecker.samePerson(request.requestedBy, checker) else {
            throw ServicingRequestError(code: "reverse.same_person", field: "by",
                                        message: "the reversal of payment \(clippedForMessage(paymentID)) was asked by this person; a second person must approve it")
        }
        let payment = try storedPayment(paymentID, in: transaction)
        let (loan, state) = try reversibleLoan(payment, in: transaction)
        let terms = try products.terms(for: loan.product)
        // The loan's payments and restructurings in the order they were posted: a restructuring
        // came after every entry up to the journal sequence it recorded.
        var history: [(key: (Int64, Int), event: Servicing.HistoryEvent, paymentID: String?)] = []
        for earlier in try transaction.repayments(loanID: loan.loanID) {
            if earlier.paymentID != paymentID,
               try transaction.approval(requestID: ReversalDesk.approvalID(paymentID: earlier.paymentID))?.status == .approved {
                continue
            }
            let payment = Payment(id: earlier.paymentID, loanID: earlier.loanID, date: earlier.paidOn, amount: earlier.amount)
            history.append(((earlier.entrySequence, 0), .repayment(payment), earlier.paymentID))
        }
        for restructuring in try RestructuringDesk.applied(loanID: loan.loanID, in: transaction) {
            history.append(((restructuring.afterSequence, 1), .restructuring(restructuring.change, restructuring.on), nil))
        }
        for (sequence, event) in try RefundDesk.history(loanID: loan.loanID, in: transaction) {
            history.append(((sequence, 0), event, nil))
        }
        history.sort { $0.key < $1.key }
        let kept = history.map(\.event)
        let without = history.filter { $0.paymentID != paymentID }.map(\.event)
        let posted: Servicing.Replay
        let corrected: Servicing.Replay
        do {
            posted = try Servicing.replay(state, months: loan.termMonths, events: kept, through: state.processedThrough, terms: terms)
            corrected = try Servicing.replay(state, months: loan.termMonths, events: without, through: state.processedThrough, terms: terms)
        } catch let error as ServicingError where error.code == "servicing.refund_exceeds_held" {
            throw ServicingRequestError(code: "reverse.refunded", field: "payment_id",
                                        message: "without payment \(clippedForMessage(paymentID)), loan \(loan.loanID) would not have held what was refunded since (\(error.message)); nothing was reversed")
        } catch let error as ServicingError {
            throw ServicingRequestError(code: "reverse.history_mismatch", field: "payment_id",
                                        message: "loan \(loan.loanID)'s history cannot be replayed (\(error.code)); nothing was reversed")
        }
        guard ReversalDesk.sameLoan(posted.state, state) else {
            throw ServicingRequestError(
                code: "reverse.history_mismatch", field: "payment_id",
                message: "loan \(loan.loanID) rebuilt from its disbursement and payments is not the loan stored (something else changed it); nothing was reversed")
        }
        var sealed: SealedEntry?
        if let entry = Servicing.correction(id: ReversalDesk.entryID(paymentID: paymentID), date: state.processedThrough, kind: .reversal,
                                            loanID: loan.loanID, reverses: "repay:\(paymentID)",
                                            memo: "asked by \(request.requestedBy), approved by \(checker)",
                                            from: posted.entries, to: corrected.entries) {
            sealed = try transaction.post([entry]).first
        }
        var after = corrected.state
        if after.status != .active {
            // A closed loan's processed date is the last day something happened to it (end of day
            // no longer runs for it): its closing, or a later payment kept.
            var last = after.closedOn ?? after.disbursedOn
            for case .repayment(let kept) in without { last = max(last, kept.date) }
            after.processedThrough = last
        }
        try transaction.save(states: [after])
        let drawnAgain = after.outstandingPrincipal - state.outstandingPrincipal
        if let lineID = state.lineID, drawnAgain.fen != 0, var line = try transaction.line(lineID)?.line {
            line.reinstate(principal: drawnAgain)
            try transaction.save(line: line)
        }
        request = MakerChecker.decided(request, .approved, by: checker, at: time)
        try transaction.save(approval: request)
        return Reversal(request: request, payment: payment, before: state, after: after, entry: sealed)
    }

    /// Rejects a pending reversal (anyone may, the one who asked included).
    /// - Throws: ``ServicingRequestError`` `reverse.no_request`; the store's errors.
    public func reject(paymentID: String, by checker: String, at time: Instant, in transaction: any ServicingTransaction) throws -> ApprovalRequest {
        let request = MakerChecker.decided(try pending(paymentID, in: transaction), .rejected, by: checker, at: time)
        try transaction.save(approval: request)
        return request
    }

    /// The same loan, but for the processed date of a closed one (end of day moves it to the end
    /// of the catch-up run that closed it, which a replay cannot know).
    static func sameLoan(_ rebuilt: LoanState, _ stored: LoanState) -> Bool {
        guard rebuilt.status != .active, rebuilt.status == stored.status else { return rebuilt == stored }
        var rebuilt = rebuilt
        rebuilt.processedThrough = stored.processedThrough
        return rebuilt == stored
    }

    private func pending(_ paymentID: String, in transaction: any ServicingTransaction) throws -> ApprovalRequest {
        guard let request = try transaction.approval(requestID: ReversalDesk.approvalID(paymentID: paymentID)), request.status == .pending else {
            throw ServicingRequestError(code: "reverse.no_request", field: "payment_id",
                                        message: "payment \(clippedForMessage(paymentID)) has no reversal waiting for approval; ask for one first")
        }
        return request
    }

    private func storedPayment(_ paymentID: String, in transaction: any ServicingTransaction) throws -> StoredRepayment {
        guard let payment = try transaction.repayment(paymentID: paymentID) else {
            throw ServicingRequestError(code: "reverse.unknown_payment", field: "payment_id",
                                        message: "no payment \(clippedForMessage(paymentID)); check the payment id")
        }
        return payment
    }

    private func reversibleLoan(_ payment: StoredRepayment, in transaction: any ServicingTransaction) throws -> (StoredLoan, LoanState) {
        guard let loan = try transaction.loans([payment.loanID])[payment.loanID], let state = loan.state else {
            throw ServicingRequestError(code: "reverse.history_mismatch", field: "payment_id",
                                        message: "payment \(clippedForMessage(payment.paymentID))'s loan \(clippedForMessage(payment.loanID)) is not a serviced loan")
        }
        guard state.status != .writtenOff else {
            throw ServicingRequestError(code: "reverse.written_off", field: "payment_id",
                                        message: "loan \(loan.loanID) is written off; its payments are recoveries and cannot be reversed here")
        }
        if let receipt = try SuspenseDesk.source(of: payment, in: transaction) {
            throw ServicingRequestError(code: "reverse.from_suspense", field: "payment_id",
                                        message: "payment \(clippedForMessage(payment.paymentID)) was moved out of suspense (receipt \(clippedForMessage(receipt.receiptID))); reversing it would pay its money out to cash, not back to suspense, and is not supported")
        }
        return (loan, state)
    }

    /// `{"reason":"...","loan_id":"...","amount":"..."}`, escaped as JSON.
    static func payload(reason: String, loanID: String, amount: Money) -> String {
        #"{"reason":"\#(MakerChecker.jsonEscaped(reason))","loan_id":"\#(MakerChecker.jsonEscaped(loanID))","amount":"\#(amount)"}"#
    }
}
