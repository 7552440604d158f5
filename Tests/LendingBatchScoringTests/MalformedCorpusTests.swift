import LendingCSV
import LendingScoring
import LendingModel
import LendingTestSupport
import Testing
import LendingBatchScoring

/// Every file of Fixtures/malformed and what `lending score` must say about it.
struct MalformedCase: Sendable, CustomStringConvertible {
    var file: String
    /// Without --rejects: `nil` when the run succeeds, else `LINE:COLUMN` and a fragment of the message.
    var failure: (line: Int, column: Int, fragment: String)?
    /// With --rejects: the lines rejected, or `nil` when the file fails as a whole even then.
    var rejectedLines: [Int]?
    var description: String { file }
}

let malformedCases: [MalformedCase] = [
    MalformedCase(file: "empty.csv", failure: (1, 1, "the file is empty"), rejectedLines: nil),
    MalformedCase(file: "header-only.csv", failure: nil, rejectedLines: []),
    MalformedCase(file: "blank-lines-after-header.csv", failure: nil, rejectedLines: []),
    MalformedCase(file: "unterminated-quote.csv", failure: (3, 230, "never closed"), rejectedLines: [3]),
    MalformedCase(file: "wrong-field-count-short.csv", failure: (3, 149, "expected 21 fields as in the header, found 10"), rejectedLines: [3]),
    MalformedCase(file: "wrong-field-count-long.csv", failure: (3, 221, "expected 21 fields as in the header, found 23"), rejectedLines: [3]),
    MalformedCase(file: "text-in-numeric.csv", failure: (3, 80, "\"credit_amount\" is \"abc\", not a number"), rejectedLines: [3]),
    MalformedCase(file: "thousands-separator.csv", failure: (3, 80, "\"credit_amount\" is \"5,951\", not a number"), rejectedLines: [3]),
    MalformedCase(file: "nan-in-numeric.csv", failure: (2, 12, "\"duration_in_month\" is \"NaN\", not a number"), rejectedLines: [2]),
    MalformedCase(file: "infinity-in-numeric.csv", failure: (2, 186, "\"age_in_years\" is \"inf\", not a number"), rejectedLines: [2]),
    MalformedCase(file: "overflow-in-numeric.csv", failure: (2, 91, "\"credit_amount\" is \"1e400\", not a number"), rejectedLines: [2]),
    MalformedCase(file: "unseen-category.csv", failure: (3, 172, "\"housing\" is \"castle\", a category the model has not seen"), rejectedLines: [3]),
    MalformedCase(file: "missing-value.csv", failure: (2, 186, "\"age_in_years\" is empty and the model has no missing bin"), rejectedLines: [2]),
    MalformedCase(file: "missing-required-column.csv", failure: (1, 1, "the model needs column \"credit_amount\""), rejectedLines: nil),
    MalformedCase(file: "duplicate-header.csv", failure: (1, 465, "the column \"housing\" appears twice"), rejectedLines: nil),
    MalformedCase(file: "empty-header-name.csv", failure: (1, 317, "a header name is empty"), rejectedLines: nil),
    MalformedCase(file: "quote-in-unquoted-field.csv", failure: (2, 79, "a quote inside an unquoted field"), rejectedLines: [2]),
    MalformedCase(file: "text-after-closing-quote.csv", failure: (2, 272, "text after a closing quote"), rejectedLines: [2]),
    MalformedCase(file: "invalid-utf8.csv", failure: (3, 63, "\"purpose\" is not valid UTF-8"), rejectedLines: [3]),
    MalformedCase(file: "invalid-utf8-header.csv", failure: (1, 317, "not valid UTF-8"), rejectedLines: nil),
    MalformedCase(file: "nul-byte.csv", failure: (3, 172, "\"housing\" contains a NUL byte"), rejectedLines: [3]),
    MalformedCase(file: "binary-garbage.csv", failure: (1, 1, "not valid UTF-8"), rejectedLines: nil),
    MalformedCase(file: "crlf-bom-valid.csv", failure: nil, rejectedLines: []),
    MalformedCase(file: "many-bad-rows.csv", failure: (3, 194, "\"housing\" is \"castle\""), rejectedLines: [3, 5, 6]),
]

