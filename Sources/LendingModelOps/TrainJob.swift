#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LendingCSV
import LendingModel
import LendingScoring
import LendingTraining

/// What `lending train` does: read labelled data, split, train, write the model (and report).
public struct TrainJob: Sendable {
    public var dataPath: String
    public var target: String
    public var badValue: String
    public var outputPath: String
    /// A separate test file; otherwise `testShare` of the data (stratified, seeded) is held out.
    public var testPath: String?
    public var testShare: Double
    public var seed: UInt64
    public var breaksPath: String?
    public var reportPath: String?
    /// Writes `row,sample` (train or test) for every data row, to reproduce the split elsewhere.
    public var splitPath: String?
    public var options: TrainingOptions

    public init(dataPath: String, target: String, badValue: String, outputPath: String, testPath: String? = nil,
                testShare: Double = 0.3, seed: UInt64 = 1, breaksPath: String? = nil, reportPath: String? = nil,
                splitPath: String? = nil, options: TrainingOptions) {
        self.dataPath = dataPath
        self.target = target
        self.badValue = badValue
        self.outputPath = outputPath
        self.testPath = testPath
        self.testShare = testShare
        self.seed = seed
        self.breaksPath = breaksPath
        self.reportPath = reportPath
        self.splitPath = splitPath
        self.options = options
    }

    /// Trains, writes the model (and report), and returns the result and its printed summary.
    public func run() throws -> (result: TrainingResult, text: String) {
        guard testShare >= 0 && testShare < 1 else {
            throw LendingError(code: "train.options", message: "--test-share must be at least 0 and below 1")
        }
        let data = try DatasetLoader.load(path: dataPath, target: target, badValue: badValue)
        var options = self.options
        if let breaksPath { options.forced = try Self.readBreaks(breaksPath) }
        let train: TrainingData
        var test: TrainingData?
        var split: (train: [Int], test: [Int])?
        if let testPath {
            train = data
            test = try DatasetLoader.load(path: testPath, target: target, badValue: badValue)
        } else if testShare > 0 {
            let parts = data.stratifiedSplit(testShare: testShare, seed: seed)
            split = parts
            train = data.subset(parts.train)
            test = data.subset(parts.test)
        } else {
            train = data
        }
        var result: TrainingResult
        do {
            result = try Trainer.train(train, test: test, options: options)
        } catch {
            throw LendingError(code: error.code, message: error.message, file: dataPath)
        }
        // What the model was fitted with: cross-validation's choices filled in.
        let searched = Set(result.tuning?.searched ?? [])
        func chosen(_ key: String) -> String { searched.contains(key) ? " (chosen by cross-validation)" : "" }
        options.l2 = result.options.l2
        options.binning = result.options.binning
        options.selection = result.options.selection
        var settings = [
            "data: \(lastPathComponent(dataPath)) (\(data.rowCount) rows), target \(target) = \"\(badValue)\" is bad",
            testPath.map { "test: \(lastPathComponent($0))" } ?? (testShare > 0 ? "test: \(Int((testShare * 100).rounded()))% held out, stratified, seed \(seed)" : "test: none"),
            "binning: monotone \(Self.monotoneText(options, result))\(chosen("shapes")), at most \(options.binning.maxBins) bins\(chosen("maxBins")), each at least \(ReportText.fixed(options.binning.minBinShare * 100, 1))% of rows\(chosen("minBinShare"))"
                + (breaksPath.map { ", forced bins from \(lastPathComponent($0))" } ?? ""),
            "selection: " + { switch options.selection { case .informationValue(let v): return "IV at least \(ReportText.number(v))\(chosen("ivThreshold"))"; case .stepwise: return "stepwise (p to enter 0.05, to stay 0.10)" } }()
                + ", L2 \(ReportText.number(options.l2))\(chosen("l2"))",
            "scaling: \(ReportText.fixed(options.scaling.baseScore, 0)) points at \(ReportText.fixed(options.scaling.baseOdds, 2)):1 good:bad, \(ReportText.fixed(options.scaling.pdo, 0)) points to double",
        ]
        if let tuning = result.tuning {
            settings.append("cross-validation: \(tuning.folds) stratified folds of the \(tuning.rows) training rows (seed \(tuning.seed)), \(tuning.curve.count) settings, "
                            + "chosen mean fold AUC \(ReportText.fixed(tuning.chosenMeanAUC, 4)) (sd \(ReportText.fixed(tuning.chosenSdAUC, 4)))")
        }
        settings.append("characteristics chosen: \(result.model.characteristics.count) of \(result.report.characteristics.count)")
        result.report.settings = settings
        var optionText: [String: String] = [
            "target": target, "bad": badValue, "monotone": options.binning.monotone.rawValue,
            "maxBins": String(options.binning.maxBins), "minBinShare": "\(options.binning.minBinShare)",
            "select": { switch options.selection { case .informationValue(let v): return "iv:\(v)"; case .stepwise: return "stepwise" } }(),
            "l2": "\(options.l2)", "roundPoints": String(options.roundPoints),
        ]
        if let tuning = self.options.tuning, result.tuning != nil {
            optionText["folds"] = String(tuning.folds)
            optionText["tuned"] = result.tuning!.searched.joined(separator: ",")
        }
        if let testPath { optionText["test"] = lastPathComponent(testPath) } else { optionText["testShare"] = "\(testShare)" }
        if let breaksPath { optionText["breaks"] = lastPathComponent(breaksPath); optionText["breaksSHA256"] = try sha256(ofFile: breaksPath) }
        if let features = options.features { optionText["features"] = features.joined(separator: ",") }
        if !options.exclude.isEmpty { optionText["exclude"] = options.exclude.joined(separator: ",") }
        result.model.source = Scorecard.Source(tool: "lending train", file: lastPathComponent(dataPath), sha256: try sha256(ofFile: dataPath),
                                               rows: data.rowCount, seed: testPath == nil && testShare > 0 ? seed : nil, options: optionText)
        try Self.writeModel(result.model, training: result.tuning, to: outputPath)
        if let reportPath { try writeText(ReportHTML.render(result.report), to: reportPath) }
        if let splitPath, let split {
            var buffer = CSVOutputBuffer()
            buffer.appendRecord(["row", "sample"])
            let testRows = Set(split.test)
            for row in 0..<data.rowCount { buffer.appendRecord([String(row + 1), testRows.contains(row) ? "test" : "train"]) }
            let output = try OutputFile(path: splitPath)
            try output.write(buffer)
            try output.commit()
        }
        return (result, ReportText.render(result.report))
    }

