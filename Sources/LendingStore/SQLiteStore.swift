import Foundation
import GRDB
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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for digit in hex.utf8 {
            let value: UInt8 = switch digit {
            case 48...57: digit - 48
            case 97...102: digit - 87
            case 65...70: digit - 55
            default: 0
            }
            if let first = high {
                bytes.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return Data(bytes)
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
