import LendingModel

/// Generates synthetic applications with labelled fraud, the customer base and a blacklist.
///
/// A pure function of its configuration: no clock, no files. Every random choice comes from
/// `SplitMix64` streams derived from the seed, one per part of the data, so the same
/// configuration always gives the same data. See docs/generator.md for what is generated.
public enum ApplicationGenerator {
    /// How many applications of each label a configuration asks for.
    public struct Plan: Sendable, Equatable {
        public var clean: Int
        public var mangled: Int
        /// Per fraud kind, in the order of ``SyntheticLabel/fraudKinds``.
        public var fraud: [SyntheticLabel: Int]

        /// Fraud is `count × fraudShare` rounded; mangled ids `count × mangledShare` rounded (from
        /// the clean budget); the fraud kinds split the fraud by largest remainder on the mix.
        public init(_ configuration: GeneratorConfiguration) {
            let count = configuration.count
            let fraudTotal = min(count, Int((Double(count) * configuration.fraudShare).rounded()))
            mangled = min(count - fraudTotal, Int((Double(count) * configuration.mangledShare).rounded()))
            clean = count - fraudTotal - mangled
            let parts = apportion(fraudTotal, weights: configuration.fraudMix.weights)
            fraud = Dictionary(uniqueKeysWithValues: zip(SyntheticLabel.fraudKinds, parts))
        }
    }

    /// Generates the data set.
    /// - Parameter configuration: what to generate.
    /// - Throws: ``SimulationError`` when the configuration is out of range.
    /// - Returns: applications in time order with ids, their truth, the population and the blacklist.
    public static func generate(_ configuration: GeneratorConfiguration) throws(SimulationError) -> SyntheticDataset {
        try configuration.validate()
        let plan = Plan(configuration)
        let seed = configuration.seed
        var world = World(configuration: configuration, cleanCount: plan.clean)

        var rng = SplitMix64.stream(seed: seed, .clean)
        world.generateClean(count: plan.clean, &rng)
        rng = SplitMix64.stream(seed: seed, .mangled)
        world.generateMangled(count: plan.mangled, &rng)
        rng = SplitMix64.stream(seed: seed, .ring)
        world.generateRings(count: plan.fraud[.ring] ?? 0, &rng)
        rng = SplitMix64.stream(seed: seed, .surge)
        let surgeMerchant = world.generateSurge(count: plan.fraud[.surge] ?? 0, &rng)
        rng = SplitMix64.stream(seed: seed, .collusion)
        world.generateCollusion(count: plan.fraud[.collusion] ?? 0, avoiding: surgeMerchant, &rng)
        rng = SplitMix64.stream(seed: seed, .velocity)
        world.generateVelocity(count: plan.fraud[.velocity] ?? 0, &rng)
        rng = SplitMix64.stream(seed: seed, .blacklist)
        world.generateBlacklisted(count: plan.fraud[.blacklist] ?? 0, &rng)

        rng = SplitMix64.stream(seed: seed, .population)
        let nonApplicants = world.generateNonApplicants(count: Int((Double(world.population.count) * 0.25).rounded()), &rng)
        rng = SplitMix64.stream(seed: seed, .blacklistFile)
        world.completeBlacklist(nonApplicants: nonApplicants, perFraudEntry: 3, &rng)

        // Time order; ties keep the order of generation. Ids are numbered in that order.
        let drafts = world.drafts
        let times = drafts.map(\.time)
        let order = times.indices.sorted { (times[$0], $0) < (times[$1], $1) }
        let width = max(7, String(order.count).count)
        var applications: [SyntheticApplication] = []
        var truth: [TruthRecord] = []
        applications.reserveCapacity(order.count)
        truth.reserveCapacity(order.count)
        for (position, index) in order.enumerated() {
            let number = String(position + 1)
            let id = configuration.idPrefix + String(repeating: "0", count: width - number.count) + number
            var application = drafts[index].application
            application.applicationID = id
            applications.append(application)
            truth.append(TruthRecord(applicationID: id, label: drafts[index].label, group: drafts[index].group,
                                     creditBad: GermanCredit.isBad(row: application.creditRow)))
        }
        // The files must not reveal who applied, or who is listed for what, by their order.
        rng = SplitMix64.stream(seed: seed, .shuffle)
        var population = world.population
        var blacklist = world.blacklist
        rng.shuffle(&population)
        rng.shuffle(&blacklist)
        return SyntheticDataset(configuration: configuration, applications: applications, truth: truth,
                                population: population, blacklist: blacklist)
    }
}
