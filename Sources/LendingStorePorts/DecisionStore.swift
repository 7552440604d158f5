import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPreCredit

/// The application path's storage port: applications with their decisions, the decision chain,
/// the review queue, whitelist and blacklist. `InMemoryStore` (LendingMemoryStore) implements it
/// for tests and embedding, `SQLiteStore` (LendingStore) with SQLite; the conformance suite in
/// Tests/LendingStoreConformanceTests holds every adapter to the same behaviour.
///
/// Every write happens inside ``withTransaction(_:)``: all of it is stored, or none of it.
public protocol DecisionStore: DecisionHistoryReading, Sendable {
    /// Runs `body` in one write transaction; a throw rolls everything back.
    func withTransaction<T>(_ body: (any DecisionTransaction) throws -> T) throws -> T
    /// Every decision in sequence order, handed over one by one (for verification).
    func forEachDecision(_ body: (DecisionRecord) throws -> Void) throws
    /// Applications whose decision sequence names no stored decision (a deleted decision row).
    func applicationsWithoutDecision() throws -> [String]
    /// Open review items, oldest first.
    func openReviews() throws -> [ReviewItem]
    /// The stored application and its latest decision.
    func application(_ applicationID: String) throws -> (StoredApplication, DecisionRecord)?
    /// Whitelist entries stored.
    func whitelistCount() throws -> Int
}

/// What the application path reads to rebuild its in-memory state: from the store, or inside a
/// transaction.
public protocol DecisionHistoryReading {
    /// Applications applied at or after `since`, in time order, with their latest outcome.
    func history(since: Instant) throws -> [HistoricApplication]
    /// Every blacklist entry (expired ones too: an entry applies to applications on days up to its end).
    func blacklist() throws -> [BlacklistEntry]
    /// A number that changes whenever the blacklist does (so a long-running process reloads it).
    func blacklistRevision() throws -> Int64
    /// The last decision of the chain.
    func chainHead() throws -> DecisionRecord?
    /// The decisions after `sequence`, in sequence order (at most `limit`), each with its
    /// application when it is the application's first decision (`nil` for a later one, such as a
    /// review): what another process appended since, for a processor to catch up on.
    func decisions(after sequence: Int64, limit: Int) throws -> [ChainedDecision]
}

/// A decision of the chain, with the application it decided first (`nil` for a later decision).
public struct ChainedDecision: Sendable, Equatable {
    public var decision: DecisionRecord
    public var firstOf: StoredApplication?

    public init(decision: DecisionRecord, firstOf: StoredApplication?) {
        self.decision = decision
        self.firstOf = firstOf
    }
}

/// What can be done inside one write transaction (maker-checker requests of reviews included,
/// through ``ApprovalRecording``).
public protocol DecisionTransaction: DecisionHistoryReading, ApprovalRecording {
    /// The stored inputs hash and latest decision of an application, if it was decided.
    func existing(applicationID: String) throws -> (inputsHash: String, decision: DecisionRecord)?
    /// The stored application, if any.
    func application(_ applicationID: String) throws -> StoredApplication?
    func whitelistEntry(personKey: String) throws -> WhitelistEntry?
    /// Whitelist entries of several people at once, by person key (absent: not invited).
    func whitelistEntries(personKeys: [String]) throws -> [String: WhitelistEntry]
    /// The stored inputs hashes of those of `applicationIDs` already stored.
    func inputsHashes(applicationIDs: [String]) throws -> [String: String]
    /// Stores an application and its first decision (the decision's sequence is the next one).
    func insert(_ application: StoredApplication, decision: DecisionRecord) throws
    /// Stores applications with their first decisions, in order.
    func insert(_ rows: [(application: StoredApplication, decision: DecisionRecord)]) throws
    /// Appends a later decision (a review) to the chain.
    func append(decision: DecisionRecord) throws
    func openReview(_ item: ReviewItem) throws
    func closeReview(applicationID: String) throws
    func review(applicationID: String) throws -> ReviewItem?
    func record(surge event: SurgeEvent) throws
    /// Adds or replaces whitelist entries by person key; `replacingAll` first removes every entry.
    func storeWhitelist(_ entries: [WhitelistEntry], replacingAll: Bool) throws
    /// Adds or replaces blacklist entries by type and value key, and moves the blacklist's revision on.
    func storeBlacklist(_ entries: [BlacklistEntry]) throws
}
