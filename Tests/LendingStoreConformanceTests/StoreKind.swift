import Foundation
import LendingMemoryStore
import LendingPostgres
import LendingStore
import LendingStorePorts
import LendingTestSupport
import Testing

/// Every port at once, as each adapter implements them over one state.
typealias ConformingStore = DecisionStore & CollectionsStore & IdempotencyLog

/// The adapters the conformance suites run against. To add one (PostgreSQL): a case, its factory
/// line in ``open()``, and in ``knownGaps`` what it does not do yet.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case sqliteInMemory
    case sqliteOnDisk
    /// A new database per store on the PostgreSQL server of `LENDING_TEST_POSTGRES_URL` (which
    /// `.ci/run` starts); without the variable the suites run on the other adapters only.
    case postgres

    var testDescription: String { rawValue }

    static var allCases: [StoreKind] {
        [.memory, .sqliteInMemory, .sqliteOnDisk] + (PostgresTestServer.url == nil ? [] : [.postgres])
    }

    /// A fresh, empty store (on disk: a new file per call; on PostgreSQL a new database).
    func open() throws -> any ConformingStore {
        switch self {
        case .memory: InMemoryStore()
        case .sqliteInMemory: try SQLiteStore(path: ":memory:")
        case .sqliteOnDisk: try SQLiteStore(path: StoreKind.freshFile())
        case .postgres: try PostgresStore(url: try PostgresTestServer.freshDatabase())
        }
    }

    /// Documented behaviour this adapter does not have yet: the tests of it expect a failure
    /// (`withKnownIssue`), and tell when the adapter is fixed.
    var knownGaps: Set<KnownGap> {
        switch self {
        case .memory, .postgres: []
        case .sqliteInMemory, .sqliteOnDisk: [.endOfDayAcceptsUnknownPositions]
        }
    }

    /// Does a write wait for an open read to end (so that a test must not wait for a write while it
    /// holds a read)? SQLite's in-memory database has one connection for both.
    var readsBlockWriters: Bool { self == .sqliteInMemory }

    private static func freshFile() -> String {
        ScratchFiles.directory("store-conformance") + "/\(UUID().uuidString).sqlite"
    }
}

/// A port's documented behaviour that an adapter lacks.
enum KnownGap: String, Sendable {
    /// `append(_:)` checks that the first entry continues the head, not that each continues the one before.
    case journalBatchIsCheckedOnlyAtItsStart
    /// A first decision or an appended one may skip sequences ahead of the chain head.
    case decisionMaySkipASequence
    /// `saveEndOfDay` writes daily fields for a position the store never gave out, without error.
    case endOfDayAcceptsUnknownPositions
}

/// Runs `body`, expecting it to pass, or to fail with a known issue when `kind` has `gap`.
func expecting(_ gap: KnownGap, of kind: StoreKind, _ body: () throws -> Void) throws {
    try withKnownIssue("\(kind.rawValue): \(gap.rawValue)") {
        try body()
    } when: {
        kind.knownGaps.contains(gap)
    }
}

extension PostgresTestServer {
    /// A new, empty database on the test server.
    static func freshDatabase() throws -> String {
        guard let url = databaseURL() else { throw Refused() }
        try PostgresStore.createDatabase(url: url)
        return url
    }
}
