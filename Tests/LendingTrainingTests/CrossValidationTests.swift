import Foundation
import LendingModel
import LendingScoring
@testable import LendingTraining
import Testing

/// A synthetic credit file: two numeric characteristics that carry risk (one rising, one with a
/// valley: risky at both ends), one informative category, and noise.
func syntheticData(rows: Int, seed: UInt64, categories: [String] = ["a", "b", "c", "d"]) -> TrainingData {
    var generator = SplitMix64(seed: seed)
    func uniform() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
    var rising: [Double] = []
    var valley: [Double] = []
    var noise: [Double] = []
    var codes: [Int32] = []
    var bad: [Bool] = []
    let categoryRisk: [String: Double] = ["a": -1, "b": 0, "c": 0.5, "d": 1.2]
    for _ in 0..<rows {
        let x = (uniform() * 100).rounded()
        let v = (uniform() * 60 + 20).rounded()
        let n = (uniform() * 1000).rounded()
        let code = Int32(generator.next() % UInt64(categories.count))
        let centred = (v - 50) / 15
        let logit = -1.2 + 0.025 * (x - 50) + 0.9 * centred * centred - 0.9 + categoryRisk[categories[Int(code)], default: 0]
        rising.append(x)
        valley.append(v)
        noise.append(n)
        codes.append(code)
        bad.append(uniform() < 1 / (1 + exp(-logit)))
    }
    return TrainingData(names: ["rising", "valley", "noise", "kind"],
                        columns: [.numeric(rising), .numeric(valley), .numeric(noise), .categorical(codes: codes, categories: categories)],
                        bad: bad)
}

func tunedOptions(seed: UInt64 = 1, l2: [Double]? = [0, 3, 30], iv: [Double]? = [0, 0.02], bins: [Int]? = [4, 8],
                  shares: [Double]? = [0.05], shapes: Bool = true) -> TrainingOptions {
    TrainingOptions(name: "cv", roundPoints: false,
                    tuning: TuningOptions(folds: 5, seed: seed, l2: l2, ivThreshold: iv, maxBins: bins, minBinShare: shares, shapes: shapes))
}

func encodedJSON<T: Encodable>(_ value: T) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try! encoder.encode(value)
}

@Suite struct CrossValidationTests {
    @Test func foldsAreStratifiedAndSeeded() {
        let data = syntheticData(rows: 700, seed: 3)
        let folds = CrossValidation.folds(bad: data.bad, count: 5, seed: 1)
        let bads = data.bad.filter { $0 }.count
        for fold in 0..<5 {
            let members = folds.indices.filter { folds[$0] == fold }
            #expect(abs(members.count - 140) <= 1)
            let foldBads = members.filter { data.bad[$0] }.count
            #expect(abs(Double(foldBads) - Double(bads) / 5) <= 1, "fold \(fold): \(foldBads) bads")
        }
        #expect(CrossValidation.folds(bad: data.bad, count: 5, seed: 1) == folds)
        #expect(CrossValidation.folds(bad: data.bad, count: 5, seed: 2) != folds)
    }

    @Test func sameSeedGivesTheSameModelAndCurve() throws {
        let data = syntheticData(rows: 700, seed: 4)
        let first = try Trainer.train(data, test: nil, options: tunedOptions())
        let second = try Trainer.train(data, test: nil, options: tunedOptions())
        #expect(first.model == second.model)
        #expect(first.model.encoded() == second.model.encoded())
        #expect(first.tuning == second.tuning)
        #expect(encodedJSON(first.tuning!) == encodedJSON(second.tuning!))
        // Another seed cuts other folds: the curve moves.
        let other = try Trainer.train(data, test: nil, options: tunedOptions(seed: 99))
        #expect(other.tuning!.curve.map(\.meanAUC) != first.tuning!.curve.map(\.meanAUC))
    }

