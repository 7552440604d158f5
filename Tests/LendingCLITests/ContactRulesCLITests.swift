import Foundation
import LendingTestSupport
import Testing

/// `--policy` on `eod` and the collections commands, and `collections record` refusing an
/// outcome the contact rules forbid, on a small demo of its own (it records outcomes).
@Suite(.serialized) struct ContactRulesCLITests {
    static let scene: Result<String, any Error> = Result {
        let directory = temporaryPath("contact-rules-scene")
        try? FileManager.default.removeItem(atPath: directory)
        let demo = try runLending(["demo", "--dir", directory, "--applications", "600", "--days", "75", "--seed", "15"])
        guard demo.status == 0 else { throw CLIFailure(text: demo.stderr) }
        return directory
    }

    struct CLIFailure: Error { var text: String }

    func lending(_ arguments: [String]) throws -> CommandResult {
        try runLending(arguments + ["--db", try Self.scene.get() + "/lending.sqlite"])
    }

    func file(_ name: String, _ lines: [String]) throws -> String {
        let path = try Self.scene.get() + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func eodAndEveryCollectionsCommandTakeThePolicy() throws {
        for command in [["eod"], ["collections", "plan"], ["collections", "record"], ["collections", "check"]] {
            let help = try runLending(["help"] + command)
            #expect(help.stdout.contains("--policy") && help.stdout.contains("--strategy"), "\(command): \(help.stdout)")
        }
        // The policy's time zone is the borrowers': the log planned at +08:00, checked at +00:00, is
        // outside contact hours.
        let utc = try file("policy-utc.json", [#"{"utcOffset": "+00:00"}"#])
        let atHome = try lending(["collections", "check"])
        #expect(atHome.status == 0, "\(atHome.stdout) \(atHome.stderr)")
        let elsewhere = try lending(["collections", "check", "--policy", utc])
        #expect(elsewhere.status == 1 && elsewhere.stderr.contains("contact rule broken: outside_contact_hours"), "\(elsewhere.stdout) \(elsewhere.stderr)")
        let missing = try lending(["collections", "check", "--policy", "/nonexistent/policy.json"])
        #expect(missing.status != 0 && missing.stderr.contains("policy"))
    }

    @Test func anOutcomeInsideTheQuietPeriodIsABadRowWithItsCodeAndThePlanLeavesTheCallOut() throws {
        // The demo's last day is 2026-03-16: its eod planned 2026-03-17.
        let plan = try lending(["collections", "plan", "--as-of", "2026-03-17", "-o", "-", "--quiet"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let rows = plan.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let calls = rows.filter { ["voice_bot", "agent_call", "outsourced_call"].contains($0[1]) }
        try #require(!calls.isEmpty)
        // A conversation the evening before (a call off the plan, recorded after that eod) on a
        // loan with a call planned: the quiet period now forbids that call.
        var chosen: [String]?
        for call in calls.prefix(20) {
            let talk = try file("talk.csv", ["loan_id,action,happened_at,result,promise_date,promise_amount",
                                             "\(call[0]),agent_call,2026-03-16T20:00:00+08:00,contacted,,"])
            if try lending(["collections", "record", talk, "--quiet"]).status == 0 {
                chosen = call
                break
            }
        }
        let call = try #require(chosen)
        let later = try file("later.csv", ["loan_id,action,happened_at,result,promise_date,promise_amount",
                                           "\(call[0]),\(call[1]),\(call[3]),no_answer,,"])
        let refused = try lending(["collections", "record", later])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(later):2:") && refused.stderr.contains("quiet period"), "\(refused.stderr)")
        // Asked again, the plan cancels the call and says why.
        let again = try lending(["collections", "plan", "--as-of", "2026-03-17", "-o", "-"])
        #expect(again.status == 0)
        #expect(!again.stdout.contains("\(call[0]),\(call[1]),\(call[2]),\(call[3]),"))
        #expect(again.stderr.contains("cancelled by the contact rules now: ") && again.stderr.contains("outcome.quiet_period"), "\(again.stderr)")
        let checked = try lending(["collections", "check"])
        #expect(checked.status == 0, "\(checked.stdout) \(checked.stderr)")
    }
}
