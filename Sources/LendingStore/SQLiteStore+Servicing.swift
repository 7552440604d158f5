import Foundation
import GRDB
import LendingDecisioning
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// The servicing tables: agreements (append-only), credit lines, loans (what was signed, the
/// status, and once paid out the state record of ``LoanStateCoding``), `loan_daily` (the fields
/// end of day changes every day, one small row per loan), payouts (final once paid or failed;
/// at most one payout per loan that has not failed, by a unique index), repayments and draws
/// (append-only, with the hash of their request), and the journal (SQLiteStore+Ledger.swift).
extension SQLiteStore: ServicingStore {
    public func withServicingTransaction<T>(_ body: (any ServicingTransaction) throws -> T) throws -> T {
        try write("store the servicing changes") { db in try body(SQLiteServicingTransaction(db)) }
    }

    public func readServicing<T>(_ body: (any ServicingTransaction) throws -> T) throws -> T {
        try read("read the loan book") { db in try body(SQLiteServicingTransaction(db)) }
    }
}

/// One transaction's servicing operations, with cached statements for the hot paths.
struct SQLiteServicingTransaction: ServicingTransaction {
    let db: Database

    init(_ db: Database) { self.db = db }

    // MARK: Scans

    func forEachLoan(_ body: (StoredLoan) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: SQLiteServicingTransaction.selectLoans + " ORDER BY l.id")
        while let row = try rows.next() { try body(try SQLiteServicingTransaction.loan(row)) }
    }

    func forEachLoanPayouts(_ body: (String, [Payout]) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM payouts ORDER BY loan_id, attempt")
        var group: [Payout] = []
        while let row = try rows.next() {
            let payout = SQLiteServicingTransaction.payout(row)
            if let first = group.first, first.loanID != payout.loanID {
                try body(first.loanID, group)
                group.removeAll(keepingCapacity: true)
            }
            group.append(payout)
        }
        if let first = group.first { try body(first.loanID, group) }
    }

    // MARK: Agreements

    static let selectApproved = """
        SELECT a.*, d.* FROM applications a
        JOIN decisions d ON d.sequence = (SELECT max(x.sequence) FROM decisions x WHERE x.application_id = a.application_id)
        WHERE d.outcome = 'approve' AND NOT EXISTS (SELECT 1 FROM agreements g WHERE g.application_id = a.application_id)
        """

    func approvedWithoutAgreement(applicationIDs: [String]) throws -> [ApprovedApplication] {
        var found: [String: ApprovedApplication] = [:]
        for chunk in applicationIDs.chunked(by: 500) {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: SQLiteServicingTransaction.selectApproved
                                                              + " AND a.application_id IN (\(placeholders(chunk.count)))"),
                                           arguments: StatementArguments(Array(chunk)))
            while let row = try rows.next() {
                let item = ApprovedApplication(application: SQLiteStore.application(row), decision: SQLiteStore.decision(row))
                found[item.application.applicationID] = item
            }
        }
        var seen = Set<String>()
        return applicationIDs.compactMap { id in seen.insert(id).inserted ? found[id] : nil }
    }

    func approvedWithoutAgreement() throws -> [ApprovedApplication] {
        try Row.fetchAll(db, sql: SQLiteServicingTransaction.selectApproved + " ORDER BY d.sequence").map { row in
            ApprovedApplication(application: SQLiteStore.application(row), decision: SQLiteStore.decision(row))
        }
    }

    func insert(agreement: AgreementRecord, loan: StoredLoan?, line: StoredLine?) throws {
        try db.cachedStatement(sql: """
            INSERT INTO agreements (application_id, product, kind, amount, term_months, apr_ppm, terms, schedule, text_sha256, text_sealed,
                signer, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                agreement.applicationID, agreement.product, agreement.kind.rawValue, agreement.amount.fen, agreement.termMonths,
                agreement.apr.partsPerMillion, agreement.termsJSON, agreement.scheduleJSON, Data(agreement.textHash), Data(agreement.sealedText),
                agreement.signer, agreement.signedAt.secondsSinceEpoch,
            ])
        if let loan { try insert(loan: loan) }
        if let line {
            try db.cachedStatement(sql: """
                INSERT INTO credit_lines (line_id, application_id, product, limit_amount, drawn_principal, apr_ppm, frozen, signed_on)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    line.line.lineID, line.applicationID, line.product, line.line.limit.fen, line.line.drawnPrincipal.fen,
                    line.line.apr.partsPerMillion, line.line.frozen ? 1 : 0, Int64(line.signedOn.daysSinceEpoch),
                ])
        }
    }

    func agreement(applicationID: String) throws -> AgreementRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM agreements WHERE application_id = ?", arguments: [applicationID]).map { row in
            AgreementRecord(applicationID: row["application_id"], product: row["product"],
                            kind: ProductTerms.Kind(rawValue: row["kind"]) ?? .installment, amount: Money(fen: row["amount"]),
                            termMonths: row["term_months"], apr: AnnualRate(partsPerMillion: row["apr_ppm"]), termsJSON: row["terms"],
                            scheduleJSON: row["schedule"], textHash: [UInt8](row["text_sha256"] as Data),
                            sealedText: [UInt8](row["text_sealed"] as Data), signer: row["signer"],
                            signedAt: Instant(secondsSinceEpoch: row["signed_at"]))
        }
    }

    // MARK: Loans and lines

    static let selectLoans = """
        SELECT l.id, l.loan_id, l.application_id, l.line_id, l.product, l.principal, l.term_months, l.apr_ppm, l.signed_on, l.status, l.state,
            d.processed_through, d.days_past_due, d.interest_receivable, d.penalty_receivable, d.memo_interest, d.memo_penalty, d.current_accrued
        FROM loans l LEFT JOIN loan_daily d ON d.id = l.id
        """

    static func loan(_ row: Row) throws -> StoredLoan {
        var state: LoanState?
        if let record = row["state"] as Data? {
            let daily = LoanDailyFields(
                processedThrough: CalendarDay(daysSinceEpoch: Int(row["processed_through"] as Int64? ?? 0)), daysPastDue: row["days_past_due"] ?? 0,
                interestReceivable: Money(fen: row["interest_receivable"] ?? 0), penaltyReceivable: Money(fen: row["penalty_receivable"] ?? 0),
                memoInterest: Money(fen: row["memo_interest"] ?? 0), memoPenalty: Money(fen: row["memo_penalty"] ?? 0),
                currentInterestAccrued: Money(fen: row["current_accrued"] ?? 0))
            state = try record.withUnsafeBytes { try LoanStateCoding.join(record: $0, daily: daily) }
        }
        return StoredLoan(loanID: row["loan_id"], applicationID: row["application_id"], lineID: row["line_id"], product: row["product"],
                          principal: Money(fen: row["principal"]), termMonths: row["term_months"], apr: AnnualRate(partsPerMillion: row["apr_ppm"]),
                          signedOn: CalendarDay(daysSinceEpoch: Int(row["signed_on"] as Int64)),
                          status: StoredLoan.Status(rawValue: row["status"]) ?? .signed, state: state)
    }

    func loans(_ loanIDs: [String]) throws -> [String: StoredLoan] {
        var found: [String: StoredLoan] = [:]
        for chunk in loanIDs.chunked(by: 500) {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: SQLiteServicingTransaction.selectLoans + " WHERE l.loan_id IN (\(placeholders(chunk.count)))"),
                                           arguments: StatementArguments(Array(chunk)))
            while let row = try rows.next() {
                let loan = try SQLiteServicingTransaction.loan(row)
                found[loan.loanID] = loan
            }
        }
        return found
    }

    func insert(loan: StoredLoan) throws {
        precondition(loan.status == .signed && loan.state == nil, "a new loan is signed and has no state until it is paid out")
        try db.cachedStatement(sql: """
            INSERT INTO loans (loan_id, application_id, line_id, product, principal, term_months, apr_ppm, signed_on, status, state)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'signed', NULL)
            """).execute(arguments: [
                loan.loanID, loan.applicationID, loan.lineID, loan.product, loan.principal.fen, loan.termMonths, loan.apr.partsPerMillion,
                Int64(loan.signedOn.daysSinceEpoch),
            ])
    }

    func activate(states: [LoanState]) throws {
        let update = try db.cachedStatement(sql: "UPDATE loans SET status = ?, state = ? WHERE loan_id = ? AND status = 'signed' RETURNING id")
        var record: [UInt8] = []
        for state in states {
            let daily = LoanStateCoding.split(state, record: &record)
            guard let id = try Int64.fetchOne(update, arguments: [StoredLoan.Status(state.status).rawValue, Data(record), state.loanID]) else {
                throw StoreError(code: "store.loan_state", message: "loan \(state.loanID) is not waiting for its payout; run lending ledger verify", file: nil)
            }
            try saveDaily([(id, daily)])
        }
    }

    func save(states: [LoanState]) throws {
        let update = try db.cachedStatement(sql: "UPDATE loans SET status = ?, state = ? WHERE loan_id = ? AND status <> 'signed' RETURNING id")
        var record: [UInt8] = []
        for state in states {
            let daily = LoanStateCoding.split(state, record: &record)
            guard let id = try Int64.fetchOne(update, arguments: [StoredLoan.Status(state.status).rawValue, Data(record), state.loanID]) else {
                throw StoreError(code: "store.loan_state", message: "loan \(state.loanID) has not been paid out; its state cannot be saved", file: nil)
            }
            try saveDaily([(id, daily)])
        }
    }

    /// Writes daily rows, many per statement.
    func saveDaily(_ rows: [(id: Int64, daily: LoanDailyFields)]) throws {
        let perStatement = 250
        var values: [DatabaseValue] = []
        values.reserveCapacity(perStatement * 8)
        var start = 0
        while start < rows.count {
            let end = min(start + perStatement, rows.count)
            values.removeAll(keepingCapacity: true)
            for (id, daily) in rows[start..<end] {
                values.append(id.databaseValue)
                values.append(Int64(daily.processedThrough.daysSinceEpoch).databaseValue)
                values.append(Int64(daily.daysPastDue).databaseValue)
                values.append(daily.interestReceivable.fen.databaseValue)
                values.append(daily.penaltyReceivable.fen.databaseValue)
                values.append(daily.memoInterest.fen.databaseValue)
                values.append(daily.memoPenalty.fen.databaseValue)
                values.append(daily.currentInterestAccrued.fen.databaseValue)
            }
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO loan_daily (id, processed_through, days_past_due, interest_receivable, penalty_receivable, memo_interest,
                    memo_penalty, current_accrued) VALUES
                """ + rowPlaceholders(8, end - start)).execute(arguments: StatementArguments(values))
            start = end
        }
    }

    static func line(_ row: Row) -> StoredLine {
        StoredLine(line: CreditLine(lineID: row["line_id"], limit: Money(fen: row["limit_amount"]), apr: AnnualRate(partsPerMillion: row["apr_ppm"]),
                                    drawnPrincipal: Money(fen: row["drawn_principal"]), frozen: (row["frozen"] as Int64) != 0),
                   applicationID: row["application_id"], product: row["product"], signedOn: CalendarDay(daysSinceEpoch: Int(row["signed_on"] as Int64)))
    }

    func line(_ lineID: String) throws -> StoredLine? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM credit_lines WHERE line_id = ?"), arguments: [lineID]).map(SQLiteServicingTransaction.line)
    }

    func save(line: CreditLine) throws {
        try db.cachedStatement(sql: "UPDATE credit_lines SET limit_amount = ?, drawn_principal = ?, frozen = ? WHERE line_id = ?")
            .execute(arguments: [line.limit.fen, line.drawnPrincipal.fen, line.frozen ? 1 : 0, line.lineID])
        guard db.changesCount == 1 else {
            throw StoreError(code: "store.line", message: "line \(line.lineID) is not stored", file: nil)
        }
    }

    func loans(ofLine lineID: String) throws -> [StoredLoan] {
        try Row.fetchAll(db, sql: SQLiteServicingTransaction.selectLoans + " WHERE l.line_id = ? ORDER BY l.id", arguments: [lineID])
            .map(SQLiteServicingTransaction.loan)
    }

    // MARK: Payouts

    func loansAwaitingPayout(after position: StorePosition, through day: CalendarDay, limit: Int) throws -> [(position: StorePosition, loan: StoredLoan)] {
        try Row.fetchAll(db.cachedStatement(sql: SQLiteServicingTransaction.selectLoans + " WHERE l.status = 'signed' AND l.id > ? AND l.signed_on <= ? ORDER BY l.id LIMIT ?"),
                         arguments: [position.rawValue, Int64(day.daysSinceEpoch), limit])
            .map { row in (StorePosition(rawValue: row["id"]), try SQLiteServicingTransaction.loan(row)) }
    }

    static func payout(_ row: Row) -> Payout {
        Payout(loanID: row["loan_id"], attempt: row["attempt"], amount: Money(fen: row["amount"]),
               status: PayoutStatus(rawValue: row["status"]) ?? .unknown, sentOn: CalendarDay(daysSinceEpoch: Int(row["sent_on"] as Int64)),
               settledOn: (row["settled_on"] as Int64?).map { CalendarDay(daysSinceEpoch: Int($0)) }, reason: row["reason"])
    }

    func payouts(loanIDs: [String]) throws -> [String: [Payout]] {
        var found: [String: [Payout]] = [:]
        for chunk in loanIDs.chunked(by: 500) {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT * FROM payouts WHERE loan_id IN (\(placeholders(chunk.count))) ORDER BY loan_id, attempt"),
                                           arguments: StatementArguments(Array(chunk)))
            while let row = try rows.next() {
                let payout = SQLiteServicingTransaction.payout(row)
                found[payout.loanID, default: []].append(payout)
            }
        }
        return found
    }

    func payoutsInFlight(after key: String, limit: Int) throws -> [Payout] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM payouts WHERE status IN ('sent', 'unknown') AND key > ? ORDER BY key LIMIT ?"),
                         arguments: [key, limit]).map(SQLiteServicingTransaction.payout)
    }

    func insert(payouts: [Payout]) throws {
        for chunk in payouts.chunked(by: 250) {
            var values: [DatabaseValue] = []
            values.reserveCapacity(chunk.count * 8)
            for payout in chunk {
                values += [payout.key.databaseValue, payout.loanID.databaseValue, Int64(payout.attempt).databaseValue, payout.amount.fen.databaseValue,
                           payout.status.rawValue.databaseValue, Int64(payout.sentOn.daysSinceEpoch).databaseValue,
                           payout.settledOn.map { Int64($0.daysSinceEpoch).databaseValue } ?? .null, payout.reason?.databaseValue ?? .null]
            }
            try db.cachedStatement(sql: "INSERT INTO payouts (key, loan_id, attempt, amount, status, sent_on, settled_on, reason) VALUES "
                                   + rowPlaceholders(8, chunk.count)).execute(arguments: StatementArguments(values))
        }
    }

    func update(payouts: [Payout]) throws {
        let statement = try db.cachedStatement(sql: "UPDATE payouts SET status = ?, settled_on = ?, reason = ? WHERE key = ? AND status <> ?")
        for payout in payouts {
            try statement.execute(arguments: [payout.status.rawValue, payout.settledOn.map { Int64($0.daysSinceEpoch) }, payout.reason, payout.key,
                                              payout.status.rawValue])
        }
    }

    func sealedPersonalData(applicationIDs: [String]) throws -> [String: [UInt8]] {
        var found: [String: [UInt8]] = [:]
        for chunk in applicationIDs.chunked(by: 500) {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT application_id, personal_data FROM applications WHERE application_id IN (\(placeholders(chunk.count)))"),
                                           arguments: StatementArguments(Array(chunk)))
            while let row = try rows.next() { found[row[0]] = [UInt8](row[1] as Data) }
        }
        return found
    }

    // MARK: Repayments and draws

    func repayment(paymentID: String) throws -> StoredRepayment? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM repayments WHERE payment_id = ?"), arguments: [paymentID])
            .map(SQLiteServicingTransaction.repayment(from:))
    }

    func repayments(loanID: String) throws -> [StoredRepayment] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM repayments WHERE loan_id = ? ORDER BY entry_sequence, payment_id"), arguments: [loanID])
            .map(SQLiteServicingTransaction.repayment(from:))
    }

    private static func repayment(from row: Row) -> StoredRepayment {
        StoredRepayment(paymentID: row["payment_id"], loanID: row["loan_id"], paidOn: CalendarDay(daysSinceEpoch: Int(row["paid_on"] as Int64)),
                        amount: Money(fen: row["amount"]), requestHash: [UInt8](row["request_hash"] as Data), entrySequence: row["entry_sequence"],
                        penalty: Money(fen: row["penalty"]), interest: Money(fen: row["interest"]), principal: Money(fen: row["principal"]),
                        overpayment: Money(fen: row["overpayment"]), recovery: Money(fen: row["recovery"]))
    }

    func insert(repayment: StoredRepayment) throws {
        try db.cachedStatement(sql: """
            INSERT INTO repayments (payment_id, loan_id, paid_on, amount, request_hash, entry_sequence, penalty, interest, principal, overpayment,
                recovery) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                repayment.paymentID, repayment.loanID, Int64(repayment.paidOn.daysSinceEpoch), repayment.amount.fen, Data(repayment.requestHash),
                repayment.entrySequence, repayment.penalty.fen, repayment.interest.fen, repayment.principal.fen, repayment.overpayment.fen,
                repayment.recovery.fen,
            ])
    }

    func draw(drawID: String) throws -> StoredDraw? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM draws WHERE draw_id = ?"), arguments: [drawID]).map { row in
            StoredDraw(drawID: row["draw_id"], lineID: row["line_id"], amount: Money(fen: row["amount"]), termMonths: row["term_months"],
                       requestedOn: CalendarDay(daysSinceEpoch: Int(row["requested_on"] as Int64)), requestHash: [UInt8](row["request_hash"] as Data))
        }
    }

    func insert(draw: StoredDraw) throws {
        try db.cachedStatement(sql: "INSERT INTO draws (draw_id, line_id, amount, term_months, requested_on, request_hash) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [draw.drawID, draw.lineID, draw.amount.fen, draw.termMonths, Int64(draw.requestedOn.daysSinceEpoch), Data(draw.requestHash)])
    }

    // MARK: End of day

    static let selectActive = """
        SELECT l.id, l.product, l.state, d.processed_through, d.days_past_due, d.interest_receivable, d.penalty_receivable, d.memo_interest,
            d.memo_penalty, d.current_accrued
        FROM loans l JOIN loan_daily d ON d.id = l.id
        """

    func activeLoans(after position: StorePosition, notProcessedThrough day: CalendarDay, limit: Int, partition: LoanPartition,
                     into rows: inout DailyLoanRows) throws {
        let cursor = partition.count == 1
            ? try Row.fetchCursor(db.cachedStatement(sql: Self.selectActive + """
                 WHERE l.status = 'active' AND l.id > ? AND d.processed_through < ? ORDER BY l.id LIMIT ?
                """), arguments: [position.rawValue, Int64(day.daysSinceEpoch), limit])
            : try Row.fetchCursor(db.cachedStatement(sql: Self.selectActive + """
                 WHERE l.status = 'active' AND l.id > ? AND d.processed_through < ? AND l.id % ? = ? ORDER BY l.id LIMIT ?
                """), arguments: [position.rawValue, Int64(day.daysSinceEpoch), partition.count, partition.index, limit])
        try Self.append(cursor, to: &rows)
    }

    func activeLoans(at positions: [StorePosition], notProcessedThrough day: CalendarDay, into rows: inout DailyLoanRows) throws {
        for chunk in positions.sorted().chunked(by: 500) {
            let cursor = try Row.fetchCursor(db.cachedStatement(sql: Self.selectActive + """
                 WHERE l.id IN (\(placeholders(chunk.count))) AND l.status = 'active' AND d.processed_through < ? ORDER BY l.id
                """), arguments: StatementArguments(chunk.map(\.rawValue) + [Int64(day.daysSinceEpoch)]))
            try Self.append(cursor, to: &rows)
        }
    }

    private static func append(_ cursor: RowCursor, to rows: inout DailyLoanRows) throws {
        while let row = try cursor.next() {
            rows.positions.append(StorePosition(rawValue: row[0]))
            rows.products.append(row[1])
            rows.records.append(try row.withUnsafeData(atIndex: 2) { data in data.map { [UInt8]($0) } ?? [] })
            rows.daily.append(LoanDailyFields(
                processedThrough: CalendarDay(daysSinceEpoch: Int(row[3] as Int64)), daysPastDue: row[4], interestReceivable: Money(fen: row[5]),
                penaltyReceivable: Money(fen: row[6]), memoInterest: Money(fen: row[7]), memoPenalty: Money(fen: row[8]),
                currentInterestAccrued: Money(fen: row[9])))
        }
    }

    func saveEndOfDay(_ updates: DailyLoanUpdates, entries: [SealedEntry]) throws {
        try saveDaily(zip(updates.positions, updates.daily).map { (id: $0.rawValue, daily: $1) })
        let record = try db.cachedStatement(sql: "UPDATE loans SET state = ? WHERE id = ?")
        let status = try db.cachedStatement(sql: "UPDATE loans SET status = ? WHERE id = ?")
        for (index, position) in updates.positions.enumerated() {
            let id = position.rawValue
            if let bytes = updates.records[index] { try record.execute(arguments: [Data(bytes), id]) }
            if let changed = updates.statuses[index] { try status.execute(arguments: [changed.rawValue, id]) }
        }
        for (lineID, amount) in updates.lineRestores.sorted(by: { $0.key < $1.key }) {
            try db.cachedStatement(sql: "UPDATE credit_lines SET drawn_principal = max(0, drawn_principal - ?) WHERE line_id = ?")
                .execute(arguments: [amount.fen, lineID])
        }
        try append(entries)
    }
}
