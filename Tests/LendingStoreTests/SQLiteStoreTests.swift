import Foundation
import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPreCredit
import LendingStore
import LendingTestSupport
import Testing
import LendingStorePorts
import LendingApplications

/// A fresh database file in a scratch directory (with no key file).
func freshDatabase(_ name: String) -> String {
    let directory = NSTemporaryDirectory() + "lending-store-tests-\(getpid())"
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = directory + "/\(name).sqlite"
    for suffix in ["", "-wal", "-shm", ".key"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    return path
}

func record(_ index: Int, after previous: DecisionRecord?, outcome: DecisionRecord.Outcome = .approve) -> DecisionRecord {
    DecisionChain.seal(
        DecisionRecord(applicationID: "S-\(index)", decidedAt: Instant(secondsSinceEpoch: 1_790_000_000 + Int64(index) * 60), outcome: outcome,
                       approvedLimit: Money(fen: 1_000_000 + Int64(index)), proposedLimit: Money(fen: 1_000_000 + Int64(index)),
                       apr: AnnualRate(decimal: "0.1825")!, score: 512.25 + Double(index) / 3, probability: 0.1 / Double(index + 1),
                       fraudScore: index % 2 == 0 ? nil : 0.0123, reasons: index % 3 == 0 ? ["FR_RING_LINKED", "CR_LOW_AGE_IN_YEARS"] : [],
                       inputsHash: String(repeating: "ab", count: 32), modelVersion: "gc@1", policyVersion: "default@2026.11#abc",
                       decidedBy: index == 4 ? "Li Wei" : ""),
        after: previous)
}

func application(_ index: Int, sequence: Int64) -> StoredApplication {
    StoredApplication(applicationID: "S-\(index)", appliedAt: Instant(secondsSinceEpoch: 1_790_000_000 + Int64(index) * 60), product: "installment",
                      channel: index % 2 == 0 ? "app" : "merchant", merchantID: index % 2 == 0 ? nil : "M0001",
                      requestedAmount: Money(fen: 500_000), amountCap: Money(fen: 5_000_000), termMonths: 12,
                      personKey: String(repeating: "0\(index % 10)", count: 32),
                      keys: FraudKeys(person: UInt64.max - UInt64(index), phone: 7, bankCard: nil, device: UInt64(index), ip: 1 << 63,
                                      contactPhone: nil, address: 42),
                      personalData: [1, 2, 3, UInt8(index)], inputsHash: String(repeating: "ab", count: 32), decisionSequence: sequence)
}

/// Stores `count` applications with chained decisions.
func fill(_ store: SQLiteStore, _ count: Int) throws -> [DecisionRecord] {
    var records: [DecisionRecord] = []
    try store.withTransaction { transaction in
        for index in 0..<count {
            let next = record(index, after: records.last)
            records.append(next)
            try transaction.insert(application(index, sequence: next.sequence), decision: next)
        }
    }
    return records
}

@Suite(.serialized) struct SQLiteStoreTests {
    @Test(arguments: [":memory:", "disk"])
    func applicationsAndDecisionsRoundTripExactly(_ where: String) throws {
        let store = try SQLiteStore(path: `where` == "disk" ? freshDatabase("round-trip") : ":memory:")
        let records = try fill(store, 6)
        for (index, original) in records.enumerated() {
            let (stored, decision) = try #require(try store.application("S-\(index)"))
            #expect(decision == original)
            #expect(stored == application(index, sequence: original.sequence))
        }
        var read: [DecisionRecord] = []
        try store.forEachDecision { read.append($0) }
        #expect(read == records)
        #expect(DecisionChain.verify(read) == nil)
        #expect(try store.chainHead() == records.last)
        let history = try store.history(since: Instant(secondsSinceEpoch: 1_790_000_000 + 120))
        #expect(history.map(\.application.applicationID) == ["S-2", "S-3", "S-4", "S-5"])
        #expect(history.allSatisfy { $0.approved })
    }

    @Test func decisionsCannotBeUpdatedOrDeletedThroughSQL() throws {
        let store = try SQLiteStore(path: ":memory:")
        _ = try fill(store, 3)
        #expect(throws: (any Error).self) { try store.executeUnchecked("UPDATE decisions SET approved_limit = 1 WHERE sequence = 2") }
        #expect(throws: (any Error).self) { try store.executeUnchecked("DELETE FROM decisions WHERE sequence = 3") }
        #expect(try DecisionVerification.run(store: store).holds)
    }

    @Test func verificationFindsRowsEditedOrDeletedBehindTheTriggersBack() throws {
        let path = freshDatabase("tamper")
        let store = try SQLiteStore(path: path)
        let records = try fill(store, 10)
        let head = try DecisionVerification.run(store: store).headHash
        #expect(head == records.last?.hash)
        // Someone with the file drops the guards and edits a limit.
        try store.executeUnchecked("DROP TRIGGER decisions_are_append_only_update; DROP TRIGGER decisions_are_append_only_delete")
        try store.executeUnchecked("UPDATE decisions SET approved_limit = 99999900 WHERE sequence = 4")
        #expect(try DecisionVerification.run(store: store).problems == ["decision 4 (application S-3) was edited: its hash does not match its contents"])
        try store.executeUnchecked("UPDATE decisions SET approved_limit = \(records[3].approvedLimit.fen) WHERE sequence = 4")
        #expect(try DecisionVerification.run(store: store).holds)
        // A row in the middle removed.
        try store.executeUnchecked("CREATE TABLE saved_decision AS SELECT * FROM decisions WHERE sequence = 6; DELETE FROM decisions WHERE sequence = 6")
        let middle = try DecisionVerification.run(store: store)
        #expect(middle.problems.first == "decision 6 is missing (found 7 next): a decision was removed")
        // The last row removed (restore the middle one first, as it was: the store itself
        // refuses a decision that does not continue its chain).
        let reopened = try SQLiteStore(path: path)
        #expect(throws: StoreError.self) { try reopened.withTransaction { try $0.append(decision: records[5]) } }
        try reopened.executeUnchecked("INSERT INTO decisions SELECT * FROM saved_decision; DROP TABLE saved_decision")
        #expect(try DecisionVerification.run(store: reopened).holds)
        try reopened.executeUnchecked("DELETE FROM decisions WHERE sequence = 10")
        let cut = try DecisionVerification.run(store: reopened)
        #expect(cut.problems == ["1 application(s) lost their decision, first S-9: a decision row was removed"])
        #expect(try DecisionVerification.run(store: reopened, expectHead: head).problems.count == 2)
    }

    @Test func aFailedTransactionStoresNothing() throws {
        let store = try SQLiteStore(path: freshDatabase("rollback"))
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.withTransaction { transaction in
                let first = record(0, after: nil)
                try transaction.insert(application(0, sequence: 1), decision: first)
                throw Boom()
            }
        }
        #expect(try store.chainHead() == nil)
        #expect(try store.application("S-0") == nil)
    }

    @Test func aDecisionOutOfSequenceIsRefused() throws {
        let store = try SQLiteStore(path: ":memory:")
        let records = try fill(store, 2)
        #expect(throws: (any Error).self) {
            try store.withTransaction { try $0.insert(application(7, sequence: 2), decision: records[1]) }
        }
    }

    @Test func whitelistEntriesAreReplacedByPersonOrAllAtOnce() throws {
        let store = try SQLiteStore(path: ":memory:")
        func entry(_ key: String, _ fen: Int64) -> WhitelistEntry {
            WhitelistEntry(idNumberKey: key, preCreditLimit: Money(fen: fen), segment: "B", validUntil: CalendarDay(iso: "2026-12-31")!)
        }
        let a = String(repeating: "aa", count: 32), b = String(repeating: "bb", count: 32), c = String(repeating: "cc", count: 32)
        try store.withTransaction { try $0.storeWhitelist([entry(a, 100), entry(b, 200)], replacingAll: false) }
        try store.withTransaction { try $0.storeWhitelist([entry(b, 300)], replacingAll: false) }
        let (single, several) = try store.withTransaction { transaction in
            (try transaction.whitelistEntry(personKey: b), try transaction.whitelistEntries(personKeys: [a, b, c]))
        }
        #expect(single?.preCreditLimit == Money(fen: 300))
        #expect(several.keys.sorted() == [a, b])
        try store.withTransaction { try $0.storeWhitelist([entry(c, 400)], replacingAll: true) }
        #expect(try store.whitelistCount() == 1)
    }

    @Test func theDatabaseRunsInWALWithFullSynchronousCommits() throws {
        let path = freshDatabase("pragmas")
        let store = try SQLiteStore(path: path)
        #expect(try store.pragma("journal_mode") == "wal")
        #expect(try store.pragma("synchronous") == "2")  // FULL
        let header = try #require(FileManager.default.contents(atPath: path))
        // Bytes 18 and 19 of the SQLite header are 2 in WAL mode.
        #expect(header[18] == 2 && header[19] == 2)
    }
}

@Suite struct SQLiteStoreMigrationTests {
    /// A database made before the `revisions` table (v1 as first shipped, without it) gets the
    /// table from a later migration, and the blacklist's revision reads again.
    @Test func aDatabaseFromBeforeTheRevisionsTableGetsIt() throws {
        let path = freshDatabase("before-revisions")
        do {
            let store = try SQLiteStore(path: path)
            try store.executeUnchecked("DROP TABLE revisions; DELETE FROM grdb_migrations WHERE identifier = 'v5-revisions'")
            #expect(throws: (any Error).self) { try store.blacklistRevision() }
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.blacklistRevision() == 0)
    }
}
