import Foundation
import Hummingbird
import LendingApplications
import LendingCollections
import LendingDecisioning
import LendingLoanBook
import LendingModel
import LendingPostLoan
import LendingServicing
import LendingStorePorts

/// The back office's routes: review queue and approvals, agreements and signatures, payouts,
/// end-of-day status, the collections work queue and outcomes, exports and the audit log.
extension LendingService {
    func addBackOfficeHandlers(to handlers: inout [String: Handler]) {
        handlers["GET /v1/reviews"] = { _, _ in try await listReviews() }
        handlers["POST /v1/reviews/{id}/decision"] = { request, context in
            let id = try pathParameter(context, "id")
            return try await idempotent(request, context) { body, _ in try await decideReview(id, body, caller: context.caller) }
        }
        handlers["GET /v1/approvals"] = { request, context in try await listApprovals(request, context) }
        handlers["POST /v1/approvals/{id}/decision"] = { request, context in
            let id = try pathParameter(context, "id")
            return try await idempotent(request, context) { body, _ in try await decideApproval(id, body, context: context) }
        }
        handlers["POST /v1/loans/{id}/write-off"] = { request, context in
            let id = try pathParameter(context, "id")
            return try await idempotent(request, context) { body, _ in try await requestWriteOff(id, body, caller: context.caller) }
        }
        handlers["POST /v1/repayments/{id}/reversal"] = { request, context in
            let id = try pathParameter(context, "id")
            return try await idempotent(request, context) { body, _ in try await requestReversal(id, body, caller: context.caller) }
        }
        handlers["POST /v1/loans/{id}/restructurings"] = { request, context in
            let id = try pathParameter(context, "id")
            return try await idempotent(request, context) { body, _ in try await requestRestructuring(id, body, caller: context.caller) }
        }
        handlers["POST /v1/loans/{id}/refunds"] = { request, context in
            let id = try pathParameter(context, "id")
            return try await idempotent(request, context) { body, _ in try await requestRefund(id, body, caller: context.caller) }
        }
        handlers["POST /v1/suspense/receipts"] = { request, context in
            try await idempotent(request, context) { body, _ in try await receiveIntoSuspense(body) }
        }
        handlers["POST /v1/suspense/receipts/{id}/move"] = { request, context in
            let id = try pathParameter(context, "id")
            return try await idempotent(request, context) { body, _ in try await requestSuspenseMove(id, body, caller: context.caller) }
        }
        handlers["GET /v1/applications/{id}/agreement"] = { _, context in try await showAgreement(try pathParameter(context, "id")) }
        handlers["POST /v1/applications/{id}/signature"] = { request, context in
            let id = try pathParameter(context, "id")
            return try await idempotent(request, context) { body, _ in try await sign(id, body, caller: context.caller) }
        }
        handlers["GET /v1/loans/{id}/payouts"] = { _, context in try await showPayouts(try pathParameter(context, "id")) }
        handlers["GET /v1/eod"] = { request, _ in try await endOfDayStatus(request) }
        handlers["GET /v1/collections/queue"] = { request, _ in try await collectionsQueue(request) }
        handlers["POST /v1/collections/outcomes"] = { request, context in
            try await idempotent(request, context) { body, _ in try await recordOutcome(body) }
        }
        handlers["GET /v1/exports/{kind}"] = { request, context in try await export(request, context) }
        handlers["GET /v1/audit"] = { request, _ in try await listAudit(request) }
    }

    private func office() throws(HTTPServiceError) -> BackOffice {
        guard let backOffice else { throw HTTPServiceError(.notImplemented, code: "http.not_configured", message: "this server has no back office connected") }
        return backOffice
    }

    /// A query parameter's value, if given.
    private func query(_ request: Request, _ name: String) -> String? { request.uri.queryParameters.get(name) }

    private func queryDate(_ request: Request, _ name: String) throws(HTTPServiceError) -> CalendarDay {
        guard let text = query(request, name) else {
            return clock().day(atOffsetSeconds: (try? office().policy.utcOffsetSeconds) ?? 0)
        }
        guard text.utf8.count == 10, let day = CalendarDay(iso: text) else { throw .badRequest("http.query", "\"\(name)\" must be a date such as 2026-11-21") }
        return day
    }

    // MARK: Review

