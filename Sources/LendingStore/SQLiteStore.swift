import Foundation
import GRDB
import LendingStorePorts
import LendingModel

/// The embedded SQLite database (through GRDB): one `DatabasePool` in WAL mode per file and
/// process, `synchronous=FULL` (every commit is on disk before it returns), migrations that
/// are never edited once shipped. `:memory:` opens a private in-memory database (tests).
public final class SQLiteStore: Sendable {
    let writer: any DatabaseWriter
    public let path: String

    /// Opens (creating if needed) and migrates the database.
    /// - Throws: ``StoreError`` when the file cannot be opened or is not a lending database.
    public init(path: String) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // A batch of a hundred thousand applications touches index pages all over the file:
            // a 256 MB page cache keeps them in memory until the commit writes them once.
            try db.execute(sql: "PRAGMA cache_size = -262144")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        configuration.busyMode = .timeout(10)
        do {
            writer = path == ":memory:" ? try DatabaseQueue(configuration: configuration)
                : try DatabasePool(path: path, configuration: configuration)
            // DatabasePool switches its writer to synchronous=NORMAL when it turns WAL on, after
            // prepareDatabase ran: set FULL again, so that every commit is on disk when it returns.
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try SQLiteStore.migrator.migrate(writer)
        } catch {
            throw StoreError(error, file: path, doing: "open the database")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-applications") { db in
            try db.execute(sql: """
                CREATE TABLE whitelist (
                    person_key BLOB PRIMARY KEY NOT NULL,
                    pre_credit_limit INTEGER NOT NULL CHECK (pre_credit_limit >= 0),
                    segment TEXT NOT NULL,
                    valid_until TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE blacklist (
                    type TEXT NOT NULL,
                    value_key BLOB NOT NULL,
                    reason TEXT NOT NULL,
                    valid_until TEXT,
                    PRIMARY KEY (type, value_key)
                ) WITHOUT ROWID;
                CREATE TABLE applications (
                    id INTEGER PRIMARY KEY,
                    application_id TEXT NOT NULL UNIQUE,
                    applied_at INTEGER NOT NULL,
                    product TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    merchant_id TEXT,
                    requested_amount INTEGER NOT NULL CHECK (requested_amount > 0),
                    amount_cap INTEGER NOT NULL,
                    term_months INTEGER NOT NULL,
                    person_key BLOB NOT NULL,
                    k_person INTEGER NOT NULL,
                    k_phone INTEGER, k_card INTEGER, k_device INTEGER, k_ip INTEGER, k_contact INTEGER, k_address INTEGER,
                    personal_data BLOB NOT NULL,
                    decision_sequence INTEGER NOT NULL
                );
                CREATE INDEX applications_by_time ON applications (applied_at);
                CREATE TABLE decisions (
                    sequence INTEGER PRIMARY KEY,
                    application_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    decided_at INTEGER NOT NULL,
                    outcome TEXT NOT NULL CHECK (outcome IN ('approve', 'review', 'decline')),
                    approved_limit INTEGER NOT NULL,
                    proposed_limit INTEGER NOT NULL,
                    apr_ppm INTEGER NOT NULL,
                    score REAL,
                    probability REAL,
                    fraud_score REAL,
                    reasons TEXT NOT NULL,
                    inputs_hash BLOB NOT NULL,
                    model_version TEXT NOT NULL,
                    policy_version TEXT NOT NULL,
                    decided_by TEXT NOT NULL,
                    previous_hash BLOB NOT NULL,
                    hash BLOB NOT NULL
                );
                CREATE INDEX decisions_by_application ON decisions (application_id, sequence);
                CREATE TRIGGER decisions_are_append_only_update BEFORE UPDATE ON decisions
                    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
                CREATE TRIGGER decisions_are_append_only_delete BEFORE DELETE ON decisions
                    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
                CREATE TABLE review_queue (
                    application_id TEXT PRIMARY KEY NOT NULL,
                    opened_at INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('open', 'decided')),
                    reasons TEXT NOT NULL,
                    proposed_limit INTEGER NOT NULL,
                    apr_ppm INTEGER NOT NULL,
                    score REAL
                ) WITHOUT ROWID;
                CREATE INDEX review_queue_open ON review_queue (status, opened_at);
                CREATE TABLE surge_events (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    key TEXT NOT NULL,
                    recent_count INTEGER NOT NULL,
                    baseline_per_window REAL NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2-servicing") { db in
            try db.execute(sql: """
                CREATE TABLE agreements (
                    application_id TEXT PRIMARY KEY NOT NULL,
                    product TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('installment', 'revolving')),
                    amount INTEGER NOT NULL CHECK (amount > 0),
                    term_months INTEGER NOT NULL,
                    apr_ppm INTEGER NOT NULL CHECK (apr_ppm >= 0),
                    terms TEXT NOT NULL,
                    schedule TEXT NOT NULL,
                    text_sha256 BLOB NOT NULL CHECK (length(text_sha256) = 32),
                    text_sealed BLOB NOT NULL,
                    signer TEXT NOT NULL,
                    signed_at INTEGER NOT NULL
                );
                CREATE TRIGGER agreements_are_append_only_update BEFORE UPDATE ON agreements
                    BEGIN SELECT RAISE(ABORT, 'agreements are append-only'); END;
                CREATE TRIGGER agreements_are_append_only_delete BEFORE DELETE ON agreements
                    BEGIN SELECT RAISE(ABORT, 'agreements are append-only'); END;
                CREATE TABLE credit_lines (
                    line_id TEXT PRIMARY KEY NOT NULL,
                    application_id TEXT NOT NULL,
                    product TEXT NOT NULL,
                    limit_amount INTEGER NOT NULL CHECK (limit_amount >= 0),
                    drawn_principal INTEGER NOT NULL CHECK (drawn_principal >= 0),
                    apr_ppm INTEGER NOT NULL CHECK (apr_ppm >= 0),
                    frozen INTEGER NOT NULL CHECK (frozen IN (0, 1)),
                    signed_on INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE loans (
                    id INTEGER PRIMARY KEY,
                    loan_id TEXT NOT NULL UNIQUE,
                    application_id TEXT NOT NULL,
                    line_id TEXT,
                    product TEXT NOT NULL,
                    principal INTEGER NOT NULL CHECK (principal > 0),
                    term_months INTEGER NOT NULL CHECK (term_months BETWEEN 1 AND 600),
                    apr_ppm INTEGER NOT NULL CHECK (apr_ppm >= 0),
                    signed_on INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('signed', 'active', 'paid_off', 'written_off')),
                    state BLOB,
                    CHECK ((status = 'signed') = (state IS NULL))
                );
                CREATE INDEX loans_awaiting_payout ON loans (id) WHERE status = 'signed';
                CREATE INDEX loans_active ON loans (id) WHERE status = 'active';
                CREATE INDEX loans_by_line ON loans (line_id) WHERE line_id IS NOT NULL;
                CREATE TABLE loan_daily (
                    id INTEGER PRIMARY KEY,
                    processed_through INTEGER NOT NULL,
                    days_past_due INTEGER NOT NULL,
                    interest_receivable INTEGER NOT NULL,
                    penalty_receivable INTEGER NOT NULL,
                    memo_interest INTEGER NOT NULL,
                    memo_penalty INTEGER NOT NULL,
                    current_accrued INTEGER NOT NULL
                );
                CREATE TABLE payouts (
                    key TEXT PRIMARY KEY NOT NULL,
                    loan_id TEXT NOT NULL,
                    attempt INTEGER NOT NULL CHECK (attempt >= 1),
                    amount INTEGER NOT NULL CHECK (amount > 0),
                    status TEXT NOT NULL CHECK (status IN ('sent', 'paid', 'failed', 'unknown')),
                    sent_on INTEGER NOT NULL,
                    settled_on INTEGER,
                    reason TEXT,
                    UNIQUE (loan_id, attempt)
                );
                CREATE UNIQUE INDEX payouts_one_live_per_loan ON payouts (loan_id) WHERE status <> 'failed';
                CREATE INDEX payouts_in_flight ON payouts (key) WHERE status IN ('sent', 'unknown');
                CREATE TRIGGER payouts_final BEFORE UPDATE ON payouts WHEN OLD.status IN ('paid', 'failed')
                    BEGIN SELECT RAISE(ABORT, 'a paid or failed payout is final'); END;
                CREATE TRIGGER payouts_keep_their_identity BEFORE UPDATE OF key, loan_id, attempt, amount, sent_on ON payouts
                    BEGIN SELECT RAISE(ABORT, 'a payout keeps its key, loan, attempt, amount and date'); END;
                CREATE TRIGGER payouts_are_kept BEFORE DELETE ON payouts
                    BEGIN SELECT RAISE(ABORT, 'payouts are never deleted'); END;
                CREATE TABLE journal (
                    sequence INTEGER PRIMARY KEY,
                    id TEXT NOT NULL,
                    date INTEGER NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('disbursement', 'accrual', 'repayment', 'overpayment_applied', 'write_off', 'reversal', 'adjustment')),
                    loan_id TEXT,
                    reverses TEXT,
                    memo TEXT NOT NULL,
                    previous_hash BLOB NOT NULL,
                    hash BLOB NOT NULL,
                    CHECK ((kind IN ('accrual', 'overpayment_applied')) = (substr(id, 1, 7) = 'accrue:' OR substr(id, 1, 6) = 'apply:')),
                    CHECK (kind NOT IN ('accrual', 'overpayment_applied') OR substr(id, -10) = date(date * 86400, 'unixepoch'))
                );
                CREATE UNIQUE INDEX journal_daily_ids ON journal (date, id) WHERE kind IN ('accrual', 'overpayment_applied');
                CREATE UNIQUE INDEX journal_ids ON journal (id) WHERE kind NOT IN ('accrual', 'overpayment_applied');
                CREATE TRIGGER journal_is_append_only_update BEFORE UPDATE ON journal
                    BEGIN SELECT RAISE(ABORT, 'the journal is append-only: correct an entry with a reversal'); END;
                CREATE TRIGGER journal_is_append_only_delete BEFORE DELETE ON journal
                    BEGIN SELECT RAISE(ABORT, 'the journal is append-only: correct an entry with a reversal'); END;
                CREATE TABLE postings (
                    sequence INTEGER NOT NULL,
                    leg INTEGER NOT NULL,
                    account INTEGER NOT NULL CHECK (account IN (1, 2, 3, 4, 5, 16, 17, 18, 19)),
                    side INTEGER NOT NULL CHECK (side IN (0, 1)),
                    amount INTEGER NOT NULL CHECK (amount > 0),
                    PRIMARY KEY (sequence, leg)
                ) WITHOUT ROWID;
                CREATE TRIGGER postings_are_append_only_update BEFORE UPDATE ON postings
                    BEGIN SELECT RAISE(ABORT, 'postings are append-only'); END;
                CREATE TRIGGER postings_are_append_only_delete BEFORE DELETE ON postings
                    BEGIN SELECT RAISE(ABORT, 'postings are append-only'); END;
                CREATE TABLE journal_head (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    sequence INTEGER NOT NULL,
                    hash BLOB NOT NULL
                );
                INSERT INTO journal_head (id, sequence, hash) VALUES (1, 0, zeroblob(32));
                CREATE TRIGGER journal_head_is_kept BEFORE DELETE ON journal_head
                    BEGIN SELECT RAISE(ABORT, 'the journal head is kept'); END;
                CREATE VIEW ledger_postings AS
                    SELECT p.sequence, p.leg, j.id AS entry_id, date(j.date * 86400, 'unixepoch') AS date, j.kind,
                        CASE p.account
                            WHEN 1 THEN 'lender:funding_cash' WHEN 2 THEN 'lender:interest_income' WHEN 3 THEN 'lender:penalty_income'
                            WHEN 4 THEN 'lender:suspense' WHEN 5 THEN 'lender:write_off_expense'
                            WHEN 16 THEN 'loan:' || j.loan_id || ':principal' WHEN 17 THEN 'loan:' || j.loan_id || ':interest'
                            WHEN 18 THEN 'loan:' || j.loan_id || ':penalty' WHEN 19 THEN 'loan:' || j.loan_id || ':overpayment'
                        END AS account,
                        CASE p.side WHEN 0 THEN 'debit' ELSE 'credit' END AS side,
                        p.amount
                    FROM postings p JOIN journal j ON j.sequence = p.sequence;
                CREATE TABLE repayments (
                    payment_id TEXT PRIMARY KEY NOT NULL,
                    loan_id TEXT NOT NULL,
                    paid_on INTEGER NOT NULL,
                    amount INTEGER NOT NULL CHECK (amount > 0),
                    request_hash BLOB NOT NULL,
                    entry_sequence INTEGER NOT NULL,
                    penalty INTEGER NOT NULL,
                    interest INTEGER NOT NULL,
                    principal INTEGER NOT NULL,
                    overpayment INTEGER NOT NULL,
                    recovery INTEGER NOT NULL
                );
                CREATE TRIGGER repayments_are_append_only_update BEFORE UPDATE ON repayments
                    BEGIN SELECT RAISE(ABORT, 'repayments are append-only'); END;
                CREATE TRIGGER repayments_are_append_only_delete BEFORE DELETE ON repayments
                    BEGIN SELECT RAISE(ABORT, 'repayments are append-only'); END;
                CREATE TABLE draws (
                    draw_id TEXT PRIMARY KEY NOT NULL,
                    line_id TEXT NOT NULL,
                    amount INTEGER NOT NULL CHECK (amount > 0),
                    term_months INTEGER NOT NULL,
                    requested_on INTEGER NOT NULL,
                    request_hash BLOB NOT NULL
                );
                CREATE TRIGGER draws_are_append_only_update BEFORE UPDATE ON draws
                    BEGIN SELECT RAISE(ABORT, 'draws are append-only'); END;
                CREATE TRIGGER draws_are_append_only_delete BEFORE DELETE ON draws
                    BEGIN SELECT RAISE(ABORT, 'draws are append-only'); END;
                """)
        }
        migrator.registerMigration("v3-idempotency") { db in
            try db.execute(sql: """
                CREATE TABLE idempotency_keys (
                    key TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
                    fingerprint BLOB NOT NULL CHECK (length(fingerprint) = 32),
                    status INTEGER NOT NULL CHECK (status BETWEEN 100 AND 599),
                    body BLOB NOT NULL,
                    received_at INTEGER NOT NULL
                );
                CREATE INDEX idempotency_keys_by_time ON idempotency_keys (received_at);
                """)
        }
        migrator.registerMigration("v4-collections", migrate: SQLiteStore.migrateCollections)
        // Shipped migrations are never edited: a database made before this table existed has v1
        // recorded and gets it here.
        migrator.registerMigration("v5-revisions") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS revisions (
                    name TEXT PRIMARY KEY NOT NULL,
                    revision INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v6-back-office", migrate: SQLiteStore.migrateBackOffice)
        migrator.registerMigration("v7-contacts", migrate: SQLiteStore.migrateContacts)
        // A loan's payments in posted order, for reversals (`repayments(loanID:)`).
        migrator.registerMigration("v8-repayments-by-loan") { db in
            try db.execute(sql: "CREATE INDEX repayments_by_loan ON repayments (loan_id, entry_sequence)")
        }
        migrator.registerMigration("v9-refunds", migrate: SQLiteStore.migrateRefunds)
        migrator.registerMigration("v10-suspense", migrate: SQLiteStore.migrateSuspense)
        return migrator
    }

    /// Runs `body` in a write transaction, turning database errors into ``StoreError``.
    func write<T>(_ doing: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(body)
        } catch let error as DatabaseError {
            throw StoreError(error, file: path, doing: doing)
        }
    }

    /// Runs `body` in a read transaction, turning database errors into ``StoreError``.
    func read<T>(_ doing: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as DatabaseError {
            throw StoreError(error, file: path, doing: doing)
        }
    }

    /// Hashes and keys are kept as 32-byte blobs (half the size of their hex text).
    static func blob(_ hex: String) -> Data {
        var text = hex
        return text.withUTF8 { digits in
            Data((0..<digits.count / 2).map { RowInserter.nibble(digits[2 * $0]) << 4 | RowInserter.nibble(digits[2 * $0 + 1]) })
        }
    }

    /// The hex text of a blob read back.
    static func hex(_ blob: Data?) -> String { blob.map { hexString($0) } ?? "" }

    /// The value of a PRAGMA on the writing connection (`journal_mode`, `synchronous`...).
    public func pragma(_ name: String) throws -> String? {
        guard name.allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }
        return try writer.write { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
    }

    /// Test hook: runs raw SQL (to tamper with rows as an attacker with file access would).
    public func executeUnchecked(_ sql: String) throws {
        try writer.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }
}

/// A storage failure: which database, what was being done, and SQLite's own words.
public struct StoreError: LendingDiagnostic, Sendable {
    public var code: String
    public var message: String
    public var location: SourceLocation? { nil }
    public var file: String?

    public init(code: String, message: String, file: String?) {
        self.code = code
        self.message = message
        self.file = file
    }

    init(_ error: any Error, file: String, doing: String) {
        if let database = error as? DatabaseError {
            let hint = switch database.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: "another process holds the database; wait for it and run again"
            case .SQLITE_FULL: "the disk is full"
            case .SQLITE_NOTADB, .SQLITE_CORRUPT: "the file is not a lending database or is damaged; restore it from a backup"
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY: "check that the file and its directory are writable"
            default: "see the database's message"
            }
            self.init(code: "store.\(database.resultCode.rawValue)", message: "cannot \(doing): \(database.message ?? "\(database.resultCode)"); \(hint)", file: file)
        } else {
            self.init(code: "store.failed", message: "cannot \(doing): \(error)", file: file)
        }
    }
}

extension SQLiteStore: LendingDatabase {}
