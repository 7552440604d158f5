import LendingScoring
import LendingTestSupport
import Testing

/// A small model with every feature: numeric and categorical, missing bins, unseen policies.
func sampleModel() -> Scorecard {
    Scorecard(
        name: "sample", version: "1",
        scaling: Scaling(baseScore: 600, baseOdds: 19, pdo: 50),
        basePoints: 400,
        characteristics: [
            Characteristic(name: "age", kind: .numeric, bins: [
                Bin(upper: 25, points: -30), Bin(lower: 25, upper: 40, points: 10), Bin(lower: 40, points: 35),
            ], missing: MissingBin(points: -5)),
            Characteristic(name: "housing", kind: .categorical, bins: [
                Bin(categories: ["own"], points: 20), Bin(categories: ["rent", "for free"], points: -10),
            ], missing: MissingBin(points: 0), unseen: .missing),
            Characteristic(name: "purpose", kind: .categorical, bins: [
                Bin(categories: ["car"], points: 15), Bin(categories: ["radio", "tv"], points: 5), Bin(categories: ["other"], points: -25),
            ], unseen: .lowest),
            Characteristic(name: "amount", kind: .numeric, bins: [
                Bin(upper: 1000.5, points: 5), Bin(lower: 1000.5, points: -5),
            ]),
        ])
}

@Suite struct ScorerTests {
    @Test func scoresTypedValuesWithReasonsMostAdverseFirst() throws {
        let scorer = try Scorer(sampleModel())
        // age 22: -30 (max 35, loss 65); housing rent: -10 (loss 30); purpose other: -25 (loss 40); amount 2000: -5 (loss 10)
        let result = try scorer.score([.number(22), .category("rent"), .category("other"), .number(2000)], reasons: 3)
        #expect(result.score == 400 - 30 - 10 - 25 - 5)
        #expect(result.reasons.map(\.characteristic) == ["age", "purpose", "housing"])
        #expect(result.reasons.map(\.pointsBelowMaximum) == [65, 40, 30])
    }

    @Test func dropsZeroLossesAndBreaksTiesInModelOrder() throws {
        let scorer = try Scorer(sampleModel())
        // age 45 and housing own and purpose car: at their maximum; amount 2000: loss 10.
        let best = try scorer.score([.number(45), .category("own"), .category("car"), .number(2000)], reasons: 4)
        #expect(best.reasons.map(\.characteristic) == ["amount"])
        // age missing: -5 (loss 40); purpose other: -25 (loss 40): a tie, model order decides.
        let tied = try scorer.score([.missing, .category("own"), .category("other"), .number(10)], reasons: 2)
        #expect(tied.reasons.map(\.characteristic) == ["age", "purpose"])
    }

    @Test func appliesUnseenPolicies() throws {
        let scorer = try Scorer(sampleModel())
        let result = try scorer.score([.number(30), .category("castle"), .category("boat"), .number(1)], reasons: 0)
        // housing unseen -> missing bin (0); purpose unseen -> lowest bin (-25).
        #expect(result.score == 400 + 10 + 0 - 25 + 5)
    }

    @Test func rejectsMissingValueWithoutMissingBin() throws {
        let scorer = try Scorer(sampleModel())
        #expect(throws: ScoringError.self) {
            try scorer.score([.number(30), .category("own"), .missing, .number(1)])
        }
    }

    @Test func scoresTextRowsByName() throws {
        let scorer = try Scorer(sampleModel())
        let result = try scorer.score(row: ["age": "25", "housing": "", "purpose": "tv", "amount": "1000.5", "extra": "x"], reasons: 1)
        #expect(result.score == 400 + 10 + 0 + 5 - 5)
        #expect(throws: ScoringError.self) { try scorer.score(row: ["age": "abc", "purpose": "tv", "amount": "1"]) }
    }

    @Test func binsAreLeftClosedRightOpen() throws {
        let scorer = try Scorer(sampleModel())
        func points(_ age: Double) throws -> Double {
            try scorer.score([.number(age), .category("own"), .category("car"), .number(0)], reasons: 0).score - 400 - 20 - 15 - 5
        }
        #expect(try points(24.999) == -30)
        #expect(try points(25) == 10)
        #expect(try points(39.999) == 10)
        #expect(try points(40) == 35)
        #expect(try points(-.infinity) == -30)
    }

    @Test func probabilityFollowsTheScaling() {
        let scaling = Scaling(baseScore: 600, baseOdds: 19, pdo: 50)
        #expect(abs(scaling.probabilityOfBad(score: 600) - 1.0 / 20) < 1e-15)
        #expect(abs(scaling.probabilityOfBad(score: 650) - 1.0 / 39) < 1e-15)
        #expect(abs(scaling.score(probabilityOfBad: 1.0 / 39) - 650) < 1e-9)
    }
}

