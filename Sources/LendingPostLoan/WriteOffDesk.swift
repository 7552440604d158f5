import Foundation
import LendingLoanBook
import LendingModel
import LendingServicing
import LendingStorePorts

/// Manual write-offs, with maker-checker: one person asks (``request(loanID:reason:by:at:in:)``),
/// a different person approves (``approve(loanID:by:at:in:)``), and only then is the loan written
/// off, as the post-loan run writes one off: through servicing and the ledger (entry
/// `writeoff:LOAN`, as of the last day its end of day ran), its ladder closed, its line frozen.
/// The one who asked can never approve; anyone may reject.
public struct WriteOffDesk: Sendable {
    public var products: ProductCatalog

    public init(products: ProductCatalog) { self.products = products }

    /// The maker-checker request id of a loan's write-off.
    public static func approvalID(loanID: String) -> String { "write_off:\(loanID)" }

    /// Asks for a loan's write-off.
    /// - Throws: ``ServicingRequestError``: `write_off.unknown` (no such loan), `write_off.not_active`
    ///   (not paid out, paid off or written off), `write_off.pending` (already asked), `write_off.reason`
    ///   (1 to 200 characters); the store's errors.
    public func request(loanID: String, reason: String, by maker: String, at time: Instant,
                        in transaction: any CollectionsTransaction) throws -> ApprovalRequest {
        let trimmed = try MakerChecker.reason(reason, code: "write_off.reason")
        _ = try activeState(loanID, in: transaction)
        let id = WriteOffDesk.approvalID(loanID: loanID)
        if let existing = try transaction.approval(requestID: id), existing.status == .pending {
            throw ServicingRequestError(code: "write_off.pending", field: "loan_id",
                                        message: "loan \(clippedForMessage(loanID)) already has a write-off waiting for approval (asked by \(existing.requestedBy))")
        }
        let request = ApprovalRequest(requestID: id, kind: "write_off", target: loanID, payload: WriteOffDesk.payload(reason: trimmed),
                                      requestedBy: maker, requestedAt: time)
        try transaction.save(approval: request)
        return request
    }

    /// Approves a pending write-off and writes the loan off.
    /// - Throws: ``ServicingRequestError``: `write_off.no_request`, `write_off.same_person`,
    ///   `write_off.not_active`; ``LendingError`` for a product not in the products; the store's errors.
    public func approve(loanID: String, by checker: String, at time: Instant,
                        in transaction: any CollectionsTransaction) throws -> (ApprovalRequest, LoanState) {
        var request = try pending(loanID, in: transaction)
        guard !MakerChecker.samePerson(request.requestedBy, checker) else {
            throw ServicingRequestError(code: "write_off.same_person", field: "by",
                                        message: "the write-off of loan \(clippedForMessage(loanID)) was asked by this person; a second person must approve it")
        }
        let (stored, state) = try activeState(loanID, in: transaction)
        let day = state.processedThrough
        let result = try Servicing.writeOff(state, on: day, terms: try products.terms(for: stored.product))
        try transaction.post(result.entries)
        try transaction.save(states: [result.state])
        try transaction.deleteLadders(loanIDs: [loanID])
        var events = [PostLoanEvent(day: day, subject: loanID, kind: "write_off_posted",
                                    detail: "manual: asked by \(request.requestedBy), approved by \(checker)")]
        if let lineID = state.lineID, var line = try transaction.line(lineID)?.line, !line.frozen {
            line.freeze()
            try transaction.save(line: line)
            events.append(PostLoanEvent(day: day, subject: lineID, kind: "line_frozen", detail: "draw \(loanID) was written off"))
        }
        try transaction.insert(events: events)
        request = MakerChecker.decided(request, .approved, by: checker, at: time)
        try transaction.save(approval: request)
        return (request, result.state)
    }

    /// Rejects a pending write-off (anyone may, the one who asked included).
    /// - Throws: ``ServicingRequestError`` `write_off.no_request`; the store's errors.
    public func reject(loanID: String, by checker: String, at time: Instant, in transaction: any CollectionsTransaction) throws -> ApprovalRequest {
        let request = MakerChecker.decided(try pending(loanID, in: transaction), .rejected, by: checker, at: time)
        try transaction.save(approval: request)
        return request
    }

    private func pending(_ loanID: String, in transaction: any CollectionsTransaction) throws -> ApprovalRequest {
        guard let request = try transaction.approval(requestID: WriteOffDesk.approvalID(loanID: loanID)), request.status == .pending else {
            throw ServicingRequestError(code: "write_off.no_request", field: "loan_id",
                                        message: "loan \(clippedForMessage(loanID)) has no write-off waiting for approval; ask for one first")
        }
        return request
    }

    private func activeState(_ loanID: String, in transaction: any CollectionsTransaction) throws -> (StoredLoan, LoanState) {
        guard let stored = try transaction.loans([loanID])[loanID] else {
            throw ServicingRequestError(code: "write_off.unknown", field: "loan_id", message: "no loan \(clippedForMessage(loanID)); check the id")
        }
        guard let state = stored.state, state.status == .active else {
            throw ServicingRequestError(code: "write_off.not_active", field: "loan_id",
                                        message: "loan \(clippedForMessage(loanID)) is not an active loan (\(stored.status.rawValue)); only an active loan can be written off")
        }
        return (stored, state)
    }

    /// `{"reason":"..."}` with the reason escaped as JSON.
    static func payload(reason: String) -> String { #"{"reason":"\#(MakerChecker.jsonEscaped(reason))"}"# }
}
