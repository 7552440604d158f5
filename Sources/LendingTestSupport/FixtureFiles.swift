/// Paths of the repository's fixtures and models, found from this source file's location so
/// tests run from any working directory.
public enum FixtureFiles {
    /// The repository root.
    public static var repositoryRoot: String {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3) // Sources/LendingTestSupport/FixtureFiles.swift
        return parts.joined(separator: "/")
    }

    /// A file under Fixtures/.
    public static func fixture(_ name: String) -> String { "\(repositoryRoot)/Fixtures/\(name)" }

    /// A file under Models/.
    public static func model(_ name: String) -> String { "\(repositoryRoot)/Models/\(name)" }

}

/// A small, fast, deterministic random number generator (SplitMix64) for randomized tests.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
