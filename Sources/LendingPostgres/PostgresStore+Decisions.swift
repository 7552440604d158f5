import Foundation
import NIOCore
import PostgresNIO
import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPreCredit
import LendingStorePorts

extension PostgresStore: DecisionStore {
    func read<T>(_ doing: String, _ body: (PostgresSession) throws -> T) throws -> T {
        try transaction(doing, write: false, lock: nil, body)
    }

    public func history(since: Instant) throws -> [HistoricApplication] {
        try read("read the application history") { try PostgresDecisionTransaction($0).history(since: since) }
    }

    public func blacklist() throws -> [BlacklistEntry] {
        try read("read the blacklist") { try PostgresDecisionTransaction($0).blacklist() }
    }

    public func blacklistRevision() throws -> Int64 {
        try read("read the blacklist's revision") { try PostgresDecisionTransaction($0).blacklistRevision() }
    }

    public func chainHead() throws -> DecisionRecord? {
        try read("read the last decision") { try PostgresDecisionTransaction($0).chainHead() }
    }

    public func decisions(after sequence: Int64, limit: Int) throws -> [ChainedDecision] {
        try read("read the latest decisions") { try PostgresDecisionTransaction($0).decisions(after: sequence, limit: limit) }
    }

    public func withTransaction<T>(_ body: (any DecisionTransaction) throws -> T) throws -> T {
        try transaction("store the decisions", write: true, lock: .decisions) { try body(PostgresDecisionTransaction($0)) }
    }

    public func forEachDecision(_ body: (DecisionRecord) throws -> Void) throws {
        try read("read the decisions") { session in
            // In pages by sequence, so that a long chain is never held in memory at once.
            var after: Int64 = 0
            while true {
                let rows = try session.query("SELECT \(PostgresDecisionTransaction.decisionColumns) FROM decisions WHERE sequence > $1 ORDER BY sequence LIMIT 10000",
                                             [after])
                guard !rows.isEmpty else { return }
                for row in rows {
                    let decision = try PostgresDecisionTransaction.decision(row, at: 0)
                    after = decision.sequence
                    try body(decision)
                }
            }
        }
    }

    public func applicationsWithoutDecision() throws -> [String] {
        try read("check the applications") { session in
            try session.query("""
                SELECT a.application_id FROM applications a
                LEFT JOIN decisions d ON d.sequence = a.decision_sequence AND d.application_id = a.application_id
                WHERE d.sequence IS NULL ORDER BY a.application_id
                """).map { try $0.text(0) }
        }
    }

    public func openReviews() throws -> [ReviewItem] {
        try read("read the review queue") { session in
            try session.query("SELECT \(PostgresDecisionTransaction.reviewColumns) FROM review_queue WHERE status = 'open' ORDER BY opened_at, application_id")
                .map(PostgresDecisionTransaction.review)
        }
    }

    public func application(_ applicationID: String) throws -> (StoredApplication, DecisionRecord)? {
        try read("read an application") { session in
            let transaction = PostgresDecisionTransaction(session)
            guard let application = try transaction.application(applicationID),
                  let decision = try transaction.latestDecision(applicationID) else { return nil }
            return (application, decision)
        }
    }

    public func whitelistCount() throws -> Int {
        try read("count the whitelist") { try $0.query("SELECT count(*) FROM whitelist").first?.integer(0) ?? 0 }
    }
}

/// One transaction's application-path operations.
struct PostgresDecisionTransaction: DecisionTransaction {
    let session: PostgresSession

    init(_ session: PostgresSession) { self.session = session }

    // MARK: Rows

    static let applicationColumns = """
        a.application_id, a.applied_at, a.product, a.channel, a.merchant_id, a.requested_amount, a.amount_cap, a.term_months, a.person_key,
        a.k_person, a.k_phone, a.k_card, a.k_device, a.k_ip, a.k_contact, a.k_address, a.personal_data, a.decision_sequence, f.inputs_hash
        """
    static let applicationColumnCount = 19