    func listReviews() async throws -> Response {
        let items = try await office().reviews()
        return jsonResponse(.ok, encodeJSON(ReviewListBody(reviews: items.map { ReviewItemBody($0.0, pending: $0.1) })))
    }

    func decideReview(_ id: String, _ body: ByteBuffer, caller: Caller?) async throws -> RouteAnswer.Deferred {
        let office = try office()
        let parsed = try decodeBody(VerdictBody.self, from: body)
        let reviewer = caller?.name ?? "unknown"
        let outcome: ReviewDesk.Outcome
        do {
            outcome = try await office.decideReview(applicationID: id, approve: parsed.verdict == .approve, by: reviewer, at: clock())
        } catch let error as ApplicationError {
            throw LendingService.reviewRefusal(error)
        }
        return {
            switch outcome {
            case .decided(let record):
                (.created, encodeJSON(ReviewOutcomeBody(applicationID: id, status: "decided", decision: OrNull(DecisionBody(record, replayed: nil)), approval: nil)))
            case .awaitingSecondApproval(let request):
                (.accepted, encodeJSON(ReviewOutcomeBody(applicationID: id, status: "awaiting_second_approval", decision: nil, approval: OrNull(ApprovalBody(request)))))
            }
        }
    }

    /// The role a maker-checker request's kind needs: review for reviews, collections for
    /// write-offs, servicing for reversals.
    static func role(ofApproval requestID: some StringProtocol) -> Role? {
        switch requestID.prefix(while: { $0 != ":" }) {
        case "review": .review
        case "write_off": .collections
        case "reversal", "restructure", "refund", "suspense": .servicing
        default: nil
        }
    }

    func decideApproval(_ id: String, _ body: ByteBuffer, context: LendingRequestContext) async throws -> RouteAnswer.Deferred {
        let office = try office()
        let parsed = try decodeBody(ApprovalVerdictBody.self, from: body)
        guard let role = LendingService.role(ofApproval: id) else {
            throw HTTPServiceError.notFound("no request \(id); ids are review:APPLICATION, write_off:LOAN, reversal:PAYMENT, restructure:LOAN:N, refund:LOAN:N or suspense:RECEIPT:N")
        }
        guard context.caller?.holds(role) == true else { throw HTTPServiceError.forbidden(role) }
        let outcome: BackOffice.ApprovalOutcome
        do {
            outcome = try await office.decideApproval(requestID: id, approve: parsed.verdict == .approve, by: context.caller?.name ?? "unknown", at: clock())
        } catch let error as ApplicationError {
            throw LendingService.reviewRefusal(error)
        } catch let error as ServicingRequestError {
            throw LendingService.writeOffRefusal(error)
        }
        return {
            switch outcome {
            case .review(.decided(let record)):
                (.ok, encodeJSON(ApprovalOutcomeBody(requestID: id, status: record.outcome == .approve ? "approved" : "rejected",
                                                     decision: OrNull(DecisionBody(record, replayed: nil)), approval: nil)))
            case .review(.awaitingSecondApproval(let request)), .writeOff(let request), .reversal(let request), .restructuring(let request),
                 .refund(let request), .suspense(let request):
                (.ok, encodeJSON(ApprovalOutcomeBody(requestID: id, status: request.status.rawValue, decision: nil, approval: OrNull(ApprovalBody(request)))))
            }
        }
    }

    static func reviewRefusal(_ error: ApplicationError) -> HTTPServiceError {
        let status: HTTPResponse.Status = switch error.code {
        case "review.unknown": .notFound
        case "review.decided": .conflict
        default: .unprocessableContent
        }
        return HTTPServiceError(status, code: error.code, message: error.message)
    }

    static func writeOffRefusal(_ error: ServicingRequestError) -> HTTPServiceError {
        let status: HTTPResponse.Status = switch error.code {
        case "write_off.unknown", "write_off.no_request", "reverse.unknown_payment", "reverse.no_request", "restructure.unknown_loan",
             "restructure.no_request", "refund.unknown_loan", "refund.no_request", "suspense.unknown_receipt", "suspense.unknown_loan",
             "suspense.no_request": .notFound
        case "write_off.pending", "reverse.conflict", "restructure.conflict", "refund.conflict", "suspense.conflict": .conflict
        case "write_off.reason", "reverse.reason", "restructure.reason", "refund.reason", "suspense.reason", "suspense.receipt_id": .badRequest
        default: .unprocessableContent
        }
        return HTTPServiceError(status, code: error.code, message: error.message)
    }

