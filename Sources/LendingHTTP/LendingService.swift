import Crypto
import Synchronization
import Dispatch
import Foundation
import Hummingbird
import LendingDecisioning
import LendingModel
import LendingScoring
import Logging
import LendingApplications
import LendingLoanBook
import LendingStorePorts

/// The request context of the service: Hummingbird's core context, nothing more.
public struct LendingRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The API key's caller, once the middleware has checked the key (`nil` on `/health`).
    public var caller: Caller?

    public init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
}

/// The HTTP service of `lending serve`: scoring, applications, the loan book, metrics, health and
/// the OpenAPI document, behind bearer API keys (see docs/openapi.yaml).
///
/// Build one, then either run ``application(configuration:)`` (a Hummingbird application with
/// graceful shutdown through swift-service-lifecycle) or test ``router()`` with
/// HummingbirdTesting.
public struct LendingService: Sendable {
    /// The credit scorecard of `POST /v1/score`.
    public let scorer: Scorer
    /// Each characteristic's position in the model's order.
    let characteristicIndex: [String: Int]
    /// The keys `Authorization: Bearer KEY` is checked against (every route but `/health`).
    public var keys: APIKeySet
    /// Decides `POST /v1/applications`; `nil` answers the application routes with 501.
    public var desk: ApplicationDesk?
    /// The loan book behind draws, repayments and loans; `nil` answers those routes with 501.
    public var loans: (any LoanService)?
    /// The back office (review, signing, payouts, end of day, collections, exports, audit);
    /// `nil` answers those routes with 501.
    public var backOffice: BackOffice?
    /// Where every POST is recorded (caller, route, outcome); `nil` records nothing.
    public var audit: AuditTrail?
    /// Where `Idempotency-Key`s are kept.
    public var idempotency: any IdempotencyStore
    public var metrics: ServiceMetrics
    /// Request refusals and failures (never personal data); each request's own logger adds its id.
    public var logger: Logger
    /// Request bodies larger than this are refused with 413.
    public var maximumBodyBytes: Int
    /// Rows of one `POST /v1/score` at most.
    public var maximumRows: Int
    /// The time an idempotency key's request arrived (kept with the key, to expire old keys).
    public var clock: @Sendable () -> Instant
    /// Days a completed Idempotency-Key is kept, by ``clock``; 0 keeps keys forever. Above 0,
    /// ``application(configuration:)`` runs an ``IdempotencyExpiry`` (when ``idempotency`` is an
    /// ``InMemoryIdempotencyStore``) that forgets older keys at start and then once a day.
    public var idempotencyDays: Int