    /// An application read from ``applicationColumns`` starting at `start`.
    static func application(_ row: StoredRow, at start: Int = 0) throws -> StoredApplication {
        func key(_ index: Int) throws -> UInt64? { try row.optionalInt(start + index).map { UInt64(bitPattern: $0) } }
        return StoredApplication(
            applicationID: try row.text(start), appliedAt: try row.instant(start + 1), product: try row.text(start + 2),
            channel: try row.text(start + 3), merchantID: try row.optionalText(start + 4), requestedAmount: try row.money(start + 5),
            amountCap: try row.money(start + 6), termMonths: try row.integer(start + 7), personKey: try row.hex(start + 8),
            keys: FraudKeys(person: try key(9) ?? 0, phone: try key(10), bankCard: try key(11), device: try key(12), ip: try key(13),
                            contactPhone: try key(14), address: try key(15)),
            personalData: try row.bytes(start + 16), inputsHash: try row.hex(start + 18), decisionSequence: try row.int(start + 17))
    }

    static let decisionColumns = """
        sequence, application_id, kind, decided_at, outcome, approved_limit, proposed_limit, apr_ppm, score, probability, fraud_score, reasons,
        inputs_hash, model_version, policy_version, decided_by, previous_hash, hash
        """

    /// ``decisionColumns`` with a table prefix (`d.sequence, d.application_id, ...`).
    static func decisionColumns(of table: String) -> String {
        decisionColumns.split(separator: ",").map { "\(table).\($0.trimmingCharacters(in: .whitespacesAndNewlines))" }.joined(separator: ", ")
    }

    static func decision(_ row: StoredRow, at start: Int) throws -> DecisionRecord {
        let reasons = try row.text(start + 11)
        return DecisionRecord(
            sequence: try row.int(start), applicationID: try row.text(start + 1),
            kind: DecisionRecord.Kind(rawValue: try row.text(start + 2)) ?? .automated, decidedAt: try row.instant(start + 3),
            outcome: DecisionRecord.Outcome(rawValue: try row.text(start + 4)) ?? .decline, approvedLimit: try row.money(start + 5),
            proposedLimit: try row.money(start + 6), apr: AnnualRate(partsPerMillion: try row.int(start + 7)), score: try row.double(start + 8),
            probability: try row.double(start + 9), fraudScore: try row.double(start + 10),
            reasons: reasons.isEmpty ? [] : reasons.split(separator: ";").map { DecisionReason(unchecked: String($0)) },
            inputsHash: try row.hex(start + 12), modelVersion: try row.text(start + 13), policyVersion: try row.text(start + 14),
            decidedBy: try row.text(start + 15), previousHash: try row.hex(start + 16), hash: try row.hex(start + 17))
    }

    static let reviewColumns = "application_id, opened_at, status, reasons, proposed_limit, apr_ppm, score"

    static func review(_ row: StoredRow) throws -> ReviewItem {
        let reasons = try row.text(3)
        return ReviewItem(applicationID: try row.text(0), openedAt: try row.instant(1),
                          status: ReviewItem.Status(rawValue: try row.text(2)) ?? .open,
                          reasons: reasons.isEmpty ? [] : reasons.split(separator: ";").map { DecisionReason(unchecked: String($0)) },
                          proposedLimit: try row.money(4), apr: AnnualRate(partsPerMillion: try row.int(5)), score: try row.double(6))
    }

    // MARK: Reads

    func history(since: Instant) throws -> [HistoricApplication] {
        try session.query("""
            SELECT \(Self.applicationColumns),
                (SELECT outcome FROM decisions d WHERE d.application_id = a.application_id ORDER BY sequence DESC LIMIT 1) AS latest
            FROM applications a JOIN decisions f ON f.sequence = a.decision_sequence
            WHERE a.applied_at >= $1 ORDER BY a.applied_at, a.application_id
            """, [since.secondsSinceEpoch]).map { row in
            HistoricApplication(application: try Self.application(row), approved: try row.optionalText(Self.applicationColumnCount) == "approve")
        }
    }

    func blacklistRevision() throws -> Int64 {
        try session.query("SELECT revision FROM revisions WHERE name = 'blacklist'").first?.int(0) ?? 0
    }

    func blacklist() throws -> [BlacklistEntry] {
        try session.query("SELECT type, value_key, reason, valid_until FROM blacklist").compactMap { row in
            guard let type = FraudDimension(rawValue: try row.text(0)) else { return nil }
            return BlacklistEntry(type: type, valueKey: try row.hex(1), reason: try row.text(2),
                                  validUntil: try row.optionalText(3).flatMap { CalendarDay(iso: $0) })
        }
    }

    func chainHead() throws -> DecisionRecord? {
        try session.query("SELECT \(Self.decisionColumns) FROM decisions ORDER BY sequence DESC LIMIT 1").first.map { try Self.decision($0, at: 0) }
    }

