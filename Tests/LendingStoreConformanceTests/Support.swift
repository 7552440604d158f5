import Foundation
import LendingCollections
import LendingDecisioning
import LendingDisbursement
import LendingFraud
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts
import LendingTestSupport
import Synchronization
import Testing

// MARK: Time

let epoch = Instant(secondsSinceEpoch: 1_790_000_000)

/// `minutes` after ``epoch``.
func minute(_ minutes: Int64) -> Instant { epoch.adding(seconds: minutes * 60) }

func day(_ iso: String) -> CalendarDay { CalendarDay(iso: iso)! }

func yuan(_ text: String) -> Money { Money(yuan: text)! }

struct Refused: Error {}

// MARK: Applications and decisions

let inputsHash = String(repeating: "ab", count: 32)

/// An application as the application path stores it.
struct ApplicationSpec {
    var id: String
    /// Applied (and decided) this many minutes after ``epoch``.
    var minute: Int64 = 0
    var outcome = DecisionRecord.Outcome.approve
    var personKey = String(repeating: "0a", count: 32)
    var product = "installment"
}

func decision(for spec: ApplicationSpec, after previous: DecisionRecord?) -> DecisionRecord {
    DecisionChain.seal(
        DecisionRecord(applicationID: spec.id, decidedAt: minute(spec.minute), outcome: spec.outcome,
                       approvedLimit: spec.outcome == .approve ? yuan("10000") : .zero, proposedLimit: yuan("10000"),
                       apr: AnnualRate(decimal: "0.1825")!, score: 512.25, probability: 0.125, fraudScore: spec.minute % 2 == 0 ? nil : 0.0123,
                       reasons: spec.outcome == .decline ? ["CR_LOW_SCORE", "FR_RING_LINKED"] : [], inputsHash: inputsHash,
                       modelVersion: "gc@1", policyVersion: "default@2026.11"),
        after: previous)
}

func application(for spec: ApplicationSpec, sequence: Int64) -> StoredApplication {
    StoredApplication(applicationID: spec.id, appliedAt: minute(spec.minute), product: spec.product, channel: "app", merchantID: nil,
                      requestedAmount: yuan("10000"), amountCap: yuan("50000"), termMonths: 3, personKey: spec.personKey,
                      keys: FraudKeys(person: UInt64.max - UInt64(spec.minute), phone: 7, bankCard: nil, device: 3, ip: 1 << 63,
                                      contactPhone: nil, address: 42),
                      personalData: Array("sealed \(spec.id)".utf8), inputsHash: inputsHash, decisionSequence: sequence)
}

/// Stores applications with chained first decisions, in one transaction.
@discardableResult
func storeApplications(_ store: any DecisionStore, _ specs: [ApplicationSpec]) throws -> [DecisionRecord] {
    try store.withTransaction { transaction throws in
        var previous = try transaction.chainHead()
        return try specs.map { spec in
            let record = decision(for: spec, after: previous)
            try transaction.insert(application(for: spec, sequence: record.sequence), decision: record)
            previous = record
            return record
        }
    }
}

/// Appends a person's decision on an application to the chain.
@discardableResult
func appendReview(_ store: any DecisionStore, _ applicationID: String, _ outcome: DecisionRecord.Outcome, minute at: Int64) throws -> DecisionRecord {
    try store.withTransaction { transaction throws in
        let record = DecisionChain.seal(
            DecisionRecord(applicationID: applicationID, kind: .review, decidedAt: minute(at), outcome: outcome,
                           approvedLimit: outcome == .approve ? yuan("8000") : .zero, apr: AnnualRate(decimal: "0.1825")!, score: nil,
                           reasons: outcome == .decline ? ["PL_REVIEW_DECLINED"] : [], inputsHash: inputsHash, modelVersion: "gc@1",
                           policyVersion: "default@2026.11", decidedBy: "reviewer 7"),
            after: try transaction.chainHead())
        try transaction.append(decision: record)
        return record
    }
}

// MARK: Loans, lines and the journal

let terms = ProductTerms(apr: AnnualRate(decimal: "0.1825")!)

func signedLoan(_ id: String, line: String? = nil, principal: String = "10000", months: Int = 3, signedOn: String = "2026-01-15") -> StoredLoan {
    StoredLoan(loanID: id, applicationID: line ?? id, lineID: line, product: line == nil ? "installment" : "revolving",
               principal: yuan(principal), termMonths: months, apr: AnnualRate(decimal: "0.1825")!, signedOn: day(signedOn))
}

func agreement(_ applicationID: String, kind: ProductTerms.Kind = .installment, amount: String = "10000") -> AgreementRecord {
    AgreementRecord(applicationID: applicationID, product: kind == .installment ? "installment" : "revolving", kind: kind, amount: yuan(amount),
                    termMonths: kind == .installment ? 3 : 0, apr: AnnualRate(decimal: "0.1825")!, termsJSON: #"{"apr":"0.1825"}"#,
                    scheduleJSON: "[]", textHash: Array(repeating: 7, count: 32), sealedText: Array("sealed text".utf8), signer: "applicant",
                    signedAt: minute(5))
}

func storedLine(_ id: String, limit: String = "20000", signedOn: String = "2026-01-15") -> StoredLine {
    StoredLine(line: CreditLine(lineID: id, limit: yuan(limit), apr: AnnualRate(decimal: "0.144")!), applicationID: id, product: "revolving",
               signedOn: day(signedOn))
}