    /// - Parameters:
    ///   - scorer: the credit scorecard.
    ///   - keys: the accepted API keys.
    ///   - desk: the application desk (in-memory or SQLite store), if applications are taken.
    ///   - loans: the loan book, if connected.
    ///   - backOffice: the back office, if connected.
    ///   - audit: where POSTs are recorded, if anywhere.
    ///   - idempotency: the idempotency keys' store (default: in memory).
    ///   - metrics: the metrics registry (default: a new one).
    ///   - logger: the service's logger.
    ///   - clock: the current time (the system clock by default).
    ///   - idempotencyDays: days a completed idempotency key is kept (0, the default: forever).
    public init(scorer: Scorer, keys: APIKeySet, desk: ApplicationDesk? = nil, loans: (any LoanService)? = nil,
                backOffice: BackOffice? = nil, audit: AuditTrail? = nil, idempotency: any IdempotencyStore = InMemoryIdempotencyStore(), metrics: ServiceMetrics = ServiceMetrics(),
                logger: Logger = Logger(label: "lending.http"), maximumBodyBytes: Int = 4 << 20, maximumRows: Int = 10_000,
                clock: @escaping @Sendable () -> Instant = LendingService.systemClock, idempotencyDays: Int = 0) {
        precondition(idempotencyDays >= 0, "keys are kept 0 (forever) or more days")
        self.scorer = scorer
        characteristicIndex = Dictionary(scorer.compiled.names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        self.keys = keys
        self.desk = desk
        self.loans = loans
        self.backOffice = backOffice
        self.audit = audit
        self.idempotency = idempotency
        self.metrics = metrics
        self.logger = logger
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumRows = maximumRows
        self.clock = clock
        self.idempotencyDays = idempotencyDays
    }

    /// The system's clock, to the second.
    public static let systemClock: @Sendable () -> Instant = { Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }

    /// A Hummingbird application serving ``router()``, with the desks (applications, and the
    /// loan book when it is a ``LoanDesk``) as services of its group, so graceful shutdown first
    /// stops taking requests, then stores what was accepted; and, with ``idempotencyDays`` above
    /// 0, the ``IdempotencyExpiry`` of its keys.
    /// Run it with `runService()` (SIGTERM and SIGINT shut it down gracefully).
    public func application(configuration: ApplicationConfiguration) -> Application<RouterResponder<LendingRequestContext>> {
        var application = Application(router: router(), configuration: configuration, logger: logger)
        // Shut down in reverse order: the desks finish their requests before the audit trail stops.
        if let audit { application.addServices(audit) }
        if let desk { application.addServices(desk) }
        if let loanDesk = loans as? LoanDesk { application.addServices(loanDesk) }
        if let expiry = idempotencyExpiry { application.addServices(expiry) }
        return application
    }

    /// What forgets this service's old idempotency keys: `nil` when ``idempotencyDays`` is 0 or
    /// ``idempotency`` is not an ``InMemoryIdempotencyStore``.
    public var idempotencyExpiry: IdempotencyExpiry? {
        guard idempotencyDays > 0, let store = idempotency as? InMemoryIdempotencyStore else { return nil }
        return IdempotencyExpiry(store: store, days: idempotencyDays, clock: clock, logger: logger)
    }

    /// Serves on `host:port` until SIGTERM or SIGINT, then shuts down gracefully: stops accepting
    /// connections, finishes the requests in flight, stores the applications accepted.
    /// - Throws: when the address cannot be bound, and the server's failures.
    public func run(host: String, port: Int) async throws {
        try await application(configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil)).runService()
    }

    /// The routes, behind the service middleware (keys, errors as JSON, metrics, logs).
    public func router() -> Router<LendingRequestContext> {
        let router = Router(context: LendingRequestContext.self)
        router.add(middleware: ServiceMiddleware(keys: keys, metrics: metrics, logger: logger, audit: audit, clock: clock))
        let handlers = self.handlers()
        for spec in Self.routes {
            guard let handler = handlers["\(spec.method) \(spec.path)"] else { preconditionFailure("no handler for \(spec.method) \(spec.path)") }
            router.on(RouterPath(spec.path), method: HTTPRequest.Method(spec.method)!, use: handler)
        }
        return router
    }

    typealias Handler = @Sendable (Request, LendingRequestContext) async throws -> Response

