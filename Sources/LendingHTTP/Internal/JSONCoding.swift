import Foundation
import Hummingbird
import LendingCSV
import LendingDecisioning
import LendingModel
import LendingScoring
import LendingLoanBook

/// Decodes a request body, turning decoding failures into 400s that name the field.
func decodeBody<T: Decodable>(_ type: T.Type, from body: ByteBuffer) throws(HTTPServiceError) -> T {
    do {
        // Decoded in place: the body's bytes are not copied.
        return try body.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return try JSONDecoder().decode(T.self, from: Data()) }
            return try JSONDecoder().decode(T.self, from: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none))
        }
    } catch let DecodingError.keyNotFound(key, context) {
        throw .badRequest("http.field_missing", "\(fieldPath(context.codingPath + [key])) is required")
    } catch let DecodingError.typeMismatch(expected, context) {
        throw .badRequest("http.field_type", "\(fieldPath(context.codingPath)) must be \(describe(expected))")
    } catch let DecodingError.valueNotFound(expected, context) {
        throw .badRequest("http.field_type", "\(fieldPath(context.codingPath)) must be \(describe(expected)), not null")
    } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
        throw .badRequest("http.field_type", "\(fieldPath(context.codingPath)) cannot be read; \(context.debugDescription)")
    } catch {
        throw .badRequest("http.malformed_json", "the body is not valid JSON; send one UTF-8 JSON object")
    }
}

private func fieldPath(_ keys: [any CodingKey]) -> String {
    guard !keys.isEmpty else { return "the body" }
    var path = ""
    for key in keys {
        if let index = key.intValue { path += "[\(index)]" } else { path += path.isEmpty ? key.stringValue : ".\(key.stringValue)" }
    }
    return "\"\(path)\""
}

private func describe(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Int.Type, is Int64.Type, is Double.Type: "a number"
    case is Bool.Type: "true or false"
    case is [Any].Type: "an array"
    default: "a JSON object"
    }
}

/// Encodes a response body as JSON.
func encodeJSON<T: Encodable>(_ value: T) -> ByteBuffer {
    do {
        return ByteBuffer(data: try JSONEncoder().encode(value))
    } catch {
        preconditionFailure("response bodies encode: \(error)")
    }
}

/// `{"error": {"code": ..., "message": ...}}`.
struct ErrorBody: Encodable {
    struct Detail: Encodable {
        var code: String
        var message: String
    }

    var error: Detail
}

// MARK: Scoring

struct ReasonBody: Encodable {
    var characteristic: String
    var pointsBelowMaximum: Double

    enum CodingKeys: String, CodingKey {
        case characteristic
        case pointsBelowMaximum = "points_below_maximum"
    }
}

/// One applicant's score as Codable would write it: the reference for the hand-written response
/// of `POST /v1/score` (a test keeps them equal). `probability` is rounded to 6 decimals.
struct ScoreBody: Encodable {
    var score: Double
    var probability: Double
    var reasons: [ReasonBody]

    init(_ result: ScoreResult) {
        score = result.score
        probability = ScoreBody.roundedProbability(result.probability)
        reasons = result.reasons.map { ReasonBody(characteristic: $0.characteristic, pointsBelowMaximum: $0.pointsBelowMaximum) }
    }

    /// The probability `lending score` writes (banker's rounding to 6 decimals, clamped to
    /// [0, 1]: `ByteSink.writeProbability`), as a number.
    static func roundedProbability(_ value: Double) -> Double {
        Double(ByteSink.text { $0.writeProbability(value) })!
    }
}


// MARK: Applications

/// A decision as the service shows it (the columns of DECISIONS.csv, and when and how).
struct DecisionBody: Encodable {
    var applicationID: String
    var outcome: String
    var approvedLimit: String
    var apr: String?
    var score: Double?
    var probability: Double?
    var fraudScore: Double?
    var reasons: [String]
    var decidedAt: String
    var kind: String
    var sequence: Int64
    var modelVersion: String
    var policyVersion: String
    var replayed: Bool?

    init(_ record: DecisionRecord, replayed: Bool?) {
        applicationID = record.applicationID
        outcome = record.outcome.rawValue
        approvedLimit = record.approvedLimit.yuanString
        apr = record.outcome == .decline ? nil : record.apr.decimalString
        score = record.score
        probability = record.probability.map(ScoreBody.roundedProbability)
        fraudScore = record.fraudScore.map(ScoreBody.roundedProbability)
        reasons = record.reasons.map(\.code)
        decidedAt = record.decidedAt.description
        kind = record.kind.rawValue
        sequence = record.sequence
        modelVersion = record.modelVersion
        policyVersion = record.policyVersion
        self.replayed = replayed
    }

