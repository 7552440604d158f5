import LendingDecisioning
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing

/// A draw as accepted.
public struct StoredDraw: Sendable, Equatable {
    public var drawID: String
    public var lineID: String
    public var amount: Money
    public var termMonths: Int
    public var requestedOn: CalendarDay
    /// SHA-256 of the request (draw id, line id, amount, term, date).
    public var requestHash: [UInt8]

    public init(drawID: String, lineID: String, amount: Money, termMonths: Int, requestedOn: CalendarDay, requestHash: [UInt8]) {
        self.drawID = drawID
        self.lineID = lineID
        self.amount = amount
        self.termMonths = termMonths
        self.requestedOn = requestedOn
        self.requestHash = requestHash
    }
}
