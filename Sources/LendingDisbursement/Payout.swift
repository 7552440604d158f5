import LendingModel

/// Where one payout stands. A payout is one attempt to pay a loan out through a rail.
///
/// ```
/// intent recorded: sent ──pay──▶ paid
///                   │      ├───▶ failed ─▶ (a new attempt, a new key)
///                   │      └───▶ unknown (no answer) ──ask the rail──▶ paid | failed
///                   └──(crash before or during the call)──ask the rail──▶ paid | failed | not there: send again, same key
/// ```
///
/// `sent` and `unknown` are both *in flight*: only the rail can say what happened, so nothing
/// is paid for that loan again before the rail has been asked. `paid` and `failed` are final.
public enum PayoutStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The intent is recorded; the rail may or may not have been called.
    case sent
    /// The rail executed the payout.
    case paid
    /// The rail refused the payout (it will never execute this key).
    case failed
    /// The rail was called but its answer was lost (a timeout).
    case unknown

    /// `paid` or `failed`: the rail has answered for good.
    public var isFinal: Bool { self == .paid || self == .failed }
}

/// One attempt to pay a loan out: the loan, the attempt number (the idempotency key is derived
/// from both), the amount and where it stands.
public struct Payout: Sendable, Hashable, Codable, RailInstruction {
    public var loanID: String
    /// 1 for the first attempt; a retry after a definite failure is the next number.
    public var attempt: Int
    public var amount: Money
    public var status: PayoutStatus
    /// The business date the intent was recorded (the loan's disbursement date once paid).
    public var sentOn: CalendarDay
    /// The business date the payout became final (`nil` while in flight).
    public var settledOn: CalendarDay?
    /// The rail's reason for a refusal (never personal data).
    public var reason: String?

    public init(loanID: String, attempt: Int, amount: Money, status: PayoutStatus = .sent, sentOn: CalendarDay,
                settledOn: CalendarDay? = nil, reason: String? = nil) {
        precondition(attempt >= 1, "attempts count from 1")
        self.loanID = loanID
        self.attempt = attempt
        self.amount = amount
        self.status = status
        self.sentOn = sentOn
        self.settledOn = settledOn
        self.reason = reason
    }

    /// The idempotency key the rail sees: the loan id for the first attempt, `LOAN#N` for attempt N.
    public var key: String { Payout.key(loanID: loanID, attempt: attempt) }

    /// The key of attempt `attempt` of a loan.
    public static func key(loanID: String, attempt: Int) -> String { attempt == 1 ? loanID : "\(loanID)#\(attempt)" }

    /// The loan and attempt of a key made by ``key(loanID:attempt:)`` (a key without `#N` is attempt 1).
    public static func parse(key: String) -> (loanID: String, attempt: Int) {
        if let hash = key.lastIndex(of: "#"), let attempt = Int(key[key.index(after: hash)...]), attempt >= 2 {
            return (String(key[..<hash]), attempt)
        }
        return (key, 1)
    }

    enum CodingKeys: String, CodingKey {
        case loanID = "loan_id"
        case attempt, amount, status
        case sentOn = "sent_on"
        case settledOn = "settled_on"
        case reason
    }
}
