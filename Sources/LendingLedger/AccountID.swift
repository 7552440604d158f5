/// What an account is: one of the lender's own accounts, or one of a loan's accounts.
///
/// The raw value is the account's name in its text form and in storage; `code` is the byte that
/// stands for it in the hash chain's canonical encoding. Neither may ever change.
public enum AccountKind: String, Sendable, Hashable, Codable, CaseIterable {
    // Lender accounts.
    /// Cash paid out to borrowers (credit) and received from them (debit).
    case fundingCash = "funding_cash"
    /// Interest earned (credit balance).
    case interestIncome = "interest_income"
    /// Penalty interest earned (credit balance).
    case penaltyIncome = "penalty_income"
    /// Cash received that belongs to no known loan yet (credit balance).
    case suspense
    /// Receivables written off (debit balance); recoveries after a write-off are credited here.
    case writeOffExpense = "write_off_expense"
    // Per-loan accounts.
    /// Principal the borrower owes (debit balance).
    case principalReceivable = "principal"
    /// Interest accrued and recognised, not yet paid (debit balance).
    case interestReceivable = "interest"
    /// Penalty interest accrued and recognised, not yet paid (debit balance).
    case penaltyReceivable = "penalty"
    /// Money received beyond what the loan owed, held for the borrower (credit balance).
    case overpayment

    /// Whether the account belongs to a loan (and so needs a loan id).
    public var isLoanAccount: Bool {
        switch self {
        case .fundingCash, .interestIncome, .penaltyIncome, .suspense, .writeOffExpense: false
        case .principalReceivable, .interestReceivable, .penaltyReceivable, .overpayment: true
        }
    }

    /// The stable byte used by the hash chain's canonical encoding.
    public var code: UInt8 {
        switch self {
        case .fundingCash: 1
        case .interestIncome: 2
        case .penaltyIncome: 3
        case .suspense: 4
        case .writeOffExpense: 5
        case .principalReceivable: 16
        case .interestReceivable: 17
        case .penaltyReceivable: 18
        case .overpayment: 19
        }
    }
}

/// The identity of one account: a kind, and the loan id for a loan's accounts.
///
/// Text form (for storage and messages): `lender:funding_cash`, `loan:L1:principal`. A loan id
/// may itself contain `:`; the kind is always the part after the last one.
public struct AccountID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let kind: AccountKind
    /// The loan id for a loan's account, `nil` for a lender account.
    public let loanID: String?

    /// A lender account.
    /// - Precondition: `kind` is a lender account kind.
    public init(lender kind: AccountKind) {
        precondition(!kind.isLoanAccount, "\(kind.rawValue) is a loan account and needs a loan id")
        self.kind = kind
        loanID = nil
    }

    /// One of a loan's accounts.
    /// - Precondition: `kind` is a loan account kind and `loanID` is not empty.
    public init(loan loanID: String, _ kind: AccountKind) {
        precondition(kind.isLoanAccount, "\(kind.rawValue) is a lender account and takes no loan id")
        precondition(!loanID.isEmpty, "a loan account needs a loan id")
        self.kind = kind
        self.loanID = loanID
    }

    public static let fundingCash = AccountID(lender: .fundingCash)
    public static let interestIncome = AccountID(lender: .interestIncome)
    public static let penaltyIncome = AccountID(lender: .penaltyIncome)
    public static let suspense = AccountID(lender: .suspense)
    public static let writeOffExpense = AccountID(lender: .writeOffExpense)

    /// Parses the text form; `nil` for anything else.
    public init?(text: some StringProtocol) {
        let text = Substring(text)
        if text.hasPrefix("lender:") {
            guard let kind = AccountKind(rawValue: String(text.dropFirst(7))), !kind.isLoanAccount else { return nil }
            self.init(lender: kind)
        } else if text.hasPrefix("loan:") {
            let rest = text.dropFirst(5)
            guard let colon = rest.lastIndex(of: ":") else { return nil }
            let id = rest[..<colon]
            guard !id.isEmpty, let kind = AccountKind(rawValue: String(rest[rest.index(after: colon)...])), kind.isLoanAccount
            else { return nil }
            self.init(loan: String(id), kind)
        } else {
            return nil
        }
    }

    /// `lender:KIND` or `loan:ID:KIND`.
    public var description: String {
        if let loanID { return "loan:\(loanID):\(kind.rawValue)" }
        return "lender:\(kind.rawValue)"
    }

    public static func < (lhs: AccountID, rhs: AccountID) -> Bool {
        switch (lhs.loanID, rhs.loanID) {
        case (nil, nil): lhs.kind.code < rhs.kind.code
        case (nil, _): true
        case (_, nil): false
        case let (left?, right?): left == right ? lhs.kind.code < rhs.kind.code : left < right
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let account = AccountID(text: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not an account such as lender:funding_cash or loan:L1:principal")
        }
        self = account
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