    func decisions(after sequence: Int64, limit: Int) throws -> [ChainedDecision] {
        let decisions = try session.query("SELECT \(Self.decisionColumns) FROM decisions WHERE sequence > $1 ORDER BY sequence LIMIT $2",
                                          [sequence, Int64(limit)]).map { try Self.decision($0, at: 0) }
        var applications: [String: StoredApplication] = [:]
        for chunk in Array(Set(decisions.map(\.applicationID))).chunked(by: 10_000) {
            for row in try session.query("""
                SELECT \(Self.applicationColumns) FROM applications a JOIN decisions f ON f.sequence = a.decision_sequence WHERE a.application_id = ANY($1)
                """, [List(Array(chunk))]) {
                let application = try Self.application(row)
                applications[application.applicationID] = application
            }
        }
        return decisions.map { decision in
            ChainedDecision(decision: decision, firstOf: applications[decision.applicationID].flatMap { $0.decisionSequence == decision.sequence ? $0 : nil })
        }
    }

    func latestDecision(_ applicationID: String) throws -> DecisionRecord? {
        try session.query("SELECT \(Self.decisionColumns) FROM decisions WHERE application_id = $1 ORDER BY sequence DESC LIMIT 1", [applicationID])
            .first.map { try Self.decision($0, at: 0) }
    }

    func existing(applicationID: String) throws -> (inputsHash: String, decision: DecisionRecord)? {
        guard let hash = try session.query("""
                SELECT d.inputs_hash FROM applications a JOIN decisions d ON d.sequence = a.decision_sequence WHERE a.application_id = $1
                """, [applicationID]).first?.hex(0),
              let decision = try latestDecision(applicationID) else { return nil }
        return (hash, decision)
    }

    func application(_ applicationID: String) throws -> StoredApplication? {
        try session.query("""
            SELECT \(Self.applicationColumns) FROM applications a JOIN decisions f ON f.sequence = a.decision_sequence WHERE a.application_id = $1
            """, [applicationID]).first.map { try Self.application($0) }
    }

    func whitelistEntry(personKey: String) throws -> WhitelistEntry? {
        try whitelistEntries(personKeys: [personKey])[personKey]
    }

    func whitelistEntries(personKeys: [String]) throws -> [String: WhitelistEntry] {
        var found: [String: WhitelistEntry] = [:]
        for chunk in personKeys.chunked(by: 10_000) {
            let keys = List(chunk.map { ByteBuffer(bytes: Bytes.decode(hex: $0)) })
            for row in try session.query("SELECT person_key, pre_credit_limit, segment, valid_until FROM whitelist WHERE person_key = ANY($1)", [keys]) {
                guard let validUntil = CalendarDay(iso: try row.text(3)) else { continue }
                let key = try row.hex(0)
                found[key] = WhitelistEntry(idNumberKey: key, preCreditLimit: try row.money(1), segment: try row.text(2), validUntil: validUntil)
            }
        }
        return found
    }

    func inputsHashes(applicationIDs: [String]) throws -> [String: String] {
        var found: [String: String] = [:]
        for chunk in applicationIDs.chunked(by: 10_000) {
            for row in try session.query("""
                SELECT a.application_id, d.inputs_hash FROM applications a JOIN decisions d ON d.sequence = a.decision_sequence
                WHERE a.application_id = ANY($1)
                """, [List(Array(chunk))]) {
                found[try row.text(0)] = try row.hex(1)
            }
        }
        return found
    }

    // MARK: Writes

    func insert(_ application: StoredApplication, decision: DecisionRecord) throws {
        try insert([(application, decision)])
    }