    func requestWriteOff(_ id: String, _ body: ByteBuffer, caller: Caller?) async throws -> RouteAnswer.Deferred {
        let office = try office()
        let parsed = try decodeBody(WriteOffBody.self, from: body)
        let request: ApprovalRequest
        do {
            request = try await office.requestWriteOff(loanID: id, reason: parsed.reason, by: caller?.name ?? "unknown", at: clock())
        } catch let error as ServicingRequestError {
            throw LendingService.writeOffRefusal(error)
        }
        return { (.accepted, encodeJSON(ApprovalBody(request))) }
    }

    func requestReversal(_ id: String, _ body: ByteBuffer, caller: Caller?) async throws -> RouteAnswer.Deferred {
        let office = try office()
        let parsed = try decodeBody(WriteOffBody.self, from: body)
        let request: ApprovalRequest
        do {
            request = try await office.requestReversal(paymentID: id, reason: parsed.reason, by: caller?.name ?? "unknown", at: clock())
        } catch let error as ServicingRequestError {
            throw LendingService.writeOffRefusal(error)
        }
        return { (.accepted, encodeJSON(ApprovalBody(request))) }
    }

    func requestRestructuring(_ id: String, _ body: ByteBuffer, caller: Caller?) async throws -> RouteAnswer.Deferred {
        let office = try office()
        let parsed = try decodeBody(RestructuringBody.self, from: body)
        let change: Restructuring = switch parsed.change {
        case .reschedule: .reschedule(months: parsed.count)
        case .holiday: .holiday(installments: parsed.count)
        case .pause: .pause(days: parsed.count)
        }
        let request: ApprovalRequest
        do {
            request = try await office.requestRestructuring(loanID: id, change: change, reason: parsed.reason, by: caller?.name ?? "unknown", at: clock())
        } catch let error as ServicingRequestError {
            throw LendingService.writeOffRefusal(error)
        }
        return { (.accepted, encodeJSON(ApprovalBody(request))) }
    }

    func requestRefund(_ id: String, _ body: ByteBuffer, caller: Caller?) async throws -> RouteAnswer.Deferred {
        let office = try office()
        let parsed = try decodeBody(RefundBody.self, from: body)
        let amount = try parsed.amount.map { text in try money(text, "amount") }
        let request: ApprovalRequest
        do {
            request = try await office.requestRefund(loanID: id, amount: amount, reason: parsed.reason, by: caller?.name ?? "unknown", at: clock())
        } catch let error as ServicingRequestError {
            throw LendingService.writeOffRefusal(error)
        }
        return { (.accepted, encodeJSON(ApprovalBody(request))) }
    }

    func receiveIntoSuspense(_ body: ByteBuffer) async throws -> RouteAnswer.Deferred {
        let office = try office()
        let parsed = try decodeBody(SuspenseReceiptBody.self, from: body)
        let day = try businessDate(parsed.receivedAt, "received_at")
        let amount = try money(parsed.amount, "amount")
        let outcome: SuspenseDesk.ReceiveOutcome
        do {
            outcome = try await office.receiveIntoSuspense(receiptID: parsed.receiptID, on: day, amount: amount)
        } catch let error as ServicingRequestError {
            throw LendingService.writeOffRefusal(error)
        }
        return {
            switch outcome {
            case .received(let receipt): (.created, encodeJSON(SuspenseReceiptAnswer(receipt, repeated: false)))
            case .repeated(let receipt): (.ok, encodeJSON(SuspenseReceiptAnswer(receipt, repeated: true)))
            }
        }
    }

    func requestSuspenseMove(_ id: String, _ body: ByteBuffer, caller: Caller?) async throws -> RouteAnswer.Deferred {
        let office = try office()
        let parsed = try decodeBody(SuspenseMoveBody.self, from: body)
        let request: ApprovalRequest
        do {
            request = try await office.requestSuspenseMove(receiptID: id, loanID: parsed.loanID, reason: parsed.reason, by: caller?.name ?? "unknown", at: clock())
        } catch let error as ServicingRequestError {
            throw LendingService.writeOffRefusal(error)
        }
        return { (.accepted, encodeJSON(ApprovalBody(request))) }
    }