    /// The test rows play no part in any choice: with no test sample, with the real one, with
    /// its labels flipped, or with rows that were never seen, the model and the curve are the
    /// same. And a training file holding only the training rows (its category dictionary in
    /// another order) gives the same model as the split of the whole file.
    @Test func crossValidationNeverTouchesTestRows() throws {
        let data = syntheticData(rows: 1000, seed: 5)
        let split = data.stratifiedSplit(testShare: 0.3, seed: 1)
        let train = data.subset(split.train)
        let test = data.subset(split.test)
        var flipped = test
        flipped.bad = test.bad.map { !$0 }
        let stranger = syntheticData(rows: 300, seed: 77)
        let reference = try Trainer.train(train, test: test, options: tunedOptions())
        for other in [nil, flipped, stranger] {
            let result = try Trainer.train(train, test: other, options: tunedOptions())
            #expect(result.model == reference.model)
            #expect(result.tuning == reference.tuning)
        }
        // The same rows, read from a file of their own: a different dictionary order.
        let reordered = ["d", "c", "b", "a"]
        guard case .categorical(let codes, let categories) = train.columns[3] else { Issue.record("kind is categorical"); return }
        let recoded = codes.map { Int32(reordered.firstIndex(of: categories[Int($0)])!) }
        var alone = train
        alone.columns[3] = .categorical(codes: recoded, categories: reordered)
        let fromOwnFile = try Trainer.train(alone, test: nil, options: tunedOptions())
        #expect(fromOwnFile.model.characteristics.map(\.name) == reference.model.characteristics.map(\.name))
        #expect(fromOwnFile.tuning == reference.tuning)
        #expect(fromOwnFile.model.basePoints == reference.model.basePoints)
        for (a, b) in zip(fromOwnFile.model.characteristics, reference.model.characteristics) {
            #expect(a.bins.map(\.points) == b.bins.map(\.points), "\(a.name)")
            #expect(a.bins.map { Set($0.categories ?? []) } == b.bins.map { Set($0.categories ?? []) }, "\(a.name)")
        }
    }

    @Test func chosenSettingsAreRecordedAndApplied() throws {
        let data = syntheticData(rows: 700, seed: 6)
        let result = try Trainer.train(data, test: nil, options: tunedOptions())
        let tuning = try #require(result.tuning)
        #expect(tuning.curve.count == 3 * 2 * 2 * 1)
        #expect(tuning.searched == ["l2", "ivThreshold", "maxBins", "minBinShare", "shapes"])
        #expect(tuning.rows == 700 && tuning.folds == 5)
        let best = tuning.curve.map(\.meanAUC).max()!
        #expect(abs(tuning.chosenMeanAUC - best) < 1e-12)
        #expect(tuning.curve.contains { $0.setting == tuning.chosen && $0.meanAUC == tuning.chosenMeanAUC })
        // Applied to the final fit.
        #expect(result.options.l2 == tuning.chosen.l2)
        #expect(result.options.binning.maxBins == tuning.chosen.maxBins)
        #expect(result.options.binning.minBinShare == tuning.chosen.minBinShare)
        #expect(result.options.selection == .informationValue(tuning.chosen.ivThreshold))
        for characteristic in result.model.characteristics {
            #expect(characteristic.bins.count <= tuning.chosen.maxBins)
        }
        // In the report, and through JSON unchanged.
        #expect(result.report.tuning == tuning)
        let decoded = try JSONDecoder().decode(TuningResult.self, from: encodedJSON(tuning))
        #expect(decoded == tuning)
        let text = ReportText.render(result.report)
        #expect(text.contains("cross-validation (5 folds of the 700 training rows): chosen \(tuning.chosen.text)"))
        let html = ReportHTML.render(result.report)
        #expect(html.contains("<section id=\"cross-validation\">"))
        #expect(html.contains("Mean fold AUC by l2"))
    }