    /// Inserts in statements of up to 1,000 rows, each column bound as one array (`unnest`): a
    /// statement's parse and round trip for many rows.
    func insert(_ rows: [(application: StoredApplication, decision: DecisionRecord)]) throws {
        try checkContinuesChain(rows.map(\.decision.sequence))
        for chunk in rows.chunked(by: 1_000) {
            try insertDecisions(chunk.map(\.decision))
            var binds = PostgresBindings(capacity: 18)
            func key(_ value: UInt64?) -> Int64? { value.map { Int64(bitPattern: $0) } }
            let applications = chunk.map(\.application)
            binds.append(applications.map(\.applicationID))
            binds.append(applications.map(\.appliedAt.secondsSinceEpoch))
            binds.append(applications.map(\.product))
            binds.append(applications.map(\.channel))
            binds.append(applications.map { $0.merchantID ?? "" })
            binds.append(applications.map { $0.merchantID != nil })
            binds.append(applications.map(\.requestedAmount.fen))
            binds.append(applications.map(\.amountCap.fen))
            binds.append(applications.map { Int64($0.termMonths) })
            binds.append(applications.map { ByteBuffer(bytes: Bytes.decode(hex: $0.personKey)) })
            binds.append(applications.map { Int64(bitPattern: $0.keys.person) })
            for path in [\FraudKeys.phone, \.bankCard, \.device, \.ip, \.contactPhone, \.address] {
                binds.append(applications.map { key($0.keys[keyPath: path]) ?? 0 })
                binds.append(applications.map { $0.keys[keyPath: path] != nil })
            }
            binds.append(applications.map { ByteBuffer(bytes: $0.personalData) })
            binds.append(applications.map(\.decisionSequence))
            try session.send("""
                INSERT INTO applications (application_id, applied_at, product, channel, merchant_id, requested_amount, amount_cap, term_months,
                    person_key, k_person, k_phone, k_card, k_device, k_ip, k_contact, k_address, personal_data, decision_sequence)
                SELECT id, at, product, channel, CASE WHEN has_merchant THEN merchant END, requested, cap, term, person_key, k_person,
                    CASE WHEN h1 THEN k1 END, CASE WHEN h2 THEN k2 END, CASE WHEN h3 THEN k3 END, CASE WHEN h4 THEN k4 END,
                    CASE WHEN h5 THEN k5 END, CASE WHEN h6 THEN k6 END, personal_data, sequence
                FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::bigint[], $8::bigint[], $9::bigint[],
                    $10::bytea[], $11::bigint[], $12::bigint[], $13::boolean[], $14::bigint[], $15::boolean[], $16::bigint[], $17::boolean[],
                    $18::bigint[], $19::boolean[], $20::bigint[], $21::boolean[], $22::bigint[], $23::boolean[], $24::bytea[], $25::bigint[])
                    AS t(id, at, product, channel, merchant, has_merchant, requested, cap, term, person_key, k_person, k1, h1, k2, h2, k3, h3,
                         k4, h4, k5, h5, k6, h6, personal_data, sequence)
                """, binds: binds)
        }
    }

    private func insertDecisions(_ decisions: [DecisionRecord]) throws {
        var binds = PostgresBindings(capacity: 21)
        binds.append(decisions.map(\.sequence))
        binds.append(decisions.map(\.applicationID))
        binds.append(decisions.map(\.kind.rawValue))
        binds.append(decisions.map(\.decidedAt.secondsSinceEpoch))
        binds.append(decisions.map(\.outcome.rawValue))
        binds.append(decisions.map(\.approvedLimit.fen))
        binds.append(decisions.map(\.proposedLimit.fen))
        binds.append(decisions.map(\.apr.partsPerMillion))
        for path in [\DecisionRecord.score, \.probability, \.fraudScore] {
            binds.append(decisions.map { $0[keyPath: path] ?? 0 })
            binds.append(decisions.map { $0[keyPath: path] != nil })
        }
        binds.append(decisions.map { $0.reasons.map(\.code).joined(separator: ";") })
        binds.append(decisions.map { ByteBuffer(bytes: Bytes.decode(hex: $0.inputsHash)) })
        binds.append(decisions.map(\.modelVersion))
        binds.append(decisions.map(\.policyVersion))
        binds.append(decisions.map(\.decidedBy))
        binds.append(decisions.map { ByteBuffer(bytes: Bytes.decode(hex: $0.previousHash)) })
        binds.append(decisions.map { ByteBuffer(bytes: Bytes.decode(hex: $0.hash)) })
        try session.send("""
            INSERT INTO decisions (sequence, application_id, kind, decided_at, outcome, approved_limit, proposed_limit, apr_ppm, score,
                probability, fraud_score, reasons, inputs_hash, model_version, policy_version, decided_by, previous_hash, hash)
            SELECT sequence, application_id, kind, decided_at, outcome, approved_limit, proposed_limit, apr_ppm,
                CASE WHEN has_score THEN score END, CASE WHEN has_probability THEN probability END, CASE WHEN has_fraud THEN fraud END,
                reasons, inputs_hash, model_version, policy_version, decided_by, previous_hash, hash
            FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[],
                $9::float8[], $10::boolean[], $11::float8[], $12::boolean[], $13::float8[], $14::boolean[], $15::text[], $16::bytea[],
                $17::text[], $18::text[], $19::text[], $20::bytea[], $21::bytea[])
                AS t(sequence, application_id, kind, decided_at, outcome, approved_limit, proposed_limit, apr_ppm, score, has_score,
                     probability, has_probability, fraud, has_fraud, reasons, inputs_hash, model_version, policy_version, decided_by,
                     previous_hash, hash)
            """, binds: binds)
    }