@Suite struct ModelValidationTests {
    @Test func rejectsGapsBetweenNumericBins() {
        var model = sampleModel()
        model.characteristics[0].bins[1].lower = 26
        #expect(throws: ScoringError.self) { try model.validate() }
    }

    @Test func rejectsACategoryInTwoBins() {
        var model = sampleModel()
        model.characteristics[1].bins[1].categories = ["rent", "own"]
        #expect(throws: ScoringError.self) { try model.validate() }
    }

    @Test func rejectsAnotherFormatVersion() {
        var model = sampleModel()
        model.formatVersion = 2
        #expect(throws: ScoringError.self) { try model.validate() }
    }

    @Test func roundTripsThroughJSONByteForByte() throws {
        let model = sampleModel()
        let data = model.encoded()
        let decoded = try Scorecard.decode(data)
        #expect(decoded == model)
        #expect(decoded.encoded() == data)
    }
}

@Suite struct NumberTextTests {
    func parse(_ text: String) -> Double? { Scorer.parseNumber(text) }

    @Test func parsesTheDecimalGrammar() {
        #expect(parse("1169") == 1169)
        #expect(parse("-3.25") == -3.25)
        #expect(parse("+.5") == 0.5)
        #expect(parse("5.") == 5)
        #expect(parse("1e3") == 1000)
        #expect(parse(" 12 ") == 12)
        #expect(parse("0.1") == 0.1)
    }

    @Test func rejectsWhatIsNotANumber() {
        for text in ["", "abc", "1,000", "NaN", "inf", "1e", "--1", "1.2.3", "0x10", "1e400", "."] {
            #expect(parse(text) == nil, "\(text)")
        }
    }

    @Test func agreesWithTheStandardLibraryOnRandomDecimals() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            let digits = Int(generator.next() % 18) + 1
            var text = generator.next() % 2 == 0 ? "-" : ""
            for index in 0..<digits {
                if index == Int(generator.next() % UInt64(digits)) && !text.contains(".") { text += "." }
                text += String(generator.next() % 10)
            }
            if generator.next() % 4 == 0 { text += "e\(Int(generator.next() % 40) - 20)" }
            #expect(parse(text) == Double(text), "\(text)")
        }
    }
}