    /// A setting that cannot predict (an IV threshold no characteristic reaches selects nothing)
    /// must lose to one that can, though it is the "simpler" one; the choice is the curve's
    /// maximum; and the curve's mean fold AUCs are what the ordinary trainer gets on each fold,
    /// recomputed independently.
    @Test func theSearchPicksTheBestMeanFoldAUC() throws {
        let data = syntheticData(rows: 700, seed: 8)
        let options = tunedOptions(l2: [0, 3], iv: [0, 50], bins: [3, 6], shares: [0.05], shapes: false)
        let tuning = try #require(try Trainer.train(data, test: nil, options: options).tuning)
        #expect(tuning.chosen.ivThreshold == 0)
        for point in tuning.curve where point.setting.ivThreshold == 50 {
            #expect(point.meanAUC == 0.5 && point.meanCharacteristics == 0)
            #expect(point.meanAUC < tuning.chosenMeanAUC - 0.1)
        }
        #expect(tuning.chosenMeanAUC == tuning.curve.map(\.meanAUC).max()!)
        // Independent recomputation with Trainer on each fold.
        let folds = CrossValidation.folds(bad: data.bad, count: 5, seed: 1)
        for setting in [TuningSetting(l2: 0, ivThreshold: 0, maxBins: 6, minBinShare: 0.05),
                        TuningSetting(l2: 0, ivThreshold: 0, maxBins: 3, minBinShare: 0.1),
                        TuningSetting(l2: 30, ivThreshold: 0.02, maxBins: 8, minBinShare: 0.02)] {
            var aucs: [Double] = []
            for fold in 0..<5 {
                let trainRows = folds.indices.filter { folds[$0] != fold }
                let validRows = folds.indices.filter { folds[$0] == fold }
                let fixed = TrainingOptions(name: "fold", binning: BinningOptions(maxBins: setting.maxBins, minBinShare: setting.minBinShare),
                                            selection: .informationValue(setting.ivThreshold), l2: setting.l2, roundPoints: false)
                let result = try Trainer.train(data.subset(trainRows), test: data.subset(validRows), options: fixed)
                aucs.append(result.report.samples[1].auc)
            }
            let mean = aucs.reduce(0, +) / 5
            let grid = tunedOptions(l2: [setting.l2], iv: [setting.ivThreshold], bins: [setting.maxBins], shares: [setting.minBinShare], shapes: false)
            let curve = try #require(try Trainer.train(data, test: nil, options: grid).tuning).curve
            #expect(curve.count == 1)
            #expect(abs(curve[0].meanAUC - mean) < 1e-3, "\(setting.text): grid \(curve[0].meanAUC), trainer \(mean)")
        }
        // And the choice itself: highest mean, ties to the simpler setting.
        func point(_ l2: Double, _ auc: Double, bins: Int = 6) -> TuningPoint {
            TuningPoint(setting: TuningSetting(l2: l2, ivThreshold: 0, maxBins: bins, minBinShare: 0.05), meanAUC: auc, sdAUC: 0, meanCharacteristics: 1)
        }
        #expect(CrossValidation.choose([point(0, 0.70), point(1, 0.75), point(10, 0.74)]) == 1)
        #expect(CrossValidation.choose([point(0, 0.75), point(10, 0.75), point(1, 0.75)]) == 1)
        #expect(CrossValidation.choose([point(1, 0.75, bins: 8), point(1, 0.75, bins: 4)]) == 1)
    }

    @Test func aValleyIsAllowedWhereTheFoldsShowItAndNotWhereTheTrendIsMonotone() throws {
        let data = syntheticData(rows: 3000, seed: 9)
        let result = try Trainer.train(data, test: nil, options: tunedOptions(l2: [1], iv: [0.02], bins: [8], shares: [0.05]))
        let shapes = try #require(result.tuning).shapes
        let valley = try #require(shapes.first { $0.name == "valley" })
        let rising = try #require(shapes.first { $0.name == "rising" })
        #expect(valley.allowed == "peak-or-valley", "\(valley.reason)")
        #expect(valley.shape == "valley")
        #expect(valley.turnAUC > valley.monotoneAUC + 0.005)
        #expect(rising.allowed == "monotone", "\(rising.reason)")
        #expect(rising.shape == "ascending")
        let bins = try #require(result.model.characteristics.first { $0.name == "valley" }).bins
        let rates = bins.map { Double($0.bads!) / Double($0.count!) }
        let lowest = rates.firstIndex(of: rates.min()!)!
        #expect(lowest > 0 && lowest < rates.count - 1, "\(rates)")
        #expect(zip(rates[..<lowest], rates[1...lowest]).allSatisfy { $0 > $1 }, "\(rates)")
        #expect(zip(rates[lowest...], rates[(lowest + 1)...]).allSatisfy { $0 < $1 }, "\(rates)")
        // Without shapes every numeric characteristic stays monotone.
        let plain = try Trainer.train(data, test: nil, options: tunedOptions(l2: [1], iv: [0.02], bins: [8], shares: [0.05], shapes: false))
        #expect(plain.tuning!.shapes.isEmpty)
        for characteristic in plain.model.characteristics where characteristic.kind == .numeric {
            let rates = characteristic.bins.map { Double($0.bads!) / Double($0.count!) }
            let up = zip(rates, rates.dropFirst()).allSatisfy { $0 < $1 }
            let down = zip(rates, rates.dropFirst()).allSatisfy { $0 > $1 }
            #expect(up || down, "\(characteristic.name) \(rates)")
        }
    }

