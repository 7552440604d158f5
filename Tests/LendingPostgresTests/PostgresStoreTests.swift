import Foundation
import LendingDecisioning
import LendingLedger
import LendingModel
@testable import LendingPostgres
import LendingStorePorts
import LendingTestSupport
import Testing

/// What the PostgreSQL adapter adds to the ports: where credentials come from (and that they
/// never show), the schema's own guarantees, migrations never edited, one personal-data key per
/// database, and one chain across processes. The port behaviour itself is the conformance
/// suites'. The tests that need a server run when `LENDING_TEST_POSTGRES_URL` is set.
struct PostgresLocationTests {
    @Test func theURLGivesEveryPartAndThePasswordNeverShows() throws {
        let location = try PostgresLocation(url: "postgres://lender:s3cr%40t@db.example:6543/book", environment: [:])
        #expect(location.user == "lender" && location.password == "s3cr@t" && location.host == "db.example" && location.port == 6543)
        #expect(location.database == "book")
        #expect(location.redacted == "postgres://lender@db.example:6543/book")
        #expect(LendingDatabaseURL("postgresql://lender:s3cr@t@db:1/book").displayName == "postgresql://lender@db:1/book")
        #expect(LendingDatabaseURL("postgres://lender@db:1/book").displayName == "postgres://lender@db:1/book")
    }

    @Test func thePasswordComesFromPGPASSWORDOrAPasswordFile() throws {
        let fromVariable = try PostgresLocation(url: "postgres://lender@db:5432/book", environment: ["PGPASSWORD": "env-secret"])
        #expect(fromVariable.password == "env-secret")
        let file = ScratchFiles.directory("pgpass") + "/pgpass"
        try """
            # host:port:database:user:password
            other:5432:*:lender:wrong
            db:5432:book:lender:pa\\:ss\\\\word
            *:*:*:*:fallback
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try PostgresLocation(url: "postgres://lender@db:5432/book", environment: ["PGPASSFILE": file])
        #expect(fromFile.password == "pa:ss\\word")
        let wildcard = try PostgresLocation(url: "postgres://someone@elsewhere:1/x", environment: ["PGPASSFILE": file])
        #expect(wildcard.password == "fallback")
        #expect(try PostgresLocation(url: "postgres://lender:inline@db:5432/book", environment: ["PGPASSWORD": "env", "PGPASSFILE": file]).password == "inline")
    }

    @Test func defaultsFollowLibpq() throws {
        let location = try PostgresLocation(url: "postgres:///", environment: ["PGHOST": "h", "PGPORT": "7", "PGUSER": "u", "PGDATABASE": "d"])
        #expect(location.host == "h" && location.port == 7 && location.user == "u" && location.database == "d")
        #expect(throws: PostgresStoreError.self) { try PostgresLocation(url: "mysql://x@y/z", environment: [:]) }
    }

    @Test func aScriptSplitsAtSemicolonsOutsideQuotesBodiesAndComments() {
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE a (x text DEFAULT 'a;b');
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'no; never'; END
            $$;
            SELECT 1
            """
        let statements = PostgresSession.statements(in: script)
        #expect(statements.count == 3)
        #expect(statements[0] == "CREATE TABLE a (x text DEFAULT 'a;b')")
        #expect(statements[1].hasPrefix("CREATE FUNCTION f()") && statements[1].hasSuffix("$$"))
        #expect(statements[2] == "SELECT 1")
    }
}

@Suite(.enabled(if: PostgresTestServer.url != nil, "needs LENDING_TEST_POSTGRES_URL"))
struct PostgresStoreTests {
    func freshStore() throws -> (PostgresStore, String) {
        let url = try #require(PostgresTestServer.databaseURL())
        try PostgresStore.createDatabase(url: url)
        return (try PostgresStore(url: url), url)
    }

    @Test func aRefusedLoginNamesTheDatabaseButNeverThePassword() throws {
        let url = try #require(PostgresTestServer.databaseURL(named: "no_such_database_here"))
        let withPassword = url.replacingOccurrences(of: "://postgres@", with: "://postgres:TopSecret99@")
        let error = try #require(throws: PostgresStoreError.self) { try PostgresStore(url: withPassword) }
        #expect(error.code == "store.postgres.3D000")
        #expect(!"\(error.message) \(error.file ?? "")".contains("TopSecret99"))
        #expect(error.file?.hasSuffix("/no_such_database_here") == true)
    }

