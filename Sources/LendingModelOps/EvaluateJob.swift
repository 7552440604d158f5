#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LendingCSV
import LendingModel
import LendingScoring
import LendingTraining

/// What `lending evaluate` does.
public struct EvaluateJob: Sendable {
    public var modelPath: String
    public var dataPath: String
    public var target: String
    public var badValue: String
    public var reportPath: String?

    public init(modelPath: String, dataPath: String, target: String, badValue: String, reportPath: String? = nil) {
        self.modelPath = modelPath
        self.dataPath = dataPath
        self.target = target
        self.badValue = badValue
        self.reportPath = reportPath
    }

    public func run() throws -> (report: TrainingReport, text: String) {
        let model = try Scorecard.load(path: modelPath)
        let data = try DatasetLoader.load(path: dataPath, target: target, badValue: badValue)
        let evaluated: (sample: SampleReport, unscorable: Int)
        do { evaluated = try Evaluator.evaluate(model: model, data: data, name: lastPathComponent(dataPath)) } catch {
            throw LendingError(code: error.code, message: error.message, file: dataPath)
        }
        var warnings: [String] = []
        if evaluated.unscorable > 0 { warnings.append("\(evaluated.unscorable) rows could not be scored and are left out") }
        let characteristics = model.characteristics.map { characteristic in
            CharacteristicReport(name: characteristic.name, kind: characteristic.kind.rawValue,
                                 informationValue: characteristic.informationValue ?? .nan, selected: true,
                                 bins: characteristic.bins.map { bin in
                                     BinReport(label: bin.displayLabel, count: bin.count ?? 0, goods: (bin.count ?? 0) - (bin.bads ?? 0),
                                               bads: bin.bads ?? 0, badRate: bin.count.map { Double(bin.bads ?? 0) / Double(max($0, 1)) } ?? .nan,
                                               woe: bin.woe ?? .nan, iv: .nan, points: bin.points)
                                 })
        }
        let report = TrainingReport(title: "\(model.name) version \(model.version) on \(lastPathComponent(dataPath))",
                                    settings: ["model: \(lastPathComponent(modelPath))", "data: \(lastPathComponent(dataPath)) (\(data.rowCount) rows)"],
                                    characteristics: characteristics, samples: [evaluated.sample], warnings: warnings)
        if let reportPath { try writeText(ReportHTML.render(report), to: reportPath) }
        var summary = report
        summary.characteristics = []
        return (report, ReportText.render(summary))
    }
}