@Suite struct KernelTests {
    /// A random model and random rows; the batch kernel must agree exactly with the reference.
    @Test func batchKernelAgreesWithReferenceScorer() throws {
        var generator = SplitMix64(seed: 2026)
        for trial in 0..<50 {
            var characteristics: [Characteristic] = []
            for index in 0..<Int(generator.next() % 12 + 1) {
                let bins = Int(generator.next() % 7 + 1)
                let hasMissing = generator.next() % 2 == 0
                func points() -> Double { Double(Int(generator.next() % 200) - 100) + (trial % 2 == 1 && generator.next() % 3 == 0 ? 0.25 : 0) }
                if generator.next() % 2 == 0 {
                    var cuts: [Double] = []
                    var value = Double(Int(generator.next() % 20)) - 10
                    for _ in 1..<bins { value += Double(generator.next() % 10 + 1) * 0.5; cuts.append(value) }
                    var list: [Bin] = []
                    for bin in 0..<bins {
                        list.append(Bin(lower: bin == 0 ? nil : cuts[bin - 1], upper: bin == bins - 1 ? nil : cuts[bin], points: points()))
                    }
                    characteristics.append(Characteristic(name: "n\(index)", kind: .numeric, bins: list, missing: hasMissing ? MissingBin(points: points()) : nil))
                } else {
                    let list = (0..<bins).map { bin in Bin(categories: ["c\(bin)a", "c\(bin)b"], points: points()) }
                    characteristics.append(Characteristic(name: "c\(index)", kind: .categorical, bins: list,
                                                          missing: hasMissing ? MissingBin(points: points()) : nil, unseen: .lowest))
                }
            }
            let model = Scorecard(name: "random\(trial)", version: "1", scaling: Scaling(baseScore: 600, baseOdds: 19, pdo: 50),
                                  basePoints: 500, characteristics: characteristics)
            let compiled = try CompiledScorecard(model)
            let reference = ReferenceScorer(model)
            var batch = ScoringBatch(for: compiled, capacity: 300)
            var rows: [[FeatureValue]] = []
            while !batch.isFull {
                var values: [FeatureValue] = []
                for (index, characteristic) in characteristics.enumerated() {
                    let missing = characteristic.missing != nil && generator.next() % 10 == 0
                    switch characteristic.kind {
                    case .numeric:
                        // Often exactly on a cut point, to test the closed side.
                        let cuts = characteristic.bins.compactMap(\.lower)
                        var value = Double(Int(generator.next() % 60) - 20) * 0.25
                        if !cuts.isEmpty && generator.next() % 3 == 0 { value = cuts[Int(generator.next() % UInt64(cuts.count))] }
                        let feature: FeatureValue = missing ? .missing : .number(value)
                        values.append(feature)
                        batch.numericColumn(index)[batch.count] = missing ? .nan : value
                    case .categorical:
                        let bin = Int(generator.next() % UInt64(characteristic.bins.count + 1))
                        let category = bin == characteristic.bins.count ? "unseen" : "c\(bin)\(generator.next() % 2 == 0 ? "a" : "b")"
                        let feature: FeatureValue = missing ? .missing : .category(category)
                        values.append(feature)
                        batch.slotColumn(index)[batch.count] = try Scorer(compiled: compiled).slot(index, feature)
                    }
                }
                rows.append(values)
                batch.commitRow()
            }
            var scores = [Double](repeating: 0, count: batch.count)
            scores.withUnsafeMutableBufferPointer { compiled.score(&batch, into: $0) }
            // Probabilities (a lookup table for whole-number models) equal the scaling formula exactly.
            var probabilities = [Double](repeating: 0, count: batch.count)
            scores.withUnsafeBufferPointer { scores in
                probabilities.withUnsafeMutableBufferPointer { compiled.probabilities(scores: scores, into: $0) }
            }
            for row in 0..<batch.count {
                #expect(probabilities[row] == model.scaling.probabilityOfBad(score: scores[row]))
            }
            var indices = [Int32](repeating: -1, count: 3)
            var losses = [Double](repeating: 0, count: 3)
            for (row, values) in rows.enumerated() {
                #expect(scores[row] == reference.score(values), "trial \(trial) row \(row)")
                let found = indices.withUnsafeMutableBufferPointer { indices in
                    losses.withUnsafeMutableBufferPointer { losses in
                        compiled.reasons(row: row, of: batch, limit: 3, into: indices.baseAddress!, losses: losses.baseAddress!)
                    }
                }
                let names = indices[0..<found].map { compiled.names[Int($0)] }
                #expect(names == reference.reasons(values, limit: 3), "trial \(trial) row \(row)")
                let single = try Scorer(compiled: compiled).score(values, reasons: 3)
                #expect(single.score == scores[row])
            }
        }
    }

    @Test func categoryIndexFindsEveryCategoryAndNothingElse() {
        let categories = (0..<500).map { "category number \($0) with a long common prefix" }
        let index = CategoryIndex([categories.enumerated().map { ($0.element, Int32($0.offset + 1)) }, []])
        for (position, category) in categories.enumerated() {
            #expect(index.slot(0, of: category) == Int32(position + 1))
        }
        #expect(index.slot(0, of: "category number 500 with a long common prefix") == -1)
        #expect(index.slot(0, of: "") == -1)
        #expect(index.slot(1, of: "anything") == -1)
    }
}

