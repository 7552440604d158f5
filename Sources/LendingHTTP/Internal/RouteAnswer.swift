import Hummingbird
import LendingApplications

/// What the POST routes answer for a result, in one place: the service sends it, and a desk
/// computes it inside the record's transaction to commit it under the request's
/// `Idempotency-Key` (the service then sends the bytes recorded).
enum RouteAnswer {
    typealias Answer = (status: HTTPResponse.Status, body: ByteBuffer)
    /// A route's answer, encoded only when it is sent: not when the desk already recorded it.
    typealias Deferred = () throws -> Answer

    /// `POST /v1/applications`: 201 decided now, 200 decided before with the same inputs
    /// (`replayed`).
    /// - Throws: ``HTTPServiceError`` 409 for `apply.conflict`, 400 for another
    ///   `ApplicationError`; other errors as they are (failures: nothing was stored).
    static func application(_ result: Result<DecidedApplication, any Error>) throws -> Answer {
        do {
            let decided = try result.get()
            return (decided.replayed ? .ok : .created, encodeJSON(DecisionBody(decided.record, replayed: decided.replayed)))
        } catch let error as ApplicationError {
            throw refusal(error)
        }
    }

    /// An application's refusal as HTTP: 409 for `apply.conflict`, 400 for the rest.
    static func refusal(_ error: ApplicationError) -> HTTPServiceError {
        if error.code == "apply.conflict" { return HTTPServiceError(.conflict, code: error.code, message: error.message) }
        return HTTPServiceError.badRequest(error.code, error.message)
    }

    /// `POST /v1/lines/{id}/draws`: 201 taken now, 200 taken before (`replayed`).
    /// - Throws: the refusal (``refusal(_:)``).
    static func draw(_ result: Result<DrawResult, LoanServiceError>) throws(HTTPServiceError) -> Answer {
        switch result {
        case .success(let drawn): (drawn.replayed ? .ok : .created, encodeJSON(LoanBody(drawn.loan, replayed: drawn.replayed)))
        case .failure(let error): throw refusal(error)
        }
    }

    /// `POST /v1/loans/{id}/repayments`: 201 applied now, 200 applied before (`replayed`).
    /// - Throws: the refusal (``refusal(_:)``).
    static func repayment(_ result: Result<RepaymentView, LoanServiceError>) throws(HTTPServiceError) -> Answer {
        switch result {
        case .success(let view): (view.replayed ? .ok : .created, encodeJSON(RepaymentResultBody(view)))
        case .failure(let error): throw refusal(error)
        }
    }

    /// A loan book's refusal as HTTP: 404 not found, 422 rule violation, 409 conflict, 400 bad input.
    static func refusal(_ error: LoanServiceError) -> HTTPServiceError {
        let status: HTTPResponse.Status = switch error.kind {
        case .notFound: .notFound
        case .ruleViolation: .unprocessableContent
        case .conflict: .conflict
        case .badInput: .badRequest
        }
        return HTTPServiceError(status, code: error.code, message: error.message)
    }

    /// The response to keep under the request's key: the answer, or a refusal that is the
    /// request's outcome (404, 409, 422); `nil` for bad input and failures, whose key is released
    /// so that the request can be sent again.
    static func stored(_ answer: () throws -> Answer) -> StoredResponse? {
        try? response(answer).get()
    }

    /// The response to send and keep under the request's key (``stored(_:)``), or the error of
    /// bad input or a failure, which keeps nothing.
    static func response(_ answer: () throws -> Answer) -> Result<StoredResponse, any Error> {
        do {
            let (status, body) = try answer()
            return .success(StoredResponse(status: status.code, body: Array(body.readableBytesView)))
        } catch let refusal as HTTPServiceError where refusal.isOutcome {
            return .success(StoredResponse(status: refusal.status.code, body: Array(errorBody(refusal).readableBytesView)))
        } catch {
            return .failure(error)
        }
    }
}

extension HTTPServiceError {
    /// A refusal that is the outcome of running the request (404, 409, 422), kept under its
    /// Idempotency-Key; bad input (400) and failures (5xx) are not.
    var isOutcome: Bool { status != .badRequest && status.code < 500 }
}