    /// The handler of every route of ``routes``, by `METHOD path`.
    func handlers() -> [String: Handler] {
        var handlers: [String: Handler] = [:]
        let document = OpenAPIDocument.yaml(for: scorer.model)
        handlers["GET /health"] = { _, _ in jsonResponse(.ok, staticJSON(#"{"status":"ok"}"#)) }
        handlers["GET /metrics"] = { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        handlers["GET /openapi.yaml"] = { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: document)))
        }
        handlers["POST /v1/score"] = { request, _ in try await score(request) }
        handlers["POST /v1/applications"] = { request, context in
            try await idempotent(request, context) { body, ticket in try await createApplication(body, ticket: ticket) }
        }
        handlers["GET /v1/applications/{id}"] = { _, context in try showApplication(try pathParameter(context, "id")) }
        handlers["POST /v1/lines/{id}/draws"] = { request, context in
            let lineID = try pathParameter(context, "id")
            return try await idempotent(request, context) { body, ticket in try await draw(lineID: lineID, body, ticket: ticket) }
        }
        handlers["POST /v1/loans/{id}/repayments"] = { request, context in
            let loanID = try pathParameter(context, "id")
            return try await idempotent(request, context) { body, ticket in try await repay(loanID: loanID, body, ticket: ticket) }
        }
        handlers["GET /v1/loans/{id}"] = { _, context in try await showLoan(try pathParameter(context, "id")) }
        addBackOfficeHandlers(to: &handlers)
        return handlers
    }

    // MARK: Scoring

    func score(_ request: Request) async throws -> Response {
        let body = try await collect(request)
        guard case .object(let members) = try parseJSON(body) else {
            throw HTTPServiceError.badRequest("score.body", "the body must be a JSON object: {\"features\": {...}} or {\"rows\": [...]}")
        }
        var features: [(String, JSONValue)]?
        var rows: [JSONValue]?
        var reasons = 4
        for (key, value) in members {
            switch key {
            case "features":
                guard case .object(let fields) = value else { throw HTTPServiceError.badRequest("score.body", "\"features\" must be a JSON object") }
                features = fields
            case "rows":
                guard case .array(let list) = value else { throw HTTPServiceError.badRequest("score.body", "\"rows\" must be an array of objects") }
                rows = list
            case "reasons":
                guard case .number(let text) = value, let count = wholeNumber(text), (0...64).contains(count) else {
                    throw HTTPServiceError.badRequest("score.reasons", "\"reasons\" must be a whole number from 0 to 64")
                }
                reasons = count
            default:
                continue
            }
        }
        var writer = JSONWriter(capacity: rows.map { $0.count * 240 + 16 } ?? 256)
        switch (features, rows) {
        case (let features?, nil):
            write(try scoreOne(features, reasons: reasons, row: nil), to: &writer)
            metrics.recordScores(1)
        case (nil, let rows?):
            guard rows.count <= maximumRows else {
                throw HTTPServiceError.badRequest("score.too_many_rows", "\(rows.count) rows in one request; send at most \(maximumRows)")
            }
            writer.raw("{\"results\":[")
            for (index, row) in rows.enumerated() {
                guard case .object(let fields) = row else { throw HTTPServiceError.badRequest("score.body", "\"rows[\(index)]\" must be a JSON object") }
                if index > 0 { writer.raw(",") }
                write(try scoreOne(fields, reasons: reasons, row: index), to: &writer)
            }
            writer.raw("]}")
            metrics.recordScores(rows.count)
        default:
            throw HTTPServiceError.badRequest("score.body", "send {\"features\": {...}} for one applicant or {\"rows\": [{...}, ...]} for several, not both")
        }
        return jsonResponse(.ok, writer.byteBuffer)
    }

    /// The application's contract fields that are text (strings or null, never JSON numbers).
    static let textFields: Set<String> = [
        "application_id", "applied_at", "product", "channel", "merchant_id", "name", "id_number", "phone", "bank_card", "device_id", "ip",
        "address", "employer", "contact_phone", "kyc_name_id", "kyc_phone", "kyc_card", "liveness",
    ]

    /// Scores one applicant's fields: each value is text as a CSV field holds it (numbers as
    /// written), absent or null is missing, unknown names are ignored.
    private func scoreOne(_ fields: [(String, JSONValue)], reasons: Int, row: Int?) throws(HTTPServiceError) -> ScoreResult {
        var texts = [String](repeating: "", count: characteristicIndex.count)
        for (name, value) in fields {
            guard let index = characteristicIndex[name] else { continue }
            guard let text = value.fieldText else {
                throw .badRequest("score.field_type", "\"\(row.map { "rows[\($0)]." } ?? "features.")\(name)\" must be a string, a number or null")
            }
            // The document bounds JSON numbers to ±1e300 (beyond, a double overflows).
            if case .number = value, let number = Double(text), abs(number) > 1e300 {
                throw .badRequest("score.field_value", "\"\(row.map { "rows[\($0)]." } ?? "features.")\(name)\" must be between -1e300 and 1e300")
            }
            texts[index] = text
        }
        do {
            return try scorer.score(texts: texts, reasons: reasons)
        } catch {
            throw .badRequest(error.code, (row.map { "rows[\($0)]: " } ?? "") + error.message)
        }
    }

    /// `{"score": 590, "probability": 0.057011, "reasons": [{"characteristic": ..., "points_below_maximum": ...}]}`:
    /// the probability with 6 decimals, as `lending score` writes it.
    func write(_ result: ScoreResult, to writer: inout JSONWriter) {
        writer.raw("{\"score\":")
        writer.number(result.score)
        writer.raw(",\"probability\":")
        writer.probability(result.probability)
        writer.raw(",\"reasons\":[")
        for (index, reason) in result.reasons.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{\"characteristic\":")
            writer.string(reason.characteristic)
            writer.raw(",\"points_below_maximum\":")
            writer.number(reason.pointsBelowMaximum)
            writer.raw("}")
        }
        writer.raw("]}")
    }

