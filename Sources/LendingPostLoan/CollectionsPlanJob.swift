import LendingCollections
import LendingModel
import LendingStorePorts

/// What `lending collections plan --as-of DATE` does: the actions planned for DATE's contact
/// hours (by the post-loan run of DATE−1), checked again against the contact rules as the
/// store knows them now, so that it can be run again before each hour of calls.
///
/// Every planned contact that a rule now forbids is cancelled (``CollectionsTransaction/cancel(_:reason:)``,
/// the reason names the rule's code) and left out of the answer: a call inside the quiet period
/// of a conversation recorded since the plan was made (earlier the same day included, on any of
/// the person's loans and draws), a call over the person's cap (counting calls recorded without a
/// planned action), a contact on a channel the person opted out of since, a contact outside
/// contact hours. A planned contact whose outcome is already recorded was made: it is never
/// cancelled. The plan stays an honest record: what was cancelled, and why, stays in the log.
///
/// Running it twice changes nothing the second time unless outcomes were recorded in between.
public struct CollectionsPlanJob: Sendable {
    public var day: CalendarDay
    /// The contact rules (contact hours are checked at the offset stored with each action).
    public var strategy: CollectionStrategy

    public init(day: CalendarDay, strategy: CollectionStrategy) {
        self.day = day
        self.strategy = strategy
    }

    public struct Result: Sendable, Equatable {
        /// The actions left, in plan order (bucket, riskiest first, time).
        public var actions: [PlannedAction]
        /// The actions this run cancelled, with why.
        public var cancelled: [CancelledAction]
        /// Actions of the plan cancelled before this run (by an earlier re-plan or an executor).
        public var cancelledBefore: Int
    }

    /// Re-plans ``day`` in one write transaction.
    /// - Returns: `nil` when the post-loan run of the day before has not run (there is no plan).
    public func run(store: any CollectionsStore) throws -> Result? {
        try store.withCollectionsTransaction { transaction in try run(in: transaction) }
    }

    /// Re-plans ``day`` inside an open write transaction.
    public func run(in transaction: any CollectionsTransaction) throws -> Result? {
        let plannedOn = day.adding(days: -1)
        guard try transaction.postLoanRun(on: plannedOn) != nil else { return nil }
        let planned = try transaction.actions(plannedOn: plannedOn)
        struct Key: Hashable { var loan: String; var action: CollectionAction; var at: Instant }
        func key(_ action: PlannedAction) -> Key { Key(loan: action.loanId, action: action.action, at: action.scheduledAt) }
        let before = try transaction.cancelledActions(plannedOn: plannedOn)
        let cancelledBefore = Set(before.map { Key(loan: $0.loanID, action: $0.action, at: $0.scheduledAt) })
        let live = planned.filter { !cancelledBefore.contains(key($0)) }
        let contacts = live.filter { $0.channel.isContact && !$0.action.isMilestone }
        guard let first = contacts.map(\.scheduledAt).min(), let last = contacts.map(\.scheduledAt).max() else {
            return Result(actions: live, cancelled: [], cancelledBefore: cancelledBefore.count)
        }

        // What the store knows of the persons of these loans: all their loans and draws.
        let keys = try transaction.contactKeys(sharingPersonWith: Array(Set(contacts.map(\.loanId))))
        let loans = Array(Set(keys.keys).union(contacts.map(\.loanId)))
        let limits = strategy.callLimits
        let from = first.adding(seconds: -Int64(max(limits.windowDays, limits.quietDaysAfterConversation + 1)) * 86_400)
        let end = last.adding(seconds: 1)
        // The history with this plan's contacts in it; a cancelled call leaves it at once, so
        // that it does not count against the later ones (the sweep is in time order).
        var history = ContactHistory(strategy: strategy,
                                     actions: try transaction.actions(loanIDs: loans, scheduledFrom: from, to: end),
                                     outcomes: try transaction.outcomes(loanIDs: loans, from: from, to: end.adding(seconds: 86_400)),
                                     optOuts: try transaction.optOutRecords(loanIDs: loans), contactKeys: keys)
        var cancelled: [CancelledAction] = []
        var dropped = Set<Key>()
        let inTimeOrder = contacts.enumerated().sorted { ($0.element.scheduledAt, $0.offset) < ($1.element.scheduledAt, $1.offset) }.map(\.element)
        for action in inTimeOrder where !history.isAnswered(action) {
            guard let refusal = history.refusal(loanId: action.loanId, action: action.action, channel: action.channel, at: action.scheduledAt,
                                                utcOffsetSeconds: action.utcOffsetSeconds) else { continue }
            cancelled.append(CancelledAction(loanID: action.loanId, action: action.action, scheduledAt: action.scheduledAt,
                                             reason: "re-plan: \(refusal.code): \(refusal)"))
            dropped.insert(key(action))
            history.remove(action)
        }
        for item in cancelled {
            try transaction.cancel([(item.loanID, item.action, item.scheduledAt)], reason: item.reason)
        }
        return Result(actions: live.filter { !dropped.contains(key($0)) }, cancelled: cancelled, cancelledBefore: cancelledBefore.count)
    }
}
