import Foundation
import LendingTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A scratch directory with applications generated, a whitelist imported, and the file applied
/// with --auto-sign.
struct ServicingScene {
    let directory: String
    var db: String { directory + "/lending.sqlite" }
    var rail: String { "sim:" + directory + "/rail.sqlite" }
    let signed: String

    init(_ name: String, count: Int) throws {
        directory = temporaryPath(name)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let generated = try runLending(["generate", "applications", "--count", String(count), "--seed", "11", "--days", "3", "-o", directory + "/apps.csv",
                                        "--population", directory + "/population.csv", "--quiet"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let built = try runLending(["whitelist", "build", "--model", model, directory + "/population.csv", "--min-score", "0", "--as-of", "2026-09-30",
                                    "-o", directory + "/whitelist.csv", "--quiet"])
        #expect(built.status == 0, "\(built.stderr)")
        let imported = try runLending(["whitelist", "import", directory + "/whitelist.csv", "--db", directory + "/lending.sqlite", "--quiet"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let applied = try runLending(["apply", directory + "/apps.csv", "--model", model, "--db", directory + "/lending.sqlite", "--auto-sign",
                                      "-o", directory + "/decisions.csv"])
        #expect(applied.status == 0, "\(applied.stderr)")
        signed = applied.stderr
    }

    /// The number of loans the apply run signed.
    var loans: Int {
        guard let range = signed.range(of: #"\(([0-9]+) loans"#, options: .regularExpression) else { return -1 }
        return Int(signed[range].dropFirst().split(separator: " ")[0]) ?? -1
    }

    func lending(_ arguments: [String]) throws -> CommandResult { try runLending(arguments + ["--db", db]) }

    /// The rail's record: paid keys per loan.
    func paidPerLoan() throws -> [String: Int] { try railPaidPerLoan(rail) }
}

/// A simulated rail's record (`lending rail list`): paid keys per loan (the key of attempt N is LOAN#N).
func railPaidPerLoan(_ rail: String) throws -> [String: Int] {
    guard FileManager.default.fileExists(atPath: String(rail.dropFirst(4))) else { return [:] }
    let listed = try runLending(["rail", "list", "--rail", rail])
    #expect(listed.status == 0)
    var counts: [String: Int] = [:]
    for line in listed.stdout.split(separator: "\n").dropFirst() {
        let fields = line.split(separator: ",")
        guard fields.count == 4, fields[2] == "paid" else { continue }
        let key = String(fields[0])
        let loan = key.range(of: #"#[0-9]+$"#, options: .regularExpression).map { String(key[..<$0.lowerBound]) } ?? key
        counts[loan, default: 0] += 1
    }
    return counts
}

/// Starts `lending` without waiting for it.
func startLending(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = testBinary.deletingLastPathComponent()
    while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("lending").path) && directory.path != "/" {
        directory = directory.deletingLastPathComponent()
    }
    let process = Process()
    process.executableURL = directory.appendingPathComponent("lending")
    process.arguments = arguments
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
    process.currentDirectoryURL = URL(fileURLWithPath: FixtureFiles.repositoryRoot)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

@Suite(.serialized) struct ServicingCLITests {
    @Test func everyServicingCommandHasHelpWithAnExample() throws {
        for command in [["disburse"], ["reconcile"], ["rail", "list"], ["draw"], ["repay"], ["eod"], ["loans", "show"], ["ledger", "verify"]] {
            let result = try runLending(command + ["--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("lending \(command[0])"), "\(command) has no example")
        }
        #expect(try runLending(["apply", "--help"]).stdout.contains("--auto-sign"))
    }

    @Test func theLoanLifecycleRunsFromTheCommandLine() throws {
        let scene = try ServicingScene("servicing-lifecycle", count: 400)
        #expect(scene.loans > 50, "\(scene.signed)")
        let faulty = try scene.lending(["disburse", "--as-of", "2026-10-05", "--rail", scene.rail, "--rail-fail-rate", "0.2", "--rail-timeout-rate", "0.2"])
        #expect(faulty.status == 0, "\(faulty.stderr)")
        #expect(faulty.stderr.hasPrefix("sent \(scene.loans) payouts"))
        let reconciled = try scene.lending(["reconcile", "--as-of", "2026-10-05", "--rail", scene.rail])
        #expect(reconciled.status == 0 && reconciled.stderr.hasPrefix("reconciled "))
        let retried = try scene.lending(["disburse", "--as-of", "2026-10-05", "--rail", scene.rail])
        #expect(retried.status == 0, "\(retried.stderr)")
        let paid = try scene.paidPerLoan()
        #expect(paid.count == scene.loans && paid.values.allSatisfy { $0 == 1 })

        let eod = try scene.lending(["eod", "--as-of", "2026-10-20"])
        #expect(eod.status == 0)
        #expect(eod.stderr.hasPrefix("end of day 2026-10-20: \(scene.loans) loans"))
        let loanID = try #require(paid.keys.sorted().first)
        let payments = temporaryPath("servicing-payments.csv")
        try "payment_id,loan_id,paid_at,amount\nP1,\(loanID),2026-10-21,100.00\nP2,NO-SUCH-LOAN,2026-10-21,1.00\n"
            .write(toFile: payments, atomically: true, encoding: .utf8)
        let stopped = try scene.lending(["repay", payments])
        #expect(stopped.status == 1)
        #expect(stopped.stderr == "\(payments):3:4: loan NO-SUCH-LOAN is not known; check the loan id; nothing was stored: fix the row and run again, or pass --rejects FILE to set such rows aside\n")
        let rejects = temporaryPath("servicing-rejects.csv")
        let repaid = try scene.lending(["repay", payments, "--rejects", rejects])
        #expect(repaid.status == 3)
        #expect(try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n").count == 2)
        #expect(try scene.lending(["repay", payments, "--rejects", rejects]).stderr.contains("1 already applied (nothing changed)"))

        let shown = try scene.lending(["loans", "show", loanID])
        #expect(shown.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(json["loan_id"] as? String == loanID)
        #expect(json["status"] as? String == "active")
        #expect(json["processed_through"] as? String == "2026-10-21")
        #expect((json["schedule"] as? [Any])?.isEmpty == false)
        #expect((json["balances"] as? [String: Any])?["principal"] != nil)
        #expect(json["days_past_due"] as? Int == 0)
        #expect(try scene.lending(["loans", "show", "NO-SUCH-LOAN"]).status == 1)

        let verified = try scene.lending(["ledger", "verify"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.hasSuffix(" ok\n"))
    }

    /// The crash harness in small: `disburse` killed with SIGKILL at random moments, restarted;
    /// after every kill the ledger holds and the rail has paid no loan twice; in the end every
    /// signed loan is paid exactly once. (scripts/crash-harness.py does this at scale.)
    @Test func killedDisbursementsLoseNothingAndPayNoLoanTwice() throws {
        let scene = try ServicingScene("servicing-kills", count: 500)
        var random = SplitMix64(seed: 5)
        for round in 0..<5 {
            let process = try startLending(["disburse", "--as-of", "2026-10-05", "--rail", scene.rail, "--rail-fail-rate", "0.1", "--rail-timeout-rate",
                                            "0.1", "--rail-seed", String(round), "--batch-size", "20", "--db", scene.db])
            usleep(UInt32(20_000 + random.next() % 150_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let verified = try scene.lending(["ledger", "verify"])
            #expect(verified.status == 0, "after kill \(round): \(verified.stderr)")
            #expect(try scene.paidPerLoan().values.allSatisfy { $0 == 1 }, "after kill \(round)")
        }
        for _ in 0..<10 where try scene.paidPerLoan().count < scene.loans {
            #expect(try scene.lending(["disburse", "--as-of", "2026-10-05", "--rail", scene.rail, "--rail-fail-rate", "0.1"]).status == 0)
        }
        #expect(try scene.lending(["reconcile", "--as-of", "2026-10-05", "--rail", scene.rail]).status == 0)
        let paid = try scene.paidPerLoan()
        #expect(paid.count == scene.loans && paid.values.allSatisfy { $0 == 1 })
        #expect(try scene.lending(["ledger", "verify"]).status == 0)
    }
}

/// Refunds through the rail killed at random moments: after every kill the ledger holds, every
/// loan still has its one refund (no new key was made for it) and the rail has paid each key at
/// most once; in the end every refund is paid or refused (its money back on the loan) and the
/// rail's record agrees with the book's.
@Suite struct RefundKillCLITests {
    @Test func killedRefundRunsPayEveryRefundAtMostOnce() throws {
        let scene = try ServicingScene("refund-kills", count: 150)
        #expect(try scene.lending(["disburse", "--as-of", "2026-10-05", "--rail", scene.rail]).status == 0)
        let loans = Array(try scene.paidPerLoan().keys.sorted().prefix(30))
        #expect(loans.count == 30)
        // Each loan is paid far more than it owes: it closes, and holds the rest for its borrower.
        var payments = "payment_id,loan_id,paid_at,amount\n"
        for (index, loan) in loans.enumerated() { payments += "OVER-\(index),\(loan),2026-10-06,\(60_000 + index).00\n" }
        let file = scene.directory + "/overpayments.csv"
        try payments.write(toFile: file, atomically: true, encoding: .utf8)
        let repaid = try scene.lending(["repay", file])
        #expect(repaid.status == 0, "\(repaid.stderr)")
        for loan in loans {
            let asked = try scene.lending(["refunds", "request", loan, "--reason", "overpaid", "--by", "Li Wei"])
            #expect(asked.stdout == "refund:\(loan):1,pending\n", "\(asked.stdout)\(asked.stderr)")
            let approved = try scene.lending(["approvals", "decide", "refund:\(loan):1", "approve", "--by", "Wang Fang", "--as-of", "2026-10-07"])
            #expect(approved.stdout == "refund:\(loan):1,approved\n", "\(approved.stdout)\(approved.stderr)")
        }
        func refunds() throws -> [[String: String]] {
            let lines = try scene.lending(["refunds", "list"]).stdout.split(separator: "\n")
            guard let header = lines.first.map(csvRecord) else { return [] }
            return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, csvRecord($0))) }
        }
        func railPaid() throws -> [String: Int] {
            let listed = try runLending(["rail", "list", "--rail", scene.rail])
            var paid: [String: Int] = [:]
            for line in listed.stdout.split(separator: "\n").dropFirst() where line.split(separator: ",").dropFirst(2).first == "paid" {
                paid[String(line.split(separator: ",")[0]), default: 0] += 1
            }
            return paid.filter { $0.key.contains("#R") }
        }
        var random = SplitMix64(seed: 9)
        var landed = 0
        var rounds = 0
        for round in 0..<12 where landed < 6 {
            rounds += 1
            let process = try startLending(["refunds", "pay", "--as-of", "2026-10-07", "--rail", scene.rail, "--rail-fail-rate", "0.2",
                                            "--rail-timeout-rate", "0.3", "--rail-seed", String(round), "--rail-latency-ms", "80",
                                            "--batch-size", "1", "--db", scene.db])
            usleep(UInt32(60_000 + random.next() % 400_000))
            if process.isRunning { landed += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let verified = try scene.lending(["ledger", "verify"])
            #expect(verified.status == 0, "after kill \(round): \(verified.stdout)\(verified.stderr)")
            let listed = try refunds()
            #expect(listed.count == loans.count && Set(listed.compactMap { $0["key"] }) == Set(loans.map { "\($0)#R1" }), "after kill \(round)")
            #expect(try railPaid().values.allSatisfy { $0 == 1 }, "after kill \(round)")
        }
        #expect(landed >= 4, "only \(landed) of \(rounds) kills landed while refunds pay ran")
        print("refund kills landed: \(landed) of \(rounds); paid after the kills: \(try railPaid().count) of \(loans.count)")
        for _ in 0..<10 where try refunds().contains(where: { $0["status"] == "sent" || $0["status"] == "unknown" }) {
            let paid = try scene.lending(["refunds", "pay", "--as-of", "2026-10-08", "--rail", scene.rail, "--rail-timeout-rate", "0.3", "--rail-seed", "99"])
            #expect(paid.status == 0, "\(paid.stderr)")
        }
        let final = try refunds()
        #expect(final.allSatisfy { $0["status"] == "paid" || $0["status"] == "failed" }, "\(final)")
        #expect(Set(try railPaid().keys) == Set(final.filter { $0["status"] == "paid" }.compactMap { $0["key"] }))
        #expect(final.contains { $0["status"] == "failed" } && final.contains { $0["status"] == "paid" }, "refusals and payments both happened")
        let verified = try scene.lending(["ledger", "verify"])
        #expect(verified.status == 0 && verified.stdout.contains("refunds 30 "), "\(verified.stdout)\(verified.stderr)")
        // The portfolio report counts the refunds paid, and their amount.
        let paidRefunds = final.filter { $0["status"] == "paid" }
        let fen = paidRefunds.compactMap { $0["amount"].flatMap { Int($0.replacingOccurrences(of: ".", with: "")) } }.reduce(0, +)
        let amount = String(format: "%d.%02d", fen / 100, fen % 100)
        let report = scene.directory + "/portfolio.html"
        #expect(try scene.lending(["report", "portfolio", "--as-of", "2026-10-31", "-o", report]).status == 0)
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("<tr><td>Refunds paid</td><td class=\"num\">\(paidRefunds.count)</td><td class=\"num\">\(paidRefunds.count)</td><td class=\"num\">\(amount)</td></tr>"),
                "\(html.components(separatedBy: "Corrections").last ?? "")")
    }
}

@Suite struct DatabaseSelectionCLITests {
    @Test func lendingDBSelectsTheDatabaseWhenDbIsNotGivenAndBalancesListEveryAccount() throws {
        let directory = temporaryPath("lending-db-env")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let database = directory + "/chosen.sqlite"
        let verified = try runLending(["ledger", "verify"], environment: ["LENDING_DB": database])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(FileManager.default.fileExists(atPath: database), "LENDING_DB did not choose the database")
        // --db wins over LENDING_DB.
        let other = directory + "/other.sqlite"
        #expect(try runLending(["ledger", "verify", "--db", other], environment: ["LENDING_DB": database]).status == 0)
        #expect(FileManager.default.fileExists(atPath: other))
        let balances = try runLending(["ledger", "balances", "--db", database])
        #expect(balances.status == 0)
        #expect(balances.stdout == """
            account,balance
            lender:funding_cash,0.00
            lender:interest_income,0.00
            lender:penalty_income,0.00
            lender:suspense,0.00
            lender:write_off_expense,0.00

            """, "\(balances.stdout)")
    }

    @Test func aPostgresURLWithAPasswordIsNeverShown() throws {
        // Nothing listens on port 1: the connection fails, and the message names the database without the password.
        let failed = try runLending(["ledger", "verify", "--db", "postgres://lender:HiddenPass77@127.0.0.1:1/book"])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("postgres://lender@127.0.0.1:1/book"), "\(failed.stderr)")
        #expect(!failed.stderr.contains("HiddenPass77"))
    }
}
