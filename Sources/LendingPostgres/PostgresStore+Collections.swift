import Foundation
import LendingCollections
import LendingModel
import LendingServicing
import LendingStorePorts
import NIOCore
import PostgresNIO

/// The post-loan tables on PostgreSQL (migration 004), in the same transactions as servicing (the
/// servicing lock), so that a day's write-offs, ladder states and actions are stored together.
extension PostgresStore: CollectionsStore {
    public func withCollectionsTransaction<T>(_ body: (any CollectionsTransaction) throws -> T) throws -> T {
        try transaction("store the post-loan changes", write: true, lock: .servicing) { session in
            try PostgresServicingTransaction.writing(session, body)
        }
    }

    public func readCollections<T>(_ body: (any CollectionsTransaction) throws -> T) throws -> T {
        try transaction("read the collections tables", write: false, lock: nil) { try body(PostgresServicingTransaction($0, writable: false)) }
    }
}

extension PostgresServicingTransaction: CollectionsTransaction {
    // MARK: Runs

    func postLoanRun(on day: CalendarDay) throws -> PostLoanRunRecord? {
        try session.query("""
            SELECT loans_in_collections, actions_planned, write_offs, written_off_principal, line_actions, snapshots FROM post_loan_runs WHERE day = $1
            """, [Int64(day.daysSinceEpoch)]).first.map { row in
            PostLoanRunRecord(day: day, loansInCollections: try row.integer(0), actionsPlanned: try row.integer(1), writeOffs: try row.integer(2),
                              writtenOffPrincipal: try row.money(3), lineActions: try row.integer(4), snapshots: try row.integer(5))
        }
    }