    func append(decision: DecisionRecord) throws {
        try checkContinuesChain([decision.sequence])
        try insertDecisions([decision])
    }

    /// Refuses decisions whose sequences do not follow the chain's last one, one after another.
    /// The transaction holds the decisions lock, so no other process moves the chain meanwhile.
    func checkContinuesChain(_ sequences: [Int64]) throws {
        guard let first = sequences.first else { return }
        let last = try session.query("SELECT coalesce(max(sequence), 0) FROM decisions").first?.int(0) ?? 0
        for (offset, sequence) in sequences.enumerated() where sequence != last + 1 + Int64(offset) {
            throw PostgresStoreError(code: "store.chain",
                                     message: "decision \(sequence) does not follow decision \(last + Int64(offset)) of the chain (the batch starts at \(first)); nothing is stored",
                                     location: nil)
        }
    }

    func openReview(_ item: ReviewItem) throws {
        try session.send("""
            INSERT INTO review_queue (application_id, opened_at, status, reasons, proposed_limit, apr_ppm, score) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (application_id) DO UPDATE SET opened_at = excluded.opened_at, status = excluded.status, reasons = excluded.reasons,
                proposed_limit = excluded.proposed_limit, apr_ppm = excluded.apr_ppm, score = excluded.score
            """, [item.applicationID, item.openedAt.secondsSinceEpoch, item.status.rawValue, item.reasons.map(\.code).joined(separator: ";"),
                  item.proposedLimit.fen, item.apr.partsPerMillion, item.score])
    }

    func closeReview(applicationID: String) throws {
        try session.send("UPDATE review_queue SET status = 'decided' WHERE application_id = $1", [applicationID])
    }

    func review(applicationID: String) throws -> ReviewItem? {
        try session.query("SELECT \(Self.reviewColumns) FROM review_queue WHERE application_id = $1", [applicationID]).first.map(Self.review)
    }

    func record(surge event: SurgeEvent) throws {
        try session.send("INSERT INTO surge_events (at, kind, key, recent_count, baseline_per_window) VALUES ($1, $2, $3, $4, $5)",
                            [event.at.secondsSinceEpoch, event.kind.rawValue, event.key, Int64(event.recentCount), event.baselinePerWindow])
    }

    func storeWhitelist(_ entries: [WhitelistEntry], replacingAll: Bool) throws {
        if replacingAll { try session.execute("DELETE FROM whitelist") }
        let unique = entries.lastOfEachKey(\.idNumberKey)
        for chunk in unique.chunked(by: 10_000) {
            var binds = PostgresBindings(capacity: 4)
            binds.append(chunk.map { ByteBuffer(bytes: Bytes.decode(hex: $0.idNumberKey)) })
            binds.append(chunk.map(\.preCreditLimit.fen))
            binds.append(chunk.map(\.segment))
            binds.append(chunk.map(\.validUntil.description))
            try session.send("""
                INSERT INTO whitelist (person_key, pre_credit_limit, segment, valid_until)
                SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::text[], $4::text[])
                ON CONFLICT (person_key) DO UPDATE SET pre_credit_limit = excluded.pre_credit_limit, segment = excluded.segment,
                    valid_until = excluded.valid_until
                """, binds: binds)
        }
    }

    func storeBlacklist(_ entries: [BlacklistEntry]) throws {
        try session.send("""
            INSERT INTO revisions (name, revision) VALUES ('blacklist', 1)
            ON CONFLICT (name) DO UPDATE SET revision = revisions.revision + 1
            """)
        for entry in entries {
            try session.send("""
                INSERT INTO blacklist (type, value_key, reason, valid_until) VALUES ($1, $2, $3, $4)
                ON CONFLICT (type, value_key) DO UPDATE SET reason = excluded.reason, valid_until = excluded.valid_until
                """, [entry.type.rawValue, Bytes(hex: entry.valueKey), entry.reason, entry.validUntil?.description])
        }
    }
}
