import Foundation
import GRDB
import LendingCollections
import LendingModel
import LendingServicing
import LendingStorePorts

/// The post-loan tables (migration `v4-collections`): ladder states (one row per loan in
/// collections), the action log (unique by loan, action and time), outcomes (unique by loan,
/// action and time, with the hash of their row) and opt-outs, the post-loan log, early warnings
/// with each line's level and usage history, month-end snapshots for the portfolio report, and
/// one row per day whose post-loan run finished. Days are stored as days since 1970-01-01,
/// instants as seconds, money as fen.
extension SQLiteStore: CollectionsStore {
    static func migrateCollections(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE collection_ladders (
                loan_id TEXT PRIMARY KEY NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'written_off')),
                bucket TEXT NOT NULL,
                band TEXT NOT NULL,
                stage INTEGER NOT NULL CHECK (stage >= 0),
                stage_entered_on INTEGER NOT NULL,
                escalation INTEGER NOT NULL,
                entered_on INTEGER NOT NULL,
                promise_made_on INTEGER, promise_due_on INTEGER, promise_amount INTEGER, promise_paid_before INTEGER,
                paused_through INTEGER,
                broken_promises INTEGER NOT NULL,
                kept_promises INTEGER NOT NULL,
                total_paid_seen INTEGER NOT NULL,
                bureau_reported_on INTEGER, insurance_claimed_on INTEGER, written_off_on INTEGER,
                max_days_past_due INTEGER NOT NULL,
                CHECK ((promise_made_on IS NULL) = (promise_due_on IS NULL))
            ) WITHOUT ROWID;
            CREATE INDEX collection_ladders_open ON collection_ladders (loan_id) WHERE status <> 'written_off';
            CREATE TABLE collection_actions (
                id INTEGER PRIMARY KEY,
                loan_id TEXT NOT NULL,
                action TEXT NOT NULL CHECK (action IN ('reminder', 'sms', 'voice_bot', 'agent_call', 'outsourced_call', 'field_visit', 'legal',
                    'bureau_report', 'insurance_claim', 'write_off')),
                channel TEXT NOT NULL,
                scheduled_at INTEGER NOT NULL,
                utc_offset INTEGER NOT NULL,
                bucket TEXT NOT NULL,
                reason TEXT NOT NULL,
                planned_on INTEGER NOT NULL,
                UNIQUE (loan_id, action, scheduled_at)
            );
            CREATE INDEX collection_actions_by_time ON collection_actions (scheduled_at);
            CREATE INDEX collection_actions_by_day ON collection_actions (planned_on);
            CREATE INDEX collection_actions_milestones ON collection_actions (loan_id)
                WHERE action IN ('bureau_report', 'insurance_claim', 'write_off');
            CREATE TRIGGER collection_actions_are_append_only_update BEFORE UPDATE ON collection_actions
                BEGIN SELECT RAISE(ABORT, 'the action log is append-only'); END;
            CREATE TRIGGER collection_actions_are_append_only_delete BEFORE DELETE ON collection_actions
                BEGIN SELECT RAISE(ABORT, 'the action log is append-only'); END;
            CREATE TABLE collection_cancellations (
                loan_id TEXT NOT NULL,
                action TEXT NOT NULL,
                scheduled_at INTEGER NOT NULL,
                reason TEXT NOT NULL,
                PRIMARY KEY (loan_id, action, scheduled_at)
            ) WITHOUT ROWID;
            CREATE TABLE collection_outcomes (
                id INTEGER PRIMARY KEY,
                loan_id TEXT NOT NULL,
                action TEXT NOT NULL,
                happened_at INTEGER NOT NULL,
                result TEXT NOT NULL CHECK (result IN ('contacted', 'no_answer', 'wrong_number', 'promise_to_pay', 'dispute', 'paid')),
                promise_date INTEGER,
                promise_amount INTEGER,
                opt_out TEXT,
                request_hash BLOB NOT NULL,
                applied_on INTEGER,
                UNIQUE (loan_id, action, happened_at)
            );
            CREATE INDEX collection_outcomes_by_time ON collection_outcomes (happened_at);
            CREATE INDEX collection_outcomes_unapplied ON collection_outcomes (happened_at) WHERE applied_on IS NULL;
            CREATE TABLE collection_opt_outs (
                loan_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                since INTEGER NOT NULL,
                PRIMARY KEY (loan_id, channel)
            ) WITHOUT ROWID;
            CREATE TABLE post_loan_log (
                id INTEGER PRIMARY KEY,
                day INTEGER NOT NULL,
                subject TEXT NOT NULL,
                kind TEXT NOT NULL,
                detail TEXT NOT NULL
            );
            CREATE INDEX post_loan_log_by_subject ON post_loan_log (subject, day);
            CREATE TABLE early_warnings (
                id INTEGER PRIMARY KEY,
                day INTEGER NOT NULL,
                line_id TEXT NOT NULL,
                level TEXT NOT NULL CHECK (level IN ('none', 'watch', 'warning', 'severe')),
                action TEXT NOT NULL CHECK (action IN ('none', 'reduce_limit', 'freeze')),
                new_limit INTEGER,
                reasons TEXT NOT NULL
            );
            CREATE TABLE line_warning_levels (
                line_id TEXT PRIMARY KEY NOT NULL,
                level TEXT NOT NULL,
                day INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE line_usage (
                line_id TEXT NOT NULL,
                day INTEGER NOT NULL,
                drawn INTEGER NOT NULL,
                limit_amount INTEGER NOT NULL,
                PRIMARY KEY (line_id, day)
            ) WITHOUT ROWID;
            CREATE TABLE monthly_snapshots (
                month TEXT NOT NULL,
                loan_id TEXT NOT NULL,
                origination_month TEXT NOT NULL,
                days_past_due INTEGER NOT NULL,
                outstanding_principal INTEGER NOT NULL,
                original_principal INTEGER NOT NULL,
                written_off INTEGER NOT NULL CHECK (written_off IN (0, 1)),
                PRIMARY KEY (month, loan_id)
            ) WITHOUT ROWID;
            CREATE TABLE post_loan_runs (
                day INTEGER PRIMARY KEY,
                loans_in_collections INTEGER NOT NULL,
                actions_planned INTEGER NOT NULL,
                write_offs INTEGER NOT NULL,
                written_off_principal INTEGER NOT NULL,
                line_actions INTEGER NOT NULL,
                snapshots INTEGER NOT NULL
            );
            """)
    }

    /// Migration `v7-contacts`: the indexes that find every loan and draw of one person (the
    /// contact limits are per person, across applications).
    static func migrateContacts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX applications_by_person ON applications (person_key);
            CREATE INDEX loans_by_application ON loans (application_id);
            """)
    }

    public func withCollectionsTransaction<T>(_ body: (any CollectionsTransaction) throws -> T) throws -> T {
        try write("store the post-loan changes") { db in try body(SQLiteServicingTransaction(db)) }
    }

    public func readCollections<T>(_ body: (any CollectionsTransaction) throws -> T) throws -> T {
        try read("read the collections tables") { db in try body(SQLiteServicingTransaction(db)) }
    }
}

