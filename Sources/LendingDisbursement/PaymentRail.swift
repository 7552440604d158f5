import LendingModel

/// One payout asked of a rail.
public struct PayoutRequest: Sendable {
    /// The idempotency key (``Payout/key``): the rail executes a key at most once.
    public var key: String
    public var amount: Money
    /// The payee's account (a bank card number): personal data, held in memory only for the
    /// call; never stored on the lender's side, never logged.
    public var account: String

    public init(key: String, amount: Money, account: String) {
        self.key = key
        self.amount = amount
        self.account = account
    }
}

/// What a rail answered to one payout request.
public enum RailAnswer: Sendable, Hashable {
    /// Executed (now, or earlier for this key).
    case paid
    /// Refused (now, or earlier for this key); the reason is the rail's code, not personal data.
    case failed(reason: String)
    /// No answer came back (a timeout): the rail may or may not have executed it.
    case noAnswer
}

/// A rail's own record of a key it received: what it did and when.
public struct RailRecord: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case paid, failed
    }

    public var key: String
    public var amount: Money
    public var status: Status
    public var at: Instant
    public var reason: String?

    public init(key: String, amount: Money, status: Status, at: Instant, reason: String? = nil) {
        self.key = key
        self.amount = amount
        self.status = status
        self.at = at
        self.reason = reason
    }
}

/// A payment rail (a bank's payout interface), idempotent by key: a key is executed at most
/// once, and a request repeated with the same key gets the same outcome without a second
/// payout. The lender records an intent before every call and asks the rail about a key before
/// doing anything else with it after a crash or a lost answer.
public protocol PaymentRail: Sendable {
    /// Pays each request (a batch, as bank payout files do). The answers are in request order.
    /// - Throws: when the call as a whole failed; the caller must then treat every request of
    ///   the batch as possibly executed (and ask the rail later).
    func pay(_ requests: [PayoutRequest]) throws -> [RailAnswer]

    /// The rail's record of each key it has received; a key absent from the result never
    /// reached the rail.
    func records(keys: [String]) throws -> [String: RailRecord]
}
