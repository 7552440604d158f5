/// Everything one run generates: the applications in time order, the truth for each (same
/// order), the customer base and the blacklist.
public struct SyntheticDataset: Sendable {
    public var configuration: GeneratorConfiguration
    public var applications: [SyntheticApplication]
    /// `truth[i]` describes `applications[i]`.
    public var truth: [TruthRecord]
    public var population: [PopulationRecord]
    public var blacklist: [BlacklistEntry]

    /// Applications per label (every label present, zero when none).
    public var labelCounts: [SyntheticLabel: Int] {
        var counts = Dictionary(uniqueKeysWithValues: SyntheticLabel.allCases.map { ($0, 0) })
        for record in truth { counts[record.label, default: 0] += 1 }
        return counts
    }
}
