import LendingCSV

/// CSV files as tests read and write them.
public enum CSVFiles {
    /// The whole file as a table.
    public static func read(_ path: String) throws -> CSVTable { try CSVTable.read(path: path) }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ path: String, _ bytes: [UInt8]) throws {
        let output = try OutputFile(path: path)
        try bytes.withUnsafeBytes { try output.write($0) }
        try output.commit()
    }
}