/// The state and disbursement entry of a loan paid out on `on`.
func disbursement(of loan: StoredLoan, on date: String = "2026-01-15") throws -> Servicing.Disbursement {
    try Servicing.disburse(loanID: loan.loanID, principal: loan.principal, months: loan.termMonths, on: day(date), terms: terms,
                           apr: loan.apr, lineID: loan.lineID)
}

/// Signs `loans` and pays them out: each active with its first state, its disbursement posted.
@discardableResult
func payOut(_ store: any ServicingStore, _ loans: [StoredLoan], on date: String = "2026-01-15") throws -> [LoanState] {
    try store.withServicingTransaction { transaction throws in
        for loan in loans { try transaction.insert(loan: loan) }
        let disbursed = try loans.map { try disbursement(of: $0, on: date) }
        try transaction.activate(states: disbursed.map(\.state))
        try transaction.post(disbursed.map(\.entry))
        return disbursed.map(\.state)
    }
}

/// A balanced entry that concerns no loan.
func adjustment(_ id: String, fen: Int64 = 100, on date: String = "2026-01-20") -> JournalEntry {
    JournalEntry(id: id, date: day(date), kind: .adjustment, postings: [.debit(.suspense, Money(fen: fen)), .credit(.fundingCash, Money(fen: fen))],
                 memo: "test adjustment")
}

func sealed(_ entries: [JournalEntry], after head: ChainHead) throws -> [SealedEntry] {
    var chain = JournalChain(after: head)
    return try entries.map { try chain.seal($0) }
}

func journal(_ store: any ServicingStore) throws -> [SealedEntry] { try LoanBookFixtures.journal(store) }

func loan(_ store: any ServicingStore, _ id: String) throws -> StoredLoan? { try LoanBookFixtures.loan(store, id) }

func payout(_ loanID: String, attempt: Int = 1, status: PayoutStatus = .sent, fen: Int64 = 1_000_000, settledOn: String? = nil) -> Payout {
    Payout(loanID: loanID, attempt: attempt, amount: Money(fen: fen), status: status, sentOn: day("2026-01-15"),
           settledOn: settledOn.map(day), reason: status == .failed ? "account closed" : nil)
}

func repayment(_ paymentID: String, loan: String, fen: Int64 = 50_000, on date: String = "2026-02-15") -> StoredRepayment {
    StoredRepayment(paymentID: paymentID, loanID: loan, paidOn: day(date), amount: Money(fen: fen), requestHash: Array(repeating: 1, count: 32),
                    entrySequence: 9, interest: Money(fen: fen / 5), principal: Money(fen: fen - fen / 5))
}

// MARK: Collections

func action(_ loanID: String, _ kind: CollectionAction = .sms, at: Instant, reason: String = "stage 1", channel: ContactChannel? = nil) -> PlannedAction {
    PlannedAction(loanId: loanID, action: kind, channel: channel ?? (kind.isMilestone ? .internal : kind == .sms ? .sms : .phone), scheduledAt: at,
                  utcOffsetSeconds: 28_800, bucket: "4-15", reason: reason)
}

func outcome(_ loanID: String, _ kind: CollectionAction = .agentCall, at: Instant, result: ContactResult = .contacted,
             optOut: String? = nil) -> StoredOutcome {
    let promise = result == .promiseToPay
    return StoredOutcome(outcome: ContactOutcome(loanId: loanID, action: kind, happenedAt: at, result: result,
                                                 promiseDate: promise ? day("2026-03-01") : nil, promiseAmount: promise ? yuan("500") : nil),
                         optOut: optOut, requestHash: Array(repeating: 5, count: 32))
}

func ladder(_ loanID: String, status: LadderState.Status = .active, stage: Int = 0, maxDaysPastDue: Int = 5) -> StoredLadder {
    StoredLadder(state: LadderState(loanId: loanID, status: status, bucket: "4-15", band: "high", stage: stage, stageEnteredOn: day("2026-02-20"),
                                    enteredOn: day("2026-02-16"),
                                    promise: status == .paused ? PromiseToPay(madeOn: day("2026-02-21"), dueOn: day("2026-02-28"),
                                                                               amount: yuan("300"), paidBefore: .zero) : nil,
                                    pausedThrough: status == .paused ? day("2026-02-28") : nil, totalPaidSeen: yuan("12.34"),
                                    writtenOffOn: status == .writtenOff ? day("2026-08-15") : nil),
                 maxDaysPastDue: maxDaysPastDue)
}

func month(_ iso: String) -> YearMonth { YearMonth(iso: iso)! }

// MARK: Idempotency

/// A completed request with a 32-byte fingerprint made of `seed`.
func completed(_ key: String, seed: UInt8 = 1, status: Int = 201, body: String = #"{"ok":true}"#, at seconds: Int64 = 1_790_000_000) -> CompletedRequest {
    CompletedRequest(key: key, fingerprint: Array(repeating: seed, count: 32), status: status, body: Array(body.utf8),
                     receivedAt: Instant(secondsSinceEpoch: seconds))
}

// MARK: Threads

/// Errors thrown on other threads, for the test to check afterwards.
final class ErrorLog: Sendable {
    private let errors = Mutex<[String]>([])

    func add(_ error: any Error) { errors.withLock { $0.append("\(error)") } }

    var all: [String] { errors.withLock { $0 } }
}
