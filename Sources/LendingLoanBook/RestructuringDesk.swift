import Foundation
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// Restructurings (reschedules, payment holidays and hardship pauses of delinquency ageing), with maker-checker: one person asks
/// (``request(loanID:change:reason:by:at:in:)``), a different person approves
/// (``approve(requestID:by:at:in:)``), and only then is the schedule rebuilt
/// (``Servicing/restructure(_:_:on:terms:)``), from the loan's last end of day.
///
/// The record of a restructuring is its approved request `restructure:LOAN:N` (N = 1, 2, ... per
/// loan; requests are never removed), which holds the change, the date it applied from and the
/// journal sequence it came after, so a later reversal replays it in its place among the loan's
/// payments. A restructuring moves no money: it posts no entry of its own.
public struct RestructuringDesk: Sendable {
    public var products: ProductCatalog

    public init(products: ProductCatalog) { self.products = products }

    /// What is stored in a restructuring request's payload (JSON).
    struct Payload: RequestPayload, Equatable {
        /// `reschedule`, `holiday` or `pause`.
        var change: String
        /// Installments in all from the current one (reschedule), installments skipped (holiday), or days (pause).
        var count: Int
        var reason: String
        /// Once approved: the day it applied from and the journal sequence it came after.
        var on: String?
        var afterSequence: Int64?

        enum CodingKeys: String, CodingKey {
            case change, count, reason, on
            case afterSequence = "after_sequence"
        }

        var restructuring: Restructuring? {
            switch change {
            case "reschedule": .reschedule(months: count)
            case "holiday": .holiday(installments: count)
            case "pause": .pause(days: count)
            default: nil
            }
        }
    }

    /// One approved restructuring of a loan, as a replay needs it.
    public struct Applied: Sendable, Equatable {
        public var requestID: String
        public var change: Restructuring
        public var on: CalendarDay
        public var afterSequence: Int64
    }

    static func requestID(loanID: String, number: Int) -> String { "restructure:\(loanID):\(number)" }

    /// An approved restructuring request's change (`reschedule`, `holiday` or `pause`) and the day
    /// it applied from; `nil` for a request that is not an approved restructuring.
    public static func applied(_ request: ApprovalRequest) -> (change: String, on: CalendarDay)? {
        guard request.kind == "restructure", request.status == .approved, let payload = Payload.decode(request.payload),
              let text = payload.on, let day = CalendarDay(iso: text) else { return nil }
        return (payload.change, day)
    }

    /// Every restructuring request of a loan, in the order asked.
    static func requests(loanID: String, in transaction: any ServicingTransaction) throws -> [ApprovalRequest] {
        try MakerChecker.numberedRequests(in: transaction) { requestID(loanID: loanID, number: $0) }
    }

    /// The approved restructurings of a loan, in the order they applied.
    public static func applied(loanID: String, in transaction: any ServicingTransaction) throws -> [Applied] {
        try requests(loanID: loanID, in: transaction).compactMap { request in
            guard request.status == .approved, let payload = Payload.decode(request.payload), let change = payload.restructuring,
                  let text = payload.on, let day = CalendarDay(iso: text), let sequence = payload.afterSequence else { return nil }
            return Applied(requestID: request.requestID, change: change, on: day, afterSequence: sequence)
        }
    }

