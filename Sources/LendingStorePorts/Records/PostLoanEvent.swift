import LendingCollections
import LendingModel
import LendingServicing

/// One line of the post-loan log: a ladder event, a write-off, an early-warning action.
public struct PostLoanEvent: Sendable, Hashable {
    public var day: CalendarDay
    /// The loan or credit line.
    public var subject: String
    /// `entered`, `stage_changed`, `promise_kept`, `written_off`, `line_frozen`, ...
    public var kind: String
    /// Details for the reader (no personal data).
    public var detail: String

    public init(day: CalendarDay, subject: String, kind: String, detail: String) {
        self.day = day
        self.subject = subject
        self.kind = kind
        self.detail = detail
    }
}
