import LendingCollections
import LendingModel
import LendingServicing

/// An outcome as stored: the row of OUTCOMES.csv, its opt-out and the hash of the row.
public struct StoredOutcome: Sendable, Hashable {
    public var outcome: ContactOutcome
    /// `all` or a channel name the borrower opted out of with this contact; `nil`: none.
    public var optOut: String?
    /// SHA-256 of the row (loan, action, time, result, promise, opt-out): a repeated row is recognised.
    public var requestHash: [UInt8]

    public init(outcome: ContactOutcome, optOut: String?, requestHash: [UInt8]) {
        self.outcome = outcome
        self.optOut = optOut
        self.requestHash = requestHash
    }
}
