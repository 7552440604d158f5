import Foundation
import LendingDecisioning
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts
import NIOCore
import PostgresNIO

/// The servicing tables on PostgreSQL (migration 002): as on SQLite, with `loans.id` (an identity
/// column) as the store's position. Write transactions hold ``PostgresStore/Lock/servicing``.
extension PostgresStore: ServicingStore {
    public func withServicingTransaction<T>(_ body: (any ServicingTransaction) throws -> T) throws -> T {
        try transaction("store the servicing changes", write: true, lock: .servicing) { session in
            try PostgresServicingTransaction.writing(session, body)
        }
    }

    public func readServicing<T>(_ body: (any ServicingTransaction) throws -> T) throws -> T {
        try transaction("read the loan book", write: false, lock: nil) { try body(PostgresServicingTransaction($0, writable: false)) }
    }
}

/// One transaction's servicing (and post-loan) operations.
struct PostgresServicingTransaction: ServicingTransaction {
    let session: PostgresSession
    /// The journal's head and the entries appended but not yet written (see ``JournalBuffer``).
    let journal: JournalBuffer
    let writable: Bool

    init(_ session: PostgresSession, writable: Bool = true) {
        self.session = session
        self.writable = writable
        journal = JournalBuffer()
    }

    /// Runs `body` in a write transaction's operations, then writes what the journal buffer holds
    /// (before the caller commits).
    static func writing<T>(_ session: PostgresSession, _ body: (PostgresServicingTransaction) throws -> T) throws -> T {
        let transaction = PostgresServicingTransaction(session)
        let result = try body(transaction)
        try transaction.flushJournal()
        return result
    }

    // MARK: Scans

    func forEachLoan(_ body: (StoredLoan) throws -> Void) throws {
        var after = Int64.min
        while true {
            let rows = try session.query(Self.selectLoans + " WHERE l.id > $1 ORDER BY l.id LIMIT 10000", [after])
            guard let last = rows.last else { return }
            after = try last.int(0)
            for row in rows { try body(try Self.loan(row)) }
        }
    }

    func forEachLoanPayouts(_ body: (String, [Payout]) throws -> Void) throws {
        var afterLoan = ""
        while true {
            // Whole loans per page: every payout of the loans after `afterLoan`, up to 10,000 loans.
            let rows = try session.query("""
                SELECT \(Self.payoutColumns) FROM payouts WHERE loan_id IN (
                    SELECT DISTINCT loan_id FROM payouts WHERE loan_id > $1 ORDER BY loan_id LIMIT 10000)
                ORDER BY loan_id, attempt
                """, [afterLoan])
            guard !rows.isEmpty else { return }
            var group: [Payout] = []
            for row in rows {
                let payout = try Self.payout(row)
                if let first = group.first, first.loanID != payout.loanID {
                    try body(first.loanID, group)
                    group.removeAll(keepingCapacity: true)
                }
                group.append(payout)
            }
            if let first = group.first {
                try body(first.loanID, group)
                afterLoan = first.loanID
            }
        }
    }

    // MARK: Agreements

    static let selectApproved = """
        SELECT \(PostgresDecisionTransaction.applicationColumns), \(PostgresDecisionTransaction.decisionColumns(of: "d")) FROM applications a
        JOIN decisions f ON f.sequence = a.decision_sequence
        JOIN decisions d ON d.sequence = (SELECT max(x.sequence) FROM decisions x WHERE x.application_id = a.application_id)
        WHERE d.outcome = 'approve' AND NOT EXISTS (SELECT 1 FROM agreements g WHERE g.application_id = a.application_id)
        """

    static func approved(_ row: StoredRow) throws -> ApprovedApplication {
        ApprovedApplication(application: try PostgresDecisionTransaction.application(row),
                            decision: try PostgresDecisionTransaction.decision(row, at: PostgresDecisionTransaction.applicationColumnCount))
    }

    func approvedWithoutAgreement(applicationIDs: [String]) throws -> [ApprovedApplication] {
        var found: [String: ApprovedApplication] = [:]
        for chunk in applicationIDs.chunked(by: 10_000) {
            for row in try session.query(Self.selectApproved + " AND a.application_id = ANY($1)", [List(Array(chunk))]) {
                let item = try Self.approved(row)
                found[item.application.applicationID] = item
            }
        }
        var seen = Set<String>()
        return applicationIDs.compactMap { id in seen.insert(id).inserted ? found[id] : nil }
    }

