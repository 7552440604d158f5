import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPreCredit
import LendingStorePorts

/// One write transaction of the application path, over a copy of the store's state.
final class MemoryDecisionTransaction: MemoryTransaction, DecisionTransaction, IdempotencyRecording {
    var state: StoreState

    init(_ state: StoreState) { self.state = state }

    func history(since: Instant) throws -> [HistoricApplication] { state.decisions.history(since: since) }

    func blacklist() throws -> [BlacklistEntry] { state.decisions.blacklistEntries }

    func blacklistRevision() throws -> Int64 { state.decisions.blacklistRevision }

    func chainHead() throws -> DecisionRecord? { state.decisions.chainHead }

    func decisions(after sequence: Int64, limit: Int) throws -> [ChainedDecision] { state.decisions.decisions(after: sequence, limit: limit) }

    func existing(applicationID: String) throws -> (inputsHash: String, decision: DecisionRecord)? {
        guard let application = state.decisions.application(applicationID), let decision = state.decisions.latestDecision(applicationID) else { return nil }
        return (application.inputsHash, decision)
    }

    func application(_ applicationID: String) throws -> StoredApplication? { state.decisions.application(applicationID) }

    func whitelistEntry(personKey: String) throws -> WhitelistEntry? { state.decisions.whitelist[personKey] }

    func whitelistEntries(personKeys: [String]) throws -> [String: WhitelistEntry] {
        var found: [String: WhitelistEntry] = [:]
        for key in personKeys { found[key] = state.decisions.whitelist[key] }
        return found
    }

    func inputsHashes(applicationIDs: [String]) throws -> [String: String] {
        var found: [String: String] = [:]
        for id in applicationIDs { found[id] = state.decisions.application(id)?.inputsHash }
        return found
    }

    func insert(_ application: StoredApplication, decision: DecisionRecord) throws {
        try state.decisions.insert(application, decision: decision)
    }

    func insert(_ rows: [(application: StoredApplication, decision: DecisionRecord)]) throws {
        for row in rows { try state.decisions.insert(row.application, decision: row.decision) }
    }

    func append(decision: DecisionRecord) throws { try state.decisions.append(decision: decision) }

    func openReview(_ item: ReviewItem) throws { state.decisions.reviews[item.applicationID] = item }

    func closeReview(applicationID: String) throws { state.decisions.reviews[applicationID]?.status = .decided }

    func review(applicationID: String) throws -> ReviewItem? { state.decisions.reviews[applicationID] }

    func record(surge event: SurgeEvent) throws { state.decisions.surges.append(event) }

    func storeWhitelist(_ entries: [WhitelistEntry], replacingAll: Bool) throws {
        try state.decisions.storeWhitelist(entries, replacingAll: replacingAll)
    }

    func storeBlacklist(_ entries: [BlacklistEntry]) throws { state.decisions.storeBlacklist(entries) }

    func record(_ requests: [CompletedRequest]) throws { try state.record(requests) }
}
