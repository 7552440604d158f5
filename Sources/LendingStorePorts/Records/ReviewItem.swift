import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPreCredit

/// An application waiting for (or given) a person's decision.
public struct ReviewItem: Sendable, Equatable {
    public enum Status: String, Sendable { case open, decided }
    public var applicationID: String
    public var openedAt: Instant
    public var status: Status
    public var reasons: [DecisionReason]
    public var proposedLimit: Money
    public var apr: AnnualRate
    public var score: Double?

    public init(applicationID: String, openedAt: Instant, status: Status = .open, reasons: [DecisionReason], proposedLimit: Money,
                apr: AnnualRate, score: Double?) {
        self.applicationID = applicationID
        self.openedAt = openedAt
        self.status = status
        self.reasons = reasons
        self.proposedLimit = proposedLimit
        self.apr = apr
        self.score = score
    }
}
