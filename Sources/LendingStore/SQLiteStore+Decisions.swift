import Foundation
import GRDB
import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPreCredit
import LendingStorePorts

extension SQLiteStore: DecisionStore {
    public func history(since: Instant) throws -> [HistoricApplication] {
        try read("read the application history") { db in try SQLiteDecisionTransaction(db).history(since: since) }
    }

    public func blacklist() throws -> [BlacklistEntry] {
        try read("read the blacklist") { db in try SQLiteDecisionTransaction(db).blacklist() }
    }

    public func blacklistRevision() throws -> Int64 {
        try read("read the blacklist's revision") { db in try SQLiteDecisionTransaction(db).blacklistRevision() }
    }

    public func chainHead() throws -> DecisionRecord? {
        try read("read the last decision") { db in try SQLiteDecisionTransaction(db).chainHead() }
    }

    public func decisions(after sequence: Int64, limit: Int) throws -> [ChainedDecision] {
        try read("read the latest decisions") { db in try SQLiteDecisionTransaction(db).decisions(after: sequence, limit: limit) }
    }

    public func withTransaction<T>(_ body: (any DecisionTransaction) throws -> T) throws -> T {
        try write("store the decisions") { db in try body(SQLiteDecisionTransaction(db)) }
    }

    public func forEachDecision(_ body: (DecisionRecord) throws -> Void) throws {
        try read("read the decisions") { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM decisions ORDER BY sequence")
            while let row = try rows.next() { try body(SQLiteStore.decision(row)) }
        }
    }

    public func applicationsWithoutDecision() throws -> [String] {
        try read("check the applications") { db in
            try String.fetchAll(db, sql: """
                SELECT a.application_id FROM applications a
                LEFT JOIN decisions d ON d.sequence = a.decision_sequence AND d.application_id = a.application_id
                WHERE d.sequence IS NULL ORDER BY a.application_id
                """)
        }
    }

    public func openReviews() throws -> [ReviewItem] {
        try read("read the review queue") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM review_queue WHERE status = 'open' ORDER BY opened_at, application_id").map(SQLiteStore.review)
        }
    }

    public func application(_ applicationID: String) throws -> (StoredApplication, DecisionRecord)? {
        try read("read an application") { db in
            let transaction = SQLiteDecisionTransaction(db)
            guard let application = try transaction.application(applicationID),
                  let decision = try transaction.latestDecision(applicationID) else { return nil }
            return (application, decision)
        }
    }

    public func whitelistCount() throws -> Int {
        try read("count the whitelist") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM whitelist") ?? 0 }
    }

    // MARK: Rows

    static func application(_ row: Row) -> StoredApplication {
        func key(_ column: String) -> UInt64? { (row[column] as Int64?).map { UInt64(bitPattern: $0) } }
        return StoredApplication(
            applicationID: row["application_id"], appliedAt: Instant(secondsSinceEpoch: row["applied_at"]), product: row["product"],
            channel: row["channel"], merchantID: row["merchant_id"], requestedAmount: Money(fen: row["requested_amount"]),
            amountCap: Money(fen: row["amount_cap"]), termMonths: row["term_months"], personKey: hex(row["person_key"]),
            keys: FraudKeys(person: key("k_person") ?? 0, phone: key("k_phone"), bankCard: key("k_card"), device: key("k_device"),
                            ip: key("k_ip"), contactPhone: key("k_contact"), address: key("k_address")),
            personalData: [UInt8](row["personal_data"] as Data), inputsHash: hex(row["inputs_hash"]), decisionSequence: row["decision_sequence"])
    }

    static func decision(_ row: Row) -> DecisionRecord {
        let reasons: String = row["reasons"]
        return DecisionRecord(
            sequence: row["sequence"], applicationID: row["application_id"], kind: DecisionRecord.Kind(rawValue: row["kind"]) ?? .automated,
            decidedAt: Instant(secondsSinceEpoch: row["decided_at"]), outcome: DecisionRecord.Outcome(rawValue: row["outcome"]) ?? .decline,
            approvedLimit: Money(fen: row["approved_limit"]), proposedLimit: Money(fen: row["proposed_limit"]),
            apr: AnnualRate(partsPerMillion: row["apr_ppm"]), score: row["score"], probability: row["probability"], fraudScore: row["fraud_score"],
            reasons: reasons.isEmpty ? [] : reasons.split(separator: ";").map { DecisionReason(unchecked: String($0)) },
            inputsHash: hex(row["inputs_hash"]), modelVersion: row["model_version"], policyVersion: row["policy_version"],
            decidedBy: row["decided_by"], previousHash: hex(row["previous_hash"]), hash: hex(row["hash"]))
    }

    static func review(_ row: Row) -> ReviewItem {
        let reasons: String = row["reasons"]
        return ReviewItem(applicationID: row["application_id"], openedAt: Instant(secondsSinceEpoch: row["opened_at"]),
                          status: ReviewItem.Status(rawValue: row["status"]) ?? .open,
                          reasons: reasons.isEmpty ? [] : reasons.split(separator: ";").map { DecisionReason(unchecked: String($0)) },
                          proposedLimit: Money(fen: row["proposed_limit"]), apr: AnnualRate(partsPerMillion: row["apr_ppm"]), score: row["score"])
    }
}

