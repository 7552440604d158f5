import LendingModel

/// Cash received that belongs to no known loan yet (a transfer without a usable reference): held
/// in `lender:suspense` by the entry `suspense:RECEIPT` until a person moves it to a loan, then
/// applied to that loan as the payment `suspense:RECEIPT`.
public struct StoredSuspenseReceipt: Sendable, Equatable {
    public var receiptID: String
    public var receivedOn: CalendarDay
    public var amount: Money
    /// The sequence of the `suspense:RECEIPT` entry (Dr funding cash / Cr suspense).
    public var entrySequence: Int64
    /// The loan it was moved to; `nil` while it is held.
    public var loanID: String?
    /// The date of the move (the payment's date); set exactly when ``loanID`` is.
    public var appliedOn: CalendarDay?
    /// The sequence of the last entry of the move (the repayment's); set exactly when ``loanID`` is.
    public var applySequence: Int64?

    public init(receiptID: String, receivedOn: CalendarDay, amount: Money, entrySequence: Int64, loanID: String? = nil,
                appliedOn: CalendarDay? = nil, applySequence: Int64? = nil) {
        self.receiptID = receiptID
        self.receivedOn = receivedOn
        self.amount = amount
        self.entrySequence = entrySequence
        self.loanID = loanID
        self.appliedOn = appliedOn
        self.applySequence = applySequence
    }

    /// Still in suspense.
    public var isHeld: Bool { loanID == nil }

    /// The payment id of the move to a loan (and the id part of its entries).
    public var paymentID: String { "suspense:\(receiptID)" }
}
