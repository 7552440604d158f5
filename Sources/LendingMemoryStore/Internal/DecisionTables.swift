import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPreCredit
import LendingStorePorts

/// The application path's tables: applications, the decision chain (in sequence order), the
/// review queue, whitelist, blacklist and surge events.
struct DecisionTables: Sendable {
    struct BlacklistKey: Hashable, Sendable {
        var type: FraudDimension
        var valueKey: String
    }

    var applications: [String: StoredApplication] = [:]
    /// Application ids in the order stored.
    var applicationOrder: [String] = []
    /// The chain, in sequence order (the test hook may edit it; ``reindex()`` then).
    var decisions: [DecisionRecord] = []
    /// Index in ``decisions`` of each sequence.
    var indexBySequence: [Int64: Int] = [:]
    /// Index in ``decisions`` of each application's latest decision (the highest sequence).
    var latestByApplication: [String: Int] = [:]
    var reviews: [String: ReviewItem] = [:]
    var whitelist: [String: WhitelistEntry] = [:]
    var blacklist: [BlacklistKey: BlacklistEntry] = [:]
    var blacklistRevision: Int64 = 0
    var surges: [SurgeEvent] = []

    /// Puts the decisions back in sequence order (as SQLite reads them) and rebuilds the indexes,
    /// after the test hook edited them in place.
    mutating func reindex() {
        if !decisions.indices.dropFirst().allSatisfy({ decisions[$0 - 1].sequence <= decisions[$0].sequence }) {
            decisions = decisions.enumerated().sorted { ($0.element.sequence, $0.offset) < ($1.element.sequence, $1.offset) }.map(\.element)
        }
        indexBySequence.removeAll(keepingCapacity: true)
        latestByApplication.removeAll(keepingCapacity: true)
        for (index, decision) in decisions.enumerated() {
            indexBySequence[decision.sequence] = index
            if let latest = latestByApplication[decision.applicationID], decisions[latest].sequence > decision.sequence { continue }
            latestByApplication[decision.applicationID] = index
        }
    }

    /// The last decision of the chain (the highest sequence: the decisions are kept in sequence order).
    var chainHead: DecisionRecord? { decisions.last }

    func decision(sequence: Int64) -> DecisionRecord? { indexBySequence[sequence].map { decisions[$0] } }

    func latestDecision(_ applicationID: String) -> DecisionRecord? { latestByApplication[applicationID].map { decisions[$0] } }

    /// The stored application as SQLite reads it: joined with the decision its sequence names,
    /// whose inputs hash it carries; `nil` when that decision is not stored.
    func application(_ applicationID: String) -> StoredApplication? {
        guard let stored = applications[applicationID], let first = decision(sequence: stored.decisionSequence) else { return nil }
        return with(stored, inputsHash: first.inputsHash)
    }

    func with(_ application: StoredApplication, inputsHash: String) -> StoredApplication {
        var joined = application
        joined.inputsHash = inputsHash
        return joined
    }

    /// Applications applied at or after `since`, in time order (ties by id), with their latest outcome.
    func history(since: Instant) -> [HistoricApplication] {
        applicationOrder.compactMap { id -> HistoricApplication? in
            guard let application = application(id), application.appliedAt >= since else { return nil }
            return HistoricApplication(application: application, approved: latestDecision(id)?.outcome == .approve)
        }.sorted { left, right in
            let (a, b) = (left.application, right.application)
            return a.appliedAt != b.appliedAt ? a.appliedAt < b.appliedAt : precedesInBinaryOrder(a.applicationID, b.applicationID)
        }
    }

    /// The decisions after `sequence` (at most `limit`), each with the application it decided first.
    func decisions(after sequence: Int64, limit: Int) -> [ChainedDecision] {
        var low = 0
        var high = decisions.count
        while low < high {
            let middle = (low + high) / 2
            if decisions[middle].sequence <= sequence { low = middle + 1 } else { high = middle }
        }
        return decisions[low...].prefix(max(0, limit)).map { decision in
            let first = applications[decision.applicationID].flatMap { $0.decisionSequence == decision.sequence ? application($0.applicationID) : nil }
            return ChainedDecision(decision: decision, firstOf: first)
        }
    }

    /// Every blacklist entry, by type, then value key.
    var blacklistEntries: [BlacklistEntry] {
        blacklist.values.sorted { left, right in
            left.type != right.type ? precedesInBinaryOrder(left.type.rawValue, right.type.rawValue)
                : precedesInBinaryOrder(left.valueKey, right.valueKey)
        }
    }

    /// Applications whose decision sequence names no stored decision of theirs, by id.
    var applicationsWithoutDecision: [String] {
        applicationOrder.filter { id in
            guard let sequence = applications[id]?.decisionSequence else { return true }
            return decision(sequence: sequence)?.applicationID != id
        }.sorted(by: precedesInBinaryOrder)
    }

    // MARK: Writes

    mutating func insert(_ application: StoredApplication, decision: DecisionRecord) throws {
        guard applications[application.applicationID] == nil else {
            throw InMemoryStoreError.duplicate("application \(application.applicationID)")
        }
        guard application.requestedAmount.fen > 0 else {
            throw InMemoryStoreError.constraint("application \(application.applicationID) requests \(application.requestedAmount); an amount must be positive")
        }
        try append(decision: decision)
        applications[application.applicationID] = application
        applicationOrder.append(application.applicationID)
    }

    /// Appends a decision, which must be the chain's next (SQLite refuses a sequence already
    /// stored; this store also refuses one that skips ahead, which the chain's verification
    /// would report as a removed decision).
    mutating func append(decision: DecisionRecord) throws {
        guard indexBySequence[decision.sequence] == nil else {
            throw InMemoryStoreError.duplicate("decision \(decision.sequence)")
        }
        let head = chainHead?.sequence ?? 0
        guard decision.sequence == head + 1 else {
            throw InMemoryStoreError(code: "store.chain",
                                     message: "decision \(decision.sequence) does not follow \(head), the last one stored; another writer changed the chain: run again")
        }
        decisions.append(decision)
        indexBySequence[decision.sequence] = decisions.count - 1
        latestByApplication[decision.applicationID] = decisions.count - 1
    }

    mutating func storeWhitelist(_ entries: [WhitelistEntry], replacingAll: Bool) throws {
        for entry in entries where entry.preCreditLimit.fen < 0 {
            throw InMemoryStoreError.constraint("a whitelist entry has a negative pre-credit limit")
        }
        if replacingAll { whitelist.removeAll() }
        for entry in entries { whitelist[entry.idNumberKey] = entry }
    }

    mutating func storeBlacklist(_ entries: [BlacklistEntry]) {
        blacklistRevision += 1
        for entry in entries { blacklist[BlacklistKey(type: entry.type, valueKey: entry.valueKey)] = entry }
    }
}