    enum CodingKeys: String, CodingKey {
        case applicationID = "application_id", outcome, approvedLimit = "approved_limit", apr, score, probability
        case fraudScore = "fraud_score", reasons, decidedAt = "decided_at", kind, sequence, modelVersion = "model_version"
        case policyVersion = "policy_version", replayed
    }
}

// MARK: Loans

struct DrawBody: Decodable {
    var drawID: String
    var amount: String
    var termMonths: Int
    var requestedAt: String?

    enum CodingKeys: String, CodingKey {
        case drawID = "draw_id", amount, termMonths = "term_months", requestedAt = "requested_at"
    }
}

struct RepaymentBody: Decodable {
    var paymentID: String
    var amount: String
    var paidAt: String

    enum CodingKeys: String, CodingKey {
        case paymentID = "payment_id", amount, paidAt = "paid_at"
    }
}

struct InstallmentBody: Encodable {
    var number: Int
    var dueDate: String
    var principalDue: String
    var interestDue: String
    var principalPaid: String
    var interestPaid: String
    var penaltyAccrued: String
    var penaltyPaid: String

    init(_ view: InstallmentView) {
        number = view.number
        dueDate = view.dueDate.description
        principalDue = view.principalDue.yuanString
        interestDue = view.interestDue.yuanString
        principalPaid = view.principalPaid.yuanString
        interestPaid = view.interestPaid.yuanString
        penaltyAccrued = view.penaltyAccrued.yuanString
        penaltyPaid = view.penaltyPaid.yuanString
    }

    enum CodingKeys: String, CodingKey {
        case number, dueDate = "due_date", principalDue = "principal_due", interestDue = "interest_due"
        case principalPaid = "principal_paid", interestPaid = "interest_paid", penaltyAccrued = "penalty_accrued", penaltyPaid = "penalty_paid"
    }
}

struct LoanBody: Encodable {
    struct Balances: Encodable {
        var outstandingPrincipal: String
        var interestReceivable: String
        var penaltyReceivable: String
        var overpayment: String

        enum CodingKeys: String, CodingKey {
            case outstandingPrincipal = "outstanding_principal", interestReceivable = "interest_receivable"
            case penaltyReceivable = "penalty_receivable", overpayment
        }
    }

    var loanID: String
    var lineID: String?
    var product: String
    var status: String
    var principal: String
    var termMonths: Int
    var apr: String
    var signedOn: String
    var disbursedOn: String?
    var processedThrough: String?
    var daysPastDue: Int
    var bucket: String?
    var payoffAmount: String
    var balances: Balances
    var schedule: [InstallmentBody]
    /// On `POST /v1/lines/{id}/draws` only: the draw id was taken before with the same values.
    var replayed: Bool?

    init(_ view: LoanView, replayed: Bool? = nil) {
        loanID = view.loanID
        lineID = view.lineID
        product = view.product
        status = view.status
        principal = view.principal.yuanString
        termMonths = view.termMonths
        apr = view.apr.decimalString
        signedOn = view.signedOn.description
        disbursedOn = view.disbursedOn?.description
        processedThrough = view.processedThrough?.description
        daysPastDue = view.daysPastDue
        bucket = view.bucket
        payoffAmount = view.payoffAmount.yuanString
        balances = Balances(outstandingPrincipal: view.outstandingPrincipal.yuanString, interestReceivable: view.interestReceivable.yuanString,
                            penaltyReceivable: view.penaltyReceivable.yuanString, overpayment: view.overpayment.yuanString)
        schedule = view.schedule.map(InstallmentBody.init)
        self.replayed = replayed
    }

    enum CodingKeys: String, CodingKey {
        case loanID = "loan_id", lineID = "line_id", product, status, principal, termMonths = "term_months", apr, signedOn = "signed_on"
        case disbursedOn = "disbursed_on", processedThrough = "processed_through", daysPastDue = "days_past_due", bucket
        case payoffAmount = "payoff_amount", balances, schedule, replayed
    }
}

struct RepaymentResultBody: Encodable {
    struct Allocation: Encodable {
        var penalty: String
        var interest: String
        var principal: String
        var overpayment: String
        var recovery: String
    }

    var paymentID: String
    var loanID: String
    var amount: String
    var allocation: Allocation
    var loan: LoanBody
    var replayed: Bool

    init(_ view: RepaymentView) {
        paymentID = view.paymentID
        loanID = view.loanID
        amount = view.amount.yuanString
        allocation = Allocation(penalty: view.toPenalty.yuanString, interest: view.toInterest.yuanString,
                                principal: view.toPrincipal.yuanString, overpayment: view.toOverpayment.yuanString,
                                recovery: view.toRecovery.yuanString)
        loan = LoanBody(view.loan)
        replayed = view.replayed
    }

    enum CodingKeys: String, CodingKey {
        case paymentID = "payment_id", loanID = "loan_id", amount, allocation, loan, replayed
    }
}