@Suite struct MalformedCorpusTests {
    @Test(arguments: malformedCases)
    func stopsAtTheFirstBadRowWithLineAndColumnAndLeavesNoOutput(_ testCase: MalformedCase) throws {
        let directory = ScratchFiles.directory("malformed-stop")
        let output = "\(directory)/\(testCase.file).out.csv"
        ScratchFiles.remove(output)
        let input = FixtureFiles.fixture("malformed/\(testCase.file)")
        let job = BatchScoreJob(model: try ReferenceModels.germanCredit(), inputPath: input, outputPath: output)
        if let failure = testCase.failure {
            do {
                _ = try job.run()
                Issue.record("\(testCase.file) was accepted")
            } catch {
                #expect(error.location == SourceLocationMatcher(file: input, line: failure.line, column: failure.column).location)
                #expect(error.message.contains(failure.fragment), "\(error.message)")
                #expect(!error.description.isEmpty && error.description.hasPrefix("\(input):\(failure.line):\(failure.column): "))
            }
            #expect(!ScratchFiles.exists(output), "an output was left behind")
        } else {
            _ = try job.run()
            #expect(ScratchFiles.exists(output))
        }
    }

    @Test(arguments: malformedCases)
    func setsBadRowsAsideWithRejects(_ testCase: MalformedCase) throws {
        let directory = ScratchFiles.directory("malformed-rejects")
        let output = "\(directory)/\(testCase.file).out.csv"
        let rejects = "\(directory)/\(testCase.file).rejects.csv"
        ScratchFiles.remove(output)
        ScratchFiles.remove(rejects)
        let input = FixtureFiles.fixture("malformed/\(testCase.file)")
        let job = BatchScoreJob(model: try ReferenceModels.germanCredit(), inputPath: input, outputPath: output, rejectsPath: rejects)
        guard let lines = testCase.rejectedLines else {
            #expect(throws: BatchScoreError.self) { try job.run() }
            #expect(!ScratchFiles.exists(output) && !ScratchFiles.exists(rejects))
            return
        }
        let summary = try job.run()
        #expect(summary.rejected == lines.count)
        let table = try CSVFiles.read(rejects)
        #expect(table.header == ["line", "column", "reason", "raw"])
        #expect(table.rows.map { Int($0[0])! } == lines)
        let scored = try CSVFiles.read(output)
        #expect(scored.rows.count == summary.scored)
    }

    @Test func aTenMegabyteLineIsRejectedNotBuffered() throws {
        let directory = ScratchFiles.directory("long-line")
        let source = try CSVFiles.read(FixtureFiles.fixture("german-credit.csv"))
        var buffer = CSVOutputBuffer()
        buffer.appendRecord(source.header)
        buffer.appendRecord(source.rows[0])
        var long = source.rows[1]
        long[3] = String(repeating: "x", count: 10 << 20)
        buffer.appendRecord(long)
        buffer.appendRecord(source.rows[2])
        let input = "\(directory)/long.csv"
        try CSVFiles.write(input, buffer.bytes)
        let output = "\(directory)/out.csv"
        ScratchFiles.remove(output)
        let stop = BatchScoreJob(model: try ReferenceModels.germanCredit(), inputPath: input, outputPath: output)
        do {
            _ = try stop.run()
            Issue.record("a 10 MB line was accepted")
        } catch {
            #expect(error.location?.line == 3)
            #expect(error.message.contains("longer than 1048576 bytes"))
        }
        #expect(!ScratchFiles.exists(output))
        let setAside = BatchScoreJob(model: try ReferenceModels.germanCredit(), inputPath: input, outputPath: output, rejectsPath: "\(directory)/rejects.csv")
        let summary = try setAside.run()
        #expect(summary.rows == 3 && summary.scored == 2 && summary.rejected == 1)
        let scored = try CSVFiles.read(output)
        #expect(scored.rows.map { $0[0] } == ["1", "3"])
    }
}

/// Builds the expected location value for comparison.
struct SourceLocationMatcher {
    var file: String
    var line: Int
    var column: Int
    var location: LendingModel.SourceLocation { LendingModel.SourceLocation(file: file, line: line, column: column) }
}