    // MARK: Applications

    /// Decides the application; its answer is encoded only if the desk did not record it (``idempotent(_:_:_:)``).
    func createApplication(_ body: ByteBuffer, ticket: IdempotencyTicket?) async throws -> RouteAnswer.Deferred {
        guard let desk else { throw HTTPServiceError(.notImplemented, code: "http.not_configured", message: "this server takes no applications") }
        guard case .object(let members) = try parseJSON(body) else {
            throw HTTPServiceError.badRequest("apply.field", "the body must be a JSON object of the application's fields")
        }
        var texts: [String: String] = [:]
        texts.reserveCapacity(members.count)
        for (name, value) in members {
            guard let text = value.fieldText else { throw HTTPServiceError.badRequest("apply.field", "\"\(name)\" must be a string, a number or null") }
            if name == "term_months", case .number(let number) = value, let months = wholeNumber(number) {
                texts[name] = String(months)
                continue
            }
            if LendingService.textFields.contains(name), case .number = value {
                throw HTTPServiceError.badRequest("apply.field", "\"\(name)\" must be a string or null, not a JSON number")
            }
            if name == "requested_amount", case .number = value {
                throw HTTPServiceError.badRequest("apply.field", "\"requested_amount\" must be a decimal string in yuan such as \"5000.00\", not a JSON number")
            }
            texts[name] = text
        }
        let input: ApplicationInput
        do {
            input = try desk.reader.read { texts[$0] }
        } catch {
            throw HTTPServiceError.badRequest("apply.field", error.message)
        }
        let decided: DecidedApplication
        do {
            decided = try await desk.decide(input, ticket: ticket)
        } catch let error as ApplicationError {
            throw RouteAnswer.refusal(error)
        }
        if !decided.replayed { metrics.recordDecision(decided.record.outcome) }
        logger.debug("application decided", metadata: [
            "application_id": "\(decided.record.applicationID)", "outcome": "\(decided.record.outcome.rawValue)", "replayed": "\(decided.replayed)",
        ])
        return { try RouteAnswer.application(.success(decided)) }
    }

    func showApplication(_ id: String) throws -> Response {
        guard let desk else { throw HTTPServiceError(.notImplemented, code: "http.not_configured", message: "this server takes no applications") }
        guard let (_, record) = try desk.application(id) else { throw HTTPServiceError.notFound("no application \(id); check the id") }
        return jsonResponse(.ok, encodeJSON(DecisionBody(record, replayed: nil)))
    }

    // MARK: Loans

    private func loanBook() throws(HTTPServiceError) -> any LoanService {
        guard let loans else { throw HTTPServiceError(.notImplemented, code: "http.not_configured", message: "this server has no loan book connected") }
        return loans
    }

    func draw(lineID: String, _ body: ByteBuffer, ticket: IdempotencyTicket) async throws -> RouteAnswer.Deferred {
        let loans = try loanBook()
        let parsed = try decodeBody(DrawBody.self, from: body)
        try checkID(parsed.drawID, "draw_id")
        let amount = try money(parsed.amount, "amount")
        guard (1...360).contains(parsed.termMonths) else {
            throw HTTPServiceError.badRequest("http.field_value", "\"term_months\" must be a whole number of months from 1 to 360")
        }
        var day: CalendarDay?
        if let text = parsed.requestedAt { day = try businessDate(text, "requested_at") }
        let request = DrawRequest(lineID: lineID, drawID: parsed.drawID, amount: amount, termMonths: parsed.termMonths, requestedOn: day)
        let drawn: DrawResult
        do {
            drawn = try await loans.draw(request, ticket: ticket)
        } catch let error as LoanServiceError {
            throw RouteAnswer.refusal(error)
        }
        return { try RouteAnswer.draw(.success(drawn)) }
    }

    func repay(loanID: String, _ body: ByteBuffer, ticket: IdempotencyTicket) async throws -> RouteAnswer.Deferred {
        let loans = try loanBook()
        let parsed = try decodeBody(RepaymentBody.self, from: body)
        try checkID(parsed.paymentID, "payment_id")
        let amount = try money(parsed.amount, "amount")
        let day = try businessDate(parsed.paidAt, "paid_at")
        let view: RepaymentView
        do {
            view = try await loans.repay(RepaymentRequest(loanID: loanID, paymentID: parsed.paymentID, amount: amount, paidAt: day), ticket: ticket)
        } catch let error as LoanServiceError {
            throw RouteAnswer.refusal(error)
        }
        return { try RouteAnswer.repayment(.success(view)) }
    }