    func insert(run: PostLoanRunRecord) throws {
        try session.send("""
            INSERT INTO post_loan_runs (day, loans_in_collections, actions_planned, write_offs, written_off_principal, line_actions, snapshots)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, [Int64(run.day.daysSinceEpoch), run.loansInCollections, run.actionsPlanned, run.writeOffs, run.writtenOffPrincipal.fen,
                  run.lineActions, run.snapshots])
    }

    func lastPostLoanRun() throws -> CalendarDay? {
        try session.query("SELECT max(day) FROM post_loan_runs").first?.optionalDay(0)
    }

    // MARK: Loans

    func writtenOffLoans() throws -> [LoanState] {
        try session.query(Self.selectLoans + " WHERE l.status = 'written_off' ORDER BY l.id").compactMap { try Self.loan($0).state }
    }

    func allLines() throws -> [StoredLine] {
        try session.query("SELECT \(Self.lineColumns) FROM credit_lines ORDER BY line_id").map(Self.line)
    }

    func paidOutTotals() throws -> (loans: Int, principal: Money) {
        let row = try session.query("SELECT count(*), coalesce(sum(principal), 0)::bigint FROM loans WHERE status <> 'signed'").first
        return (try row?.integer(0) ?? 0, Money(fen: try row?.int(1) ?? 0))
    }

    // MARK: Ladder

    static let ladderColumns = """
        loan_id, status, bucket, band, stage, stage_entered_on, escalation, entered_on, promise_made_on, promise_due_on, promise_amount,
        promise_paid_before, paused_through, broken_promises, kept_promises, total_paid_seen, bureau_reported_on, insurance_claimed_on,
        written_off_on, max_days_past_due
        """

    func openLadders() throws -> [String: StoredLadder] {
        var found: [String: StoredLadder] = [:]
        for row in try session.query("SELECT \(Self.ladderColumns) FROM collection_ladders WHERE status <> 'written_off'") {
            let ladder = try Self.ladder(row)
            found[ladder.state.loanId] = ladder
        }
        return found
    }

    static func ladder(_ row: StoredRow) throws -> StoredLadder {
        guard let status = LadderState.Status(rawValue: try row.text(1)) else {
            throw PostgresStoreError(code: "store.ladder", message: "a stored ladder state has an unknown status; restore the database from a backup", location: nil)
        }
        var promise: PromiseToPay?
        if let made = try row.optionalDay(8), let due = try row.optionalDay(9) {
            promise = PromiseToPay(madeOn: made, dueOn: due, amount: Money(fen: try row.optionalInt(10) ?? 0),
                                   paidBefore: Money(fen: try row.optionalInt(11) ?? 0))
        }
        let state = LadderState(
            loanId: try row.text(0), status: status, bucket: try row.text(2), band: try row.text(3), stage: try row.integer(4),
            stageEnteredOn: try row.day(5), escalation: try row.integer(6), enteredOn: try row.day(7), promise: promise,
            pausedThrough: try row.optionalDay(12), brokenPromises: try row.integer(13), keptPromises: try row.integer(14),
            totalPaidSeen: try row.money(15), bureauReportedOn: try row.optionalDay(16), insuranceClaimedOn: try row.optionalDay(17),
            writtenOffOn: try row.optionalDay(18))
        return StoredLadder(state: state, maxDaysPastDue: try row.integer(19))
    }

    func save(ladders: [StoredLadder]) throws {
        func day(_ value: CalendarDay?) -> Int64? { value.map { Int64($0.daysSinceEpoch) } }
        for ladder in ladders {
            let state = ladder.state
            let values: [any PostgresBindable] = [
                state.loanId, state.status.rawValue, state.bucket, state.band, state.stage, Int64(state.stageEnteredOn.daysSinceEpoch),
                state.escalation, Int64(state.enteredOn.daysSinceEpoch), day(state.promise?.madeOn), day(state.promise?.dueOn),
                state.promise?.amount.fen, state.promise?.paidBefore.fen, day(state.pausedThrough), state.brokenPromises, state.keptPromises,
                state.totalPaidSeen.fen, day(state.bureauReportedOn), day(state.insuranceClaimedOn), day(state.writtenOffOn), ladder.maxDaysPastDue,
            ]
            let columns = Self.ladderColumns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            try session.send("""
                INSERT INTO collection_ladders (\(Self.ladderColumns)) VALUES (\(parameters(from: 1, count: columns.count)))
                ON CONFLICT (loan_id) DO UPDATE SET \(columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
                """, values)
        }
    }

    func deleteLadders(loanIDs: [String]) throws {
        guard !loanIDs.isEmpty else { return }
        try session.send("DELETE FROM collection_ladders WHERE loan_id = ANY($1)", [List(loanIDs)])
    }

    // MARK: Action log

    static let actionColumns = "a.loan_id, a.action, a.channel, a.scheduled_at, a.utc_offset, a.bucket, a.reason"

    @discardableResult
    func insert(actions: [PlannedAction], plannedOn day: CalendarDay) throws -> Int {
        var inserted = 0
        for chunk in actions.chunked(by: 10_000) {
            var binds = PostgresBindings(capacity: 8)
            binds.append(chunk.map(\.loanId))
            binds.append(chunk.map(\.action.rawValue))
            binds.append(chunk.map(\.channel.rawValue))
            binds.append(chunk.map(\.scheduledAt.secondsSinceEpoch))
            binds.append(chunk.map { Int64($0.utcOffsetSeconds) })
            binds.append(chunk.map(\.bucket))
            binds.append(chunk.map(\.reason))
            binds.append(Int64(day.daysSinceEpoch))
            // In the order given (WITH ORDINALITY), so that ids follow plan order.
            inserted += try session.execute("""
                INSERT INTO collection_actions (loan_id, action, channel, scheduled_at, utc_offset, bucket, reason, planned_on)
                SELECT loan_id, action, channel, scheduled_at, utc_offset, bucket, reason, $8
                FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[]) WITH ORDINALITY
                    AS t(loan_id, action, channel, scheduled_at, utc_offset, bucket, reason, position)
                ORDER BY position
                ON CONFLICT (loan_id, action, scheduled_at) DO NOTHING
                """, binds: binds)
        }
        return inserted
    }

    static func action(_ row: StoredRow) throws -> PlannedAction {
        guard let action = CollectionAction(rawValue: try row.text(1)), let channel = ContactChannel(rawValue: try row.text(2)) else {
            throw PostgresStoreError(code: "store.action", message: "a stored collection action is not one this program knows; restore the database from a backup",
                                     location: nil)
        }
        return PlannedAction(loanId: try row.text(0), action: action, channel: channel, scheduledAt: try row.instant(3),
                             utcOffsetSeconds: try row.integer(4), bucket: try row.text(5), reason: try row.text(6))
    }

    func cancel(_ actions: [(loanID: String, action: CollectionAction, scheduledAt: Instant)], reason: String) throws {
        for item in actions {
            try session.send("""
                INSERT INTO collection_cancellations (loan_id, action, scheduled_at, reason) VALUES ($1, $2, $3, $4)
                ON CONFLICT (loan_id, action, scheduled_at) DO NOTHING
                """, [item.loanID, item.action.rawValue, item.scheduledAt.secondsSinceEpoch, reason])
        }
    }

    static let executed = """
        NOT EXISTS (SELECT 1 FROM collection_cancellations c WHERE c.loan_id = a.loan_id AND c.action = a.action AND c.scheduled_at = a.scheduled_at)
        """

    func actions(scheduledFrom from: Instant, to: Instant) throws -> [PlannedAction] {
        try session.query("""
            SELECT \(Self.actionColumns) FROM collection_actions a WHERE a.scheduled_at >= $1 AND a.scheduled_at < $2 AND \(Self.executed)
            ORDER BY a.scheduled_at, a.id
            """, [from.secondsSinceEpoch, to.secondsSinceEpoch]).map(Self.action)
    }

    func actions(plannedOn day: CalendarDay) throws -> [PlannedAction] {
        try session.query("SELECT \(Self.actionColumns) FROM collection_actions a WHERE a.planned_on = $1 ORDER BY a.id", [Int64(day.daysSinceEpoch)])
            .map(Self.action)
    }

    func milestoneActions() throws -> [PlannedAction] {
        try session.query("""
            SELECT \(Self.actionColumns) FROM collection_actions a WHERE a.action IN ('bureau_report', 'insurance_claim', 'write_off') ORDER BY a.id
            """).map(Self.action)
    }

    func contactCounts(from: Instant, to: Instant) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try session.query("""
            SELECT a.loan_id, count(*) FROM collection_actions a
            WHERE a.scheduled_at >= $1 AND a.scheduled_at < $2 AND a.action NOT IN ('bureau_report', 'insurance_claim', 'write_off') AND \(Self.executed)
            GROUP BY a.loan_id
            """, [from.secondsSinceEpoch, to.secondsSinceEpoch]) {
            counts[try row.text(0)] = try row.integer(1)
        }
        return counts
    }

    func allActions() throws -> [PlannedAction] {
        try session.query("SELECT \(Self.actionColumns) FROM collection_actions a WHERE \(Self.executed) ORDER BY a.scheduled_at, a.id").map(Self.action)
    }

    func actions(loanIDs: [String], scheduledFrom from: Instant, to: Instant) throws -> [PlannedAction] {
        var found: [PlannedAction] = []
        let chunks = Set(loanIDs).sorted().chunked(by: 10_000)
        for chunk in chunks {
            found += try session.query("""
                SELECT \(Self.actionColumns) FROM collection_actions a WHERE a.loan_id = ANY($1) AND a.scheduled_at >= $2 AND a.scheduled_at < $3
                AND \(Self.executed) ORDER BY a.scheduled_at, a.id
                """, [List(Array(chunk)), from.secondsSinceEpoch, to.secondsSinceEpoch]).map(Self.action)
        }
        guard chunks.count > 1 else { return found }
        return found.enumerated().sorted { ($0.element.scheduledAt, $0.offset) < ($1.element.scheduledAt, $1.offset) }.map(\.element)
    }

    func cancelledActions(plannedOn day: CalendarDay) throws -> [CancelledAction] {
        try session.query("""
            SELECT a.loan_id, a.action, a.scheduled_at, c.reason FROM collection_actions a
            JOIN collection_cancellations c ON c.loan_id = a.loan_id AND c.action = a.action AND c.scheduled_at = a.scheduled_at
            WHERE a.planned_on = $1 ORDER BY a.id
            """, [Int64(day.daysSinceEpoch)]).map { row in
            guard let action = CollectionAction(rawValue: try row.text(1)) else {
                throw PostgresStoreError(code: "store.action", message: "a stored collection action is not one this program knows; restore the database from a backup",
                                         location: nil)
            }
            return CancelledAction(loanID: try row.text(0), action: action, scheduledAt: try row.instant(2), reason: try row.text(3))
        }
    }

    // MARK: Outcomes

    static let outcomeColumns = "loan_id, action, happened_at, result, promise_date, promise_amount, opt_out, request_hash"

    static func outcome(_ row: StoredRow) throws -> ContactOutcome {
        guard let action = CollectionAction(rawValue: try row.text(1)), let result = ContactResult(rawValue: try row.text(3)) else {
            throw PostgresStoreError(code: "store.outcome", message: "a stored outcome is not one this program knows; restore the database from a backup",
                                     location: nil)
        }
        return ContactOutcome(loanId: try row.text(0), action: action, happenedAt: try row.instant(2), result: result,
                              promiseDate: try row.optionalDay(4), promiseAmount: try row.optionalInt(5).map { Money(fen: $0) })
    }

    func outcome(loanID: String, action: CollectionAction, happenedAt: Instant) throws -> StoredOutcome? {
        try session.query("SELECT \(Self.outcomeColumns) FROM collection_outcomes WHERE loan_id = $1 AND action = $2 AND happened_at = $3",
                          [loanID, action.rawValue, happenedAt.secondsSinceEpoch]).first.map { row in
            StoredOutcome(outcome: try Self.outcome(row), optOut: try row.optionalText(6), requestHash: try row.bytes(7))
        }
    }

    func insert(outcome stored: StoredOutcome) throws {
        let outcome = stored.outcome
        try session.send("""
            INSERT INTO collection_outcomes (loan_id, action, happened_at, result, promise_date, promise_amount, opt_out, request_hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, [outcome.loanId, outcome.action.rawValue, outcome.happenedAt.secondsSinceEpoch, outcome.result.rawValue,
                  outcome.promiseDate.map { Int64($0.daysSinceEpoch) }, outcome.promiseAmount?.fen, stored.optOut, Bytes(stored.requestHash)])
        if let channel = stored.optOut {
            try session.send("""
                INSERT INTO collection_opt_outs (loan_id, channel, since) VALUES ($1, $2, $3) ON CONFLICT (loan_id, channel) DO NOTHING
                """, [outcome.loanId, channel, outcome.happenedAt.secondsSinceEpoch])
        }
    }

    func unappliedOutcomes(before: Instant) throws -> [ContactOutcome] {
        try session.query("SELECT \(Self.outcomeColumns) FROM collection_outcomes WHERE applied_on IS NULL AND happened_at < $1 ORDER BY happened_at, id",
                          [before.secondsSinceEpoch]).map(Self.outcome)
    }

    func markOutcomesApplied(before: Instant, on day: CalendarDay) throws {
        try session.send("UPDATE collection_outcomes SET applied_on = $1 WHERE applied_on IS NULL AND happened_at < $2",
                            [Int64(day.daysSinceEpoch), before.secondsSinceEpoch])
    }

    func outcomes(from: Instant, to: Instant) throws -> [ContactOutcome] {
        try session.query("SELECT \(Self.outcomeColumns) FROM collection_outcomes WHERE happened_at >= $1 AND happened_at < $2 ORDER BY happened_at, id",
                          [from.secondsSinceEpoch, to.secondsSinceEpoch]).map(Self.outcome)
    }

    func allOutcomes() throws -> [ContactOutcome] {
        try session.query("SELECT \(Self.outcomeColumns) FROM collection_outcomes ORDER BY happened_at, id").map(Self.outcome)
    }

    func optOuts() throws -> [String: OptOuts] {
        var found: [String: OptOuts] = [:]
        for row in try session.query("SELECT loan_id, channel FROM collection_opt_outs") {
            let loanID = try row.text(0), channel = try row.text(1)
            var optOuts = found[loanID] ?? OptOuts()
            if channel == "all" { optOuts.all = true } else if let known = ContactChannel(rawValue: channel) { optOuts.channels.insert(known) }
            found[loanID] = optOuts
        }
        return found
    }

    func outcomes(loanIDs: [String], from: Instant, to: Instant) throws -> [ContactOutcome] {
        var found: [ContactOutcome] = []
        let chunks = Set(loanIDs).sorted().chunked(by: 10_000)
        for chunk in chunks {
            found += try session.query("""
                SELECT \(Self.outcomeColumns) FROM collection_outcomes WHERE loan_id = ANY($1) AND happened_at >= $2 AND happened_at < $3
                ORDER BY happened_at, id
                """, [List(Array(chunk)), from.secondsSinceEpoch, to.secondsSinceEpoch]).map(Self.outcome)
        }
        guard chunks.count > 1 else { return found }
        return found.enumerated().sorted { ($0.element.happenedAt, $0.offset) < ($1.element.happenedAt, $1.offset) }.map(\.element)
    }

    func optOutRecords(loanIDs: [String]?) throws -> [OptOutRecord] {
        func record(_ row: StoredRow) throws -> OptOutRecord? {
            let channel = try row.text(1)
            if channel == "all" { return OptOutRecord(loanId: try row.text(0), channel: nil, since: try row.instant(2)) }
            guard let known = ContactChannel(rawValue: channel) else { return nil }
            return OptOutRecord(loanId: try row.text(0), channel: known, since: try row.instant(2))
        }
        guard let loanIDs else {
            return try session.query("SELECT loan_id, channel, since FROM collection_opt_outs ORDER BY since, loan_id, channel").compactMap(record)
        }
        var found: [OptOutRecord] = []
        for chunk in Set(loanIDs).sorted().chunked(by: 10_000) {
            found += try session.query("SELECT loan_id, channel, since FROM collection_opt_outs WHERE loan_id = ANY($1)", [List(Array(chunk))]).compactMap(record)
        }
        return found.sorted { ($0.since, $0.loanId) < ($1.since, $1.loanId) }
    }

    // MARK: Persons

    func contactKeys(sharingPersonWith loanIDs: [String]) throws -> [String: String] {
        var found: [String: String] = [:]
        for chunk in Set(loanIDs).sorted().chunked(by: 10_000) {
            for row in try session.query("""
                WITH given AS (
                    SELECT l.application_id, p.person_key FROM loans l LEFT JOIN applications p ON p.application_id = l.application_id
                    WHERE l.loan_id = ANY($1)
                )
                SELECT l.loan_id, encode(p.person_key, 'hex'), l.application_id FROM loans l LEFT JOIN applications p ON p.application_id = l.application_id
                WHERE p.person_key IN (SELECT person_key FROM given WHERE person_key IS NOT NULL)
                   OR (p.person_key IS NULL AND l.application_id IN (SELECT application_id FROM given WHERE person_key IS NULL))
                """, [List(Array(chunk))]) {
                let person = try row.optionalText(1)
                found[try row.text(0)] = try person.map { "p:" + $0 } ?? "a:" + row.text(2)
            }
        }
        return found
    }

    // MARK: Logs

    func insert(events: [PostLoanEvent]) throws {
        for chunk in events.chunked(by: 10_000) {
            var binds = PostgresBindings(capacity: 4)
            binds.append(chunk.map { Int64($0.day.daysSinceEpoch) })
            binds.append(chunk.map(\.subject))
            binds.append(chunk.map(\.kind))
            binds.append(chunk.map(\.detail))
            try session.send("""
                INSERT INTO post_loan_log (day, subject, kind, detail)
                SELECT day, subject, kind, detail FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY
                    AS t(day, subject, kind, detail, position) ORDER BY position
                """, binds: binds)
        }
    }

    func insert(warnings: [StoredWarning]) throws {
        for warning in warnings {
            try session.send("INSERT INTO early_warnings (day, line_id, level, action, new_limit, reasons) VALUES ($1, $2, $3, $4, $5, $6)",
                                [Int64(warning.day.daysSinceEpoch), warning.lineID, warning.level.rawValue, warning.action.rawValue,
                                 warning.newLimit?.fen, warning.reasons])
        }
    }

    func lineLevels() throws -> [String: WarningLevel] {
        var found: [String: WarningLevel] = [:]
        for row in try session.query("SELECT line_id, level FROM line_warning_levels") {
            found[try row.text(0)] = WarningLevel(rawValue: try row.text(1)) ?? WarningLevel.none
        }
        return found
    }

    func saveLineLevel(lineID: String, level: WarningLevel, on day: CalendarDay) throws {
        try session.send("""
            INSERT INTO line_warning_levels (line_id, level, day) VALUES ($1, $2, $3)
            ON CONFLICT (line_id) DO UPDATE SET level = excluded.level, day = excluded.day
            """, [lineID, level.rawValue, Int64(day.daysSinceEpoch)])
    }

    func lineUsages(onOrBefore day: CalendarDay) throws -> [String: (drawn: Money, limit: Money)] {
        var found: [String: (drawn: Money, limit: Money)] = [:]
        for row in try session.query("""
            SELECT DISTINCT ON (line_id) line_id, drawn, limit_amount FROM line_usage WHERE day <= $1 ORDER BY line_id, day DESC
            """, [Int64(day.daysSinceEpoch)]) {
            found[try row.text(0)] = (try row.money(1), try row.money(2))
        }
        return found
    }

    func recordLineUsage(lineID: String, drawn: Money, limit: Money, on day: CalendarDay) throws {
        try session.send("""
            INSERT INTO line_usage (line_id, day, drawn, limit_amount) VALUES ($1, $2, $3, $4)
            ON CONFLICT (line_id, day) DO UPDATE SET drawn = excluded.drawn, limit_amount = excluded.limit_amount
            """, [lineID, Int64(day.daysSinceEpoch), drawn.fen, limit.fen])
    }

    func personKeys(applicationIDs: [String]) throws -> [String: String] {
        var found: [String: String] = [:]
        for chunk in applicationIDs.chunked(by: 10_000) {
            for row in try session.query("SELECT application_id, person_key FROM applications WHERE application_id = ANY($1)", [List(Array(chunk))]) {
                found[try row.text(0)] = try row.hex(1)
            }
        }
        return found
    }

    func applicationPersons(from: Instant, to: Instant) throws -> [String: String] {
        var found: [String: String] = [:]
        for row in try session.query("SELECT application_id, person_key FROM applications WHERE applied_at >= $1 AND applied_at < $2",
                                     [from.secondsSinceEpoch, to.secondsSinceEpoch]) {
            found[try row.text(0)] = try row.hex(1)
        }
        return found
    }

    // MARK: Report

    func hasSnapshots(month: YearMonth) throws -> Bool {
        try session.query("SELECT EXISTS (SELECT 1 FROM monthly_snapshots WHERE month = $1)", [month.description]).first?.bool(0) ?? false
    }

    func insert(snapshots: [MonthlyLoanSnapshot]) throws {
        for chunk in snapshots.chunked(by: 10_000) {
            var binds = PostgresBindings(capacity: 7)
            binds.append(chunk.map(\.month.description))
            binds.append(chunk.map(\.loanId))
            binds.append(chunk.map(\.originationMonth.description))
            binds.append(chunk.map { Int64($0.daysPastDue) })
            binds.append(chunk.map(\.outstandingPrincipal.fen))
            binds.append(chunk.map(\.originalPrincipal.fen))
            binds.append(chunk.map(\.writtenOff))
            try session.send("""
                INSERT INTO monthly_snapshots (month, loan_id, origination_month, days_past_due, outstanding_principal, original_principal, written_off)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::boolean[])
                ON CONFLICT (month, loan_id) DO UPDATE SET origination_month = excluded.origination_month, days_past_due = excluded.days_past_due,
                    outstanding_principal = excluded.outstanding_principal, original_principal = excluded.original_principal,
                    written_off = excluded.written_off
                """, binds: binds)
        }
    }

    func snapshots(through month: YearMonth) throws -> [MonthlyLoanSnapshot] {
        try session.query("""
            SELECT month, loan_id, origination_month, days_past_due, outstanding_principal, original_principal, written_off
            FROM monthly_snapshots WHERE month <= $1 ORDER BY month, loan_id
            """, [month.description]).map { row in
            guard let month = YearMonth(iso: try row.text(0)), let origination = YearMonth(iso: try row.text(2)) else {
                throw PostgresStoreError(code: "store.snapshot", message: "a stored month-end snapshot has a bad month; restore the database from a backup",
                                         location: nil)
            }
            return MonthlyLoanSnapshot(loanId: try row.text(1), originationMonth: origination, month: month, daysPastDue: try row.integer(3),
                                       outstandingPrincipal: try row.money(4), originalPrincipal: try row.money(5), writtenOff: try row.bool(6))
        }
    }

    func latestDecisions() throws -> [FunnelDecision] {
        try session.query("""
            SELECT d.outcome, d.reasons FROM decisions d
            WHERE d.sequence = (SELECT max(x.sequence) FROM decisions x WHERE x.application_id = d.application_id)
            ORDER BY d.sequence
            """).map { row in
            let reasons = try row.text(1)
            return FunnelDecision(outcome: DecisionOutcome(rawValue: try row.text(0)) ?? .decline,
                                  reasonCodes: reasons.isEmpty ? [] : reasons.split(separator: ";").map(String.init))
        }
    }

    func allPayments() throws -> [PaymentRecord] {
        try session.query("""
            SELECT r.loan_id, r.paid_on, r.amount FROM repayments r
            WHERE NOT EXISTS (SELECT 1 FROM approvals a WHERE a.request_id = 'reversal:' || r.payment_id AND a.status = 'approved')
            ORDER BY r.id
            """).map { row in
            PaymentRecord(loanId: try row.text(0), paidOn: try row.day(1), amount: try row.money(2))
        }
    }
}

extension PostgresStore: IdempotencyLog {
    public func completedRequest(key: String) async throws -> CompletedRequest? {
        try transaction("read an idempotency key", write: false, lock: nil) { try PostgresIdempotency.completedRequest($0, key: key) }
    }