extension SQLiteServicingTransaction: CollectionsTransaction {
    // MARK: Runs

    func postLoanRun(on day: CalendarDay) throws -> PostLoanRunRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM post_loan_runs WHERE day = ?"), arguments: [Int64(day.daysSinceEpoch)]).map { row in
            PostLoanRunRecord(day: day, loansInCollections: row["loans_in_collections"], actionsPlanned: row["actions_planned"],
                              writeOffs: row["write_offs"], writtenOffPrincipal: Money(fen: row["written_off_principal"]),
                              lineActions: row["line_actions"], snapshots: row["snapshots"])
        }
    }

    func insert(run: PostLoanRunRecord) throws {
        try db.cachedStatement(sql: """
            INSERT INTO post_loan_runs (day, loans_in_collections, actions_planned, write_offs, written_off_principal, line_actions, snapshots)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [Int64(run.day.daysSinceEpoch), run.loansInCollections, run.actionsPlanned, run.writeOffs,
                                     run.writtenOffPrincipal.fen, run.lineActions, run.snapshots])
    }

    func lastPostLoanRun() throws -> CalendarDay? {
        try Int64.fetchOne(db, sql: "SELECT max(day) FROM post_loan_runs").map { CalendarDay(daysSinceEpoch: Int($0)) }
    }

    // MARK: Loans

    func writtenOffLoans() throws -> [LoanState] {
        try Row.fetchAll(db, sql: SQLiteServicingTransaction.selectLoans + " WHERE l.status = 'written_off' ORDER BY l.id")
            .compactMap { try SQLiteServicingTransaction.loan($0).state }
    }

    func allLines() throws -> [StoredLine] {
        // Columns by position: this runs every end of day over every line.
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT line_id, limit_amount, apr_ppm, drawn_principal, frozen, application_id, product, signed_on FROM credit_lines ORDER BY line_id
            """)).map { row in
            StoredLine(line: CreditLine(lineID: row[0], limit: Money(fen: row[1]), apr: AnnualRate(partsPerMillion: row[2]),
                                        drawnPrincipal: Money(fen: row[3]), frozen: (row[4] as Int64) != 0),
                       applicationID: row[5], product: row[6], signedOn: CalendarDay(daysSinceEpoch: Int(row[7] as Int64)))
        }
    }

    func paidOutTotals() throws -> (loans: Int, principal: Money) {
        let row = try Row.fetchOne(db, sql: "SELECT count(*), coalesce(sum(principal), 0) FROM loans WHERE status <> 'signed'")
        return (row?[0] ?? 0, Money(fen: row?[1] ?? 0))
    }

    // MARK: Ladder

    func openLadders() throws -> [String: StoredLadder] {
        var found: [String: StoredLadder] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM collection_ladders WHERE status <> 'written_off'")
        while let row = try rows.next() {
            let ladder = try Self.ladder(row)
            found[ladder.state.loanId] = ladder
        }
        return found
    }

    static func ladder(_ row: Row) throws -> StoredLadder {
        func day(_ column: String) -> CalendarDay? { (row[column] as Int64?).map { CalendarDay(daysSinceEpoch: Int($0)) } }
        guard let status = LadderState.Status(rawValue: row["status"]) else {
            throw StoreError(code: "store.ladder", message: "a stored ladder state has an unknown status; restore the database from a backup", file: nil)
        }
        var promise: PromiseToPay?
        if let made = day("promise_made_on"), let due = day("promise_due_on") {
            promise = PromiseToPay(madeOn: made, dueOn: due, amount: Money(fen: row["promise_amount"] ?? 0),
                                   paidBefore: Money(fen: row["promise_paid_before"] ?? 0))
        }
        let state = LadderState(
            loanId: row["loan_id"], status: status, bucket: row["bucket"], band: row["band"], stage: row["stage"],
            stageEnteredOn: day("stage_entered_on")!, escalation: row["escalation"], enteredOn: day("entered_on")!, promise: promise,
            pausedThrough: day("paused_through"), brokenPromises: row["broken_promises"], keptPromises: row["kept_promises"],
            totalPaidSeen: Money(fen: row["total_paid_seen"]), bureauReportedOn: day("bureau_reported_on"),
            insuranceClaimedOn: day("insurance_claimed_on"), writtenOffOn: day("written_off_on"))
        return StoredLadder(state: state, maxDaysPastDue: row["max_days_past_due"])
    }

    func save(ladders: [StoredLadder]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO collection_ladders (loan_id, status, bucket, band, stage, stage_entered_on, escalation, entered_on,
                promise_made_on, promise_due_on, promise_amount, promise_paid_before, paused_through, broken_promises, kept_promises,
                total_paid_seen, bureau_reported_on, insurance_claimed_on, written_off_on, max_days_past_due)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for ladder in ladders {
            let state = ladder.state
            var row = try RowInserter(statement)
            row.bind(state.loanId)
            row.bind(state.status.rawValue)
            row.bind(state.bucket)
            row.bind(state.band)
            row.bind(state.stage)
            row.bind(state.stageEnteredOn.daysSinceEpoch)
            row.bind(state.escalation)
            row.bind(state.enteredOn.daysSinceEpoch)
            row.bind(state.promise.map { Int64($0.madeOn.daysSinceEpoch) })
            row.bind(state.promise.map { Int64($0.dueOn.daysSinceEpoch) })
            row.bind(state.promise.map(\.amount.fen))
            row.bind(state.promise.map(\.paidBefore.fen))
            row.bind(state.pausedThrough.map { Int64($0.daysSinceEpoch) })
            row.bind(state.brokenPromises)
            row.bind(state.keptPromises)
            row.bind(state.totalPaidSeen.fen)
            row.bind(state.bureauReportedOn.map { Int64($0.daysSinceEpoch) })
            row.bind(state.insuranceClaimedOn.map { Int64($0.daysSinceEpoch) })
            row.bind(state.writtenOffOn.map { Int64($0.daysSinceEpoch) })
            row.bind(ladder.maxDaysPastDue)
            try row.step()
        }
    }

    func deleteLadders(loanIDs: [String]) throws {
        let statement = try db.cachedStatement(sql: "DELETE FROM collection_ladders WHERE loan_id = ?")
        for id in loanIDs { try statement.execute(arguments: [id]) }
    }

    // MARK: Action log

    @discardableResult
    func insert(actions: [PlannedAction], plannedOn day: CalendarDay) throws -> Int {
        let statement = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO collection_actions (loan_id, action, channel, scheduled_at, utc_offset, bucket, reason, planned_on)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var inserted = 0
        for action in actions {
            var row = try RowInserter(statement)
            row.bind(action.loanId)
            row.bind(action.action.rawValue)
            row.bind(action.channel.rawValue)
            row.bind(action.scheduledAt.secondsSinceEpoch)
            row.bind(action.utcOffsetSeconds)
            row.bind(action.bucket)
            row.bind(action.reason)
            row.bind(day.daysSinceEpoch)
            try row.step()
            inserted += db.changesCount
        }
        return inserted
    }

    static func action(_ row: Row) throws -> PlannedAction {
        guard let action = CollectionAction(rawValue: row["action"]), let channel = ContactChannel(rawValue: row["channel"]) else {
            throw StoreError(code: "store.action", message: "a stored collection action is not one this program knows; restore the database from a backup", file: nil)
        }
        return PlannedAction(loanId: row["loan_id"], action: action, channel: channel, scheduledAt: Instant(secondsSinceEpoch: row["scheduled_at"]),
                             utcOffsetSeconds: row["utc_offset"], bucket: row["bucket"], reason: row["reason"])
    }

    func cancel(_ actions: [(loanID: String, action: CollectionAction, scheduledAt: Instant)], reason: String) throws {
        let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO collection_cancellations (loan_id, action, scheduled_at, reason) VALUES (?, ?, ?, ?)")
        for item in actions {
            try statement.execute(arguments: [item.loanID, item.action.rawValue, item.scheduledAt.secondsSinceEpoch, reason])
        }
    }

    static let executed = """
        NOT EXISTS (SELECT 1 FROM collection_cancellations c WHERE c.loan_id = a.loan_id AND c.action = a.action AND c.scheduled_at = a.scheduled_at)
        """

    func actions(scheduledFrom from: Instant, to: Instant) throws -> [PlannedAction] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT a.* FROM collection_actions a WHERE a.scheduled_at >= ? AND a.scheduled_at < ? AND \(Self.executed) ORDER BY a.scheduled_at, a.id"),
                         arguments: [from.secondsSinceEpoch, to.secondsSinceEpoch]).map(Self.action)
    }

    func actions(plannedOn day: CalendarDay) throws -> [PlannedAction] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM collection_actions WHERE planned_on = ? ORDER BY id"),
                         arguments: [Int64(day.daysSinceEpoch)]).map(Self.action)
    }

    func milestoneActions() throws -> [PlannedAction] {
        try Row.fetchAll(db, sql: "SELECT * FROM collection_actions WHERE action IN ('bureau_report', 'insurance_claim', 'write_off') ORDER BY id")
            .map(Self.action)
    }

    func contactCounts(from: Instant, to: Instant) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT a.loan_id, count(*) FROM collection_actions a
            WHERE a.scheduled_at >= ? AND a.scheduled_at < ? AND a.action NOT IN ('bureau_report', 'insurance_claim', 'write_off') AND \(Self.executed)
            GROUP BY a.loan_id
            """), arguments: [from.secondsSinceEpoch, to.secondsSinceEpoch])
        while let row = try rows.next() { counts[row[0]] = row[1] }
        return counts
    }

    func allActions() throws -> [PlannedAction] {
        try Row.fetchAll(db, sql: "SELECT a.* FROM collection_actions a WHERE \(Self.executed) ORDER BY a.scheduled_at, a.id").map(Self.action)
    }

    func actions(loanIDs: [String], scheduledFrom from: Instant, to: Instant) throws -> [PlannedAction] {
        var found: [PlannedAction] = []
        for chunk in Set(loanIDs).sorted().chunked(by: 500) {
            found += try Row.fetchAll(db.cachedStatement(sql: """
                SELECT a.* FROM collection_actions a WHERE a.loan_id IN (\(placeholders(chunk.count))) AND a.scheduled_at >= ? AND a.scheduled_at < ?
                AND \(Self.executed) ORDER BY a.scheduled_at, a.id
                """), arguments: StatementArguments(Array(chunk)) + [from.secondsSinceEpoch, to.secondsSinceEpoch]).map(Self.action)
        }
        return chunkedInTimeOrder(found, chunks: loanIDs.count) { $0.scheduledAt }
    }

    func cancelledActions(plannedOn day: CalendarDay) throws -> [CancelledAction] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT a.loan_id, a.action, a.scheduled_at, c.reason FROM collection_actions a
            JOIN collection_cancellations c ON c.loan_id = a.loan_id AND c.action = a.action AND c.scheduled_at = a.scheduled_at
            WHERE a.planned_on = ? ORDER BY a.id
            """), arguments: [Int64(day.daysSinceEpoch)]).map { row in
            guard let action = CollectionAction(rawValue: row[1]) else {
                throw StoreError(code: "store.action", message: "a stored collection action is not one this program knows; restore the database from a backup", file: nil)
            }
            return CancelledAction(loanID: row[0], action: action, scheduledAt: Instant(secondsSinceEpoch: row[2]), reason: row[3])
        }
    }

    // MARK: Outcomes

    static func outcome(_ row: Row) throws -> ContactOutcome {
        guard let action = CollectionAction(rawValue: row["action"]), let result = ContactResult(rawValue: row["result"]) else {
            throw StoreError(code: "store.outcome", message: "a stored outcome is not one this program knows; restore the database from a backup", file: nil)
        }
        return ContactOutcome(loanId: row["loan_id"], action: action, happenedAt: Instant(secondsSinceEpoch: row["happened_at"]), result: result,
                              promiseDate: (row["promise_date"] as Int64?).map { CalendarDay(daysSinceEpoch: Int($0)) },
                              promiseAmount: (row["promise_amount"] as Int64?).map { Money(fen: $0) })
    }

    func outcome(loanID: String, action: CollectionAction, happenedAt: Instant) throws -> StoredOutcome? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM collection_outcomes WHERE loan_id = ? AND action = ? AND happened_at = ?"),
                         arguments: [loanID, action.rawValue, happenedAt.secondsSinceEpoch]).map { row in
            StoredOutcome(outcome: try Self.outcome(row), optOut: row["opt_out"], requestHash: [UInt8](row["request_hash"] as Data))
        }
    }

    func insert(outcome stored: StoredOutcome) throws {
        let outcome = stored.outcome
        try db.cachedStatement(sql: """
            INSERT INTO collection_outcomes (loan_id, action, happened_at, result, promise_date, promise_amount, opt_out, request_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [outcome.loanId, outcome.action.rawValue, outcome.happenedAt.secondsSinceEpoch, outcome.result.rawValue,
                                     outcome.promiseDate.map { Int64($0.daysSinceEpoch) }, outcome.promiseAmount?.fen, stored.optOut,
                                     Data(stored.requestHash)])
        if let channel = stored.optOut {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO collection_opt_outs (loan_id, channel, since) VALUES (?, ?, ?)")
                .execute(arguments: [outcome.loanId, channel, outcome.happenedAt.secondsSinceEpoch])
        }
    }

    func unappliedOutcomes(before: Instant) throws -> [ContactOutcome] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM collection_outcomes WHERE applied_on IS NULL AND happened_at < ? ORDER BY happened_at, id"),
                         arguments: [before.secondsSinceEpoch]).map(Self.outcome)
    }

    func markOutcomesApplied(before: Instant, on day: CalendarDay) throws {
        try db.cachedStatement(sql: "UPDATE collection_outcomes SET applied_on = ? WHERE applied_on IS NULL AND happened_at < ?")
            .execute(arguments: [Int64(day.daysSinceEpoch), before.secondsSinceEpoch])
    }

    func outcomes(from: Instant, to: Instant) throws -> [ContactOutcome] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM collection_outcomes WHERE happened_at >= ? AND happened_at < ? ORDER BY happened_at, id"),
                         arguments: [from.secondsSinceEpoch, to.secondsSinceEpoch]).map(Self.outcome)
    }

    func allOutcomes() throws -> [ContactOutcome] {
        try Row.fetchAll(db, sql: "SELECT * FROM collection_outcomes ORDER BY happened_at, id").map(Self.outcome)
    }

    func optOuts() throws -> [String: OptOuts] {
        var found: [String: OptOuts] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT loan_id, channel FROM collection_opt_outs") {
            let loanID: String = row[0], channel: String = row[1]
            var optOuts = found[loanID] ?? OptOuts()
            if channel == "all" { optOuts.all = true } else if let known = ContactChannel(rawValue: channel) { optOuts.channels.insert(known) }
            found[loanID] = optOuts
        }
        return found
    }

    func outcomes(loanIDs: [String], from: Instant, to: Instant) throws -> [ContactOutcome] {
        var found: [ContactOutcome] = []
        for chunk in Set(loanIDs).sorted().chunked(by: 500) {
            found += try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM collection_outcomes WHERE loan_id IN (\(placeholders(chunk.count))) AND happened_at >= ? AND happened_at < ?
                ORDER BY happened_at, id
                """), arguments: StatementArguments(Array(chunk)) + [from.secondsSinceEpoch, to.secondsSinceEpoch]).map(Self.outcome)
        }
        return chunkedInTimeOrder(found, chunks: loanIDs.count) { $0.happenedAt }
    }

    func optOutRecords(loanIDs: [String]?) throws -> [OptOutRecord] {
        func record(_ row: Row) -> OptOutRecord? {
            let channel: String = row[1]
            if channel == "all" { return OptOutRecord(loanId: row[0], channel: nil, since: Instant(secondsSinceEpoch: row[2])) }
            return ContactChannel(rawValue: channel).map { OptOutRecord(loanId: row[0], channel: $0, since: Instant(secondsSinceEpoch: row[2])) }
        }
        guard let loanIDs else {
            return try Row.fetchAll(db, sql: "SELECT loan_id, channel, since FROM collection_opt_outs ORDER BY since, loan_id, channel").compactMap(record)
        }
        var found: [OptOutRecord] = []
        for chunk in Set(loanIDs).sorted().chunked(by: 500) {
            found += try Row.fetchAll(db.cachedStatement(sql: "SELECT loan_id, channel, since FROM collection_opt_outs WHERE loan_id IN (\(placeholders(chunk.count)))"),
                                      arguments: StatementArguments(Array(chunk))).compactMap(record)
        }
        return found.sorted { ($0.since, $0.loanId) < ($1.since, $1.loanId) }
    }

    // MARK: Persons

    func contactKeys(sharingPersonWith loanIDs: [String]) throws -> [String: String] {
        var found: [String: String] = [:]
        var persons = Set<Data>()
        var applications = Set<String>()
        for chunk in Set(loanIDs).sorted().chunked(by: 500) {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT l.loan_id, l.application_id, p.person_key FROM loans l LEFT JOIN applications p ON p.application_id = l.application_id
                WHERE l.loan_id IN (\(placeholders(chunk.count)))
                """), arguments: StatementArguments(Array(chunk)))
            while let row = try rows.next() {
                if let person = row[2] as Data? {
                    persons.insert(person)
                    found[row[0]] = "p:" + hexString(person)
                } else {
                    let application: String = row[1]
                    applications.insert(application)
                    found[row[0]] = "a:" + application
                }
            }
        }
        for chunk in persons.sorted(by: { $0.lexicographicallyPrecedes($1) }).chunked(by: 500) {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT l.loan_id, p.person_key FROM applications p JOIN loans l ON l.application_id = p.application_id
                WHERE p.person_key IN (\(placeholders(chunk.count)))
                """), arguments: StatementArguments(chunk.map { $0 as DatabaseValueConvertible }))
            while let row = try rows.next() { found[row[0]] = "p:" + hexString(row[1] as Data) }
        }
        for chunk in applications.sorted().chunked(by: 500) {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT loan_id, application_id FROM loans WHERE application_id IN (\(placeholders(chunk.count)))"),
                                           arguments: StatementArguments(Array(chunk)))
            while let row = try rows.next() { found[row[0]] = "a:" + (row[1] as String) }
        }
        return found
    }

    // MARK: Logs

    func insert(events: [PostLoanEvent]) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO post_loan_log (day, subject, kind, detail) VALUES (?, ?, ?, ?)")
        for event in events {
            var row = try RowInserter(statement)
            row.bind(event.day.daysSinceEpoch)
            row.bind(event.subject)
            row.bind(event.kind)
            row.bind(event.detail)
            try row.step()
        }
    }

    func insert(warnings: [StoredWarning]) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO early_warnings (day, line_id, level, action, new_limit, reasons) VALUES (?, ?, ?, ?, ?, ?)")
        for warning in warnings {
            try statement.execute(arguments: [Int64(warning.day.daysSinceEpoch), warning.lineID, warning.level.rawValue, warning.action.rawValue,
                                              warning.newLimit?.fen, warning.reasons])
        }
    }

    func lineLevels() throws -> [String: WarningLevel] {
        var found: [String: WarningLevel] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT line_id, level FROM line_warning_levels") {
            found[row[0]] = WarningLevel(rawValue: row[1]) ?? WarningLevel.none
        }
        return found
    }

    func saveLineLevel(lineID: String, level: WarningLevel, on day: CalendarDay) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO line_warning_levels (line_id, level, day) VALUES (?, ?, ?)")
            .execute(arguments: [lineID, level.rawValue, Int64(day.daysSinceEpoch)])
    }

    func lineUsages(onOrBefore day: CalendarDay) throws -> [String: (drawn: Money, limit: Money)] {
        var found: [String: (drawn: Money, limit: Money)] = [:]
        // SQLite takes the bare columns from the row holding max(day).
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT line_id, drawn, limit_amount, max(day) FROM line_usage WHERE day <= ? GROUP BY line_id"),
                                       arguments: [Int64(day.daysSinceEpoch)])
        while let row = try rows.next() { found[row[0]] = (Money(fen: row[1]), Money(fen: row[2])) }
        return found
    }

    func recordLineUsage(lineID: String, drawn: Money, limit: Money, on day: CalendarDay) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO line_usage (line_id, day, drawn, limit_amount) VALUES (?, ?, ?, ?)")
            .execute(arguments: [lineID, Int64(day.daysSinceEpoch), drawn.fen, limit.fen])
    }

    func personKeys(applicationIDs: [String]) throws -> [String: String] {
        var found: [String: String] = [:]
        for chunk in applicationIDs.chunked(by: 500) {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT application_id, person_key FROM applications WHERE application_id IN (\(placeholders(chunk.count)))"),
                                           arguments: StatementArguments(Array(chunk)))
            while let row = try rows.next() { found[row[0]] = SQLiteStore.hex(row[1] as Data?) }
        }
        return found
    }

    func applicationPersons(from: Instant, to: Instant) throws -> [String: String] {
        var found: [String: String] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT application_id, person_key FROM applications WHERE applied_at >= ? AND applied_at < ?"),
                                       arguments: [from.secondsSinceEpoch, to.secondsSinceEpoch])
        while let row = try rows.next() { found[row[0]] = SQLiteStore.hex(row[1] as Data?) }
        return found
    }

    // MARK: Report

    func hasSnapshots(month: YearMonth) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM monthly_snapshots WHERE month = ?)"),
                          arguments: [month.description]) ?? false
    }

    func insert(snapshots: [MonthlyLoanSnapshot]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO monthly_snapshots (month, loan_id, origination_month, days_past_due, outstanding_principal, original_principal,
                written_off) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for snapshot in snapshots {
            var row = try RowInserter(statement)
            row.bind(snapshot.month.description)
            row.bind(snapshot.loanId)
            row.bind(snapshot.originationMonth.description)
            row.bind(snapshot.daysPastDue)
            row.bind(snapshot.outstandingPrincipal.fen)
            row.bind(snapshot.originalPrincipal.fen)
            row.bind(Int64(snapshot.writtenOff ? 1 : 0))
            try row.step()
        }
    }

    func snapshots(through month: YearMonth) throws -> [MonthlyLoanSnapshot] {
        var found: [MonthlyLoanSnapshot] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT * FROM monthly_snapshots WHERE month <= ? ORDER BY month, loan_id"),
                                       arguments: [month.description])
        while let row = try rows.next() {
            guard let month = YearMonth(iso: row["month"] as String), let origination = YearMonth(iso: row["origination_month"] as String) else {
                throw StoreError(code: "store.snapshot", message: "a stored month-end snapshot has a bad month; restore the database from a backup", file: nil)
            }
            found.append(MonthlyLoanSnapshot(loanId: row["loan_id"], originationMonth: origination, month: month, daysPastDue: row["days_past_due"],
                                             outstandingPrincipal: Money(fen: row["outstanding_principal"]),
                                             originalPrincipal: Money(fen: row["original_principal"]), writtenOff: (row["written_off"] as Int64) != 0))
        }
        return found
    }

    func latestDecisions() throws -> [FunnelDecision] {
        var found: [FunnelDecision] = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT d.outcome, d.reasons FROM decisions d
            WHERE d.sequence = (SELECT max(x.sequence) FROM decisions x WHERE x.application_id = d.application_id)
            ORDER BY d.sequence
            """)
        while let row = try rows.next() {
            let reasons: String = row[1]
            found.append(FunnelDecision(outcome: DecisionOutcome(rawValue: row[0]) ?? .decline,
                                        reasonCodes: reasons.isEmpty ? [] : reasons.split(separator: ";").map(String.init)))
        }
        return found
    }

    func allPayments() throws -> [PaymentRecord] {
        try Row.fetchAll(db, sql: """
            SELECT r.loan_id, r.paid_on, r.amount FROM repayments r
            WHERE NOT EXISTS (SELECT 1 FROM approvals a WHERE a.request_id = 'reversal:' || r.payment_id AND a.status = 'approved')
            ORDER BY r.rowid
            """).map { row in
            PaymentRecord(loanId: row[0], paidOn: CalendarDay(daysSinceEpoch: Int(row[1] as Int64)), amount: Money(fen: row[2]))
        }
    }
}

/// Rows fetched chunk by chunk, put back in time order (one chunk is in order already).
func chunkedInTimeOrder<T>(_ rows: [T], chunks count: Int, _ time: (T) -> Instant) -> [T] {
    guard count > 500 else { return rows }
    return rows.enumerated().sorted { (time($0.element), $0.offset) < (time($1.element), $1.offset) }.map(\.element)
}