    func showLoan(_ id: String) async throws -> Response {
        let loans = try loanBook()
        let found: LoanView?
        do {
            found = try await loans.loan(id: id)
        } catch let error as LoanServiceError {
            throw RouteAnswer.refusal(error)
        }
        guard let loan = found else { throw HTTPServiceError.notFound("no loan \(id); check the id") }
        return jsonResponse(.ok, encodeJSON(LoanBody(loan)))
    }

    /// A business date: `2026-11-21`, or a date-time with its offset (`2026-11-21T09:30:00+08:00`), whose date is used.
    func businessDate(_ text: String, _ field: String) throws(HTTPServiceError) -> CalendarDay {
        guard let day = CalendarDay(iso: text.prefix(10)), text.count == 10 || Instant(iso: text) != nil else {
            throw .badRequest("http.field_value", "\"\(field)\" must be a date such as 2026-11-21 (or a date-time with its offset)")
        }
        return day
    }

    private func checkID(_ id: String, _ field: String) throws(HTTPServiceError) {
        guard !id.isEmpty, id.utf8.count <= 64, !id.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw .badRequest("http.field_value", "\"\(field)\" must be 1 to 64 bytes without control characters")
        }
    }

    func money(_ text: String, _ field: String) throws(HTTPServiceError) -> Money {
        guard let amount = Money(yuan: text), amount.fen > 0 else {
            throw .badRequest("http.field_value", "\"\(field)\" must be a positive amount in yuan with at most 2 decimals, as a string such as \"500.00\"")
        }
        return amount
    }

    // MARK: Plumbing

    /// The whole body, refused with 413 beyond ``maximumBodyBytes``. A body that arrives in one
    /// piece (the usual case) is not copied.
    func collect(_ request: Request) async throws -> ByteBuffer {
        var collected: ByteBuffer?
        for try await chunk in request.body {
            guard (collected?.readableBytes ?? 0) + chunk.readableBytes <= maximumBodyBytes else {
                throw HTTPServiceError(.contentTooLarge, code: "http.too_large", message: "the body is larger than \(maximumBodyBytes) bytes; send less")
            }
            if collected == nil { collected = chunk } else { collected!.writeImmutableBuffer(chunk) }
        }
        return collected ?? ByteBuffer()
    }

    /// Runs a POST that creates a record or moves money under its `Idempotency-Key`: the first
    /// request with a key runs, a repeat with the same method, path and body gets the stored
    /// response, one with another body gets 409; concurrent repeats wait for the first.
    ///
    /// The work gets the key's ticket to commit it with its record, and returns its answer
    /// unencoded: the response sent is the one the desk recorded with the record, else the
    /// answer (or the refusal that is the request's outcome) encoded here, once. Either is kept
    /// under the key; bad input and failures release the key and are thrown.
    func idempotent(_ request: Request, _ context: LendingRequestContext,
                    _ work: (ByteBuffer, IdempotencyTicket) async throws -> RouteAnswer.Deferred) async throws -> Response {
        guard let key = request.headers[.idempotencyKey] else {
            throw HTTPServiceError.badRequest("http.idempotency_key_missing", "send an Idempotency-Key header (1 to 255 visible ASCII characters, unique per operation)")
        }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw HTTPServiceError.badRequest("http.idempotency_key_invalid", "the Idempotency-Key must be 1 to 255 visible ASCII characters")
        }
        let body = try await collect(request)
        var hash = SHA256()
        hash.update(data: Array("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        body.withUnsafeReadableBytes { hash.update(bufferPointer: $0) }
        let fingerprint = Array(hash.finalize())
        switch try await idempotency.claim(key: key, fingerprint: fingerprint) {
        case .replay(let stored):
            var response = jsonResponse(HTTPResponse.Status(code: stored.status), ByteBuffer(bytes: stored.body))
            response.headers[.idempotentReplayed] = "true"
            return response
        case .mismatch:
            throw HTTPServiceError(.conflict, code: "idempotency.mismatch",
                                   message: "this Idempotency-Key was used with a different request; use a new key for a new operation")
        case .claimed:
            break
        }
        let ticket = IdempotencyTicket(key: key, fingerprint: fingerprint, receivedAt: clock())
        let outcome: Result<RouteAnswer.Deferred, any Error>
        do {
            outcome = .success(try await work(body, ticket))
        } catch {
            outcome = .failure(error)
        }
        let kept: Result<StoredResponse, any Error> = ticket.recordedResponse.map { .success($0) } ?? RouteAnswer.response { try outcome.get()() }
        switch kept {
        case .success(let response):
            await idempotency.complete(ticket, response: response)
            if case .failure(let error) = outcome {
                // A refusal that is the request's outcome (404, 409, 422): sent (and kept) as recorded.
                let refusal = ServiceMiddleware.refusal(for: error)
                ServiceMiddleware.refusalCode?.set(refusal.code)
                context.logger.info("request refused", metadata: [
                    "route": "\(ServiceMiddleware.route(context))", "status": "\(response.status)", "code": "\(refusal.code)",
                ])
            }
            return jsonResponse(HTTPResponse.Status(code: response.status), ByteBuffer(bytes: response.body))
        case .failure(let error):
            // Bad input or a failure that stored nothing: the key may be used again.
            await idempotency.release(key: key)
            throw error
        }
    }
}

