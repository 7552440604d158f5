import LendingDecisioning
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing

/// A loan as stored: what was signed (or drawn), and its servicing state once paid out.
public struct StoredLoan: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable, CaseIterable {
        /// Signed (or drawn) and waiting to be paid out; no state yet.
        case signed
        case active
        case paidOff = "paid_off"
        case writtenOff = "written_off"

        /// The stored status of a serviced loan.
        public init(_ status: LoanStatus) {
            switch status {
            case .active: self = .active
            case .paidOff: self = .paidOff
            case .writtenOff: self = .writtenOff
            }
        }
    }

    public var loanID: String
    /// The application whose applicant is paid (a draw's line's application).
    public var applicationID: String
    /// The credit line of a draw.
    public var lineID: String?
    /// The product name (the key in the products file).
    public var product: String
    public var principal: Money
    public var termMonths: Int
    public var apr: AnnualRate
    /// The day the agreement was signed, or the day of the draw: it cannot be paid out before.
    public var signedOn: CalendarDay
    public var status: Status
    /// The servicing state, from the payout on.
    public var state: LoanState?

    public init(loanID: String, applicationID: String, lineID: String? = nil, product: String, principal: Money, termMonths: Int,
                apr: AnnualRate, signedOn: CalendarDay, status: Status = .signed, state: LoanState? = nil) {
        self.loanID = loanID
        self.applicationID = applicationID
        self.lineID = lineID
        self.product = product
        self.principal = principal
        self.termMonths = termMonths
        self.apr = apr
        self.signedOn = signedOn
        self.status = status
        self.state = state
    }
}

/// A revolving credit line as stored.
public struct StoredLine: Sendable, Equatable {
    public var line: CreditLine
    public var applicationID: String
    public var product: String
    public var signedOn: CalendarDay

    public init(line: CreditLine, applicationID: String, product: String, signedOn: CalendarDay) {
        self.line = line
        self.applicationID = applicationID
        self.product = product
        self.signedOn = signedOn
    }
}

/// A signed agreement: the terms, the schedule shown, and the text (sealed; its SHA-256 in clear).
public struct AgreementRecord: Sendable, Equatable {
    public var applicationID: String
    public var product: String
    public var kind: ProductTerms.Kind
    /// The principal of an installment loan, the limit of a line.
    public var amount: Money
    public var termMonths: Int
    public var apr: AnnualRate
    /// The product terms as JSON (sorted keys).
    public var termsJSON: String
    /// The schedule shown in the agreement as JSON (an installment loan's; `[]` for a line).
    public var scheduleJSON: String
    /// SHA-256 of the agreement text's UTF-8 bytes.
    public var textHash: [UInt8]
    /// The text, sealed with the personal-data key (it names the borrower).
    public var sealedText: [UInt8]
    public var signer: String
    public var signedAt: Instant

    public init(applicationID: String, product: String, kind: ProductTerms.Kind, amount: Money, termMonths: Int, apr: AnnualRate,
                termsJSON: String, scheduleJSON: String, textHash: [UInt8], sealedText: [UInt8], signer: String, signedAt: Instant) {
        self.applicationID = applicationID
        self.product = product
        self.kind = kind
        self.amount = amount
        self.termMonths = termMonths
        self.apr = apr
        self.termsJSON = termsJSON
        self.scheduleJSON = scheduleJSON
        self.textHash = textHash
        self.sealedText = sealedText
        self.signer = signer
        self.signedAt = signedAt
    }
}

/// An approved application with its latest decision, waiting for its agreement.
public struct ApprovedApplication: Sendable {
    public var application: StoredApplication
    public var decision: DecisionRecord

    public init(application: StoredApplication, decision: DecisionRecord) {
        self.application = application
        self.decision = decision
    }
}

/// A repayment as applied: the request's hash (for idempotency) and how it was allocated.
public struct StoredRepayment: Sendable, Equatable {
    public var paymentID: String
    public var loanID: String
    public var paidOn: CalendarDay
    public var amount: Money
    /// SHA-256 of the request (payment id, loan id, date, amount).
    public var requestHash: [UInt8]
    /// The sequence of the repayment entry in the journal.
    public var entrySequence: Int64
    public var penalty: Money
    public var interest: Money
    public var principal: Money
    public var overpayment: Money
    public var recovery: Money

