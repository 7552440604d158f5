import LendingModel

/// A draw on a revolving line: `POST /v1/lines/{id}/draws`.
public struct DrawRequest: Sendable, Equatable {
    public var lineID: String
    public var drawID: String
    public var amount: Money
    public var termMonths: Int

    public init(lineID: String, drawID: String, amount: Money, termMonths: Int) {
        self.lineID = lineID
        self.drawID = drawID
        self.amount = amount
        self.termMonths = termMonths
    }
}

/// A repayment: `POST /v1/loans/{id}/repayments`.
public struct RepaymentRequest: Sendable, Equatable {
    public var loanID: String
    public var paymentID: String
    public var amount: Money
    /// The business date of the payment.
    public var paidAt: CalendarDay

    public init(loanID: String, paymentID: String, amount: Money, paidAt: CalendarDay) {
        self.loanID = loanID
        self.paymentID = paymentID
        self.amount = amount
        self.paidAt = paidAt
    }
}

/// One installment of a loan's schedule as the service shows it.
public struct InstallmentView: Sendable, Equatable {
    public var number: Int
    public var dueDate: CalendarDay
    public var principalDue: Money
    public var interestDue: Money
    public var principalPaid: Money
    public var interestPaid: Money
    public var penaltyAccrued: Money
    public var penaltyPaid: Money

    public init(number: Int, dueDate: CalendarDay, principalDue: Money, interestDue: Money, principalPaid: Money = .zero,
                interestPaid: Money = .zero, penaltyAccrued: Money = .zero, penaltyPaid: Money = .zero) {
        self.number = number
        self.dueDate = dueDate
        self.principalDue = principalDue
        self.interestDue = interestDue
        self.principalPaid = principalPaid
        self.interestPaid = interestPaid
        self.penaltyAccrued = penaltyAccrued
        self.penaltyPaid = penaltyPaid
    }
}

/// A loan as `GET /v1/loans/{id}` shows it: terms, schedule, balances, days past due.
public struct LoanView: Sendable, Equatable {
    public var loanID: String
    /// The revolving line a draw's loan belongs to.
    public var lineID: String?
    /// `active`, `closed`, `written_off`...
    public var status: String
    public var principal: Money
    public var apr: AnnualRate
    public var disbursedOn: CalendarDay
    public var processedThrough: CalendarDay
    public var outstandingPrincipal: Money
    public var interestReceivable: Money
    public var penaltyReceivable: Money
    public var overpayment: Money
    public var daysPastDue: Int
    /// The delinquency bucket (`current`, `M1`, ...).
    public var bucket: String
    public var schedule: [InstallmentView]

    public init(loanID: String, lineID: String?, status: String, principal: Money, apr: AnnualRate, disbursedOn: CalendarDay,
                processedThrough: CalendarDay, outstandingPrincipal: Money, interestReceivable: Money, penaltyReceivable: Money,
                overpayment: Money, daysPastDue: Int, bucket: String, schedule: [InstallmentView]) {
        self.loanID = loanID
        self.lineID = lineID
        self.status = status
        self.principal = principal
        self.apr = apr
        self.disbursedOn = disbursedOn
        self.processedThrough = processedThrough
        self.outstandingPrincipal = outstandingPrincipal
        self.interestReceivable = interestReceivable
        self.penaltyReceivable = penaltyReceivable
        self.overpayment = overpayment
        self.daysPastDue = daysPastDue
        self.bucket = bucket
        self.schedule = schedule
    }
}

/// How a repayment was applied.
public struct RepaymentView: Sendable, Equatable {
    public var paymentID: String
    public var loanID: String
    public var amount: Money
    public var toPenalty: Money
    public var toInterest: Money
    public var toPrincipal: Money
    /// Paid beyond what was owed, kept as an overpayment.
    public var toOverpayment: Money
    /// The loan after the payment.
    public var loan: LoanView

    public init(paymentID: String, loanID: String, amount: Money, toPenalty: Money, toInterest: Money, toPrincipal: Money,
                toOverpayment: Money, loan: LoanView) {
        self.paymentID = paymentID
        self.loanID = loanID
        self.amount = amount
        self.toPenalty = toPenalty
        self.toInterest = toInterest
        self.toPrincipal = toPrincipal
        self.toOverpayment = toOverpayment
        self.loan = loan
    }
}

/// Why the loan book refused a request.
public struct LoanServiceError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// No such line or loan: 404.
        case notFound
        /// A business rule says no (over the line's limit, a closed loan, a term the product
        /// does not offer): 422.
        case ruleViolation
        /// The id was used before with other values: 409.
        case conflict
        /// The request's values are malformed: 400.
        case badInput
    }

    public var kind: Kind
    /// A stable code (`loan.over_limit`).
    public var code: String
    /// What is wrong and what to do; never personal data.
    public var message: String

    public init(_ kind: Kind, code: String, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }
}

/// The loan book as the HTTP service needs it: draws, repayments and a loan's state. A port: the
/// servicing jobs of LendingPipeline implement it (the lead plugs them in); tests use a fake.
/// Each call is one transaction; a `drawID` or `paymentID` seen before with the same values
/// returns the earlier result (the service also stores the response under the Idempotency-Key).
public protocol LoanService: Sendable {
    /// Draws on a revolving line: a new loan whose id is the draw id.
    /// - Throws: ``LoanServiceError`` (not found, rule violation, conflict) and storage errors.
    func draw(_ request: DrawRequest) async throws -> LoanView
    /// Applies a repayment to a loan (penalty, interest, then principal, as the product says).
    /// - Throws: ``LoanServiceError`` and storage errors.
    func repay(_ request: RepaymentRequest) async throws -> RepaymentView
    /// A loan's terms, schedule, balances and days past due, or `nil`.
    func loan(id: String) async throws -> LoanView?
}
