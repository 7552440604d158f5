import LendingModel

/// One loan's balances as the ledger holds them.
public struct LoanBalances: Sendable, Hashable, Codable {
    /// Principal receivable (debit balance).
    public var principal: Money
    /// Interest receivable: accrued, recognised, unpaid (debit balance).
    public var interest: Money
    /// Penalty receivable (debit balance).
    public var penalty: Money
    /// Money held for the borrower (a liability: credit balance, shown positive).
    public var overpayment: Money

    public init(principal: Money = .zero, interest: Money = .zero, penalty: Money = .zero, overpayment: Money = .zero) {
        self.principal = principal
        self.interest = interest
        self.penalty = penalty
        self.overpayment = overpayment
    }

    public static let zero = LoanBalances()

    /// The loan's net debit balance (receivables less the overpayment held).
    public var netDebit: Money { principal + interest + penalty - overpayment }
}

/// Balances folded from journal entries: every lender account and every loan's accounts.
///
/// Balances are signed, debit positive. Because every valid entry balances, ``total`` is zero
/// after any sequence of valid entries (the trial balance).
public struct LedgerBalances: Sendable, Hashable {
    /// Lender accounts, debit positive.
    public private(set) var lender: [AccountKind: Money] = [:]
    /// Per-loan accounts, with the overpayment shown positive (see ``LoanBalances``).
    public private(set) var loans: [String: LoanBalances] = [:]
    /// The number of entries folded.
    public private(set) var entryCount = 0

    public init() {}

    /// Balances of a sequence of entries.
    public init(_ entries: some Sequence<JournalEntry>) {
        for entry in entries { post(entry) }
    }

    /// Adds one entry's postings (the entry is assumed valid: see ``JournalEntry/validate()``).
    public mutating func post(_ entry: JournalEntry) {
        entryCount += 1
        for posting in entry.postings {
            let signed = posting.signedAmount
            guard let loanID = posting.account.loanID else {
                lender[posting.account.kind, default: .zero] += signed
                continue
            }
            switch posting.account.kind {
            case .principalReceivable: loans[loanID, default: .zero].principal += signed
            case .interestReceivable: loans[loanID, default: .zero].interest += signed
            case .penaltyReceivable: loans[loanID, default: .zero].penalty += signed
            case .overpayment: loans[loanID, default: .zero].overpayment -= signed
            case .fundingCash, .interestIncome, .penaltyIncome, .suspense, .writeOffExpense:
                preconditionFailure("lender account \(posting.account.kind.rawValue) carries a loan id")
            }
        }
    }

    /// The balance of one account, debit positive (so income and liabilities are negative).
    public func balance(of account: AccountID) -> Money {
        guard let loanID = account.loanID else { return lender[account.kind] ?? .zero }
        let loan = loans[loanID] ?? .zero
        switch account.kind {
        case .principalReceivable: return loan.principal
        case .interestReceivable: return loan.interest
        case .penaltyReceivable: return loan.penalty
        case .overpayment: return -loan.overpayment
        default: return .zero
        }
    }

    /// One loan's balances (all zero for a loan the ledger has never seen).
    public func loan(_ loanID: String) -> LoanBalances { loans[loanID] ?? .zero }

    /// The sum of every account's debit-positive balance: zero when the journal balances.
    public var total: Money {
        var sum = Money.zero
        for (_, balance) in lender { sum += balance }
        for (_, loan) in loans { sum += loan.netDebit }
        return sum
    }

    /// Every account with a non-zero balance, in account order (lender accounts first).
    public var trialBalance: [(account: AccountID, balance: Money)] {
        var rows: [(account: AccountID, balance: Money)] = []
        for (kind, balance) in lender where balance != .zero { rows.append((AccountID(lender: kind), balance)) }
        for (loanID, loan) in loans {
            for (kind, balance) in [(AccountKind.principalReceivable, loan.principal), (.interestReceivable, loan.interest),
                                    (.penaltyReceivable, loan.penalty), (.overpayment, -loan.overpayment)] where balance != .zero {
                rows.append((AccountID(loan: loanID, kind), balance))
            }
        }
        return rows.sorted { $0.account < $1.account }
    }
}
