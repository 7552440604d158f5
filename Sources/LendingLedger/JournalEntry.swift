import LendingModel

/// One balanced movement in the journal: an id, a business date, a kind and its postings.
///
/// The id doubles as an idempotency key (`accrue:L1:2026-11-21`, `repay:P1`, `disburse:L1`):
/// the store keeps ids unique, so an entry can be posted once and only once. Entries are never
/// edited or deleted; a correction is a ``reversal(of:id:date:memo:)`` followed by a new entry.
public struct JournalEntry: Sendable, Hashable, Codable {
    /// What kind of movement an entry records. The raw value is stored; never rename one.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Principal paid out: Dr principal receivable / Cr funding cash.
        case disbursement
        /// Daily interest and penalty accrual: Dr receivables / Cr income.
        case accrual
        /// Cash received from a borrower: Dr funding cash / Cr receivables, income or overpayment.
        case repayment
        /// Money held for the borrower applied to amounts that fell due: Dr overpayment / Cr receivables.
        case overpaymentApplied = "overpayment_applied"
        /// Receivables written off: Dr write-off expense / Cr receivables.
        case writeOff = "write_off"
        /// The mirror of an earlier entry, which it names in ``JournalEntry/reverses``.
        case reversal
        /// A manual correction approved outside the lifecycle.
        case adjustment
    }

    /// Unique in the journal; also the idempotency key of the movement.
    public var id: String
    /// The business date the movement belongs to.
    public var date: CalendarDay
    public var kind: Kind
    /// The loan the entry concerns; every loan account in the postings must belong to it.
    public var loanID: String?
    public var postings: [Posting]
    /// For a reversal, the id of the entry it reverses.
    public var reverses: String?
    /// Free text for people (never personal data).
    public var memo: String

    public init(id: String, date: CalendarDay, kind: Kind, loanID: String? = nil, postings: [Posting],
                reverses: String? = nil, memo: String = "") {
        self.id = id
        self.date = date
        self.kind = kind
        self.loanID = loanID
        self.postings = postings
        self.reverses = reverses
        self.memo = memo
    }

    /// The sum of the debits (equal to the sum of the credits in a valid entry).
    public var total: Money {
        var sum: Int64 = 0
        for posting in postings where posting.side == .debit { sum += posting.amount.fen }
        return Money(fen: sum)
    }

    /// Checks that the entry can be posted: a non-empty id, at least two postings, every amount
    /// positive, debits equal to credits, and loan accounts only of the entry's own loan.
    /// - Throws: ``LedgerError`` naming the entry and the first problem found.
    public func validate() throws {
        guard !id.isEmpty else {
            throw LedgerError(code: "ledger.empty_id", message: "a journal entry has an empty id; give every entry a unique id such as repay:P1")
        }
        guard postings.count >= 2 else {
            throw LedgerError(code: "ledger.too_few_postings",
                              message: "entry \(id) has \(postings.count) posting(s); an entry needs at least one debit and one credit")
        }
        var debits: Int64 = 0
        var credits: Int64 = 0
        for posting in postings {
            guard posting.amount.fen > 0 else {
                throw LedgerError(code: "ledger.non_positive_amount",
                                  message: "entry \(id) posts \(posting.amount) to \(posting.account); amounts must be positive, the side gives the direction")
            }
            if let owner = posting.account.loanID, owner != loanID {
                throw LedgerError(code: "ledger.loan_mismatch",
                                  message: "entry \(id) posts to \(posting.account) but concerns loan \(loanID ?? "(none)"); post one loan's accounts per entry")
            }
            let (sum, overflow) = posting.side == .debit
                ? debits.addingReportingOverflow(posting.amount.fen) : credits.addingReportingOverflow(posting.amount.fen)
            guard !overflow else {
                throw LedgerError(code: "ledger.overflow", message: "entry \(id) sums beyond the largest amount; split it")
            }
            if posting.side == .debit { debits = sum } else { credits = sum }
        }
        guard debits == credits else {
            throw LedgerError(code: "ledger.unbalanced",
                              message: "entry \(id) debits \(Money(fen: debits)) but credits \(Money(fen: credits)); debits must equal credits")
        }
        if kind == .reversal, reverses == nil {
            throw LedgerError(code: "ledger.bad_reversal", message: "reversal \(id) does not name the entry it reverses; set reverses")
        }
    }

    /// The entry that undoes `original`: every posting mirrored (debits become credits), same loan.
    /// - Parameters:
    ///   - original: the entry to reverse (already in the journal).
    ///   - id: the reversal's id; `reverse:` + the original id unless given.
    ///   - date: the business date of the correction (not the original's date: the past is not rewritten).
    ///   - memo: why it was reversed.
    public static func reversal(of original: JournalEntry, id: String? = nil, date: CalendarDay, memo: String = "") -> JournalEntry {
        JournalEntry(id: id ?? "reverse:\(original.id)", date: date, kind: .reversal, loanID: original.loanID,
                     postings: original.postings.map { Posting($0.side.opposite, $0.account, $0.amount) },
                     reverses: original.id, memo: memo)
    }
}
