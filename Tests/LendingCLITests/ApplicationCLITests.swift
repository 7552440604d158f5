import Foundation
import LendingTestSupport
import Testing

let applications = "Fixtures/applications/applications.csv"

/// A database with the fixture book's whitelist and blacklist imported.
func preparedDatabase(_ name: String) throws -> String {
    let database = temporaryPath("\(name).sqlite")
    for suffix in ["-wal", "-shm", ".key"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    let whitelist = temporaryPath("\(name)-whitelist.csv")
    let build = try runLending(["whitelist", "build", "--model", model, "Fixtures/applications/population.csv", "--min-score", "420",
                                "--as-of", "2026-09-30", "-o", whitelist, "--rejects", temporaryPath("\(name)-population-rejects.csv")])
    #expect(build.status == 0, "\(build.stderr)")
    #expect(try runLending(["whitelist", "import", whitelist, "--db", database]).status == 0)
    #expect(try runLending(["blacklist", "import", "Fixtures/applications/blacklist.csv", "--db", database]).status == 0)
    return database
}

func decisionCount(_ database: String) throws -> String {
    let verify = try runLending(["decisions", "verify", "--db", database])
    return String(verify.stdout.split(separator: " ").dropFirst().first ?? "")
}

@Suite(.serialized) struct ApplicationCLITests {
    @Test func everyLifecycleCommandHasHelpWithAnExample() throws {
        for command in [["apply"], ["whitelist", "import"], ["whitelist", "build"], ["blacklist", "import"], ["review", "list"],
                        ["review", "decide"], ["decisions", "verify"], ["policy", "show"], ["generate", "applications"]] {
            let result = try runLending(command + ["--help"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("lending "), "\(command) has no example")
        }
    }

    @Test func appliesTheBookStoresEveryDecisionAndVerifiesTheChain() throws {
        let database = try preparedDatabase("apply")
        let decisions = temporaryPath("decisions.csv")
        let run = try runLending(["apply", applications, "--model", model, "--db", database, "-o", decisions])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("decided 400 of 400 applications"))
        let lines = try String(contentsOfFile: decisions, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "application_id,outcome,approved_limit,apr,score,probability,fraud_score,reasons")
        #expect(lines.count == 401)
        #expect(lines[1].hasPrefix("A11-0000001,"))
        let outcomes = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[1] }
        #expect(outcomes.contains("approve") && outcomes.contains("review") && outcomes.contains("decline"))
        let verify = try runLending(["decisions", "verify", "--db", database])
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("decisions 400 head ") && verify.stdout.hasSuffix(" ok\n"))

        // The same file again: the stored decisions, byte for byte, and nothing new in the chain.
        let again = temporaryPath("decisions-again.csv")
        let replay = try runLending(["apply", applications, "--model", model, "--db", database, "-o", again])
        #expect(replay.status == 0)
        #expect(replay.stderr.contains("400 already decided"))
        #expect(FileManager.default.contents(atPath: again) == FileManager.default.contents(atPath: decisions))
        #expect(try decisionCount(database) == "400")

        // The review queue: list it, approve the oldest, and the chain still holds.
        let queue = try runLending(["review", "list", "--db", database])
        #expect(queue.status == 0)
        let items = queue.stdout.split(separator: "\n").dropFirst()
        #expect(items.count == outcomes.filter { $0 == "review" }.count)
        let first = String(items.first!.split(separator: ",")[0])
        let decided = try runLending(["review", "decide", first, "decline", "--by", "Li Wei", "--at", "2026-10-20T10:00:00+08:00", "--db", database])
        #expect(decided.status == 0, "\(decided.stderr)")
        #expect(decided.stdout == "\(first),decline,0.00,\n")
        #expect(try decisionCount(database) == "401")
        #expect(try runLending(["review", "list", "--db", database]).stdout.split(separator: "\n").count == items.count)
        let twice = try runLending(["review", "decide", first, "approve", "--by", "Li Wei", "--db", database])
        #expect(twice.status == 1)
        #expect(twice.stderr.contains("was already decided by review"))
    }

    @Test func aBadRowStopsTheRunWithItsPlaceAndStoresNothing() throws {
        let database = try preparedDatabase("bad-row")
        var lines = try String(contentsOfFile: FixtureFiles.repositoryRoot + "/" + applications, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Line 301: requested_amount (column 15) becomes "12,5" inside quotes.
        var fields = lines[300].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[14] = "\"12,5\""
        lines[300] = fields.joined(separator: ",")
        let input = temporaryPath("bad-row.csv")
        try lines.joined(separator: "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let output = temporaryPath("bad-row-decisions.csv")
        let run = try runLending(["apply", input, "--model", model, "--db", database, "-o", output])
        #expect(run.status == 1)
        let column = fields[0..<14].map { $0.count + 1 }.reduce(1, +)
        #expect(run.stderr.hasPrefix("\(input):301:\(column): \"requested_amount\" is \"12,5\", not a positive amount in yuan"), "\(run.stderr)")
        #expect(run.stderr.contains("nothing was stored"))
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try decisionCount(database) == "0")

        // With --rejects the row is set aside and the rest is stored: exit 3.
        let rejects = temporaryPath("bad-row-rejects.csv")
        let kept = try runLending(["apply", input, "--model", model, "--db", database, "-o", output, "--rejects", rejects])
        #expect(kept.status == 3)
        let rejected = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
        #expect(rejected.count == 2)
        #expect(rejected[1].hasPrefix("301,\(column),"))
        #expect(try decisionCount(database) == "399")
    }

    @Test func aMissingColumnFailsBeforeAnyRow() throws {
        let database = try preparedDatabase("missing-column")
        let text = try String(contentsOfFile: FixtureFiles.repositoryRoot + "/" + applications, encoding: .utf8)
        let input = temporaryPath("missing-column.csv")
        try text.replacingOccurrences(of: "kyc_card,", with: "kyc_cards,").write(toFile: input, atomically: true, encoding: .utf8)
        let run = try runLending(["apply", input, "--model", model, "--db", database, "-o", temporaryPath("never.csv")])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("\(input):1:1: the header lacks \"kyc_card\"; add the column"), "\(run.stderr)")
        #expect(try decisionCount(database) == "0")
    }

    @Test func malformedFilesNeverEndTheProgramBySignal() throws {
        let database = try preparedDatabase("malformed")
        for file in ["binary-garbage.csv", "unterminated-quote.csv", "invalid-utf8.csv", "nul-byte.csv", "empty.csv", "header-only.csv"] {
            let run = try runLending(["apply", "Fixtures/malformed/\(file)", "--model", model, "--db", database, "-o", temporaryPath("m.csv")])
            #expect(!run.terminatedBySignal, "\(file)")
            #expect(run.status == 1, "\(file): \(run.stderr)")
            #expect(run.stderr.hasPrefix("Fixtures/malformed/\(file):"), "\(file): \(run.stderr)")
        }
    }

    @Test func personalDataNeverReachesMessagesOrTheDatabaseInClear() throws {
        let database = try preparedDatabase("privacy")
        let run = try runLending(["apply", applications, "--model", model, "--db", database, "-o", temporaryPath("privacy.csv")])
        #expect(run.status == 0)
        let rows = try String(contentsOfFile: FixtureFiles.repositoryRoot + "/" + applications, encoding: .utf8).split(separator: "\n").dropFirst()
        let stored = try #require(FileManager.default.contents(atPath: database)).map { $0 }
        let wal = FileManager.default.contents(atPath: database + "-wal").map { Array($0) } ?? []
        for row in rows.prefix(50) {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            for secret in [fields[6], fields[7], fields[8]] where secret.count >= 11 {  // id number, phone, card
                #expect(!run.stderr.contains(secret))
                let bytes = Array(secret.utf8)
                #expect(!contains(stored, bytes) && !contains(wal, bytes), "found a value of \(fields[0]) in the database file")
            }
        }
    }

    @Test func generationIsReproducible() throws {
        let first = temporaryPath("gen-a.csv"), second = temporaryPath("gen-b.csv")
        #expect(try runLending(["generate", "applications", "--count", "300", "--seed", "5", "-o", first, "--quiet"]).status == 0)
        #expect(try runLending(["generate", "applications", "--count", "300", "--seed", "5", "-o", second, "--quiet"]).status == 0)
        #expect(FileManager.default.contents(atPath: first) == FileManager.default.contents(atPath: second))
        let bad = try runLending(["generate", "applications", "--count", "0", "--seed", "5", "-o", temporaryPath("gen-c.csv")])
        #expect(bad.status != 0 && !bad.terminatedBySignal)
    }
}

func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    let first = needle[0]
    var index = 0
    while index <= haystack.count - needle.count {
        if haystack[index] == first && Array(haystack[index..<(index + needle.count)]) == needle { return true }
        index += 1
    }
    return false
}