    /// Writes the model file; with cross-validation, with its optional top-level `training`
    /// object (readers that do not know it ignore it; `Scorecard.load` validates the rest).
    public static func writeModel(_ model: Scorecard, training: TuningResult?, to path: String) throws {
        guard let training else {
            do { try model.write(to: path) } catch { throw LendingError(code: error.code, message: error.message, file: path) }
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(ModelFileWithTraining(model: model, training: TrainingMetadata(crossValidation: training)))
        data.append(0x0A)
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw LendingError(code: "io", message: "cannot write the model; check the directory exists and is writable", file: path)
        }
    }

    /// The `training` object of a model file written by `lending train`, if it has one.
    public static func readTraining(_ path: String) throws -> TrainingMetadata? {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw LendingError(code: "io", message: "cannot read the model file; check the path", file: path)
        }
        struct Wrapper: Decodable { var training: TrainingMetadata? }
        do { return try JSONDecoder().decode(Wrapper.self, from: data).training } catch {
            throw LendingError(code: "model.invalid", message: "the training object of the model file is not valid: \(error)", file: path)
        }
    }

    static func monotoneText(_ options: TrainingOptions, _ result: TrainingResult) -> String {
        let allowed = result.tuning?.shapes.filter { $0.allowed == "peak-or-valley" }.map(\.name) ?? []
        if options.binning.monotone == .auto, let tuning = result.tuning, tuning.searched.contains("shapes") {
            return allowed.isEmpty ? "auto (no characteristic allowed a peak or valley)" : "auto (peak or valley allowed for \(allowed.joined(separator: ", ")))"
        }
        return options.binning.monotone == .auto ? "monotone" : options.binning.monotone.rawValue
    }

    /// Reads BREAKS.json: `{"numeric": [cut, ...], "categorical": [["a", "b"], ["c"]]}`.
    public static func readBreaks(_ path: String) throws -> [String: ForcedBins] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw LendingError(code: "train.breaks", message: "cannot read the breaks file; check the path", file: path)
        }
        let decoded: [String: BreaksEntry]
        do { decoded = try JSONDecoder().decode([String: BreaksEntry].self, from: data) } catch {
            throw LendingError(code: "train.breaks",
                               message: "not a breaks file: expected {\"name\": [cut points] or [[categories], ...]}", file: path)
        }
        return decoded.mapValues(\.bins)
    }
}

/// The `training` object of a model file: what cross-validation chose and the curve it chose
/// from (docs/model-format.md).
public struct TrainingMetadata: Codable, Sendable, Equatable {
    public var crossValidation: TuningResult
    public init(crossValidation: TuningResult) { self.crossValidation = crossValidation }
}

/// A model and its `training` object, encoded as one JSON object (the model's keys and
/// `training`, sorted).
private struct ModelFileWithTraining: Encodable {
    var model: Scorecard
    var training: TrainingMetadata
    enum Keys: String, CodingKey { case training }
    func encode(to encoder: any Encoder) throws {
        try model.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(training, forKey: .training)
    }
}

private struct BreaksEntry: Decodable {
    var bins: ForcedBins
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let cuts = try? container.decode([Double].self) { bins = .cuts(cuts); return }
        bins = .groups(try container.decode([[String]].self))
    }
}

/// Writes text atomically.
func writeText(_ text: String, to path: String) throws {
    let output = try OutputFile(path: path)
    var copy = text
    try copy.withUTF8 { try output.write(UnsafeRawBufferPointer($0)) }
    try output.commit()
}