    func listApprovals(_ request: Request, _ context: LendingRequestContext) async throws -> Response {
        var status: ApprovalRequest.Status?
        if let text = query(request, "status") {
            guard let parsed = ApprovalRequest.Status(rawValue: text) else {
                throw HTTPServiceError.badRequest("http.query", "\"status\" must be pending, approved or rejected")
            }
            status = parsed
        }
        // Each caller sees the requests of the kinds its roles may decide.
        let approvals = try await office().approvals(status: status).filter { approval in
            LendingService.role(ofApproval: approval.requestID).map { context.caller?.holds($0) == true } ?? false
        }
        return jsonResponse(.ok, encodeJSON(ApprovalListBody(approvals: approvals.map(ApprovalBody.init))))
    }

    // MARK: Signing

    private func signingRefusal(_ error: ServicingRequestError) -> HTTPServiceError {
        let status: HTTPResponse.Status = switch error.code {
        case "sign.unknown": .notFound
        case "sign.signed": .conflict
        case "sign.channel", "sign.text_sha256": .badRequest
        default: .unprocessableContent
        }
        return HTTPServiceError(status, code: error.code, message: error.message)
    }

    func showAgreement(_ id: String) async throws -> Response {
        let office = try office()
        do {
            let shown = try await office.agreement(applicationID: id)
            return jsonResponse(.ok, encodeJSON(AgreementBody(applicationID: id, text: shown.text, textSHA256: hexString(shown.sha256), signed: shown.signed)))
        } catch let error as ServicingRequestError {
            throw signingRefusal(error)
        } catch let error as LendingError where error.code.hasPrefix("agreement.") || error.code.hasPrefix("products.") {
            throw HTTPServiceError(.unprocessableContent, code: error.code, message: error.message)
        }
    }

