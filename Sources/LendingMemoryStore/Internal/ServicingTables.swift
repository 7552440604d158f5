import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// A loan as the store keeps it: what was signed, and once paid out its state split as
/// ``LoanStateCoding`` splits it (the record and the daily fields), as SQLite keeps it.
struct LoanRow: Sendable {
    /// What was signed, and the status (its `state` is always `nil` here).
    var loan: StoredLoan
    var record: [UInt8]?
    var daily: LoanDailyFields?
}

/// The servicing tables: agreements, lines, loans (in the store's order: a loan's position is its
/// index + 1), payouts, refunds, suspense receipts, the journal with its head, repayments and draws.
struct ServicingTables: Sendable {
    var agreements: [String: AgreementRecord] = [:]
    var lines: [String: StoredLine] = [:]
    var loans: [LoanRow] = []
    var loanIndex: [String: Int] = [:]
    /// Indexes in ``loans`` of each line's draws, in draw order.
    var loansByLine: [String: [Int]] = [:]
    var payouts: [String: Payout] = [:]
    /// Payout keys of each loan, in the order inserted.
    var payoutKeysByLoan: [String: [String]] = [:]
    var refunds: [String: StoredRefund] = [:]
    /// Refund keys of each loan, in the order inserted.
    var refundKeysByLoan: [String: [String]] = [:]
    var suspenseReceipts: [String: StoredSuspenseReceipt] = [:]
    var journal: [SealedEntry] = []
    var journalIDs: Set<String> = []
    var postingCount = 0
    /// Kept apart from the rows and moved with every append, as SQLite's `journal_head`.
    var head = ChainHead.genesis
    var repayments: [String: StoredRepayment] = [:]
    /// Payment ids in the order stored.
    var repaymentOrder: [String] = []
    var draws: [String: StoredDraw] = [:]

    static func position(ofIndex index: Int) -> StorePosition { StorePosition(rawValue: Int64(index) + 1) }

    /// The index of the loan at `position`, if the store gave it out.
    func index(of position: StorePosition) -> Int? {
        guard position.rawValue >= 1, position.rawValue <= Int64(loans.count) else { return nil }
        return Int(position.rawValue - 1)
    }

    /// The index of the first loan strictly after `position`.
    func firstIndex(after position: StorePosition) -> Int {
        Int(min(max(position.rawValue, 0), Int64(loans.count)))
    }

    /// The loan at `index` with its state joined back together.
    func loan(at index: Int) throws -> StoredLoan {
        let row = loans[index]
        var loan = row.loan
        if let record = row.record {
            let daily = row.daily ?? LoanDailyFields(
                processedThrough: CalendarDay(daysSinceEpoch: 0), daysPastDue: 0, interestReceivable: .zero, penaltyReceivable: .zero,
                memoInterest: .zero, memoPenalty: .zero, currentInterestAccrued: .zero)
            loan.state = try LoanStateCoding.join(record: record, daily: daily)
        }
        return loan
    }

    /// Every payout of a loan, by attempt.
    func payouts(ofLoan loanID: String) -> [Payout] {
        (payoutKeysByLoan[loanID] ?? []).compactMap { payouts[$0] }.sorted { $0.attempt < $1.attempt }
    }
}
