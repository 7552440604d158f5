import LendingDisbursement

/// A refund as stored: the refund, the sequence of its entry in the journal (the money out of the
/// overpayment account) and, once refused, of the entry that gave the money back.
public struct StoredRefund: Sendable, Equatable {
    public var refund: Refund
    /// The sequence of the `refund:KEY` entry (posted with the approval).
    public var entrySequence: Int64
    /// The sequence of the `refund-return:KEY` entry: set exactly when the refund failed.
    public var returnSequence: Int64?

    public init(refund: Refund, entrySequence: Int64, returnSequence: Int64? = nil) {
        self.refund = refund
        self.entrySequence = entrySequence
        self.returnSequence = returnSequence
    }
}