extension HTTPFields.Element.Name {
    /// `Idempotency-Key`: the client's name for one operation.
    public static let idempotencyKey = Self("Idempotency-Key")!
    /// `Idempotent-Replayed: true` marks a response sent again for a repeated key.
    public static let idempotentReplayed = Self("Idempotent-Replayed")!
    /// `X-Request-Id`: the client's id of a request, recorded in the audit log.
    public static let xRequestID = Self("X-Request-Id")!
}

func jsonResponse(_ status: HTTPResponse.Status, _ body: ByteBuffer) -> Response {
    Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
}

/// A path parameter, percent-decoded (`review%3AA-1` is `review:A-1`).
/// - Throws: ``HTTPServiceError`` 400 when the parameter is not valid percent-encoded UTF-8.
func pathParameter(_ context: LendingRequestContext, _ name: String) throws -> String {
    let raw = try context.parameters.require(name)
    guard raw.contains("%") else { return raw }
    guard let decoded = raw.removingPercentEncoding else {
        throw HTTPServiceError.badRequest("http.path", "the path's \(name) is not valid percent-encoded UTF-8")
    }
    return decoded
}

/// Parses a body as JSON, or refuses it with 400 `http.malformed_json`.
func parseJSON(_ body: ByteBuffer) throws(HTTPServiceError) -> JSONValue {
    do {
        return try body.withUnsafeReadableBytes { bytes throws(JSONSyntaxError) in try JSONReader.parse(bytes) }
    } catch {
        throw .badRequest("http.malformed_json", "the body is not valid JSON (\(error.reason) at byte \(error.offset)); send one UTF-8 JSON object")
    }
}

