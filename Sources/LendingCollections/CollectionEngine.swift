import LendingModel

/// The collections state machine and planner for one validated strategy.
///
/// Build it once per strategy (it compiles the ladders into flat tables), then each business day:
/// ``advance(_:snapshot:outcomes:on:)`` every loan's ladder state, and ``plan(_:history:businessDate:asOf:)``
/// the actions. Both are pure: values in, values out; the business date and time are parameters.
public struct CollectionEngine: Sendable {
    /// The compiled strategy, shared by every copy of the engine (one reference to retain).
    final class Tables: Sendable {
        let strategy: CollectionStrategy
        /// `ladders[bucket][band]`: the stages of each pair, resolved (a band's own ladder, or the
        /// bucket's ladder for every band).
        let ladders: [[[LadderStage]]]
        let bucketIndexByName: [String: Int]
        /// Settings per action ordinal.
        let settings: [ActionSettings]
        let bucketNames: [String]
        let bucketFromDays: [Int]
        let bandNames: [String]
        let bandBounds: [Double?]
        let milestones: Milestones
        let promises: PromiseRules
        let callLimits: CallLimits
        let contactStart: Int
        let contactEnd: Int

        init(_ strategy: CollectionStrategy) {
            self.strategy = strategy
            var byName: [String: Int] = [:]
            for (index, bucket) in strategy.buckets.enumerated() { byName[bucket.name] = index }
            bucketIndexByName = byName
            ladders = strategy.buckets.map { bucket in
                strategy.riskBands.map { band in
                    // Validation guarantees one of the two exists.
                    (strategy.ladders.first { $0.bucket == bucket.name && $0.band == band.name }
                        ?? strategy.ladders.first { $0.bucket == bucket.name && $0.band == nil })!.stages
                }
            }
            var settings = [ActionSettings](repeating: ActionSettings(action: .sms, channel: .sms), count: CollectionAction.allCases.count)
            for entry in strategy.actions { settings[entry.action.ordinal] = entry }
            self.settings = settings
            bucketNames = strategy.buckets.map(\.name)
            bucketFromDays = strategy.buckets.map(\.fromDay)
            bandNames = strategy.riskBands.map(\.name)
            bandBounds = strategy.riskBands.map(\.belowScore)
            milestones = strategy.milestones
            promises = strategy.promises
            callLimits = strategy.callLimits
            contactStart = strategy.contactHours.start.secondsOfDay
            contactEnd = strategy.contactHours.end.secondsOfDay
        }
    }

    let tables: Tables

    /// - Throws: ``CollectionsError`` if the strategy is invalid.
    public init(strategy: CollectionStrategy) throws(CollectionsError) {
        try strategy.validate()
        tables = Tables(strategy)
    }

    /// The strategy the engine runs.
    public var strategy: CollectionStrategy { tables.strategy }

    /// The bucket of a collection day, if any (days before the first bucket have none).
    public func bucket(forDay day: Int) -> CollectionBucket? {
        bucketIndex(forDay: day).map { strategy.buckets[$0] }
    }

    /// The risk band of a collection score.
    public func band(forScore score: Double) -> RiskBand { strategy.riskBands[bandIndex(forScore: score)] }

    /// The stages that apply to a bucket and band (by name), or `nil` for unknown names.
    public func stages(bucket: String, band: String) -> [LadderStage]? {
        guard let bucketIndex = tables.bucketIndexByName[bucket],
              let bandIndex = tables.bandNames.firstIndex(of: band) else { return nil }
        return tables.ladders[bucketIndex][bandIndex]
    }

    /// The stage the schedule alone gives on a collection day: the last stage whose `fromDay`
    /// is at or before the day.
    public func scheduledStage(bucket: String, band: String, day: Int) -> Int? {
        stages(bucket: bucket, band: band).map { Self.scheduledStage(in: $0, day: day) }
    }

    /// The settings of an action.
    public func settings(of action: CollectionAction) -> ActionSettings { tables.settings[action.ordinal] }

    func bucketIndex(forDay day: Int) -> Int? {
        // Buckets are contiguous and the last is open: the last one starting at or before `day`.
        let fromDays = tables.bucketFromDays
        guard day >= fromDays[0] else { return nil }
        var index = 0
        while index + 1 < fromDays.count && fromDays[index + 1] <= day { index += 1 }
        return index
    }

    func bandIndex(forScore score: Double) -> Int {
        let bounds = tables.bandBounds
        for index in bounds.indices {
            guard let bound = bounds[index] else { return index }
            if score < bound { return index }
        }
        return bounds.count - 1
    }

    static func scheduledStage(in stages: [LadderStage], day: Int) -> Int {
        var stage = 0
        for index in stages.indices where stages[index].fromDay <= day { stage = index }
        return stage
    }
}
