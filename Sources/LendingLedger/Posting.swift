import LendingModel

/// One leg of a journal entry: an account, a side and a positive amount.
public struct Posting: Sendable, Hashable, Codable {
    /// Debit or credit.
    public enum Side: String, Sendable, Hashable, Codable {
        case debit, credit

        /// The other side (a reversal mirrors every posting).
        public var opposite: Side { self == .debit ? .credit : .debit }
    }

    public var account: AccountID
    public var side: Side
    /// Always positive in a valid entry; the side says the direction.
    public var amount: Money

    public init(_ side: Side, _ account: AccountID, _ amount: Money) {
        self.account = account
        self.side = side
        self.amount = amount
    }

    /// A debit of `amount` to `account`.
    public static func debit(_ account: AccountID, _ amount: Money) -> Posting { Posting(.debit, account, amount) }

    /// A credit of `amount` to `account`.
    public static func credit(_ account: AccountID, _ amount: Money) -> Posting { Posting(.credit, account, amount) }

    /// The posting's effect on its account's balance, debit positive.
    public var signedAmount: Money { side == .debit ? amount : -amount }
}
