import Foundation
import LendingTestSupport
import Testing

/// One small demo run (600 applications, 75 days) that the post-loan commands then work on.
struct DemoScene {
    let directory: String
    let demo: CommandResult
    var db: String { directory + "/lending.sqlite" }

    static let shared: Result<DemoScene, any Error> = Result {
        let directory = temporaryPath("demo-scene")
        try? FileManager.default.removeItem(atPath: directory)
        let demo = try runLending(["demo", "--dir", directory, "--applications", "600", "--days", "75", "--seed", "5"])
        return DemoScene(directory: directory, demo: demo)
    }

    func lending(_ arguments: [String]) throws -> CommandResult { try runLending(arguments + ["--db", db]) }
}

@Suite(.serialized) struct PostLoanCLITests {
    func scene() throws -> DemoScene {
        let scene = try DemoScene.shared.get()
        try #require(scene.demo.status == 0, "\(scene.demo.stderr)")
        return scene
    }

    @Test func demoPrintsTheSummaryAndLeavesTheDatabaseAndTheReport() throws {
        let scene = try scene()
        let out = scene.demo.stdout
        for label in ["applications      600:", "approved", "disbursed", "NPL ratio", "roll rates", "recovered from overdue loans", "written off",
                      "database          \(scene.db)", "report            \(scene.directory)/portfolio.html"] {
            #expect(out.contains(label), "\(label) missing in \(out)")
        }
        #expect(scene.demo.stderr.contains("day 60/75 2026-03-01"))
        let html = try String(contentsOfFile: scene.directory + "/portfolio.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<h2>Roll rates</h2>") && !html.contains("<script"))
        let verified = try scene.lending(["ledger", "verify"])
        #expect(verified.status == 0 && verified.stdout.hasSuffix("ok\n"), "\(verified.stdout) \(verified.stderr)")
    }

    @Test func collectionsPlanWritesTheActionsTheLastEndOfDayPlanned() throws {
        let scene = try scene()
        let path = scene.directory + "/actions.csv"
        let planned = try scene.lending(["collections", "plan", "--as-of", "2026-03-17", "-o", path])
        #expect(planned.status == 0, "\(planned.stderr)")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "loan_id,action,channel,scheduled_at,bucket,reason")
        #expect(lines.count > 1)
        #expect(lines.dropFirst().allSatisfy { $0.contains("2026-03-17T") })
        #expect(planned.stderr.contains("\(lines.count - 1) actions planned for 2026-03-17"))
    }

    @Test func collectionsPlanRunsEndOfDayFirstWhenItHasNotRun() throws {
        let scene = try scene()
        let planned = try scene.lending(["collections", "plan", "--as-of", "2026-03-18", "-o", "-"])
        #expect(planned.status == 0, "\(planned.stderr)")
        #expect(planned.stderr.contains("post-loan has not run for 2026-03-17; running end of day for it first"))
        #expect(planned.stdout.hasPrefix("loan_id,action,channel,scheduled_at,bucket,reason\n"))
        let again = try scene.lending(["eod", "--as-of", "2026-03-17"])
        #expect(again.stderr.contains("post-loan 2026-03-17: already run (nothing changed)"), "\(again.stderr)")
    }

    @Test func collectionsRecordStoresOutcomesOnceAndRejectsBadRows() throws {
        let scene = try scene()
        let actions = try scene.lending(["collections", "plan", "--as-of", "2026-03-17", "-o", "-", "--quiet"])
        let loan = try #require(actions.stdout.split(separator: "\n").dropFirst().first?.split(separator: ",").first.map(String.init))
        let good = try csv("outcomes-good", ["loan_id,action,happened_at,result,promise_date,promise_amount,opt_out",
                                             "\(loan),agent_call,2026-03-17T10:00:00+08:00,promise_to_pay,2026-03-20,300.00,",
                                             "\(loan),sms,2026-03-17T11:00:00+08:00,contacted,,,sms"])
        let first = try scene.lending(["collections", "record", good])
        #expect(first.status == 0 && first.stderr.contains("recorded 2 outcomes (1 promises to pay)"), "\(first.stderr)")
        let second = try scene.lending(["collections", "record", good])
        #expect(second.status == 0 && second.stderr.contains("2 already recorded (nothing changed)"), "\(second.stderr)")
        let bad = try csv("outcomes-bad", ["loan_id,action,happened_at,result,promise_date,promise_amount",
                                           "\(loan),agent_call,2026-03-17T12:00:00+08:00,promised,,",
                                           "NOPE,agent_call,2026-03-17T12:00:00+08:00,contacted,,"])
        let refused = try scene.lending(["collections", "record", bad])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(bad):2:") && refused.stderr.contains("\"result\" is \"promised\""), "\(refused.stderr)")
        let rejects = temporaryPath("outcome-rejects.csv")
        let partial = try scene.lending(["collections", "record", bad, "--rejects", rejects])
        #expect(partial.status == 3)
        let rejected = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(rejected.split(separator: "\n").count == 3 && rejected.contains("NOPE is not known"))
    }

    @Test func reportPortfolioWritesOneSelfContainedPage() throws {
        let scene = try scene()
        let path = scene.directory + "/report.html"
        let written = try scene.lending(["report", "portfolio", "--as-of", "2026-03-16", "-o", path, "--title", "Small book"])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stderr.contains("2 months of roll rates") || written.stderr.contains("1 months of roll rates"), "\(written.stderr)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.contains("<h1>Small book</h1>") && html.contains("<h2>Approval funnel</h2>") && html.contains("<h2>Collections</h2>"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))
    }

    func csv(_ name: String, _ lines: [String]) throws -> String {
        let path = temporaryPath(name + ".csv")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
