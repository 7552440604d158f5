import Foundation
import LendingPostgres
import LendingTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Many processes on one PostgreSQL book at once (issue 13): two `serve` processes taking the
/// same applications and repayments at the same moment, two `disburse` processes with SIGKILLs,
/// two `eod` processes for each date (plain, by partition, with workers). Then the ledger and the
/// decision chain verify, every loan was paid once, and the ledger's balances equal those of the
/// same book run by one process at a time on SQLite. Runs when `LENDING_TEST_POSTGRES_URL` names
/// a server (`.ci/run` starts one).
@Suite(.serialized, .enabled(if: PostgresTestServer.url != nil, "needs LENDING_TEST_POSTGRES_URL"))
struct PostgresMultiProcessTests {
    /// One key for both books, so that both keep the same person keys.
    static let environment = ["LENDING_DATA_KEY": String(repeating: "5a", count: 32)]

    @Test func manyProcessesOnOneDatabaseKeepTheMoneyRulesAndMatchOneProcessOnSQLite() throws {
        let directory = temporaryPath("pg-multi-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let postgres = try #require(PostgresTestServer.databaseURL())
        try PostgresStore.createDatabase(url: postgres)
        let sqlite = directory + "/reference.sqlite"
        func lending(_ arguments: [String], db: String, stdin: Data? = nil) throws -> CommandResult {
            let result = try runLending(arguments + ["--db", db], stdin: stdin, environment: Self.environment)
            #expect(result.status == 0, "lending \(arguments.joined(separator: " ")) on \(db == sqlite ? "SQLite" : "PostgreSQL"): \(result.stderr)")
            return result
        }

        // The same signed book on both stores, by one process each.
        #expect(try runLending(["generate", "applications", "--count", "400", "--seed", "11", "--days", "3", "-o", directory + "/apps.csv",
                                "--population", directory + "/population.csv", "--quiet"]).status == 0)
        #expect(try runLending(["whitelist", "build", "--model", model, directory + "/population.csv", "--min-score", "0", "--as-of", "2026-09-30",
                                "-o", directory + "/whitelist.csv", "--quiet"]).status == 0)
        for db in [postgres, sqlite] {
            _ = try lending(["whitelist", "import", directory + "/whitelist.csv", "--quiet"], db: db)
            _ = try lending(["apply", directory + "/apps.csv", "--model", model, "--auto-sign", "-o", directory + "/decisions-\(db == sqlite).csv"], db: db)
        }
        let signed = try #require(try loanIDs(directory + "/decisions-true.csv", applications: directory + "/apps.csv"))
        #expect(try loanIDs(directory + "/decisions-false.csv", applications: directory + "/apps.csv") == signed)
        try #require(signed.count > 50, "the generated book signs too few loans to test")

        // Two servers on the PostgreSQL book.
        let keys = directory + "/keys.txt"
        try "multi-process-key\n".write(toFile: keys, atomically: true, encoding: .utf8)
        let ports = [try freePort(), try freePort()]
        let servers = try ports.map { port in
            try ServerProcess(["serve", "--model", model, "--db", postgres, "--api-key-file", keys, "--port", String(port), "--threads", "2",
                               "--log-level", "warning"], environment: Self.environment)
        }
        defer { for server in servers where server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) } }
        for (server, port) in zip(servers, ports) {
            try #require(server.waitForHealth(port: port, seconds: 60), "a server did not come up: \(server.stderr)")
        }
        let headers = ["Authorization": "Bearer multi-process-key", "Content-Type": "application/json"]

        // New applications, each sent to both servers at the same moment with one Idempotency-Key: one record each.
        #expect(try runLending(["generate", "applications", "--count", "24", "--seed", "12", "--days", "1", "-o", directory + "/more.csv", "--quiet"]).status == 0)
        for (index, body) in try rowsJSON(directory + "/more.csv").enumerated() {
            let answers = both(ports) { port in
                http("POST", "/v1/applications", port: port, headers: headers.merging(["Idempotency-Key": "multi-app-\(index)"]) { $1 }, body: body)
            }
            #expect(answers.allSatisfy { [200, 201].contains($0?.status) }, "application \(index): \(answers.map { $0?.status ?? -1 })")
            let sequences = answers.map { answer in
                (try? JSONSerialization.jsonObject(with: Data((answer?.body ?? "").utf8)) as? [String: Any])?["sequence"] as? Int
            }
            #expect(sequences[0] != nil && sequences[0] == sequences[1], "application \(index) got two decisions: \(sequences)")
        }
        let decisions = try lending(["decisions", "verify"], db: postgres)
        #expect(decisions.stdout.hasPrefix("decisions \(try decisionCount(directory + "/decisions-false.csv") + 24) "), "\(decisions.stdout)")

        // Two disbursements at once, one of them killed, several times; then to the end.
        let rail = "sim:" + directory + "/rail.sqlite"
        let faults = ["--rail-fail-rate", "0.05", "--rail-timeout-rate", "0.05"]
        var random = SplitMix64(seed: 13)
        for round in 0..<4 {
            let pair = try (0..<2).map { worker in
                try startLending(["disburse", "--as-of", "2026-10-05", "--rail", rail, "--rail-seed", String(round * 2 + worker), "--batch-size", "10",
                                  "--db", postgres] + faults, environment: Self.environment)
            }
            usleep(UInt32(50_000 + random.next() % 400_000))
            kill(pair[0].processIdentifier, SIGKILL)
            for process in pair { process.waitUntilExit() }
            _ = try lending(["ledger", "verify"], db: postgres)
            #expect(try paidPerLoan(rail).values.allSatisfy { $0 == 1 }, "a loan was paid twice after round \(round)")
        }
        for attempt in 0..<12 where try paidPerLoan(rail).count < signed.count {
            _ = try lending(["disburse", "--as-of", "2026-10-05", "--rail", rail, "--rail-seed", String(100 + attempt)] + faults, db: postgres)
        }
        _ = try lending(["reconcile", "--as-of", "2026-10-05", "--rail", rail], db: postgres)
        let paid = try paidPerLoan(rail)
        #expect(paid.count == signed.count && paid.values.allSatisfy { $0 == 1 }, "\(paid.count) of \(signed.count) loans paid, each once")
        _ = try lending(["disburse", "--as-of", "2026-10-05", "--rail", "sim:" + directory + "/reference-rail.sqlite"], db: sqlite)

        // Two end-of-day runs of the same date at once, by the whole book, then by partition, then with workers.
        func endOfDay(_ day: String, _ first: [String], _ second: [String]) throws {
            let pair = try [first, second].map { options in
                try startLending(["eod", "--as-of", day, "--db", postgres, "--quiet"] + options, environment: Self.environment)
            }
            for process in pair {
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "eod \(day) \(process.arguments ?? [])")
            }
            _ = try lending(["eod", "--as-of", day, "--quiet"], db: sqlite)
        }
        try endOfDay("2026-10-19", [], [])

        // Repayments, each sent to both servers at once with one key; the same file by one process on SQLite.
        var payments = "payment_id,loan_id,paid_at,amount\n"
        for (index, loan) in signed.sorted().enumerated() where index % 3 == 0 {
            let amount = String(format: "%d.%02d", 100 + index * 7, index % 100)
            payments += "P-\(loan),\(loan),2026-10-20,\(amount)\n"
            let body = #"{"payment_id":"P-\#(loan)","amount":"\#(amount)","paid_at":"2026-10-20"}"#
            let answers = both(ports) { port in
                http("POST", "/v1/loans/\(loan)/repayments", port: port, headers: headers.merging(["Idempotency-Key": "multi-pay-\(loan)"]) { $1 }, body: body)
            }
            #expect(answers.allSatisfy { [200, 201].contains($0?.status) }, "repayment of \(loan): \(answers.map { "\($0?.status ?? -1) \($0?.body ?? "")" })")
        }
        _ = try lending(["repay", "-"], db: sqlite, stdin: Data(payments.utf8))
        try endOfDay("2026-10-20", ["--partition", "1/2"], ["--partition", "2/2"])
        try endOfDay("2026-11-12", ["--workers", "2", "--batch-size", "7"], ["--batch-size", "5"])

        for server in servers { kill(server.process.processIdentifier, SIGTERM) }
        for server in servers { #expect(server.waitForExit(seconds: 30)) }

        _ = try lending(["ledger", "verify"], db: postgres)
        _ = try lending(["decisions", "verify"], db: postgres)
        let balances = try lending(["ledger", "balances"], db: postgres).stdout
        let reference = try lending(["ledger", "balances"], db: sqlite).stdout
        #expect(balances.split(separator: "\n").count == 6 + 4 * signed.count)
        #expect(balances == reference, "the PostgreSQL book's balances differ from the single-process SQLite run")
        // Each date's post-loan ran once (the partitions' last finisher, or one of two runs at once).
        let rerun = try lending(["eod", "--as-of", "2026-11-12"], db: postgres)
        #expect(rerun.stderr.contains("end of day 2026-11-12: 0 loans") && rerun.stderr.contains("already run"), "\(rerun.stderr)")
    }

    /// The installment loans `apply --auto-sign` signed (approved rows of its decisions file whose
    /// application asked for an installment loan; a revolving one makes a line, not a loan).
    func loanIDs(_ decisions: String, applications: String) throws -> Set<String>? {
        let applicationLines = try String(contentsOfFile: applications, encoding: .utf8).split(separator: "\n")
        guard let applicationHeader = applicationLines.first.map(csvRecord), let applicationID = applicationHeader.firstIndex(of: "application_id"),
              let product = applicationHeader.firstIndex(of: "product") else { return nil }
        let installment = Set(applicationLines.dropFirst().map(csvRecord).filter { $0[product] == "installment" }.map { $0[applicationID] })
        let lines = try String(contentsOfFile: decisions, encoding: .utf8).split(separator: "\n")
        guard let header = lines.first.map(csvRecord), let id = header.firstIndex(of: "application_id"),
              let outcome = header.firstIndex(of: "outcome") else { return nil }
        return Set(lines.dropFirst().map(csvRecord).filter { $0[outcome] == "approve" && installment.contains($0[id]) }.map { $0[id] })
    }

    func decisionCount(_ decisions: String) throws -> Int {
        try String(contentsOfFile: decisions, encoding: .utf8).split(separator: "\n").count - 1
    }

    func paidPerLoan(_ rail: String) throws -> [String: Int] { try railPaidPerLoan(rail) }

    /// Every data row of a CSV file as a JSON object of strings.
    func rowsJSON(_ path: String) throws -> [String] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline)
        let header = csvRecord(try #require(lines.first))
        return try lines.dropFirst().map { line in
            let fields = Dictionary(uniqueKeysWithValues: zip(header, csvRecord(line)))
            return String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    /// The same request to each port at the same moment (one thread each).
    func both(_ ports: [Int], _ request: @Sendable @escaping (Int) -> (status: Int, body: String)?) -> [(status: Int, body: String)?] {
        let answers = AnswerBox(count: ports.count)
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for (index, port) in ports.enumerated() {
            DispatchQueue.global().async(group: group) {
                start.wait()
                answers.set(index, request(port))
            }
        }
        for _ in ports { start.signal() }
        group.wait()
        return answers.values
    }
}

final class AnswerBox: @unchecked Sendable { // guarded by `lock`
    private let lock = NSLock()
    private var stored: [(status: Int, body: String)?]
    init(count: Int) { stored = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: (status: Int, body: String)?) { lock.withLock { stored[index] = value } }
    var values: [(status: Int, body: String)?] { lock.withLock { stored } }
}