func staticJSON(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

/// A JSON number's text as a whole number, in any notation (`4`, `4.0`, `4e0`, `40e-1`), or `nil`.
func wholeNumber(_ text: String) -> Int? {
    if let value = Int(text) { return value }
    guard let value = Double(text), value.rounded() == value, abs(value) < 1e15 else { return nil }
    return Int(value)
}

func errorBody(_ error: HTTPServiceError) -> ByteBuffer {
    encodeJSON(ErrorBody(error: .init(code: error.code, message: error.message)))
}

/// Checks keys, turns every error into `{"error": {...}}`, records metrics under the route
/// template, and logs refusals and failures (codes and routes, never bodies).
struct ServiceMiddleware: RouterMiddleware {
    typealias Context = LendingRequestContext
    let keys: APIKeySet
    let metrics: ServiceMetrics
    let logger: Logger
    let audit: AuditTrail?
    let clock: @Sendable () -> Instant

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        var response: Response
        var context = context
        let spec = context.endpointPath.flatMap { LendingService.route(method: request.method.rawValue, template: $0) }
        var refusalCode: String?
        let answered = RefusalCode()
        do {
            if request.uri.path != "/health" {
                guard let caller = keys.caller(header: request.headers[.authorization]) else { throw HTTPServiceError.unauthorized }
                context.caller = caller
            }
            if let role = spec?.role, context.caller?.holds(role) != true {
                throw HTTPServiceError.forbidden(role)
            }
            response = try await ServiceMiddleware.$refusalCode.withValue(answered) { try await next(request, context) }
            refusalCode = answered.value
        } catch {
            var refusal = ServiceMiddleware.refusal(for: error)
            var allowed: [String] = []
            if let http = error as? HTTPError, http.status == .notFound {
                allowed = LendingService.methods(forPath: request.uri.path)
                if !allowed.isEmpty && !allowed.contains(request.method.rawValue) {
                    refusal = HTTPServiceError(.methodNotAllowed, code: "http.method_not_allowed",
                                               message: "\(request.method.rawValue) is not served here; use \(allowed.joined(separator: " or "))")
                } else {
                    allowed = []
                }
            }
            refusalCode = refusal.code
            if refusal.status == .internalServerError || refusal.status == .serviceUnavailable {
                context.logger.error("request failed", metadata: [
                    "route": "\(ServiceMiddleware.route(context))", "code": "\(refusal.code)",
                    "error_type": "\(String(reflecting: type(of: error)))",
                ])
            } else {
                context.logger.info("request refused", metadata: [
                    "route": "\(ServiceMiddleware.route(context))", "status": "\(refusal.status.code)", "code": "\(refusal.code)",
                ])
            }
            response = jsonResponse(refusal.status, errorBody(refusal))
            if refusal.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
            if !allowed.isEmpty { response.headers[.allow] = allowed.joined(separator: ", ") }
        }
        if let audit, let spec, spec.writes, let caller = context.caller {
            await audit.record(AuditRecord(
                at: clock(), actor: caller.name, channel: "http", action: "\(spec.method) \(spec.path)",
                target: context.parameters.get("id").flatMap { $0.removingPercentEncoding ?? $0 } ?? "", requestID: ServiceMiddleware.requestID(request, context),
                outcome: "\(response.status.code)" + (refusalCode.map { " \($0)" } ?? ""),
                detail: response.headers[.idempotentReplayed] == "true" ? "replayed" : ""))
        }
        metrics.recordRequest(route: ServiceMiddleware.route(context), method: request.method.rawValue, status: response.status.code,
                              nanoseconds: DispatchTime.now().uptimeNanoseconds &- started)
        return response
    }

    /// Where a route that answers a refusal without throwing it (one kept under its
    /// Idempotency-Key) leaves its code, for the audit log.
    @TaskLocal static var refusalCode: RefusalCode?

    /// The client's `X-Request-Id` (1 to 64 visible ASCII characters), else the server's id of the request.
    static func requestID(_ request: Request, _ context: Context) -> String {
        if let given = request.headers[.xRequestID], (1...64).contains(given.utf8.count), given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return given
        }
        return "\(context.id)"
    }

    /// The route template (`/v1/loans/{id}`), or `unmatched`: never a concrete path.
    static func route(_ context: Context) -> String {
        guard let path = context.endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }

    static func refusal(for error: any Error) -> HTTPServiceError {
        switch error {
        case let refusal as HTTPServiceError:
            return refusal
        case let http as HTTPError:
            switch http.status {
            case .notFound: return .notFound("no such route; see GET /openapi.yaml")
            case .contentTooLarge: return HTTPServiceError(.contentTooLarge, code: "http.too_large", message: "the body is too large; send less")
            case .badRequest: return .badRequest("http.bad_request", "the request cannot be read; see GET /openapi.yaml")
            default: return HTTPServiceError(http.status, code: "http.\(http.status.code)", message: http.status.reasonPhrase)
            }
        case let diagnostic as any LendingDiagnostic:
            return HTTPServiceError(.internalServerError, code: diagnostic.code, message: "the request could not be completed (\(diagnostic.code)); send it again with the same Idempotency-Key later")
        default:
            return HTTPServiceError(.internalServerError, code: "http.internal", message: "the request could not be completed; try again later")
        }
    }
}

/// The code of the refusal a route answered, set once by the route's task.
final class RefusalCode: Sendable {
    private let code = Mutex<String?>(nil)

    func set(_ value: String) { code.withLock { $0 = value } }
    var value: String? { code.withLock { $0 } }
}
