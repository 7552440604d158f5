import LendingDecisioning
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing

/// The servicing side of storage: agreements, loans and lines, payouts, the journal,
/// repayments and draws. LendingStore implements it with SQLite.
///
/// Every write happens in ``withServicingTransaction(_:)``: all of it is stored, or none of it.
public protocol ServicingStore: Sendable {
    /// Runs `body` in one write transaction; a throw rolls everything back.
    func withServicingTransaction<T>(_ body: (any ServicingTransaction) throws -> T) throws -> T
    /// Runs `body` on a consistent read-only snapshot.
    func readServicing<T>(_ body: (any ServicingTransaction) throws -> T) throws -> T
}

extension ServicingStore {
    /// Every journal row in sequence order, each in its own snapshot; see
    /// ``ServicingTransaction/forEachJournalRow(_:)``.
    public func forEachJournalRow(_ body: (SealedEntry) throws -> Void) throws -> Int {
        try readServicing { try $0.forEachJournalRow(body) }
    }

    /// Every loan, in a snapshot of its own; see ``ServicingTransaction/forEachLoan(_:)``.
    public func forEachLoan(_ body: (StoredLoan) throws -> Void) throws {
        try readServicing { try $0.forEachLoan(body) }
    }
}

/// What can be read and written inside one transaction: signature evidence with its agreement
/// (``SignatureRecording``) and maker-checker requests such as write-offs (``ApprovalRecording``)
/// included. In a read-only snapshot (``ServicingStore/readServicing(_:)``) the writes are refused.
public protocol ServicingTransaction: SignatureRecording, ApprovalRecording {
    // MARK: Scans (for verification and reports; read them in one snapshot to see one state)

    /// Every journal row in sequence order, with its postings, handed over one by one.
    /// - Returns: the number of posting rows in storage (to find postings whose entry is gone).
    func forEachJournalRow(_ body: (SealedEntry) throws -> Void) throws -> Int
    /// Every loan (with its state once paid out), handed over one by one.
    func forEachLoan(_ body: (StoredLoan) throws -> Void) throws
    /// Every payout, grouped by loan (the loans in any order).
    func forEachLoanPayouts(_ body: (String, [Payout]) throws -> Void) throws

    // MARK: Agreements

    /// Approved applications without an agreement, of those named (in the order given).
    func approvedWithoutAgreement(applicationIDs: [String]) throws -> [ApprovedApplication]
    /// Every approved application without an agreement, in decision order.
    func approvedWithoutAgreement() throws -> [ApprovedApplication]
    /// Stores a signed agreement with the loan or the line it makes.
    func insert(agreement: AgreementRecord, loan: StoredLoan?, line: StoredLine?) throws
    func agreement(applicationID: String) throws -> AgreementRecord?

    // MARK: Loans and lines

    /// The loans among `loanIDs` that exist, with their states.
    func loans(_ loanIDs: [String]) throws -> [String: StoredLoan]
    /// Stores a new loan (signed, not yet paid out).
    func insert(loan: StoredLoan) throws
    /// Saves the states of loans already paid out (and their status).
    func save(states: [LoanState]) throws
    /// Makes signed loans active with their first state (the payout was confirmed).
    func activate(states: [LoanState]) throws
    func line(_ lineID: String) throws -> StoredLine?
    /// Saves a line's drawn principal, limit and freeze flag.
    func save(line: CreditLine) throws
    /// The draws of a line (its loans), in draw order.
    func loans(ofLine lineID: String) throws -> [StoredLoan]

    // MARK: Payouts

    /// Signed loans that may be paid out on `day` (signed on or before it), after `position`, in the store's order.
    func loansAwaitingPayout(after position: StorePosition, through day: CalendarDay, limit: Int) throws -> [(position: StorePosition, loan: StoredLoan)]
    /// The payouts of each of `loanIDs` (absent: none yet).
    func payouts(loanIDs: [String]) throws -> [String: [Payout]]
    /// Payouts in flight (`sent`, `unknown`) with keys after `key`, in key order.
    func payoutsInFlight(after key: String, limit: Int) throws -> [Payout]
    /// Records new payouts (intents).
    func insert(payouts: [Payout]) throws
    /// Records payouts' new status.
    func update(payouts: [Payout]) throws
    /// The sealed personal data of each application (for the payee's card).
    func sealedPersonalData(applicationIDs: [String]) throws -> [String: [UInt8]]

    // MARK: Refunds