    /// The dynamic programme with one turn against every partition, by brute force.
    @Test func peakAndValleyPartitionsAreOptimal() {
        var generator = SplitMix64(seed: 12)
        func brute(_ goods: [Int], _ bads: [Int], rows: Int, options: BinningOptions, peak: Bool) -> Double? {
            let n = goods.count
            let totalGoods = Double(goods.reduce(0, +)), totalBads = Double(bads.reduce(0, +))
            var best: Double?
            for mask in 0..<(1 << (n - 1)) {
                var groups: [(g: Int, b: Int)] = []
                var g = 0, b = 0
                for index in 0..<n {
                    g += goods[index]; b += bads[index]
                    if index == n - 1 || mask & (1 << index) != 0 { groups.append((g, b)); g = 0; b = 0 }
                }
                guard groups.count <= options.maxBins else { continue }
                let minimum = Int((options.minBinShare * Double(rows)).rounded(.up))
                guard groups.allSatisfy({ $0.g > 0 && $0.b > 0 && $0.g + $0.b >= minimum }) else { continue }
                let rates = groups.map { Double($0.b) / Double($0.g + $0.b) }
                let steps = zip(rates, rates.dropFirst()).map { $1 > $0 ? 1 : ($1 < $0 ? -1 : 0) }
                if steps.contains(0) { continue }
                let first = peak ? 1 : -1
                // One leg of `first`, then (optionally) one of the other sign.
                let turn = steps.firstIndex(of: -first) ?? steps.count
                guard steps[turn...].allSatisfy({ $0 == -first }) else { continue }
                let iv = groups.reduce(0.0) { total, group in
                    let bs = Double(group.b) / totalBads, gs = Double(group.g) / totalGoods
                    return total + (bs - gs) * log(bs / gs)
                }
                if best == nil || iv > best! { best = iv }
            }
            return best
        }
        for trial in 0..<300 {
            let n = Int(generator.next() % 9) + 1
            let goods = (0..<n).map { _ in Int(generator.next() % 40) }
            let bads = (0..<n).map { _ in Int(generator.next() % 15) }
            let rows = goods.reduce(0, +) + bads.reduce(0, +)
            let options = BinningOptions(maxBins: Int(generator.next() % 5) + 1, minBinShare: Double(generator.next() % 3) * 0.05)
            for peak in [true, false] {
                let expected = brute(goods, bads, rows: rows, options: options, peak: peak)
                let found = Binner.optimalPartition(goods: goods, bads: bads, rows: rows, options: options, direction: peak ? .peak : .valley)
                #expect((expected == nil) == (found == nil), "trial \(trial)")
                if let expected, let found { #expect(abs(expected - found.iv) < 1e-12, "trial \(trial) peak \(peak)") }
            }
        }
    }

    @Test func withoutTuningTrainingIsAsBefore() throws {
        // tuning nil: no cross-validation, the given settings.
        let data = syntheticData(rows: 700, seed: 10)
        let result = try Trainer.train(data, test: nil, options: TrainingOptions(name: "plain"))
        #expect(result.tuning == nil && result.report.tuning == nil && result.crossValidationTime == nil)
        #expect(result.options.l2 == 0 && result.options.binning.maxBins == 8)
    }
}