/// One write (or read) transaction's operations, with cached statements for the hot path.
struct SQLiteDecisionTransaction: DecisionTransaction {
    let db: Database

    init(_ db: Database) { self.db = db }

    func history(since: Instant) throws -> [HistoricApplication] {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT a.*, f.inputs_hash,
                (SELECT outcome FROM decisions d WHERE d.application_id = a.application_id ORDER BY sequence DESC LIMIT 1) AS latest
            FROM applications a JOIN decisions f ON f.sequence = a.decision_sequence
            WHERE a.applied_at >= ? ORDER BY a.applied_at, a.application_id
            """, arguments: [since.secondsSinceEpoch])
        var result: [HistoricApplication] = []
        while let row = try rows.next() {
            result.append(HistoricApplication(application: SQLiteStore.application(row), approved: (row["latest"] as String?) == "approve"))
        }
        return result
    }

    func blacklistRevision() throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT revision FROM revisions WHERE name = 'blacklist'")) ?? 0
    }

    func blacklist() throws -> [BlacklistEntry] {
        try Row.fetchAll(db, sql: "SELECT type, value_key, reason, valid_until FROM blacklist").compactMap { row in
            guard let type = FraudDimension(rawValue: row["type"]) else { return nil }
            return BlacklistEntry(type: type, valueKey: SQLiteStore.hex(row["value_key"]), reason: row["reason"],
                                  validUntil: (row["valid_until"] as String?).flatMap { CalendarDay(iso: $0) })
        }
    }

    func chainHead() throws -> DecisionRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM decisions ORDER BY sequence DESC LIMIT 1")).map(SQLiteStore.decision)
    }

    func decisions(after sequence: Int64, limit: Int) throws -> [ChainedDecision] {
        let decisions = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM decisions WHERE sequence > ? ORDER BY sequence LIMIT ?"),
                                         arguments: [sequence, limit]).map(SQLiteStore.decision)
        var applications: [String: StoredApplication] = [:]
        for chunk in Array(Set(decisions.map(\.applicationID))).chunked(by: 500) {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT a.*, d.inputs_hash FROM applications a JOIN decisions d ON d.sequence = a.decision_sequence
                WHERE a.application_id IN (\(placeholders(chunk.count)))
                """), arguments: StatementArguments(Array(chunk)))
            while let row = try rows.next() {
                let application = SQLiteStore.application(row)
                applications[application.applicationID] = application
            }
        }
        return decisions.map { decision in
            ChainedDecision(decision: decision, firstOf: applications[decision.applicationID].flatMap { $0.decisionSequence == decision.sequence ? $0 : nil })
        }
    }

    func latestDecision(_ applicationID: String) throws -> DecisionRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM decisions WHERE application_id = ? ORDER BY sequence DESC LIMIT 1"),
                         arguments: [applicationID]).map(SQLiteStore.decision)
    }

    func existing(applicationID: String) throws -> (inputsHash: String, decision: DecisionRecord)? {
        guard let hash = try Data.fetchOne(db.cachedStatement(sql: """
                SELECT d.inputs_hash FROM applications a JOIN decisions d ON d.sequence = a.decision_sequence WHERE a.application_id = ?
                """), arguments: [applicationID]).map({ SQLiteStore.hex($0) }),
              let decision = try latestDecision(applicationID) else { return nil }
        return (hash, decision)
    }

    func application(_ applicationID: String) throws -> StoredApplication? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT a.*, d.inputs_hash FROM applications a JOIN decisions d ON d.sequence = a.decision_sequence WHERE a.application_id = ?
            """), arguments: [applicationID]).map(SQLiteStore.application)
    }

    func whitelistEntry(personKey: String) throws -> WhitelistEntry? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM whitelist WHERE person_key = ?"), arguments: [SQLiteStore.blob(personKey)]),
              let validUntil = CalendarDay(iso: row["valid_until"] as String) else { return nil }
        return WhitelistEntry(idNumberKey: personKey, preCreditLimit: Money(fen: row["pre_credit_limit"]), segment: row["segment"],
                              validUntil: validUntil)
    }

    func whitelistEntries(personKeys: [String]) throws -> [String: WhitelistEntry] {
        var found: [String: WhitelistEntry] = [:]
        for chunk in personKeys.chunked(by: 500) {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT * FROM whitelist WHERE person_key IN (\(placeholders(chunk.count)))"),
                                           arguments: StatementArguments(chunk.map(SQLiteStore.blob)))
            while let row = try rows.next() {
                guard let validUntil = CalendarDay(iso: row["valid_until"] as String) else { continue }
                let key = SQLiteStore.hex(row["person_key"])
                found[key] = WhitelistEntry(idNumberKey: key, preCreditLimit: Money(fen: row["pre_credit_limit"]), segment: row["segment"],
                                            validUntil: validUntil)
            }
        }
        return found
    }

    func inputsHashes(applicationIDs: [String]) throws -> [String: String] {
        var found: [String: String] = [:]
        for chunk in applicationIDs.chunked(by: 500) {
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: """
                    SELECT a.application_id, d.inputs_hash FROM applications a JOIN decisions d ON d.sequence = a.decision_sequence
                    WHERE a.application_id IN (\(placeholders(chunk.count)))
                    """),
                arguments: StatementArguments(Array(chunk)))
            while let row = try rows.next() { found[row[0]] = SQLiteStore.hex(row[1]) }
        }
        return found
    }

    func insert(_ application: StoredApplication, decision: DecisionRecord) throws {
        try insert([(application, decision)])
    }

    /// Inserts in statements of up to 256 rows: one statement's overhead for many rows, bound
    /// straight from the records (``RowInserter``).
    func insert(_ rows: [(application: StoredApplication, decision: DecisionRecord)]) throws {
        try checkContinuesChain(rows.map(\.decision.sequence))
        for chunk in rows.chunked(by: 256) {
            var decisions = try RowInserter(db.cachedStatement(sql: SQLiteDecisionTransaction.insertDecisions + rowPlaceholders(18, chunk.count)))
            for row in chunk { SQLiteDecisionTransaction.bind(row.decision, into: &decisions) }
            try decisions.step()
            var applications = try RowInserter(db.cachedStatement(sql: SQLiteDecisionTransaction.insertApplications + rowPlaceholders(18, chunk.count)))
            for row in chunk { SQLiteDecisionTransaction.bind(row.application, into: &applications) }
            try applications.step()
        }
    }

    static func bind(_ decision: DecisionRecord, into row: inout RowInserter) {
        row.bind(decision.sequence)
        row.bind(decision.applicationID)
        row.bind(decision.kind.rawValue)
        row.bind(decision.decidedAt.secondsSinceEpoch)
        row.bind(decision.outcome.rawValue)
        row.bind(decision.approvedLimit.fen)
        row.bind(decision.proposedLimit.fen)
        row.bind(decision.apr.partsPerMillion)
        row.bind(decision.score)
        row.bind(decision.probability)
        row.bind(decision.fraudScore)
        row.bind(decision.reasons.map(\.code).joined(separator: ";"))
        row.bind(hex: decision.inputsHash)
        row.bind(decision.modelVersion)
        row.bind(decision.policyVersion)
        row.bind(decision.decidedBy)
        row.bind(hex: decision.previousHash)
        row.bind(hex: decision.hash)
    }

    static func bind(_ application: StoredApplication, into row: inout RowInserter) {
        func key(_ value: UInt64?) -> Int64? { value.map { Int64(bitPattern: $0) } }
        let keys = application.keys
        row.bind(application.applicationID)
        row.bind(application.appliedAt.secondsSinceEpoch)
        row.bind(application.product)
        row.bind(application.channel)
        row.bind(application.merchantID)
        row.bind(application.requestedAmount.fen)
        row.bind(application.amountCap.fen)
        row.bind(application.termMonths)
        row.bind(hex: application.personKey)
        row.bind(Int64(bitPattern: keys.person))
        row.bind(key(keys.phone))
        row.bind(key(keys.bankCard))
        row.bind(key(keys.device))
        row.bind(key(keys.ip))
        row.bind(key(keys.contactPhone))
        row.bind(key(keys.address))
        row.bind(bytes: application.personalData)
        row.bind(application.decisionSequence)
    }

    func append(decision: DecisionRecord) throws {
        try checkContinuesChain([decision.sequence])
        var row = try RowInserter(db.cachedStatement(sql: SQLiteDecisionTransaction.insertDecisions + rowPlaceholders(18, 1)))
        SQLiteDecisionTransaction.bind(decision, into: &row)
        try row.step()
    }

    /// Refuses decisions whose sequences do not follow the chain's last one, one after another
    /// (the primary key alone refuses only a sequence already used, not one that skips ahead).
    func checkContinuesChain(_ sequences: [Int64]) throws {
        guard let first = sequences.first else { return }
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(sequence) FROM decisions")) ?? 0
        for (offset, sequence) in sequences.enumerated() where sequence != last + 1 + Int64(offset) {
            throw StoreError(code: "store.chain",
                             message: "decision \(sequence) does not follow decision \(last + Int64(offset)) of the chain (the batch starts at \(first)); nothing is stored",
                             file: nil)
        }
    }

    static let insertDecisions = """
        INSERT INTO decisions (sequence, application_id, kind, decided_at, outcome, approved_limit, proposed_limit, apr_ppm, score,
            probability, fraud_score, reasons, inputs_hash, model_version, policy_version, decided_by, previous_hash, hash) VALUES
        """

    static let insertApplications = """
        INSERT INTO applications (application_id, applied_at, product, channel, merchant_id, requested_amount, amount_cap, term_months,
            person_key, k_person, k_phone, k_card, k_device, k_ip, k_contact, k_address, personal_data, decision_sequence) VALUES
        """

    func openReview(_ item: ReviewItem) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO review_queue (application_id, opened_at, status, reasons, proposed_limit, apr_ppm, score)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                item.applicationID, item.openedAt.secondsSinceEpoch, item.status.rawValue, item.reasons.map(\.code).joined(separator: ";"),
                item.proposedLimit.fen, item.apr.partsPerMillion, item.score,
            ])
    }

    func closeReview(applicationID: String) throws {
        try db.execute(sql: "UPDATE review_queue SET status = 'decided' WHERE application_id = ?", arguments: [applicationID])
    }

    func review(applicationID: String) throws -> ReviewItem? {
        try Row.fetchOne(db, sql: "SELECT * FROM review_queue WHERE application_id = ?", arguments: [applicationID]).map(SQLiteStore.review)
    }

    func record(surge event: SurgeEvent) throws {
        try db.execute(sql: "INSERT INTO surge_events (at, kind, key, recent_count, baseline_per_window) VALUES (?, ?, ?, ?, ?)",
                       arguments: [event.at.secondsSinceEpoch, event.kind.rawValue, event.key, event.recentCount, event.baselinePerWindow])
    }

    func storeWhitelist(_ entries: [WhitelistEntry], replacingAll: Bool) throws {
        if replacingAll { try db.execute(sql: "DELETE FROM whitelist") }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO whitelist (person_key, pre_credit_limit, segment, valid_until) VALUES (?, ?, ?, ?)
            ON CONFLICT (person_key) DO UPDATE SET pre_credit_limit = excluded.pre_credit_limit, segment = excluded.segment,
                valid_until = excluded.valid_until
            """)
        for entry in entries {
            try statement.execute(arguments: [SQLiteStore.blob(entry.idNumberKey), entry.preCreditLimit.fen, entry.segment, entry.validUntil.description])
        }
    }

    func storeBlacklist(_ entries: [BlacklistEntry]) throws {
        try db.execute(sql: """
            INSERT INTO revisions (name, revision) VALUES ('blacklist', 1)
            ON CONFLICT (name) DO UPDATE SET revision = revision + 1
            """)
        let statement = try db.cachedStatement(sql: """
            INSERT INTO blacklist (type, value_key, reason, valid_until) VALUES (?, ?, ?, ?)
            ON CONFLICT (type, value_key) DO UPDATE SET reason = excluded.reason, valid_until = excluded.valid_until
            """)
        for entry in entries {
            try statement.execute(arguments: [entry.type.rawValue, SQLiteStore.blob(entry.valueKey), entry.reason, entry.validUntil?.description])
        }
    }
}

/// `?, ?, ?` for `count` values.
func placeholders(_ count: Int) -> String {
    String(repeating: "?, ", count: max(count - 1, 0)) + (count > 0 ? "?" : "")
}

/// `(?, ?), (?, ?)` for `rows` rows of `columns` values.
func rowPlaceholders(_ columns: Int, _ rows: Int) -> String {
    let row = "(" + placeholders(columns) + ")"
    return Array(repeating: row, count: rows).joined(separator: ", ")
}