    func approvedWithoutAgreement() throws -> [ApprovedApplication] {
        try session.query(Self.selectApproved + " ORDER BY d.sequence").map(Self.approved)
    }

    func insert(agreement: AgreementRecord, loan: StoredLoan?, line: StoredLine?) throws {
        try session.send("""
            INSERT INTO agreements (application_id, product, kind, amount, term_months, apr_ppm, terms, schedule, text_sha256, text_sealed,
                signer, signed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """, [agreement.applicationID, agreement.product, agreement.kind.rawValue, agreement.amount.fen, agreement.termMonths,
                  agreement.apr.partsPerMillion, agreement.termsJSON, agreement.scheduleJSON, Bytes(agreement.textHash),
                  Bytes(agreement.sealedText), agreement.signer, agreement.signedAt.secondsSinceEpoch])
        if let loan { try insert(loan: loan) }
        if let line {
            try session.send("""
                INSERT INTO credit_lines (line_id, application_id, product, limit_amount, drawn_principal, apr_ppm, frozen, signed_on)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, [line.line.lineID, line.applicationID, line.product, line.line.limit.fen, line.line.drawnPrincipal.fen,
                      line.line.apr.partsPerMillion, line.line.frozen, Int64(line.signedOn.daysSinceEpoch)])
        }
    }

    func agreement(applicationID: String) throws -> AgreementRecord? {
        try session.query("""
            SELECT application_id, product, kind, amount, term_months, apr_ppm, terms, schedule, text_sha256, text_sealed, signer, signed_at
            FROM agreements WHERE application_id = $1
            """, [applicationID]).first.map { row in
            AgreementRecord(applicationID: try row.text(0), product: try row.text(1), kind: ProductTerms.Kind(rawValue: try row.text(2)) ?? .installment,
                            amount: try row.money(3), termMonths: try row.integer(4), apr: AnnualRate(partsPerMillion: try row.int(5)),
                            termsJSON: try row.text(6), scheduleJSON: try row.text(7), textHash: try row.bytes(8), sealedText: try row.bytes(9),
                            signer: try row.text(10), signedAt: try row.instant(11))
        }
    }

    // MARK: Loans and lines

    static let selectLoans = """
        SELECT l.id, l.loan_id, l.application_id, l.line_id, l.product, l.principal, l.term_months, l.apr_ppm, l.signed_on, l.status, l.state,
            d.processed_through, d.days_past_due, d.interest_receivable, d.penalty_receivable, d.memo_interest, d.memo_penalty, d.current_accrued
        FROM loans l LEFT JOIN loan_daily d ON d.id = l.id
        """

    static func loan(_ row: StoredRow) throws -> StoredLoan {
        var state: LoanState?
        if let record = try row.optionalBytes(10) {
            let daily = LoanDailyFields(
                processedThrough: CalendarDay(daysSinceEpoch: Int(try row.optionalInt(11) ?? 0)), daysPastDue: Int(try row.optionalInt(12) ?? 0),
                interestReceivable: Money(fen: try row.optionalInt(13) ?? 0), penaltyReceivable: Money(fen: try row.optionalInt(14) ?? 0),
                memoInterest: Money(fen: try row.optionalInt(15) ?? 0), memoPenalty: Money(fen: try row.optionalInt(16) ?? 0),
                currentInterestAccrued: Money(fen: try row.optionalInt(17) ?? 0))
            state = try LoanStateCoding.join(record: record, daily: daily)
        }
        return StoredLoan(loanID: try row.text(1), applicationID: try row.text(2), lineID: try row.optionalText(3), product: try row.text(4),
                          principal: try row.money(5), termMonths: try row.integer(6), apr: AnnualRate(partsPerMillion: try row.int(7)),
                          signedOn: try row.day(8), status: StoredLoan.Status(rawValue: try row.text(9)) ?? .signed, state: state)
    }

    func loans(_ loanIDs: [String]) throws -> [String: StoredLoan] {
        var found: [String: StoredLoan] = [:]
        for chunk in loanIDs.chunked(by: 10_000) {
            for row in try session.query(Self.selectLoans + " WHERE l.loan_id = ANY($1)", [List(Array(chunk))]) {
                let loan = try Self.loan(row)
                found[loan.loanID] = loan
            }
        }
        return found
    }

    func insert(loan: StoredLoan) throws {
        precondition(loan.status == .signed && loan.state == nil, "a new loan is signed and has no state until it is paid out")
        try session.send("""
            INSERT INTO loans (loan_id, application_id, line_id, product, principal, term_months, apr_ppm, signed_on, status, state)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'signed', NULL)
            """, [loan.loanID, loan.applicationID, loan.lineID, loan.product, loan.principal.fen, loan.termMonths, loan.apr.partsPerMillion,
                  Int64(loan.signedOn.daysSinceEpoch)])
    }

    func activate(states: [LoanState]) throws {
        try saveStates(states, fromSigned: true)
    }

    func save(states: [LoanState]) throws {
        try saveStates(states, fromSigned: false)
    }

    /// Writes loans' records and statuses with their daily rows in one call of the schema's
    /// `lending_save_states`, sent without waiting: signed loans (`fromSigned`, a payout) or loans
    /// paid out; any other refuses the transaction (at the next statement that waits, or the commit).
    private func saveStates(_ states: [LoanState], fromSigned: Bool) throws {
        guard !states.isEmpty else { return }
        let unique = states.lastOfEachKey(\.loanID)
        for chunk in unique.chunked(by: 10_000) {
            var record: [UInt8] = []
            var records: [ByteBuffer] = []
            var daily: [LoanDailyFields] = []
            for state in chunk {
                daily.append(LoanStateCoding.split(state, record: &record))
                records.append(ByteBuffer(bytes: record))
            }
            var binds = PostgresBindings(capacity: 11)
            binds.append(chunk.map(\.loanID))
            binds.append(chunk.map { StoredLoan.Status($0.status).rawValue })
            binds.append(records)
            binds.append(daily.map { Int64($0.processedThrough.daysSinceEpoch) })
            binds.append(daily.map { Int64($0.daysPastDue) })
            binds.append(daily.map(\.interestReceivable.fen))
            binds.append(daily.map(\.penaltyReceivable.fen))
            binds.append(daily.map(\.memoInterest.fen))
            binds.append(daily.map(\.memoPenalty.fen))
            binds.append(daily.map(\.currentInterestAccrued.fen))
            binds.append(fromSigned)
            try session.send("""
                SELECT lending_save_states($1::text[], $2::text[], $3::bytea[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[],
                    $8::bigint[], $9::bigint[], $10::bigint[], $11::boolean)
                """, binds: binds)
        }
    }

    /// Updates daily rows (end of day), refusing an id with no row.
    func saveDaily(_ rows: [(id: Int64, daily: LoanDailyFields)]) throws {
        for chunk in rows.chunked(by: 20_000) {
            var binds = PostgresBindings(capacity: 8)
            binds.append(chunk.map(\.id))
            binds.append(chunk.map { Int64($0.daily.processedThrough.daysSinceEpoch) })
            binds.append(chunk.map { Int64($0.daily.daysPastDue) })
            binds.append(chunk.map(\.daily.interestReceivable.fen))
            binds.append(chunk.map(\.daily.penaltyReceivable.fen))
            binds.append(chunk.map(\.daily.memoInterest.fen))
            binds.append(chunk.map(\.daily.memoPenalty.fen))
            binds.append(chunk.map(\.daily.currentInterestAccrued.fen))
            let changed = try session.execute("""
                UPDATE loan_daily d SET processed_through = v.processed_through, days_past_due = v.days_past_due,
                    interest_receivable = v.interest_receivable, penalty_receivable = v.penalty_receivable, memo_interest = v.memo_interest,
                    memo_penalty = v.memo_penalty, current_accrued = v.current_accrued
                FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
                    AS v(id, processed_through, days_past_due, interest_receivable, penalty_receivable, memo_interest, memo_penalty, current_accrued)
                WHERE d.id = v.id
                """, binds: binds)
            guard changed == Set(chunk.map(\.id)).count else {
                throw PostgresStoreError(code: "store.loan_state",
                                         message: "end of day wrote \(chunk.count) loans but only \(changed) are stored as paid out; nothing is written",
                                         location: nil)
            }
        }
    }

    static func line(_ row: StoredRow) throws -> StoredLine {
        StoredLine(line: CreditLine(lineID: try row.text(0), limit: try row.money(1), apr: AnnualRate(partsPerMillion: try row.int(2)),
                                    drawnPrincipal: try row.money(3), frozen: try row.bool(4)),
                   applicationID: try row.text(5), product: try row.text(6), signedOn: try row.day(7))
    }

    static let lineColumns = "line_id, limit_amount, apr_ppm, drawn_principal, frozen, application_id, product, signed_on"

    func line(_ lineID: String) throws -> StoredLine? {
        try session.query("SELECT \(Self.lineColumns) FROM credit_lines WHERE line_id = $1", [lineID]).first.map(Self.line)
    }

    func save(line: CreditLine) throws {
        let changed = try session.execute("UPDATE credit_lines SET limit_amount = $1, drawn_principal = $2, frozen = $3 WHERE line_id = $4",
                                          [line.limit.fen, line.drawnPrincipal.fen, line.frozen, line.lineID])
        guard changed == 1 else {
            throw PostgresStoreError(code: "store.line", message: "line \(line.lineID) is not stored", location: nil)
        }
    }

    func loans(ofLine lineID: String) throws -> [StoredLoan] {
        try session.query(Self.selectLoans + " WHERE l.line_id = $1 ORDER BY l.id", [lineID]).map(Self.loan)
    }

    // MARK: Payouts

    func loansAwaitingPayout(after position: StorePosition, through day: CalendarDay, limit: Int) throws -> [(position: StorePosition, loan: StoredLoan)] {
        try session.query(Self.selectLoans + " WHERE l.status = 'signed' AND l.id > $1 AND l.signed_on <= $2 ORDER BY l.id LIMIT $3",
                          [position.rawValue, Int64(day.daysSinceEpoch), Int64(limit)])
            .map { row in (StorePosition(rawValue: try row.int(0)), try Self.loan(row)) }
    }

    static let payoutColumns = "loan_id, attempt, amount, status, sent_on, settled_on, reason"

    static func payout(_ row: StoredRow) throws -> Payout {
        Payout(loanID: try row.text(0), attempt: try row.integer(1), amount: try row.money(2),
               status: PayoutStatus(rawValue: try row.text(3)) ?? .unknown, sentOn: try row.day(4), settledOn: try row.optionalDay(5),
               reason: try row.optionalText(6))
    }

    func payouts(loanIDs: [String]) throws -> [String: [Payout]] {
        var found: [String: [Payout]] = [:]
        for chunk in loanIDs.chunked(by: 10_000) {
            for row in try session.query("SELECT \(Self.payoutColumns) FROM payouts WHERE loan_id = ANY($1) ORDER BY loan_id, attempt", [List(Array(chunk))]) {
                let payout = try Self.payout(row)
                found[payout.loanID, default: []].append(payout)
            }
        }
        return found
    }

    func payoutsInFlight(after key: String, limit: Int) throws -> [Payout] {
        try session.query("SELECT \(Self.payoutColumns) FROM payouts WHERE status IN ('sent', 'unknown') AND key > $1 ORDER BY key LIMIT $2",
                          [key, Int64(limit)]).map(Self.payout)
    }

    func insert(payouts: [Payout]) throws {
        for chunk in payouts.chunked(by: 10_000) {
            var binds = PostgresBindings(capacity: 10)
            binds.append(chunk.map(\.key))
            binds.append(chunk.map(\.loanID))
            binds.append(chunk.map { Int64($0.attempt) })
            binds.append(chunk.map(\.amount.fen))
            binds.append(chunk.map(\.status.rawValue))
            binds.append(chunk.map { Int64($0.sentOn.daysSinceEpoch) })
            binds.append(chunk.map { Int64($0.settledOn?.daysSinceEpoch ?? 0) })
            binds.append(chunk.map { $0.settledOn != nil })
            binds.append(chunk.map { $0.reason ?? "" })
            binds.append(chunk.map { $0.reason != nil })
            try session.send("""
                INSERT INTO payouts (key, loan_id, attempt, amount, status, sent_on, settled_on, reason)
                SELECT key, loan_id, attempt, amount, status, sent_on, CASE WHEN settled THEN settled_on END, CASE WHEN has_reason THEN reason END
                FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], $7::bigint[], $8::boolean[], $9::text[],
                    $10::boolean[]) AS t(key, loan_id, attempt, amount, status, sent_on, settled_on, settled, reason, has_reason)
                """, binds: binds)
        }
    }

    func update(payouts: [Payout]) throws {
        let unique = payouts.lastOfEachKey(\.key)
        for chunk in unique.chunked(by: 10_000) {
            var binds = PostgresBindings(capacity: 6)
            binds.append(chunk.map(\.key))
            binds.append(chunk.map(\.status.rawValue))
            binds.append(chunk.map { Int64($0.settledOn?.daysSinceEpoch ?? 0) })
            binds.append(chunk.map { $0.settledOn != nil })
            binds.append(chunk.map { $0.reason ?? "" })
            binds.append(chunk.map { $0.reason != nil })
            try session.send("""
                UPDATE payouts p SET status = v.status, settled_on = CASE WHEN v.settled THEN v.settled_on END,
                    reason = CASE WHEN v.has_reason THEN v.reason END
                FROM unnest($1::text[], $2::text[], $3::bigint[], $4::boolean[], $5::text[], $6::boolean[])
                    AS v(key, status, settled_on, settled, reason, has_reason)
                WHERE p.key = v.key AND p.status <> v.status
                """, binds: binds)
        }
    }

    func sealedPersonalData(applicationIDs: [String]) throws -> [String: [UInt8]] {
        var found: [String: [UInt8]] = [:]
        for chunk in applicationIDs.chunked(by: 10_000) {
            for row in try session.query("SELECT application_id, personal_data FROM applications WHERE application_id = ANY($1)", [List(Array(chunk))]) {
                found[try row.text(0)] = try row.bytes(1)
            }
        }
        return found
    }

    // MARK: Repayments and draws

    func repayment(paymentID: String) throws -> StoredRepayment? {
        try session.query("""
            SELECT payment_id, loan_id, paid_on, amount, request_hash, entry_sequence, penalty, interest, principal, overpayment, recovery
            FROM repayments WHERE payment_id = $1
            """, [paymentID]).first.map(Self.repayment(from:))
    }

    func repayments(loanID: String) throws -> [StoredRepayment] {
        try session.query("""
            SELECT payment_id, loan_id, paid_on, amount, request_hash, entry_sequence, penalty, interest, principal, overpayment, recovery
            FROM repayments WHERE loan_id = $1 ORDER BY entry_sequence, payment_id COLLATE "C"
            """, [loanID]).map(Self.repayment(from:))
    }

    private static func repayment(from row: StoredRow) throws -> StoredRepayment {
        StoredRepayment(paymentID: try row.text(0), loanID: try row.text(1), paidOn: try row.day(2), amount: try row.money(3),
                        requestHash: try row.bytes(4), entrySequence: try row.int(5), penalty: try row.money(6), interest: try row.money(7),
                        principal: try row.money(8), overpayment: try row.money(9), recovery: try row.money(10))
    }

    func insert(repayment: StoredRepayment) throws {
        try session.send("""
            INSERT INTO repayments (payment_id, loan_id, paid_on, amount, request_hash, entry_sequence, penalty, interest, principal, overpayment,
                recovery) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """, [repayment.paymentID, repayment.loanID, Int64(repayment.paidOn.daysSinceEpoch), repayment.amount.fen, Bytes(repayment.requestHash),
                  repayment.entrySequence, repayment.penalty.fen, repayment.interest.fen, repayment.principal.fen, repayment.overpayment.fen,
                  repayment.recovery.fen])
    }

    func draw(drawID: String) throws -> StoredDraw? {
        try session.query("SELECT draw_id, line_id, amount, term_months, requested_on, request_hash FROM draws WHERE draw_id = $1", [drawID]).first.map { row in
            StoredDraw(drawID: try row.text(0), lineID: try row.text(1), amount: try row.money(2), termMonths: try row.integer(3),
                       requestedOn: try row.day(4), requestHash: try row.bytes(5))
        }
    }

    func insert(draw: StoredDraw) throws {
        try session.send("INSERT INTO draws (draw_id, line_id, amount, term_months, requested_on, request_hash) VALUES ($1, $2, $3, $4, $5, $6)",
                            [draw.drawID, draw.lineID, draw.amount.fen, Int64(draw.termMonths), Int64(draw.requestedOn.daysSinceEpoch),
                             Bytes(draw.requestHash)])
    }

    // MARK: End of day

    static let selectActive = """
        SELECT l.id, l.product, l.state, d.processed_through, d.days_past_due, d.interest_receivable, d.penalty_receivable, d.memo_interest,
            d.memo_penalty, d.current_accrued
        FROM loans l JOIN loan_daily d ON d.id = l.id
        """

    func activeLoans(after position: StorePosition, notProcessedThrough day: CalendarDay, limit: Int, partition: LoanPartition,
                     into rows: inout DailyLoanRows) throws {
        let found = try session.query(Self.selectActive + """
             WHERE l.status = 'active' AND l.id > $1 AND d.processed_through < $2 AND l.id % $3 = $4 ORDER BY l.id LIMIT $5
            """, [position.rawValue, Int64(day.daysSinceEpoch), Int64(partition.count), Int64(partition.index), Int64(limit)])
        try Self.append(found, to: &rows)
    }

    func activeLoans(at positions: [StorePosition], notProcessedThrough day: CalendarDay, into rows: inout DailyLoanRows) throws {
        let found = try session.query(Self.selectActive + " WHERE l.id = ANY($1) AND l.status = 'active' AND d.processed_through < $2 ORDER BY l.id",
                                      [List(positions.map(\.rawValue)), Int64(day.daysSinceEpoch)])
        try Self.append(found, to: &rows)
    }

    private static func append(_ found: [StoredRow], to rows: inout DailyLoanRows) throws {
        for row in found {
            rows.positions.append(StorePosition(rawValue: try row.int(0)))
            rows.products.append(try row.text(1))
            rows.records.append(try row.bytes(2))
            rows.daily.append(LoanDailyFields(
                processedThrough: try row.day(3), daysPastDue: try row.integer(4), interestReceivable: try row.money(5),
                penaltyReceivable: try row.money(6), memoInterest: try row.money(7), memoPenalty: try row.money(8),
                currentInterestAccrued: try row.money(9)))
        }
    }

    func saveEndOfDay(_ updates: DailyLoanUpdates, entries: [SealedEntry]) throws {
        try saveDaily(zip(updates.positions, updates.daily).map { (id: $0.rawValue, daily: $1) })
        var recordIDs: [Int64] = []
        var records: [ByteBuffer] = []
        var statusIDs: [Int64] = []
        var statuses: [String] = []
        for (index, position) in updates.positions.enumerated() {
            if let bytes = updates.records[index] {
                recordIDs.append(position.rawValue)
                records.append(ByteBuffer(bytes: bytes))
            }
            if let changed = updates.statuses[index] {
                statusIDs.append(position.rawValue)
                statuses.append(changed.rawValue)
            }
        }
        if !recordIDs.isEmpty {
            var binds = PostgresBindings(capacity: 2)
            binds.append(recordIDs)
            binds.append(records)
            try session.send("UPDATE loans l SET state = v.state FROM unnest($1::bigint[], $2::bytea[]) AS v(id, state) WHERE l.id = v.id", binds: binds)
        }
        if !statusIDs.isEmpty {
            var binds = PostgresBindings(capacity: 2)
            binds.append(statusIDs)
            binds.append(statuses)
            try session.send("UPDATE loans l SET status = v.status FROM unnest($1::bigint[], $2::text[]) AS v(id, status) WHERE l.id = v.id", binds: binds)
        }
        for (lineID, amount) in updates.lineRestores.sorted(by: { $0.key < $1.key }) {
            try session.send("UPDATE credit_lines SET drawn_principal = greatest(0, drawn_principal - $1) WHERE line_id = $2", [amount.fen, lineID])
        }
        try append(entries)
    }
}
