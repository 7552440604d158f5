#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Scratch files for tests: one directory per test name and process, so parallel tests and
/// parallel runs never share a file.
public enum ScratchFiles {
    /// A fresh scratch directory for one test (created if missing).
    public static func directory(_ name: String) -> String {
        let path = "/tmp/lending-tests-\(getpid())-\(name)"
        mkdir(path, 0o755)
        return path
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Removes a file; a missing file is not an error.
    public static func remove(_ path: String) { unlink(path) }
}