    /// Asks for a restructuring of an active loan.
    /// - Throws: ``ServicingRequestError``: `restructure.unknown_loan`, `restructure.not_active`,
    ///   `restructure.reason`, `restructure.conflict` (one is waiting already), `restructure.invalid`
    ///   (the change cannot apply to the loan as it is: a term or holiday out of range, nothing left
    ///   to fall due); the store's errors.
    public func request(loanID: String, change: Restructuring, reason: String, by maker: String, at time: Instant,
                        in transaction: any ServicingTransaction) throws -> ApprovalRequest {
        let trimmed = try MakerChecker.reason(reason, code: "restructure.reason")
        let (loan, state) = try activeLoan(loanID, in: transaction)
        let earlier = try RestructuringDesk.requests(loanID: loanID, in: transaction)
        if let waiting = earlier.first(where: { $0.status == .pending }) {
            throw ServicingRequestError(code: "restructure.conflict", field: "loan_id",
                                        message: "loan \(clippedForMessage(loanID)) already has a restructuring waiting for approval (\(waiting.requestID), asked by \(waiting.requestedBy))")
        }
        do {
            _ = try Servicing.restructure(state, change, on: state.processedThrough, terms: try products.terms(for: loan.product))
        } catch let error as ServicingError {
            throw ServicingRequestError(code: "restructure.invalid", field: "change", message: error.message)
        }
        let payload: Payload = switch change {
        case .reschedule(let months): Payload(change: "reschedule", count: months, reason: trimmed)
        case .holiday(let skipped): Payload(change: "holiday", count: skipped, reason: trimmed)
        case .pause(let days): Payload(change: "pause", count: days, reason: trimmed)
        }
        let request = ApprovalRequest(requestID: RestructuringDesk.requestID(loanID: loanID, number: earlier.count + 1), kind: "restructure",
                                      target: loanID, payload: payload.encoded, requestedBy: maker, requestedAt: time)
        try transaction.save(approval: request)
        return request
    }

    /// Approves a pending restructuring and rebuilds the loan's schedule from its last end of day.
    /// - Throws: ``ServicingRequestError``: `restructure.no_request`, `restructure.same_person`,
    ///   `restructure.not_active`, `restructure.invalid`; the store's errors.
    public func approve(requestID: String, by checker: String, at time: Instant,
                        in transaction: any ServicingTransaction) throws -> (ApprovalRequest, LoanState) {
        var request = try pending(requestID, in: transaction)
        guard !MakerChecker.samePerson(request.requestedBy, checker) else {
            throw ServicingRequestError(code: "restructure.same_person", field: "by",
                                        message: "restructuring \(clippedForMessage(requestID)) was asked by this person; a second person must approve it")
        }
        guard var payload = Payload.decode(request.payload), let change = payload.restructuring else {
            throw ServicingRequestError(code: "restructure.invalid", field: "change", message: "request \(clippedForMessage(requestID)) holds no restructuring")
        }
        let (loan, state) = try activeLoan(request.target, in: transaction)
        let day = state.processedThrough
        let result: Servicing.RestructureResult
        do {
            result = try Servicing.restructure(state, change, on: day, terms: try products.terms(for: loan.product))
        } catch let error as ServicingError {
            throw ServicingRequestError(code: "restructure.invalid", field: "change", message: error.message)
        }
        try transaction.post(result.entries)
        payload.on = day.description
        payload.afterSequence = try transaction.journalHead().sequence
        try transaction.save(states: [result.state])
        request.payload = payload.encoded
        request = MakerChecker.decided(request, .approved, by: checker, at: time)
        try transaction.save(approval: request)
        return (request, result.state)
    }

    /// Rejects a pending restructuring (anyone may, the one who asked included).
    public func reject(requestID: String, by checker: String, at time: Instant, in transaction: any ServicingTransaction) throws -> ApprovalRequest {
        let request = MakerChecker.decided(try pending(requestID, in: transaction), .rejected, by: checker, at: time)
        try transaction.save(approval: request)
        return request
    }

    private func pending(_ requestID: String, in transaction: any ServicingTransaction) throws -> ApprovalRequest {
        guard let request = try transaction.approval(requestID: requestID), request.kind == "restructure", request.status == .pending else {
            throw ServicingRequestError(code: "restructure.no_request", field: "request_id",
                                        message: "no restructuring \(clippedForMessage(requestID)) is waiting for approval")
        }
        return request
    }

    private func activeLoan(_ loanID: String, in transaction: any ServicingTransaction) throws -> (StoredLoan, LoanState) {
        guard let loan = try transaction.loans([loanID])[loanID] else {
            throw ServicingRequestError(code: "restructure.unknown_loan", field: "loan_id", message: "no loan \(clippedForMessage(loanID)); check the id")
        }
        guard let state = loan.state, state.status == .active else {
            throw ServicingRequestError(code: "restructure.not_active", field: "loan_id",
                                        message: "loan \(clippedForMessage(loanID)) is not an active loan (\(loan.status.rawValue)); only an active loan can be restructured")
        }
        return (loan, state)
    }
}