    func sign(_ id: String, _ body: ByteBuffer, caller: Caller?) async throws -> RouteAnswer.Deferred {
        let office = try office()
        let parsed = try decodeBody(SignatureBody.self, from: body)
        guard let acceptedAt = Instant(iso: parsed.acceptedAt) else {
            throw HTTPServiceError.badRequest("http.field_value", "\"accepted_at\" must be a date-time with its offset, such as 2026-11-21T09:30:00+08:00")
        }
        guard let hash = SigningJob.sha256(hex: parsed.textSHA256) else {
            throw HTTPServiceError.badRequest("http.field_value", "\"text_sha256\" must be 64 hexadecimal digits")
        }
        guard SigningJob.isChannel(parsed.channel) else {
            throw HTTPServiceError.badRequest("http.field_value", "\"channel\" must be 1 to 32 letters, digits, '_' or '-'")
        }
        for (name, value) in [("ip", parsed.ip), ("device", parsed.device)] {
            if let value, !(1...128).contains(value.utf8.count) || value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
                throw HTTPServiceError.badRequest("http.field_value", "\"\(name)\" must be 1 to 128 characters without control characters")
            }
        }
        let acceptance = SigningJob.Acceptance(acceptedAt: acceptedAt, channel: parsed.channel, ip: parsed.ip, device: parsed.device, shownTextHash: hash)
        let signed: SigningJob.Signed
        do {
            signed = try await office.sign(applicationID: id, acceptance: acceptance, by: caller?.name ?? "unknown", at: clock())
        } catch let error as ServicingRequestError {
            throw signingRefusal(error)
        } catch let error as LendingError where error.code.hasPrefix("agreement.") || error.code.hasPrefix("products.") {
            throw HTTPServiceError(.unprocessableContent, code: error.code, message: error.message)
        }
        return {
            (.created, encodeJSON(SignedBody(applicationID: id, loanID: OrNull(signed.loanID), lineID: OrNull(signed.lineID), signedAt: signed.agreement.signedAt.description,
                                             textSHA256: hexString(signed.agreement.textHash))))
        }
    }

    // MARK: Servicing

    func showPayouts(_ id: String) async throws -> Response {
        guard let payouts = try await office().payouts(loanID: id) else { throw HTTPServiceError.notFound("no loan \(id); check the id") }
        return jsonResponse(.ok, encodeJSON(PayoutListBody(loanID: id, payouts: payouts.map {
            PayoutBody(attempt: $0.attempt, amount: $0.amount.yuanString, status: $0.status.rawValue, sentOn: $0.sentOn.description,
                       settledOn: OrNull($0.settledOn?.description), reason: OrNull($0.reason))
        })))
    }

    func endOfDayStatus(_ request: Request) async throws -> Response {
        let office = try office()
        let status = try await office.endOfDay(asOf: try queryDate(request, "date"))
        return jsonResponse(.ok, encodeJSON(EndOfDayBody(date: status.date.description, loansBehind: status.loansBehind, postLoanRan: status.postLoanRan,
                                                         lastPostLoanRun: OrNull(status.lastPostLoanRun?.description), done: status.done)))
    }

    // MARK: Collections

    func collectionsQueue(_ request: Request) async throws -> Response {
        let office = try office()
        let day = try queryDate(request, "date")
        let actions = try await office.collectionsQueue(day: day)
        return jsonResponse(.ok, encodeJSON(QueueBody(date: day.description, planned: actions != nil, actions: (actions ?? []).map {
            let fields = $0.csvFields
            return QueueBody.Action(loanID: fields[0], action: fields[1], channel: fields[2], scheduledAt: fields[3], bucket: fields[4], reason: fields[5])
        })))
    }

    func recordOutcome(_ body: ByteBuffer) async throws -> RouteAnswer.Deferred {
        let office = try office()
        let parsed = try decodeBody(OutcomeBody.self, from: body)
        var fields = ["loan_id": parsed.loanID, "action": parsed.action, "happened_at": parsed.happenedAt, "result": parsed.result]
        if let value = parsed.promiseDate { fields["promise_date"] = value }
        if let value = parsed.promiseAmount { fields["promise_amount"] = value }
        if let value = parsed.optOut { fields["opt_out"] = value }
        let outcome: ContactOutcome
        let optOut: String?
        do {
            (outcome, optOut) = try CollectionsRecordJob.read(fields: fields)
        } catch let error as ServicingRequestError {
            // What the schema states (formats, enums) is 400; a rule between fields is 422.
            let rule = ["outcome.promise", "outcome.promise_before_contact"].contains(error.code)
            throw HTTPServiceError(rule ? .unprocessableContent : .badRequest, code: error.code, message: error.message)
        }
        let recorded: OutcomeRecorder.Outcome
        do {
            recorded = try await office.record(outcome: outcome, optOut: optOut)
        } catch let error as ServicingRequestError {
            // A contact the rules forbid (quiet period, call cap, opt-out, contact hours: per person) is 422.
            let status: HTTPResponse.Status = switch error.code {
            case "outcome.unknown_loan": .notFound
            case "outcome.conflict": .conflict
            default: .unprocessableContent
            }
            throw HTTPServiceError(status, code: error.code, message: error.message)
        }
        return { (recorded == .recorded ? .created : .ok, encodeJSON(OutcomeRecordedBody(loanID: outcome.loanId, recorded: recorded == .recorded))) }
    }

    // MARK: Exports and audit

    func export(_ request: Request, _ context: LendingRequestContext) async throws -> Response {
        let office = try office()
        let name = try pathParameter(context, "kind")
        guard let kind = DetailExport.Kind(rawValue: name) else {
            throw HTTPServiceError.notFound("no export \(name); use one of \(DetailExport.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var personal = false
        if let flag = query(request, "personal_data") {
            guard flag == "true" || flag == "false" else { throw HTTPServiceError.badRequest("http.query", "\"personal_data\" must be true or false") }
            personal = flag == "true"
        }
        let role: Role = switch kind {
        case .loans, .schedules, .repayments, .journal: .servicing
        case .actions, .outcomes: .collections
        case .decisions: .review
        }
        guard context.caller?.holds(role) == true else { throw HTTPServiceError.forbidden(role) }
        if personal, context.caller?.holds(.admin) != true { throw HTTPServiceError.forbidden(.admin) }
        let bytes = try await office.export(kind, personalData: personal)
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func listAudit(_ request: Request) async throws -> Response {
        let office = try office()
        var after: Int64 = 0
        var limit = 1_000
        if let text = query(request, "after") {
            guard let value = Int64(text), value >= 0 else { throw HTTPServiceError.badRequest("http.query", "\"after\" must be a whole number from 0") }
            after = value
        }
        if let text = query(request, "limit") {
            guard let value = Int(text), (1...10_000).contains(value) else { throw HTTPServiceError.badRequest("http.query", "\"limit\" must be a whole number from 1 to 10000") }
            limit = value
        }
        let records = try await office.audit(after: after, limit: limit)
        return jsonResponse(.ok, encodeJSON(AuditListBody(records: records.map(AuditBody.init), nextAfter: records.last?.sequence ?? after)))
    }
}

// MARK: Bodies

/// An optional that encodes as `null` when absent (synthesized `Encodable` leaves an optional
/// out), so that every key the document requires is in every response.
struct OrNull<Value: Encodable>: Encodable, ExpressibleByNilLiteral {
    var value: Value?

    init(_ value: Value?) { self.value = value }
    init(nilLiteral: ()) { value = nil }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

struct VerdictBody: Decodable {
    enum Verdict: String, Decodable { case approve, decline }
    var verdict: Verdict
}

struct ApprovalVerdictBody: Decodable {
    enum Verdict: String, Decodable { case approve, reject }
    var verdict: Verdict
}

struct WriteOffBody: Decodable { var reason: String }

struct RefundBody: Decodable {
    /// In yuan, such as "150.00"; absent: all the loan holds for its borrower.
    var amount: String?
    var reason: String
}

struct SuspenseReceiptBody: Decodable {
    var receiptID: String
    var receivedAt: String
    /// In yuan, such as "150.00".
    var amount: String

    enum CodingKeys: String, CodingKey { case receiptID = "receipt_id", receivedAt = "received_at", amount }
}

struct SuspenseReceiptAnswer: Encodable {
    var receiptID: String
    var receivedOn: String
    var amount: String
    var status: String
    /// The same receipt was received before: nothing changed.
    var repeated: Bool

    init(_ receipt: StoredSuspenseReceipt, repeated: Bool) {
        receiptID = receipt.receiptID
        receivedOn = receipt.receivedOn.description
        amount = receipt.amount.description
        status = receipt.isHeld ? "held" : "moved"
        self.repeated = repeated
    }

    enum CodingKeys: String, CodingKey { case receiptID = "receipt_id", receivedOn = "received_on", amount, status, repeated }
}

struct SuspenseMoveBody: Decodable {
    var loanID: String
    var reason: String

    enum CodingKeys: String, CodingKey { case loanID = "loan_id", reason }
}

struct RestructuringBody: Decodable {
    enum Change: String, Decodable { case reschedule, holiday, pause }
    var change: Change
    /// Installments in all from the current one (reschedule), installments skipped (holiday), or days (pause).
    var count: Int
    var reason: String
}

struct ApprovalOutcomeBody: Encodable {
    var requestID: String
    var status: String
    var decision: OrNull<DecisionBody>
    var approval: OrNull<ApprovalBody>

    enum CodingKeys: String, CodingKey { case requestID = "request_id", status, decision, approval }

}

struct ReviewItemBody: Encodable {
    var applicationID: String
    var openedAt: String
    var score: OrNull<Double>
    var proposedLimit: String
    var apr: String
    var reasons: [String]
    var awaitingSecondApproval: Bool
    var requestedBy: OrNull<String>

    init(_ item: ReviewItem, pending: ApprovalRequest?) {
        applicationID = item.applicationID
        openedAt = item.openedAt.description
        score = OrNull(item.score)
        proposedLimit = item.proposedLimit.yuanString
        apr = item.apr.decimalString
        reasons = item.reasons.map(\.code)
        awaitingSecondApproval = pending != nil
        requestedBy = OrNull(pending?.requestedBy)
    }

    enum CodingKeys: String, CodingKey {
        case applicationID = "application_id", openedAt = "opened_at", score, proposedLimit = "proposed_limit", apr, reasons
        case awaitingSecondApproval = "awaiting_second_approval", requestedBy = "requested_by"
    }

}

struct ReviewListBody: Encodable { var reviews: [ReviewItemBody] }

struct ApprovalBody: Encodable {
    var requestID: String
    var kind: String
    var target: String
    var status: String
    var requestedBy: String
    var requestedAt: String
    var decidedBy: OrNull<String>
    var decidedAt: OrNull<String>

    init(_ request: ApprovalRequest) {
        requestID = request.requestID
        kind = request.kind
        target = request.target
        status = request.status.rawValue
        requestedBy = request.requestedBy
        requestedAt = request.requestedAt.description
        decidedBy = OrNull(request.decidedBy)
        decidedAt = OrNull(request.decidedAt?.description)
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id", kind, target, status, requestedBy = "requested_by", requestedAt = "requested_at"
        case decidedBy = "decided_by", decidedAt = "decided_at"
    }

}

struct ApprovalListBody: Encodable { var approvals: [ApprovalBody] }

struct ReviewOutcomeBody: Encodable {
    var applicationID: String
    var status: String
    var decision: OrNull<DecisionBody>
    var approval: OrNull<ApprovalBody>

    enum CodingKeys: String, CodingKey { case applicationID = "application_id", status, decision, approval }

}

struct AgreementBody: Encodable {
    var applicationID: String
    var text: String
    var textSHA256: String
    var signed: Bool

    enum CodingKeys: String, CodingKey { case applicationID = "application_id", text, textSHA256 = "text_sha256", signed }
}

struct SignatureBody: Decodable {
    var acceptedAt: String
    var channel: String
    var ip: String?
    var device: String?
    var textSHA256: String

    enum CodingKeys: String, CodingKey { case acceptedAt = "accepted_at", channel, ip, device, textSHA256 = "text_sha256" }
}

struct SignedBody: Encodable {
    var applicationID: String
    var loanID: OrNull<String>
    var lineID: OrNull<String>
    var signedAt: String
    var textSHA256: String

    enum CodingKeys: String, CodingKey {
        case applicationID = "application_id", loanID = "loan_id", lineID = "line_id", signedAt = "signed_at", textSHA256 = "text_sha256"
    }

}

struct PayoutBody: Encodable {
    var attempt: Int
    var amount: String
    var status: String
    var sentOn: String
    var settledOn: OrNull<String>
    var reason: OrNull<String>

    enum CodingKeys: String, CodingKey { case attempt, amount, status, sentOn = "sent_on", settledOn = "settled_on", reason }

}

struct PayoutListBody: Encodable {
    var loanID: String
    var payouts: [PayoutBody]

    enum CodingKeys: String, CodingKey { case loanID = "loan_id", payouts }
}

struct EndOfDayBody: Encodable {
    var date: String
    var loansBehind: Int
    var postLoanRan: Bool
    var lastPostLoanRun: OrNull<String>
    var done: Bool

    enum CodingKeys: String, CodingKey { case date, loansBehind = "loans_behind", postLoanRan = "post_loan_ran", lastPostLoanRun = "last_post_loan_run", done }

}

struct QueueBody: Encodable {
    struct Action: Encodable {
        var loanID: String
        var action: String
        var channel: String
        var scheduledAt: String
        var bucket: String
        var reason: String

        enum CodingKeys: String, CodingKey { case loanID = "loan_id", action, channel, scheduledAt = "scheduled_at", bucket, reason }
    }

    var date: String
    var planned: Bool
    var actions: [Action]
}

struct OutcomeBody: Decodable {
    var loanID: String
    var action: String
    var happenedAt: String
    var result: String
    var promiseDate: String?
    var promiseAmount: String?
    var optOut: String?

    enum CodingKeys: String, CodingKey {
        case loanID = "loan_id", action, happenedAt = "happened_at", result, promiseDate = "promise_date", promiseAmount = "promise_amount", optOut = "opt_out"
    }
}

struct OutcomeRecordedBody: Encodable {
    var loanID: String
    var recorded: Bool

    enum CodingKeys: String, CodingKey { case loanID = "loan_id", recorded }
}

struct AuditBody: Encodable {
    var sequence: Int64
    var at: String
    var actor: String
    var channel: String
    var action: String
    var target: String
    var requestID: String
    var outcome: String
    var detail: String

    init(_ record: AuditRecord) {
        sequence = record.sequence
        at = record.at.description
        actor = record.actor
        channel = record.channel
        action = record.action
        target = record.target
        requestID = record.requestID
        outcome = record.outcome
        detail = record.detail
    }

    enum CodingKeys: String, CodingKey { case sequence, at, actor, channel, action, target, requestID = "request_id", outcome, detail }
}

struct AuditListBody: Encodable {
    var records: [AuditBody]
    var nextAfter: Int64

    enum CodingKeys: String, CodingKey { case records, nextAfter = "next_after" }
}
