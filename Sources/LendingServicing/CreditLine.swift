import LendingLedger
import LendingModel

/// A revolving credit line: a limit, the principal drawn and not yet repaid, and a freeze flag.
/// Each draw is an installment loan with its own term, the line's rate and daily interest.
public struct CreditLine: Sendable, Hashable, Codable {
    public var lineID: String
    public var limit: Money
    /// Principal of the line's draws not yet repaid (lowered by ``restore(principalRepaid:)``).
    public var drawnPrincipal: Money
    /// A frozen line refuses draws (early warning); repayments still restore its available amount.
    public var frozen: Bool
    /// The annual rate of every draw.
    public var apr: AnnualRate

    public init(lineID: String, limit: Money, apr: AnnualRate, drawnPrincipal: Money = .zero, frozen: Bool = false) {
        self.lineID = lineID
        self.limit = limit
        self.drawnPrincipal = drawnPrincipal
        self.frozen = frozen
        self.apr = apr
    }

    /// limit − drawn principal, never below zero (a reduced limit may sit below what is drawn).
    public var available: Money { max(.zero, limit - drawnPrincipal) }

    /// A request to draw from a line (a row of DRAWS.csv).
    public struct DrawRequest: Sendable, Hashable, Codable {
        /// The draw's id, which becomes its loan's id.
        public var drawID: String
        public var amount: Money
        public var months: Int
        public var date: CalendarDay

        public init(drawID: String, amount: Money, months: Int, date: CalendarDay) {
            self.drawID = drawID
            self.amount = amount
            self.months = months
            self.date = date
        }
    }

    /// Why a draw was refused (a business outcome, not an error).
    public enum Refusal: Sendable, Hashable {
        case frozen
        case overAvailable(requested: Money, available: Money)

        /// A stable code for a rejects file: `frozen`, `over_available`.
        public var code: String {
            switch self {
            case .frozen: "frozen"
            case .overAvailable: "over_available"
            }
        }
    }

    /// The outcome of a draw request.
    public enum DrawOutcome: Sendable, Hashable {
        /// The line with the draw taken, the draw's loan and its disbursement entry.
        case drawn(line: CreditLine, disbursement: Servicing.Disbursement)
        case refused(Refusal)
    }

    /// Draws from the line: refused if the line is frozen or the amount is over the available
    /// amount; otherwise opens the draw's loan (the request's id, the line's rate, the product's
    /// method and day count) and lowers the available amount.
    /// - Throws: ``ServicingError`` for an amount that is not positive or a term outside 1...600.
    public func draw(_ request: DrawRequest, terms: ProductTerms) throws -> DrawOutcome {
        guard request.amount.fen > 0 else {
            throw ServicingError(code: "servicing.invalid_amount", message: "draw \(request.drawID) has amount \(request.amount); amounts must be positive")
        }
        if frozen { return .refused(.frozen) }
        guard request.amount <= available else { return .refused(.overAvailable(requested: request.amount, available: available)) }
        let disbursement = try Servicing.disburse(loanID: request.drawID, principal: request.amount, months: request.months,
                                                  on: request.date, terms: terms, apr: apr, lineID: lineID)
        var line = self
        line.drawnPrincipal += request.amount
        return .drawn(line: line, disbursement: disbursement)
    }

    /// Restores principal repaid on a draw (``Servicing/RepaymentResult/principalRepaid``,
    /// ``Servicing/EndOfDayResult/principalRepaid``) to the available amount.
    public mutating func restore(principalRepaid: Money) {
        drawnPrincipal = max(.zero, drawnPrincipal - principalRepaid)
    }

    /// Draws again principal that a reversed payment had given back: a correction, not a new draw,
    /// so neither the limit nor the freeze applies (the line may end over its limit). A negative
    /// amount gives principal back, as ``restore(principalRepaid:)`` does.
    public mutating func reinstate(principal: Money) {
        drawnPrincipal = max(.zero, drawnPrincipal + principal)
    }

    public mutating func freeze() { frozen = true }
    public mutating func unfreeze() { frozen = false }

    /// Lowers the limit (raising one is a new credit decision, not a servicing step).
    /// - Throws: ``ServicingError`` `servicing.invalid_limit` for a negative limit or one above the current.
    public mutating func reduceLimit(to newLimit: Money) throws {
        guard newLimit.fen >= 0, newLimit <= limit else {
            throw ServicingError(code: "servicing.invalid_limit",
                                 message: "line \(lineID): a reduced limit must be between 0.00 and the current \(limit), not \(newLimit)")
        }
        limit = newLimit
    }

    enum CodingKeys: String, CodingKey {
        case lineID = "line_id"
        case limit
        case drawnPrincipal = "drawn_principal"
        case frozen, apr
    }
}
