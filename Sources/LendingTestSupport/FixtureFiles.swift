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

@_exported import struct LendingModel.SplitMix64
