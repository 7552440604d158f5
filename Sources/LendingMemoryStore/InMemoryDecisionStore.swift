import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPreCredit
import Synchronization
import LendingStorePorts

/// A ``DecisionStore`` in memory, for tests and for services that keep no state across runs.
/// A transaction works on a copy that replaces the state only when the body returns.
public final class InMemoryDecisionStore: DecisionStore {
    struct State: Sendable {
        var applications: [String: StoredApplication] = [:]
        var applicationOrder: [String] = []
        var decisions: [DecisionRecord] = []
        var latestDecision: [String: Int] = [:]
        var reviews: [String: ReviewItem] = [:]
        var whitelist: [String: WhitelistEntry] = [:]
        var blacklist: [String: BlacklistEntry] = [:]
        var surges: [SurgeEvent] = []
        var blacklistRevision: Int64 = 0

        func history(since: Instant) -> [HistoricApplication] {
            applicationOrder.compactMap { id -> HistoricApplication? in
                guard let application = applications[id], application.appliedAt >= since else { return nil }
                let approved = latestDecision[id].map { decisions[$0].outcome == .approve } ?? false
                return HistoricApplication(application: application, approved: approved)
            }.sorted { ($0.application.appliedAt, $0.application.applicationID) < ($1.application.appliedAt, $1.application.applicationID) }
        }

        var blacklistEntries: [BlacklistEntry] { Array(blacklist.values) }
    }

    private let state = Mutex(State())

    public init() {}

    public func history(since: Instant) throws -> [HistoricApplication] { state.withLock { $0.history(since: since) } }

    public func blacklist() throws -> [BlacklistEntry] { state.withLock { $0.blacklistEntries } }

    public func blacklistRevision() throws -> Int64 { state.withLock { $0.blacklistRevision } }

    public func chainHead() throws -> DecisionRecord? { state.withLock { $0.decisions.last } }

    public func withTransaction<T>(_ body: (any DecisionTransaction) throws -> T) throws -> T {
        let transaction = Transaction(state.withLock { $0 })
        let result = try body(transaction)
        state.withLock { $0 = transaction.state }
        return result
    }

    public func forEachDecision(_ body: (DecisionRecord) throws -> Void) throws {
        for record in state.withLock({ $0.decisions }) { try body(record) }
    }

    public func applicationsWithoutDecision() throws -> [String] {
        state.withLock { state in
            state.applicationOrder.filter { id in
                let sequence = state.applications[id]!.decisionSequence
                return sequence < 1 || sequence > Int64(state.decisions.count) || state.decisions[Int(sequence - 1)].applicationID != id
            }
        }
    }

    public func openReviews() throws -> [ReviewItem] {
        state.withLock { $0.reviews.values.filter { $0.status == .open }.sorted { ($0.openedAt, $0.applicationID) < ($1.openedAt, $1.applicationID) } }
    }

    public func application(_ applicationID: String) throws -> (StoredApplication, DecisionRecord)? {
        state.withLock { state in
            guard let application = state.applications[applicationID], let index = state.latestDecision[applicationID] else { return nil }
            return (application, state.decisions[index])
        }
    }

    public func whitelistCount() throws -> Int { state.withLock { $0.whitelist.count } }

    /// Test hook: the stored decisions, to tamper with.
    public func withDecisions(_ body: (inout [DecisionRecord]) -> Void) {
        state.withLock { body(&$0.decisions) }
    }

    final class Transaction: DecisionTransaction {
        var state: State

        init(_ state: State) { self.state = state }

        func chainHead() throws -> DecisionRecord? { state.decisions.last }

        func history(since: Instant) throws -> [HistoricApplication] { state.history(since: since) }

        func blacklist() throws -> [BlacklistEntry] { state.blacklistEntries }

        func blacklistRevision() throws -> Int64 { state.blacklistRevision }

        func existing(applicationID: String) throws -> (inputsHash: String, decision: DecisionRecord)? {
            guard let application = state.applications[applicationID], let index = state.latestDecision[applicationID] else { return nil }
            return (application.inputsHash, state.decisions[index])
        }

        func application(_ applicationID: String) throws -> StoredApplication? { state.applications[applicationID] }

        func whitelistEntry(personKey: String) throws -> WhitelistEntry? { state.whitelist[personKey] }

        func whitelistEntries(personKeys: [String]) throws -> [String: WhitelistEntry] {
            var found: [String: WhitelistEntry] = [:]
            for key in personKeys { found[key] = state.whitelist[key] }
            return found
        }

        func inputsHashes(applicationIDs: [String]) throws -> [String: String] {
            var found: [String: String] = [:]
            for id in applicationIDs { found[id] = state.applications[id]?.inputsHash }
            return found
        }

        func insert(_ rows: [(application: StoredApplication, decision: DecisionRecord)]) throws {
            for row in rows { try insert(row.application, decision: row.decision) }
        }

        func insert(_ application: StoredApplication, decision: DecisionRecord) throws {
            guard state.applications[application.applicationID] == nil else {
                throw LendingError(code: "store.duplicate", message: "application \(application.applicationID) is already stored")
            }
            try append(decision: decision)
            state.applications[application.applicationID] = application
            state.applicationOrder.append(application.applicationID)
        }

        func append(decision: DecisionRecord) throws {
            guard decision.sequence == Int64(state.decisions.count) + 1 else {
                throw LendingError(code: "store.chain", message: "decision \(decision.sequence) does not follow \(state.decisions.count); another writer changed the chain")
            }
            state.decisions.append(decision)
            state.latestDecision[decision.applicationID] = state.decisions.count - 1
        }

        func openReview(_ item: ReviewItem) throws { state.reviews[item.applicationID] = item }

        func closeReview(applicationID: String) throws { state.reviews[applicationID]?.status = .decided }

        func review(applicationID: String) throws -> ReviewItem? { state.reviews[applicationID] }

        func record(surge event: SurgeEvent) throws { state.surges.append(event) }

        func storeWhitelist(_ entries: [WhitelistEntry], replacingAll: Bool) throws {
            if replacingAll { state.whitelist.removeAll() }
            for entry in entries { state.whitelist[entry.idNumberKey] = entry }
        }

        func storeBlacklist(_ entries: [BlacklistEntry]) throws {
            state.blacklistRevision += 1
            for entry in entries { state.blacklist["\(entry.type.rawValue):\(entry.valueKey)"] = entry }
        }
    }
}
