import Crypto
import Foundation
import LendingModel
import LendingStorePorts
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The lending database on a PostgreSQL server (through postgres-nio): the system of record for
/// several processes on one book. Every port of ``LendingDatabase`` is implemented on one
/// database, with the same guarantees in the schema as on SQLite (append-only journal, decisions,
/// agreements, postings and payouts by triggers; balanced entries; unique idempotency keys; money
/// as `bigint` fen) and migrations that are never edited once shipped (each is recorded with its
/// SHA-256, and a database whose recorded migration differs from this build's is refused).
///
/// Many processes, one chain: every write transaction on the application path takes the
/// transaction-scoped advisory lock ``Lock/decisions`` first, and every servicing or post-loan write
/// transaction ``Lock/servicing``. Each chain (decisions, journal) therefore has one writer at a
/// time across all processes, which reads the head after it holds the lock: the chains stay
/// linear, a payment id or an idempotency key replayed to two servers at once finds the first
/// one's record, and two end-of-day runs never write the same loan twice. Reads run in
/// `REPEATABLE READ READ ONLY` transactions (one snapshot) and take no lock.
///
/// The ports are synchronous: each call blocks its thread on the driver's future (the driver's
/// own event loops do the I/O). A process keeps a pool of connections, one per thread using it.
public final class PostgresStore: @unchecked Sendable { // the idle pool is guarded by `poolLock`
    /// Where the database is, without its password (safe to show).
    public let location: String
    let configuration: PostgresConnection.Configuration
    let group: MultiThreadedEventLoopGroup
    let logger: Logger
    private let poolLock = NSLock()
    private var idle: [PostgresSession] = []
    private var nextID = 0
    private var closed = false

    /// The advisory locks that serialize writers (transaction-scoped: released at commit or rollback).
    public enum Lock: Int64, Sendable {
        /// The decision chain and everything the application path writes.
        case decisions = 0x4C45_4E44_0001
        /// The journal chain and everything servicing and post-loan write.
        case servicing = 0x4C45_4E44_0002
        /// Migrations (session-scoped while a process migrates).
        case migrations = 0x4C45_4E44_0003
        /// The audit log: appends take turns (short transactions, never behind end of day), so
        /// that sequence numbers commit in order and a reader paging with `after:` skips none.
        case audit = 0x4C45_4E44_0004
    }