    public init(paymentID: String, loanID: String, paidOn: CalendarDay, amount: Money, requestHash: [UInt8], entrySequence: Int64,
                penalty: Money = .zero, interest: Money = .zero, principal: Money = .zero, overpayment: Money = .zero, recovery: Money = .zero) {
        self.paymentID = paymentID
        self.loanID = loanID
        self.paidOn = paidOn
        self.amount = amount
        self.requestHash = requestHash
        self.entrySequence = entrySequence
        self.penalty = penalty
        self.interest = interest
        self.principal = principal
        self.overpayment = overpayment
        self.recovery = recovery
    }
}

/// A draw as accepted.
public struct StoredDraw: Sendable, Equatable {
    public var drawID: String
    public var lineID: String
    public var amount: Money
    public var termMonths: Int
    public var requestedOn: CalendarDay
    /// SHA-256 of the request (draw id, line id, amount, term, date).
    public var requestHash: [UInt8]

    public init(drawID: String, lineID: String, amount: Money, termMonths: Int, requestedOn: CalendarDay, requestHash: [UInt8]) {
        self.drawID = drawID
        self.lineID = lineID
        self.amount = amount
        self.termMonths = termMonths
        self.requestedOn = requestedOn
        self.requestHash = requestHash
    }
}

/// Active loans read for end of day, in the form the store keeps them (``LoanStateCoding``),
/// in storage order. Arrays, reused between batches.
public struct DailyLoanRows: Sendable {
    /// The store's row number of each loan (batches continue after the last one).
    public var rowIDs: [Int64] = []
    public var products: [String] = []
    public var daily: [LoanDailyFields] = []
    public var records: [[UInt8]] = []

    public init() {}

    public var count: Int { rowIDs.count }

    public mutating func removeAll() {
        rowIDs.removeAll(keepingCapacity: true)
        products.removeAll(keepingCapacity: true)
        daily.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
    }
}

/// What end of day writes back for a batch of ``DailyLoanRows``.
public struct DailyLoanUpdates: Sendable {
    public var rowIDs: [Int64] = []
    public var daily: [LoanDailyFields] = []
    /// The new record where it changed, `nil` where it did not.
    public var records: [[UInt8]?] = []
    /// The new status where it changed (paid off), `nil` where it did not.
    public var statuses: [StoredLoan.Status?] = []
    /// Principal repaid on a line's draws (overpayment applied on a due date), by line.
    public var lineRestores: [String: Money] = [:]

    public init() {}
}

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

/// What can be read and written inside one transaction.
public protocol ServicingTransaction {
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

    /// Signed loans that may be paid out on `day` (signed on or before it), after row `rowID`, in row order.
    func loansAwaitingPayout(after rowID: Int64, through day: CalendarDay, limit: Int) throws -> [(rowID: Int64, loan: StoredLoan)]
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

    // MARK: Journal

    /// The chain head: the last sequence and hash written (genesis for an empty journal).
    func journalHead() throws -> ChainHead
    /// Appends sealed entries, which must continue the chain from ``journalHead()``, and moves the head.
    func append(_ entries: [SealedEntry]) throws

    // MARK: Repayments and draws

    func repayment(paymentID: String) throws -> StoredRepayment?
    func insert(repayment: StoredRepayment) throws
    func draw(drawID: String) throws -> StoredDraw?
    func insert(draw: StoredDraw) throws

    // MARK: End of day

    /// Active loans not yet processed through `day`, after row `rowID`, in row order.
    func activeLoans(after rowID: Int64, notProcessedThrough day: CalendarDay, limit: Int, into rows: inout DailyLoanRows) throws
    /// Writes a batch's new daily fields, changed records and statuses, line restores, and its sealed entries.
    func saveEndOfDay(_ updates: DailyLoanUpdates, entries: [SealedEntry]) throws
}

extension ServicingTransaction {
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