    /// The refunds of a loan, by number.
    func refunds(loanID: String) throws -> [StoredRefund]
    /// Refunds in flight (`sent`, `unknown`) with keys after `key`, in key order (bytes).
    func refundsInFlight(after key: String, limit: Int) throws -> [StoredRefund]
    /// Every refund, in key order (bytes), handed over one by one.
    func forEachRefund(_ body: (StoredRefund) throws -> Void) throws
    /// Records a new refund (status `sent`: the intent). The store refuses a key or a (loan,
    /// number) already stored, an amount that is not positive, and a status other than `sent`.
    func insert(refund: StoredRefund) throws
    /// Records a refund's new status, settled date, reason and return entry. The store refuses a
    /// change to a refund already `paid` or `failed`, to its key, loan, number, amount, request
    /// date or entry sequence, and a return sequence on a refund that is not `failed` (or none on one that is).
    func update(refund: StoredRefund) throws

    // MARK: Suspense

    /// A receipt held in (or moved out of) suspense, by its id.
    func suspenseReceipt(receiptID: String) throws -> StoredSuspenseReceipt?
    /// Every suspense receipt, in id order (bytes), handed over one by one.
    func forEachSuspenseReceipt(_ body: (StoredSuspenseReceipt) throws -> Void) throws
    /// Records a new receipt, held (no loan). The store refuses an id already stored, an amount
    /// that is not positive, and a receipt that says it was moved already.
    func insert(suspenseReceipt: StoredSuspenseReceipt) throws
    /// Records the move of a held receipt to a loan (loan, date and entry sequence all set). The
    /// store refuses a change to a receipt already moved, to its id, date, amount or entry, and a
    /// move with some of its fields missing.
    func update(suspenseReceipt: StoredSuspenseReceipt) throws

    // MARK: Journal

    /// The chain head: the last sequence and hash written (genesis for an empty journal).
    func journalHead() throws -> ChainHead
    /// Appends sealed entries, which must continue the chain from ``journalHead()``, and moves the head.
    func append(_ entries: [SealedEntry]) throws

    // MARK: Repayments and draws

    func repayment(paymentID: String) throws -> StoredRepayment?
    func insert(repayment: StoredRepayment) throws
    /// Every payment applied to a loan, in the order it was posted (by its entry's sequence),
    /// reversed ones included. Scans the repayments (a back-office step, not a hot path).
    func repayments(loanID: String) throws -> [StoredRepayment]
    func draw(drawID: String) throws -> StoredDraw?
    func insert(draw: StoredDraw) throws

    // MARK: End of day

    /// Active loans of `partition` not yet processed through `day`, after `position`, in the store's order.
    func activeLoans(after position: StorePosition, notProcessedThrough day: CalendarDay, limit: Int, partition: LoanPartition,
                     into rows: inout DailyLoanRows) throws
    /// Those of the loans at `positions` that are active and not yet processed through `day`, in the
    /// store's order (end of day reads a batch again in its write transaction, to see whether it
    /// changed since it was computed).
    func activeLoans(at positions: [StorePosition], notProcessedThrough day: CalendarDay, into rows: inout DailyLoanRows) throws
    /// Writes a batch's new daily fields, changed records and statuses, line restores, and its sealed entries.
    func saveEndOfDay(_ updates: DailyLoanUpdates, entries: [SealedEntry]) throws
}

extension ServicingTransaction {
    /// Active loans of the whole book not yet processed through `day`, after `position`, in the store's order.
    public func activeLoans(after position: StorePosition, notProcessedThrough day: CalendarDay, limit: Int,
                            into rows: inout DailyLoanRows) throws {
        try activeLoans(after: position, notProcessedThrough: day, limit: limit, partition: .all, into: &rows)
    }

    /// Every active loan not yet processed through `day`, in the store's order, handed over a
    /// batch of `batchSize` at a time (the rows are reused between batches): the scan post-loan,
    /// the demo and the collections check share.
    public func forEachActiveLoanBatch(notProcessedThrough day: CalendarDay, batchSize: Int = 10_000,
                                       _ body: (DailyLoanRows) throws -> Void) throws {
        var rows = DailyLoanRows()
        var after = StorePosition.start
        while true {
            rows.removeAll()
            try activeLoans(after: after, notProcessedThrough: day, limit: batchSize, into: &rows)
            guard let last = rows.positions.last else { return }
            after = last
            try body(rows)
        }
    }

    /// Seals `entries` onto the chain and appends them.
    /// - Returns: the entries as sealed (with their sequences).
    /// - Throws: ``LedgerError`` for an entry that does not validate (nothing is appended), and the store's errors.
    @discardableResult
    public func post(_ entries: [JournalEntry]) throws -> [SealedEntry] {
        guard !entries.isEmpty else { return [] }
        var chain = JournalChain(after: try journalHead())
        let sealed = try entries.map { try chain.seal($0) }
        try append(sealed)
        return sealed
    }
}
