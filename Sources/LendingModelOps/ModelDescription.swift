import Foundation
import LendingScoring

/// The text `lending model show` prints.
public enum ModelDescription {
    public static func text(of model: Scorecard) -> String {
        var lines: [String] = []
        lines.append("\(model.name) version \(model.version) (format \(model.format) v\(model.formatVersion))")
        if let source = model.source {
            var text = "source: \(source.tool)"
            if let file = source.file { text += " \(file)" }
            if let sha = source.sha256 { text += " sha256 \(sha)" }
            lines.append(text)
        }
        let scaling = model.scaling
        lines.append("scaling: \(number(scaling.baseScore)) points at \(number(scaling.baseOdds)):1 good:bad, \(number(scaling.pdo)) points to double the odds")
        let range = model.scoreRange
        lines.append("base points: \(number(model.basePoints)); scores from \(number(range.lowerBound)) to \(number(range.upperBound))")
        lines.append("")
        for characteristic in model.characteristics {
            var header = "\(characteristic.name) (\(characteristic.kind.rawValue)"
            if characteristic.kind == .categorical { header += ", unseen: \((characteristic.unseen ?? .reject).rawValue)" }
            if let iv = characteristic.informationValue { header += ", IV \(number(iv))" }
            lines.append(header + ")")
            let labels = characteristic.bins.map(\.displayLabel) + (characteristic.missing != nil ? ["missing"] : [])
            let points = characteristic.bins.map(\.points) + (characteristic.missing.map { [$0.points] } ?? [])
            let width = min(60, labels.map(\.count).max() ?? 0)
            for (label, value) in zip(labels, points) {
                let shown = label.count > 60 ? String(label.prefix(59)) + "…" : label
                lines.append("  " + shown + String(repeating: " ", count: max(1, width - shown.count + 2)) + number(value))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// What the model file records of its cross-validated training (its top-level `training`
    /// object, docs/model-format.md), as lines for `lending model show`; empty when it has none.
    public static func trainingText(ofFile data: Data) -> String {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let training = root["training"] as? [String: Any], let cv = training["crossValidation"] as? [String: Any] else { return "" }
        func integer(_ key: String, in object: [String: Any] = cv) -> String { (object[key] as? NSNumber).map { "\($0.intValue)" } ?? "?" }
        func decimal(_ value: Any?, _ digits: Int) -> String {
            guard let value = (value as? NSNumber)?.doubleValue else { return "?" }
            return String(format: "%.\(digits)f", value)
        }
        var lines = ["cross-validation: \(integer("folds")) stratified folds × \(integer("repeats")) of \(integer("rows")) training rows, seed \(integer("seed"))"]
        if let searched = cv["searched"] as? [String], !searched.isEmpty { lines.append("  searched: " + searched.joined(separator: ", ")) }
        if let chosen = cv["chosen"] as? [String: Any] {
            let setting = ["l2", "ivThreshold", "maxBins", "minBinShare"].compactMap { key in
                (chosen[key] as? NSNumber).map { "\(key) \(number($0.doubleValue))" }
            }
            lines.append("  chosen: " + setting.joined(separator: ", ") + "; mean fold AUC \(decimal(cv["chosenMeanAUC"], 4)) (sd \(decimal(cv["chosenSdAUC"], 4)))")
        }
        if let curve = cv["curve"] as? [[String: Any]] {
            let aucs = curve.compactMap { ($0["meanAUC"] as? NSNumber)?.doubleValue }
            if let low = aucs.min(), let high = aucs.max() {
                lines.append("  \(curve.count) settings tried: mean fold AUC \(String(format: "%.4f", low)) to \(String(format: "%.4f", high))")
            }
        }
        for shape in cv["shapes"] as? [[String: Any]] ?? [] where shape["allowed"] as? String == "peak-or-valley" {
            lines.append("  \(shape["name"] as? String ?? "?") allowed a turn (\(shape["shape"] as? String ?? "not in the model")): \(shape["reason"] as? String ?? "")")
        }
        return lines.joined(separator: "\n")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