    @Test func theSchemaRefusesEditsOfWhatIsAppendOnlyAndUnbalancedEntries() throws {
        let (store, _) = try freshStore()
        try store.withServicingTransaction { transaction in
            try transaction.post([JournalEntry(id: "adj-1", date: CalendarDay(iso: "2026-01-02")!, kind: .adjustment, loanID: nil,
                                               postings: [Posting(.debit, .suspense, Money(fen: 100)), Posting(.credit, .fundingCash, Money(fen: 100))],
                                               memo: "test")])
        }
        for statement in ["UPDATE journal SET memo = 'changed'", "DELETE FROM journal", "TRUNCATE postings", "DELETE FROM postings",
                          "UPDATE postings SET amount = 1", "DELETE FROM journal_head"] {
            #expect(throws: PostgresStoreError.self, "\(statement)") { try store.executeUnchecked(statement) }
        }
        // Legs that do not balance, or a single leg, are refused in the statement that adds them.
        #expect(throws: PostgresStoreError.self) {
            try store.executeUnchecked("INSERT INTO postings (sequence, leg, account, side, amount) VALUES (2, 0, 1, 0, 100), (2, 1, 4, 1, 99)")
        }
        #expect(throws: PostgresStoreError.self) {
            try store.executeUnchecked("INSERT INTO postings (sequence, leg, account, side, amount) VALUES (3, 0, 1, 0, 100)")
        }
        try store.executeUnchecked("INSERT INTO postings (sequence, leg, account, side, amount) VALUES (4, 0, 1, 0, 100), (4, 1, 4, 1, 100)")
        #expect(try store.forEachJournalRow { _ in } == 4)
    }

    @Test func aDatabaseWhoseShippedMigrationWasEditedIsRefused() throws {
        let (store, url) = try freshStore()
        try store.executeUnchecked("UPDATE schema_migrations SET sha256 = repeat('0', 64) WHERE name = 'v2-servicing'")
        store.close()
        let error = try #require(throws: PostgresStoreError.self) { try PostgresStore(url: url) }
        #expect(error.code == "store.migration" && error.message.contains("v2-servicing"))
    }

    @Test func everyProcessOnADatabaseMustHoldItsPersonalDataKey() throws {
        let (store, url) = try freshStore()
        let key = PersonalDataProtector(secret: Array(repeating: 7, count: 32))
        try store.checkDataKey(key)
        try PostgresStore(url: url).checkDataKey(key)
        let other = PersonalDataProtector(secret: Array(repeating: 8, count: 32))
        let error = try #require(throws: PostgresStoreError.self) { try PostgresStore(url: url).checkDataKey(other) }
        #expect(error.code == "store.data_key")
    }

    @Test func storesOfSeparateProcessesKeepOneDecisionChainAndOneJournal() throws {
        // Each PostgresStore has its own connections, as a separate process would.
        let (first, url) = try freshStore()
        let stores = [first, try PostgresStore(url: url), try PostgresStore(url: url)]
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 6) { worker in
            let store = stores[worker % stores.count]
            for round in 0..<15 {
                do {
                    try store.withTransaction { transaction in
                        let head = try transaction.chainHead()
                        let id = "W\(worker)-\(round)"
                        let decision = DecisionChain.seal(
                            DecisionRecord(applicationID: id, decidedAt: Instant(secondsSinceEpoch: 1_790_000_000), outcome: .decline, approvedLimit: .zero,
                                           proposedLimit: .zero, apr: AnnualRate(partsPerMillion: 0), score: nil, probability: nil, fraudScore: nil,
                                           reasons: [], inputsHash: String(repeating: "ab", count: 32), modelVersion: "m", policyVersion: "p"),
                            after: head)
                        try transaction.append(decision: decision)
                    }
                    try store.withServicingTransaction { transaction in
                        try transaction.post([JournalEntry(id: "adj-\(worker)-\(round)", date: CalendarDay(iso: "2026-01-02")!, kind: .adjustment,
                                                           loanID: nil, postings: [Posting(.debit, .suspense, Money(fen: 1)),
                                                                                   Posting(.credit, .fundingCash, Money(fen: 1))], memo: "race")])
                    }
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
        var previous: DecisionRecord?
        var count = 0
        try first.forEachDecision { decision in
            #expect(decision.sequence == (previous?.sequence ?? 0) + 1 && decision.previousHash == (previous?.hash ?? DecisionChain.genesis))
            previous = decision
            count += 1
        }
        #expect(count == 90)
        var chain = JournalChain()
        var entries = 0
        _ = try first.forEachJournalRow { row in
            #expect(chain.check(row, index: entries) == nil)
            entries += 1
        }
        #expect(entries == 90)
    }
}

final class Failures: @unchecked Sendable { // guarded by `lock`
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}