    public func record(_ requests: [CompletedRequest]) async throws {
        guard !requests.isEmpty else { return }
        try transaction("record idempotency keys", write: true, lock: nil) { try PostgresIdempotency.record($0, requests) }
    }

    public func forgetRequests(receivedBefore instant: Instant) async throws -> Int {
        try transaction("forget old idempotency keys", write: true, lock: nil) { session in
            try session.execute("DELETE FROM idempotency_keys WHERE received_at < $1", [instant.secondsSinceEpoch])
        }
    }
}

extension PostgresDecisionTransaction: IdempotencyRecording {
    func record(_ requests: [CompletedRequest]) throws { try PostgresIdempotency.record(session, requests) }
}

extension PostgresServicingTransaction: IdempotencyRecording {
    func record(_ requests: [CompletedRequest]) throws { try PostgresIdempotency.record(session, requests) }
}

/// Completed idempotency keys (migration 003); a key already recorded keeps its first record.
enum PostgresIdempotency {
    static func completedRequest(_ session: PostgresSession, key: String) throws -> CompletedRequest? {
        try session.query("SELECT fingerprint, status, body, received_at FROM idempotency_keys WHERE key = $1", [key]).first.map { row in
            CompletedRequest(key: key, fingerprint: try row.bytes(0), status: try row.integer(1), body: try row.bytes(2), receivedAt: try row.instant(3))
        }
    }

    static func record(_ session: PostgresSession, _ requests: [CompletedRequest]) throws {
        for request in requests {
            try session.send("""
                INSERT INTO idempotency_keys (key, fingerprint, status, body, received_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING
                """, [request.key, Bytes(request.fingerprint), Int64(request.status), Bytes(request.body), request.receivedAt.secondsSinceEpoch])
        }
    }
}