    /// Connects (the first connection is opened at once, to report a bad URL or a server that is
    /// down), then migrates the database.
    /// - Parameter url: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`; the password may come
    ///   instead from `PGPASSWORD` or a password file (`PGPASSFILE`, else `~/.pgpass`).
    /// - Throws: ``PostgresStoreError`` for a URL it cannot read, a server it cannot reach, a
    ///   refused login, or a database whose migrations differ from this build's.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                logger: Logger = Logger(label: "lending.postgres")) throws {
        let parsed = try PostgresLocation(url: url, environment: environment)
        location = parsed.redacted
        var configuration = PostgresConnection.Configuration(host: parsed.host, port: parsed.port, username: parsed.user,
                                                             password: parsed.password, database: parsed.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(10)
        self.configuration = configuration
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        do {
            try migrate()
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    deinit {
        close()
    }

    /// Closes every connection and the event loops (the store cannot be used after).
    public func close() {
        let sessions: [PostgresSession]? = poolLock.withLock { () -> [PostgresSession]? in
            guard !closed else { return nil }
            closed = true
            defer { idle.removeAll() }
            return idle
        }
        guard let sessions else { return }
        for session in sessions { _ = try? blockingResult(of: session.connection.close() as EventLoopFuture<Void>) }
        try? group.syncShutdownGracefully()
    }

    // MARK: Connections

    func lease() throws -> PostgresSession {
        let reused: PostgresSession? = poolLock.withLock { idle.popLast() }
        if let reused { return reused }
        let id = poolLock.withLock { () -> Int in
            nextID += 1
            return nextID
        }
        do {
            let connection = try blockingResult(of: PostgresConnection.connect(on: group.next(), configuration: configuration, id: id, logger: logger))
            return PostgresSession(connection: connection, logger: logger)
        } catch {
            throw PostgresStoreError(error, location: location, doing: "connect to the database")
        }
    }

    func release(_ session: PostgresSession, broken: Bool) {
        if broken || session.connection.isClosed {
            // The driver requires a connection closed before it is released.
            _ = try? blockingResult(of: session.connection.close() as EventLoopFuture<Void>)
            return
        }
        poolLock.withLock { idle.append(session) }
    }

    /// Runs `body` in one transaction on a connection of the pool: a write transaction (`READ
    /// COMMITTED`, after taking `lock`) or a read-only snapshot (`REPEATABLE READ READ ONLY`).
    /// A throw rolls everything back.
    func transaction<T>(_ doing: String, write: Bool, lock: Lock?, _ body: (PostgresSession) throws -> T) throws -> T {
        let session = try lease()
        do {
            try session.execute(write ? "BEGIN ISOLATION LEVEL READ COMMITTED" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            if let lock { try session.execute("SELECT pg_advisory_xact_lock($1)", [lock.rawValue]) }
            let result = try body(session)
            try session.settle()
            try session.execute("COMMIT")
            release(session, broken: false)
            return result
        } catch {
            _ = try? session.settle()
            let rolledBack = (try? session.execute("ROLLBACK")) != nil
            release(session, broken: !rolledBack)
            if error is PSQLError { throw PostgresStoreError(error, location: location, doing: doing) }
            throw error
        }
    }

    /// Runs `body` on a connection outside any transaction (each statement commits on its own).
    func withSession<T>(_ doing: String, _ body: (PostgresSession) throws -> T) throws -> T {
        let session = try lease()
        do {
            let result = try body(session)
            try session.settle()
            release(session, broken: false)
            return result
        } catch {
            _ = try? session.settle()
            release(session, broken: true)
            if error is PSQLError { throw PostgresStoreError(error, location: location, doing: doing) }
            throw error
        }
    }

    // MARK: Migrations

    /// The migrations of this build, in order: a shipped one is never edited (the database
    /// records each one's SHA-256 and this build refuses a database where they differ).
    static let migrations: [(name: String, sql: [UInt8])] = [
        ("v1-applications", PackageResources.v1_applications_sql),
        ("v2-servicing", PackageResources.v2_servicing_sql),
        ("v3-idempotency", PackageResources.v3_idempotency_sql),
        ("v4-collections", PackageResources.v4_collections_sql),
        ("v5-back-office", PackageResources.v5_back_office_sql),
        ("v6-contacts", PackageResources.v6_contacts_sql),
        ("v7-repayments-by-loan", PackageResources.v7_repayments_by_loan_sql),
        ("v8-refunds", PackageResources.v8_refunds_sql),
        ("v9-suspense", PackageResources.v9_suspense_sql),
    ]

    private func migrate() throws {
        try withSession("migrate the database") { session in
            // One process migrates at a time; the others wait, then find every migration recorded.
            try session.execute("SELECT pg_advisory_lock($1)", [Lock.migrations.rawValue])
            defer { _ = try? session.execute("SELECT pg_advisory_unlock($1)", [Lock.migrations.rawValue]) }
            try session.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name text PRIMARY KEY,
                    sha256 text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            var recorded: [String: String] = [:]
            for row in try session.query("SELECT name, sha256 FROM schema_migrations") {
                recorded[try row.text(0)] = try row.text(1)
            }
            for migration in PostgresStore.migrations {
                let digest = hexString(Array(SHA256.hash(data: migration.sql)))
                if let stored = recorded[migration.name] {
                    guard stored == digest else {
                        throw PostgresStoreError(code: "store.migration",
                                                 message: "migration \(migration.name) of this database differs from this build's (it was edited after it shipped); use the build that made the database",
                                                 location: location)
                    }
                    continue
                }
                try session.execute("BEGIN")
                do {
                    try session.simple(String(decoding: migration.sql, as: UTF8.self))
                    try session.execute("INSERT INTO schema_migrations (name, sha256) VALUES ($1, $2)", [migration.name, digest])
                    try session.execute("COMMIT")
                } catch {
                    _ = try? session.execute("ROLLBACK")
                    throw error
                }
            }
            let unknown = Set(recorded.keys).subtracting(PostgresStore.migrations.map(\.name))
            guard unknown.isEmpty else {
                throw PostgresStoreError(code: "store.migration",
                                         message: "the database has migrations this build does not know (\(unknown.sorted().joined(separator: ", "))); use a newer build",
                                         location: location)
            }
        }
    }

    // MARK: Keys

    /// Checks that `protector` is the key this database's person keys were made with: the first
    /// process to use the database records a keyed hash of a fixed text, and every later one must
    /// produce the same (two processes with different keys would split one person in two).
    /// - Throws: ``PostgresStoreError`` `store.data_key` when the key differs.
    public func checkDataKey(_ protector: PersonalDataProtector) throws {
        let check = hexString(protector.key("lending data key check", kind: .idNumber))
        try transaction("check the personal-data key", write: true, lock: .decisions) { session in
            try session.execute("INSERT INTO data_key (id, check_hash) VALUES (1, $1) ON CONFLICT (id) DO NOTHING", [check])
            let stored = try session.query("SELECT check_hash FROM data_key WHERE id = 1").first?.text(0)
            guard stored == check else {
                throw PostgresStoreError(code: "store.data_key",
                                         message: "the personal-data key (LENDING_DATA_KEY or the key file) is not the one this database was made with; use the same key in every process",
                                         location: location)
            }
        }
    }

    /// Creates the database `url` names on its server (through the server's `postgres` database)
    /// unless it exists.
    /// - Returns: whether it was created.
    /// - Throws: ``PostgresStoreError`` when the server cannot be reached or refuses.
    @discardableResult
    public static func createDatabase(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Bool {
        let target = try PostgresLocation(url: url, environment: environment)
        let configuration = PostgresConnection.Configuration(host: target.host, port: target.port, username: target.user,
                                                             password: target.password, database: "postgres", tls: .disable)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let logger = Logger(label: "lending.postgres")
        do {
            let connection = try blockingResult(of: PostgresConnection.connect(on: group.next(), configuration: configuration, id: 0, logger: logger))
            let session = PostgresSession(connection: connection, logger: logger)
            defer { _ = try? blockingResult(of: connection.close() as EventLoopFuture<Void>) }
            if try !session.query("SELECT 1 FROM pg_database WHERE datname = $1", [target.database]).isEmpty { return false }
            try session.execute("CREATE DATABASE \"\(target.database.replacingOccurrences(of: "\"", with: "\"\""))\"")
            return true
        } catch {
            throw PostgresStoreError(error, location: target.redacted, doing: "create the database")
        }
    }

    /// Test hook: runs raw SQL outside the ports (to tamper with rows as an attacker with database access would).
    public func executeUnchecked(_ sql: String) throws {
        try withSession("run SQL") { try $0.simple(sql) }
    }
}

extension PostgresStore: LendingDatabase {}

/// A storage failure on PostgreSQL: which database (never its password), what was being done, and
/// the server's own words (never the detail line, which can quote a row's values).
public struct PostgresStoreError: LendingDiagnostic, Sendable {
    public var code: String
    public var message: String
    public var location: SourceLocation? { nil }
    public var file: String?
    /// The SQLSTATE the server sent, if any.
    public var sqlState: String?

    public init(code: String, message: String, location: String?) {
        self.code = code
        self.message = message
        self.file = location
    }

    init(_ error: any Error, location: String, doing: String) {
        if let error = error as? PostgresStoreError {
            self = error
            return
        }
        guard let psql = error as? PSQLError else {
            self.init(code: "store.failed", message: "cannot \(doing): \(error)", location: location)
            return
        }
        let state = psql.serverInfo?[.sqlState]
        let serverMessage = psql.serverInfo?[.message]
        let hint: String = switch state {
        case "28P01", "28000": "check the user and password (the URL, PGPASSWORD or the password file)"
        case "3D000": "create the database first (createdb)"
        case "23505": "a record with that key is already stored"
        case "40P01", "40001": "another process wrote the same rows at once; run again"
        case "53300": "the server has no connections left; raise max_connections or run fewer processes"
        case .none: "is the server running and reachable?"
        default: "see the server's message"
        }
        let what = serverMessage ?? "\(psql.code)"
        self.init(code: "store.postgres" + (state.map { ".\($0)" } ?? ""), message: "cannot \(doing): \(what); \(hint)", location: location)
        sqlState = state
    }
}
