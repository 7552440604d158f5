import LendingModel
import LendingLoanBook

/// A draw on a revolving line: `POST /v1/lines/{id}/draws`.
public struct DrawRequest: Sendable, Equatable {
    public var lineID: String
    public var drawID: String
    public var amount: Money
    public var termMonths: Int
    /// The business date of the draw; `nil`: the loan book's today (and, for a draw id already
    /// taken, the date it was taken on).
    public var requestedOn: CalendarDay?

    public init(lineID: String, drawID: String, amount: Money, termMonths: Int, requestedOn: CalendarDay? = nil) {
        self.lineID = lineID
        self.drawID = drawID
        self.amount = amount
        self.termMonths = termMonths
        self.requestedOn = requestedOn
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
    /// The product (`installment`, `revolving`).
    public var product: String
    /// `signed` (waiting for its payout), `active`, `paid_off` or `written_off`.
    public var status: String
    public var principal: Money
    public var termMonths: Int
    public var apr: AnnualRate
    /// The day the agreement was signed or the draw taken.
    public var signedOn: CalendarDay
    /// The payout day; `nil` while signed.
    public var disbursedOn: CalendarDay?
    /// The last day whose end of day has run for the loan; `nil` while signed.
    public var processedThrough: CalendarDay?
    public var outstandingPrincipal: Money
    public var interestReceivable: Money
    public var penaltyReceivable: Money
    public var overpayment: Money
    public var daysPastDue: Int
    /// The delinquency bucket (`current`, `1-3`, ...); `nil` while signed.
    public var bucket: String?
    /// What closes the loan on ``processedThrough`` (principal, interest accrued, penalty, less overpayment).
    public var payoffAmount: Money
    /// The schedule, from the payout on (empty while signed).
    public var schedule: [InstallmentView]

    public init(loanID: String, lineID: String?, product: String, status: String, principal: Money, termMonths: Int, apr: AnnualRate,
                signedOn: CalendarDay, disbursedOn: CalendarDay?, processedThrough: CalendarDay?, outstandingPrincipal: Money,
                interestReceivable: Money, penaltyReceivable: Money, overpayment: Money, daysPastDue: Int, bucket: String?,
                payoffAmount: Money, schedule: [InstallmentView]) {
        self.loanID = loanID
        self.lineID = lineID
        self.product = product
        self.status = status
        self.principal = principal
        self.termMonths = termMonths
        self.apr = apr
        self.signedOn = signedOn
        self.disbursedOn = disbursedOn
        self.processedThrough = processedThrough
        self.outstandingPrincipal = outstandingPrincipal
        self.interestReceivable = interestReceivable
        self.penaltyReceivable = penaltyReceivable
        self.overpayment = overpayment
        self.daysPastDue = daysPastDue
        self.bucket = bucket
        self.payoffAmount = payoffAmount
        self.schedule = schedule
    }
}

/// The loan a draw made, and whether the draw id had been taken before (nothing changed then).
public struct DrawResult: Sendable, Equatable {
    public var loan: LoanView
    /// The same draw (id, line, amount, term, date) was taken before: this is its loan as it is now.
    public var replayed: Bool

    public init(loan: LoanView, replayed: Bool = false) {
        self.loan = loan
        self.replayed = replayed
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
    /// Paid on a written-off loan: a recovery.
    public var toRecovery: Money
    /// The loan after the payment (as it is now, for a replay).
    public var loan: LoanView
    /// The same payment (id, loan, date, amount) was applied before: nothing changed.
    public var replayed: Bool

    public init(paymentID: String, loanID: String, amount: Money, toPenalty: Money, toInterest: Money, toPrincipal: Money,
                toOverpayment: Money, toRecovery: Money = .zero, loan: LoanView, replayed: Bool = false) {
        self.paymentID = paymentID
        self.loanID = loanID
        self.amount = amount
        self.toPenalty = toPenalty
        self.toInterest = toInterest
        self.toPrincipal = toPrincipal
        self.toOverpayment = toOverpayment
        self.toRecovery = toRecovery
        self.loan = loan
        self.replayed = replayed
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

/// The loan book as the HTTP service needs it: draws, repayments and a loan's state. A port:
/// ``LoanDesk`` implements it over LendingPipeline's servicing jobs and the `ServicingStore` port
/// (SQLite); tests use a fake. Each call is one transaction; a `drawID` or `paymentID` seen
/// before with the same values returns the earlier result (`replayed`).
///
/// The `ticket` variants let a loan book commit the request's `Idempotency-Key` in the
/// transaction of its record (``IdempotencyTicket``, ``IdempotencyRecording``); by default they
/// ignore the ticket and the service records the key after the call returns.
public protocol LoanService: Sendable {
    /// Draws on a revolving line: a new loan whose id is the draw id, waiting for its payout.
    /// - Throws: ``LoanServiceError`` (not found, rule violation, conflict) and storage errors.
    func draw(_ request: DrawRequest) async throws -> DrawResult
    /// Applies a repayment to a loan (penalty, interest, then principal, as the product says).
    /// - Throws: ``LoanServiceError`` and storage errors.
    func repay(_ request: RepaymentRequest) async throws -> RepaymentView
    /// A loan's terms, schedule, balances and days past due, or `nil`.
    func loan(id: String) async throws -> LoanView?
    /// ``draw(_:)``, committing `ticket`'s key with the draw when the store can.
    func draw(_ request: DrawRequest, ticket: IdempotencyTicket) async throws -> DrawResult
    /// ``repay(_:)``, committing `ticket`'s key with the repayment when the store can.
    func repay(_ request: RepaymentRequest, ticket: IdempotencyTicket) async throws -> RepaymentView
}

extension LoanService {
    public func draw(_ request: DrawRequest, ticket: IdempotencyTicket) async throws -> DrawResult { try await draw(request) }
    public func repay(_ request: RepaymentRequest, ticket: IdempotencyTicket) async throws -> RepaymentView { try await repay(request) }
}
